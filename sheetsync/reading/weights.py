"""Weights printed in the 一级 cells: ``产出指标(50分)``, or only ``(50分)`` where the name was lost.

A weight is no level name: :func:`take_weight` takes it out of the row's cells, and
:func:`keep_weight` keeps it in the form's ``附加.权重`` (``{一级: "(50分)"}``). A 一级 cell that
shows only a weight still starts a new group: :func:`level1_of_weight` names its 一级 after
the framework's 一级 of the 二级 beside it, with a warning (``level1_missing``).
"""

from __future__ import annotations

from typing import Any

from ..extras import EXTRAS
from ..i18n import _
from .block import Block, Named, once
from .columns import split_weight

TextCell = tuple[int, str, Any]  # col, text, raw
Weight = tuple[int, str, bool]  # col, the weight as printed, whether the cell held nothing else


def take_weight(cells: list[TextCell], levels: Any, before: int) -> tuple[list[TextCell], Weight | None]:
    """A weight in a level cell left of column ``before``: the cell's text becomes the level's
    name (a cell of the weight alone is taken out: its 一级 then comes from the 二级)."""
    out, weight = [], None
    for cell in cells:
        name, w = split_weight(cell[1]) if cell[0] < before and weight is None else (cell[1], "")
        if w and name and levels.of(name):
            out.append((cell[0], name, cell[2]))
            weight = (cell[0], w, False)
        elif w and not name:
            weight = (cell[0], w, True)
        else:
            out.append(cell)
    return out, weight


def level1_of_weight(b: Block, r: int, weight: Weight, named2: Named) -> Named:
    """The 一级 of a row whose 一级 cell shows only a weight: the framework's 一级 of the 二级
    named beside it (warned); None when no 二级 names one (the group above goes on, warned)."""
    col, w, _unit = weight
    usual = b.levels.fw.usual_parent.get(named2[1]) if named2 is not None else None
    if usual is None:
        message = _(
            "the 一级 cell shows only the weight {weight!r} and no 二级 names its 一级; read as the group above"
        ).format(weight=w)
        b.ev.guess(r, col, message, "level1_missing")
        return None
    message = _(
        "the 一级 cell shows only the weight {weight!r}; 一级 read as {level1!r}, the framework's for {level2!r}"
    ).format(weight=w, level1=usual, level2=named2[1])
    b.ev.guess(r, col, message, "level1_missing")
    return (col, usual, None), usual


def keep_weight(b: Block, r: int, weight: Weight, level1: str) -> None:
    """The weight in ``附加.权重`` under its 一级; a 一级 heading two groups with different
    weights keeps both, in order (a list); the same weight again is named, kept once."""
    ev, (col, w, _unit) = b.ev, weight
    held = ev.extras.setdefault("权重", {})
    path = f"{EXTRAS}.权重.{level1}"
    if level1 not in held:
        held[level1] = w
        ev.record(path, r, col)
        message = _("weight {weight!r} of {level1!r} kept in 附加.权重").format(weight=w, level1=level1)
        once(b, r, col, message, "kept", "weight")
        return
    before = held[level1] if isinstance(held[level1], list) else [held[level1]]
    if w in before:
        message = _("weight {weight!r} of {level1!r} again, on a second group of it; kept once in 附加.权重")
        ev.guess(r, col, message.format(weight=w, level1=level1), "kept")
        return
    held[level1] = [*before, w]
    ev.record(f"{path}[{len(before)}]", r, col)
    message = _("a second weight {weight!r} of {level1!r} (another group of it); both kept in 附加.权重")
    ev.guess(r, col, message.format(weight=w, level1=level1), "kept")
