"""An indicator row read by meaning before its levels are: what in it is no indicator value.

:func:`kind_of` tells the rows that end the block (合计, 填表人, 盖章: the framework's
``reading.stop_rows``), template placeholders (``指标3：``, ``……``) and the header repeated
after a page break from indicator rows. :func:`take_extras` takes out of an indicator row the
cells of columns the template has no key for (kept in the row's ``附加`` by their header) and
the parts of a split 指标值 (composed into it, the parts kept as ``指标值分列``).
"""

from __future__ import annotations

from typing import Any

from ..extras import VALUE_PARTS
from ..spec import IndicatorsBlock
from ..values import clean_text
from ..vocabulary import Vocabulary, compose
from .columns import Columns
from .evidence import matches

TextCell = tuple[int, str, Any]  # col, text, raw


def kind_of(cells: list[TextCell], block: IndicatorsBlock, words: Vocabulary, c2: int) -> str:
    """'stop', 'placeholder', 'header' or 'row' for a row's own cells (block label left out)."""
    first = cells[0]
    if words.is_stop(first[1]) and first[0] <= c2:
        return "stop"
    if all(words.is_placeholder(t) for _, t, _ in cells):
        return "placeholder"
    labels = sum(any(matches(t, c.label) is not None for _, t, _ in cells) for c in block.columns)
    if labels >= 2:
        return "header"
    return "row"


def take_extras(
    table: Columns | None, cells: list[TextCell], words: Vocabulary
) -> tuple[list[TextCell], dict[str, Any], list[tuple[int, str]]]:
    """(the row's cells for the levels, name and values; its 附加; the cells taken (col, path))."""
    if table is None:
        return cells, {}, []
    kept: dict[str, Any] = {}
    parts: list[tuple[str, str]] = []
    printed: dict[str, str] = {}
    taken: list[tuple[int, str]] = []
    left = []
    value_col = next((c for c, (role, _) in table.parts.items() if role == "value"), None)
    for cell in cells:
        col, text = cell[0], clean_text(cell[1])
        if col in table.extra:
            kept[table.extra[col]] = text
            taken.append((col, table.extra[col]))
        elif col in table.parts:
            role, head = table.parts[col]
            parts.append((role, text))
            printed[head] = text
            taken.append((col, f"{VALUE_PARTS}.{head}"))
            if col == value_col:
                left.append(cell)
        else:
            left.append(cell)
    if parts:
        for _role, head in table.parts.values():
            printed.setdefault(head, "")
        kept[VALUE_PARTS] = {head: printed[head] for _, head in table.parts.values()}
        kept["__composed__"] = compose(parts, words)
    return left, kept, taken


def own_parts(
    block: IndicatorsBlock, table: Columns | None, kept: dict[str, Any], taken: list[tuple[int, str]], value: str, words
) -> tuple[dict[str, str], list[tuple[int, str]], list[tuple[int, str]]]:
    """For a template that prints its 指标值 in parts: (the row's parts by the template's
    headers, the cells still kept in 附加, the cells of the parts (col, header)). Printed parts
    go by role (指标性质 or 符号: comparator); a sheet printing the 指标值 whole is split."""
    col = block.parted
    assert col is not None
    heads = {p.role: p.label.text for p in col.parts}
    printed = kept.pop(VALUE_PARTS, None)
    if printed is None or table is None:
        return col.split(value, words), taken, []
    parts, rest, own = dict.fromkeys(heads.values(), ""), [], []
    left = dict(printed)
    for c, path in taken:
        role, head = table.parts.get(c, ("", ""))
        if path == f"{VALUE_PARTS}.{head}" and role in heads and not parts[heads[role]]:
            parts[heads[role]] = left.pop(head)
            own.append((c, heads[role]))
        else:
            rest.append((c, path))
    if left:  # a part the template does not print stays where a foreign form keeps it
        kept[VALUE_PARTS] = left
    return parts, rest, own
