"""The tables of one form, page after page, stitched into one grid.

Columns are the union of every page's column edges, so a column that one page splits and
another does not becomes a merge. A continued table drops the header rows it repeats and
joins a merged cell cut by the page break back into one merge.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..values import label_key

if TYPE_CHECKING:
    from .grid import Grid

Region = list  # [r1, c1, r2, c2, text] in grid rows and union columns
TOL = 2.0  # points: lines this close are one line; ends this close meet


@dataclass
class Fragment:
    """One table on one page, made light (texts only) so the page can be closed."""

    page: int
    xs: list[float]
    nrows: int
    regions: list[tuple[int, int, int, int, str]]  # r1, c1, r2, c2, text
    above: list[list[tuple[float, str]]]  # text lines above the table: (x, text) pieces
    first: bool  # the first table on its page
    last: bool = False  # the last table on its page
    stray: list[tuple[float, str]] = field(default_factory=list)  # labels of cut merges drawn above it
    open_bottom: set[int] = field(default_factory=set)  # columns whose last cell has no line under it


def _union(fragments: list[Fragment]) -> list[float]:
    edges: list[list[float]] = []
    for x in sorted(x for f in fragments for x in f.xs):
        if edges and x - edges[-1][-1] <= 1.5 * TOL:
            edges[-1].append(x)
        else:
            edges.append([x])
    return [sum(g) / len(g) for g in edges]


def _column(edges: list[float], x: float) -> int:
    i = bisect_left(edges, x)
    if i > 0 and (i == len(edges) or x - edges[i - 1] < edges[i] - x):
        i -= 1
    return i


def _repeats(text: str, label: str) -> bool:
    """``text`` is ``label`` once or more: a merged label printed again below a page break."""
    t, a = label_key(text), label_key(label)
    return bool(a) and len(t) % len(a) == 0 and t == a * (len(t) // len(a))


def _is_header(texts: tuple[tuple[int, str], ...], header_keys: list[set[str]]) -> bool:
    keys = {t for _, t in texts}
    return any(len(keys & group) >= 2 for group in header_keys)


def _squash(text: str) -> str:
    """A label printed twice in a merge cut by a repeated header row: '绩效指标绩效指标' -> '绩效指标'."""
    half = len(text) // 2
    return text[:half] if len(text) % 2 == 0 and half >= 2 and text[:half] == text[half:] else text


def _strip(text: str, label: str) -> str:
    """``text`` without one copy of ``label`` at its start or end."""
    if label and text.startswith(label):
        return text[len(label) :]
    if label and text.endswith(label):
        return text[: -len(label)]
    return text


def _drop_repeated_header(grid_regions: list[Region], new: list[Region], top: int, header_keys) -> list[Region]:
    """A continued table's leading rows that repeat a header row of the form are dropped.

    A merge cut by the page break may have no line between it and the repeated row: then
    it starts on that row and holds the header cell's text too, which is taken out of it."""
    headers = []
    for row in sorted({r[0] for r in grid_regions}):
        cells = {r[1]: r[4] for r in grid_regions if r[0] == row and r[4]}
        if _is_header(tuple((c, label_key(t)) for c, t in cells.items()), header_keys):
            headers.append(cells)
    while True:
        single = {r[1]: r[4] for r in new if r[0] == top == r[2] and r[4]}
        header = next(
            (
                h
                for h in headers
                if len(single) >= 2 and all(_strip(t, h.get(c, "")) != t or h.get(c) == t for c, t in single.items())
            ),
            None,
        )
        if header is None:
            return new
        # a cut merge's label drawn over the repeated header cell goes back to the merge
        spilled = {c: _strip(t, header[c]).strip() for c, t in single.items() if t != header[c]}
        out = []
        for r in new:
            if r[2] == top:
                continue
            if r[0] == top:
                out.append([top, r[1], r[2] - 1, r[3], _squash(_strip(r[4], header.get(r[1], "")))])
            else:
                text = r[4] or (spilled.pop(r[1], "") if r[0] == top + 1 else "")
                out.append([r[0] - 1, r[1], r[2] - 1, r[3], text])
        new = out


def _stitch(
    grid_regions: list[Region],
    new: list[Region],
    top: int,
    header_keys: list[set[str]],
    stray: list[tuple[int, str]],
    open_bottom: set[int],
) -> list[Region]:
    """Regions of a continued table (rows from ``top``) after the form's regions so far:
    repeated header rows dropped, cut merges joined. Returns the regions to add.

    A merged cell cut by the page break shows its text above the break, below it (where
    the middle of the whole merge fell), or on both sides; the two parts are one merge."""
    if grid_regions:
        new = _drop_repeated_header(grid_regions, new, top, header_keys)
    last = max((r[2] for r in grid_regions), default=-1)
    ending = {(r[1], r[3]): r for r in grid_regions if r[2] == last}
    out = []
    for r in new:
        above = ending.get((r[1], r[3])) if r[0] == top else None
        if above is None:
            out.append(r)
        elif any(c in open_bottom for c in range(above[1], above[3] + 1)) and (
            not r[4] or not above[4] or _repeats(r[4], above[4])
        ):
            above[2], above[4] = r[2], above[4] or r[4]  # no line between them: one merge
        elif r[4] and _repeats(r[4], above[4]) and (above[2] > above[0] or r[2] > r[0]):
            above[2] = r[2]  # the label on both sides (two equal values, one a row each, stay two)
        elif not r[4] and (above[2] > above[0] or r[2] > r[0]):
            above[2] = r[2]  # the label above the break, the rest of the merge below it
        elif r[4] and not above[4] and (above[2] > above[0] or r[2] > r[0]):
            above[2], above[4] = r[2], r[4]  # the label below the break (where the merge's middle fell)
        else:
            out.append(r)
    for col, text in stray:  # a cut merge's label drawn above the table, outside its cell
        blank = [r for r in ending.values() if r[1] <= col <= r[3] and not r[4]]
        if blank:
            blank[0][4] = text
    left = min((r[1] for r in new), default=0)
    bottom = max((r[2] for r in new), default=top - 1)
    for r in ending.values():
        if r[3] < left and r[2] > r[0]:
            r[2] = bottom  # a merge left of a continued table that some writers draw without its borders
    return out


def _spanned(edges: list[float], x0: float, x1: float) -> range:
    """The union columns between edges x0 and x1."""
    return range(_column(edges, x0), _column(edges, x1))


def build(
    fragments: list[Fragment],
    grid: Grid,
    places: dict[int, tuple[int, int | None]],
    header_keys: list[set[str]],
    value: Callable[[str], tuple],
) -> Grid:
    """One grid from the fragments of a form: title lines, then each table's rows; ``places``
    gets the page and table row of each grid row."""
    edges = _union(fragments)
    last_col = max(len(edges) - 2, 0)
    regions: list[Region] = []
    row = 0
    for n, frag in enumerate(fragments):
        for pieces in frag.above:
            places[row] = (frag.page, None)
            if len(pieces) == 1:
                regions.append([row, 0, row, last_col, pieces[0][1]])
            else:
                cols: dict[int, list[str]] = {}
                for x, text in pieces:
                    cols.setdefault(min(max(bisect_right(edges, x) - 1, 0), last_col), []).append(text)
                regions.extend([row, c, row, c, " ".join(t)] for c, t in cols.items())
            row += 1
        cmap = [_column(edges, x) for x in frag.xs]
        new = [[row + r1, cmap[c1], row + r2, max(cmap[c2 + 1] - 1, cmap[c1]), t] for r1, c1, r2, c2, t in frag.regions]
        if n and not frag.above:
            stray = [(min(max(bisect_right(edges, x) - 1, 0), last_col), t) for x, t in frag.stray]
            prev = fragments[n - 1]
            opened = {
                c
                for i, x in enumerate(prev.xs[:-1])
                if i in prev.open_bottom
                for c in _spanned(edges, x, prev.xs[i + 1])
            }
            new = _stitch(regions, new, row, header_keys, stray, opened)
        height = max((r[2] for r in new), default=row - 1) - row + 1
        dropped = frag.nrows - height
        for r in range(height):
            places[row + r] = (frag.page, r + dropped)
        regions.extend(new)
        row += height
    for r1, c1, r2, c2, text in regions:
        if text:
            v, fmt = value(text)
            grid.values[(r1, c1)] = v
            if fmt:
                grid.formats[(r1, c1)] = fmt
        if (r1, c1) != (r2, c2):
            grid.merges.append((r1, c1, r2, c2))
    return grid
