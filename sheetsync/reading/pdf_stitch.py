"""The tables of one form, page after page, stitched into one grid.

Columns are the union of every page's column edges, so a column that one page splits and
another does not becomes a merge. A continued table drops the header rows it repeats and
joins a merged cell cut by the page break back into one merge.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..values import label_key
from .pdf_page import TOL

if TYPE_CHECKING:
    from .pdf import Fragment, PdfGrid

Region = list  # [r1, c1, r2, c2, text] in grid rows and union columns


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


def _row_texts(regions: list[Region], row: int) -> tuple[tuple[int, str], ...]:
    return tuple((r[1], label_key(r[4])) for r in regions if r[0] == row and r[4])


def _is_header(texts: tuple[tuple[int, str], ...], header_keys: list[set[str]]) -> bool:
    keys = {t for _, t in texts}
    return any(len(keys & group) >= 2 for group in header_keys)


def _stitch(grid_regions: list[Region], new: list[Region], top: int, header_keys: list[set[str]]) -> list[Region]:
    """Regions of a continued table (rows from ``top``) after the form's regions so far:
    repeated header rows dropped, cut merges joined. Returns the regions to add."""
    if grid_regions:
        headers = {_row_texts(grid_regions, r[0]) for r in grid_regions}
        headers = {h for h in headers if _is_header(h, header_keys)}
        while True:
            rows = sorted({r[0] for r in new})
            if not rows or rows[0] != top:
                break
            texts = _row_texts(new, rows[0])
            if not texts or texts not in headers:
                break
            height = max(r[2] for r in new if r[0] == rows[0]) - top + 1
            new = [[r[0] - height, r[1], r[2] - height, r[3], r[4]] for r in new if r[0] != rows[0]]
    last = max((r[2] for r in grid_regions), default=-1)
    ending = {(r[1], r[3]): r for r in grid_regions if r[2] == last}
    out = []
    for r in new:
        above = ending.get((r[1], r[3])) if r[0] == top else None
        cut = above is not None and (
            (not r[4] and above[2] > above[0]) or (r[4] and label_key(r[4]) == label_key(above[4]))
        )
        if cut:
            above[2] = r[2]
        else:
            out.append(r)
    return out


def build(
    fragments: list[Fragment], grid: PdfGrid, header_keys: list[set[str]], value: Callable[[str], tuple]
) -> PdfGrid:
    """One grid from the fragments of a form: title lines, then each table's rows."""
    edges = _union(fragments)
    last_col = max(len(edges) - 2, 0)
    regions: list[Region] = []
    row = 0
    for n, frag in enumerate(fragments):
        for pieces in frag.above:
            grid.places[row] = (frag.page, None)
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
            new = _stitch(regions, new, row, header_keys)
        height = max((r[2] for r in new), default=row - 1) - row + 1
        dropped = frag.nrows - height
        for r in range(height):
            grid.places[row + r] = (frag.page, r + dropped)
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
