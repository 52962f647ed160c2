"""Legacy Excel workbooks (.xls, BIFF8; also WPS's .et where it is BIFF) -> grids, through xlrd.

xlrd reads values, merged ranges and, with ``formatting_info``, each cell's number format,
so a number shows as it does in the same form saved as .xlsx (0.9 in ``0%`` is ``90%``).
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..i18n import _
from ..numfmt import EAST_ASIAN_FORMATS
from ..safety import input_errors
from .grid import CellError, Grid, NotComputed
from .ooxml import DEFAULT_LIMITS

_EMPTY, _TEXT, _NUMBER, _DATE, _BOOLEAN, _ERROR, _BLANK = range(7)


def xls_grids(path: Path, limits: dict[str, int] | None = None) -> Iterator[Grid]:
    """Each worksheet of a .xls workbook as a grid, in workbook order."""
    import xlrd
    from xlrd.compdoc import CompDocError

    lim = {**DEFAULT_LIMITS, **(limits or {})}
    with input_errors(path):
        size = path.stat().st_size
    if size > lim["max_part_bytes"]:
        raise InputError(
            _("is {size} bytes (limit {limit}); not a workbook sheetsync will open").format(
                size=size, limit=lim["max_part_bytes"]
            ),
            file=str(path),
        )
    if size == 0:
        raise InputError(_("is empty (0 bytes), not a workbook"), file=str(path))
    failures = (xlrd.XLRDError, CompDocError, struct.error, ValueError, IndexError, KeyError, AssertionError, EOFError)
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=_Quiet())
    except failures as e:
        raise InputError(_why(e, path), file=str(path)) from None
    try:
        for i in range(book.nsheets):
            try:
                sheet = book.sheet_by_index(i)
            except failures as e:
                raise InputError(
                    _("sheet {sheet} is damaged ({error}); re-save the workbook").format(sheet=i + 1, error=e),
                    file=str(path),
                ) from None
            if sheet.nrows * sheet.ncols > lim["max_cells"] and _count(sheet) > lim["max_cells"]:
                raise InputError(
                    _("sheet '{name}' holds more than {limit} cells (the cell limit); no form is that large").format(
                        name=sheet.name, limit=lim["max_cells"]
                    ),
                    file=str(path),
                )
            yield _grid(book, sheet, path, _blank_formulas(book, i))
            book.unload_sheet(i)
    finally:
        book.release_resources()


def _why(e: Exception, path: Path) -> str:
    text = str(e)
    if "encrypted" in text.lower() or "password" in text.lower():
        return "is a password-protected workbook; open it, remove the password and save it as .xlsx"
    if path.suffix.lower() == ".et":
        return f"is a WPS .et workbook sheetsync cannot read ({text[:80]}); open it in WPS and save it as .xlsx"
    return f"is not a readable .xls workbook ({text[:80]}); open it and save it as .xlsx"


def _count(sheet) -> int:
    return sum(1 for r in range(sheet.nrows) for t in sheet.row_types(r) if t not in (_EMPTY, _BLANK))


def _blank_formulas(book, index: int) -> set[tuple[int, int]]:
    """Formula cells whose stored result is 0 or an empty text. Spreadsheets recompute an
    .xls from another program when they open it, and LibreOffice stores 0 for a formula
    whose result is empty (``IF(…,"",…)``): such a result is read as not computed, so a
    template's own formulas are worked out from the form and any other one is reported."""
    mem, found = getattr(book, "mem", None), set()
    try:
        at = book._sh_abs_posn[index]
    except (AttributeError, IndexError):
        return found
    while mem is not None and at + 4 <= len(mem):
        rtype, size = struct.unpack_from("<HH", mem, at)
        if rtype == 0x000A:  # EOF of the sheet
            break
        if rtype == 0x0006 and size >= 14:  # FORMULA: row, col, xf, result
            row, col = struct.unpack_from("<HH", mem, at + 4)
            result = mem[at + 10 : at + 18]
            if result == bytes(8) or (result[6:8] == b"\xff\xff" and result[0] == 3):
                found.add((row, col))
        at += 4 + size
    return found


def _grid(book, sheet, path: Path, blank_formulas: set[tuple[int, int]]) -> Grid:
    grid = Grid(sheet.name, str(path), date1904=book.datemode == 1)
    for rlo, rhi, clo, chi in sheet.merged_cells:
        grid.merges.append((rlo, clo, rhi - 1, chi - 1))
    for r in range(sheet.nrows):
        types, values = sheet.row_types(r), sheet.row_values(r)
        for c, (t, v) in enumerate(zip(types, values, strict=False)):
            if (r, c) in blank_formulas:
                grid.values[(r, c)] = NotComputed("")
            elif t == _TEXT:
                if v != "":
                    grid.values[(r, c)] = v
            elif t in (_NUMBER, _DATE):
                if not math.isfinite(v):
                    raise InputError(
                        _("sheet '{name}': cell {where} holds {value}, which is not a finite number").format(
                            name=sheet.name, where=grid.where(r, c), value=v
                        ),
                        file=str(path),
                    )
                grid.values[(r, c)] = int(v) if float(v).is_integer() and abs(v) < 2**53 else v
                fmt = _format(book, sheet.cell_xf_index(r, c))
                if fmt and fmt != "General":
                    grid.formats[(r, c)] = fmt
            elif t == _BOOLEAN:
                grid.values[(r, c)] = bool(v)
            elif t == _ERROR:
                import xlrd

                grid.values[(r, c)] = CellError(xlrd.error_text_from_code.get(v, "#ERROR"))
    return grid


def _format(book, xf_index: int) -> str | None:
    try:
        key = book.xf_list[xf_index].format_key
    except IndexError:
        return None
    fmt = book.format_map.get(key)
    if fmt is None:
        return EAST_ASIAN_FORMATS.get(key)
    return fmt.format_str


class _Quiet:
    """xlrd writes warnings to a log file; sheetsync reports problems itself."""

    def write(self, _text: str) -> int:
        return 0
