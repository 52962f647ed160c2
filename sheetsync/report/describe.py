"""How one change reads: its place and its values, shared by every output of a Diff."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..i18n import N_, _
from ..values import parse_target

if TYPE_CHECKING:
    from ..diffing import Change


# the words for each kind of change and each direction (JSON and CSV keep the codes)
KINDS = {
    "changed": N_("changed"),
    "added": N_("added"),
    "removed": N_("removed"),
    "renamed": N_("renamed"),
    "moved": N_("moved"),
    "reordered": N_("reordered"),
    "retemplated": N_("retemplated"),
}
DIRECTIONS = {
    "increased": N_("increased"),
    "decreased": N_("decreased"),
    "tightened": N_("tightened"),
    "loosened": N_("loosened"),
}


def kind_word(kind: str) -> str:
    """A kind of change in the reader's language (``changed``, 修改)."""
    return _(KINDS[kind]) if kind in KINDS else kind


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
        return _("(form)")
    path = " / ".join(p if p else "—" for p in change.path)
    return f"{path} [{change.column}]" if change.column else path


def describe_values(change: Change) -> str:
    """``old → new`` with what the change means (delta, direction, unit, span)."""
    if change.whole_form:
        if change.kind in ("renamed", "retemplated"):
            return f"{change.old} → {change.new}"
        return ""
    if change.kind == "reordered":
        return _("position {old} → {new}").format(old=change.old + 1, new=change.new + 1)
    if change.span is not None:
        s = change.span
        return f"…{s['before']}[-{s['old']}-]{{+{s['new']}+}}{s['after']}…"
    if change.old == change.new:
        text = value_text(change.new)
    else:
        text = f"{value_text(change.old)} → {value_text(change.new)}"
    notes = describe_notes(change)
    return _("{values}  ({notes})").format(values=text, notes=notes) if notes else text


def describe_notes(change: Change) -> str:
    """What a change of value means: the old place, the delta, the direction, unit and comparator."""
    notes = []
    if change.old_path:
        notes.append(_("was {path}").format(path=" / ".join(p or "—" for p in change.old_path)))
    if change.delta is not None and (change.delta or not change.comparator):
        unit = parse_target(change.new).unit if isinstance(change.new, str) else ""
        notes.append(_signed(change.delta) + unit)
    if change.direction:
        notes.append(_(DIRECTIONS.get(change.direction, change.direction)))
    if change.unit:
        notes.append(_("unit {old} → {new}").format(old=change.unit[0] or "∅", new=change.unit[1] or "∅"))
    if change.comparator:
        notes.append(
            _("comparator {old} → {new}").format(old=change.comparator[0] or "∅", new=change.comparator[1] or "∅")
        )
    return _(", ").join(notes)
