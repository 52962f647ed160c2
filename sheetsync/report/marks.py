"""Where each change of a Diff shows in NEW's forms: the cells to mark, with their notes, and
one summary row per change. The xlsx report and the HTML report both show these.

The cells are found from the change's form and path through :func:`form_cell` (the one place
that asks the form's Layout where a value sits).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from ..layout import value_cell
from ..model import Form
from ..reading.grid import cell_name
from ..spec import Spec
from . import words

if TYPE_CHECKING:
    from ..diffing import Alignment, Change, Diff, Pairing

# the summary's column widths, in characters (as a spreadsheet counts them): one A4 page wide, landscape
SUMMARY_WIDTHS = (18, 6, 34, 7, 22, 22, 26)
_NAMED_ROW = ("renamed", "moved", "added", "reordered")  # indicator changes that also mark the 三级


def form_cell(spec: Spec, form: Form, path: Sequence[str], index: int | None = None) -> tuple[int, int] | None:
    """Where a value of ``form`` sits on its rendered sheet (row, col), 0-based; None if nowhere.

    ``path`` is a field or amount path, or with an indicator's ``index``, a column key.
    """
    return value_cell(spec, len(form.indicators), list(path), index)


class _Locator:
    """Finds the form and the indicator row of each change of a Diff in NEW's forms.

    A path names one row; where several rows share a path (a duplicate), the diff's
    alignment says which of them were added, kept or moved, and their values and the order
    of the changes tell them apart, as the diff took them."""

    def __init__(self, forms: list[Form], alignment: Alignment | None) -> None:
        self.forms = forms
        self.pairings: dict[int, Pairing] = {}
        if alignment is not None:
            self.pairings = {j: p for (_, j), p in alignment.indicators.items()}
        self.form_seen: dict[str, int] = {}
        self.row_seen: dict[tuple, int] = {}
        self.last_form: str | None = None

    def form(self, change: Change) -> int | None:
        """The index in NEW of the change's form (None for a removed form)."""
        if change.whole_form and change.kind == "removed":
            return None
        if change.form != self.last_form:  # the changes of each form come together, in NEW's order
            self.form_seen[change.form] = self.form_seen.get(change.form, -1) + 1
            self.last_form = change.form
        at = [n for n, f in enumerate(self.forms) if f.name == change.form]
        return at[min(self.form_seen[change.form], len(at) - 1)] if at else None

    def row(self, fi: int, change: Change, keys: Sequence[str], column: str) -> int | None:
        """The index of the change's indicator in form ``fi`` of NEW."""
        if change.kind == "reordered":
            return change.new
        rows = self.forms[fi].indicators
        at = [n for n, r in enumerate(rows) if [r[k] for k in keys] == change.path]
        if len(at) < 2:
            return at[0] if at else None
        pairing = self.pairings.get(fi)
        if pairing is not None:
            if change.kind == "added":
                kept = set(pairing.added)
            elif change.old_path is None:
                kept = {j for _, j in pairing.matched}
            else:
                kept = {j for _, j in pairing.moved + pairing.renamed}
            at = [n for n in at if n in kept] or at
        at = [n for n in at if rows[n][column] == change.new] or at
        seen = (fi, tuple(change.path), column, change.kind)
        self.row_seen[seen] = self.row_seen.get(seen, -1) + 1
        return at[min(self.row_seen[seen], len(at) - 1)]


def _cells(locate: _Locator, fi: int, change: Change) -> list[tuple[int, int] | None]:
    """The cells to mark for one change in form ``fi`` of NEW."""
    form = locate.forms[fi]
    spec = form.spec
    ind = spec.indicators
    if change.whole_form:
        return [form_cell(spec, form, [spec.identity])]
    if len(change.path) < 3 or change.path[0] in {b.key for b in spec.amounts}:  # a field, amount or total
        return [form_cell(spec, form, change.path)]
    column = change.column or ind.target.key
    keys = [ind.level(1).key, ind.level(2).key, ind.name.key]
    index = locate.row(fi, change, keys, column)
    if index is None:
        return []
    cells = [form_cell(spec, form, [column], index)]
    if change.kind in _NAMED_ROW:
        cells.insert(0, form_cell(spec, form, [ind.name.key], index))
    return cells


def _number_style(spec: Spec | None, change: Change) -> tuple[str, str | None]:
    """The unit (万元, for amounts that add up) and the number format of a changed number."""
    path = change.path
    if spec is None or change.whole_form:
        return "", None
    for block in spec.amounts:
        if len(path) == 3 and block.key == path[0]:
            how = block.column(path[2])
            return (block.unit if how.adds_up and not how.ratio else ""), how.number_format
    for total in spec.totals:
        if len(path) == 2 and total.key == path[0]:
            return "", next((c.number_format for c in total.cells if c.key == path[1]), None)
    column = next((c for c in spec.indicators.columns if c.key == change.column), None)
    return "", column.number.number_format if column is not None and column.number else None


class SummaryRow(NamedTuple):
    """One change as the summary lists it: the NEW form it is in (None for a removed form),
    its first marked cell (None where NEW has none), and the texts of the summary's columns."""

    form: int | None
    cell: tuple[int, int] | None
    texts: tuple[str, ...]


Marks = list[dict[tuple[int, int], str]]  # per NEW form: (row, col) -> the note on that cell


def mark_changes(d: Diff, new_forms: list[Form]) -> tuple[Marks, list[SummaryRow]]:
    """The cells each change of ``d`` marks in ``new_forms``, and the summary's rows."""
    marks: Marks = [{} for _ in new_forms]
    rows: list[SummaryRow] = []
    locate = _Locator(new_forms, d.alignment)
    for c in d.changes:
        fi, first = locate.form(c), None
        unit, fmt = _number_style(new_forms[fi].spec if fi is not None else None, c)
        if fi is not None and not (c.kind == "removed" and not c.whole_form):
            cells = _cells(locate, fi, c)
            note = words.mark_note(c, fmt)
            for cell in cells:
                if cell is not None:
                    marks[fi][cell] = note
            first = next((cell for cell in cells if cell is not None), None)
        old, new = words.old_new(c, fmt)
        where = cell_name(*first) if first else ""
        texts = (c.form, words.kind_word(c), words.place(c), where, old, new, words.explain(c, unit, fmt))
        rows.append(SummaryRow(fi, first, texts))
    return marks, rows
