"""What changed between two versions of a set of forms, keyed by what each value *is*.

Stages, each visible on its own:

1. **align forms** by identity (项目名称); a form whose name changed but whose content
   is the same is ``renamed``, not removed and added;
2. **align indicators** by path (一级, 二级, 三级); what is left pairs up as ``moved`` (the
   same 三级 under another group) or ``renamed`` (a similar 三级 within its group, by
   character similarity, which works for Chinese);
3. **compare values**: 指标值 by meaning (``≥ 85 %`` is ``≥85%``), with the numeric delta
   and, for ≥/≤ targets, whether the target was tightened or loosened; amounts by value;
   header texts exactly, with the changed span of the goal paragraph.

The result is one :class:`Diff`, a list of :class:`Change` records that ``report.py`` turns
into terminal, JSON, Markdown, CSV or xlsx output.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

from .formulas import get
from .model import Form
from .spec import Spec, get_spec
from .values import parse_target

KINDS = ("changed", "added", "removed", "renamed", "moved", "reordered")
RENAME_SIMILARITY = 0.5  # share of characters two 三级 names must have in common to be one renamed
FORM_SIMILARITY = 0.6  # share of indicators two differently named forms must share to be one renamed


@dataclass
class Change:
    """One difference. ``path`` says what the value is; see README for the JSON schema."""

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
    # where the value sits in the forms (not part of the JSON): index of the form, indicator
    new_at: tuple[int, int | None] | None = field(default=None, repr=False, compare=False)
    section: str = field(default="indicator", repr=False, compare=False)

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
    """All changes from ``old`` to ``new``, grouped by form in the new file's order."""

    changes: list[Change]
    old: str = ""
    new: str = ""

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def __iter__(self):
        return iter(self.changes)

    def to_json(self) -> list[dict[str, Any]]:
        return [c.to_json() for c in self.changes]


# ---------------------------------------------------------------- values


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


def similarity(a: str, b: str) -> float:
    """Share of characters two names have in common (0..1), character by character."""
    if not a or not b:
        return 1.0 if a == b else 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


# ---------------------------------------------------------------- indicators


def _levels(spec: Spec) -> tuple[str, str, str, str]:
    block = spec.indicators
    return block.level(1).key, block.level(2).key, block.name.key, block.target.key


def compare_numbers(old: int | float | None, new: int | float | None) -> dict[str, Any] | None:
    """None when equal; else the delta and whether the number increased or decreased."""
    if old == new:
        return None
    if old is None or new is None:
        return {}
    delta = _number(Decimal(repr(new)) - Decimal(repr(old)))
    return {"delta": delta, "direction": "increased" if delta > 0 else "decreased"}


def compare_values(column: Any, old: Any, new: Any) -> dict[str, Any] | None:
    """None when two values of an indicator column mean the same; else what changed."""
    if column.number:
        return compare_numbers(old, new)
    if column.target:
        return compare_targets(old, new)
    if old == new:
        return None
    return {"span": changed_span(old, new)} if max(len(old), len(new)) > 40 else {}


def _indicator_changes(old: Form, new: Form, spec: Spec, name: str, form_index: int, order: bool) -> list[Change]:
    k1, k2, k3, kv = _levels(spec)
    olds, news = old.indicators, new.indicators

    def path(row: dict[str, str]) -> list[str]:
        return [row[k1], row[k2], row[k3]]

    pairs: list[tuple[int, int, str]] = []  # (old index, new index, how matched)
    by_path: dict[tuple, deque[int]] = defaultdict(deque)
    for i, row in enumerate(olds):
        by_path[tuple(path(row))].append(i)
    left_new: list[int] = []
    for j, row in enumerate(news):
        queue = by_path.get(tuple(path(row)))
        if queue:
            pairs.append((queue.popleft(), j, "same"))
        else:
            left_new.append(j)
    left_old = sorted(i for q in by_path.values() for i in q)
    # the same 三级 under another group: moved
    by_name: dict[str, deque[int]] = defaultdict(deque)
    for i in left_old:
        by_name[olds[i][k3]].append(i)
    still_new = []
    for j in left_new:
        queue = by_name.get(news[j][k3])
        if queue:
            pairs.append((queue.popleft(), j, "moved"))
        else:
            still_new.append(j)
    left_old = sorted(i for q in by_name.values() for i in q)
    # a similar 三级 in the same group: renamed (best pairs first)
    candidates = []
    for j in still_new:
        for i in left_old:
            if (olds[i][k1], olds[i][k2]) == (news[j][k1], news[j][k2]):
                score = similarity(olds[i][k3], news[j][k3])
                if score >= RENAME_SIMILARITY:
                    candidates.append((-score, i, j))
    used_old, used_new = set(), set()
    for _, i, j in sorted(candidates):
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j, "renamed"))
    values = spec.indicators.values  # the target first, then 实际完成值, 分值 … where a form has them
    several = len(values) > 1
    changes: list[Change] = []
    for i, j, how in sorted(pairs, key=lambda p: p[1]):
        a, b = olds[i], news[j]
        for col in values:
            detail = compare_values(col, a[col.key], b[col.key])
            if detail is None and (how == "same" or col.key != kv):
                continue
            kind = "changed" if how == "same" or col.key != kv else how
            changes.append(
                Change(
                    kind,
                    name,
                    path(b),
                    a[col.key],
                    b[col.key],
                    old_path=None if how == "same" else path(a),
                    new_at=(form_index, j),
                    column=col.key if several else None,
                    **(detail or {}),
                )
            )
    for j in still_new:
        if j not in used_new:
            changes.append(
                Change(
                    "added",
                    name,
                    path(news[j]),
                    None,
                    news[j][kv],
                    new_at=(form_index, j),
                    column=kv if several else None,
                )
            )
    for i in left_old:
        if i not in used_old:
            changes.append(Change("removed", name, path(olds[i]), olds[i][kv], None, column=kv if several else None))
    if order:
        changes.extend(_reordered(pairs, news, path, name, form_index, kv))
    return changes


def _reordered(pairs, news, path, name, form_index, kv) -> list[Change]:
    """Indicators whose place relative to the others changed (outside the longest kept order)."""
    seq = sorted(pairs, key=lambda p: p[1])
    olds_in_new_order = [p[0] for p in seq]
    keep = set(_longest_increasing(olds_in_new_order))
    return [
        Change("reordered", name, path(news[j]), i, j, new_at=(form_index, j))
        for n, (i, j, _) in enumerate(seq)
        if n not in keep
    ]


def _longest_increasing(values: list[int]) -> list[int]:
    """Positions of one longest strictly increasing subsequence (patience sorting)."""
    import bisect

    tails: list[int] = []
    tails_at: list[int] = []
    prev = [-1] * len(values)
    for n, v in enumerate(values):
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tails_at.append(n)
        else:
            tails[k] = v
            tails_at[k] = n
        prev[n] = tails_at[k - 1] if k else -1
    out, n = [], tails_at[-1] if tails_at else -1
    while n != -1:
        out.append(n)
        n = prev[n]
    return out[::-1]


# ---------------------------------------------------------------- forms


def _form_changes(old: Form, new: Form, spec: Spec, form_index: int, order: bool) -> list[Change]:
    name = new.name
    changes: list[Change] = []
    for key in spec.text_keys:
        if key == spec.identity:
            continue
        a, b = old[key], new[key]
        if a != b:
            span = changed_span(a, b) if max(len(a), len(b)) > 40 else None
            changes.append(Change("changed", name, [key], a, b, span=span, section="field", new_at=(form_index, None)))
    # amounts, then totals: every number of the form outside the indicators
    paths = [[b.key, rk, ck] for b in spec.amounts for rk, _ in b.row_labels for ck, _ in b.columns]
    paths += [[b.key, cell.key] for b in spec.totals for cell in b.cells]
    for path in paths:
        a, b = get(old.data, path), get(new.data, path)
        detail = compare_numbers(a, b)
        if detail is not None:
            changes.append(
                Change(
                    "changed",
                    name,
                    path,
                    a,
                    b,
                    delta=detail.get("delta"),
                    section="amount",
                    new_at=(form_index, None),
                )
            )
    changes.extend(_indicator_changes(old, new, spec, name, form_index, order))
    return changes


def _shared(old: Form, new: Form, spec: Spec) -> float:
    """Share of indicator (path, value) rows two forms have in common."""
    k1, k2, k3, kv = _levels(spec)
    a = {(r[k1], r[k2], r[k3], r[kv]) for r in old.indicators}
    b = {(r[k1], r[k2], r[k3], r[kv]) for r in new.indicators}
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def diff_forms(old: Iterable[Form], new: Iterable[Form], *, order: bool = False) -> Diff:
    """Compare two lists of forms (see the module docstring for how they are aligned)."""
    olds, news = list(old), list(new)
    spec = get_spec(news[0].template if news else olds[0].template if olds else get_spec().name)
    by_name: dict[str, deque[int]] = defaultdict(deque)
    for i, f in enumerate(olds):
        by_name[f.name].append(i)
    matched: list[tuple[int, int]] = []
    added: list[int] = []
    for j, f in enumerate(news):
        queue = by_name.get(f.name)
        if queue:
            matched.append((queue.popleft(), j))
        else:
            added.append(j)
    removed = sorted(i for q in by_name.values() for i in q)
    renamed: list[tuple[int, int]] = []
    for j in list(added):
        best = max(removed, key=lambda i: _shared(olds[i], news[j], spec), default=None)
        if best is not None and _shared(olds[best], news[j], spec) >= FORM_SIMILARITY:
            renamed.append((best, j))
            removed.remove(best)
            added.remove(j)
    changes: list[Change] = []
    renamed_to = dict((j, i) for i, j in renamed)
    for j, f in enumerate(news):
        if j in renamed_to:
            i = renamed_to[j]
            changes.append(
                Change(
                    "renamed", f.name, [], olds[i].name, f.name, old_form=olds[i].name, section="form", new_at=(j, None)
                )
            )
            changes.extend(_form_changes(olds[i], f, spec, j, order))
        elif j in added:
            changes.append(Change("added", f.name, [], None, f.name, section="form", new_at=(j, None)))
        else:
            i = next(i for i, jj in matched if jj == j)
            changes.extend(_form_changes(olds[i], f, spec, j, order))
    for i in removed:
        changes.append(Change("removed", olds[i].name, [], olds[i].name, None, section="form"))
    return Diff(changes)
