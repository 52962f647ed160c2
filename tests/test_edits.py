"""What colleagues do to a rendered workbook in a real spreadsheet, and what read makes of it.

Each edit is made by LibreOffice itself through Python-UNO (tests/uno_driver.py), saved as
xlsx, and read back; the expected data is stated exactly. Sheet 信访工作经费 of the seed
workbook has the title on row 1, the header fields on rows 2-8 (the amounts on rows 5-7), the
indicator header on row 9 and 18 indicators on rows 10-27 (产出指标 B10:B17, 数量指标 C10:C13,
成本指标 B18:C18, 社会效益指标 C20:C22).
"""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

import pytest

import sheetsync
from tests.lo import edit_in_libreoffice, needs_uno

SHEET = "信访工作经费"

pytestmark = [pytest.mark.libreoffice, needs_uno]

EDITS = {
    "values": [["string", SHEET, "E10", "120件"], ["string", SHEET, "D11", "信访案件立案数"]],
    "percent": [["number", SHEET, "E14", 0.9, "0%"], ["number", SHEET, "E15", 0.505, "0.0%"]],
    "insert_in_group": [
        ["insert_rows", SHEET, 11, 1],
        ["string", SHEET, "D11", "新增指标"],
        ["string", SHEET, "E11", "5件"],
    ],
    "append_to_group": [
        ["insert_rows", SHEET, 14, 1],
        ["string", SHEET, "D14", "追加指标"],
        ["string", SHEET, "E14", "3件"],
    ],
    "append_to_table": [["string", SHEET, "D28", "回访满意度"], ["string", SHEET, "E28", "≥90%"]],
    "delete": [["delete_rows", SHEET, 11, 1]],
    "unmerge": [
        ["unmerge_fill", SHEET, "B10:B17"],
        ["unmerge_fill", SHEET, "C20:C22"],
        ["unmerge_fill", SHEET, "B18:C18"],
    ],
    "padded": [
        ["string", SHEET, "E10", "  115件 "],
        ["string", SHEET, "E12", "\n113件\n"],
        ["string", SHEET, "E14", "１００％"],
        ["string", SHEET, "D15", " 信访案件结案完成率\u3000"],
        ["string", SHEET, "E13", "１９３人"],
    ],
    "header": [
        ["string", SHEET, "B2", "信访工作经费（调整）"],
        ["number", SHEET, "E5", 3.5],
        ["string", SHEET, "E3", "永宁县信访局"],
    ],
    "sheets": [
        ["rename", SHEET, "Sheet1"],
        ["move", "禁毒管理", 0],
        ["add_sheet", "说明", 2, "A1", "填报说明：请于三月底前报送。"],
    ],
    "open_save": [],
    "percent_same": [["number", SHEET, "E14", 1, "0%"], ["number", SHEET, "E15", 0.5, "0.0%"]],
}


@pytest.fixture(scope="module")
def edited(tmp_path_factory, seed_xlsx) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("edits")
    src = folder / "seed.xlsx"
    shutil.copy(seed_xlsx, src)
    jobs = [{"in": str(src), "out": str(folder / f"{name}.xlsx"), "ops": ops} for name, ops in EDITS.items()]
    edit_in_libreoffice(jobs, folder)
    return {name: folder / f"{name}.xlsx" for name in EDITS}


def _read(path):
    result = sheetsync.read_file(path)
    return [f.to_dict() for f in result.forms], result.guesses


def _with_first(truth, change):
    expected = copy.deepcopy(truth)
    change(expected[0])
    return expected


def test_plain_open_and_save_changes_nothing(edited, truth):
    forms, guesses = _read(edited["open_save"])
    assert forms == truth
    assert guesses == []


def test_changed_values(edited, truth):
    def change(f):
        f["绩效指标"][0]["指标值"] = "120件"
        f["绩效指标"][1]["三级指标"] = "信访案件立案数"

    assert _read(edited["values"])[0] == _with_first(truth, change)


def test_percent_typed_as_a_number_reads_as_shown(edited, truth):
    def change(f):
        f["绩效指标"][4]["指标值"] = "90%"
        f["绩效指标"][5]["指标值"] = "50.5%"

    forms, guesses = _read(edited["percent"])
    assert forms == _with_first(truth, change)
    assert {(g.sheet, g.cell) for g in guesses} == {(SHEET, "E14"), (SHEET, "E15")}
    assert all("read as the text it shows" in g.message for g in guesses)


def test_row_inserted_inside_a_merged_group_joins_it(edited, truth):
    def change(f):
        f["绩效指标"].insert(
            1, {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "新增指标", "指标值": "5件"}
        )

    assert _read(edited["insert_in_group"])[0] == _with_first(truth, change)


def test_row_added_after_the_last_row_of_a_group_inherits_it(edited, truth):
    def change(f):
        f["绩效指标"].insert(
            4, {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "追加指标", "指标值": "3件"}
        )

    forms, guesses = _read(edited["append_to_group"])
    assert forms == _with_first(truth, change)
    assert [(g.cell, g.message) for g in guesses] == [("C14", "blank 二级 cell inherits the group above")]


def test_row_added_below_the_table_inherits_the_last_group(edited, truth):
    def change(f):
        f["绩效指标"].append(
            {"一级指标": "满意度指标", "二级指标": "服务对象满意度指标", "三级指标": "回访满意度", "指标值": "≥90%"}
        )

    forms, guesses = _read(edited["append_to_table"])
    assert forms == _with_first(truth, change)
    assert {g.cell for g in guesses} == {"B28", "C28"}


def test_row_deleted(edited, truth):
    assert _read(edited["delete"])[0] == _with_first(truth, lambda f: f["绩效指标"].pop(1))


def test_unmerged_groups_filled_with_their_labels_mean_the_same(edited, truth):
    assert _read(edited["unmerge"])[0] == truth


def test_padding_line_breaks_and_full_width_are_normalized(edited, truth):
    forms, guesses = _read(edited["padded"])
    assert forms == truth
    assert sorted(g.cell for g in guesses) == ["D15", "E10", "E12", "E13", "E14"]
    assert all("normalized to" in g.message for g in guesses)


def test_header_values_changed(edited, truth):
    def change(f):
        f["项目名称"] = "信访工作经费（调整）"
        f["项目资金"]["年度资金总额"]["含本级"] = 3.5
        f["实施单位"] = "永宁县信访局"

    assert _read(edited["header"])[0] == _with_first(truth, change)


def test_renamed_reordered_and_unrelated_sheets(edited, truth):
    forms, guesses = _read(edited["sheets"])
    order = [truth[5], *truth[:5], *truth[6:]]
    assert forms == order
    # a sheet named 说明 is skipped by its name, with a note naming it
    assert [(g.sheet, g.code.value) for g in guesses] == [("说明", "skipped_sheet")]


def test_gnumeric_round_trip(tmp_path, seed_xlsx, truth):
    ssconvert = shutil.which("ssconvert")
    if ssconvert is None:
        pytest.skip("gnumeric's ssconvert is not installed (apt-get install gnumeric)")
    out = tmp_path / "gnumeric.xlsx"
    proc = subprocess.run(
        [ssconvert, "--export-type=Gnumeric_Excel:xlsx2", str(seed_xlsx), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr
    forms, _ = _read(out)
    assert forms == truth


# ---------------------------------------------------------------- diff after real edits


def _changes(seed_xlsx, path):
    return [c.to_json() for c in sheetsync.diff(seed_xlsx, path)]


@pytest.mark.parametrize("edit", ["open_save", "unmerge", "padded", "percent_same"])
def test_diff_reports_nothing_for_edits_that_change_no_value(edited, seed_xlsx, edit):
    assert _changes(seed_xlsx, edited[edit]) == []


def test_diff_after_a_row_inserted_in_a_group(edited, seed_xlsx):
    assert _changes(seed_xlsx, edited["insert_in_group"]) == [
        {"kind": "added", "form": SHEET, "path": ["产出指标", "数量指标", "新增指标"], "old": None, "new": "5件"}
    ]


def test_diff_after_percents_typed_as_numbers(edited, seed_xlsx):
    assert _changes(seed_xlsx, edited["percent"]) == [
        {
            "kind": "changed",
            "form": SHEET,
            "path": ["产出指标", "质量指标", "信访事项处理完成率"],
            "old": "100%",
            "new": "90%",
            "delta": -10,
            "direction": "decreased",
        },
        {
            "kind": "changed",
            "form": SHEET,
            "path": ["产出指标", "质量指标", "信访案件结案完成率"],
            "old": "50%",
            "new": "50.5%",
            "delta": 0.5,
            "direction": "increased",
        },
    ]


def test_diff_after_rows_deleted_and_sheets_moved(edited, seed_xlsx):
    assert _changes(seed_xlsx, edited["delete"]) == [
        {
            "kind": "removed",
            "form": SHEET,
            "path": ["产出指标", "数量指标", "信访案件立案数量"],
            "old": "48起",
            "new": None,
        }
    ]
    assert _changes(seed_xlsx, edited["sheets"]) == []
