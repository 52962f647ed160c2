"""Indicator sets of a longer period than the form's year: a 长期绩效指标 or 中期绩效指标 block
before or after the year's (年度绩效指标), each under its own header row.

A set is labelled on its header row (the cell left of the column labels, merged down over the
block) or alone on the row above it. The words that name a longer period are data (the
framework's ``reading.long_sets``). :func:`find_sets` tells the year's set from the others and
where each one ends: at the first row of the next set. The reader keeps the others' rows in
``附加.其他指标`` under their label, never as the year's indicators.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..spec import IndicatorsBlock
from ..vocabulary import Vocabulary
from .evidence import matches, own_cells
from .grid import Grid

Cell = tuple[int, int, str]  # row, col, text


@dataclass(frozen=True)
class Sets:
    """The year's header row (None: none found), the first row of its set, the row its set
    ends before (None: the grid's end), and the other sets as (label cell, header row, the row
    the set ends before)."""

    header: int | None
    top: int | None
    until: int | None
    others: tuple[tuple[Cell, int, int | None], ...] = ()


def header_rows(grid: Grid, block: IndicatorsBlock) -> list[int]:
    """Every indicator header row: rows with most of the indicator column labels, or with the
    levels, the 三级 and a value column (a 自评表 printing no 分值 and 得分)."""
    need = max(2, len(block.columns) - 1)
    named = {block.level(1).key, block.level(2).key, block.name.key}
    out = []
    for r in grid.rows:
        texts = [grid.text(r, c) for c in grid.cols(r)]
        hits = {col.key for col in block.columns if any(matches(t, col.label) is not None for t in texts if t)}
        if len(hits) >= need or (named <= hits and any(c.key in hits for c in block.values)):
            out.append(r)
    return out


def set_label(grid: Grid, header: int, block: IndicatorsBlock, words: Vocabulary) -> Cell | None:
    """The cell labelling the set whose header row is ``header``: left of the column labels on
    that row, or alone on the row above; the block's own label or a longer period's."""

    def labels(text: str) -> bool:
        return matches(text, block.label) is not None or words.long_set(text)

    for c, text, _ in own_cells(grid, header):
        if any(matches(text, col.label) is not None for col in block.columns):
            break
        if labels(text):
            return header, c, text
    above = own_cells(grid, header - 1) if header > 0 else []
    if len(above) == 1 and labels(above[0][1]):
        return header - 1, above[0][0], above[0][1]
    return None


def find_sets(grid: Grid, block: IndicatorsBlock, words: Vocabulary) -> Sets:
    """The year's indicator header and the sets of a longer period around it. The year's is
    the first header row labelled as the block (年度绩效指标) when there are other sets, else
    the first not labelled as a longer period's; any other header row is a header repeated
    after a page break, inside its set."""
    heads = header_rows(grid, block)
    if not heads:
        return Sets(None, None, None)
    labelled = [(h, set_label(grid, h, block, words)) for h in heads]
    long = [(h, cell) for h, cell in labelled if cell is not None and words.long_set(cell[2])]
    own = [(h, cell) for h, cell in labelled if cell is None or not words.long_set(cell[2])]
    named = [(h, cell) for h, cell in own if cell is not None]  # 年度绩效指标: the year's, said so
    year = (named if long and named else own or [None])[0]
    if year is None:  # only sets labelled as longer: the first is read as the form's own
        year, long = long[0], long[1:]
    tops = sorted([(cell[0] if cell else h) for h, cell in [year, *long]])

    def until(top: int) -> int | None:
        return next((t for t in tops if t > top), None)

    year_top = year[1][0] if year[1] else year[0]
    others = tuple((cell, h, until(cell[0])) for h, cell in long)
    return Sets(year[0], year_top, until(year_top), others)
