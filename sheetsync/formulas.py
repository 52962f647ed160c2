"""The computed values a spec declares: ratio columns (执行率 = 全年执行数 / 全年预算数) and
totals (总分). ``render`` writes them as formulas with these results cached; ``read`` gives the
workbook's results, and computes them here when a file carries none; ``check`` compares.

The arithmetic is the spreadsheet's: a blank numerator counts as 0, a blank or zero
denominator gives a blank, and a sum skips blanks and numbers typed as text (``SUM`` over a
cell holding the text ``10`` leaves it out, in Excel, WPS and LibreOffice alike); a sum of
nothing is blank, as the formula ``IF(COUNT(…)=0,"",SUM(…))`` gives it. The reader knows
which cells held text; a form records them in ``origin.text_numbers`` and the functions here
take that set.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

from .spec import Spec

Path = tuple[str, ...]  # ("项目资金", "年度资金总额", "执行率") or ("总分", "得分")


def tidy(x: float) -> int | float:
    """A result as a spreadsheet keeps it: 15 significant digits (2.85 / 3 is 0.95), whole
    numbers as ints (``100``, not ``100.0``)."""
    x = float(f"{x:.15g}")
    return int(x) if x.is_integer() and abs(x) < 1e15 else x


def ratio(numerator: float | None, denominator: float | None) -> int | float | None:
    if not denominator:
        return None
    return tidy((numerator or 0) / denominator)


def total(values: Iterable[float | None]) -> int | float | None:
    """The sum of the values given; None when none is (an unfilled form's total is blank)."""
    present = [v for v in values if v is not None]
    return tidy(math.fsum(present)) if present else None


def column_cells(data: dict[str, Any], block_key: str, column: str) -> list[tuple[str, Any]]:
    """(data path, value) of every cell of one column of numbers: an amounts column (all rows)
    or an indicator column; paths as ``Origin.cells`` names them (``绩效指标[2].分值``)."""
    value = data[block_key]
    if isinstance(value, list):
        return [(f"{block_key}[{i}].{column}", row[column]) for i, row in enumerate(value)]
    return [(f"{block_key}.{rk}.{column}", row[column]) for rk, row in value.items()]


def column_values(data: dict[str, Any], block_key: str, column: str) -> list[Any]:
    """Every value of one column of numbers: an amounts column (all rows) or an indicator column."""
    return [v for _, v in column_cells(data, block_key, column)]


def summed_cells(spec: Spec, data: dict[str, Any]) -> Iterator[tuple[str, Any, Path]]:
    """(data path of a cell, its value, the total it is summed into) for every cell a total sums."""
    for block in spec.totals:
        for cell in block.cells:
            for ref in cell.sums:
                for path, value in column_cells(data, *ref):
                    yield path, value, (block.key, cell.key)


def computed(
    spec: Spec, data: dict[str, Any], text_numbers: frozenset[str] = frozenset()
) -> Iterator[tuple[Path, int | float | None]]:
    """(path, value the formula gives) for every computed value of a form, from its inputs;
    a total leaves out the cells in ``text_numbers`` (numbers typed as text), as SUM does."""
    for block in spec.amounts:
        for ck in block.derived:
            a, b = block.column(ck).ratio  # type: ignore[misc]
            for rk, _ in block.row_labels:
                row = data[block.key][rk]
                yield (block.key, rk, ck), ratio(row[a], row[b])
    for block in spec.totals:
        for cell in block.cells:
            values = [v for ref in cell.sums for p, v in column_cells(data, *ref) if p not in text_numbers]
            yield (block.key, cell.key), total(values)


def get(data: dict[str, Any], path: Path) -> Any:
    for key in path:
        data = data[key]
    return data


def complete(spec: Spec, data: dict[str, Any]) -> dict[str, Any]:
    """Fill in every computed value ``data`` leaves out (None where a key is missing)."""
    for block in spec.totals:
        data.setdefault(block.key, {})
    for path, value in computed(spec, data):
        *parents, last = path
        holder = data
        for key in parents:
            holder = holder[key]
        if last not in holder:
            holder[last] = value
    return data
