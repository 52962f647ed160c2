"""Edit sequences that went wrong, made in LibreOffice and read back: each an explicit list of
UNO ops (tests/uno_driver.py) with the outcome stated. The first two are the cases the
stateful test (tests/test_stateful.py) was written for; the rest it found.

Sheet 信访工作经费 of the 绩效目标表 workbook: indicator header on row 9, 18 indicators on
rows 10-27 (产出指标 B10:B17; 数量指标 C10:C13, 质量指标 C14:C15, 时效指标 C16:C17; 成本指标
B18:C18; 效益指标 B19:B25; 满意度指标 B27:C27). The 自评表 of the same project: indicators on
rows 12-15 (分值 G, 得分 H), 总分 on row 16 (G16 = SUM(G5:G8,G12:G15)).
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

import sheetsync
from sheetsync.catalog import get_spec
from sheetsync.check import check_forms
from sheetsync.model import Form
from tests.lo import needs_uno

pytestmark = [pytest.mark.libreoffice, needs_uno]

SHEET = "信访工作经费"
SELF = Path(__file__).parent / "data" / "self_evaluation.json"


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sequences")
    targets, self_eval = folder / "targets.xlsx", folder / "self.xlsx"
    sheetsync.render(sheetsync.example_forms()[:1], targets)
    form = Form.from_dict(json.loads(SELF.read_text(encoding="utf-8")), spec=get_spec("自评表"))
    sheetsync.render([form], self_eval, template="自评表")
    return {"绩效目标表": targets, "自评表": self_eval}


def edit(libreoffice, src: Path, ops: list, name: str) -> Path:
    out = src.parent / f"{name}.xlsx"
    libreoffice.edit([{"in": str(src), "out": str(out), "ops": ops}])
    return out


def levels(form: Form) -> list[tuple[str, str, str]]:
    return [(r["一级指标"], r["二级指标"], r["三级指标"]) for r in form.indicators]


ORIGINAL = [(r["一级指标"], r["二级指标"], r["三级指标"]) for r in sheetsync.example_forms()[0].indicators]


def test_unmerged_and_refilled_level_then_a_row_below_a_group(libreoffice, books):
    """Unmerge the 一级 column and fill every cell with 产出指标, then insert a row right below
    the 数量指标 group with a new 三级 and value: the 二级 merges still say which group each
    row is in, and the new row's blank level cells take the group above."""
    ops = [
        ["unmerge_fill", SHEET, "B10:B17"],
        ["insert_rows", SHEET, 14, 1],
        ["string", SHEET, "D14", "新增指标"],
        ["string", SHEET, "E14", "5件"],
    ]
    out = edit(libreoffice, books["绩效目标表"], ops, "unmerge-insert")
    result = sheetsync.read_file(out)
    expected = [*ORIGINAL[:4], ("产出指标", "数量指标", "新增指标"), *ORIGINAL[4:]]
    assert levels(result.forms[0]) == expected
    assert {(g.cell, g.code) for g in result.guesses} == {("B14", "inherited"), ("C14", "inherited")}
    assert sheetsync.diff(books["绩效目标表"], out).to_json() == [
        {"kind": "added", "form": SHEET, "path": ["产出指标", "数量指标", "新增指标"], "old": None, "new": "5件"}
    ]


def test_a_score_typed_as_text_counts_as_the_spreadsheet_counts_it(libreoffice, books, tmp_path):
    """分值 typed as text ('10): LibreOffice's SUM leaves it out of 总分; sheetsync reads the same
    total from LibreOffice's save and from a save without results, and check names the cell."""
    out = edit(libreoffice, books["自评表"], [["string", SHEET, "G12", "10"]], "text-score")
    form = sheetsync.read(out)[0]
    assert form.indicators[0]["分值"] == 10
    assert form["总分"] == {"分值": 80, "得分": 98}  # 100 - 20: the text 10 is not summed
    findings = [(f.rule, f.cell) for f in check_forms([form])]
    assert ("number_as_text", "G12") in findings
    assert not any(rule == "computed_value" for rule, _ in findings)  # the formula is intact
    resaved = tmp_path / "resaved.xlsx"
    openpyxl.load_workbook(out).save(resaved)  # formulas kept, their results dropped
    assert sheetsync.read(resaved)[0]["总分"] == form["总分"]
    assert sheetsync.diff(out, resaved).to_json() == []
    assert [(c["path"], c["new"]) for c in sheetsync.diff(books["自评表"], out).to_json()] == [
        (["总分", "分值"], 80),
        (["产出指标", "数量指标", "受理信访事项举报数量"], 10),
    ]


def test_first_row_of_a_group_deleted_then_a_row_cut_into_another_group(libreoffice, books):
    """Deleting the first row of 产出指标 (and of 数量指标) takes their merged labels with it: the
    rows left show no level, and say so. The row cut into 质量指标 joins that group."""
    ops = [
        ["delete_rows", SHEET, 10, 1],
        ["insert_rows", SHEET, 14, 1],
        ["string", SHEET, "B14", "产出指标"],
        ["move_range", SHEET, "D10:E10", "D14"],
        ["delete_rows", SHEET, 10, 1],
    ]
    out = edit(libreoffice, books["绩效目标表"], ops, "delete-cut")
    result = sheetsync.read_file(out)
    assert levels(result.forms[0]) == [
        ("", "", "现场就地解决信访事项举报数量"),
        ("", "", "接待信访群众数量"),
        ("产出指标", "质量指标", "信访事项处理完成率"),
        ("产出指标", "质量指标", "信访案件立案数量"),
        *ORIGINAL[5:],
    ]
    warned = {g.cell for g in result.guesses}
    assert {"B10", "B11", "C11"} <= warned  # B10: no level and no group above; B11, C11: inherited
    kinds = [c["kind"] for c in sheetsync.diff(books["绩效目标表"], out).to_json()]
    assert sorted(kinds) == ["moved", "moved", "moved", "removed"]


def test_a_level_merged_over_two_groups_reads_as_the_merge_shows(libreoffice, books):
    """Merging 一级 over the last 效益指标 row and the 满意度指标 row (the hidden text emptied):
    the merged cell shows 效益指标 over both rows, and read follows it; check flags the pair."""
    out = edit(libreoffice, books["自评表"], [["merge", SHEET, "B14:B15"]], "merge-across")
    form = sheetsync.read(out)[0]
    assert [(r["一级指标"], r["二级指标"]) for r in form.indicators][2:] == [
        ("效益指标", "社会效益指标"),
        ("效益指标", "服务对象满意度指标"),
    ]
    assert [(f.rule, f.cell) for f in check_forms([form]) if f.rule == "level_pair"] == [("level_pair", "C15")]


def test_an_unmerged_level_left_blank_reads_the_same_and_says_so(libreoffice, books):
    """Unmerging 产出指标 without filling it leaves B13 blank beside the 质量指标 it heads: the
    row still reads as 产出指标, and read names the blank cell it took the label from above."""
    out = edit(libreoffice, books["自评表"], [["unmerge", SHEET, "B12:B13"]], "unmerge-blank")
    result = sheetsync.read_file(out)
    original = sheetsync.read(books["自评表"])[0]
    assert result.forms[0] == original
    assert [(g.cell, g.code) for g in result.guesses] == [("B13", "inherited")]


def test_a_blank_merged_level_cell_is_no_level(libreoffice, books):
    """Merges and unmerges that leave 一级 B12:B13 merged but empty: the 二级 beside it decide
    the 一级 (the framework's, warned), as beside a blank cell; no 一级 is carried over silently."""
    ops = [
        ["merge", SHEET, "B14:B15"],
        ["delete_rows", SHEET, 12, 1],
        ["unmerge", SHEET, "B13:B14"],
        ["merge", SHEET, "B12:B13"],
    ]
    out = edit(libreoffice, books["自评表"], ops, "blank-merge")
    result = sheetsync.read_file(out)
    assert [(r["一级指标"], r["二级指标"]) for r in result.forms[0].indicators] == [
        ("产出指标", "质量指标"),
        ("效益指标", "社会效益指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]
    assert {(g.cell, g.code) for g in result.guesses} >= {
        ("C12", "level1_missing"),
        ("C13", "level1_corrected"),
        ("C14", "level1_corrected"),
    }
