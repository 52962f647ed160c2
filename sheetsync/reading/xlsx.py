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
from ..safety import input_errors
from ..spec import PROPERTY_TEMPLATE
from ..values import number_text
from .grid import SHEET_STATE, Grid, NotComputed

_NS_SEP = "}"
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")

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


def _ref(ref: str) -> tuple[int, int]:
    m = _CELL_REF.match(ref.upper().replace("$", ""))
    if not m:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _range(ref: str) -> tuple[int, int, int, int]:
    a, _, b = ref.partition(":")
    r1, c1 = _ref(a)
    r2, c2 = _ref(b or a)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


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
            with self.zip.open(part) as fh:
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
        if rels_part not in self.zip.NameToInfo:
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
        if wb_part not in self.zip.NameToInfo:
            raise self._fail("is a zip file but not a workbook (no xl/workbook.xml)")
        rels = self._rels(wb_part)
        sheets: list[SheetRef] = []

        def start(tag: str, attrs: dict[str, str]) -> None:
            if _local(tag) == "calcPr" and attrs.get("fullCalcOnLoad") in ("1", "true"):
                # the writer asks for a recalculation: cached formula results are placeholders
                self.stale_formulas = True
            if _local(tag) == "sheet":
                rid = _attr(attrs, "id") or ""
                kind, target = rels.get(rid, ("", ""))
                if not target:
                    raise ValueError(f"sheet '{attrs.get('name')}' points to no part in the package")
                if target.startswith("..") or target not in self.zip.NameToInfo:
                    raise ValueError(f"sheet '{attrs.get('name')}' points to {target}, which is not in the package")
                if kind in ("worksheet", ""):
                    sheets.append(SheetRef(attrs.get("name", ""), target, attrs.get("state", "visible")))

        self._parse(wb_part, start)
        strings = next((t for k, t in rels.values() if k == "sharedStrings"), None)
        styles = next((t for k, t in rels.values() if k == "styles"), None)
        if strings and strings not in self.zip.NameToInfo:
            strings = None
        if styles and styles not in self.zip.NameToInfo:
            styles = None
        return sheets, strings, styles

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
        if part not in self.zip.NameToInfo:
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

    def grid(self, sheet: SheetRef) -> Grid:
        grid = Grid(sheet.name, self.path, properties={**self.properties, SHEET_STATE: sheet.state})
        values, formats = grid.values, grid.formats
        strings, numfmts = self.strings, self.number_formats
        cell: dict[str, Any] = {}
        text: list[str] = []
        pos = {"row": -1, "col": -1, "collect": False, "in_is": False}

        def start(tag: str, attrs: dict[str, str]) -> None:
            name = _local(tag)
            if name == "c":
                ref = attrs.get("r")
                if ref:
                    pos["row"], pos["col"] = _ref(ref)
                else:  # writers may leave r out: cells then follow one another
                    pos["col"] += 1
                cell.clear()
                cell["t"] = attrs.get("t", "n")
                cell["s"] = attrs.get("s")
                cell["v"] = None
                cell["f"] = False
            elif name == "row":
                r = attrs.get("r")
                pos["row"] = int(r) - 1 if r else pos["row"] + 1
                pos["col"] = -1
            elif name == "v":
                pos["collect"] = True
                text.clear()
            elif name == "is":
                pos["in_is"] = True
                text.clear()
            elif name == "t" and pos["in_is"]:
                pos["collect"] = True
            elif name == "rPh":
                pos["collect"] = False
            elif name == "f":
                cell["f"] = True
            elif name == "mergeCell":
                ref = attrs.get("ref")
                if ref:
                    grid.merges.append(_range(ref))

        def end(tag: str) -> None:
            name = _local(tag)
            if name == "v":
                cell["v"] = "".join(text)
                pos["collect"] = False
            elif name == "t" and pos["in_is"]:
                pos["collect"] = False
            elif name == "is":
                cell["v"] = "".join(text)
                pos["in_is"] = False
            elif name == "c":
                _store(cell, (pos["row"], pos["col"]))

        def chars(data: str) -> None:
            if pos["collect"]:
                text.append(data)

        max_cells = self.limits["max_cells"]

        def _store(c: dict[str, Any], key: tuple[int, int]) -> None:
            t, v = c["t"], c["v"]
            # a formula's result: none written, an empty <v/> (writers that do not compute), or a
            # placeholder the file asks to recompute (fullCalcOnLoad)
            if v is None or (c["f"] and (self.stale_formulas or (not v and t not in ("str", "inlineStr")))):
                if c["f"]:
                    values[key] = NotComputed("")
                return
            if len(values) >= max_cells:
                raise ValueError(f"sheet '{sheet.name}' holds more than {max_cells} cells; no form is that large")
            if t == "s":
                try:
                    values[key] = strings[int(v)]
                except (ValueError, IndexError):
                    raise ValueError(f"cell {key} points to shared string {v}, which does not exist") from None
            elif t in ("inlineStr", "str"):
                values[key] = _unescape(v)
            elif t == "b":
                values[key] = v.strip() in ("1", "true")
            elif t == "e":
                values[key] = v
            elif t == "n":
                v = v.strip()
                if not v:
                    return
                try:
                    values[key] = number_text(v)
                except ValueError:
                    raise ValueError(f"cell {key} holds '{v[:20]}', which is not a number") from None
                s = c["s"]
                if s is not None:
                    try:
                        fmt = numfmts[int(s)]
                    except (ValueError, IndexError):
                        fmt = 0
                    if fmt:
                        formats[key] = fmt if isinstance(fmt, str) else _builtin_format(fmt)
            else:  # t="d": an ISO date; keep its text
                values[key] = v

        self._parse(sheet.part, start, end, chars)
        return grid


def _builtin_format(fid: int) -> str:
    """A built-in number format by id (9 is ``0%``), from openpyxl's table, imported only when needed."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    return BUILTIN_FORMATS.get(fid, "General")


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
        return "is a legacy .xls workbook; open it in Excel or WPS and save it as .xlsx"
    return "is an OLE2 file (a legacy .xls or a password-protected workbook); re-save it as .xlsx without a password"
