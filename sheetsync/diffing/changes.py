"""The diff's result: one :class:`Diff`, a list of :class:`Change` records keyed by what each
value *is* (see the README for their JSON schema)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .align import Alignment

KINDS = ("changed", "added", "removed", "renamed", "moved", "reordered", "retemplated")


@dataclass
class Change:
    """One difference. ``path`` says what the value is; ``[]`` for a whole form."""

    kind: str
    form: str
    path: list[str]
    old: Any = None
    new: Any = None
    old_path: list[str] | None = None
    old_form: str | None = None
    delta: int | float | None = None
    direction: str | None = None  # tightened | loosened | increased | decreased
    unit: list[str] | None = None  # [old unit, new unit] when the unit changed
    comparator: list[str | None] | None = None  # [old, new] when the comparator changed
    span: dict[str, Any] | None = None  # the changed part of a long text
    column: str | None = None  # the indicator column, for forms with several (实际完成值, 得分)

    @property
    def whole_form(self) -> bool:
        """True for a form added, removed or renamed as a whole."""
        return not self.path

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "form": self.form,
            "path": self.path,
            "old": self.old,
            "new": self.new,
        }
        for key in ("column", "old_path", "old_form", "delta", "direction", "unit", "comparator", "span"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass
class Diff:
    """All changes from ``old`` to ``new``, grouped by form in the new file's order.

    ``alignment`` is how the forms and indicators were paired (stage 1), which tells a
    report which of several rows with the same path a change is about.
    """

    changes: list[Change]
    old: str = ""
    new: str = ""
    alignment: Alignment | None = field(default=None, repr=False, compare=False)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def to_json(self) -> list[dict[str, Any]]:
        return [c.to_json() for c in self.changes]
