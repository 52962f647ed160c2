"""Property: generated forms laid out in each variant of issue 12 read back to the same data,
and no cell is dropped silently: every cell holding a value of the form ends in the data (its
cell recorded in ``form.origin``) or in a warning naming it, and no cell is left unread. The
one-sheet variants lay out one generated form; the workbook variants (stacked forms, a hidden
backup, a sheet of notes or a 汇总表 first) several, and every sheet read as a form is checked."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import sheetsync
from sheetsync.reading.grid import cell_name
from sheetsync.values import label_key
from tests.variants import MULTI_SHEET, ONE_SHEET, build, target_forms, write_xlsx

VARIANTS = sorted(n for n, (_, _, templates) in ONE_SHEET.items() if "绩效目标表" in templates)


def _values(data) -> set[str]:
    """Every text and number of a form's data (and its 附加), as label keys."""
    if isinstance(data, dict):
        return set().union(*(_values(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(_values(v) for v in data)) if data else set()
    if data is None or data == "":
        return set()
    return {label_key(str(data))}


@pytest.mark.parametrize("name", VARIANTS)
@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(form=target_forms())
def test_variants_read_back_and_every_cell_is_accounted_for(name, form):
    # openpyxl, which writes the variants, stores a text starting with '=' as a formula
    assume(not any(r["指标值"].startswith("=") for r in form["绩效指标"]))
    variant = build(name, [form])
    with tempfile.TemporaryDirectory() as folder:
        result = sheetsync.read_file(write_xlsx(variant, Path(folder) / "x.xlsx"))
    assert _contract(result) == variant.expected
    assert not [g for g in result.guesses if g.code.value == "not_read"]
    if "header_fields" in variant.expected_extras[0]:  # label/value pairs the template has no key for
        assert result.forms[0].to_dict()["附加"]["字段"] == variant.expected_extras[0]["header_fields"]
    named = set(result.forms[0].origin.cells.values()) | {g.cell for g in result.guesses}
    values = _values(variant.expected[0]) | _values(variant.expected_extras[0])
    assert _dropped(variant.sheets[0].layout, named, values) == [], name


def _contract(result) -> list[dict]:
    """The forms read, without their 附加 (where a reader keeps extras is its own design)."""
    out = [f.to_dict() for f in result.forms]
    for form in out:
        form.pop("附加", None)
        for row in form["绩效指标"]:
            row.pop("附加", None)
    return out


def _dropped(layout, named: set[str], values: set[str]) -> list[str]:
    """Cells of ``layout`` holding a value of the form that are in no data path and no warning."""
    out = []
    for r, row in enumerate(layout.rows):
        for c, cell in enumerate(row):
            if cell in (None, "") or cell_name(r, c) in named:
                continue
            text = label_key(layout.text(r, c))
            if text in values and text not in _LABELS:
                out.append(f"{cell_name(r, c)} {cell!r}")
    return out


_LABELS = {label_key(t) for t in ("绩效目标", "项目资金", "资金来源", "含本级", "含本级和市县", "无", "定量", "定性")}


SHEETS = sorted(MULTI_SHEET)


def _no_formula(form: dict) -> dict:
    """``form`` with no 指标值 starting with '=' (openpyxl would store it as a formula)."""
    rows = [{**r, "指标值": r["指标值"].lstrip("=")} for r in form["绩效指标"]]
    return {**form, "绩效指标": rows}


@pytest.mark.parametrize("name", SHEETS)
@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(forms=st.lists(target_forms().map(_no_formula), min_size=2, max_size=3))
def test_workbook_variants_read_back_and_every_cell_of_a_form_sheet_is_accounted_for(name, forms):
    """Several forms on one sheet, a hidden backup copy, a sheet of notes or a 汇总表 first."""
    variant = build(name, forms)
    with tempfile.TemporaryDirectory() as folder:
        result = sheetsync.read_file(write_xlsx(variant, Path(folder) / "x.xlsx"))
    assert _contract(result) == variant.expected
    assert not [g for g in result.guesses if g.code.value == "not_read"]
    skipped = set().union(*(x.get("skipped_sheets", []) for x in variant.expected_extras))
    assert {g.sheet for g in result.guesses if g.code.value == "skipped_sheet"} == skipped
    values = set().union(*(_values(f) for f in variant.expected), *(_values(x) for x in variant.expected_extras))
    for sheet in (s for s in variant.sheets if s.name not in skipped):
        named = {c for f in result.forms if f.origin.sheet == sheet.name for c in f.origin.cells.values()}
        named |= {g.cell for g in result.guesses if g.sheet == sheet.name}
        assert _dropped(sheet.layout, named, values) == [], f"{name}: {sheet.name}"
