"""Colleagues' edits in any order, made in a real LibreOffice, against a model of the sheet.

Hypothesis draws a sequence of 1-6 edits on rendered workbooks (both templates). Each edit
changes a model of what the sheet shows a person (tests/sheet_model.py, where the rules for
ambiguous sheets are written down) and yields the UNO ops that make it in LibreOffice. The
whole sequence runs as one job in the LibreOffice kept up for the session, saved as .xlsx;
then ``read`` must give the model's data, and ``diff(original, edited)`` the diff of the
original data and the model's.

CI runs ``STATEFUL_EXAMPLES`` sequences, derandomized (the same ones every run). A longer
local run: ``SHEETSYNC_SOAK=500 python3 -m pytest tests/test_stateful.py`` (random seeds).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

import sheetsync
from sheetsync.catalog import get_spec
from sheetsync.check import check_forms
from sheetsync.diffing import diff_forms
from sheetsync.model import Form
from sheetsync.reading.xlsx import XlsxPackage
from tests.lo import needs_uno
from tests.sheet_model import FULL, BookModel, SheetModel

pytestmark = [pytest.mark.libreoffice, needs_uno]

STATEFUL_EXAMPLES = int(os.environ.get("STATEFUL_EXAMPLES", "50"))
SOAK = int(os.environ.get("SHEETSYNC_SOAK", "0"))
SELF = Path(__file__).parent / "data" / "self_evaluation.json"
VALUES = ["120件", "≥95%", "无", "48起", "≤10%", "100%", "≥1次"]
PERCENTS = [0.9, 0.95, 0.123, 1, 0.9826]


@dataclass(repr=False)
class Base:
    """A rendered workbook, its forms, and what is needed to build a fresh model of it."""

    path: Path
    template: str
    forms: list[Form]
    sheets: list[tuple[str, dict, dict[str, str], object]]

    def __repr__(self) -> str:
        return f"Base({self.template})"

    def model(self) -> BookModel:
        spec = get_spec(self.template)
        return BookModel([SheetModel(name, data, spec, cells, grid) for name, data, cells, grid in self.sheets])


def _base(folder: Path, template: str, forms: list) -> Base:
    path = folder / f"{template}.xlsx"
    sheetsync.render(forms, path, template=template)
    result = sheetsync.read_file(path)
    assert result.guesses == []
    with XlsxPackage(path, None) as pkg:
        grids = list(pkg.grids())
    sheets = [(g.name, f.to_dict(), dict(f.origin.cells), g) for f, g in zip(result.forms, grids, strict=True)]
    return Base(path, template, result.forms, sheets)


class Bases(dict):
    def __repr__(self) -> str:
        return "bases"


@pytest.fixture(scope="session")
def bases(tmp_path_factory) -> dict[str, Base]:
    folder = tmp_path_factory.mktemp("stateful")
    self_form = json.loads(SELF.read_text(encoding="utf-8"))
    return Bases(
        {
            "绩效目标表": _base(folder, "绩效目标表", sheetsync.example_forms()[:3]),
            "自评表": _base(folder, "自评表", [self_form]),
        }
    )


def _rows(form: dict) -> list[str]:
    return [" | ".join(str(v) for v in row.values()) for row in form.get("绩效指标", [])]


def assert_same_forms(got: list[dict], expected: list[dict]) -> None:
    """Equal data, or an error that shows the first form that differs row by row."""
    if got == expected:
        return
    lines = [f"read {len(got)} forms, model {len(expected)}: {[f['项目名称'] for f in got]}"]
    for g, e in zip(got, expected, strict=False):
        if g != e:
            lines += [f"form {e['项目名称']}:"] + [
                f"  {k}: {g[k]!r} != {e[k]!r}" for k in e if k != "绩效指标" and g.get(k) != e[k]
            ]
            lines += ["  read:"] + [f"    {r}" for r in _rows(g)] + ["  model:"] + [f"    {r}" for r in _rows(e)]
            break
    raise AssertionError("\n".join(lines))


# ---------------------------------------------------------------- drawing edits


def _row(draw, m: SheetModel) -> int:
    return draw(st.integers(0, len(m.rows) - 1))


def _insert(draw, book: BookModel, m: SheetModel) -> list:
    groups = m.groups()
    levels = m.levels()
    where = draw(st.sampled_from(["inside", "first", "after", "end"]))
    g = draw(st.sampled_from(groups))
    if where == "inside" and g[1] > g[0]:
        i, own = draw(st.integers(g[0] + 1, g[1])), levels[g[0]]
    elif where == "first":
        i, own = g[0], levels[g[0]]
    elif where == "after":
        i, own = g[1] + 1, levels[g[1]]
    else:
        i, own = len(m.rows), levels[-1]
    fill = draw(st.sampled_from([None, own, own, draw(st.sampled_from(levels))]))
    if i == 0 and fill is None:
        fill = own  # a row above every group with no level at all is not an edit anyone makes
    n = book.fresh("")
    return m.insert(i, f"新增指标{n}", f"{n}件", fill)


def _delete(draw, book, m: SheetModel) -> list:
    if len(m.rows) <= 2:
        return []
    firsts = sorted({g[0] for g in m.groups()} | {mg[2] for mg in m.merges})
    i = draw(st.one_of(st.sampled_from(firsts), st.integers(0, len(m.rows) - 1)))
    return m.delete(min(i, len(m.rows) - 1))


def _unmerge(draw, book, m: SheetModel) -> list:
    merges = [mg for mg in m.merges if mg[3] > mg[2] or mg[1] > mg[0]]
    if not merges:
        return []
    return m.unmerge(draw(st.sampled_from(merges)), draw(st.booleans()))


def _merge(draw, book, m: SheetModel) -> list:
    spots = [
        (col, i)
        for col in m.lc
        for i in range(len(m.rows) - 1)
        if all(m.merge_at(c, r) is None for c in (col, m.lc[1]) for r in (i, i + 1))
    ]
    if not spots:
        return []
    col, i = draw(st.sampled_from(spots))
    return m.merge(col, i, i + 1)


def _move(draw, book, m: SheetModel, cut: bool) -> list:
    i = _row(draw, m)
    levels = m.levels()
    others = [g for g in m.groups() if levels[g[0]] != levels[i]]
    if not others:
        return []
    g = draw(st.sampled_from(others))
    j = g[0] + 1 if g[1] > g[0] else g[1] + 1
    return m.move_row(i, j, levels[g[0]], cut)


def _value(draw, book, m: SheetModel) -> list:
    key = draw(st.sampled_from(sorted(m.target_keys)))
    kind = draw(st.sampled_from(["text", "percent", "pad"]))
    i = _row(draw, m)
    if kind == "text":
        return m.set_cell(key, i, draw(st.sampled_from(VALUES)))
    if kind == "percent":
        return m.set_cell(key, i, (draw(st.sampled_from(PERCENTS)), draw(st.sampled_from(["0%", "0.00%"]))))
    if draw(st.booleans()):
        key = m.spec.indicators.name.key
        return m.set_cell(key, i, f" {m.text(m.rows[i][key])}\u3000")
    return m.set_cell(key, i, f"  {m.text(m.rows[i][key], True).translate(FULL)}\n")


def _level(draw, book, m: SheetModel) -> list:
    """Type a level name into a level cell that no merge covers."""
    spots = [
        (k, i)
        for k, col in zip((m.one, m.two), m.lc, strict=True)
        for i in range(len(m.rows))
        if m.merge_at(col, i) is None
    ]
    if not spots:
        return []
    key, i = draw(st.sampled_from(spots))
    names = sorted({lv[0 if key == m.one else 1] for lv in m.levels()} - {""})
    return m.set_cell(key, i, draw(st.sampled_from(names)))


def _score(draw, book, m: SheetModel) -> list:
    if not m.number_keys:
        return []
    key, i, n = draw(st.sampled_from(sorted(m.number_keys))), _row(draw, m), draw(st.integers(0, 30))
    return m.set_cell(key, i, str(n) if draw(st.booleans()) else (n, "General"))


def _header(draw, book, m: SheetModel) -> list:
    key = draw(st.sampled_from(["主管部门", "实施单位", m.spec.identity]))
    text = book.fresh("永宁县信访局")
    m.data[key] = text
    return [["string", m.sheet, m.cells[key], f" {text} " if draw(st.booleans()) else text]]


def _amount(draw, book, m: SheetModel) -> list:
    if m.spec.totals:
        return []  # the 自评表's amounts feed formulas; its scores are typed by _score
    row = draw(st.sampled_from(sorted(m.data["项目资金"])))
    col = draw(st.sampled_from(sorted(m.data["项目资金"][row])))
    n = draw(st.integers(1, 99))
    m.data["项目资金"][row][col] = n
    cell = m.cells[f"项目资金.{row}.{col}"]
    if draw(st.booleans()):
        return [["string", m.sheet, cell, f"{n}万元"]]
    return [["number", m.sheet, cell, n, "General"]]


def _sheets(draw, book: BookModel) -> list:
    n = len(book.sheets)
    kind = draw(st.sampled_from(["rename", "move", "add", "copy"]))
    if kind == "rename":
        return book.rename(draw(st.integers(0, n - 1)))
    if kind == "move":
        return book.move(draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1)))
    if kind == "add":
        return book.add(draw(st.integers(0, n)))
    forms = [i for i, s in enumerate(book.sheets) if isinstance(s, SheetModel)]
    return book.copy(draw(st.sampled_from(forms)), draw(st.integers(0, n)), book.forms()[0].spec.identity)


FORM_EDITS = {
    "value": _value,
    "insert": _insert,
    "delete": _delete,
    "unmerge": _unmerge,
    "merge": _merge,
    "cut": lambda d, b, m: _move(d, b, m, True),
    "copy": lambda d, b, m: _move(d, b, m, False),
    "level": _level,
    "header": _header,
    "amount": _amount,
    "score": _score,
}


def draw_edits(draw, book: BookModel, sheets: bool) -> list:
    ops: list = []
    for _ in range(draw(st.integers(1, 6))):
        kinds = [*FORM_EDITS, "sheets"] if sheets else list(FORM_EDITS)
        kind = draw(st.sampled_from(kinds))
        if kind == "sheets":
            step = _sheets(draw, book)
        else:
            step = FORM_EDITS[kind](draw, book, draw(st.sampled_from(book.forms())))
        if step:
            event(f"edit: {step[-1][0] if kind == 'sheets' else kind}")
        ops += step
    return ops


# ---------------------------------------------------------------- the property


def run_sequence(libreoffice, base: Base, book: BookModel, ops: list, out: Path) -> None:
    """Apply ``ops`` in LibreOffice, then compare the read and the diff with the model."""
    note(f"ops = {json.dumps(ops, ensure_ascii=False)}")
    libreoffice.edit([{"in": str(base.path), "out": str(out), "ops": ops}])
    spec = get_spec(base.template)
    expected = [m.expected() for m in book.forms()]
    result = sheetsync.read_file(out)
    assert_same_forms([f.to_dict() for f in result.forms], expected)
    warned = {(g.sheet, int(g.cell.lstrip("ABCDEFGHIJ"))) for g in result.guesses if g.cell}
    for m in book.forms():
        m.levels()
        silent = sorted(r for r in m.inherited if (m.sheet, r) not in warned)
        assert not silent, f"{m.sheet}: rows that take a blank level cell from the row above, unsaid: {silent}"
    text_numbers = {
        (m.sheet, m.at(k, i))
        for m in book.forms()
        for i, row in enumerate(m.rows)
        for k in m.number_keys
        if isinstance(row[k], str)
    }
    flagged = {(f.sheet, f.cell) for f in check_forms(result.forms) if f.rule == "number_as_text"}
    assert flagged == text_numbers  # a score typed as text is named in its cell (SUM leaves it out)
    model = [Form.from_dict(e, spec=spec) for e in expected]
    assert sheetsync.diff(base.path, out).to_json() == diff_forms(base.forms, model).to_json()


counter = iter(range(10**9))


@settings(
    max_examples=SOAK or STATEFUL_EXAMPLES,
    derandomize=not SOAK,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data(), template=st.sampled_from(["绩效目标表", "自评表"]))
def test_edit_sequences_read_as_the_model_says(libreoffice, bases, tmp_path_factory, data, template):
    base = bases[template]
    book = base.model()
    ops = draw_edits(data.draw, book, sheets=template == "绩效目标表")
    out = base.path.parent / f"edited-{next(counter)}.xlsx"
    run_sequence(libreoffice, base, book, ops, out)
