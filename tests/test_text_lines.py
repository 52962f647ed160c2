"""Text dumps whose cells were copied onto several lines: joined back, every join said, and the
cells after a join still named by their own file line."""

from __future__ import annotations

import pytest

import sheetsync
from sheetsync.catalog import get_spec
from sheetsync.reading.lines import join_broken_cells, known_words
from tests.variants import build, bundled_forms, write_text

SPEC = get_spec()
WORDS = (
    known_words([w for lab in SPEC.labels for w in lab.spellings] + list(SPEC.framework.levels)),
    known_words([w for c in SPEC.fields if c.wrap for w in c.label.spellings]),
)


def _join(text: str) -> list[list[str]]:
    return join_broken_cells([line.split("\t") for line in text.splitlines()], WORDS)[0]


def test_a_label_over_several_lines_is_one_cell_with_the_rest_of_its_row():
    rows = _join("项目\n名称\t信访工作经费\n绩\n效\n指\n标\t一级\n指标\t二级指标\t三级指标\t指标值")
    assert rows == [["项目\n名称", "信访工作经费"], ["绩\n效\n指\n标", "一级\n指标", "二级指标", "三级指标", "指标值"]]


def test_a_label_and_its_qualifier_on_the_next_line():
    assert _join("项目资金\n（万元）\t资金来源") == [["项目资金\n（万元）", "资金来源"]]


def test_a_goal_goes_on_over_the_lines_after_it_up_to_the_next_label():
    text = "绩效目标\t年度总体\n绩效目标\t第一句。\n第二句。\n第三句\n绩\n效\n指\n标\t一级指标"
    assert _join(text) == [
        ["绩效目标", "年度总体\n绩效目标", "第一句。\n第二句。\n第三句"],
        ["绩\n效\n指\n标", "一级指标"],
    ]


@pytest.mark.parametrize(
    "text",
    [
        "填表人：王某\t\t填报日期\n2024年部门项目支出预算绩效目标表",  # a footer, then the next form's title
        "项目名称\t信访工作经费\n主管部门\t永宁县公安局",  # a label starting the next row
        "\t\t\t受理数量\t115件\n说明",  # an indicator value is no wrapped field
        "绩效目标\t年度总体绩效目标\t第一句。\n\t产出指标\t数量指标",  # the next row starts blank
    ],
)
def test_lines_that_are_rows_of_their_own_stay_apart(text):
    assert _join(text) == [line.split("\t") for line in text.splitlines()]


def test_a_dump_with_broken_cells_reads_and_names_the_file_lines(tmp_path):
    form = next(f for f in bundled_forms() if "预期目标" in f)
    path = write_text(build("multiline", [form]), tmp_path / "m.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    # a stray note after the table: the warning names its own file line, after the joins above it
    path.write_text("\n".join([*lines, "", "注意：核对"]) + "\n", encoding="utf-8")
    result = sheetsync.read_file(path)
    joined = [g for g in result.guesses if g.code == "joined_lines"]
    assert joined[0].cell == "line 2 column 1" and "'项目名称'" in joined[0].message
    assert {g.message.split("'")[1] for g in joined} >= {"项目名称", "年度总体目标", "绩效指标", "一级指标"}
    assert result.forms[0]["项目名称"] == form["项目名称"]
    (late,) = [g for g in result.guesses if "注意：核对" in g.message]
    assert f"line {len(lines) + 2} column 1" in late.message  # rows shifted by the joins, lines not
    with pytest.raises(sheetsync.StrictError, match="copied onto"):
        sheetsync.read_file(path, strict=True)
