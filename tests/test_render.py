"""The canonical workbook: the official form's look, text kept as text, safe writing."""

from __future__ import annotations

import copy
import os

import openpyxl
import pytest

import sheetsync
from sheetsync import Form
from sheetsync.errors import DataError, OutputError
from sheetsync.rendering import sheet_names


@pytest.fixture(scope="module")
def book(seed_xlsx):
    return openpyxl.load_workbook(seed_xlsx)


def test_one_sheet_per_form_in_input_order(book, truth):
    assert book.sheetnames == [t["项目名称"].replace("/", "_") for t in truth]


def test_merges_follow_the_official_layout(book):
    ws = book["信访工作经费"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:E1" in merged  # title
    assert "B2:E2" in merged  # 项目名称 value
    assert "A5:A7" in merged  # 项目资金 label over its three rows
    assert "C8:E8" in merged  # goal across the value columns
    assert ws["B8"].value == "年度总体绩效目标（含本级和市县）"  # the goal's label as published
    # 绩效指标 label over header + 18 indicators; 产出指标 over its 8 rows; 数量指标 over 4
    assert "A9:A27" in merged
    assert "B10:B17" in merged
    assert "C10:C13" in merged
    assert "B18:C18" in merged  # 成本指标 with no 二级 spans both label columns
    assert ws["B18"].value == "成本指标"
    assert ws["A9"].value == "绩效指标"
    assert [ws.cell(9, c).value for c in range(2, 6)] == ["一级指标", "二级指标", "三级指标", "指标值"]


def test_amounts_are_numbers_beside_their_labels_as_published(book):
    ws = book["公安辅警人员经费"]
    # each amount in its own numeric cell, beside its label and scope: 年度资金总额（含本级） | 2050.2
    assert [ws.cell(5, c).value for c in range(1, 6)] == [
        "项目资金（万元）",
        "年度资金总额（含本级和市县）",
        None,
        "年度资金总额（含本级）",
        2050.2,
    ]
    assert ws["E5"].data_type == "n" and ws["C5"].data_type == "n"
    assert [ws.cell(r, 4).value for r in (6, 7)] == ["其中：财政拨款（含本级）", "其他资金（含本级）"]


def test_short_values_are_centred_and_text_keeps_off_the_borders(book):
    ws = book["信访工作经费"]
    assert [ws[c].alignment.horizontal for c in ("B3", "E3", "B4", "E4")] == ["center"] * 4
    assert ws["B2"].alignment.horizontal == "left" and ws["B2"].alignment.indent == 1


def test_style_borders_font_wrap_and_print_setup(book):
    ws = book["信访工作经费"]
    cell = ws["D10"]
    assert cell.font.name == "宋体"
    assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"
    assert ws["C8"].alignment.wrap_text
    assert ws.row_dimensions[8].height > 40  # the goal paragraph gets room for its lines
    assert ws.page_setup.paperSize == 9  # A4
    assert (ws.page_setup.fitToWidth or 1) == 1  # absent means 1 in OOXML
    assert ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$9:$9"


def test_level_cells_offer_the_framework_as_a_warning_dropdown(book):
    ws = book["信访工作经费"]
    dvs = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert dvs["B10:B27"].errorStyle == "warning"
    assert "产出指标" in dvs["B10:B27"].formula1 and "满意度指标" in dvs["B10:B27"].formula1
    assert "可持续影响指标" in dvs["C10:C27"].formula1


def test_text_stays_text(tmp_path, truth):
    form = copy.deepcopy(truth[0])
    tricky = ["=1+1", "+8613800000000", "001", "http://example.com/x", "@SUM(A1)", "-5", "1E3"]
    for row, value in zip(form["绩效指标"], tricky, strict=False):
        row["指标值"] = value
    path = tmp_path / "t.xlsx"
    sheetsync.render([form], path)
    ws = openpyxl.load_workbook(path).active
    values = [ws.cell(10 + i, 5) for i in range(len(tricky))]
    assert [c.value for c in values] == tricky
    assert all(c.data_type == "s" for c in values)
    assert not ws._hyperlinks
    assert sheetsync.read(path)[0].to_dict() == form


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["a/b", "a:b"], ["a_b", "a_b(2)"]),
        (["x" * 40], ["x" * 31]),
        (["", "History", "'quoted'"], ["表1", "History表2", "quoted"]),
        (["Same", "same", "SAME"], ["Same", "same(2)", "SAME(3)"]),
        (["[]:*?/\\"], ["_______"]),
    ],
)
def test_sheet_names_are_legal_and_unique(names, expected):
    assert sheet_names(names) == expected


def test_sheet_names_count_utf16_units_as_excel_does():
    # U+10000 takes two UTF-16 units: 20 + 2 * 5 = 30 fits, a sixth would make 32
    assert sheet_names(["0" * 20 + "𐀀" * 6]) == ["0" * 20 + "𐀀" * 5]


def test_long_names_stay_unique_within_31_characters():
    names = sheet_names(["长" * 40, "长" * 40])
    assert names == ["长" * 31, "长" * 28 + "(2)"]


def test_same_input_gives_byte_identical_files(tmp_path, seed_forms):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    sheetsync.render(seed_forms, a)
    sheetsync.render(seed_forms, b)
    assert a.read_bytes() == b.read_bytes()


def test_template_recorded_in_document_properties(seed_xlsx):
    from sheetsync.reading.xlsx import XlsxPackage

    with XlsxPackage(seed_xlsx) as pkg:
        assert pkg.properties["sheetsync.template"] == "绩效目标表"
        assert pkg.properties["sheetsync.version"] == "2024.1"


def test_a_failed_render_leaves_the_old_file_and_no_temp_file(tmp_path, truth):
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"precious")
    bad = copy.deepcopy(truth[0])
    bad["项目名称"] = "bell\x07"
    with pytest.raises(DataError, match=r"\[0\]\.项目名称: contains the control character U\+0007"):
        sheetsync.render([bad], out)
    assert out.read_bytes() == b"precious"
    assert os.listdir(tmp_path) == ["out.xlsx"]


def test_a_write_failure_midway_leaves_the_old_file(tmp_path, seed_forms, monkeypatch):
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"precious")
    import sheetsync.rendering as render_module

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(render_module, "_write_form", boom)
    with pytest.raises(OutputError, match="No space left on device"):
        sheetsync.render(seed_forms, out)
    assert out.read_bytes() == b"precious"
    assert os.listdir(tmp_path) == ["out.xlsx"]


def test_refuses_missing_folder_and_empty_input(tmp_path, seed_forms):
    with pytest.raises(OutputError, match="does not exist; create it first"):
        sheetsync.render(seed_forms, tmp_path / "no" / "x.xlsx")
    with pytest.raises(OutputError, match="no forms to render"):
        sheetsync.render([], tmp_path / "x.xlsx")


def test_zero_indicators_render_and_read(tmp_path, truth):
    form = copy.deepcopy(truth[0])
    form["绩效指标"] = []
    path = tmp_path / "empty.xlsx"
    sheetsync.render([form], path)
    assert sheetsync.read(path) == [Form.from_dict(form)]


def test_render_takes_one_dict_or_one_form(tmp_path, truth, seed_forms):
    one = tmp_path / "one.xlsx"
    sheetsync.render(truth[0], one)  # one plain dict in the contract's shape
    assert [f.to_dict() for f in sheetsync.read(one)] == [truth[0]]
    form = tmp_path / "form.xlsx"
    sheetsync.render(seed_forms[1], form)
    assert sheetsync.read(form) == [seed_forms[1]]
