"""Forms -> a canonical workbook laid out by the template spec (the only xlsxwriter user).

Every form becomes one sheet that looks like the official table: merged label cells,
thin borders, a CJK font, wrapped text with row heights to match, A4 one page wide with
the indicator header repeated, dropdowns offering the framework's level names. Every
text is written as text (never a formula, link or number); amounts are numbers.
The same input gives a byte-identical file.
"""

from __future__ import annotations

import contextlib
import re
import threading
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter
import xlsxwriter.xmlwriter

from .errors import Guess, OutputError
from .model import Form, normal_form_issues
from .safety import write_atomic
from .spec import AmountsBlock, FieldsBlock, IndicatorsBlock, Span, Spec, TitleBlock, get_spec

# Fixed document dates make the output byte-for-byte reproducible.
FIXED_DATE = datetime(2024, 1, 1)
PROPERTY_TEMPLATE = "sheetsync.template"
PROPERTY_VERSION = "sheetsync.version"

_ILLEGAL_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})
_LINE_HEIGHT = 13.5  # points per line of 10pt 宋体
_MAX_ROW_HEIGHT = 409.0


class _EscapeEveryEscape:
    """Stands in for xlsxwriter's ``re_control_chars_1`` (it protects literal ``_xHHHH_`` text).

    xlsxwriter's pattern consumes the closing underscore, so in ``_x005F_x0041_`` it
    protects only the first of two overlapping escapes and Excel reads the text back as
    ``_x005FA``. A lookahead protects every one.
    """

    _pattern = re.compile(r"_(?=x[0-9a-fA-F]{4}_)")

    def sub(self, _repl: str, data: str) -> str:
        return self._pattern.sub("_x005F_", data)


_escape_lock = threading.Lock()


@contextlib.contextmanager
def _exact_escapes():
    with _escape_lock:
        original = xlsxwriter.xmlwriter.re_control_chars_1
        xlsxwriter.xmlwriter.re_control_chars_1 = _EscapeEveryEscape()
        try:
            yield
        finally:
            xlsxwriter.xmlwriter.re_control_chars_1 = original


def sheet_names(names: Iterable[str]) -> list[str]:
    """Legal, unique Excel sheet names: ≤ 31 characters, none of ``[]:*?/\\``."""
    out: list[str] = []
    taken: set[str] = set()
    for i, name in enumerate(names, 1):
        base = " ".join(name.translate(_ILLEGAL_SHEET_CHARS).split()).strip("'")[:31].strip()
        if not base or base.casefold() == "history":
            base = f"{base}表{i}" if base else f"表{i}"
        candidate, n = base, 1
        while candidate.casefold() in taken:
            n += 1
            suffix = f"({n})"
            candidate = base[: 31 - len(suffix)] + suffix
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


def display_width(text: str) -> int:
    """Columns a text takes on screen: CJK and other wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, width_chars: float) -> int:
    room = max(1.0, width_chars * 0.95)
    return sum(max(1, -(-display_width(part) // int(room))) for part in text.split("\n"))


class _Sheet:
    """One worksheet being written: cells, merges and the row heights they need."""

    def __init__(self, ws: Any, spec: Spec, fmt: dict[str, Any]):
        self.ws, self.spec, self.fmt = ws, spec, fmt
        self.heights: dict[int, float] = {}

    def _width(self, span: Span) -> float:
        return sum(self.spec.widths[span.first : span.last + 1])

    def text(self, row: int, span: Span, value: str, fmt: str, last_row: int | None = None, grow: bool = True) -> None:
        last_row = row if last_row is None else last_row
        f = self.fmt[fmt]
        if last_row > row or span.width > 1:
            self.ws.merge_range(row, span.first, last_row, span.last, "", f)
        # write_string always: "=1+1", "001" and URLs stay text
        self.ws.write_string(row, span.first, value, f)
        if grow and last_row == row and value:
            lines = _lines(value, self._width(span))
            height = min(_MAX_ROW_HEIGHT, lines * _LINE_HEIGHT + 5)
            self.heights[row] = max(self.heights.get(row, 0.0), height)

    def number(self, row: int, span: Span, value: float | None, fmt: str) -> None:
        f = self.fmt[fmt]
        if span.width > 1:
            self.ws.merge_range(row, span.first, row, span.last, "", f)
        if value is None:
            self.ws.write_blank(row, span.first, None, f)
        else:
            self.ws.write_number(row, span.first, value, f)


def _formats(wb: Any, spec: Spec) -> dict[str, Any]:
    font, size = spec.font
    base = {"font_name": font, "font_size": size, "valign": "vcenter", "border": 1, "text_wrap": True}
    amount_format = spec.amounts[0].number_format if spec.amounts else "General"
    return {
        "title": wb.add_format(
            {"font_name": font, "bold": True, "align": "center", "valign": "vcenter", "font_size": 16}
        ),
        "label": wb.add_format({**base, "align": "center"}),
        "head": wb.add_format({**base, "align": "center", "bold": True}),
        "text": wb.add_format({**base, "align": "left", "num_format": "@"}),
        "center": wb.add_format({**base, "align": "center", "num_format": "@"}),
        "amount": wb.add_format({**base, "align": "right", "num_format": amount_format}),
    }


def _groups(values: Sequence[Any]) -> list[tuple[int, int]]:
    """Runs of equal consecutive values as (first, last) index pairs."""
    runs, start = [], 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            runs.append((start, i - 1))
            start = i
    return runs


def _write_indicators(sheet: _Sheet, block: IndicatorsBlock, top: int, rows: list[dict[str, str]]) -> int:
    """The header row then one row per indicator; returns the header row."""
    spec, ws = sheet.spec, sheet.ws
    for col in block.columns:
        sheet.text(top, col.label.at, col.label.text, "head")
    first = top + 1
    last = top + len(rows)
    sheet.text(top, block.label.at, block.label.text, "label", last_row=last, grow=False)
    one, two = block.level(1), block.level(2)
    both = Span(min(one.label.at.first, two.label.at.first), max(one.label.at.last, two.label.at.last))
    # 一级 groups break where the value changes or where 二级 turns empty or not, since a
    # 一级 spanning both label columns and one that does not cannot share a merge.
    keys = [(r[one.key], r[two.key] == "") for r in rows]
    for a, b in _groups(keys):
        value, spans_both = keys[a]
        span = both if spans_both else one.label.at
        sheet.text(first + a, span, value, "center", last_row=first + b, grow=a == b)
        if not spans_both:
            for c, d in _groups([rows[i][two.key] for i in range(a, b + 1)]):
                sheet.text(
                    first + a + c, two.label.at, rows[a + c][two.key], "center", last_row=first + a + d, grow=c == d
                )
    for col in block.columns:
        if col.level:
            continue
        style = "center" if col.target else "text"
        for i, r in enumerate(rows):
            sheet.text(first + i, col.label.at, r[col.key], style)
    if rows:
        fw = spec.framework
        for col, names in ((one, list(fw.levels)), (two, list(fw.level2))):
            ws.data_validation(
                first,
                col.label.at.first,
                last,
                col.label.at.first,
                {
                    "validate": "list",
                    "source": names,
                    "error_type": "warning",
                    "ignore_blank": True,
                    "error_title": col.label.text,
                    "error_message": f"不在指标框架中的{col.label.text}。仍要使用请点“是”。",
                },
            )
    ws.repeat_rows(top, top)
    return top


def _write_form(wb: Any, spec: Spec, form: Form, name: str, fmt: dict[str, Any]) -> None:
    ws = wb.add_worksheet(name)
    sheet = _Sheet(ws, spec, fmt)
    for i, width in enumerate(spec.widths):
        ws.set_column(i, i, width)
    rows = form.indicators
    last_row = 0
    for block, row in spec.block_rows(len(rows)):
        if isinstance(block, TitleBlock):
            sheet.text(row, block.at, form[block.key], "title", grow=False)
            sheet.heights[row] = block.height
            last_row = row
        elif isinstance(block, FieldsBlock):
            for cell in block.cells:
                sheet.text(row, cell.label.at, cell.label.text, "label")
                if cell.key:
                    sheet.text(row, cell.value, form[cell.key], "text")
            last_row = row
        elif isinstance(block, AmountsBlock):
            sheet.text(row, block.label.at, block.label.text, "label", last_row=row + len(block.row_labels), grow=False)
            sheet.text(row, block.corner.at, block.corner.text, "label")
            for _, label in block.columns:
                sheet.text(row, label.at, label.text, "label")
            for i, (rk, label) in enumerate(block.row_labels, 1):
                sheet.text(row + i, label.at, label.text, "label")
                for ck, col_label in block.columns:
                    sheet.number(row + i, col_label.at, form[block.key][rk][ck], "amount")
            last_row = row + len(block.row_labels)
        elif isinstance(block, IndicatorsBlock):
            _write_indicators(sheet, block, row, rows)
            last_row = row + len(rows)
    for r, h in sheet.heights.items():
        ws.set_row(r, max(h, 18.0))
    ws.set_paper({"A4": 9, "A3": 8, "LETTER": 1}.get(spec.paper.upper(), 9))
    if spec.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.print_area(0, 0, last_row, spec.ncols - 1)


def render(
    forms: Iterable[Form | dict[str, Any]],
    path: str | Path,
    *,
    template: str | None = None,
    inputs: Iterable[str | Path] = (),
) -> list[Guess]:
    """Write ``forms`` to ``path`` as one canonical workbook, one sheet per form, in order.

    Plain dicts are validated against the contract first. The file is written whole or not
    at all. Returns notes for texts that reading will give back in normal form (trimmed,
    half-width digits in 指标值), so a caller knows the round trip is not exact for them.
    """
    spec = get_spec(template) if template else get_spec()
    checked = [f if isinstance(f, Form) else Form.from_dict(f, spec=spec, where=f"[{i}]") for i, f in enumerate(forms)]
    if not checked:
        raise OutputError("there are no forms to render", file=str(path))
    notes = [
        Guess(f"{p}: {v!r} will read back as {n!r}", file=str(path), sheet=name)
        for f, name in zip(checked, sheet_names(f.name for f in checked), strict=True)
        for p, v, n in normal_form_issues(f)
    ]

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        wb.set_properties({"created": FIXED_DATE, "title": spec.title, "comments": "Rendered by sheetsync"})
        wb.set_custom_property(PROPERTY_TEMPLATE, spec.name)
        wb.set_custom_property(PROPERTY_VERSION, spec.version)
        fmt = _formats(wb, spec)
        for form, name in zip(checked, sheet_names(f.name for f in checked), strict=True):
            _write_form(wb, spec, form, name, fmt)
        with _exact_escapes():
            wb.close()
        with zipfile.ZipFile(tmp) as z:
            if z.testzip() is not None:
                raise OutputError("the written workbook failed its check", file=str(path))

    write_atomic(path, write, inputs)
    return notes
