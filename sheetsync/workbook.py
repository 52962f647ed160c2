"""xlsxwriter as render uses it: a workbook that checks sheet names in constant time, text
escapes Excel reads back exactly, the legal, unique sheet names a workbook needs, and a
report's summary sheet."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import xlsxwriter
import xlsxwriter.xmlwriter

from .errors import OutputError
from .i18n import _
from .measure import LINE_HEIGHT, MAX_ROW_HEIGHT, ROW_HEIGHT, lines

_ILLEGAL_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


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


class _Workbook(xlsxwriter.Workbook):
    """xlsxwriter's Workbook with a constant-time check of new sheet names.

    Its own check compares each new name with every sheet so far, which is quadratic: at
    1,000 sheets it cost 0.4 ms a sheet, a sixth of rendering. The names given here come
    from :func:`sheet_names` (legal and unique already); a set still refuses a duplicate.
    """

    def _check_sheetname(self, sheetname: str | None, is_chartsheet: bool = False) -> str:
        if is_chartsheet or not sheetname:
            return super()._check_sheetname(sheetname, is_chartsheet)
        taken = self.__dict__.setdefault("_sheetsync_names", set())
        key = sheetname.lower()
        if key in taken or sheet_names([sheetname]) != [sheetname]:
            raise OutputError(
                _("internal error: sheet name {sheetname!r} is taken or not legal").format(sheetname=sheetname)
            )
        self.sheetname_count += 1
        taken.add(key)
        return sheetname


@contextlib.contextmanager
def _exact_escapes():
    with _escape_lock:
        original = xlsxwriter.xmlwriter.re_control_chars_1
        xlsxwriter.xmlwriter.re_control_chars_1 = _EscapeEveryEscape()
        try:
            yield
        finally:
            xlsxwriter.xmlwriter.re_control_chars_1 = original


def _utf16_cut(text: str, units: int) -> str:
    """The longest prefix of ``text`` that fits in ``units`` UTF-16 code units (Excel's measure)."""
    out, used = [], 0
    for ch in text:
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            break
        out.append(ch)
    return "".join(out)


def sheet_names(names: Iterable[str]) -> list[str]:
    """Legal, unique Excel sheet names: ≤ 31 UTF-16 units, none of ``[]:*?/\\``."""
    out: list[str] = []
    taken: set[str] = set()
    for i, name in enumerate(names, 1):
        base = _utf16_cut(" ".join(name.translate(_ILLEGAL_SHEET_CHARS).split()).strip("'"), 31).strip()
        if not base or base.casefold() == "history":
            base = f"{base}表{i}" if base else f"表{i}"
        candidate, n = base, 1
        while candidate.casefold() in taken:
            n += 1
            suffix = f"({n})"
            candidate = _utf16_cut(base, 31 - len(suffix)) + suffix
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


class ReportSummary(NamedTuple):
    """A report's first sheet: a title (none if empty), lines under it (the files compared, the
    counts), then a table: its columns (header, width in characters) and rows ``[form index or None, cell
    like "E11" or None, *texts]``; the text in column ``link`` links to that cell of that form
    (a short text: a linked cell does not wrap in every spreadsheet)."""

    title: str
    sheet: str
    notes: list[str]
    columns: Sequence[tuple[str, float]]
    rows: list[list[Any]]
    link: int
    link_tip: str


def _row_height(texts: Sequence[str], widths: Sequence[float]) -> float:
    """The height a row of wrapped texts needs, in points (one line: the sheet's default)."""
    n = max((lines(t, w) for t, w in zip(texts, widths, strict=False) if t), default=1)
    return min(MAX_ROW_HEIGHT, n * LINE_HEIGHT + 3)


def _write_summary(wb: Any, summary: ReportSummary, names: list[str], fmt: dict[str, Any]) -> None:
    """The report's first sheet: a title, the notes, then one row per change (its position
    linked to the marked cell); prints one page wide, the table's header on every page."""
    ws = wb.add_worksheet(summary.sheet if summary.sheet not in names else summary.sheet + "_")
    widths = [w for _, w in summary.columns]
    last_col = len(widths) - 1
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    top = 0
    if summary.title:  # a sheet without one starts with its notes, or its table
        ws.merge_range(0, 0, 0, last_col, summary.title, fmt["title"])
        ws.set_row(0, 32)
        top = 1
    for r, note in enumerate(summary.notes, top):
        ws.merge_range(r, 0, r, last_col, note, fmt["note"])
    head = top + len(summary.notes)
    for c, (text, _width) in enumerate(summary.columns):
        ws.write_string(head, c, text, fmt["head"])
    for r, (form_index, cell, *texts) in enumerate(summary.rows, head + 1):
        texts = [str(t) for t in texts]
        for c, text in enumerate(texts):
            if c == summary.link and form_index is not None and cell is not None:
                target = names[form_index].replace("'", "''")
                ws.write_url(r, c, f"internal:'{target}'!{cell}", fmt["text"], string=text, tip=summary.link_tip)
            else:
                ws.write_string(r, c, text, fmt["text"])
        height = _row_height(texts, widths)
        if height > ROW_HEIGHT:
            ws.set_row(r, height)
    last_row = head + len(summary.rows)
    ws.set_default_row(ROW_HEIGHT)
    ws.freeze_panes(head + 1, 0)
    ws.autofilter(head, 0, max(head + 1, last_row), last_col)
    ws.repeat_rows(head, head)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.print_area(0, 0, last_row, last_col)
