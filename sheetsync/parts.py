"""A 指标值 printed in parts (指标性质 | 指标值 | 度量单位): the data of such a template.

A spec whose target column has ``parts`` prints the 指标值 in several columns; an indicator
row then holds both the 指标值 the form means (``≥95%``, what the parts compose, by the
framework's ``reading`` words) and the parts as printed, by header, in ``指标值分列``
(``{"指标性质": "≥", "指标值": "95", "度量单位": "%"}``): the same name and shape under which a
foreign form's split value is kept. Data may give either: parts alone compose the 指标值; a
指标值 alone is split into parts that compose it exactly (``优`` is all value).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .errors import DataError
from .extras import EXTRAS, VALUE_PARTS
from .i18n import _
from .spec import IndicatorColumn, IndicatorsBlock, Spec
from .values import clean_target


def row_keys(block: IndicatorsBlock) -> tuple[list[str], list[str]]:
    """(the keys an indicator row may have, those it may leave out)."""
    keys = [c.key for c in block.columns]
    parted = block.parted
    if parted is None:
        return [*keys, EXTRAS], [EXTRAS]
    return [*keys, VALUE_PARTS, EXTRAS], [EXTRAS, VALUE_PARTS, parted.key]


def ordered(row: dict[str, Any], block: IndicatorsBlock) -> dict[str, Any]:
    """A row's keys in the form's order: the parts right after the 指标值 they compose."""
    keys = [k for c in block.columns for k in ((c.key, VALUE_PARTS) if c.parts else (c.key,))]
    return {k: row[k] for k in (*keys, EXTRAS) if k in row}


def indicator_row(
    item: dict[str, Any], spec: Spec, path: str, file: str | None, number: Callable, text: Callable
) -> dict[str, Any]:
    """An indicator row's values, checked by ``number`` and ``text``; a 指标值 printed in parts
    with its parts: given parts (exactly the spec's part headers) compose a 指标值 left out; a
    指标值 without parts is split."""
    cols = spec.indicators.columns
    row = {c.key: (number if c.number else text)(item[c.key], f"{path}.{c.key}", file) for c in cols if not c.parts}
    col = spec.indicators.parted
    if col is None:
        return row
    words = spec.framework.reading
    if VALUE_PARTS in item:
        parts = _parts(item[VALUE_PARTS], col, f"{path}.{VALUE_PARTS}", file, text)
        row[col.key] = text(item[col.key], f"{path}.{col.key}", file) if col.key in item else col.compose(parts, words)
    elif col.key in item:
        row[col.key] = text(item[col.key], f"{path}.{col.key}", file)
        parts = col.split(row[col.key], words)
    else:
        raise DataError(
            _("missing (give the {key} or its parts, {parts})").format(key=col.key, parts=VALUE_PARTS),
            file=file,
            where=f"{path}.{col.key}",
        )
    row[VALUE_PARTS] = parts
    return ordered(row, spec.indicators)


def _parts(value: Any, col: IndicatorColumn, path: str, file: str | None, text: Callable) -> dict[str, str]:
    heads = [p.label.text for p in col.parts]
    if not isinstance(value, dict):
        raise DataError(_("expected an object of {heads}").format(heads=", ".join(heads)), file=file, where=path)
    for k in value:
        if k not in heads:
            message = _("unknown part '{part}'; the form prints {heads}").format(part=k, heads=", ".join(heads))
            raise DataError(message, file=file, where=f"{path}.{k}")
    missing = [h for h in heads if h not in value]
    if missing:
        raise DataError(_('missing (write "" for a blank part)'), file=file, where=f"{path}.{missing[0]}")
    return {h: text(value[h], f"{path}.{h}", file) for h in heads}


def part_issues(spec: Spec, rows: list[dict[str, Any]]) -> Iterator[tuple[str, str, str]]:
    """(data path, value, normal form) of each part that reads back changed (parts are read as
    指标值 are: trimmed, half-width digits and %), and of each 指标值 other than what its parts
    compose (the workbook shows the parts)."""
    col, key = spec.indicators.parted, spec.indicators.key
    if col is None:
        return
    for i, row in enumerate(rows):
        parts = {h: clean_target(v) for h, v in row[VALUE_PARTS].items()}
        for head, value in row[VALUE_PARTS].items():
            if parts[head] != value:
                yield f"{key}[{i}].{VALUE_PARTS}.{head}", value, parts[head]
        composed = col.compose(parts, spec.framework.reading)
        if clean_target(row[col.key]) != composed:
            yield f"{key}[{i}].{col.key}", row[col.key], composed


def carried_row(row: dict[str, Any], spec: Spec, source: Spec, columns: dict[str, str]) -> dict[str, Any]:
    """An indicator row of ``spec`` started from a row of ``source`` (carry-over): each column
    from the source column ``columns`` names, else blank; a 指标值 printed in parts in both
    keeps its parts (by role) where they compose the same 指标值."""
    out = {
        c.key: row[columns[c.key]] if c.key in columns else (None if c.number else "") for c in spec.indicators.columns
    }
    col, src = spec.indicators.parted, source.indicators.parted
    if col is not None and src is not None and columns.get(col.key) == src.key:
        by_role = {p.role: row[VALUE_PARTS][p.label.text] for p in src.parts}
        parts = {p.label.text: by_role.get(p.role, "") for p in col.parts}
        if col.compose(parts, spec.framework.reading) == out[col.key]:
            out[VALUE_PARTS] = parts
    return out


def with_printed_parts(row: dict[str, Any], sources: tuple[dict | None, ...], spec: Spec) -> dict[str, Any]:
    """A row merged column by column, with the parts of a source (ours, theirs, base) whose
    指标值 it took, one that changed them from base first (a merge keeps what the form printed,
    定性 included, and a side's edit of the parts alone)."""
    col = spec.indicators.parted
    if col is None or VALUE_PARTS in row:
        return row
    base = sources[-1]
    took = [s for s in sources if s is not None and s[col.key] == row[col.key] and VALUE_PARTS in s]
    changed = [s for s in took if base is None or s[VALUE_PARTS] != base.get(VALUE_PARTS)]
    source = (changed or took or [None])[0]
    if source is not None:
        row = ordered({**row, VALUE_PARTS: dict(source[VALUE_PARTS])}, spec.indicators)
    return row


def printed_change(a: dict[str, Any], b: dict[str, Any], spec: Spec) -> tuple[str, str] | None:
    """Two rows whose parts print the same 指标值 differently (定量 -> 定性, ``95`` ``%`` ->
    ``95%`` ``""``): the parts of each as one text (``定量 | 48 | 起``), else None."""
    col = spec.indicators.parted
    if col is None or a[VALUE_PARTS] == b[VALUE_PARTS]:
        return None
    return tuple(" | ".join(r[VALUE_PARTS][p.label.text] for p in col.parts) for r in (a, b))  # type: ignore[return-value]
