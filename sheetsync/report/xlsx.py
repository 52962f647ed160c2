"""A Diff as an xlsx report: NEW's forms with every changed cell marked (its old value in a
comment), after a summary sheet listing every change with a link to its cell.

The report finds each changed value's cell itself, from the change's form and path, through
:func:`form_cell` (the one place that asks the form's Layout where a value sits); the workbook
is written by :func:`sheetsync.rendering.render_report`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..layout import value_cell
from ..model import Form
from ..reading.grid import cell_name
from ..spec import Spec
from .describe import describe_path, describe_values, value_text

if TYPE_CHECKING:
    from ..diffing import Alignment, Change, Diff, Pairing

SUMMARY_TITLE = "变更"
SUMMARY_COLUMNS = (("表", 24), ("变更", 10), ("位置", 40), ("原值", 20), ("新值", 20), ("说明", 30))
KIND_WORDS = {
    "changed": "修改",
    "added": "新增",
    "removed": "删除",
    "renamed": "改名",
    "moved": "移动",
    "reordered": "调序",
    "retemplated": "换模板",
}
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


def diff_xlsx(d: Diff, new_forms: list[Form], path: str | Path, *, inputs=()) -> None:
    """Write the xlsx report of ``d`` (a diff whose NEW is ``new_forms``) to ``path``."""
    from ..rendering import render_report

    marks: list[dict[tuple[int, int], str]] = [{} for _ in new_forms]
    summary: list[list[Any]] = []
    locate = _Locator(new_forms, d.alignment)
    for c in d.changes:
        where = None
        fi = locate.form(c)
        if fi is not None and not (c.kind == "removed" and not c.whole_form):
            cells = _cells(locate, fi, c)
            note = _mark_note(c)
            for cell in cells:
                if cell is not None:
                    marks[fi][cell] = note
            first = next((cell for cell in cells if cell is not None), None)
            where = (fi, cell_name(*first) if first else None)
        summary.append(
            [
                *(where or (None, None)),
                c.form,
                KIND_WORDS.get(c.kind, c.kind),
                describe_path(c),
                value_text(c.old) if c.old is not None else "",
                value_text(c.new) if c.new is not None else "",
                describe_values(c) if not c.whole_form else "",
            ]
        )
    render_report(new_forms, marks, (SUMMARY_TITLE, SUMMARY_COLUMNS, summary), path, inputs=inputs)


def _mark_note(c: Change) -> str:
    if c.kind == "added":
        return "新增" if not c.whole_form else "新增的表"
    if c.kind == "renamed" and c.whole_form:
        return f"原表名: {c.old}"
    if c.kind == "retemplated":
        return f"原模板: {c.old}"
    if c.kind == "reordered":
        return f"原位置: 第{c.old + 1}行"
    note = f"原值: {value_text(c.old)}"
    if c.old_path:
        note = f"原为: {' / '.join(c.old_path)}\n{note}"
    return note
