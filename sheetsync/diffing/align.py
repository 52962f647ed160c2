"""Stage 1 of the diff: which old item is which new item, before any value is compared.

Forms pair by identity (项目名称), then by shared content (a form renamed with the same
indicators); indicators pair by path (一级, 二级, 三级), then by 三级 alone (``moved`` to
another group), then by a similar 三级 within the same group (``renamed``). Every step is
the same in-order matching of keys (:func:`match_keys`), so duplicates pair up in order.

The result is a :class:`Pairing` of indices, data a merge can use as well as the diff.
"""

from __future__ import annotations

import bisect
from collections import defaultdict, deque
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Form
    from ..spec import Spec

RENAME_SIMILARITY = 0.5  # share of characters two 三级 names must have in common to be one renamed
FORM_SIMILARITY = 0.6  # share of indicators two differently named forms must share to be one renamed

Keys = tuple[str, str, str]  # the keys of 一级, 二级, 三级 in an indicator row


@dataclass
class Pairing:
    """How an old sequence lines up with a new one, as indices (old ``i``, new ``j``).

    ``matched`` pairs have the same key; ``renamed`` and ``moved`` pairs were found by a
    looser rule; ``added`` are new items without a partner, ``removed`` old ones. Lists of
    pairs are in the order they were found, ``added`` and ``removed`` in index order.
    """

    matched: list[tuple[int, int]] = field(default_factory=list)
    renamed: list[tuple[int, int]] = field(default_factory=list)
    moved: list[tuple[int, int]] = field(default_factory=list)
    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)

    def pairs(self) -> list[tuple[int, int, str]]:
        """Every pair as ``(i, j, how)``, how being ``same``, ``moved`` or ``renamed``, in new order."""
        out = [(i, j, "same") for i, j in self.matched]
        out += [(i, j, "moved") for i, j in self.moved]
        out += [(i, j, "renamed") for i, j in self.renamed]
        return sorted(out, key=lambda p: p[1])

    def reordered(self) -> list[tuple[int, int]]:
        """Pairs whose place relative to the others changed: those outside one longest kept order."""
        seq = self.pairs()
        keep = set(_longest_increasing([i for i, _, _ in seq]))
        return [(i, j) for n, (i, j, _) in enumerate(seq) if n not in keep]


def match_keys(
    old_keys: Sequence[Hashable], new_keys: Sequence[Hashable], old_left: Sequence[int], new_left: Sequence[int]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair each new index in ``new_left`` with the first unpaired old index of the same key.

    Returns the pairs (in new order), then the old and the new indices left over (sorted).
    """
    queues: dict[Hashable, deque[int]] = defaultdict(deque)
    for i in old_left:
        queues[old_keys[i]].append(i)
    pairs: list[tuple[int, int]] = []
    new_rest: list[int] = []
    for j in new_left:
        queue = queues.get(new_keys[j])
        if queue:
            pairs.append((queue.popleft(), j))
        else:
            new_rest.append(j)
    return pairs, sorted(i for q in queues.values() for i in q), new_rest


def similarity(a: str, b: str) -> float:
    """Share of characters two names have in common (0..1), character by character."""
    if not a or not b:
        return 1.0 if a == b else 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def align_indicators(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]], keys: Keys) -> Pairing:
    """Pair the indicator rows of two versions of a form; ``keys`` name 一级, 二级, 三级."""
    k1, k2, k3 = keys
    paths = [[tuple(r[k] for k in keys) for r in rows] for rows in (old, new)]
    matched, old_left, new_left = match_keys(paths[0], paths[1], range(len(old)), range(len(new)))
    names = [[r[k3] for r in rows] for rows in (old, new)]
    moved, old_left, new_left = match_keys(names[0], names[1], old_left, new_left)
    # a similar 三级 in the same group: renamed, best pairs first
    candidates = []
    for j in new_left:
        for i in old_left:
            if (old[i][k1], old[i][k2]) == (new[j][k1], new[j][k2]):
                score = similarity(old[i][k3], new[j][k3])
                if score >= RENAME_SIMILARITY:
                    candidates.append((-score, i, j))
    renamed: list[tuple[int, int]] = []
    used_old, used_new = set(), set()
    for _, i, j in sorted(candidates):
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            renamed.append((i, j))
    added = [j for j in new_left if j not in used_new]
    removed = [i for i in old_left if i not in used_old]
    return Pairing(matched, renamed, moved, added, removed)


def shared_indicators(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> float:
    """Share of indicator rows (by the values under ``keys``) two forms have in common (0..1)."""
    a = {tuple(r[k] for k in keys) for r in old}
    b = {tuple(r[k] for k in keys) for r in new}
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def level_keys(spec: Spec) -> Keys:
    """The keys of an indicator's path in ``spec``'s forms: 一级, 二级, 三级."""
    block = spec.indicators
    return block.level(1).key, block.level(2).key, block.name.key


def align_forms(old: Sequence[Form], new: Sequence[Form], spec: Spec | None = None) -> Pairing:
    """Pair two lists of forms by name; then a new form without a partner takes the old one of
    its template whose indicators (path and 指标值) it shares most as ``renamed``, when they
    share enough. Forms are read by their own spec unless ``spec`` is given."""

    def shared(i: int, j: int) -> float:
        s = spec or new[j].spec
        keys = (*level_keys(s), s.indicators.target.key)
        return shared_indicators(old[i].indicators, new[j].indicators, keys)

    names = [[f.name for f in forms] for forms in (old, new)]
    matched, removed, added = match_keys(names[0], names[1], range(len(old)), range(len(new)))
    renamed: list[tuple[int, int]] = []
    for j in list(added):
        alike = [i for i in removed if old[i].template == new[j].template]
        best = max(alike, key=lambda i: shared(i, j), default=None)
        if best is not None and shared(best, j) >= FORM_SIMILARITY:
            renamed.append((best, j))
            removed.remove(best)
            added.remove(j)
    return Pairing(matched, renamed, [], added, removed)


@dataclass
class Alignment:
    """Two lists of forms aligned: the forms, then the indicators of each pair of forms."""

    forms: Pairing
    indicators: dict[tuple[int, int], Pairing]  # by (old form index, new form index)


def align(old: Sequence[Form], new: Sequence[Form], spec: Spec | None = None) -> Alignment:
    """Align two lists of forms, then the indicators of every pair of forms of one template
    (a pair whose template changed has none: its values are not compared)."""
    forms = align_forms(old, new, spec)
    indicators = {
        (i, j): align_indicators(old[i].indicators, new[j].indicators, level_keys(spec or new[j].spec))
        for i, j, _ in forms.pairs()
        if old[i].template == new[j].template
    }
    return Alignment(forms, indicators)


def _longest_increasing(values: list[int]) -> list[int]:
    """Positions of one longest strictly increasing subsequence (patience sorting)."""
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
