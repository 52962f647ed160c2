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
