"""Validation of form data against a template spec: each value of the data contract checked
where it stands, the first error naming its data path."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from . import formulas
from .errors import DataError
from .extras import EXTRAS, with_extras
from .i18n import _
from .parts import indicator_row, row_keys
from .spec import AmountsBlock, Spec

# Characters an xlsx cell cannot hold: XML 1.0 forbids C0 controls other than tab, LF and
# CR, the noncharacters U+FFFE and U+FFFF, and lone surrogates.
FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
MAX_CELL_CHARS = 32767


def kind_of(value: Any) -> str:
    """What a value is, as an error message names it (``a number``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("a boolean")
    if isinstance(value, (int, float)):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("an object")
    return type(value).__name__


def _text(value: Any, path: str, file: str | None) -> str:
    if not isinstance(value, str):
        hint = _(" (quote it in YAML)") if isinstance(value, (int, float, bool)) else ""
        raise DataError(
            _("expected text, got {kind}{hint}").format(kind=kind_of(value), hint=hint), file=file, where=path
        )
    bad = FORBIDDEN_CHARS.search(value)
    if bad is not None:
        code = ord(bad.group())
        kind = "control character" if code < 32 else "character"
        raise DataError(
            _("contains the {kind} U+{code:04X}, which an xlsx cell cannot hold; remove it").format(
                kind=kind, code=code
            ),
            file=file,
            where=path,
        )
    if len(value) > MAX_CELL_CHARS:
        raise DataError(
            _("is {count} characters long; an Excel cell holds at most {limit}").format(
                count=len(value), limit=MAX_CELL_CHARS
            ),
            file=file,
            where=path,
        )
    return value


def _amount(value: Any, path: str, file: str | None, unit: str = "") -> int | float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        unit = _(" ({unit})").format(unit=unit) if unit else ""
        raise DataError(
            _("expected a number{unit} or null, got {kind}").format(unit=unit, kind=kind_of(value)),
            file=file,
            where=path,
        )
    if (isinstance(value, int) and abs(value) >= 10**308) or not math.isfinite(value):
        raise DataError(_("expected a finite number"), file=file, where=path)
    return value


def _mapping(value: Any, keys: Iterable[str], path: str, file: str | None, optional: Iterable[str] = ()) -> dict:
    """``value`` as an object with exactly ``keys`` (those in ``optional``, computed values, may
    be left out)."""
    if not isinstance(value, dict):
        raise DataError(
            _("expected an object, got {kind}").format(kind=kind_of(value)), file=file, where=path or "(top)"
        )
    keys = list(keys)
    for k in value:
        if k not in keys:
            raise DataError(
                _("unknown key '{key}'; the contract has {keys}").format(key=k, keys=", ".join(keys)),
                file=file,
                where=f"{path}.{k}" if path else str(k),
            )
    for k in keys:
        if k not in value and k not in optional:
            raise DataError(
                _('missing (write "" for a blank text, null for a blank amount)'),
                file=file,
                where=f"{path}.{k}" if path else k,
            )
    return value


def _amounts(value: Any, block: AmountsBlock, path: str, file: str | None) -> dict[str, Any]:
    rows = _mapping(value, [k for k, _ in block.row_labels], path, file)
    table = {}
    for rk, _label in block.row_labels:
        p = f"{path}.{rk}"
        cols = _mapping(rows[rk], [k for k, _ in block.columns], p, file, optional=block.derived)
        table[rk] = {
            ck: _amount(cols[ck], f"{p}.{ck}", file, block.unit if block.column(ck).adds_up else "")
            for ck, _ in block.columns
            if ck in cols
        }
    return table


def _indicators(items: Any, spec: Spec, path: str, file: str | None) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        raise DataError(_("expected a list, got {kind}").format(kind=kind_of(items)), file=file, where=path)
    keys, optional = row_keys(spec.indicators)
    rows_out = []
    for i, item in enumerate(items):
        p = f"{path}[{i}]"
        row = indicator_row(_mapping(item, keys, p, file, optional=optional), spec, p, file, _amount, _text)
        rows_out.append(with_extras(row, item, f"{p}.{EXTRAS}", file, _text))
    return rows_out


def validate(obj: Any, spec: Spec, where: str, file: str | None) -> dict[str, Any]:
    def at(key: str) -> str:
        return f"{where}.{key}" if where else key

    obj = _mapping(obj, [*spec.keys, EXTRAS], where, file, optional=[EXTRAS, *(b.key for b in spec.totals)])
    amounts = {b.key: b for b in spec.amounts}
    totals = {b.key: b for b in spec.totals}
    out: dict[str, Any] = {}
    for key in spec.keys:  # in the form's order, so the first error is the first on the form
        if key in amounts:
            out[key] = _amounts(obj[key], amounts[key], at(key), file)
        elif key == spec.indicators.key:
            out[key] = _indicators(obj[key], spec, at(key), file)
        elif key in totals:
            if key in obj:
                cells = totals[key].cells
                given = _mapping(obj[key], [c.key for c in cells], at(key), file)
                out[key] = {c.key: _amount(given[c.key], f"{at(key)}.{c.key}", file) for c in cells}
        else:
            out[key] = _text(obj[key], at(key), file)
    formulas.complete(spec, out)
    for block in spec.amounts:  # computed columns in their place
        out[block.key] = {rk: {ck: row[ck] for ck, _ in block.columns} for rk, row in out[block.key].items()}
    with_extras(out, obj, at(EXTRAS), file, _text)
    return {k: out[k] for k in (*spec.keys, EXTRAS) if k in out}
