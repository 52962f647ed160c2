"""Excel binary workbooks (.xlsb) -> grids.

An .xlsb is the xlsx package with its parts in BIFF12 records instead of XML
([MS-XLSB]): the same relationships, shared strings, cell styles and number formats. No
library measured gives all three of values, merged ranges and number formats (pyxlsb
gives values, python-calamine values and merges), so the records are read here, streamed,
with the same package limits as .xlsx.
"""

from __future__ import annotations

import math
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..i18n import _
from ..numfmt import builtin_format
from .grid import CellError, Grid, NotComputed
from .ooxml import MAX_COLS, MAX_ROWS, _norm
from .xlsx import SheetRef, XlsxPackage

# record types used here ([MS-XLSB] 2.3)
ROW_HDR, CELL_BLANK, CELL_RK, CELL_ERROR, CELL_BOOL, CELL_REAL, CELL_ST, CELL_ISST = range(8)
FMLA_STRING, FMLA_NUM, FMLA_BOOL, FMLA_ERROR = 8, 9, 10, 11
SST_ITEM, FMT, XF, WB_PROP, BUNDLE_SH, MERGE_CELL = 19, 44, 47, 153, 156, 176
BEGIN_CELL_XFS, END_CELL_XFS = 617, 618
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A"}


class Damaged(ValueError):
    """A record that runs past its part or holds impossible values."""


def records(fh: IO[bytes], max_record: int) -> Iterator[tuple[int, bytes]]:
    """(type, payload) for each record of a BIFF12 stream."""
    read = fh.read
    while True:
        first = read(1)
        if not first:
            return
        rtype = first[0] & 0x7F
        if first[0] & 0x80:
            b = read(1)
            if not b:
                raise Damaged("a record type runs past the end of the part")
            rtype |= (b[0] & 0x7F) << 7
        size, shift = 0, 0
        for _byte in range(4):
            b = read(1)
            if not b:
                raise Damaged("a record size runs past the end of the part")
            size |= (b[0] & 0x7F) << shift
            shift += 7
            if not b[0] & 0x80:
                break
        if size > max_record:
            raise Damaged(f"a record claims {size} bytes, more than its part holds ({max_record})")
        payload = read(size)
        if len(payload) != size:
            raise Damaged("a record runs past the end of the part")
        yield rtype, payload


def wide_string(data: bytes, at: int) -> tuple[str, int]:
    """An XLWideString at ``at``: a 4-byte character count and UTF-16LE text; (text, end)."""
    (n,) = struct.unpack_from("<I", data, at)
    if n == 0xFFFFFFFF:
        return "", at + 4
    end = at + 4 + 2 * n
    if end > len(data):
        raise Damaged("a string runs past its record")
    return data[at + 4 : end].decode("utf-16-le", "replace"), end


def rk_number(raw: int) -> float | int:
    if raw & 2:
        value: float | int = raw >> 2 if raw < 2**31 else (raw >> 2) - 2**30
    else:
        value = struct.unpack("<d", struct.pack("<Q", (raw & 0xFFFFFFFC) << 32))[0]
    if raw & 1:
        value = value / 100
    return value


class XlsbPackage(XlsxPackage):
    """An opened .xlsb: the xlsx package reader with BIFF12 parts."""

    def _stream(self, part: str, handle: Any) -> None:
        """Feed each record of ``part`` to ``handle(type, payload)``, with errors named."""
        try:
            info = self.parts[_norm(part)]
            with self.zip.open(info) as fh:
                for rtype, payload in records(fh, min(self.limits["max_part_bytes"], info.file_size)):
                    handle(rtype, payload)
        except KeyError:
            raise self._fail(f"the package has no part {part}") from None
        except (Damaged, struct.error) as e:
            raise self._fail(f"part {part} is damaged ({e or 'a record is too short'}); re-save the workbook") from None
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as e:
            raise self._fail(f"part {part} is damaged ({e}); re-save the workbook") from None

    def _workbook(self) -> tuple[list[SheetRef], str | None, str | None]:
        root = self._rels("")
        wb_part = next((t for kind, t in root.values() if kind == "officeDocument"), "xl/workbook.bin")
        if not self.has(wb_part):
            raise self._fail("is a zip file but not a workbook (no xl/workbook.bin)")
        rels = self._rels(wb_part)
        sheets: list[SheetRef] = []

        def handle(rtype: int, data: bytes) -> None:
            if rtype == WB_PROP and len(data) >= 4:
                self.date1904 = bool(data[0] & 1)
            elif rtype == BUNDLE_SH:
                rid, at = wide_string(data, 8)
                name, _ = wide_string(data, at)
                kind, target = rels.get(rid, ("", ""))
                if not target or target.startswith("..") or not self.has(target):
                    raise self._fail(f"sheet '{name}' points to {target or 'no part'}, which is not in the package")
                if kind in ("worksheet", ""):
                    sheets.append(SheetRef(name, target))

        self._stream(wb_part, handle)
        strings = next((t for k, t in rels.values() if k == "sharedStrings" and self.has(t)), None)
        styles = next((t for k, t in rels.values() if k == "styles" and self.has(t)), None)
        if len({_norm(s.part) for s in sheets}) != len(sheets):
            raise self._fail("two sheets point to the same part; a workbook gives each sheet its own")
        return sheets, strings, styles

    def _shared_strings(self) -> list[str]:
        strings: list[str] = []

        def handle(rtype: int, data: bytes) -> None:
            if rtype == SST_ITEM:
                strings.append(wide_string(data, 1)[0])  # after the flags; runs and phonetics ignored

        self._stream(self._strings_part, handle)
        return strings

    def _styles(self) -> list[str | int]:
        custom: dict[int, str] = {}
        xfs: list[str | int] = []
        state = {"cell_xfs": False}

        def handle(rtype: int, data: bytes) -> None:
            if rtype == FMT:
                (fid,) = struct.unpack_from("<H", data, 0)
                custom[fid] = wide_string(data, 2)[0]
            elif rtype == BEGIN_CELL_XFS:
                state["cell_xfs"] = True
            elif rtype == END_CELL_XFS:
                state["cell_xfs"] = False
            elif rtype == XF and state["cell_xfs"]:
                (fid,) = struct.unpack_from("<H", data, 2)
                xfs.append(custom.get(fid) or fid)

        self._stream(self._styles_part, handle)
        return xfs

    def grid(self, sheet: SheetRef) -> Grid:
        grid = Grid(sheet.name, self.path, properties=self.properties, date1904=self.date1904)
        cells = _BinaryCells(self, sheet, grid)
        self._stream(sheet.part, cells.handle)
        return grid


class _BinaryCells:
    def __init__(self, pkg: XlsbPackage, sheet: SheetRef, grid: Grid):
        self.pkg, self.sheet, self.grid = pkg, sheet, grid
        self.row = 0
        self.count = 0
        self.max_cells = pkg.limits["max_cells"]

    def fail(self, message: str) -> InputError:
        return self.pkg._fail(f"sheet '{self.sheet.name}': {message}")

    def handle(self, rtype: int, data: bytes) -> None:
        if rtype == ROW_HDR:
            (row,) = struct.unpack_from("<I", data, 0)
            if row >= MAX_ROWS:
                raise self.fail(f"row {row + 1} is past the last row a sheet has ({MAX_ROWS})")
            self.row = row
        elif rtype == MERGE_CELL:
            r1, r2, c1, c2 = struct.unpack_from("<4I", data, 0)
            if max(r1, r2) >= MAX_ROWS or max(c1, c2) >= MAX_COLS:
                raise self.fail(
                    f"a merged range reaches past the sheet (row {max(r1, r2) + 1}, column {max(c1, c2) + 1})"
                )
            self.grid.merges.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
        elif CELL_BLANK < rtype <= FMLA_ERROR:
            col, style = struct.unpack_from("<II", data, 0)
            if col >= MAX_COLS:
                raise self.fail(f"a cell in column {col + 1} is past the last column a sheet has ({MAX_COLS})")
            self.count += 1
            if self.count > self.max_cells:
                raise self.fail(f"holds more than {self.max_cells} cells (the cell limit); no form is that large")
            self.cell(rtype, data, (self.row, col), style & 0xFFFFFF)

    def cell(self, rtype: int, data: bytes, key: tuple[int, int], style: int) -> None:
        values = self.grid.values
        if rtype in (CELL_RK, CELL_REAL, FMLA_NUM):
            value = (
                rk_number(struct.unpack_from("<I", data, 8)[0])
                if rtype == CELL_RK
                else struct.unpack_from("<d", data, 8)[0]
            )
            if isinstance(value, float) and not math.isfinite(value):
                raise self.fail(f"cell {self.grid.where(*key)} holds {value}, which is not a finite number")
            if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
                value = int(value)
            if rtype == FMLA_NUM and self.pkg.stale_formulas:
                values[key] = NotComputed("")
                return
            values[key] = value
            try:
                fmt = self.pkg.number_formats[style]
            except IndexError:
                fmt = 0
            if fmt:
                self.grid.formats[key] = fmt if isinstance(fmt, str) else builtin_format(fmt)
        elif rtype in (CELL_ST, FMLA_STRING):
            values[key] = wide_string(data, 8)[0]
        elif rtype == CELL_ISST:
            (i,) = struct.unpack_from("<I", data, 8)
            if i >= len(self.pkg.strings):
                raise self.fail(f"cell {self.grid.where(*key)} points to shared string {i}, which does not exist")
            values[key] = self.pkg.strings[i]
        elif rtype in (CELL_BOOL, FMLA_BOOL):
            values[key] = bool(data[8])
        elif rtype in (CELL_ERROR, FMLA_ERROR):
            values[key] = CellError(ERRORS.get(data[8], "#ERROR"))


def xlsb_grids(path: Path, limits: dict[str, int] | None = None) -> Iterator[Grid]:
    with XlsbPackage(path, limits) as pkg:
        if not pkg.sheets:
            raise InputError(_("the workbook lists no worksheets"), file=str(path))
        yield from pkg.grids()
