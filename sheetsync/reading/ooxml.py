"""The package level of OOXML workbooks (.xlsx, .xlsm, .xlsb): opening the zip, telling
what kind of workbook a file holds, part names as OPC compares them, cell references, and
the expat parser with DTDs refused."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ..errors import InputError
from ..i18n import _
from ..safety import input_errors

_NS_SEP = "}"
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CELL_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})$")
MAX_ROWS, MAX_COLS = 1_048_576, 16_384  # the largest sheet a spreadsheet has
# the starts of a cell element, plain or with a namespace prefix (<c r=…>, <x:c r=…>, <c/>)
_CELL_TAG = (b"<c ", b"<c>", b"<c/", b":c ", b":c/")

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

    def refuse(*_args: Any) -> None:
        raise ValueError(_("the XML declares a DTD or entities, which a workbook never needs"))

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


def count_matches(z: zipfile.ZipFile, info: zipfile.ZipInfo, starts: tuple[bytes, ...]) -> int:
    """How many times the element ``starts`` occur in a part, counted over its raw bytes (at
    the speed of unpacking): a part with more cells than the limit is refused before the
    slower parse starts."""
    count, tail = 0, b""
    keep = max(len(s) for s in starts) - 1
    try:
        with z.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                data = tail + chunk
                count += sum(data.count(s) for s in starts)
                tail = data[-keep:]
                count -= sum(tail.count(s) for s in starts)  # counted again with the next chunk
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        return 0  # the parse that follows names the problem
    return count + sum(tail.count(s) for s in starts)


def _norm(name: str) -> str:
    """A part name as OPC compares them: '/' separators, no leading '/', any case."""
    return name.replace("\\", "/").lstrip("/").lower()


def _open_zip(path: str) -> zipfile.ZipFile:
    p = Path(path)
    with input_errors(path), open(p, "rb") as fh:
        head = fh.read(8)
    if not head:
        raise InputError(_("is empty (0 bytes), not a workbook"), file=path) from None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(_ole2_kind(p), file=path)
    try:
        z = zipfile.ZipFile(p)
    except zipfile.BadZipFile:
        if head.startswith(b"PK"):
            raise InputError(
                _("is a damaged or truncated workbook (its zip directory is missing); re-save it or ask for it again"),
                file=path,
            ) from None
        raise InputError(
            _("is not an xlsx workbook (not a zip package); if it is CSV or text, give it a .csv or .txt name"),
            file=path,
        ) from None
    except OSError as e:
        raise InputError(_("cannot be read ({error})").format(error=e.strerror or e), file=path) from None
    if "mimetype" in z.NameToInfo and "xl/workbook.xml" not in z.NameToInfo:
        try:
            mimetype = z.read("mimetype")[:100]
        except Exception:
            mimetype = b""
        z.close()
        if b"opendocument.spreadsheet" in mimetype:
            raise InputError(_("is an OpenDocument spreadsheet (.ods), not .xlsx; save it as .xlsx first"), file=path)
        raise InputError(_("is an OpenDocument file, not an xlsx workbook"), file=path)
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
