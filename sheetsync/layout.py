"""Where every value of a form sits: the one place that turns a spec's blocks into cells.

A :class:`Layout` is computed once from a spec and a form (or a spec and a number of
indicator rows, for a blank form or for reading): every fixed label and every data path with
its cell, its merged span and its style. ``render`` writes it, the exact read reads it, the
diff report marks cells through it. Only this module (and ``spec``, which defines them)
knows the kinds of blocks.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, NamedTuple

from xlsxwriter.utility import xl_range, xl_rowcol_to_cell

from .extras import VALUE_PARTS
from .spec import AmountsBlock, Block, FieldsBlock, IndicatorColumn, IndicatorsBlock, Span, Spec, TitleBlock, TotalBlock

Path = tuple  # a data path: ("项目名称",), ("项目资金", "年度资金总额", "年初预算数"), ("绩效指标", 3, "指标值")


class Cell(NamedTuple):
    """One cell (or merged area) of a rendered form.

    ``style`` names a format of render's (title, label, head, text, center, number:<format>);
    ``path`` is the data path of the value it shows (None for a fixed label, whose text is
    ``text``); ``last_row`` the row a merge reaches down to; ``grow`` whether its row grows
    to fit its text; ``height`` a fixed row height (the title's).
    """

    row: int
    span: Span
    style: str
    path: Path | None = None
    text: str = ""
    last_row: int | None = None
    grow: bool = True
    kind: str = "text"  # text, number or blank (a bordered empty cell)
    formula: str | None = None
    target: bool = False  # a 指标值: normalized as one on reading
    height: float | None = None

    @property
    def at(self) -> tuple[int, int]:
        """(row, col) of the cell's top-left corner, 0-based."""
        return self.row, self.span.first


class Validation(NamedTuple):
    """A dropdown of level names down one column: ``level`` 1 (一级) or 2 (二级)."""

    first_row: int
    last_row: int
    col: int
    level: int
    title: str


def dotted(path: Sequence[Any]) -> str:
    """A data path as text: ``项目资金.年度资金总额.年初预算数``, ``绩效指标[3].指标值``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def title_font_size(spec: Spec) -> float:
    return next((b.font_size for b in spec.blocks if isinstance(b, TitleBlock)), 16)


def _groups(values: Sequence[Any]) -> list[tuple[int, int]]:
    """Runs of equal consecutive values as (first, last) index pairs."""
    runs, start = [], 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            runs.append((start, i - 1))
            start = i
    return runs


def block_height(block: Block, n: int) -> int:
    """The rows a block takes in a form of ``n`` indicator rows."""
    return 1 + n if isinstance(block, IndicatorsBlock) else block.rows


def sheet_rows(spec: Spec, n: int) -> int:
    """The rows a form of ``n`` indicator rows takes on its sheet."""
    return sum(block_height(b, n) for b in spec.blocks)


class Layout:
    """The cells of one form: ``writes`` in the order render writes them, ``values`` (data path
    -> cell) in the order of the data, ``labels`` the fixed texts, ``validations`` the dropdowns.

    ``rows`` (the form's indicator rows) merges the level columns over their groups, as the
    official table does; without them (a blank form, or a grid being read) every level cell
    stands on its own.
    """

    def __init__(self, spec: Spec, n: int, rows: Sequence[dict[str, Any]] | None = None):
        self.spec, self.n = spec, n
        self.writes: list[Cell] = []
        self.values: dict[Path, Cell] = {}
        self.validations: list[Validation] = []
        self.shown: dict[Path, Cell] = {}  # a value without a cell of its own -> the cell showing it
        self.block_rows: list[tuple[Block, int]] = []  # each block with its first row
        row = 0
        for block in spec.blocks:
            self.block_rows.append((block, row))
            row += block_height(block, n)
        self.last_row = row - 1
        builders = {
            TitleBlock: self._title,
            FieldsBlock: self._fields,
            AmountsBlock: self._amounts,
            TotalBlock: self._total,
            IndicatorsBlock: lambda b, r: self._indicators(b, r, rows),
        }
        for block, top in self.block_rows:
            builders[type(block)](block, top)

    @classmethod
    def of(cls, spec: Spec, rows: Sequence[dict[str, Any]], *, blank: bool = False) -> Layout:
        """The layout of a form with these indicator rows (``blank``: nothing merged)."""
        return cls(spec, len(rows), None if blank else rows)

    # ------------------------------------------------------------ lookups

    @property
    def header(self) -> int:
        """The indicator header row."""
        return self.row_of(self.spec.indicators.key)

    def row_of(self, key: str) -> int:
        """The first row of the block holding ``key``."""
        return next(row for b, row in self.block_rows if getattr(b, "key", None) == key)

    @functools.cached_property
    def labels(self) -> list[Cell]:
        """The fixed texts (every label and column head), in the order they are written."""
        return [c for c in self.writes if c.path is None and c.kind == "text" and c.style != "title"]

    @functools.cached_property
    def by_key(self) -> dict[str, list[tuple[Path, Cell]]]:
        """The values under each top-level key of the contract, in data order."""
        out: dict[str, list[tuple[Path, Cell]]] = {}
        for path, cell in self.values.items():
            out.setdefault(path[0], []).append((path, cell))
        return out

    def at(self, path: Sequence[Any]) -> Cell | None:
        """The cell showing the value at a data path (a composed 指标值: its value part), or None."""
        path = tuple(path)
        return self.values.get(path) or self.shown.get(path)

    def cell(self, path: Sequence[Any]) -> tuple[int, int] | None:
        """(row, col) of the value at a data path, 0-based, or None."""
        c = self.at(path)
        return None if c is None else c.at

    def _add(self, cell: Cell) -> None:
        self.writes.append(cell)
        if cell.path is not None:
            self.values[cell.path] = cell

    # ------------------------------------------------------------ blocks

    def _title(self, b: TitleBlock, row: int) -> None:
        self._add(Cell(row, b.at, "title", (b.key,), grow=False, height=b.height))

    def _fields(self, b: FieldsBlock, row: int) -> None:
        down = row + b.rows - 1
        for cell in b.cells:
            label_rows = down if not cell.key else row
            self._add(Cell(row, cell.label.at, "label", None, cell.label.text, label_rows, label_rows == row))
            if cell.key:
                style = "center" if cell.align == "center" else "text"
                self._add(Cell(down if cell.below else row, cell.value, style, (cell.key,)))

    def _amounts(self, b: AmountsBlock, row: int) -> None:
        self._add(Cell(row, b.label.at, "label", None, b.label.text, row + b.rows - 1, False))
        if b.paired:  # each amount beside its label: 年度资金总额（含本级） | 3
            for i, (rk, label) in enumerate(b.row_labels):
                for ck, col_label in b.columns:
                    self._add(Cell(row + i, b.label_at[ck], "label", None, f"{label.text}（{col_label.text}）"))
                    style = f"number:{b.column(ck).number_format}"
                    self._add(Cell(row + i, col_label.at, style, (b.key, rk, ck), kind="number"))
            return
        self._add(Cell(row, b.corner.at, "label", None, b.corner.text))
        cols = dict(b.columns)
        for _, label in b.columns:
            self._add(Cell(row, label.at, "label", None, label.text))
        for i, (rk, label) in enumerate(b.row_labels, 1):
            self._add(Cell(row + i, label.at, "label", None, label.text))
            for ck, col_label in b.columns:
                how = b.column(ck)
                formula = None
                if how.ratio:
                    x, y = (xl_rowcol_to_cell(row + i, cols[k].at.first) for k in how.ratio)
                    # ISNUMBER, not N(): gnumeric's N() of an empty cell is #NUM!
                    formula = f'=IF(ISNUMBER({y}),IF({y}=0,"",{x}/{y}),"")'
                style = f"number:{how.number_format}"
                self._add(Cell(row + i, col_label.at, style, (b.key, rk, ck), kind="number", formula=formula))

    def _total(self, b: TotalBlock, row: int) -> None:
        self._add(Cell(row, b.label.at, "label", None, b.label.text))
        covered = set(range(b.label.at.first, b.label.at.last + 1))
        for cell in b.cells:
            ranges = [self._column_range(ref) for ref in cell.sums]
            refs = ",".join(r for r in ranges if r)
            # blank while nothing is filled in (an unfilled form shows no 0), else the sum
            formula = f'=IF(COUNT({refs})=0,"",SUM({refs}))' if refs else '=""'
            style = f"number:{cell.number_format}"
            self._add(Cell(row, cell.at, style, (b.key, cell.key), kind="number", formula=formula))
            covered.update(range(cell.at.first, cell.at.last + 1))
        for c in range(self.spec.ncols):
            if c not in covered:
                self.writes.append(Cell(row, Span(c, c), "text", kind="blank"))

    def _column_range(self, ref: tuple[str, str]) -> str | None:
        """The cells of one column of numbers (``("项目资金", "得分")``) as an A1 range; None when empty."""
        block_key, column = ref
        for block, row in self.block_rows:
            if isinstance(block, AmountsBlock) and block.key == block_key:
                col = dict(block.columns)[column].at.first
                return xl_range(row + 1, col, row + len(block.row_labels), col)
            if isinstance(block, IndicatorsBlock) and block.key == block_key and self.n:
                col = next(c for c in block.columns if c.key == column).label.at.first
                return xl_range(row + 1, col, row + self.n, col)
        return None

    def _indicators(self, b: IndicatorsBlock, top: int, rows: Sequence[dict[str, Any]] | None) -> None:
        """The header row, then one row per indicator; with ``rows``, level columns merged over
        their groups, else every level cell on its own."""
        for col in b.columns:
            for head in col.parts or (col,):
                self._add(Cell(top, head.label.at, "head", None, head.label.text))
        first, last = top + 1, top + self.n
        self._add(Cell(top, b.label.at, "label", None, b.label.text, last, False))
        cells: dict[Path, Cell] = {}  # every value's cell, level groups first
        if rows is not None:
            self._level_groups(b, first, rows, cells)
        writes = self.writes
        for col in b.columns:
            if col.level and rows is not None:
                continue
            if col.number:
                style, kind = f"number:{col.number.number_format}", "number"
            else:
                style, kind = ("center" if col.target or col.level else "text"), "text"
            for i in range(self.n):
                for tail, span in _value_cells(col):
                    cell = Cell(first + i, span, style, (b.key, i, *tail), "", None, True, kind, None, col.target)
                    writes.append(cell)
                    cells[cell.path] = cell
        tails = [tail for c in b.columns for tail, _ in _value_cells(c)]
        paths = ((b.key, i, *t) for i in range(self.n) for t in tails)
        self.values.update((p, cells[p]) for p in paths if p in cells)  # data order: row by row
        parted = b.parted
        if parted is not None:  # the composed 指标值 shows in its value part's cell
            value = next(p.label.text for p in parted.parts if p.role == "value")
            for i in range(self.n):
                self.shown[(b.key, i, parted.key)] = cells[(b.key, i, VALUE_PARTS, value)]
                self.shown[(b.key, i, VALUE_PARTS)] = cells[(b.key, i, VALUE_PARTS, value)]
        if self.n:
            for level, col in ((1, b.level(1)), (2, b.level(2))):
                self.validations.append(Validation(first, last, col.label.at.first, level, col.label.text))

    def _level_groups(
        self, b: IndicatorsBlock, first: int, rows: Sequence[dict[str, Any]], cells: dict[Path, Cell]
    ) -> None:
        """一级 groups break where the value changes or where 二级 turns empty or not, since a
        一级 spanning both label columns and one that does not cannot share a merge."""
        one, two = b.level(1), b.level(2)
        both = Span(min(one.label.at.first, two.label.at.first), max(one.label.at.last, two.label.at.last))
        keys = [(r[one.key], r[two.key] == "") for r in rows]
        for a, z in _groups(keys):
            spans_both = keys[a][1]
            span = both if spans_both else one.label.at
            self._group(
                Cell(first + a, span, "center", (b.key, a, one.key), last_row=first + z, grow=a == z), a, z, cells
            )
            if not spans_both:
                for c, d in _groups([rows[i][two.key] for i in range(a, z + 1)]):
                    cell = Cell(first + a + c, two.label.at, "center", (b.key, a + c, two.key))
                    self._group(cell._replace(last_row=first + a + d, grow=c == d), a + c, a + d, cells)

    def _group(self, cell: Cell, a: int, z: int, cells: dict[Path, Cell]) -> None:
        """A merged level cell: the value of rows a..z shows there."""
        self.writes.append(cell)
        key, _, col = cell.path  # type: ignore[misc]
        for i in range(a, z + 1):
            cells[(key, i, col)] = cell


def _value_cells(col: IndicatorColumn) -> list[tuple[tuple[str, ...], Span]]:
    """The cells of an indicator column on one row: (data path below the row, span). A column
    printed in parts has one per part (``指标值分列.指标性质``), none of its own."""
    if not col.parts:
        return [((col.key,), col.label.at)]
    return [((VALUE_PARTS, p.label.text), p.label.at) for p in col.parts]


_CACHE: dict[tuple[int, int], tuple[Spec, Layout]] = {}


def layout_for(spec: Spec, n: int) -> Layout:
    """The layout of a form of ``spec`` with ``n`` indicator rows, nothing merged (cached)."""
    hit = _CACHE.get((id(spec), n))
    if hit is not None and hit[0] is spec:
        return hit[1]
    if len(_CACHE) > 256:
        _CACHE.clear()
    layout = Layout(spec, n)
    _CACHE[(id(spec), n)] = (spec, layout)
    return layout


def value_cell(spec: Spec, n_indicators: int, path: Sequence[str], index: int | None = None) -> tuple[int, int] | None:
    """Where a value sits on a rendered sheet: (row, col), 0-based.

    ``path`` is a contract key (``["项目名称"]``), an amount (``["项目资金", row, column]``) or,
    with the indicator's ``index``, an indicator column key (``["指标值"]``).
    """
    if index is not None and len(path) == 1:
        return layout_for(spec, n_indicators).cell((spec.indicators.key, index, path[0]))
    return layout_for(spec, n_indicators).cell(path)
