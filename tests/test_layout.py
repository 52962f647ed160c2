"""The Layout is where render puts every value and where the exact read finds it: checked
against the rendered workbook as openpyxl reads it, not against the Layout itself."""

from __future__ import annotations

import json

import openpyxl
import pytest
from xlsxwriter.utility import xl_rowcol_to_cell

import sheetsync
from sheetsync.catalog import example_forms_path, get_spec
from sheetsync.layout import Layout, dotted, layout_for, value_cell
from sheetsync.model import Form

from .conftest import DATA


def _forms() -> list[Form]:
    forms = [
        Form.from_dict(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(example_forms_path().glob("*.json"))
    ]
    spec = get_spec("自评表")
    forms.append(Form.from_dict(json.loads((DATA / "self_evaluation.json").read_text(encoding="utf-8")), spec=spec))
    return forms


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = []
    for i, form in enumerate(_forms()):
        path = tmp_path_factory.mktemp("layout") / f"{i}.xlsx"
        sheetsync.render([form], path, template=form.template)
        out.append((form, openpyxl.load_workbook(path).worksheets[0]))
    return out


def _value(data, path):
    for part in path:
        data = data[part]
    return data


def test_every_value_is_in_the_cell_the_layout_names(rendered):
    checked = 0
    for form, ws in rendered:
        spec = get_spec(form.template)
        layout = Layout.of(spec, form.indicators)
        for path, cell in layout.values.items():
            got = ws.cell(cell.row + 1, cell.span.first + 1).value
            want = _value(form.data, path)
            if cell.formula:
                assert isinstance(got, str) and got.startswith("="), (path, got)
            elif want in ("", None):
                assert got in ("", None), (path, got)
            else:
                assert got == want, (form.name, dotted(path), got, want)
            checked += 1
    assert checked > 500


def test_merged_areas_are_the_layouts_spans(rendered):
    for form, ws in rendered:
        layout = Layout.of(get_spec(form.template), form.indicators)
        merged = {str(r) for r in ws.merged_cells.ranges}
        for cell in layout.writes:
            last_row = cell.last_row if cell.last_row is not None else cell.row
            if cell.span.width > 1 or last_row > cell.row:
                ref = f"{xl_rowcol_to_cell(cell.row, cell.span.first)}:{xl_rowcol_to_cell(last_row, cell.span.last)}"
                assert ref in merged, (form.name, ref)


def test_labels_are_the_specs_texts(rendered):
    for form, ws in rendered:
        layout = Layout.of(get_spec(form.template), form.indicators)
        assert layout.labels
        for cell in layout.labels:
            assert ws.cell(cell.row + 1, cell.span.first + 1).value == cell.text


def test_the_exact_read_cites_the_layouts_cells(tmp_path):
    forms = _forms()[:3]
    path = tmp_path / "f.xlsx"
    sheetsync.render(forms, path)
    for form in sheetsync.read(path):
        layout = Layout.of(get_spec(form.template), form.indicators)  # a merged level: its group's cell
        assert form.origin.cells
        for key, where in form.origin.cells.items():
            cells = [c for p, c in layout.values.items() if dotted(p) == key]
            assert cells and xl_rowcol_to_cell(*cells[0].at) == where, key


def test_value_cell_finds_fields_amounts_and_indicator_columns():
    spec = get_spec()
    layout = layout_for(spec, 4)
    assert value_cell(spec, 4, [spec.identity]) == layout.cell((spec.identity,))
    amounts = spec.amounts[0]
    path = [amounts.key, amounts.row_labels[1][0], amounts.columns[0][0]]
    assert value_cell(spec, 4, path) == layout.cell(tuple(path))
    ind = spec.indicators
    row, col = value_cell(spec, 4, [ind.target.key], 2)
    assert (row, col) == (layout.header + 3, ind.target.label.at.first)
    assert value_cell(spec, 4, ["no such key"]) is None
    assert value_cell(spec, 4, [ind.target.key], 9) is None  # past the last row


def test_blocks_below_the_indicators_move_with_their_number():
    spec = get_spec("自评表")
    total = spec.totals[0]
    rows = [layout_for(spec, n).cell((total.key, total.cells[0].key))[0] for n in (0, 1, 5)]
    assert rows[1] - rows[0] == 1 and rows[2] - rows[0] == 5
