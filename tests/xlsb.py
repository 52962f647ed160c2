"""A small .xlsb writer for tests: no program on a test machine saves .xlsb (LibreOffice and
gnumeric read it only), so the tests write the binary records of [MS-XLSB] themselves and
check the result with independent readers (python-calamine, LibreOffice's import)."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from sheetsync.reading.grid import CellError, Grid

_ERRORS = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D, "#NUM!": 0x24, "#N/A": 0x2A}


def _varint(n: int, limit: int) -> bytes:
    out = bytearray()
    for _ in range(limit):
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            break
    return bytes(out)


def record(rtype: int, payload: bytes = b"") -> bytes:
    return _varint(rtype, 2) + _varint(len(payload), 4) + payload


def wide(text: str) -> bytes:
    data = text.encode("utf-16-le")
    return struct.pack("<I", len(data) // 2) + data


def _cell(col: int, style: int) -> bytes:
    return struct.pack("<II", col, style)


def _sheet(grid: Grid, strings: dict[str, int], xf_of: dict[str, int]) -> bytes:
    rows: dict[int, list[int]] = {}
    for r, c in grid.values:
        rows.setdefault(r, []).append(c)
    dim = struct.pack("<4I", 0, max(rows, default=0), 0, max((max(c) for c in rows.values()), default=0))
    out = [record(129), record(148, dim), record(145)]
    for r in sorted(rows):
        out.append(record(0, struct.pack("<IIHBBBI", r, 0, 300, 0, 0, 0, 0)))
        for c in sorted(rows[r]):
            v = grid.values[(r, c)]
            if isinstance(v, CellError):
                out.append(record(3, _cell(c, 0) + bytes([_ERRORS[v]])))
            elif isinstance(v, bool):
                out.append(record(4, _cell(c, 0) + bytes([v])))
            elif isinstance(v, str):
                out.append(record(7, _cell(c, 0) + struct.pack("<I", strings.setdefault(v, len(strings)))))
            else:
                style = xf_of.get(grid.formats.get((r, c), "General"), 0)
                out.append(record(5, _cell(c, style) + struct.pack("<d", v)))
    out.append(record(146))
    if grid.merges:
        out.append(record(177, struct.pack("<I", len(grid.merges))))
        out.extend(record(176, struct.pack("<4I", r1, r2, c1, c2)) for r1, c1, r2, c2 in grid.merges)
        out.append(record(178))
    out.append(record(130))
    return b"".join(out)


def _styles(formats: list[str]) -> bytes:
    out = [record(278), record(615, struct.pack("<I", len(formats)))]
    out.extend(record(44, struct.pack("<H", 164 + i) + wide(f)) for i, f in enumerate(formats))
    out.append(record(616))
    font = (
        struct.pack("<HHHHBBBB", 220, 0, 400, 0, 0, 0, 0, 0)
        + struct.pack("<BBBBBBBB", 1, 0, 0, 0, 0, 0, 0, 0)
        + wide("宋体")
    )
    out += [record(611, struct.pack("<I", 1)), record(43, font), record(612)]
    fill = struct.pack("<I", 0) + b"\x00" * 64
    out += [record(603, struct.pack("<I", 1)), record(45, fill), record(604)]
    border = b"\x00" + b"\x00" * 8 * 6
    out += [record(613, struct.pack("<I", 1)), record(46, border), record(614)]
    xf = [struct.pack("<HHHHHBBHB", 0xFFFF, 0, 0, 0, 0, 0, 0, 0, 0)]
    out += [record(626, struct.pack("<I", 1)), record(47, xf[0]), record(627)]
    cell_xfs = [struct.pack("<HHHHHBBHB", 0, 0, 0, 0, 0, 0, 0, 0, 0)]
    cell_xfs += [struct.pack("<HHHHHBBHB", 0, 164 + i, 0, 0, 0, 0, 0, 1, 0) for i in range(len(formats))]
    out += [record(617, struct.pack("<I", len(cell_xfs))), *(record(47, x) for x in cell_xfs), record(618)]
    out.append(record(279))
    return b"".join(out)


def write_xlsb(grids: list[Grid], path: Path, *, date1904: bool = False) -> Path:
    """The grids' values, number formats and merges as an .xlsb package."""
    formats = sorted({f for g in grids for f in g.formats.values() if f != "General"})
    xf_of = {f: i + 1 for i, f in enumerate(formats)}
    strings: dict[str, int] = {}
    sheets = [_sheet(g, strings, xf_of) for g in grids]
    sst = [record(159, struct.pack("<II", len(strings), len(strings)))]
    sst += [record(19, b"\x00" + wide(s)) for s in strings]
    sst.append(record(160))
    book = [record(131), record(153, struct.pack("<II", int(date1904), 0) + wide("")), record(143)]
    book += [
        record(156, struct.pack("<II", 0, i + 1) + wide(f"rId{i + 1}") + wide(g.name)) for i, g in enumerate(grids)
    ]
    book += [record(144), record(132)]
    ct = "application/vnd.ms-excel"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.bin" ContentType="{ct}.worksheet"/>'
        for i in range(len(grids))
    )
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'worksheet" Target="worksheets/sheet{i + 1}.bin"/>'
        for i in range(len(grids))
    )
    n = len(grids)
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels += f'<Relationship Id="rId{n + 1}" Type="{rel}/styles" Target="styles.bin"/>'
    rels += f'<Relationship Id="rId{n + 2}" Type="{rel}/sharedStrings" Target="sharedStrings.bin"/>'
    pkg = "http://schemas.openxmlformats.org/package/2006"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{pkg}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
            f'<Override PartName="/xl/workbook.bin" ContentType="{ct}.sheet.binary.macroEnabled.main"/>'
            f'<Override PartName="/xl/styles.bin" ContentType="{ct}.styles"/>'
            f'<Override PartName="/xl/sharedStrings.bin" ContentType="{ct}.sharedStrings"/>{overrides}</Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.bin"/></Relationships>',
        )
        z.writestr(
            "xl/_rels/workbook.bin.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}/relationships">{rels}</Relationships>',
        )
        z.writestr("xl/workbook.bin", b"".join(book))
        z.writestr("xl/styles.bin", _styles(formats))
        z.writestr("xl/sharedStrings.bin", b"".join(sst))
        for i, data in enumerate(sheets):
            z.writestr(f"xl/worksheets/sheet{i + 1}.bin", data)
    return path
