"""One worksheet part (XML) streamed into a grid: values, number formats, merges."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..i18n import _
from ..numfmt import builtin_format, datetime_serial
from ..values import number_text
from .grid import CellError, Grid, NotComputed, cell_name
from .ooxml import MAX_ROWS, BadReference, _local, _ref, _unescape


class SheetCells:
    """The handlers that stream one worksheet part into a grid."""

    def __init__(self, pkg: Any, sheet: Any, grid: Grid):  # an XlsxPackage and its SheetRef
        self.pkg, self.sheet, self.grid = pkg, sheet, grid
        self.max_cells = pkg.limits["max_cells"]
        self.cell: dict[str, Any] = {}
        self.text: list[str] = []
        self.row, self.col = -1, -1
        self.collect, self.in_is, self.skip = False, False, 0
        self.count = 0

    def _where(self, ref: str) -> tuple[int, int]:
        try:
            return _ref(ref)
        except BadReference:
            raise ValueError(
                _("cell reference '{ref}' names no cell (A1 to XFD1048576)").format(ref=ref[:40])
            ) from None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = _local(tag)
        if name == "c":
            ref = attrs.get("r")
            if ref:
                self.row, self.col = self._where(ref)
            else:  # writers may leave r out: cells then follow one another
                self.col += 1
            self.cell = {"t": attrs.get("t", "n"), "s": attrs.get("s"), "v": None, "f": False}
        elif name == "row":
            r = attrs.get("r")
            if r:
                if not r.isdigit() or not 0 < int(r) <= MAX_ROWS:
                    raise ValueError(
                        _("row number '{row}' names no row (1 to {rows})").format(row=r[:40], rows=MAX_ROWS)
                    )
                self.row = int(r) - 1
            else:
                self.row += 1
            self.col = -1
        elif name == "v":
            self.collect = True
            self.text.clear()
        elif name == "is":
            self.in_is = True
            self.text.clear()
        elif name == "rPh":
            self.skip += 1  # phonetic guides are not part of the cell's text
        elif name == "t" and self.in_is:
            self.collect = not self.skip
        elif name == "f":
            self.cell["f"] = True
        elif name == "mergeCell":
            ref = attrs.get("ref")
            if ref:
                self.grid.merges.append(_merge_range(ref, self._where))

    def end(self, tag: str) -> None:
        name = _local(tag)
        if name == "v":
            self.cell["v"] = "".join(self.text)
            self.collect = False
        elif name == "t" and self.in_is:
            self.collect = False
        elif name == "rPh":
            self.skip -= 1
        elif name == "is":
            self.cell["v"] = "".join(self.text)
            self.in_is = False
        elif name == "c":
            self.store(self.cell, (self.row, self.col))

    def chars(self, data: str) -> None:
        if self.collect:
            self.text.append(data)

    def store(self, c: dict[str, Any], key: tuple[int, int]) -> None:
        t, v, values = c["t"], c["v"], self.grid.values
        if v is None and not c["f"]:
            return
        self.count += 1  # every cell that takes memory counts, formulas without results too
        if self.count > self.max_cells:
            raise ValueError(
                _("holds more than {limit} cells (the cell limit); no form is that large").format(limit=self.max_cells)
            )
        # a formula's result: none written, an empty <v/> (writers that do not compute), or a
        # placeholder the file asks to recompute (fullCalcOnLoad)
        if v is None or (c["f"] and (self.pkg.stale_formulas or (not v and t not in ("str", "inlineStr")))):
            values[key] = NotComputed("")
            return
        if t == "s":
            try:
                values[key] = self.pkg.strings[int(v)]
            except (ValueError, IndexError):
                raise ValueError(
                    _("cell {cell} points to shared string {index}, which does not exist").format(
                        cell=cell_name(*key), index=v[:20]
                    )
                ) from None
        elif t in ("inlineStr", "str"):
            values[key] = _unescape(v)
        elif t == "b":
            values[key] = v.strip() in ("1", "true")
        elif t == "e":
            values[key] = CellError(v.strip())
        elif t == "d":  # an ISO date: the serial number a spreadsheet keeps for it
            self.number(c, key, _iso_serial(v.strip(), self.pkg.date1904))
        elif v.strip():
            self.number(c, key, v.strip())

    def number(self, c: dict[str, Any], key: tuple[int, int], v: str | float) -> None:
        try:
            value = number_text(v) if isinstance(v, str) else v
        except ValueError:
            raise ValueError(
                _("cell {cell} holds '{value}', which is not a finite number").format(
                    cell=cell_name(*key), value=v[:20]
                )
            ) from None
        self.grid.values[key] = value
        s = c["s"]
        if s is not None:
            try:
                fmt = self.pkg.number_formats[int(s)]
            except (ValueError, IndexError):
                fmt = 0
            if fmt:
                self.grid.formats[key] = fmt if isinstance(fmt, str) else builtin_format(fmt)


def _merge_range(ref: str, where: Any) -> tuple[int, int, int, int]:
    a, _, b = ref.partition(":")
    r1, c1 = where(a)
    r2, c2 = where(b or a)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _iso_serial(text: str, date1904: bool) -> str | float:
    try:
        return datetime_serial(dt.datetime.fromisoformat(text.rstrip("Z")), date1904)
    except ValueError:
        return text
