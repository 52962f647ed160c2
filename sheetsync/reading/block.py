"""One indicator block as the reader sees it, and how a row's cells are split into levels and
names: by the header's columns when the row lines up with them, else by the framework."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..i18n import _
from ..spec import IndicatorColumn, IndicatorsBlock
from ..values import label_key
from ..vocabulary import Vocabulary
from .columns import Columns
from .evidence import Evidence
from .locate import Levels

TextCell = tuple[int, str, Any]  # col, text, raw
Named = tuple[TextCell, str] | None  # a level label's cell and the level name read from it


@dataclass(frozen=True)
class Block:
    """What reading the rows of one indicator block needs to know, fixed before the first row."""

    ev: Evidence
    levels: Levels
    block: IndicatorsBlock
    header: int | None
    c1: int  # the 一级 column
    c2: int  # the 二级 column
    ct: int | None  # the 指标值 column, if the header names it
    col_key: dict[int, str]
    value_cols: set[int]
    others: tuple[IndicatorColumn, ...]  # value columns after 指标值: 实际完成值, 分值, 得分 …
    table: Columns | None = None  # every column's role under the header
    words: Vocabulary = field(default_factory=Vocabulary)
    cn: int = 0  # the 三级 column: a weight is read in the cells left of it
    said: set = field(default_factory=set)  # codes already noted once for the form
    path: str = ""  # the data path its rows are recorded under (the block's key, or a 附加's)


@dataclass
class Group:
    """The level labels in force and the cells they were read from."""

    level1: str = ""
    level2: str = ""
    at1: tuple[int, int] | None = None
    at2: tuple[int, int] | None = None
    empty: tuple[int, int, str] | None = None  # a row of level labels only, no indicator under it yet

    def settle(self, ev: Evidence, last: bool = False) -> None:
        """Say so when the row of level labels only (``empty``) heads no indicator: the row
        after it named its own levels, or (``last``) none came."""
        if self.empty is not None and (last or self.empty[:2] not in (self.at1, self.at2)):
            r, c, text = self.empty
            message = _("{text!r} heads no indicator (no 三级, no value); not read as one").format(text=text)
            ev.guess(r, c, message, "not_read")
        self.empty = None


def collapse_repeats(b: Block, r: int, cells: list[TextCell]) -> list[TextCell]:
    """A text repeated in neighbouring cells before the row's value is one text.

    A framework label (an unmerged cell refilled into each of its cells) keeps its first
    place; any other text (a 三级 name spilled into the level cell beside it) its last.
    The value itself is never merged away (``无 | 无`` is a name and a value), nor is a cell
    under a value column of the header.
    """
    out: list[TextCell] = []
    for i, cell in enumerate(cells):
        if (
            out
            and i < len(cells) - 1
            and cell[0] not in b.value_cols  # values side by side (年度指标值 无, 实际完成值 无) stay
            and label_key(cell[1]) == label_key(out[-1][1])
        ):
            if b.levels.of(cell[1]) is None:
                message = _("{text!r} is written in two neighbouring cells; read once, as the later one").format(
                    text=cell[1]
                )
                b.ev.guess(r, out[-1][0], message, "repeated_text")
                out[-1] = cell
            continue
        out.append(cell)
    return out


def aligned(b: Block, cells: list[TextCell]) -> bool:
    """A row lines up with the header: a value under a value column (指标值), every cell under
    a header cell, and no unknown text in a level column unless the 三级 name is there too
    (otherwise the name has slid into the level column, as rows copied out of PDFs do). A row
    with no value lines up when its 三级 name is under its column and its levels are known."""
    col_key, block = b.col_key, b.block
    value_keys = {c.key for c in block.values}
    if not all(c[0] in col_key for c in cells):
        return False
    k1, k2 = block.level(1).key, block.level(2).key
    has_name = any(col_key[c[0]] == block.name.key for c in cells)
    odd_level = any(col_key[c[0]] in (k1, k2) and b.levels.of(c[1]) is None for c in cells)
    if not any(col_key[c[0]] in value_keys for c in cells):
        return has_name and not odd_level  # an indicator with a blank 指标值, its levels in their columns
    return has_name or not odd_level


def by_columns(b: Block, r: int, cells: list[TextCell]) -> tuple[Named, Named, list, dict[str, list]]:
    """Split a row that lines up with the header by column, then check levels by vocabulary:
    (named 一级, named 二级, the texts under 三级, the cells of every column by key)."""
    fw, block = b.levels.fw, b.block
    by: dict[str, list] = {}
    for cell in cells:
        by.setdefault(b.col_key[cell[0]], []).append(cell)
    one = by.get(block.level(1).key, [None])[0]
    two = by.get(block.level(2).key, [None])[0]
    names = sorted(by.get(block.name.key, []))
    lv1 = b.levels.of(one[1]) if one else None
    lv2 = b.levels.of(two[1]) if two else None
    if one and two is None and lv1 and lv1[0] == 2 and lv1[1] not in fw.levels:
        return None, (one, lv1[1]), names, by  # a 二级 label written in the 一级 column
    if two and one is None and lv2 and lv2[0] == 1 and lv2[1] not in fw.usual_parent:
        return (two, lv2[1]), None, names, by  # a 一级 label written in the 二级 column
    named1 = (one, lv1[1] if lv1 else b.ev.text(r, one[0])) if one else None
    named2 = (two, lv2[1] if lv2 else b.ev.text(r, two[0])) if two else None
    return named1, named2, names, by


def classify(b: Block, cells: list[TextCell]) -> tuple[Named, Named, list]:
    """Split a row's texts into (named 一级, named 二级, other texts) by the framework."""
    named1 = named2 = None
    names: list[TextCell] = []
    for cell in cells:
        lv = b.levels.of(cell[1]) if not names else None
        if lv is None:
            names.append(cell)
            continue
        level, name = lv
        also2 = name in b.levels.fw.usual_parent  # 成本指标 is a 一级 and an older 二级
        if level == 1 and named1 is None and named2 is None and not (also2 and cell[0] >= b.c2 > b.c1):
            named1 = (cell, name)
        elif (level == 2 or also2) and named2 is None:
            named2 = (cell, name)
        else:
            names.append(cell)
    return named1, named2, names


def once(b: Block, r: int, c: int, message: str, code: str, kind: str) -> None:
    """A guess of a ``kind`` said once per form (the first cell it applies to): the same reading repeats."""
    if (code, kind) not in b.said:
        b.said.add((code, kind))
        b.ev.guess(r, c, message, code)


def merged_across(grid: Any, row: int, col: int, other: int) -> bool:
    m = grid.merge_at(row, col)
    return m is not None and m[1] <= other <= m[3]


def carried(grid: Any, row: int) -> bool:
    """True when a merge from above covers some of this row (a continuing group)."""
    return any(m[0] < row <= m[2] for m in grid.merges)


def wide(grid: Any, row: int, col: int) -> bool:
    m = grid.merge_at(row, col)
    return m is not None and m[3] - m[1] >= 2
