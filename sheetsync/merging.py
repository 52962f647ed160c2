"""Three-way merge: two colleagues' edits (OURS, THEIRS) of the same forms (BASE).

Stages, each returning data:

1. **align** BASE with OURS and BASE with THEIRS by the diff's own alignment (forms by
   项目名称, indicators by 一级, 二级, 三级, with renames and moves), so an item one side
   renamed or moved is still the same item; items new on both sides pair by that identity;
2. **merge values**, each on its own, keyed as the diff keys them: a header text, an amount,
   every cell of an indicator row (its levels too). A value only one side changed takes that
   side's; a value both changed alike (by meaning, as the diff compares) is taken once; a
   value changed differently is a conflict. A form or row one side removed goes, unless the
   other side changed it (a conflict). Computed values (执行率, 总分) are computed anew;
3. **order** the merged forms and indicators (:func:`merge_order`).

An unresolved conflict keeps OURS' value (or, for a removed item, the side that kept it);
``prefer`` resolves every conflict for one side.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from .diffing import Pairing, align, align_indicators, diff_forms
from .diffing.align import level_keys
from .diffing.compare import compare_numbers, compare_values
from .errors import DataError, InputError
from .i18n import _
from .model import Form
from .parts import with_printed_parts
from .spec import Spec

SIDES = ("ours", "theirs")
CONFLICT_KINDS = ("changed", "removed", "added", "renamed")
Triple = tuple[int | None, int | None, int | None]  # an item's index in BASE, OURS, THEIRS
_NONE: Any = object()  # no BASE value: the item is new on both sides


@dataclass
class Conflict:
    """A value the two sides disagree on. ``path`` says what it is, as in the diff; see README
    for the JSON schema. ``taken`` is the side whose version the merged forms hold."""

    kind: str  # changed | removed | added | renamed
    form: str
    path: list[str]
    base: Any = None
    ours: Any = None
    theirs: Any = None
    column: str | None = None  # the indicator column (一级指标 … 指标值)
    taken: str = "ours"
    resolved: bool = False  # True when ``prefer`` chose the side
    removed_by: str | None = None  # the side that removed the item (kind ``removed``)
    # where the value sits in the merged forms: (form index, indicator index); None when gone
    at: tuple[int, int | None] | None = field(default=None, repr=False, compare=False)
    section: str = field(default="indicator", repr=False, compare=False)  # form | field | amount | indicator

    @property
    def whole_form(self) -> bool:
        """True for a conflict about a form as a whole (its name, or its removal)."""
        return self.section == "form"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "form": self.form, "path": self.path}
        if self.column is not None:
            out["column"] = self.column
        out.update(base=self.base, ours=self.ours, theirs=self.theirs, taken=self.taken, resolved=self.resolved)
        if self.removed_by is not None:
            out["removed_by"] = self.removed_by
        return out


@dataclass
class MergeResult:
    """The merged forms and the conflicts (see :class:`Conflict`); ``guesses`` are the reader's
    notes when the inputs were files. A form only one side changed is that side's own
    :class:`Form` object, not a copy."""

    forms: list[Form]
    conflicts: list[Conflict]
    guesses: list = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """True when no conflict is left unresolved."""
        return all(c.resolved for c in self.conflicts)


# ---------------------------------------------------------------- one value


def merge_value(base: Any, ours: Any, theirs: Any, same: Callable[[Any, Any], bool]) -> tuple[Any, bool]:
    """The merged value, and whether the sides conflict (the value is then OURS').

    A side that kept BASE's exact value yields to the other; two sides that agree by meaning
    give OURS' spelling; a side that only re-spelled BASE yields to a real change."""
    if ours == base:
        return theirs, False
    if theirs == base or same(ours, theirs):
        return ours, False
    if base is not _NONE and same(ours, base):
        return theirs, False
    if base is not _NONE and same(theirs, base):
        return ours, False
    return ours, True


def _merge_record(
    keys: Iterable[Any], b: dict, o: dict, t: dict, same: Callable[[Any], Callable], prefer: str | None
) -> tuple[dict, list[tuple[Any, str]]]:
    """Merge flat records key by key: the merged record and (key, side taken) per conflict."""
    merged, conflicts = {}, []
    for k in keys:
        value, clash = merge_value(b.get(k, _NONE), o[k], t[k], same(k))
        if clash:
            side = prefer or "ours"
            value = o[k] if side == "ours" else t[k]
            conflicts.append((k, side))
        merged[k] = value
    return merged, conflicts


# ---------------------------------------------------------------- items and their order


def pair_items(n_base: int, po: Pairing, pt: Pairing, ours_keys: Sequence, theirs_keys: Sequence) -> list[Triple]:
    """Every item of the three versions as (BASE, OURS, THEIRS) indexes: BASE's items as the
    diff paired them with each side (``po``, ``pt``), then items new on both sides paired by
    their identity (``ours_keys[j]`` = ``theirs_keys[k]``), then items new on one side."""
    in_ours = {i: j for i, j, _unused in po.pairs()}
    in_theirs = {i: k for i, k, _unused in pt.pairs()}
    out: list[Triple] = [(i, in_ours.get(i), in_theirs.get(i)) for i in range(n_base)]
    waiting: dict[Any, deque[int]] = defaultdict(deque)
    for k in pt.added:
        waiting[theirs_keys[k]].append(k)
    paired = set()
    for j in po.added:
        queue = waiting.get(ours_keys[j])
        k = queue.popleft() if queue else None
        paired.add(k)
        out.append((None, j, k))
    out.extend((None, None, k) for k in pt.added if k not in paired)
    return out


def merge_order(kept: list[Triple], sort_key: Callable[[Triple], str]) -> list[Triple]:
    """The merged items in order.

    The items both sides have keep the order of the side that reordered BASE's items (OURS
    when both did; when neither did, the sides agree). Every other item (new on one side, or
    kept by one side) comes right after the item it follows on its own side, as it does there;
    where both sides put items at the same place, the two runs are ordered by their content
    (``sort_key``), so that the result does not depend on which side is OURS.
    """

    def reordered(side: int) -> bool:
        seq = sorted((t for t in kept if t[0] is not None and t[side] is not None), key=lambda t: t[side])
        return any(a[0] > b[0] for a, b in pairwise(seq))  # type: ignore[operator]

    lead = 2 if reordered(2) and not reordered(1) else 1
    skeleton = sorted((t for t in kept if t[1] is not None and t[2] is not None), key=lambda t: t[lead])
    in_skeleton = set(skeleton)
    placed = set(skeleton)
    runs: list[dict[Triple | None, list[Triple]]] = [{}, {}]
    for n, side in enumerate((1, 2)):
        anchor = None
        for t in sorted((t for t in kept if t[side] is not None), key=lambda t: t[side]):
            if t in in_skeleton:
                anchor = t
            elif t not in placed:
                runs[n].setdefault(anchor, []).append(t)
                placed.add(t)
    out: list[Triple] = []
    for anchor in [None, *skeleton]:
        if anchor is not None:
            out.append(anchor)
        a, b = runs[0].get(anchor, []), runs[1].get(anchor, [])
        if a and b and [sort_key(t) for t in b] < [sort_key(t) for t in a]:
            a, b = b, a
        out += a + b
    return out


def _sort_key(item: Any) -> str:
    return json.dumps(item, ensure_ascii=False)  # the contract's order: levels, name, values


# ---------------------------------------------------------------- indicators


def _path(spec: Spec, row: dict[str, Any]) -> list[str]:
    ind = spec.indicators
    return [row[ind.level(1).key], row[ind.level(2).key], row[ind.name.key]]


def _one_sided(b: Any, o: Any, t: Any) -> tuple[str | None, Any] | None:
    """An item (a form, an indicator row) missing from ours or theirs: ``(None, result)`` when
    it is gone from both (result None) or new on one side only; ``(kept side, its item)`` when
    one side removed what BASE had; None when both sides have it."""
    if o is not None and t is not None:
        return None
    if b is None or (o is None and t is None):
        return None, (o if o is not None else t)
    return ("ours", o) if o is not None else ("theirs", t)


def _merge_row(
    keys: list[str], same: Callable, b: dict | None, o: dict | None, t: dict | None, prefer: str | None
) -> tuple[dict | None, list[tuple[str, str, str]]]:
    """One indicator row merged (None when it goes) and its conflicts as (kind, column, side)."""
    lone = _one_sided(b, o, t)
    if lone is not None and lone[0] is None:
        return lone[1], []
    if lone is not None:  # removed on one side: a conflict where the other changed it
        kept, s = lone
        changed = [k for k in keys if s[k] != b[k] and not same(k)(b[k], s[k])]  # type: ignore[index]
        if not changed:
            return None, []
        side = prefer or kept
        return (s if side == kept else None), [("removed", k, side) for k in changed]
    record, clashes = _merge_record(keys, b or {}, o, t, same, prefer)
    return record, [("changed" if b is not None else "added", k, side) for k, side in clashes]


def _merge_rows(
    spec: Spec, rows: tuple[list[dict], list[dict], list[dict]], pairings: tuple[Pairing, Pairing], prefer: str | None
) -> tuple[list[dict], list[Conflict]]:
    """The merged indicator rows (BASE's, OURS', THEIRS', as the diff paired BASE's with each
    side's), in order, and their conflicts (``at`` = (0, row index))."""
    brows, orows, trows = rows
    columns = {c.key: c for c in spec.indicators.columns}
    keys = list(columns)

    def same(k: str) -> Callable[[Any, Any], bool]:
        return lambda a, b: compare_values(columns[k], a, b) is None

    triples = pair_items(len(brows), *pairings, *([tuple(_path(spec, r)) for r in rs] for rs in (orows, trows)))
    merged: dict[Triple, dict] = {}
    found: list[tuple[Triple, Conflict]] = []
    for tr in triples:
        b, o, t = (version[x] if x is not None else None for version, x in zip(rows, tr, strict=True))
        row, clashes = _merge_row(keys, same, b, o, t, prefer)
        if row is not None:
            merged[tr] = with_printed_parts(row, (o, t, b), spec)
        where = row or o or t or b
        for kind, k, side in clashes:
            values = [r[k] if r is not None else None for r in (b, o, t)]
            conflict = Conflict(kind, "", _path(spec, where), *values, column=k, taken=side, resolved=bool(prefer))
            if kind == "removed":
                conflict.removed_by = "ours" if o is None else "theirs"
            found.append((tr, conflict))
    order = merge_order(list(merged), lambda tr: _sort_key(merged[tr]))
    index = {tr: n for n, tr in enumerate(order)}
    for tr, conflict in found:
        conflict.at = (0, index[tr]) if tr in index else None
    found.sort(key=lambda f: index.get(f[0], len(index)))
    return [merged[tr] for tr in order], [c for _unused, c in found]


# ---------------------------------------------------------------- forms


def _values(spec: Spec, form: Form) -> dict[tuple[str, ...], Any]:
    """A form's own values outside the indicators, by path: texts, then input amounts."""
    out: dict[tuple[str, ...], Any] = {(k,): form[k] for k in spec.text_keys}
    for block in spec.amounts:
        for rk, _unused in block.row_labels:
            out.update(((block.key, rk, ck), form[block.key][rk][ck]) for ck in block.inputs)
    return out


def _same(key: tuple[str, ...]) -> Callable[[Any, Any], bool]:
    if len(key) > 1:  # an amount, by value
        return lambda a, b: compare_numbers(a, b) is None
    return lambda a, b: a == b  # header texts compare exactly, as in the diff


def _build(spec: Spec, values: dict[tuple[str, ...], Any], rows: list[dict]) -> Form:
    data: dict[str, Any] = {key[0]: value for key, value in values.items() if len(key) == 1}
    for block in spec.amounts:
        data[block.key] = {
            rk: {ck: values[(block.key, rk, ck)] for ck in block.inputs} for rk, _unused in block.row_labels
        }
    data[spec.indicators.key] = rows
    return Form.from_dict({k: data[k] for k in spec.keys if k in data}, spec=spec)  # computed values anew


def _merge_contents(
    spec: Spec, b: Form | None, o: Form, t: Form, pairings: tuple[Pairing, Pairing], prefer: str | None
) -> tuple[Form, list[Conflict]]:
    ov, tv = _values(spec, o), _values(spec, t)
    bv = _values(spec, b) if b is not None else {}
    record, clashes = _merge_record(list(ov), bv, ov, tv, _same, prefer)
    versions = b.indicators if b is not None else [], o.indicators, t.indicators
    rows, row_conflicts = _merge_rows(spec, versions, pairings, prefer)
    form = _build(spec, record, rows)
    conflicts = []
    for key, side in clashes:
        if key == (spec.identity,):
            kind, section, path = ("renamed" if b is not None else "added"), "form", []
        else:
            kind, section, path = ("changed" if b is not None else "added"), "amount" if len(key) > 1 else "field", key
        values = bv.get(key), ov[key], tv[key]
        conflicts.append(
            Conflict(kind, form.name, list(path), *values, taken=side, resolved=bool(prefer), section=section)
        )
    for c in row_conflicts:
        c.form = form.name
    return form, conflicts + row_conflicts


def _merge_form(
    spec: Spec, b: Form | None, o: Form | None, t: Form | None, pairings: tuple, prefer: str | None
) -> tuple[Form | None, list[Conflict]]:
    """One form merged (None when it goes); ``pairings`` are the diff's of BASE's indicators
    with each side's (None for a form new on both sides)."""
    lone = _one_sided(b, o, t)
    if lone is not None and lone[0] is None:
        return lone[1], []
    if lone is not None:  # removed on one side: a conflict where the other changed it
        kept, s = lone
        if not diff_forms([b], [s]):  # type: ignore[list-item]
            return None, []
        side = prefer or kept
        names = b.name, o.name if o is not None else None, t.name if t is not None else None  # type: ignore[union-attr]
        conflict = Conflict("removed", s.name, [], *names, taken=side, resolved=bool(prefer), section="form")
        conflict.removed_by = "ours" if o is None else "theirs"
        return (s if side == kept else None), [conflict]
    if o == b or o == t:  # the common case, cheaply: one side (or both alike) changed the form
        return t if o == b else o, []
    if t == b:
        return o, []
    if b is None:  # new on both sides: every row is new
        keys = level_keys(spec)
        pairings = tuple(align_indicators([], side.indicators, keys) for side in (o, t))
    return _merge_contents(spec, b, o, t, pairings, prefer)  # type: ignore[arg-type]


def _one_spec(forms: list[Form]) -> Spec:
    """The template of every form (they must share one; the packaged default without forms)."""
    templates = sorted({f.template for f in forms})
    if len(templates) > 1:
        raise DataError(
            _("the versions hold forms of {templates}; merge forms of one template").format(
                templates=" and ".join(templates)
            )
        )
    if not forms:
        from .catalog import packaged

        return packaged().default
    return forms[0].spec


def check_side(prefer: str | None) -> None:
    if prefer not in (None, *SIDES):
        raise InputError(_("unknown side '{prefer}' for --prefer; use ours or theirs").format(prefer=prefer))


def merge_forms(
    base: Iterable[Form], ours: Iterable[Form], theirs: Iterable[Form], *, prefer: str | None = None
) -> MergeResult:
    """Merge the edits OURS and THEIRS made to BASE (see the module docstring)."""
    check_side(prefer)
    versions = list(base), list(ours), list(theirs)
    spec = _one_spec([f for v in versions for f in v])
    ao, at = align(versions[0], versions[1], spec), align(versions[0], versions[2], spec)  # the diff's alignment
    names = ([f.name for f in v] for v in versions[1:])
    triples = pair_items(len(versions[0]), ao.forms, at.forms, *names)
    merged: dict[Triple, Form] = {}
    found: list[tuple[Triple, list[Conflict]]] = []
    for tr in triples:
        b, o, t = (v[x] if x is not None else None for v, x in zip(versions, tr, strict=True))
        i, j, k = tr
        form, conflicts = _merge_form(spec, b, o, t, (ao.indicators.get((i, j)), at.indicators.get((i, k))), prefer)
        if form is not None:
            merged[tr] = form
        found.append((tr, conflicts))
    order = merge_order(list(merged), lambda tr: _sort_key(merged[tr].data))
    index = {tr: n for n, tr in enumerate(order)}
    out: list[Conflict] = []
    for tr, conflicts in sorted(found, key=lambda f: index.get(f[0], len(index))):
        for c in conflicts:
            if tr not in index:
                c.at = None
            elif c.section != "indicator":
                c.at = (index[tr], None)
            elif c.at is not None:
                c.at = (index[tr], c.at[1])
        out.extend(conflicts)
    return MergeResult([merged[tr] for tr in order], out)
