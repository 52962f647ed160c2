"""How tall a form's rows print: wrapped texts measured by their real width (a CJK character
is full width, others half), a title's own height, room to write in a blank form. Render
sets these heights and plans its page breaks (``pages``) from them."""

from __future__ import annotations

import functools

from . import formulas
from .layout import Layout
from .model import Form
from .spec import Span, Spec
from .values import display_width

LINE_HEIGHT = 13.5  # points per line of 10pt 宋体
ROW_HEIGHT = LINE_HEIGHT + 3  # a row of one line: the sheet's default, so most rows need no <row ht>
MAX_ROW_HEIGHT = 409.0
_BLANK_LINES = 5  # lines of room for a long text in a blank form


_PADDING = 9.0  # points a cell keeps free of text: the border gaps and a left indent


@functools.lru_cache(maxsize=1024)
def _room(width_chars: float, font_size: float = 10.0) -> int:
    """Half-width characters one line of a column holds: a width of w characters is w × 7 + 5
    pixels (0.75 pt each); a 宋体 character takes the font size (CJK, full width) or half of it."""
    return max(1, int(((width_chars * 7 + 5) * 0.75 - _PADDING) / (font_size / 2)))


@functools.lru_cache(maxsize=1 << 16)
def lines(text: str, width_chars: float, font_size: float = 10.0) -> int:
    """Lines a wrapped text takes in a column that wide (labels and names repeat across forms)."""
    room = _room(width_chars, font_size)
    return sum(max(1, -(-display_width(part) // room)) for part in text.split("\n"))


@functools.lru_cache(maxsize=256)
def _span_width(widths: tuple[float, ...], first: int, last: int) -> float:
    return sum(widths[first : last + 1])


def _text_height(spec: Spec, span: Span, value: str) -> float:
    """The height a row needs for a wrapped text in that span: a text that surely fits on one
    line keeps the sheet's default row height."""
    width = _span_width(spec.widths, span.first, span.last)
    if "\n" not in value and 2 * len(value) <= _room(width, spec.font[1]):
        return ROW_HEIGHT
    return min(MAX_ROW_HEIGHT, lines(value, width, spec.font[1]) * LINE_HEIGHT + 3)


def row_heights(spec: Spec, form: Form, *, blank: bool = False, layout: Layout | None = None) -> dict[int, float]:
    """The height of every row taller than the default: wrapped texts, the title, and in a
    blank form room to write in (rows not given have ``ROW_HEIGHT``)."""
    layout = layout or Layout.of(spec, form.indicators, blank=blank)
    heights: dict[int, float] = {}
    for cell in layout.writes:
        if cell.height is not None:
            heights[cell.row] = cell.height
            continue
        if cell.kind != "text" or not cell.grow or (cell.last_row is not None and cell.last_row > cell.row):
            continue
        value = cell.text if cell.path is None else formulas.get(form.data, cell.path)
        if value:
            heights[cell.row] = max(heights.get(cell.row, 0.0), _text_height(spec, cell.span, value))
    if blank:
        room = {"lines": _BLANK_LINES * LINE_HEIGHT + 3, "row": 2 * LINE_HEIGHT + 3}
        for field in spec.fields:
            at = layout.cell((field.key,)) if field.key and field.wrap else None
            if at is not None:
                heights[at[0]] = max(heights.get(at[0], 0.0), room["lines"])
        for r in range(layout.header + 1, layout.header + layout.n + 1):
            heights[r] = max(heights.get(r, 0.0), room["row"])
    return {r: h for r, h in heights.items() if h > ROW_HEIGHT}
