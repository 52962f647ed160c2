"""A sheet as the reader sees it: cell values by (row, column), plus merged ranges.

Every source (xlsx, text dumps) is turned into :class:`Grid` objects; the form finder in
``interpret.py`` works on grids only, so one set of rules reads every source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..values import shown_number

Range = tuple[int, int, int, int]  # first row, first col, last row, last col (0-based, inclusive)


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


class NotComputed(str):
    """A formula cell the file carries no computed value for."""


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
    _merge_of: dict[tuple[int, int], Range] | None = field(default=None, repr=False)

    @property
    def nrows(self) -> int:
        return 1 + max((r for r, _ in self.values), default=-1)

    @property
    def ncols(self) -> int:
        return 1 + max((c for _, c in self.values), default=-1)

    def merge_at(self, row: int, col: int) -> Range | None:
        """The merged range covering (row, col), if any."""
        if self._merge_of is None:
            index: dict[tuple[int, int], Range] = {}
            for m in self.merges:
                r1, c1, r2, c2 = m
                if (r2 - r1 + 1) * (c2 - c1 + 1) > 100_000:
                    continue  # absurd merges are ignored rather than expanded
                for r in range(r1, r2 + 1):
                    for c in range(c1, c2 + 1):
                        index[(r, c)] = m
            self._merge_of = index
        return self._merge_of.get((row, col))

    def where(self, row: int, col: int) -> str:
        """How a user finds the cell: 'B7' in a sheet, 'line 83 column 2' in a text file."""
        if self.line_offset is not None:
            return f"line {self.line_offset + row + 1} column {col + 1}"
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
        return shown_number(v, self.formats.get((row, col), "General"))

    def shown(self, row: int, col: int) -> str:
        """The text shown at (row, col), looking through a merge to its top-left cell."""
        m = self.merge_at(row, col)
        if m is not None:
            return self.text(m[0], m[1])
        return self.text(row, col)

    def row_texts(self, row: int, ncols: int | None = None) -> list[str]:
        return [self.text(row, c) for c in range(ncols if ncols is not None else self.ncols)]
