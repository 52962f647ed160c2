"""Generated hostile and broken inputs: nothing large is committed, every file is made here."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>"""


def rezip(
    src: Path,
    dst: Path,
    edits: dict[str, bytes | Callable[[bytes], bytes] | None] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """Copy a workbook part by part, replacing (bytes), transforming (callable) or dropping (None) parts."""
    edits = edits or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in edits:
                edit = edits[info.filename]
                if edit is None:
                    continue
                data = edit(data) if callable(edit) else edit
            zout.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


def sheet_part(src: Path, n: int = 1) -> str:
    return f"xl/worksheets/sheet{n}.xml"


def ole2(dst: Path, stream: str) -> Path:
    """An OLE2 compound file header followed by a directory entry naming ``stream``."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    entry = stream.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64
    dst.write_bytes(header + entry + b"\x00" * 1024)
    return dst


def zip_of(dst: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return dst


def ods(dst: Path) -> Path:
    with zipfile.ZipFile(dst, "w") as z:
        z.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", b"<office:document-content/>")
    return dst


def bomb(src: Path, dst: Path, part: str, size: int) -> Path:
    """A workbook whose ``part`` inflates to ``size`` bytes from a few kilobytes."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for info in zin.infolist():
            if info.filename == part:
                continue
            zout.writestr(info.filename, zin.read(info))
        with zout.open(part, "w", force_zip64=True) as fh:
            fh.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            block = b"A" * (16 << 20)
            written = 0
            while written < size:
                fh.write(block)
                written += len(block)
            fh.write(b"</t></si></sst>")
    return dst


def corrupt_crc(src: Path, dst: Path, part: str) -> Path:
    """The workbook stored uncompressed, with one byte of ``part`` changed after its CRC was taken."""
    rezip(src, dst, compression=zipfile.ZIP_STORED)
    data = bytearray(dst.read_bytes())
    with zipfile.ZipFile(dst) as z:
        info = z.getinfo(part)
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    target = data.find(b"<", offset + 200)
    data[target + 1] = ord("x") if data[target + 1] != ord("x") else ord("y")
    dst.write_bytes(bytes(data))
    return dst


def truncated(src: Path, dst: Path) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: len(data) // 2])
    return dst


def copy(src: Path, dst: Path) -> Path:
    shutil.copy(src, dst)
    return dst


def in_memory_zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def formula_flood(src: Path, dst: Path, cells: int) -> Path:
    """``cells`` formula cells without results (rows and cells without r, so it packs small)."""
    row = b"<row>" + b"<c><f>1+1</f></c>" * 1000 + b"</row>"

    def edit(xml: bytes) -> bytes:
        end = xml.find(b"</sheetData>")
        return xml[:end] + row * (cells // 1000 + 1) + xml[end:]

    return rezip(src, dst, {"xl/worksheets/sheet1.xml": edit})


def shared_part(src: Path, dst: Path, sheets: int) -> Path:
    """A workbook whose ``sheets`` sheets all point to the part of the first one."""

    def edit(xml: bytes) -> bytes:
        start = xml.find(b"<sheet ")
        end = xml.find(b"/>", start) + 2
        first = xml[start:end]
        extra = b"".join(
            first.replace(b'sheetId="1"', b'sheetId="%d"' % (100 + i)).replace(b'name="', b'name="copy%d' % i)
            for i in range(sheets - 1)
        )
        return xml[:end] + extra + xml[end:]

    return rezip(src, dst, {"xl/workbook.xml": edit})


def with_ref(src: Path, dst: Path, old: bytes, new: bytes) -> Path:
    """The first sheet with its first ``old`` (e.g. r="A1") written as ``new``."""
    return rezip(src, dst, {"xl/worksheets/sheet1.xml": lambda x: x.replace(old, new, 1)})


def ods_flood(dst: Path) -> Path:
    """An .ods of a few hundred bytes whose repeated rows and columns hold 17 billion numbers."""
    content = (
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet>'
        b'<table:table table:name="S"><table:table-row table:number-rows-repeated="1048576">'
        b'<table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>'
        b"</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(dst, "w") as z:
        z.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
    return dst


def xlsb_record(dst: Path, sheet: bytes) -> Path:
    """An .xlsb whose one sheet part holds ``sheet`` (raw BIFF12 records)."""
    from tests.xlsb import record, wide

    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"

    def rels(kind: str, target: str) -> str:
        link = f'<Relationship Id="rId1" Type="{rel}/{kind}" Target="{target}"/>'
        return f'<Relationships xmlns="{pkg}">{link}</Relationships>'

    with zipfile.ZipFile(dst, "w") as z:
        z.writestr("_rels/.rels", rels("officeDocument", "xl/workbook.bin"))
        z.writestr("xl/_rels/workbook.bin.rels", rels("worksheet", "worksheets/sheet1.bin"))
        z.writestr("xl/workbook.bin", record(131) + record(156, b"\x00" * 8 + wide("rId1") + wide("S")) + record(132))
        z.writestr("xl/worksheets/sheet1.bin", sheet)
    return dst
