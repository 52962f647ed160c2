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
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ..errors import InputError
from ..i18n import _
from ..spec import PROPERTY_TEMPLATE
from .grid import SHEET_STATE, Grid
from .ooxml import _CELL_TAG, _CHUNK, DEFAULT_LIMITS, _attr, _local, _norm, _open_zip, _parser, _unescape, count_matches
from .sheetxml import SheetCells

__all__ = ["DEFAULT_LIMITS", "SheetRef", "XlsxPackage"]


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
                    raise ValueError(
                        _("sheet '{sheet}' points to no part in the package").format(sheet=attrs.get("name"))
                    )
                if target.startswith("..") or not self.has(target):
                    raise ValueError(
                        _("sheet '{sheet}' points to {target}, which is not in the package").format(
                            sheet=attrs.get("name"), target=target
                        )
                    )
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

    def check_cells(self, part: str, sheet: str, pattern: tuple[bytes, ...] = _CELL_TAG) -> None:
        limit = self.limits["max_cells"]
        info = self.parts.get(_norm(part))
        if info is not None and info.file_size > 10 * limit and count_matches(self.zip, info, pattern) > limit:
            raise self._fail(f"sheet '{sheet}' holds more than {limit} cells (the cell limit); no form is that large")

    def grid(self, sheet: SheetRef) -> Grid:
        self.check_cells(sheet.part, sheet.name)
        properties = {**self.properties, SHEET_STATE: sheet.state}
        grid = Grid(sheet.name, self.path, properties=properties, date1904=self.date1904)
        cells = SheetCells(self, sheet, grid)
        try:
            self._parse(sheet.part, cells.start, cells.end, cells.chars)
        except InputError as e:
            # name the sheet rather than its part: the user knows the sheet
            e.message = e.message.replace(f"part {sheet.part}: ", f"sheet '{sheet.name}': ", 1)
            e.args = (str(e),)
            raise
        return grid
