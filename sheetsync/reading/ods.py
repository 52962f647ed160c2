"""OpenDocument spreadsheets (.ods) -> grids, streaming content.xml.

Values, merges (``number-columns-spanned`` / ``number-rows-spanned``) and number formats:
an ODS cell keeps its number (``office:value``) and names a cell style whose data style
(``number:percentage-style``, ``number:date-style``, …) says how it shows. Each data style
is turned into the equivalent spreadsheet format code, so a number reads exactly as it
does from the same form saved as .xlsx (0.9 in a percentage style is ``90%``).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..i18n import _
from ..numfmt import datetime_serial
from ..safety import input_errors
from .grid import CellError, Grid, NotComputed
from .odsstyles import StyleReader, format_code
from .ooxml import DEFAULT_LIMITS, MAX_COLS, MAX_ROWS, _local, _parser, count_matches

_CHUNK = 1 << 20
_TIME = re.compile(r"^-?PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$")
_ERROR = re.compile(r"^(#N/A|#DIV/0!|#VALUE!|#REF!|#NAME\?|#NUM!|#NULL!|Err:\d+)$")


class OdsBook:
    """An opened .ods package: its data styles, then its tables one at a time."""

    def __init__(self, path: str | Path, limits: dict[str, int] | None = None):
        self.path = str(path)
        self.limits = {**DEFAULT_LIMITS, **(limits or {})}
        with input_errors(path):
            Path(path).stat()
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError):
            raise InputError(_("is not an OpenDocument spreadsheet (not a zip package)"), file=self.path) from None
        self.data_styles: dict[str, dict[str, Any]] = {}
        self.cell_styles: dict[str, str] = {}  # cell style -> data style
        try:
            self._check_sizes()
            if "content.xml" not in self.zip.NameToInfo:
                raise self._fail("is a zip file but not an OpenDocument spreadsheet (no content.xml)")
            if "styles.xml" in self.zip.NameToInfo:
                self._parse("styles.xml", StyleReader(self))
        except BaseException:
            self.zip.close()
            raise

    def __enter__(self) -> OdsBook:
        return self

    def __exit__(self, *_: Any) -> None:
        self.zip.close()

    def _fail(self, message: str) -> InputError:
        return InputError(message, file=self.path)

    def _check_sizes(self) -> None:
        lim = self.limits
        infos = self.zip.infolist()
        if len(infos) > lim["max_entries"]:
            raise self._fail(f"the package has {len(infos)} parts (limit {lim['max_entries']})")
        for info in infos:
            if info.file_size > lim["max_part_bytes"] or (
                info.file_size > 2**20 and info.file_size > lim["max_ratio"] * max(info.compress_size, 1)
            ):
                raise self._fail(
                    f"part {info.filename} would unpack to {info.file_size} bytes "
                    f"(limits {lim['max_part_bytes']} bytes, {lim['max_ratio']}:1); refusing a possible zip bomb"
                )

    def _parse(self, part: str, handler: Any) -> None:
        from xml.parsers import expat

        parser = _parser(handler.start, handler.end, getattr(handler, "chars", None))
        try:
            with self.zip.open(part) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    parser.Parse(chunk, not chunk)
                    if not chunk:
                        break
        except expat.ExpatError as e:
            raise self._fail(f"part {part} is not well-formed XML ({expat.errors.messages[e.code]})") from None
        except ValueError as e:
            raise self._fail(f"{getattr(handler, 'where', lambda: 'part ' + part)()}: {e}") from None
        except (zipfile.BadZipFile, OSError, EOFError, LookupError) as e:
            raise self._fail(f"part {part} is damaged ({e}); re-save the spreadsheet") from None

    def grids(self) -> Iterator[Grid]:
        """Each table as a grid, in order. content.xml is one part, so the tables are read in
        one pass; the cell limit holds for each table."""
        limit, info = self.limits["max_cells"], self.zip.getinfo("content.xml")
        if info.file_size > 10 * limit and count_matches(self.zip, info, _CELL_TAG) > limit:
            raise self._fail(f"holds more than {limit} cells (the cell limit); no form is that large")
        reader = _ContentReader(self)
        self._parse("content.xml", reader)
        if not reader.grids:
            raise self._fail("the spreadsheet holds no tables")
        yield from reader.grids

    def format_of(self, cell_style: str | None) -> str | None:
        data = self.cell_styles.get(cell_style or "")
        return format_code(self.data_styles, data) if data else None


# ---------------------------------------------------------------- tables


class _ContentReader(StyleReader):
    """Streams content.xml: automatic styles first, then each table's rows and cells."""

    def __init__(self, book: OdsBook):
        super().__init__(book)
        self.grids: list[Grid] = []
        self.grid: Grid | None = None
        self.row = self.col = 0
        self.row_repeat = 1
        self.cell: dict[str, Any] | None = None
        self.paragraphs: list[list[str]] = []
        self.skip = 0  # inside annotations (comments) and other parts that are no cell text
        self.nested = 0
        self.count = 0
        self.column_styles: list[tuple[int, str | None]] = []  # (first column, default cell style)

    def where(self) -> str:
        return f"sheet '{self.grid.name}'" if self.grid else "content.xml"

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = _local(tag)
        if self.grid is None or self.current is not None:
            if name == "table":
                self._start_table(attrs)
            else:
                super().start(tag, attrs)
            return
        if name == "table":
            self.nested += 1
        if self.nested:
            return
        a = {_local(k): v for k, v in attrs.items()}
        if name == "table-column":
            n = min(int(a.get("number-columns-repeated", "1") or 1), MAX_COLS)
            first = self.column_styles[-1][0] + self._col_count if self.column_styles else 0
            self.column_styles.append((first, a.get("default-cell-style-name")))
            self._col_count = n
        elif name == "table-row":
            self.col = 0
            self.row_repeat = max(1, min(int(a.get("number-rows-repeated", "1") or 1), MAX_ROWS))
            self.row_cells: list[tuple[int, int, dict[str, Any]]] = []
        elif name in ("table-cell", "covered-table-cell"):
            self.cell = {**a, "covered": name == "covered-table-cell"}
            self.paragraphs = []
        elif self.cell is not None:
            self._start_text(name, a)

    def _start_table(self, attrs: dict[str, str]) -> None:
        a = {_local(k): v for k, v in attrs.items()}
        self.grid = Grid(a.get("name", f"Sheet{len(self.grids) + 1}"), self.book.path)
        self.row = 0
        self.count = 0
        self.column_styles = []
        self._col_count = 0

    def _start_text(self, name: str, a: dict[str, str]) -> None:
        if name == "annotation":
            self.skip += 1
        elif self.skip:
            return
        elif name == "p":
            self.paragraphs.append([])
        elif name == "s" and self.paragraphs:
            self.paragraphs[-1].append(" " * min(int(a.get("c", "1") or 1), 10_000))
        elif name == "tab" and self.paragraphs:
            self.paragraphs[-1].append("\t")
        elif name == "line-break" and self.paragraphs:
            self.paragraphs[-1].append("\n")

    def chars(self, data: str) -> None:
        if self.grid is None or self.current is not None:
            super().chars(data)
        elif self.cell is not None and not self.skip and not self.nested and self.paragraphs:
            self.paragraphs[-1].append(data)

    def end(self, tag: str) -> None:
        name = _local(tag)
        if self.grid is None or self.current is not None:
            super().end(tag)
            return
        if name == "table":
            if self.nested:
                self.nested -= 1
                return
            self.grids.append(self.grid)
            self.grid = None
        elif self.nested:
            return
        elif name == "annotation":
            self.skip -= 1
        elif name in ("table-cell", "covered-table-cell") and self.cell is not None:
            self._end_cell()
        elif name == "table-row":
            self._end_row()

    def _end_cell(self) -> None:
        a = self.cell or {}
        self.cell = None
        n = max(1, min(int(a.get("number-columns-repeated", "1") or 1), MAX_COLS))
        value = self._value(a)
        if value is not None or "number-columns-spanned" in a or "number-rows-spanned" in a:
            self.row_cells.append((self.col, n, {**a, "_value": value}))
        self.col += n

    def _end_row(self) -> None:
        grid = self.grid
        assert grid is not None
        if self.row_cells:
            adding = self.row_repeat * sum(min(n, MAX_COLS - col) for col, n, _ in self.row_cells)
            if self.count + adding > self.book.limits["max_cells"]:
                limit = self.book.limits["max_cells"]
                raise ValueError(
                    _("holds more than {limit} cells (the cell limit); no form is that large").format(limit=limit)
                )
        for r in range(self.row, self.row + (self.row_repeat if self.row_cells else 0)):
            for col, n, a in self.row_cells:
                for c in range(col, min(col + n, MAX_COLS)):
                    self._put(grid, r, c, a)
        self.row += self.row_repeat
        if self.row > MAX_ROWS:
            raise ValueError(_("more than {rows} rows, more than a sheet holds").format(rows=MAX_ROWS))

    def _put(self, grid: Grid, r: int, c: int, a: dict[str, Any]) -> None:
        value = a["_value"]
        cols = int(a.get("number-columns-spanned", "1") or 1)
        rows = int(a.get("number-rows-spanned", "1") or 1)
        self.count += 1  # merges count too: a repeated row of spans is as costly as one of values
        if self.count > self.book.limits["max_cells"]:
            raise ValueError(
                _("holds more than {limit} cells (the cell limit); no form is that large").format(
                    limit=self.book.limits["max_cells"]
                )
            )
        if (cols > 1 or rows > 1) and not a["covered"]:
            grid.merges.append((r, c, min(r + rows, MAX_ROWS) - 1, min(c + cols, MAX_COLS) - 1))
        if value is None:
            return
        grid.values[(r, c)] = value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            style = a.get("style-name") or self._column_style(c)
            fmt = self.book.format_of(style)
            if fmt and fmt != "General":
                grid.formats[(r, c)] = fmt

    def _column_style(self, col: int) -> str | None:
        style = None
        for first, name in self.column_styles:
            if first > col:
                break
            style = name
        return style

    def _value(self, a: dict[str, Any]) -> Any:
        kind = a.get("value-type")
        text = "\n".join("".join(p) for p in self.paragraphs)
        if kind in ("float", "percentage", "currency"):
            return _finite(a.get("value", ""), self)
        if kind == "date":
            return _date_serial(a.get("date-value", ""), self)
        if kind == "time":
            return _time_fraction(a.get("time-value", ""), self)
        if kind == "boolean":
            return a.get("boolean-value") == "true"
        if kind == "error" or (a.get("formula") and _ERROR.match(text)):
            return CellError(text)
        if kind is None and a.get("formula") and not text:
            return NotComputed("")
        return text if text else None


def _finite(text: str, reader: _ContentReader) -> float | int:
    from ..values import number_text

    try:
        return number_text(text.strip())
    except ValueError:
        raise ValueError(
            _("cell {where} holds '{text}', which is not a finite number").format(
                where=reader.grid.where(reader.row, reader.col), text=text[:20]
            )
        ) from None


def _date_serial(text: str, reader: _ContentReader) -> float | int:
    try:
        return datetime_serial(dt.datetime.fromisoformat(text.strip().rstrip("Z")))
    except ValueError:
        raise ValueError(
            _("cell {where} holds the date '{text}', which is no date").format(
                where=reader.grid.where(reader.row, reader.col), text=text[:30]
            )
        ) from None


def _time_fraction(text: str, reader: _ContentReader) -> float:
    m = _TIME.match(text.strip())
    if not m:
        raise ValueError(
            _("cell {where} holds the time '{text}', which is no time").format(
                where=reader.grid.where(reader.row, reader.col), text=text[:30]
            )
        )
    h, mi, s = (float(g or 0) for g in m.groups())
    return (h * 3600 + mi * 60 + s) / 86_400


_CELL_TAG = (b"<table:table-cell", b"<table:covered-table-cell")  # start tags, as every writer prefixes them


def ods_grids(path: Path, limits: dict[str, int] | None) -> Iterator[Grid]:
    with OdsBook(path, limits) as book:
        yield from book.grids()
