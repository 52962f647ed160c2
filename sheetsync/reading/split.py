"""Several forms on one sheet: a county's workbook often stacks its projects one under another.

A form starts at its identity label (项目名称), with the title and the lines above it that
hold one text each (附件3, 单位：元). :func:`split_forms` cuts a grid into one grid per form,
keeping every cell at its row and column, so warnings name the cells of the sheet.
"""

from __future__ import annotations

from ..spec import PROPERTY_TEMPLATE, Spec
from ..values import label_key
from .grid import Grid

_ABOVE = 3  # at most this many one-text lines above the label belong to its form


def _label_rows(grid: Grid, spec: Spec) -> list[int]:
    identity = next((c.label for c in spec.fields if c.key == spec.identity), None)
    if identity is None:
        return []
    keys = {label_key(s) for s in identity.spellings}
    return [
        r
        for r in grid.rows
        if any(isinstance(grid.raw(r, c), str) and label_key(grid.raw(r, c)) in keys for c in grid.cols(r)[:2])
    ]


def _own(grid: Grid, row: int) -> int:
    """How many cells start on ``row`` with a text (not covered by a merge from elsewhere)."""
    n = 0
    for c in grid.cols(row):
        m = grid.merge_at(row, c)
        if (m is None or (m[0], m[1]) == (row, c)) and grid.text(row, c).strip():
            n += 1
    return n


def _start(grid: Grid, label_row: int, floor: int) -> int:
    """The first row of the form whose identity label is on ``label_row``."""
    rows = [r for r in grid.rows if floor <= r < label_row]
    start = label_row
    for r in reversed(rows[-_ABOVE:]):
        if r != start - 1 or _own(grid, r) != 1:
            break
        start = r
    return start


def split_forms(grid: Grid, spec: Spec) -> list[Grid]:
    """One grid per form on ``grid`` (the grid itself when it holds one). A sheet sheetsync
    rendered holds one form, whatever its cells say (a 二级 named 项目名称 is data)."""
    if PROPERTY_TEMPLATE in grid.properties:
        return [grid]
    labels = _label_rows(grid, spec)
    if len(labels) < 2:
        return [grid]
    starts, floor = [], 0
    for r in labels:
        starts.append(_start(grid, r, floor))
        floor = r + 1
    starts[0] = 0  # whatever is above the first form is its own (a note line, a 附件)
    out = []
    for a, b in zip(starts, [*starts[1:], grid.nrows], strict=True):
        part = Grid(grid.name, grid.source, formats=grid.formats, properties=grid.properties)
        part.line_offset, part.row_lines, part.places = grid.line_offset, grid.row_lines, grid.places
        part.values = {k: v for k, v in grid.values.items() if a <= k[0] < b}
        part.merges = [m for m in grid.merges if a <= m[0] < b]
        out.append(part)
    return out
