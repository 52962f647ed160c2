"""Stage 2 of the diff: compare the values of aligned forms and indicators by meaning.

指标值 compare by meaning (``≥ 85 %`` is ``≥85%``), with the numeric delta and, for ≥/≤
targets, whether the target was tightened or loosened; numbers by value; texts exactly,
with the changed span of a long one.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ..extras import VALUE_PARTS
from ..formulas import get
from ..model import Form
from ..parts import printed_change
from ..spec import Spec
from ..values import parse_target
from .align import Alignment, Pairing, align, level_keys
from .changes import Change, Diff


def _number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def compare_targets(old: str, new: str) -> dict[str, Any] | None:
    """None when two 指标值 mean the same; else what changed (delta, direction, unit, comparator)."""
    if old == new:
        return None
    a, b = parse_target(old), parse_target(new)
    if a.key() == b.key():
        return None
    out: dict[str, Any] = {}
    if a.numeric and b.numeric:
        if a.unit != b.unit:
            out["unit"] = [a.unit, b.unit]
        else:
            delta = b.number - a.number
            out["delta"] = _number(delta)
            if a.comparator != b.comparator:
                out["comparator"] = [a.comparator, b.comparator]
            elif delta and a.comparator in ("≥", ">"):
                out["direction"] = "tightened" if delta > 0 else "loosened"
            elif delta and a.comparator in ("≤", "<"):
                out["direction"] = "tightened" if delta < 0 else "loosened"
            elif delta:
                out["direction"] = "increased" if delta > 0 else "decreased"
    return out


def compare_numbers(old: int | float | None, new: int | float | None) -> dict[str, Any] | None:
    """None when equal; else the delta and whether the number increased or decreased."""
    if old == new:
        return None
    if old is None or new is None:
        return {}
    delta = _number(Decimal(repr(new)) - Decimal(repr(old)))
    return {"delta": delta, "direction": "increased" if delta > 0 else "decreased"}


def changed_span(old: str, new: str, context: int = 12) -> dict[str, Any]:
    """The part of a long text that changed, with a little context either side."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    return {
        "at": start,
        "old": old[start : len(old) - end],
        "new": new[start : len(new) - end],
        "before": old[max(0, start - context) : start],
        "after": old[len(old) - end : len(old) - end + context],
    }


def compare_values(column: Any, old: Any, new: Any) -> dict[str, Any] | None:
    """None when two values of an indicator column mean the same; else what changed."""
    if column.number:
        return compare_numbers(old, new)
    if column.target:
        return compare_targets(old, new)
    if old == new:
        return None
    return {"span": changed_span(old, new)} if max(len(old), len(new)) > 40 else {}


def _indicator_changes(old: Form, new: Form, pairing: Pairing, spec: Spec, order: bool) -> list[Change]:
    """The changes of one pair of forms' indicators, in the new form's order."""
    keys = level_keys(spec)
    olds, news = old.indicators, new.indicators
    values = spec.indicators.values  # the target first, then 实际完成值, 分值 … where a form has them
    kv = spec.indicators.target.key
    column = kv if len(values) > 1 else None  # named only in forms with several value columns

    def path(row: dict[str, Any]) -> list[str]:
        return [row[k] for k in keys]

    changes: list[Change] = []
    for i, j, how in pairing.pairs():
        a, b = olds[i], news[j]
        for col in values:
            detail = compare_values(col, a[col.key], b[col.key])
            printed = printed_change(a, b, spec) if col.parts and detail is None else None
            if printed is not None:  # the same 指标值, printed in other parts: a change of the form
                changes.append(Change("changed", new.name, path(b), *printed, column=VALUE_PARTS))
            if detail is None and (how == "same" or col.key != kv):
                continue
            changes.append(
                Change(
                    "changed" if how == "same" or col.key != kv else how,
                    new.name,
                    path(b),
                    a[col.key],
                    b[col.key],
                    old_path=None if how == "same" else path(a),
                    column=col.key if column else None,
                    **(detail or {}),
                )
            )
    changes += [Change("added", new.name, path(news[j]), None, news[j][kv], column=column) for j in pairing.added]
    changes += [Change("removed", new.name, path(olds[i]), olds[i][kv], None, column=column) for i in pairing.removed]
    if order:
        changes += [Change("reordered", new.name, path(news[j]), i, j) for i, j in pairing.reordered()]
    return changes


def _form_changes(old: Form, new: Form, indicators: Pairing, spec: Spec, order: bool) -> list[Change]:
    """The changes between two versions of one form: fields, numbers, then indicators."""
    name = new.name
    changes: list[Change] = []
    for key in spec.text_keys:
        if key == spec.identity:
            continue
        a, b = old[key], new[key]
        if a != b:
            span = changed_span(a, b) if max(len(a), len(b)) > 40 else None
            changes.append(Change("changed", name, [key], a, b, span=span))
    # amounts, then totals: every number of the form outside the indicators
    paths = [[b.key, rk, ck] for b in spec.amounts for rk, _ in b.row_labels for ck, _ in b.columns]
    paths += [[b.key, cell.key] for b in spec.totals for cell in b.cells]
    for path in paths:
        a, b = get(old.data, path), get(new.data, path)
        detail = compare_numbers(a, b)
        if detail is not None:
            changes.append(Change("changed", name, path, a, b, delta=detail.get("delta")))
    changes.extend(_indicator_changes(old, new, indicators, spec, order))
    return changes


def compare(
    olds: list[Form], news: list[Form], aligned: Alignment, spec: Spec | None = None, *, order: bool = False
) -> Diff:
    """The changes between two lists of forms, given how their forms and indicators pair up;
    each form is compared by its own spec (unless ``spec`` is given), and a form whose template
    changed is one ``retemplated`` change."""
    forms = aligned.forms
    renamed_to = {j: i for i, j in forms.renamed}
    matched_to = {j: i for i, j in forms.matched}
    changes: list[Change] = []
    for j, f in enumerate(news):
        if j in renamed_to:
            i = renamed_to[j]
            changes.append(Change("renamed", f.name, [], olds[i].name, f.name, old_form=olds[i].name))
            changes.extend(_form_changes(olds[i], f, aligned.indicators[i, j], spec or f.spec, order))
        elif j in matched_to:
            i = matched_to[j]
            if olds[i].template != f.template:
                changes.append(Change("retemplated", f.name, [], olds[i].template, f.template))
            else:
                changes.extend(_form_changes(olds[i], f, aligned.indicators[i, j], spec or f.spec, order))
        else:
            changes.append(Change("added", f.name, [], None, f.name))
    changes += [Change("removed", olds[i].name, [], olds[i].name, None) for i in forms.removed]
    return Diff(changes, alignment=aligned)


def diff_forms(old: Iterable[Form], new: Iterable[Form], *, order: bool = False) -> Diff:
    """Compare two lists of forms: align them (see :mod:`.align`), then compare their values."""
    olds, news = list(old), list(new)
    return compare(olds, news, align(olds, news), order=order)
