"""The exact read: a grid that still has the layout render writes, read by position.

Every label must be where the :class:`~sheetsync.layout.Layout` puts it and the indicator
block under its header; values are then read from their cells and the merges decide the
level groups, so whatever ``render`` wrote comes back unchanged. Anything else returns None
and is read by meaning.
"""

from __future__ import annotations

from typing import Any

from ..extras import VALUE_PARTS
from ..i18n import _
from ..layout import Cell, Layout, dotted, layout_for
from ..model import Form
from ..spec import PROPERTY_TEMPLATE, Spec
from ..values import label_key
from .columns import split_weight
from .evidence import Evidence
from .grid import Grid


def _rows_below(grid: Grid, spec: Spec) -> int | None:
    """How many indicator rows the grid has, if its indicator header is where the spec puts it
    and the block's label is merged down over them."""
    empty = layout_for(spec, 0)
    header = empty.header
    if any(grid.text(c.row, c.span.first) != c.text for c in empty.labels if c.row == header):
        return None
    after = empty.last_row - header  # rows below the indicator block
    last = max([r for r, _ in grid.values] + [m[2] for m in grid.merges] + [header + after]) - after
    if any(c >= spec.ncols for _, c in grid.values):
        return None
    n, at = last - header, spec.indicators.label.at
    if n and grid.merge_at(header, at.first) != (header, at.first, last, at.last):
        return None  # checked before a layout of n rows is made: n may be a stray cell's millionth row
    return n


def read_exact(grid: Grid, spec: Spec) -> tuple[Form, Evidence] | None:
    """The form and its evidence, or None when the grid does not have the spec's layout."""
    n = _rows_below(grid, spec)
    if n is None:
        return None
    layout = layout_for(spec, n)
    if any(grid.text(c.row, c.span.first) != c.text for c in layout.labels):
        return None
    ev = Evidence(grid, spec)
    data: dict[str, Any] = {}
    for key in spec.keys:  # in the form's order, as the guesses should come
        if key == spec.indicators.key:
            rows = _indicators(ev, layout, n)
            if rows is None:
                return None
            data[key] = rows
            continue
        for path, cell in layout.by_key.get(key, ()):
            holder = data
            for part in path[:-1]:
                holder = holder.setdefault(part, {})
            holder[path[-1]] = _value(ev, cell)
    _strays(ev, layout)
    return ev.form(data), ev


def _strays(ev: Evidence, layout: Layout) -> None:
    """A text in no cell of the layout (typed into an unmerged part of a value's span, say) is
    named by a warning: the exact read takes each value from its cell's first column only."""
    cells = {c.at for c in layout.writes}
    for (r, c), raw in ev.grid.values.items():
        if (r, c) not in cells and raw is not None and ev.grid.text(r, c).strip():
            message = _("{text!r} is in no cell of the form; not read").format(text=ev.grid.text(r, c)[:40])
            ev.guess(r, c, message, "not_read")


def _value(ev: Evidence, cell: Cell) -> Any:
    row, col = cell.at
    if cell.kind == "number":
        return ev.number(row, col, dotted(cell.path))
    return ev.text(row, col, target=cell.target, path=dotted(cell.path))


def _indicators(ev: Evidence, layout: Layout, n: int) -> list[dict[str, Any]] | None:
    """The indicator rows; None when one has a blank level (a row someone added: read by meaning)."""
    grid, block = ev.grid, layout.spec.indicators
    # a workbook sheetsync rendered holds data, whatever it looks like: never a template's placeholder
    rendered = PROPERTY_TEMPLATE in grid.properties
    one, two = block.level(1), block.level(2)
    out = []
    for i in range(n):
        cells = {c.key: layout.at((block.key, i, c.key)) for c in block.columns}
        r, c1 = cells[one.key].at
        c2 = cells[two.key].span.first
        if not grid.shown(r, c1):
            return None
        m2 = grid.merge_at(r, c2)
        spans_both = m2 is not None and m2[1] <= c1 <= m2[3]
        if not spans_both and not grid.shown(r, c2):
            return None
        if not spans_both and label_key(grid.shown(r, c1)) == label_key(grid.shown(r, c2)):
            # one label filled into both level cells, as after unmerging a spanning 一级
            message = _("{text!r} repeats the 一级 beside it; read as one label spanning both level columns").format(
                text=grid.shown(r, c2)
            )
            ev.guess(r, c2, message, "spans_both")
            spans_both = True
        row = {}
        for col in block.columns:
            if col.parts:
                row.update(_parted(ev, layout, col, i))
            else:
                row[col.key] = "" if col is two and spans_both else _value(ev, cells[col.key])
        if not rendered and _foreign(row, block, layout.spec.framework.reading):
            return None
        out.append(row)
    return out


def _parted(ev: Evidence, layout: Layout, col: Any, i: int) -> dict[str, Any]:
    """A 指标值 printed in parts: what they compose, and the parts themselves (``指标值分列``)."""
    key = layout.spec.indicators.key
    parts = {p.label.text: _value(ev, layout.values[(key, i, VALUE_PARTS, p.label.text)]) for p in col.parts}
    return {col.key: col.compose(parts, layout.spec.framework.reading), VALUE_PARTS: parts}


def _foreign(row: dict[str, Any], block: Any, words: Any) -> bool:
    """A row render never writes: a weight in the 一级 (``产出指标(50分)``), or a template's
    placeholder (``指标3：``) with no value. Such a sheet is read by meaning."""
    if split_weight(row[block.level(1).key])[1]:
        return True
    return words.is_placeholder(row[block.name.key]) and not row[block.target.key]
