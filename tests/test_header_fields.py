"""附加.字段: label/value pairs of a foreign form's header that the template has no key for are
kept by their label, each with a ``kept`` warning naming its label's cell; what cannot be
paired for certain stays a ``not_read`` warning; a rendered workbook keeps none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import sheetsync
from sheetsync.model import form_of
from sheetsync.reading.grid import cell_name
from tests.foreign import Opts, form_layout
from tests.variants import Sheet, Variant, bundled_forms, expected, template_of, write_text, write_xlsx

REAL = Path(__file__).parent / "data" / "real"
PAIRS = ((("项目负责人", "张三"), ("联系电话", "0871-1234567")), (("项目分类", "其他项目"),))


def _layout(form: dict, fields=PAIRS):
    return form_layout(form, template_of(form), Opts(fields=fields))[0]


def _row_of(layout, text: str) -> int:
    return next(r for r, row in enumerate(layout.rows) if text in row)


def _read(layout, form: dict, tmp_path: Path, text: bool):
    """(the form's data, the guesses, every cell named: by a data path or a warning)."""
    variant = Variant("x", (), [Sheet("Sheet1", layout)], [expected(form)])
    path = (write_text if text else write_xlsx)(variant, tmp_path / ("x.txt" if text else "x.xlsx"))
    result = sheetsync.read_file(path)
    (form_read,) = result.forms
    named = set(form_read.origin.cells.values()) | {g.cell for g in result.guesses}
    return form_read.to_dict(), result.guesses, named


def _where(layout, r: int, c: int, text: bool) -> str:
    return f"line {r + 1} column {c + 1}" if text else cell_name(r, c)


FORMS = [f for f in bundled_forms() if template_of(f) == "绩效目标表"][:1] + [
    f for f in bundled_forms() if template_of(f) == "自评表"
][:1]


@pytest.mark.parametrize("text", [False, True], ids=["xlsx", "txt"])
@pytest.mark.parametrize("form", FORMS, ids=template_of)
def test_pairs_side_by_side_and_alone_on_a_row_are_kept_by_their_labels(tmp_path, form, text):
    layout = _layout(form)
    data, guesses, _ = _read(layout, form, tmp_path, text)
    kept = data.pop("附加")["字段"]
    assert kept == {"项目负责人": "张三", "联系电话": "0871-1234567", "项目分类": "其他项目"}
    assert data == expected(form)  # the contract's own keys are untouched
    first, second = _row_of(layout, "项目负责人"), _row_of(layout, "项目分类")
    right = layout.rows[first].index("联系电话")
    labels = [(first, 0), (first, right), (second, 0)]
    said = {g.cell: g.message for g in guesses if g.code.value == "kept" and "附加.字段" in g.message}
    assert set(said) == {_where(layout, r, c, text) for r, c in labels}
    assert "'联系电话'" in said[_where(layout, first, right, text)]
    assert not [g for g in guesses if g.code.value == "not_read"]


def test_the_value_cells_are_named_as_where_the_fields_came_from(tmp_path):
    form = FORMS[0]
    layout = _layout(form)
    variant = Variant("x", (), [Sheet("Sheet1", layout)], [expected(form)])
    result = sheetsync.read_file(write_xlsx(variant, tmp_path / "x.xlsx"))
    cells = result.forms[0].origin.cells
    first = _row_of(layout, "项目负责人")
    assert cells["附加.字段.项目负责人"] == cell_name(first, 1)
    assert cells["附加.字段.联系电话"] == cell_name(first, layout.rows[first].index("0871-1234567"))


@pytest.mark.parametrize(
    "cells, paired",
    [
        (["项目负责人："], {}),  # a label with nothing beside it
        (["项目负责人", "", "", "实施进度"], {"项目负责人": "实施进度"}),  # the next cell, however far
        (["甲方单位", "某公司", "联系人"], {}),  # three texts: which two pair is not certain
        (["项目负责人：", "联系电话：0871-1234567"], {"联系电话": "0871-1234567"}),  # a label is no value
        (["预算单位：永宁县公安局"], {"预算单位": "永宁县公安局"}),  # label and value in one cell
        (["填报单位：（盖章）", "备案号", "2024-17"], {"备案号": "2024-17"}),  # a seal line is no pair
        (["其中：上级补助", "16"], {}),  # the start of a template label (其中：财政拨款)
        (["项目负责人", "分值"], {}),  # a word of the vocabulary is no value
    ],
)
@pytest.mark.parametrize("text", [False, True], ids=["xlsx", "txt"])
def test_what_cannot_be_paired_for_certain_stays_a_warning(tmp_path, cells, paired, text):
    form = FORMS[0]
    layout = _layout(form, fields=((("占位", "x"),),))
    r = _row_of(layout, "占位")
    layout.rows[r] = list(cells)
    data, _, named = _read(layout, form, tmp_path, text)
    assert data.get("附加", {}).get("字段", {}) == paired
    for c, cell in enumerate(cells):
        if cell and cell != "分值":  # each cell kept (its label in a warning) or not read; 分值 is a known word
            assert _where(layout, r, c, text) in named, cell


def _foreign(form: dict):
    """The plain layout with a row more, so that it is no rendered layout (read by meaning)."""
    return _layout(form, fields=((("备案号", "2024-17"),),))


def test_a_cell_the_reader_used_is_never_taken(tmp_path):
    """项目名称's value beside its label, then an unknown pair on the same row."""
    form = FORMS[0]
    layout = _foreign(form)
    r = _row_of(layout, "项目名称")
    layout.rows[r] = ["项目名称", form["项目名称"], "", "项目负责人", "张三"]
    data, _, _ = _read(layout, form, tmp_path, False)
    assert data["项目名称"] == form["项目名称"]
    assert data["附加"]["字段"] == {"项目负责人": "张三", "备案号": "2024-17"}


def test_a_value_of_a_field_whose_label_the_reader_missed_is_never_moved(tmp_path):
    """'项目名称及编码' may be the 项目名称 under a spelling the template does not know: its value
    stays in a warning, never in 附加.字段, and the field is said to be missing."""
    form = FORMS[0]
    layout = _foreign(form)
    r = _row_of(layout, "项目名称")
    layout.rows[r][0] = "项目名称及编码"
    data, guesses, _ = _read(layout, form, tmp_path, False)
    assert data["项目名称"] == "" and data["附加"]["字段"] == {"备案号": "2024-17"}
    assert cell_name(r, 1) in {g.cell for g in guesses if g.code.value == "not_read"}
    assert any(g.code.value == "missing_field" for g in guesses)


def test_a_rendered_workbook_reads_back_exactly_without_fields(tmp_path):
    """render lays out the template only; the exact read of its workbook keeps no 附加.字段."""
    data = {**expected(FORMS[0]), "附加": {"字段": {"项目负责人": "张三"}}}
    sheetsync.render([form_of(data)], tmp_path / "r.xlsx")
    result = sheetsync.read_file(tmp_path / "r.xlsx")
    assert result.forms[0].to_dict() == expected(FORMS[0])
    assert not [g for g in result.guesses if g.code.value in ("kept", "not_read")]


@pytest.mark.parametrize(
    "dump, elsewhere",
    [
        # 奉节's 审批表: 项目总预算 is read as an amount
        ("22_fengjie_yunwu_jiagongyuan_2023", {"项目总预算"}),
        # 湘潭's 申报表: 实施期绩效目标 is a goal for longer than the year (附加.长期目标)
        ("21_xiangtan_huanwei_wupaoche_2023", {"实施期绩效目标"}),
    ],
)
def test_real_forms_keep_the_header_fields_their_human_reading_lists(dump, elsewhere):
    """The header cells the human reading of a real form lists as having no key (``unmapped``)
    are in 附加.字段 with the text the page shows."""
    path = REAL / f"{dump}.txt"
    notes = json.loads(path.with_suffix(".notes.json").read_text(encoding="utf-8"))
    kept = sheetsync.read_file(path).forms[0].to_dict()["附加"]["字段"]
    unmapped = {k: v for k, v in notes["unmapped"].items() if k not in elsewhere}
    assert unmapped and {k: kept.get(k) for k in unmapped} == unmapped


def test_a_real_form_pairs_side_by_side_and_leaves_what_pairs_with_nothing():
    """奉节's 审批表: 实施单位 | 云雾土家族乡 | 项目负责人 | 徐德迁 | 联系电话 | … on one row, and
    年度预算执行率 | 100% | 分值 | 10分, where 分值 is the vocabulary's and 10分 pairs with nothing."""
    result = sheetsync.read_file(REAL / "22_fengjie_yunwu_jiagongyuan_2023.txt")
    kept = result.forms[0].to_dict()["附加"]["字段"]
    assert kept["项目负责人"] == "徐德迁" and kept["联系电话"] == "…" and kept["年度预算执行率"] == "100%"
    assert kept["预算单位"] == "奉节县云雾土家族乡人民政府"  # label and value in one cell
    said = {g.cell: g.code.value for g in result.guesses}
    assert said["line 6 column 3"] == said["line 6 column 5"] == "kept"
    assert said["line 14 column 6"] == "not_read"
