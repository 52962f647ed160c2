"""xlsx package -> grids, streaming.

The package is parsed here rather than through openpyxl's loaders for two reasons measured
on our forms: openpyxl's normal mode spends ~24 ms a sheet styling merged cells, and its
shared-string reader drops the ``_x005F_`` escape and leaves ``_x000D_`` undecoded, so a
carriage return or a literal ``_x0041_`` cannot round-trip through it. openpyxl still
supplies the built-in number formats. Parsing uses expat with DTDs refused, so no entity
tricks (billion laughs, external entities) reach it.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ..errors import InputError
from ..numfmt import builtin_format, datetime_serial
from ..safety import input_errors
from ..spec import PROPERTY_TEMPLATE
from ..values import number_text
from .grid import CellError, Grid, NotComputed, cell_name

_NS_SEP = "}"
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CELL_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})$")
MAX_ROWS, MAX_COLS = 1_048_576, 16_384  # the largest sheet a spreadsheet has
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")

# Limits that keep a hostile package from exhausting memory; see zip_limits().
DEFAULT_LIMITS = {
    "max_part_bytes": 256 * 2**20,  # one part, unpacked
    "max_total_bytes": 1024 * 2**20,  # the whole package, unpacked
    "max_ratio": 200,  # unpacked : packed, for parts over 1 MiB
    "max_entries": 10_000,  # parts in the package
    "max_cells": 2_000_000,  # cells in one sheet
}
_CHUNK = 1 << 20


def _unescape(text: str) -> str:
    """Decode Excel's ``_xHHHH_`` escapes; ``_x005F_`` protects a literal one."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


class BadReference(ValueError):
    """A cell reference that names no cell of a sheet (``abc``, ``ZZZZZ1``, ``A0``)."""


def _ref(ref: str) -> tuple[int, int]:
    m = _CELL_REF.match(ref.upper().replace("$", ""))
    if not m:
        raise BadReference(ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    row = int(m.group(2))
    if row > MAX_ROWS or col > MAX_COLS:
        raise BadReference(ref)
    return row - 1, col - 1


def _parser(start: Any = None, end: Any = None, chars: Any = None) -> expat.XMLParserType:
    p = expat.ParserCreate(namespace_separator=_NS_SEP)
    p.buffer_text = True

    def refuse(*_: Any) -> None:
        raise ValueError("the XML declares a DTD or entities, which a workbook never needs")

    p.StartDoctypeDeclHandler = refuse
    p.EntityDeclHandler = refuse
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    if start:
        p.StartElementHandler = start
    if end:
        p.EndElementHandler = end
    if chars:
        p.CharacterDataHandler = chars
    return p


def _local(name: str) -> str:
    return name.rpartition(_NS_SEP)[2]


def _attr(attrs: dict[str, str], name: str) -> str | None:
    """An attribute by local name, whatever namespace prefix a writer used."""
    if name in attrs:
        return attrs[name]
    for k, v in attrs.items():
        if _local(k) == name:
            return v
    return None


@dataclass
class SheetRef:
    name: str
    part: str
    state: str = "visible"


class XlsxPackage:
    """An opened workbook package: its sheets, shared strings, number formats, properties."""

    def __init__(self, path: str | Path, limits: dict[str, int] | None = None):
        self.path = str(path)
        self.limits = {**DEFAULT_LIMITS, **(limits or {})}
        self.zip = _open_zip(self.path)
        self.stale_formulas = False
        self.date1904 = False
        # OPC part names are case-insensitive, and some Windows tools write xl\workbook.xml
        self.parts: dict[str, zipfile.ZipInfo] = {}
        for info in self.zip.infolist():
            self.parts.setdefault(_norm(info.filename), info)
        try:
            self._check_sizes()
            self.sheets, self._strings_part, self._styles_part = self._workbook()
            self.strings = self._shared_strings() if self._strings_part else []
            self.number_formats = self._styles() if self._styles_part else []
            self.properties = self._custom_properties()
            if PROPERTY_TEMPLATE in self.properties:
                # sheetsync writes every formula with its result; only the request to
                # recalculate (fullCalcOnLoad) is xlsxwriter's default
                self.stale_formulas = False
        except BaseException:
            self.zip.close()
            raise

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> XlsxPackage:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    # -------------------------------------------------------------- package

    def _fail(self, message: str) -> InputError:
        return InputError(message, file=self.path)

    def _check_sizes(self) -> None:
        infos = self.zip.infolist()
        lim = self.limits
        if len(infos) > lim["max_entries"]:
            raise self._fail(
                f"the package has {len(infos)} parts (limit {lim['max_entries']}); not a workbook sheetsync will open"
            )
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > lim["max_part_bytes"]:
                raise self._fail(
                    f"part {info.filename} would unpack to {info.file_size} bytes "
                    f"(limit {lim['max_part_bytes']}); refusing a possible zip bomb"
                )
            if info.compress_size and info.file_size / info.compress_size > lim["max_ratio"] and info.file_size > 2**20:
                raise self._fail(
                    f"part {info.filename} is compressed {info.file_size // info.compress_size}:1 "
                    f"(limit {lim['max_ratio']}:1); refusing a possible zip bomb"
                )
        if total > lim["max_total_bytes"]:
            raise self._fail(
                f"the package would unpack to {total} bytes (limit {lim['max_total_bytes']}); "
                "refusing a possible zip bomb"
            )

    def _parse(self, part: str, start: Any = None, end: Any = None, chars: Any = None) -> None:
        """Stream ``part`` through expat in chunks, so memory stays flat whatever its size."""
        parser = _parser(start, end, chars)
        try:
            with self.zip.open(self.parts[_norm(part)]) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    parser.Parse(chunk, not chunk)
                    if not chunk:
                        break
        except KeyError:
            raise self._fail(f"the package has no part {part}") from None
        except expat.ExpatError as e:
            raise self._fail(
                f"part {part} is not well-formed XML ({expat.errors.messages[e.code]} at line {e.lineno})"
            ) from None
        except ValueError as e:
            raise self._fail(f"part {part}: {e}") from None
        except LookupError as e:  # an XML declaration naming an encoding that does not exist
            raise self._fail(f"part {part} is not readable XML ({e})") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error) as e:
            raise self._fail(f"part {part} is damaged ({e}); re-save the workbook") from None

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part) for ``part``."""
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", name + ".rels")
        out: dict[str, tuple[str, str]] = {}
        if not self.has(rels_part):
            return out

        def start(tag: str, attrs: dict[str, str]) -> None:
            if _local(tag) == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                if target.startswith("/"):
                    resolved = target.lstrip("/")
                else:
                    resolved = posixpath.normpath(posixpath.join(folder, target))
                out[attrs.get("Id", "")] = (attrs.get("Type", "").rpartition("/")[2], resolved)

        self._parse(rels_part, start)
        return out

    def _workbook(self) -> tuple[list[SheetRef], str | None, str | None]:
        root = self._rels("")
        wb_part = next((t for kind, t in root.values() if kind == "officeDocument"), "xl/workbook.xml")
        if not self.has(wb_part):
            wb_part = "xl/workbook.xml"
        if not self.has(wb_part):
            raise self._fail("is a zip file but not a workbook (no xl/workbook.xml)")
        rels = self._rels(wb_part)
        sheets: list[SheetRef] = []

        def start(tag: str, attrs: dict[str, str]) -> None:
            if _local(tag) == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                self.date1904 = True
            if _local(tag) == "calcPr" and attrs.get("fullCalcOnLoad") in ("1", "true"):
                # the writer asks for a recalculation: cached formula results are placeholders
                self.stale_formulas = True
            if _local(tag) == "sheet":
                rid = _attr(attrs, "id") or ""
                kind, target = rels.get(rid, ("", ""))
                if not target:
                    raise ValueError(f"sheet '{attrs.get('name')}' points to no part in the package")
                if target.startswith("..") or not self.has(target):
                    raise ValueError(f"sheet '{attrs.get('name')}' points to {target}, which is not in the package")
                if kind in ("worksheet", ""):
                    sheets.append(SheetRef(attrs.get("name", ""), target, attrs.get("state", "visible")))

        self._parse(wb_part, start)
        strings = next((t for k, t in rels.values() if k == "sharedStrings"), None)
        styles = next((t for k, t in rels.values() if k == "styles"), None)
        if strings and not self.has(strings):
            strings = None
        if styles and not self.has(styles):
            styles = None
        seen: dict[str, str] = {}
        for sheet in sheets:
            other = seen.setdefault(_norm(sheet.part), sheet.name)
            if other != sheet.name:
                raise self._fail(
                    f"sheets '{other}' and '{sheet.name}' point to the same part {sheet.part}; "
                    "a workbook gives each sheet its own"
                )
        return sheets, strings, styles

    def has(self, part: str) -> bool:
        return _norm(part) in self.parts

    def _shared_strings(self) -> list[str]:
        strings: list[str] = []
        buf: list[str] = []
        state = {"in_t": False, "skip": 0}

        def start(tag: str, _attrs: dict[str, str]) -> None:
            name = _local(tag)
            if name == "si":
                buf.clear()
            elif name == "t":
                state["in_t"] = True
            elif name in ("rPh", "phoneticPr"):
                state["skip"] += 1  # phonetic guides are not part of the cell's text

        def end(tag: str) -> None:
            name = _local(tag)
            if name == "si":
                strings.append(_unescape("".join(buf)))
            elif name == "t":
                state["in_t"] = False
            elif name in ("rPh", "phoneticPr"):
                state["skip"] -= 1

        def chars(data: str) -> None:
            if state["in_t"] and not state["skip"]:
                buf.append(data)

        self._parse(self._strings_part, start, end, chars)
        return strings

    def _styles(self) -> list[str | int]:
        """Per cell style: its number format code, or the id of a built-in format."""
        custom: dict[int, str] = {}
        xfs: list[str | int] = []
        depth = {"cellXfs": False}

        def start(tag: str, attrs: dict[str, str]) -> None:
            name = _local(tag)
            if name == "numFmt":
                try:
                    custom[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "General")
                except ValueError:
                    pass
            elif name == "cellXfs":
                depth["cellXfs"] = True
            elif name == "xf" and depth["cellXfs"]:
                try:
                    fid = int(attrs.get("numFmtId", "0"))
                except ValueError:
                    fid = 0
                xfs.append(custom.get(fid) or fid)

        def end(tag: str) -> None:
            if _local(tag) == "cellXfs":
                depth["cellXfs"] = False

        self._parse(self._styles_part, start, end)
        return xfs

    def _custom_properties(self) -> dict[str, str]:
        part = "docProps/custom.xml"
        if not self.has(part):
            return {}
        props: dict[str, str] = {}
        current: dict[str, Any] = {"name": None, "buf": []}

        def start(tag: str, attrs: dict[str, str]) -> None:
            if _local(tag) == "property":
                current["name"] = attrs.get("name")
                current["buf"] = []

        def end(tag: str) -> None:
            if _local(tag) == "property" and current["name"]:
                props[current["name"]] = "".join(current["buf"])
                current["name"] = None

        def chars(data: str) -> None:
            if current["name"]:
                current["buf"].append(data)

        self._parse(part, start, end, chars)
        return props

    # -------------------------------------------------------------- sheets

    def grids(self) -> Iterator[Grid]:
        """Each worksheet as a grid, in workbook order."""
        for sheet in self.sheets:
            yield self.grid(sheet)

    def check_cells(self, part: str, sheet: str, pattern: re.Pattern[bytes] = _CELL_TAG) -> None:
        limit = self.limits["max_cells"]
        info = self.parts.get(_norm(part))
        if info is not None and info.file_size > 10 * limit and count_matches(self.zip, info, pattern) > limit:
            raise self._fail(f"sheet '{sheet}' holds more than {limit} cells (the cell limit); no form is that large")

    def grid(self, sheet: SheetRef) -> Grid:
        self.check_cells(sheet.part, sheet.name)
        grid = Grid(sheet.name, self.path, properties=self.properties, date1904=self.date1904)
        cells = _SheetCells(self, sheet, grid)
        try:
            self._parse(sheet.part, cells.start, cells.end, cells.chars)
        except InputError as e:
            # name the sheet rather than its part: the user knows the sheet
            e.message = e.message.replace(f"part {sheet.part}: ", f"sheet '{sheet.name}': ", 1)
            e.args = (str(e),)
            raise
        return grid


class _SheetCells:
    """The handlers that stream one worksheet part into a grid."""

    def __init__(self, pkg: XlsxPackage, sheet: SheetRef, grid: Grid):
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
            raise ValueError(f"cell reference '{ref[:40]}' names no cell (A1 to XFD1048576)") from None

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
                    raise ValueError(f"row number '{r[:40]}' names no row (1 to {MAX_ROWS})")
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
            raise ValueError(f"holds more than {self.max_cells} cells (the cell limit); no form is that large")
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
                    f"cell {cell_name(*key)} points to shared string {v[:20]}, which does not exist"
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
            raise ValueError(f"cell {cell_name(*key)} holds '{v[:20]}', which is not a finite number") from None
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
    import datetime as dt

    try:
        return datetime_serial(dt.datetime.fromisoformat(text.rstrip("Z")), date1904)
    except ValueError:
        return text


def count_matches(z: zipfile.ZipFile, info: zipfile.ZipInfo, pattern: re.Pattern[bytes]) -> int:
    """How many times ``pattern`` (an element's start) occurs in a part, counted over its raw
    bytes at about 50 MB/s: a part with more cells than the limit is refused before the
    slower parse starts."""
    count, tail = 0, b""
    try:
        with z.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                data = tail + chunk
                cut = max(0, len(data) - 64)
                count += len(pattern.findall(data, 0, cut))
                tail = data[cut:]
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        return 0  # the parse that follows names the problem
    return count + len(pattern.findall(tail))


def _norm(name: str) -> str:
    """A part name as OPC compares them: '/' separators, no leading '/', any case."""
    return name.replace("\\", "/").lstrip("/").lower()


def _open_zip(path: str) -> zipfile.ZipFile:
    p = Path(path)
    with input_errors(path), open(p, "rb") as fh:
        head = fh.read(8)
    if not head:
        raise InputError("is empty (0 bytes), not a workbook", file=path) from None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(_ole2_kind(p), file=path)
    try:
        z = zipfile.ZipFile(p)
    except zipfile.BadZipFile:
        if head.startswith(b"PK"):
            raise InputError(
                "is a damaged or truncated workbook (its zip directory is missing); re-save it or ask for it again",
                file=path,
            ) from None
        raise InputError(
            "is not an xlsx workbook (not a zip package); if it is CSV or text, give it a .csv or .txt name", file=path
        ) from None
    except OSError as e:
        raise InputError(f"cannot be read ({e.strerror or e})", file=path) from None
    if "mimetype" in z.NameToInfo and "xl/workbook.xml" not in z.NameToInfo:
        try:
            mimetype = z.read("mimetype")[:100]
        except Exception:
            mimetype = b""
        z.close()
        if b"opendocument.spreadsheet" in mimetype:
            raise InputError("is an OpenDocument spreadsheet (.ods), not .xlsx; save it as .xlsx first", file=path)
        raise InputError("is an OpenDocument file, not an xlsx workbook", file=path)
    return z


def workbook_kind(path: Path) -> str:
    """'xls', 'xlsb', 'ods' or 'xlsx' by what the file holds; the xlsx reader reports
    whatever is none of them. A password-protected workbook is refused here."""
    with input_errors(path), open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        kind = _ole2_kind(path)
        if "password" in kind:
            raise InputError(kind, file=str(path))
        return "xls"  # BIFF (.xls, and WPS's .et): the legacy reader says what it cannot read
    if not head.startswith(b"PK"):
        return "xlsx"
    try:
        with zipfile.ZipFile(path) as z:
            names = {_norm(n) for n in z.NameToInfo}
            if "xl/workbook.bin" in names and "xl/workbook.xml" not in names:
                return "xlsb"
            if "content.xml" in names and "xl/workbook.xml" not in names and "mimetype" in names:
                if b"opendocument.spreadsheet" in z.read("mimetype")[:100]:
                    return "ods"
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, zlib.error, NotImplementedError):
        pass
    return "xlsx"


def _ole2_kind(path: Path) -> str:
    """Tell a password-protected xlsx from a legacy .xls by the streams their OLE2 directory names."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(8 * 2**20)
    except OSError:
        data = b""
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return "is a password-protected workbook; open it, remove the password and save it as .xlsx"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "is a legacy .xls workbook"
    return "is an OLE2 file (a legacy .xls or a password-protected workbook); re-save it as .xlsx without a password"
