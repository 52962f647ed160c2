"""What a form is: the declarative template spec, loaded from ``templates/``.

A spec lists the form's blocks from top to bottom (title, label/value rows, the amounts
table, the indicator block, a total row), each with the labels it shows, the columns it
occupies and the contract key each value cell holds; which values are computed (ratios,
totals); and how a form starts from a form of another template (``carry_over``).
``render`` lays a workbook out from it and ``read`` finds values by it; neither knows
anything about the form that is not here.
"""

from __future__ import annotations

import functools
import os
import string
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import SpecError

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

    @property
    def rows(self) -> int:
        return 1 + len(self.row_labels)

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
class IndicatorColumn:
    key: str
    label: Label
    level: int = 0  # 1 and 2 are the merged group columns; 0 a plain column
    wrap: bool = False
    target: bool = False  # holds a 指标值, normalized as one on reading
    number: Numeric | None = None  # holds numbers (or null), not text


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
            elif isinstance(b, AmountsBlock):
                out.extend([b.label, b.corner] + [lab for _, lab in b.columns] + [lab for _, lab in b.row_labels])
            elif isinstance(b, IndicatorsBlock):
                out.extend([b.label] + [c.label for c in b.columns])
            elif isinstance(b, TotalBlock):
                out.append(b.label)
        return tuple(lab for lab in out if lab.text)

    def block_rows(self, n_indicators: int) -> list[tuple[Block, int]]:
        """Each block with its first row (0-based) for a form with that many indicators."""
        out, row = [], 0
        for b in self.blocks:
            out.append((b, row))
            row += 1 + n_indicators if isinstance(b, IndicatorsBlock) else b.rows
        return out


# ---------------------------------------------------------------- loading


def _need(obj: dict, key: str, where: str, src: str, kind: type | tuple = str) -> Any:
    if key not in obj:
        raise SpecError(f"missing key '{key}'", file=src, where=where)
    value = obj[key]
    if not isinstance(value, kind):
        raise SpecError(f"'{key}' has the wrong type ({type(value).__name__})", file=src, where=where)
    return value


def _span(text: Any, where: str, src: str) -> Span:
    try:
        return Span.parse(str(text))
    except ValueError:
        raise SpecError(f"'{text}' is not a column or column range like B:E", file=src, where=where) from None


def _label(obj: Any, where: str, src: str) -> Label:
    if not isinstance(obj, dict):
        raise SpecError("expected a mapping with text and at", file=src, where=where)
    aliases = obj.get("aliases") or []
    return Label(
        _need(obj, "text", where, src), _span(_need(obj, "at", where, src), where, src), tuple(str(a) for a in aliases)
    )


def _numeric(obj: dict, where: str, src: str, default_format: str = "General") -> Numeric:
    ratio = obj.get("ratio")
    if ratio is not None and (not isinstance(ratio, list) or len(ratio) != 2):
        raise SpecError("'ratio' must be [numerator column, denominator column]", file=src, where=where)
    return Numeric(
        str(obj.get("number_format", default_format)),
        bool(obj.get("adds_up", True)) and ratio is None,
        (str(ratio[0]), str(ratio[1])) if ratio else None,
        str(obj["at_most"]) if obj.get("at_most") else None,
    )


def _title_block(obj: dict, where: str, src: str) -> Block:
    return TitleBlock(
        _need(obj, "key", where, src),
        _span(obj.get("at", "A"), where, src),
        float(obj.get("height", 30)),
        float(obj.get("font_size", 16)),
    )


def _fields_block(obj: dict, where: str, src: str) -> Block:
    cells = []
    for i, c in enumerate(_need(obj, "cells", where, src, list)):
        w = f"{where}.cells[{i}]"
        if not isinstance(c, dict):
            raise SpecError("a cell must be a mapping", file=src, where=w)
        label = Label(_need(c, "label", w, src), _span(_need(c, "at", w, src), w, src), tuple(c.get("aliases") or ()))
        key = c.get("key")
        value = _span(_need(c, "value", w, src), w, src) if key else None
        below = bool(c.get("below", False))
        if below and not key:
            raise SpecError("'below' needs a key (a value cell under the label)", file=src, where=w)
        cells.append(FieldCell(label, key, value, bool(c.get("wrap", False)), below))
    return FieldsBlock(tuple(cells))


def _amounts_block(obj: dict, where: str, src: str) -> Block:

    def pairs(name: str) -> tuple[tuple[str, Label], ...]:
        out = []
        for i, c in enumerate(_need(obj, name, where, src, list)):
            w = f"{where}.{name}[{i}]"
            key = _need(c, "key", w, src)
            out.append((key, _label({"text": c.get("label", key), **c}, w, src)))
        return tuple(out)

    number_format = str(obj.get("number_format", "General"))
    columns = pairs("columns")
    keys = [k for k, _ in columns]
    numeric = {}
    for i, c in enumerate(obj["columns"]):
        numeric[keys[i]] = n = _numeric(c, f"{where}.columns[{i}]", src, number_format)
        if n.ratio and not set(n.ratio) <= set(keys):
            raise SpecError("'ratio' names a column the block does not have", file=src, where=f"{where}.columns[{i}]")
    return AmountsBlock(
        _need(obj, "key", where, src),
        _label(_need(obj, "label", where, src, dict), where + ".label", src),
        _label(_need(obj, "corner", where, src, dict), where + ".corner", src),
        columns,
        pairs("rows"),
        number_format,
        numeric,
        str(obj.get("unit", "")),
    )


def _indicators_block(obj: dict, where: str, src: str) -> Block:
    cols = []
    for i, c in enumerate(_need(obj, "columns", where, src, list)):
        w = f"{where}.columns[{i}]"
        key = _need(c, "key", w, src)
        cols.append(
            IndicatorColumn(
                key,
                _label({"text": c.get("label", key), **c}, w, src),
                int(c.get("level", 0)),
                bool(c.get("wrap", False)),
                bool(c.get("target", False)),
                _numeric(c, w, src) if c.get("number") else None,
            )
        )
    levels = sorted(c.level for c in cols if c.level)
    if levels != [1, 2]:
        raise SpecError("an indicators block needs one column with level 1 and one with level 2", file=src, where=where)
    if sum(1 for c in cols if not c.level and not c.number) < 2:
        raise SpecError(
            "an indicators block needs a text column for the 三级 name and one for its value",
            file=src,
            where=where,
        )
    return IndicatorsBlock(
        _need(obj, "key", where, src),
        _label(_need(obj, "label", where, src, dict), where + ".label", src),
        tuple(cols),
    )


def _total_block(obj: dict, where: str, src: str) -> Block:
    cells = []
    for i, c in enumerate(_need(obj, "cells", where, src, list)):
        w = f"{where}.cells[{i}]"
        sums = []
        for ref in _need(c, "sum", w, src, list):
            block_key, _, col_key = str(ref).partition(".")
            if not col_key:
                raise SpecError(f"'{ref}' is not 'block key.column key'", file=src, where=w + ".sum")
            sums.append((block_key, col_key))
        cells.append(
            TotalCell(
                _need(c, "key", w, src),
                _span(_need(c, "at", w, src), w, src),
                tuple(sums),
                str(c.get("number_format", "General")),
            )
        )
    return TotalBlock(
        _need(obj, "key", where, src),
        _label(_need(obj, "label", where, src, dict), where + ".label", src),
        tuple(cells),
    )


_BLOCK_LOADERS = {
    "title": _title_block,
    "fields": _fields_block,
    "amounts": _amounts_block,
    "indicators": _indicators_block,
    "total": _total_block,
}


def _block(obj: Any, where: str, src: str) -> Block:
    if not isinstance(obj, dict):
        raise SpecError("a block must be a mapping", file=src, where=where)
    kind = _need(obj, "kind", where, src)
    load = _BLOCK_LOADERS.get(kind)
    if load is not None:
        return load(obj, where, src)
    raise SpecError(
        f"unknown block kind '{kind}' (title, fields, amounts, indicators, total)", file=src, where=where + ".kind"
    )


def _carry_over(obj: Any, src: str) -> CarryOver | None:
    if obj is None:
        return None
    where = "carry_over"
    if not isinstance(obj, dict):
        raise SpecError("expected a mapping with source, fields, amounts, indicators", file=src, where=where)

    def path(text: Any, w: str) -> tuple[str, str, str]:
        parts = tuple(str(text).split("."))
        if len(parts) != 3:
            raise SpecError(f"'{text}' is not 'block.row.column'", file=src, where=w)
        return parts  # type: ignore[return-value]

    amounts = {}
    for target, sources in (obj.get("amounts") or {}).items():
        w = f"{where}.amounts.{target}"
        sources = sources if isinstance(sources, list) else [sources]
        amounts[path(target, w)] = tuple(path(x, w) for x in sources)
    return CarryOver(
        str(_need(obj, "source", where, src)),
        {str(k): str(v) for k, v in (obj.get("fields") or {}).items()},
        amounts,
        {str(k): str(v) for k, v in (obj.get("indicators") or {}).items()},
    )


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~20x faster


@functools.lru_cache(maxsize=64)
def _cached_text(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def _load_yaml(path: Path | Any, src: str) -> dict:
    try:
        text = _cached_text(str(path)) if isinstance(path, Path) else path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_LOADER)
    except (OSError, UnicodeDecodeError) as e:
        raise SpecError(f"cannot read the spec: {e}", file=src) from None
    except yaml.YAMLError as e:
        raise SpecError(f"not valid YAML: {e}".splitlines()[0], file=src) from None
    if not isinstance(data, dict):
        raise SpecError("a spec must be a YAML mapping", file=src)
    return data


def load_framework(path: Path | Any, src: str) -> Framework:
    data = _load_yaml(path, src)
    levels = _need(data, "levels", "levels", src, dict)
    parsed = {}
    for one, body in levels.items():
        twos = (body or {}).get("二级", []) if isinstance(body, dict) else body
        if not isinstance(twos, list):
            raise SpecError("expected a list of 二级 names", file=src, where=f"levels.{one}")
        parsed[str(one)] = tuple(str(t) for t in twos)
    aliases = {str(k): str(v) for k, v in (data.get("aliases") or {}).items()}

    def words(key: str) -> tuple[str, ...]:
        value = data.get(key) or []
        if not isinstance(value, list):
            raise SpecError("expected a list of words", file=src, where=key)
        return tuple(str(v) for v in value)

    hints = data.get("hints") or {}
    if not isinstance(hints, dict):
        raise SpecError("expected a mapping of 二级 names to words", file=src, where="hints")
    return Framework(
        parsed,
        aliases,
        words("qualitative"),
        {str(k): tuple(map(str, v or ())) for k, v in hints.items()},
        words("rates"),
        words("money_units"),
        src,
        {str(k): str(v) for k, v in (data.get("places") or {}).items()},
        words("cost_words"),
    )


def load_spec(path: Path | Any, src: str | None = None) -> Spec:
    """Load and validate a spec file (a path or an importlib resource)."""
    src = src or str(path)
    data = _load_yaml(path, src)
    blocks = tuple(_block(b, f"blocks[{i}]", src) for i, b in enumerate(_need(data, "blocks", "blocks", src, list)))
    columns = _need(data, "columns", "columns", src, dict)
    widths: list[float] = []
    for letter, width in columns.items():
        if _span(letter, "columns", src).first != len(widths):
            raise SpecError("columns must be listed from A without gaps", file=src, where="columns")
        widths.append(float(width))
    fw_name = data.get("framework", "framework.yaml")
    fw_path = path.parent / fw_name if hasattr(path, "parent") else path.joinpath("..", fw_name)
    framework = load_framework(fw_path, f"{src}: framework {fw_name}")
    font = data.get("font") or {}
    page = data.get("page") or {}
    spec = Spec(
        name=_need(data, "name", "name", src),
        version=str(_need(data, "version", "version", src, (str, int, float))),
        title=str(data.get("title", "")),
        font=(str(font.get("name", "宋体")), float(font.get("size", 10))),
        widths=tuple(widths),
        blocks=blocks,
        framework=framework,
        source=src,
        identity=str(data.get("identity", "项目名称")),
        paper=str(page.get("paper", "A4")),
        landscape=page.get("orientation", "portrait") == "landscape",
        carry_over=_carry_over(data.get("carry_over"), src),
    )
    if sum(isinstance(b, IndicatorsBlock) for b in blocks) != 1:
        raise SpecError("a spec needs exactly one indicators block", file=src, where="blocks")
    if spec.identity not in spec.keys:
        raise SpecError(f"identity '{spec.identity}' is not one of the spec's keys", file=src, where="identity")
    _check_references(spec, src)
    return spec


def _check_references(spec: Spec, src: str) -> None:
    """Totals and limits must name columns of numbers the spec has."""
    numbers = {(b.key, k) for b in spec.amounts for k, _ in b.columns}
    numbers |= {(spec.indicators.key, c.key) for c in spec.indicators.columns if c.number}
    for i, b in enumerate(spec.blocks):
        for j, cell in enumerate(b.cells if isinstance(b, TotalBlock) else ()):
            for ref in cell.sums:
                if ref not in numbers:
                    raise SpecError(
                        f"'{'.'.join(ref)}' is not a column of numbers", file=src, where=f"blocks[{i}].cells[{j}].sum"
                    )
    co = spec.carry_over
    if co is not None:  # what it fills must be this spec's (the source is checked when used)
        inputs = {(b.key, rk, ck) for b in spec.amounts for rk, _ in b.row_labels for ck in b.inputs}
        bad = [f"fields.{k}" for k in co.fields if k not in spec.text_keys]
        bad += [f"amounts.{'.'.join(t)}" for t in co.amounts if t not in inputs]
        bad += [f"indicators.{k}" for k in co.indicators if k not in {c.key for c in spec.indicators.columns}]
        if bad:
            raise SpecError(f"'{bad[0]}' is not a value of this template", file=src, where=f"carry_over.{bad[0]}")
    ind = spec.indicators
    for c in ind.columns:
        limit = c.number.at_most if c.number else None
        if limit and not any(o.key == limit and o.number for o in ind.columns):
            raise SpecError(f"at_most '{limit}' is not a column of numbers", file=src, where=f"{ind.key}.{c.key}")
    for b in spec.amounts:
        for k, _ in b.columns:
            limit = b.column(k).at_most
            if limit and limit not in dict(b.columns):
                raise SpecError(f"at_most '{limit}' is not a column of the block", file=src, where=f"{b.key}.{k}")


PROPERTY_TEMPLATE = "sheetsync.template"  # document properties of a rendered workbook
PROPERTY_VERSION = "sheetsync.version"
TEMPLATE_DIRS_ENV = "SHEETSYNC_TEMPLATES"  # folders of the user's own specs, separated like PATH
ENTRY_POINT_GROUP = "sheetsync.templates"  # plugins: an entry point naming a folder of specs


@dataclass(frozen=True)
class TemplateInfo:
    """A template found on this system: its name and version, where it came from, its file."""

    name: str
    version: str
    source: str  # "user", "package" or "plugin <distribution>"
    path: Path


def _specs_in(folder: Path, source: str) -> list[TemplateInfo]:
    out = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml") or path.name == "framework.yaml":
            continue
        data = _load_yaml(path, str(path))
        if "blocks" in data and "name" in data:
            out.append(TemplateInfo(str(data["name"]), str(data.get("version", "")), source, path))
    return out


def _user_folders() -> list[Path]:
    return [Path(d) for d in os.environ.get(TEMPLATE_DIRS_ENV, "").split(os.pathsep) if d]


def _plugin_folders() -> list[tuple[str, Path]]:
    from importlib.metadata import entry_points

    out = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        where = f"plugin {ep.dist.name if ep.dist else ep.name}"
        try:
            value = ep.load()
            folder = Path(value() if callable(value) else value)
        except Exception as e:  # a broken plugin must not break sheetsync
            raise SpecError(f"cannot load its templates ({type(e).__name__}: {e})", file=where) from None
        out.append((where, folder))
    return out


def discover(*, plugins: bool = True) -> list[TemplateInfo]:
    """Every template: the user's folders (``SHEETSYNC_TEMPLATES``) first, then the packaged
    ones, then those of plugins (entry points in ``sheetsync.templates``). The first of a name wins."""
    return list(_discover(plugins, os.environ.get(TEMPLATE_DIRS_ENV, "")))


@functools.cache
def _discover(plugins: bool, _user_dirs: str) -> tuple[TemplateInfo, ...]:
    found: list[TemplateInfo] = []
    for folder in _user_folders():
        found.extend(_specs_in(folder, "user"))
    found.extend(_specs_in(Path(str(templates_root())), "package"))
    if plugins:
        for source, folder in _plugin_folders():
            found.extend(_specs_in(folder, source))
    seen: set[str] = set()
    return tuple(t for t in found if not (t.name in seen or seen.add(t.name)))


_BY_PATH: dict[str, Spec] = {}  # specs loaded from a file, findable by their name afterwards


def get_spec(name: str = DEFAULT_TEMPLATE) -> Spec:
    """The template called ``name`` (see :func:`discover`), or the spec file at a path."""
    if name in _BY_PATH:
        return _BY_PATH[name]
    return _get_spec(name, os.environ.get(TEMPLATE_DIRS_ENV, ""))


@functools.cache
def _get_spec(name: str, _user_dirs: str) -> Spec:
    if name.endswith((".yaml", ".yml")):
        spec = load_spec(Path(name))
        _BY_PATH[spec.name] = spec
        return spec
    for plugins in (False, True):  # plugins are looked at only when needed: scanning them costs start-up
        for info in discover(plugins=plugins):
            if info.name == name:
                label = f"templates/{info.path.name}" if info.source == "package" else str(info.path)
                return load_spec(info.path, label)
    raise SpecError(f"no template called '{name}'; 'sheetsync templates' lists the installed ones", file="templates")


def templates_root() -> Any:
    """The packaged templates; in a source checkout that is not installed, the repo's templates/."""
    try:
        return resources.files("sheetsync.templates")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "templates"


def example_forms_path() -> Path:
    """The folder of bundled example forms (the nine published seed forms)."""
    return Path(str(templates_root() / "examples"))
