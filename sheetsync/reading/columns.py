"""The indicator header read by meaning: each column's role, from its header text.

A foreign indicator table may have columns the template does not (序号, 绩效标准, 备注, 分值 in a
目标表), a 指标值 printed in parts (指标性质 | 指标值 | 度量单位, or 目标值 | 计量单位), and a
second header row under a group cell (指标值 over 2023年实际实现值 | 预期2024年实现值). Each
column gets one role, by its header's meaning and never by its position:

- a template column (``key``): its label or an alias (一级指标 … 指标值, 实际完成值, 分值);
- a part of the main value (``parts``): comparator, value or unit, composed into the 指标值;
- anything else is an extra column (``extra``), kept by its header text in ``附加``.

The words are the framework's ``reading`` section (:class:`~sheetsync.vocabulary.Vocabulary`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..spec import IndicatorsBlock
from ..values import label_key
from ..vocabulary import Vocabulary
from .evidence import matches, own_cells
from .grid import Grid


@dataclass
class Columns:
    """The roles of an indicator table's columns: ``last`` is the last header row (the first
    plus a sub-header row, if any)."""

    header: int
    last: int
    key: dict[int, str] = field(default_factory=dict)  # column -> template column key
    first: dict[str, int] = field(default_factory=dict)  # template column key -> its first column
    parts: dict[int, tuple[str, str]] = field(default_factory=dict)  # column -> (role, header text)
    extra: dict[int, str] = field(default_factory=dict)  # column -> header text

    def set_key(self, col: int, key: str, span: int = 1) -> None:
        self.first.setdefault(key, col)
        for c in range(col, col + span):
            self.key[c] = key


def _span(grid: Grid, row: int, col: int) -> int:
    m = grid.merge_at(row, col)
    return (m[3] - col + 1) if m else 1


def read_columns(grid: Grid, block: IndicatorsBlock, header: int, words: Vocabulary) -> Columns:
    """The role of every column under the header row ``header`` (and a sub-header row)."""
    out = Columns(header, header)
    target = block.target.key
    cells = [(c, t) for c, t, _ in own_cells(grid, header)]
    group: tuple[int, int] | None = None  # (first, last) column of a header cell over sub-columns
    for n, (col, text) in enumerate(cells):
        if n == 0 and (matches(text, block.label) is not None or words.long_set(text)):
            continue  # the block's label (年度绩效指标, 长期绩效指标), merged down beside it
        span = _span(grid, header, col)
        column = next(
            (ic for ic in block.columns if ic.key not in out.first and matches(text, ic.label) is not None), None
        )
        role = words.role(text)
        if column is not None and column.key == target and span > 1:
            group = (col, col + span - 1)
        elif column is not None and not (role in ("comparator", "unit") and column.key != target):
            out.set_key(col, column.key, span)
        elif role in ("comparator", "unit") or (role == "value" and target not in out.first):
            out.parts[col] = (role, text)
        else:
            out.extra[col] = text
    if out.parts and target in out.first and group is None:  # 指标性质 | 指标值 | 度量单位
        col = out.first[target]
        out.parts[col] = ("value", grid.text(header, col))
    sub = header + 1
    if group is not None and not _under_group(grid, sub, group, out, block.name.key):
        out.set_key(group[0], target, group[1] - group[0] + 1)  # one value over merged columns
        group = None
    if group is None and target in out.first:
        group = _blank_group(grid, sub, out, target)
    if group is not None or _is_sub_header(grid, sub, out, words):
        _sub_header(grid, sub, out, words, group, target)
    elif out.parts and target not in out.first:
        _main_value(out, target)
    return out


def _under_group(grid: Grid, row: int, group: tuple[int, int], out: Columns, name: str) -> bool:
    """The row under a header cell spanning columns names them (two texts or more there, and
    nothing under the 三级 header: that is merged down over both header rows)."""
    cells = [c for c, _, _ in own_cells(grid, row)]
    inside = [c for c in cells if group[0] <= c <= group[1]]
    return len(inside) >= 2 and out.first.get(name, -1) not in cells


def _blank_group(grid: Grid, row: int, out: Columns, target: str) -> tuple[int, int] | None:
    """In a text dump (no merges) a group cell is the 指标值 header followed by blank header
    cells; the row under it names its sub-columns there, and nothing else."""
    first = out.first[target]
    cells = [c for c, _, _ in own_cells(grid, row)]
    nxt = min([c for c in (*out.key, *out.extra, *out.parts) if c > first], default=max(cells, default=first) + 1)
    if nxt - first < 2 or len(cells) < 2 or not all(first <= c < nxt for c in cells):
        return None
    return first, nxt - 1


def _is_sub_header(grid: Grid, row: int, out: Columns, words: Vocabulary) -> bool:
    """A row under the header naming parts only, in columns the header left blank (text dumps
    keep no merge)."""
    cells = own_cells(grid, row)
    roles = [words.role(t) for _, t, _ in cells]
    return len(cells) >= 2 and all(r in ("comparator", "unit", "value") for r in roles)


def _sub_header(grid: Grid, row: int, out: Columns, words: Vocabulary, group, target: str) -> None:
    out.last = row
    plain: list[tuple[int, str]] = []
    for col, text, _ in own_cells(grid, row):
        if group is not None and not group[0] <= col <= group[1]:
            continue
        role = words.role(text)
        if role in ("comparator", "unit", "value"):
            out.parts[col] = (role, text)
        else:
            plain.append((col, text))
    if not any(r == "value" for r, _ in out.parts.values()) and plain:
        col, text = plain.pop()  # of several years, the last is this year's target
        out.parts[col] = ("value", text)
    for col, text in plain:
        out.extra[col] = text
    value = next((c for c, (r, _) in out.parts.items() if r == "value"), None)
    if value is not None:  # the value part stands for the 指标值 the header cell above names
        out.first[target] = value
        out.key[value] = target


def _main_value(out: Columns, target: str) -> None:
    """The value part's column stands for the 指标值 (so the row reads it there)."""
    value = next((c for c, (r, _) in out.parts.items() if r == "value"), None)
    if value is not None:
        out.first.setdefault(target, value)


_WEIGHT = re.compile(r"^(?P<name>.*?)\s*(?P<weight>[(（][^()（）]*\d[^()（）]*[)）]\s*分?|\d+(?:\.\d+)?分)$")
_UNIT = re.compile(r"(?:单位[:：]?|[(（])(?P<unit>[^()（）:：]{1,3})[)）]?$")


def split_weight(text: str) -> tuple[str, str]:
    """A level cell's name and the weight printed in it: ``产出指标(50分)`` is (产出指标, (50分));
    ``(50分)`` alone is ("", (50分)); a cell without a weight is (text, "")."""
    m = _WEIGHT.match(text.strip())
    if m is None or "分" not in m.group("weight"):
        return text, ""
    return m.group("name").strip(), m.group("weight")


def printed_unit(text: str, words: Vocabulary) -> str | None:
    """The amount unit a text names (``单位：元``, ``项目资金（元）``), if one of ``words.units``."""
    m = _UNIT.search(label_key(text))
    if m and m.group("unit") in words.units:
        return m.group("unit")
    return None
