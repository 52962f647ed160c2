"""Workbooks made from rendered forms: package variants other writers produce, and cells with
the number formats, errors and phonetic runs real files carry. Nothing large is committed."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, unescape

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = b"http://schemas.openxmlformats.org/package/2006/relationships"
STRICT_MAIN = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_RELS = b"http://purl.oclc.org/ooxml/officeDocument/relationships"
SHEET = "xl/worksheets/sheet1.xml"


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def write_parts(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def cell_ref(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


# ---------------------------------------------------------------- package variants


def backslashes(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Entry names with backslashes, as some Windows tools write them."""
    return {name.replace("/", "\\"): data for name, data in parts.items()}


def other_case(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Part names in another case than the relationships give (OPC names ignore case)."""
    renamed = {
        "xl/sharedStrings.xml": "xl/SharedStrings.xml",
        "xl/workbook.xml": "XL/Workbook.xml",
        SHEET: SHEET.upper(),
    }
    return {renamed.get(name, name): data for name, data in parts.items()}


def workbook_elsewhere(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The workbook part at a name of its own, found only through _rels/.rels."""
    out = {}
    for name, data in parts.items():
        if name == "xl/workbook.xml":
            name = "xl/main.xml"
        elif name == "xl/_rels/workbook.xml.rels":
            name = "xl/_rels/main.xml.rels"
        elif name in ("_rels/.rels", "[Content_Types].xml"):
            data = data.replace(b"xl/workbook.xml", b"xl/main.xml")
        out[name] = data
    return out


def _prefix(xml: bytes, ns: bytes, prefix: bytes) -> bytes:
    """Every element of the default namespace ``ns`` written with ``prefix:`` instead."""
    xml = xml.replace(b'xmlns="' + ns + b'"', b"xmlns:" + prefix + b'="' + ns + b'"')
    return re.sub(rb"<(/?)([A-Za-z][\w.-]*)(?=[\s/>])", rb"<\1" + prefix + rb":\2", xml)


def prefixed(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Workbook, sheets and strings with a namespace prefix on every element (x:c, x:v)."""
    out = dict(parts)
    for name in ("xl/workbook.xml", SHEET, "xl/sharedStrings.xml", "xl/styles.xml"):
        if name in out:
            out[name] = _prefix(out[name], MAIN, b"x")
    return out


def strict(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The Strict OOXML namespaces (ISO/IEC 29500 Strict) instead of the transitional ones."""
    out = {}
    for name, data in parts.items():
        if name.endswith(".xml") or name.endswith(".rels"):
            data = data.replace(MAIN, STRICT_MAIN).replace(RELS, STRICT_RELS)
        out[name] = data
    return out


def inline_rich(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Every shared string cell as an inline string of two rich-text runs (with a phonetic run)."""
    strings = re.findall(rb"<si>(.*?)</si>", parts["xl/sharedStrings.xml"], re.S)
    texts = [b"".join(re.findall(rb"<t[^>]*>(.*?)</t>", s, re.S)) for s in strings]

    def inline(m: re.Match[bytes]) -> bytes:
        text = unescape(texts[int(m.group(3))].decode())
        half = len(text) // 2
        a, b = escape(text[:half]).encode(), escape(text[half:]).encode()
        runs = (
            b'<r><t xml:space="preserve">' + a + b'</t></r><r><rPr><b/></rPr><t xml:space="preserve">' + b + b"</t></r>"
        )
        return (
            b"<c"
            + m.group(1)
            + b' t="inlineStr"'
            + m.group(2)
            + b"><is>"
            + runs
            + '<rPh sb="0" eb="1"><t>ヨミ</t></rPh></is></c>'.encode()
        )

    out = dict(parts)
    out[SHEET] = re.sub(rb'<c([^>]*?) t="s"([^>]*)><v>(\d+)</v></c>', inline, parts[SHEET])
    return out


def no_refs(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Rows and cells without r where each follows the one before (as some writers save)."""
    from sheetsync.reading.ooxml import _ref

    def row(m: re.Match[bytes]) -> bytes:
        col = -1

        def cell(c: re.Match[bytes]) -> bytes:
            nonlocal col
            _, at = _ref(c.group(1).decode())
            follows, col = at == col + 1, at
            return b"<c" if follows else c.group(0)

        return re.sub(rb'<c r="([A-Z]+\d+)"', cell, m.group(0))

    xml = re.sub(rb"<row [^>]*>.*?</row>", row, parts[SHEET], flags=re.S)
    last = 0

    def row_ref(m: re.Match[bytes]) -> bytes:
        nonlocal last
        r = int(m.group(1))
        follows, last = r == last + 1, r
        return b"<row" if follows else m.group(0)

    out = dict(parts)
    out[SHEET] = re.sub(rb'<row r="(\d+)"', row_ref, xml)
    return out


def no_dimension(parts: dict[str, bytes]) -> dict[str, bytes]:
    out = dict(parts)
    out[SHEET] = re.sub(rb"<dimension [^>]*/>", b"", parts[SHEET])
    return out


VARIANTS = {
    "backslash entry names": backslashes,
    "part names in another case": other_case,
    "workbook found through _rels/.rels": workbook_elsewhere,
    "prefixed namespaces": prefixed,
    "Strict OOXML namespaces": strict,
    "inline rich strings with phonetic runs": inline_rich,
    "rows and cells without r": no_refs,
    "no dimension": no_dimension,
}


# ---------------------------------------------------------------- cells


def add_formats(parts: dict[str, bytes], codes: list[str | int]) -> list[int]:
    """Cell styles for number formats (custom codes or built-in ids); their style indices."""
    styles = parts["xl/styles.xml"].decode()
    m = re.search(r'<cellXfs count="(\d+)">', styles)
    first = int(m.group(1))
    custom, xfs = [], []
    for i, code in enumerate(codes):
        fid = code if isinstance(code, int) else 300 + i
        if not isinstance(code, int):
            custom.append(f'<numFmt numFmtId="{fid}" formatCode="{escape(code, {chr(34): "&quot;"})}"/>')
        xfs.append(f'<xf numFmtId="{fid}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>')
    styles = styles.replace(m.group(0), f'<cellXfs count="{first + len(codes)}">')
    styles = styles.replace("</cellXfs>", "".join(xfs) + "</cellXfs>")
    if "<numFmts" in styles:
        styles = styles.replace("</numFmts>", "".join(custom) + "</numFmts>")
    else:
        styles = re.sub(
            r"(<styleSheet[^>]*>)", lambda s: s.group(1) + "<numFmts>" + "".join(custom) + "</numFmts>", styles
        )
    parts["xl/styles.xml"] = styles.encode()
    return list(range(first, first + len(codes)))


def set_cell(parts: dict[str, bytes], ref: str, cell: str, part: str = SHEET) -> None:
    """Replace the cell at ``ref`` with the XML ``cell`` (which must carry r="ref")."""
    xml = parts[part]
    pattern = rb'<c r="' + ref.encode() + rb'"(?:[^>]*/>|[^>]*>.*?</c>)'
    new, n = re.subn(pattern, cell.encode(), xml, count=1, flags=re.S)
    assert n == 1, f"no cell {ref} in {part}"
    parts[part] = new


def add_rows(parts: dict[str, bytes], rows: dict[int, list[str]], part: str = SHEET) -> None:
    """Rows of cell XML after the sheet's own rows (row numbers 1-based)."""
    body = b"".join(
        f'<row r="{r}">'.encode() + "".join(cells).encode() + b"</row>" for r, cells in sorted(rows.items())
    )
    parts[part] = parts[part].replace(b"</sheetData>", body + b"</sheetData>")
    parts[part] = re.sub(rb"<dimension [^>]*/>", b"", parts[part])


def number_cell(ref: str, value: str, style: int) -> str:
    return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'


def date1904(parts: dict[str, bytes]) -> None:
    wb = parts["xl/workbook.xml"]
    if b"<workbookPr" in wb:
        wb = re.sub(rb"<workbookPr", b'<workbookPr date1904="1"', wb, count=1)
    else:
        wb = re.sub(rb"(<workbook[^>]*>)", rb'\1<workbookPr date1904="1"/>', wb, count=1)
    parts["xl/workbook.xml"] = wb
