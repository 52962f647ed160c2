"""A sheet as the reader sees it: cell values by (row, column), plus merged ranges.

Every source (xlsx, text dumps) is turned into :class:`Grid` objects; the form finder in
``interpret.py`` works on grids only, so one set of rules reads every source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..values import shown_number

Range = tuple[int, int, int, int]  # first row, first col, last row, last col (0-based, inclusive)
SHEET_STATE = "sheet.state"  # in Grid.properties: "visible", "hidden" or "veryHidden" (workbooks)
MAX_MERGE_CELLS = 20_000  # the largest merge a form could have (a label over a long block)
MERGED_CELLS_BUDGET = 2_000_000  # cells all merges of one sheet may cover


def col_letter(col: int) -> str:
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_name(row: int, col: int) -> str:
    """(0, 0) -> 'A1'."""
    return f"{col_letter(col)}{row + 1}"


def _merge_index(merges: list[Range]) -> dict[tuple[int, int], Range]:
    """Cell -> the merge that shows over it. A merge no form has (A1:XFD1048576, or more cells
    than the budget left) is ignored rather than expanded."""
    by_corner: dict[tuple[int, int], Range] = {}
    covered: set[tuple[int, int]] = set()
    budget = MERGED_CELLS_BUDGET
    for m in merges:
        r1, c1, r2, c2 = m
        size = (r2 - r1 + 1) * (c2 - c1 + 1)
        if size > MAX_MERGE_CELLS or size > budget:
            continue
        budget -= size
        by_corner[(r1, c1)] = m
        covered.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if (r, c) != (r1, c1))
    index: dict[tuple[int, int], Range] = {}
    for corner, m in by_corner.items():
        if corner in covered:
            continue
        r1, c1, r2, c2 = m
        index.update(dict.fromkeys(((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)), m))
    return index


class NotComputed(str):
    """A formula cell the file carries no computed value for."""


class CellError(str):
    """An error value a cell shows (``#N/A``, ``#DIV/0!``): never a text of the form."""


@dataclass
class Grid:
    """One sheet: values keyed by (row, col), number formats of numeric cells, merges."""

    name: str
    source: str = ""
    values: dict[tuple[int, int], Any] = field(default_factory=dict)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[Range] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    line_offset: int | None = None  # text sources: the file line of row 0 (cells are named by line)
    # text sources whose broken cells were joined: the file line (from 0, from the grid's first)
    # each row starts on, and the (line, column) of each cell that is elsewhere than its row's
    row_lines: list[int] | None = None
    places: dict[tuple[int, int], tuple[int, int]] | None = None
    date1904: bool = False  # serial numbers count from 1904 (workbooks from old Mac Excel)
    _merge_of: dict[tuple[int, int], Range] | None = field(default=None, repr=False)
    _rows: dict[int, list[int]] | None = field(default=None, repr=False)

    def _index(self) -> dict[int, list[int]]:
        """Row -> the columns that hold a value, both sorted: sheets are sparse, so loops go
        over the cells that exist, never over the rectangle a stray far-away cell would span."""
        if self._rows is None:
            rows: dict[int, list[int]] = {}
            for r, c in self.values:
                rows.setdefault(r, []).append(c)
            self._rows = {r: sorted(cols) for r, cols in sorted(rows.items())}
        return self._rows

    @property
    def rows(self) -> list[int]:
        """The rows that hold a value, top to bottom."""
        return list(self._index())

    def cols(self, row: int) -> list[int]:
        """The columns of ``row`` that hold a value, left to right."""
        return self._index().get(row, [])

    @property
    def nrows(self) -> int:
        return 1 + max(self._index(), default=-1)

    @property
    def ncols(self) -> int:
        return 1 + max((cols[-1] for cols in self._index().values()), default=-1)

    def merge_at(self, row: int, col: int) -> Range | None:
        """The merged range covering (row, col), if any.

        Overlapping merges (Excel refuses such a file) count as LibreOffice shows them: of
        merges sharing a top-left cell the last one listed holds, and a merge whose top-left
        cell another merge covers shows nothing."""
        if self._merge_of is None:
            self._merge_of = _merge_index(self.merges)
        return self._merge_of.get((row, col))

    def where(self, row: int, col: int) -> str:
        """How a user finds the cell: 'B7' in a sheet, 'line 83 column 2' in a text file."""
        if self.line_offset is not None:
            line, c = row, col
            if self.row_lines is not None and row < len(self.row_lines):
                line = self.row_lines[row]
            line, c = (self.places or {}).get((row, col), (line, c))
            return f"line {self.line_offset + line + 1} column {c + 1}"
        return cell_name(row, col)

    def raw(self, row: int, col: int) -> Any:
        return self.values.get((row, col))

    def text(self, row: int, col: int) -> str:
        """The text a spreadsheet shows in the cell itself ("" when blank)."""
        v = self.values.get((row, col))
        if v is None:
            return ""
        if isinstance(v, str):
            return v
        return shown_number(v, self.formats.get((row, col), "General"), self.date1904)

    def shown(self, row: int, col: int) -> str:
        """The text shown at (row, col), looking through a merge to its top-left cell."""
        m = self.merge_at(row, col)
        if m is not None:
            return self.text(m[0], m[1])
        return self.text(row, col)
