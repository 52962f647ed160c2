"""Where a printed form breaks into pages: between groups of indicators, never inside a merged
level label when a group fits on a page, and never leaving the last rows (a lone 满意度 row
and 总分) alone on a page.

Pure arithmetic on a :class:`~sheetsync.layout.Layout` and the heights render gives its
rows; render writes the breaks as manual page breaks, with the indicator header repeated.
A spreadsheet prints one page wide by scaling the sheet down, so a page holds the printable
height divided by that scale.
"""

from __future__ import annotations

from collections.abc import Mapping

from .layout import Layout

PAPER = {"A4": (595.3, 841.9), "A3": (841.9, 1190.6), "LETTER": (612.0, 792.0)}  # points, portrait
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.75, "bottom": 0.6}  # inches, as render sets them
SAFETY = 0.93  # spreadsheets round row heights and keep a little room: never plan a page full
ORPHAN_ROWS = 3  # the rows after the last break: at least this many


def column_points(width_chars: float) -> float:
    """A column of ``width_chars`` characters in points (w × 7 + 5 pixels)."""
    return (width_chars * 7 + 5) * 0.75


def page_rows_height(layout: Layout) -> float:
    """The height of the rows one printed page holds, in the sheet's own points."""
    spec = layout.spec
    width, height = PAPER.get(spec.paper.upper(), PAPER["A4"])
    if spec.landscape:
        width, height = height, width
    printable_w = width - 72 * (MARGINS["left"] + MARGINS["right"])
    printable_h = height - 72 * (MARGINS["top"] + MARGINS["bottom"])
    scale = min(1.0, printable_w / sum(column_points(w) for w in spec.widths))
    return printable_h / scale * SAFETY


def _preferences(layout: Layout) -> dict[int, int]:
    """Rows a page may start at, with how good a start each is: 0 a block or a 一级 group,
    1 a 二级 group, 2 any indicator row. The rows after the indicators never start a page."""
    spec = layout.spec
    ind = spec.indicators
    one, two = ind.level(1).key, ind.level(2).key
    prefs = {row: 0 for _, row in layout.block_rows if row <= layout.header}
    first, last = layout.header + 1, layout.header + layout.n
    for r in range(first + 1, last + 1):
        prefs[r] = 2
    for cell in layout.writes:
        path = cell.path
        if path and path[0] == ind.key and len(path) == 3 and cell.row > first:
            if path[2] == one:
                prefs[cell.row] = 0
            elif path[2] == two:
                prefs[cell.row] = min(prefs.get(cell.row, 2), 1)
    prefs.pop(0, None)
    return prefs


def page_breaks(layout: Layout, heights: Mapping[int, float], default: float) -> list[int]:
    """The rows that start a new printed page (none for a form that fits on one)."""
    n_rows = layout.last_row + 1
    h = [heights.get(r, default) for r in range(n_rows)]
    room = page_rows_height(layout)
    header = layout.header
    prefs = {r: p for r, p in _preferences(layout).items() if n_rows - r >= ORPHAN_ROWS}
    breaks: list[int] = []
    start = 0
    while True:
        cap = room - (h[header] if start > header else 0.0)
        used, end = 0.0, start
        while end < n_rows and used + h[end] <= cap:
            used += h[end]
            end += 1
        if end >= n_rows:
            return breaks
        end = max(end, start + 1)  # a row taller than a page still takes one page
        candidates = [r for r in range(start + 1, end + 1) if r in prefs]
        if candidates:
            best = min(prefs[r] for r in candidates)
            nxt = max(r for r in candidates if prefs[r] == best)
        else:
            nxt = end
        breaks.append(nxt)
        start = nxt
