"""What a form is: the declarative template spec, loaded from ``templates/``.

A spec lists the form's blocks from top to bottom (title, label/value rows, the amounts
table, the indicator block, a total row), each with the labels it shows, the columns it
occupies and the contract key each value cell holds; which values are computed (ratios,
totals); and how a form starts from a form of another template (``carry_over``).
``render`` lays a workbook out from it and ``read`` finds values by it; neither knows
anything about the form that is not here. Loading a spec file is ``specfile``; finding the
templates of a run is ``catalog``.
"""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass, field

from .values import clean_target
from .vocabulary import Vocabulary, compose, split_value

DEFAULT_TEMPLATE = "绩效目标表"


def _col(letter: str) -> int:
    """'A' -> 0, 'E' -> 4, 'AA' -> 26."""
    n = 0
    for ch in letter:
        if ch not in string.ascii_uppercase:
            raise ValueError(letter)
        n = n * 26 + (ord(ch) - 64)
    return n - 1


@dataclass(frozen=True)
class Span:
    """Columns ``first..last`` (0-based, inclusive) on one row."""

    first: int
    last: int

    @classmethod
    def parse(cls, text: str) -> Span:
        a, _, b = str(text).partition(":")
        first, last = _col(a.strip()), _col((b or a).strip())
        if last < first:
            raise ValueError(text)
        return cls(first, last)

    @property
    def width(self) -> int:
        return self.last - self.first + 1


@dataclass(frozen=True)
class Label:
    """A fixed text on the form, at a place, with other spellings a reader accepts."""

    text: str
    at: Span
    aliases: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.text, *self.aliases)


@dataclass(frozen=True)
class FieldCell:
    """A label cell, optionally with the value cell holding contract key ``key``: beside the
    label on its row, or (``below``) under it on the block's second row."""

    label: Label
    key: str | None = None
    value: Span | None = None
    wrap: bool = False
    below: bool = False
    align: str = "left"  # of the value: left, or center for short values (主管部门, 项目期)


@dataclass(frozen=True)
class TitleBlock:
    key: str
    at: Span
    height: float = 30
    font_size: float = 16
    rows: int = 1


@dataclass(frozen=True)
class FieldsBlock:
    """One row of labels and values; two rows when some values sit below their labels
    (label-only cells then merge down over both)."""

    cells: tuple[FieldCell, ...]

    @property
    def rows(self) -> int:
        return 2 if any(c.below for c in self.cells) else 1


@dataclass(frozen=True)
class Numeric:
    """How a column of numbers behaves: its display format, whether its first row is the sum of
    the others (``adds_up``), whether it is computed (``ratio``: this = a / b, per row, written
    as a formula), and another column of the row it may not exceed (``at_most``)."""

    number_format: str = "General"
    adds_up: bool = True
    ratio: tuple[str, str] | None = None
    at_most: str | None = None


@dataclass(frozen=True)
class AmountsBlock:
    """A label over a small table: one number per (row key, column key), or null."""

    key: str
    label: Label
    corner: Label
    columns: tuple[tuple[str, Label], ...]
    row_labels: tuple[tuple[str, Label], ...]
    number_format: str = "General"
    numeric: dict[str, Numeric] = field(default_factory=dict)  # column key -> how it behaves
    unit: str = ""  # of the amounts (万元); columns that do not add up (scores, rates) have none
    lone: str = ""  # the column an amount printed alone on its row (no column header) belongs to
    label_at: dict[str, Span] = field(default_factory=dict)  # paired: column key -> its labels' cells

    @property
    def paired(self) -> bool:
        """Each amount beside its own label (年度资金总额（含本级） | 3), no header row."""
        return bool(self.label_at)

    @property
    def rows(self) -> int:
        return len(self.row_labels) + (0 if self.paired else 1)

    def column(self, key: str) -> Numeric:
        return self.numeric.get(key) or Numeric(self.number_format)

    @property
    def derived(self) -> tuple[str, ...]:
        """The computed columns (formulas): optional in data given to render."""
        return tuple(k for k, _ in self.columns if self.column(k).ratio)

    @property
    def inputs(self) -> tuple[str, ...]:
        """The columns that are not computed."""
        return tuple(k for k, _ in self.columns if not self.column(k).ratio)


@dataclass(frozen=True)
class ValuePart:
    """One printed part of a split 指标值: its ``role`` (comparator, value or unit, the words
    of the framework's ``reading`` section) and its column header."""

    role: str
    label: Label


PART_ROLES = ("comparator", "value", "unit")


@dataclass(frozen=True)
class IndicatorColumn:
    key: str
    label: Label
    level: int = 0  # 1 and 2 are the merged group columns; 0 a plain column
    wrap: bool = False
    target: bool = False  # holds a 指标值, normalized as one on reading
    number: Numeric | None = None  # holds numbers (or null), not text
    # printed in parts (指标性质 | 指标值 | 度量单位): the column has no cell of its own; its
    # value is what the parts compose, and the data keeps the parts (``指标值分列``)
    parts: tuple[ValuePart, ...] = ()

    def compose(self, parts: dict[str, str], words: Vocabulary) -> str:
        """The 指标值 a row's parts (by header, as the data keeps them) mean: ``≥95%``."""
        return clean_target(compose([(p.role, parts.get(p.label.text, "")) for p in self.parts], words))

    def split(self, text: str, words: Vocabulary) -> dict[str, str]:
        """A 指标值 as this column's parts (by header) that compose to it exactly."""
        by_role = split_value(text, words, tuple(p.role for p in self.parts))
        return {p.label.text: by_role[p.role] for p in self.parts}


@dataclass(frozen=True)
class IndicatorsBlock:
    """A header row, then one row per indicator; level columns merge over their groups."""

    key: str
    label: Label
    columns: tuple[IndicatorColumn, ...]

    def level(self, n: int) -> IndicatorColumn:
        return next(c for c in self.columns if c.level == n)

    @functools.cached_property
    def target(self) -> IndicatorColumn:
        """The 指标值 column: the one marked ``target`` (else the last text column)."""
        plain = [c for c in self.columns if not c.level and not c.number]
        return next((c for c in plain if c.target), plain[-1])

    @functools.cached_property
    def name(self) -> IndicatorColumn:
        """The 三级指标 column: the first plain text column that is not the target."""
        return next(c for c in self.columns if not c.level and not c.number and c is not self.target)

    @functools.cached_property
    def parted(self) -> IndicatorColumn | None:
        """The column printed in parts, if any (the 指标值)."""
        return next((c for c in self.columns if c.parts), None)

    @functools.cached_property
    def values(self) -> tuple[IndicatorColumn, ...]:
        """The columns that hold an indicator's values: all but the three levels, target first."""
        rest = [c for c in self.columns if not c.level and c is not self.name and c is not self.target]
        return (self.target, *rest)


@dataclass(frozen=True)
class TotalCell:
    """A computed total: the sum of the ``sums`` columns, each ``(block key, column key)``."""

    key: str
    at: Span
    sums: tuple[tuple[str, str], ...]
    number_format: str = "General"


@dataclass(frozen=True)
class TotalBlock:
    """One row: a label and computed totals (formulas in the workbook)."""

    key: str
    label: Label
    cells: tuple[TotalCell, ...]
    rows: int = 1


Block = TitleBlock | FieldsBlock | AmountsBlock | IndicatorsBlock | TotalBlock


@dataclass(frozen=True)
class CarryOver:
    """How a form of this template starts from a form of ``source`` (another template).

    ``fields``: key -> a text with ``{source key}`` and ``{year}`` (the first 4-digit year in
    the source's texts) placeholders; ``amounts``: ``block.row.column`` -> a list of source
    paths, the first non-null wins; ``indicators``: column key -> source column key.
    Anything not named starts blank.
    """

    source: str
    fields: dict[str, str]
    amounts: dict[tuple[str, str, str], tuple[tuple[str, str, str], ...]]
    indicators: dict[str, str]


@dataclass(frozen=True)
class Framework:
    """The indicator vocabulary: 一级 names, the 二级 names under each, other spellings."""

    levels: dict[str, tuple[str, ...]]
    aliases: dict[str, str] = field(default_factory=dict)
    qualitative: tuple[str, ...] = ()
    hints: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rates: tuple[str, ...] = ()
    money_units: tuple[str, ...] = ()
    source: str = ""
    places: dict[str, str] = field(default_factory=dict)  # time, benefit, output, cost: level names
    cost_words: tuple[str, ...] = ()
    reading: Vocabulary = field(default_factory=Vocabulary)  # words that tell a foreign form's parts

    @functools.cached_property
    def level2(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for names in self.levels.values():
            seen.update(dict.fromkeys(names))
        return tuple(seen)

    @functools.cached_property
    def usual_parent(self) -> dict[str, str]:
        """二级 -> the first 一级 that lists it (成本指标 is listed under 产出指标 first)."""
        parents: dict[str, str] = {}
        for one, twos in self.levels.items():
            for two in twos:
                parents.setdefault(two, one)
        return parents


@dataclass(frozen=True)
class Spec:
    """A loaded, validated template: the form's layout and its data contract."""

    name: str
    version: str
    title: str
    font: tuple[str, float]
    widths: tuple[float, ...]
    blocks: tuple[Block, ...]
    framework: Framework
    source: str
    identity: str = "项目名称"
    paper: str = "A4"
    landscape: bool = False
    carry_over: CarryOver | None = None
    titles: tuple[str, ...] = ()  # words in a title that name this template (files of other provinces)
    variant_of: str = ""  # the template this one varies: chosen for a sheet only when it is named

    @property
    def ncols(self) -> int:
        return len(self.widths)

    @functools.cached_property
    def keys(self) -> tuple[str, ...]:
        """The contract's top-level keys, in the order of the form."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, FieldsBlock):
                out.extend(c.key for c in b.cells if c.key)
            else:
                out.append(b.key)
        return tuple(out)

    @functools.cached_property
    def indicators(self) -> IndicatorsBlock:
        return next(b for b in self.blocks if isinstance(b, IndicatorsBlock))

    @functools.cached_property
    def amounts(self) -> tuple[AmountsBlock, ...]:
        return tuple(b for b in self.blocks if isinstance(b, AmountsBlock))

    @functools.cached_property
    def text_keys(self) -> tuple[str, ...]:
        out = [b.key for b in self.blocks if isinstance(b, TitleBlock)]
        for b in self.blocks:
            if isinstance(b, FieldsBlock):
                out.extend(c.key for c in b.cells if c.key)
        return tuple(out)

    @functools.cached_property
    def fields(self) -> tuple[FieldCell, ...]:
        """Every label/value cell of the fields blocks, in the order of the form."""
        return tuple(c for b in self.blocks if isinstance(b, FieldsBlock) for c in b.cells)

    @functools.cached_property
    def totals(self) -> tuple[TotalBlock, ...]:
        return tuple(b for b in self.blocks if isinstance(b, TotalBlock))

    @functools.cached_property
    def labels(self) -> tuple[Label, ...]:
        """Every fixed text of the form (what tells one template from another)."""
        out: list[Label] = []
        for b in self.blocks:
            if isinstance(b, FieldsBlock):
                out.extend(c.label for c in b.cells)
            elif isinstance(b, AmountsBlock):  # a paired block's column labels and corner too: a reader meets them
                out.extend([b.label, b.corner] + [lab for _, lab in b.columns] + [lab for _, lab in b.row_labels])
            elif isinstance(b, IndicatorsBlock):
                out.extend([b.label] + [p.label for c in b.columns for p in c.parts or [c]])
            elif isinstance(b, TotalBlock):
                out.append(b.label)
        return tuple(lab for lab in out if lab.text)


PROPERTY_TEMPLATE = "sheetsync.template"  # document properties of a rendered workbook
PROPERTY_VERSION = "sheetsync.version"
