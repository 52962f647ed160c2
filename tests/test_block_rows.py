"""Rows of the indicator block that are no indicator: a group with nothing under it, and the
last line of a text dump that was cut short."""

from __future__ import annotations

import sheetsync
from tests.variants import build, bundled_forms, write_text, write_xlsx

FORM = next(f for f in bundled_forms() if f["项目名称"] == "信访工作经费")


def test_a_group_row_with_no_indicator_is_said_and_not_read_as_one(tmp_path):
    variant = build("plain", [FORM])
    layout = variant.sheets[0].layout
    r = next(i for i, row in enumerate(layout.rows) if "社会效益指标" in row)
    layout.rows.insert(r, ["", "", "生态效益指标"])  # between 经济效益指标 and 社会效益指标
    layout.merges = []  # (a text dump keeps none)
    result = sheetsync.read_file(write_text(variant, tmp_path / "f.txt"))
    assert result.forms[0]["绩效指标"] == variant.expected[0]["绩效指标"]
    (said,) = [g for g in result.guesses if "heads no indicator" in g.message]
    assert said.code == "not_read" and "'生态效益指标'" in said.message and said.cell.endswith("column 3")


def test_a_level_label_on_its_own_line_above_its_rows_is_no_empty_group(tmp_path):
    """A dump of a merged 一级 cell can print its label on a line of its own, above the rows."""
    form = {**FORM, "绩效指标": [r for r in FORM["绩效指标"] if r["一级指标"] == "产出指标"][:3]}
    lines = write_text(build("plain", [form]), tmp_path / "f.txt").read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if "\t产出指标\t" in line)
    lines[first : first + 1] = ["\t产出指标", lines[first].replace("\t产出指标\t", "\t\t", 1)]
    (tmp_path / "f.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = sheetsync.read_file(tmp_path / "f.txt")
    assert result.forms[0]["绩效指标"] == form["绩效指标"]
    assert not [g for g in result.guesses if "heads no indicator" in g.message]


def test_a_dump_cut_short_inside_its_last_row_keeps_that_row_out_of_the_indicators(tmp_path):
    form = next(f for f in bundled_forms() if "预期目标" in f)
    lines = write_text(build("plain", [form]), tmp_path / "f.txt").read_text(encoding="utf-8").splitlines()
    last = form["绩效指标"][-1]["三级指标"]
    at = next(i for i, line in enumerate(lines) if f"\t{last}\t" in line)
    lines = lines[: at + 1]
    lines[at] = lines[at][: lines[at].index(last) + 2]  # the copied text stops inside the last 三级
    (tmp_path / "f.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = sheetsync.read_file(tmp_path / "f.txt")
    data = result.forms[0].to_dict()
    assert data["绩效指标"] == form["绩效指标"][:-1]
    assert data["附加"]["表外"] == [t for t in lines[at].split("\t") if t]
    (said,) = [g for g in result.guesses if "cut short" in g.message]
    assert said.cell == f"line {at + 1} column 4"


def test_a_workbook_s_last_row_without_a_value_is_still_an_indicator(tmp_path):
    form = {**FORM, "绩效指标": [*FORM["绩效指标"][:-1], {**FORM["绩效指标"][-1], "指标值": ""}]}
    variant = build("plain", [form])
    result = sheetsync.read_file(write_xlsx(variant, tmp_path / "f.xlsx"))
    assert result.forms[0]["绩效指标"] == form["绩效指标"]
