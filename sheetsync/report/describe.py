"""How one change reads: its place and its values, shared by every output of a Diff."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..values import parse_target

if TYPE_CHECKING:
    from ..diffing import Change


def value_text(v: Any) -> str:
    if v is None:
        return "∅"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _signed(v: int | float) -> str:
    return f"+{v}" if v > 0 else str(v)


def describe_path(change: Change) -> str:
    """Where the change is: an indicator, field or amount path (and its column), or ``(form)``."""
    if change.whole_form:
        return "(form)"
    path = " / ".join(p if p else "—" for p in change.path)
    return f"{path} [{change.column}]" if change.column else path


def describe_values(change: Change) -> str:
    """``old → new`` with what the change means (delta, direction, unit, span)."""
    if change.whole_form:
        if change.kind in ("renamed", "retemplated"):
            return f"{change.old} → {change.new}"
        return ""
    if change.kind == "reordered":
        return f"position {change.old + 1} → {change.new + 1}"
    if change.span is not None:
        s = change.span
        return f"…{s['before']}[-{s['old']}-]{{+{s['new']}+}}{s['after']}…"
    if change.old == change.new:
        text = value_text(change.new)
    else:
        text = f"{value_text(change.old)} → {value_text(change.new)}"
    notes = []
    if change.old_path:
        notes.append("was " + " / ".join(p or "—" for p in change.old_path))
    if change.delta is not None and (change.delta or not change.comparator):
        unit = parse_target(change.new).unit if isinstance(change.new, str) else ""
        notes.append(_signed(change.delta) + unit)
    if change.direction:
        notes.append(change.direction)
    if change.unit:
        notes.append(f"unit {change.unit[0] or '∅'} → {change.unit[1] or '∅'}")
    if change.comparator:
        notes.append(f"comparator {change.comparator[0] or '∅'} → {change.comparator[1] or '∅'}")
    return text + (f"  ({', '.join(notes)})" if notes else "")
