"""Finding a form's blocks by meaning, wherever they are: the second stage of reading a grid
that does not have the spec's layout.

Labels are matched whitespace- and width-blind; the indicator block is found by its header
row, or, without one, by the framework's level names. :func:`locate` only looks: it returns
where each block is (:class:`Located`) and reads no value, so it guesses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..spec import AmountsBlock, FieldCell, Framework, Label, Spec
from ..values import label_key
from .columns import Columns, read_columns
from .evidence import matches, own_cells
from .grid import Grid
from .sets import find_sets

Hit = tuple[int, int, str]  # row, col, the qualifier after the label ("" or "(含本级)")


class Levels:
    """The framework's level names by their label key: text -> (1 or 2, the framework's name)."""

    def __init__(self, fw: Framework):
        self.fw = fw
        self._one = {label_key(n): n for n in fw.levels}
        self._two = {label_key(n): n for n in fw.level2}
        self._two.update({label_key(a): n for a, n in fw.aliases.items()})

    def of(self, text: str) -> tuple[int, str] | None:
        key = label_key(text)
        if key in self._one:
            return 1, self._one[key]
        if key in self._two:
            return 2, self._two[key]
        return None


@dataclass
class Located:
    """Where a form's blocks are on a grid.

    ``fields``: each field cell of the spec with the cell of its label (None: not found);
    ``title``: the title cell; ``header``: the indicator header row, with ``columns`` (column
    key -> first column of its header cell) and ``col_key`` (every column under a header cell
    -> its key); ``start``: the first indicator row; ``amount_columns``: per amounts block, the
    columns under its column labels; ``totals``: per total block, the cell of its label.
    """

    fields: list[tuple[FieldCell, Hit | None]]
    top_rows: list[int]
    first_label_row: int
    title: tuple[int, int] | None
    header: int | None
    start: int
    columns: dict[str, int] = field(default_factory=dict)
    col_key: dict[int, str] = field(default_factory=dict)
    amount_columns: dict[str, dict[int, str]] = field(default_factory=dict)
    totals: dict[str, Hit | None] = field(default_factory=dict)
    table: Columns | None = None  # every column's role under the header (extra columns, value parts)
    until: int | None = None  # the row the indicator block ends before (a set of another period)
    others: list[tuple[tuple[int, int, str], Located, int | None]] = field(default_factory=list)
    long_goal: Hit | None = None  # the label of a goal for longer than the year (长期目标)


def find_label(grid: Grid, label: Label, rows: list[int]) -> Hit | None:
    """The first cell in ``rows`` that is ``label``: (row, col, qualifier)."""
    for r in rows:
        for c in grid.cols(r):
            text = grid.text(r, c)
            if text and isinstance(grid.raw(r, c), str):
                q = matches(text, label)
                if q is not None:
                    return r, c, q
    return None


def amount_columns(grid: Grid, block: AmountsBlock, rows: list[int]) -> dict[int, str]:
    """Column headers (含本级和市县 | 含本级) above the numbers, as in the canonical layout: the
    first row with them all, else the row with most of them (at least two, and half; a form
    may print no 年初预算数 column)."""
    scopes = [ck for ck, _ in block.columns]
    best: dict[int, str] = {}
    for r in rows:
        found = {}
        for c in grid.cols(r):
            text = grid.text(r, c)
            for ck, lab in block.columns:
                if text and ck not in found.values() and matches(text, lab) is not None:  # 全年预算数(A)
                    found[c] = ck
        if len(found) == len(scopes):
            return found
        if len(found) > len(best):
            best = found
    return best if len(best) >= max(2, (len(scopes) + 1) // 2) else {}


def _title(grid: Grid, spec: Spec, first_label_row: int) -> tuple[int, int] | None:
    """The title: of the rows above the labels with one text alone, the first naming the form
    (a title word of the spec: 绩效目标表, 自评表), else the first (a 附件3 or 报表编号 line above
    a title that names no form is then taken: the guess is reported where the title is read)."""
    alone = [
        (r, cells[0][0]) for r in grid.rows if r < first_label_row for cells in [own_cells(grid, r)] if len(cells) == 1
    ]
    words = [label_key(w) for w in (*spec.titles, spec.title, spec.name) if w]
    named = [(r, c) for r, c in alone if any(w in label_key(grid.text(r, c)) for w in words)]
    return (named or alone or [None])[0]


def _first_indicator_row(grid: Grid, levels: Levels, after: int) -> int:
    for r in grid.rows:
        if r >= after and any(levels.of(t) for _, t, _ in own_cells(grid, r)):
            return r
    return grid.nrows


def _table(found: Located, grid: Grid, spec: Spec, header: int) -> Located:
    """``found`` with the indicator columns under the header row ``header``."""
    found.header = header
    found.table = read_columns(grid, spec.indicators, header, spec.framework.reading)
    found.columns, found.col_key = dict(found.table.first), dict(found.table.key)
    target = spec.indicators.target.key
    if target in found.columns:
        found.col_key.setdefault(found.columns[target], target)  # the value part of a split 指标值
    found.start = found.table.last + 1
    return found


def locate(grid: Grid, spec: Spec, levels: Levels) -> Located | None:
    """Where each block of ``spec`` is on ``grid``; None when the grid is not a form (no
    indicator header and fewer than two field labels)."""
    sets = find_sets(grid, spec.indicators, spec.framework.reading)
    header = sets.header
    first_set = min([sets.top, *(cell[0] for cell, _, _ in sets.others)], default=None)
    top_rows = [r for r in grid.rows if first_set is None or r < first_set]
    first_label_row = first_set if first_set is not None else grid.nrows
    fields = []
    for cell in spec.fields:
        hit = find_label(grid, cell.label, top_rows)
        if hit:
            first_label_row = min(first_label_row, hit[0])
        fields.append((cell, hit))
    if header is None and sum(hit is not None for _, hit in fields) < 2:
        return None
    found = Located(fields, top_rows, first_label_row, _title(grid, spec, first_label_row), header, 0)
    if header is not None:
        _table(found, grid, spec, header)
        found.until = sets.until
        found.others = [(cell, _table(replace(found), grid, spec, h), until) for cell, h, until in sets.others]
    else:
        found.start = _first_indicator_row(grid, levels, first_label_row)
    words = spec.framework.reading
    if words.long_goals:
        found.long_goal = find_label(grid, Label(words.long_goals[0], None, words.long_goals[1:]), top_rows)
    found.amount_columns = {b.key: amount_columns(grid, b, top_rows) for b in spec.amounts}
    below = [r for r in grid.rows if header is None or r > header]
    found.totals = {b.key: find_label(grid, b.label, below) for b in spec.totals}
    return found
