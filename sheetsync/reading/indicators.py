"""The indicator rows of a grid read by meaning: which text is a level, a 三级 name, a value.

A row that lines up with the header is read by its columns, any other by the framework's
level names; a blank level inherits the one above. Every such decision is a guess with its
cell (see :class:`~sheetsync.reading.evidence.Evidence`).
"""

from __future__ import annotations

from typing import Any

from .. import i18n
from ..errors import shown
from ..extras import EXTRAS, VALUE_PARTS
from ..i18n import _
from ..parts import ordered
from ..spec import Spec
from ..values import clean_target, clean_text
from .block import (
    Block,
    Group,
    Named,
    TextCell,
    aligned,
    by_columns,
    carried,
    classify,
    collapse_repeats,
    merged_across,
    once,
    wide,
)
from .evidence import Evidence, matches, own_cells
from .locate import Levels, Located
from .rows import kind_of, own_parts, take_extras
from .weights import keep_weight, level1_of_weight, take_weight


def read_indicators(
    ev: Evidence, spec: Spec, found: Located, levels: Levels, until: int | None = None, path: str = ""
) -> list[dict[str, Any]]:
    """The indicator rows from ``found.start`` to the block's end (a blank, total or signature
    row) or row ``until``; each value recorded under ``path`` (the block's key by default)."""
    block, grid = spec.indicators, ev.grid
    one, two = block.level(1), block.level(2)
    if found.header is None:
        ev.note(
            _("no indicator header row (一级指标 … 指标值) found; indicators located by their level names"),
            "missing_header",
        )
    value_keys = {c.key for c in block.values}
    b = Block(
        ev,
        levels,
        block,
        found.header,
        found.columns.get(one.key, one.label.at.first),
        found.columns.get(two.key, two.label.at.first),
        found.columns.get(block.target.key),
        found.col_key,
        {c for c, k in found.col_key.items() if k in value_keys},
        tuple(c for c in block.values if c is not block.target),
        found.table,
        spec.framework.reading,
        found.columns.get(block.name.key, found.columns.get(two.key, two.label.at.first) + 1),
        path=path or block.key,
    )
    _note_extra_columns(b)
    stops = [t.label for t in spec.totals]
    group, inherited = Group(), 0
    out: list[dict[str, Any]] = []
    prev, end, cut = found.start - 1, None, None
    for r in (r for r in grid.rows if r >= found.start and (until is None or r < until)):
        if r > prev + 1 and out and not carried(grid, prev + 1):
            end = r
            break  # a blank row ends the block
        prev = r
        cells = [c for c in own_cells(grid, r) if matches(c[1], block.label) is None]
        if not cells:
            if out and not carried(grid, r):
                end = r
                break  # a blank row ends the block
            continue
        kind = kind_of(cells, block, b.words, b.c2)
        if kind == "stop" or (len(cells) == 1 and out and wide(grid, r, cells[0][0])):
            end = r
            break  # a total, a note or a signature line under the table
        if any(matches(c[1], lab) is not None for c in cells[:1] for lab in stops):
            end = r
            break  # the total row under the table
        if kind != "row":
            _skip(b, r, cells, kind)
            continue
        n = _indicator(b, r, cells, group, out, r == grid.rows[-1])
        if n is None:
            end, cut = r, cells
            break
        inherited += n
    group.settle(ev, last=True)
    if end is not None:
        _below(ev, found, end)
    if cut is not None:
        text = " ".join(t for _, t, _ in cut)
        message = _("the last line, {text!r}, has no value: the text seems cut short here; kept in 附加.表外").format(
            text=text
        )
        ev.guess(end, cut[-1][0], message, "kept")
    if inherited and not grid.merges:
        ev.note(
            _(
                "{inherited} indicator rows name no level; each inherits the levels above it "
                "(the source records no merged cells)"
            ).format(inherited=inherited),
            "inherited",
        )
    return out


def _split(b: Block, r: int, cells: list[TextCell]) -> tuple[Named, Named, list, TextCell | None, dict]:
    """A row's cells as (named 一级, named 二级, the texts left for the 三级 name, the 指标值 cell,
    the cells of the other value columns by key)."""
    block = b.block
    if aligned(b, cells):
        named1, named2, names, by = by_columns(b, r, cells)
        value = by[block.target.key][-1] if block.target.key in by else None
        return named1, named2, names, value, {c.key: by[c.key][-1] for c in b.others if c.key in by}
    if b.others:
        # several value columns and a row that does not line up: texts in column order
        named1, named2, names = classify(b, cells)
        names, rest = names[:1], names[1:]
        extra = {c.key: cell for c, cell in zip(b.others, rest[1:], strict=False)}
        return named1, named2, names, rest[0] if rest else None, extra
    levels = {block.level(1).key, block.level(2).key}
    last = cells[-1]
    if b.col_key.get(last[0]) in levels and b.levels.of(last[1]):
        value, rest = None, cells  # a level name under a level column is no value: a group row
    elif len(cells) > 1 or last[0] == b.ct:
        value, rest = last, cells[:-1]
    else:
        value, rest = None, cells
    named1, named2, names = classify(b, rest)
    return named1, named2, names, value, {}


def _unknown_levels(b: Block, r: int, named1: Named, named2: Named, names: list) -> tuple[Named, Named]:
    """Texts outside the framework, ahead of the 三级 name, are level labels by position."""
    while len(names) > 1:
        cell = names.pop(0)
        text = b.ev.text(r, cell[0])
        if named1 is None and named2 is None and cell[0] < b.c2 and not merged_across(b.ev.grid, r, cell[0], b.c2):
            named1 = (cell, text)
        elif named2 is None:
            named2 = (cell, text)
        b.ev.guess(
            r,
            cell[0],
            _("{text!r} is not in the indicator framework; read as a level label").format(text=text),
            "unknown_level",
        )
    return named1, named2


def _levels(b: Block, r: int, named1: Named, named2: Named, group: Group, below: bool) -> None:
    """The levels in force after this row's labels, with a guess for each one out of place;
    ``below``: rows were read above this one."""
    ev = b.ev
    if named1 is not None:
        before = (group.level1, group.level2) if below else None
        group.level1 = named1[1]
        if named1[0][0] != b.c1 and b.header is not None:
            ev.guess(
                r,
                named1[0][0],
                _("一级 label {level1!r} found outside the 一级 column").format(level1=group.level1),
                "level_column",
            )
        if named2 is not None:
            group.level2 = named2[1]
        elif merged_across(ev.grid, r, named1[0][0], b.c2):
            group.level2 = ""
        else:
            group.level2 = _second_beside(b, r, named1[0][0], group.level1, before)
    elif named2 is not None:
        _second_named(b, r, named2, group, below)
    if named1 is not None:
        group.at1 = (r, named1[0][0])
        group.at2 = (r, named2[0][0]) if named2 else group.at1
    elif named2 is not None:
        group.at2 = (r, named2[0][0])


def _second_beside(b: Block, r: int, c: int, level1: str, before: tuple[str, str] | None) -> str:
    """The 二级 of a row whose 一级 cell names a label and whose 二级 cell starts nothing: the
    merged 二级 that continues over it (as the sheet shows it), the group above when the 一级
    repeats it and the 二级 cell is blank, else none (the 一级 spans both level columns)."""
    ev, grid = b.ev, b.ev.grid
    m = grid.merge_at(r, b.c2)
    if m is not None and m[0] < r:
        text = grid.shown(r, b.c2)
        lv = b.levels.of(text)
        level2 = lv[1] if lv else clean_text(text)
        if before is not None and before[0] != level1 and level2:
            message = _(
                "二级 {level2!r} is merged over rows of {before!r} and {level1!r}; read as the merge shows it"
            ).format(level2=level2, before=before[0], level1=level1)
            ev.guess(r, b.c2, message, "merge_conflict")
        return level2
    if m is None and grid.raw(r, b.c2) is None and before is not None and before[0] == level1 and before[1]:
        ev.guess(r, b.c2, _("blank 二级 cell inherits the group above"), "inherited")
        return before[1]
    ev.guess(r, c, _("{level1!r} has no 二级; read as spanning both level columns").format(level1=level1), "spans_both")
    return ""


def _second_named(b: Block, r: int, named2: tuple[TextCell, str], group: Group, below: bool) -> None:
    """A row that names a 二级 and no 一级: the 一级 is the merged cell beside it when that shows
    a label, else the framework's 一级 for the 二级 where the group above is another (warned)."""
    ev, fw, grid = b.ev, b.levels.fw, b.ev.grid
    group.level2 = level2 = named2[1]
    level1 = group.level1
    usual = fw.usual_parent.get(level2)
    if named2[0][0] != b.c2 and b.header is not None:
        ev.guess(
            r,
            named2[0][0],
            _("二级 label {level2!r} found outside the 二级 column").format(level2=level2),
            "level_column",
        )
    merged1 = grid.merge_at(r, b.c1)
    if usual and usual != level1 and merged1 is not None and merged1[0] < r and grid.shown(r, b.c1):
        message = _(
            "二级 {level2!r} belongs under {usual!r}, but the merged 一级 cell beside it shows {level1!r}; "
            "read as shown"
        ).format(level2=level2, usual=usual, level1=level1)
        ev.guess(r, named2[0][0], message, "merge_conflict")
    elif usual and usual != level1 and (not level1 or level1 in fw.levels):
        ev.guess(
            r,
            named2[0][0],
            (
                _("二级 {level2!r} belongs under {usual!r}, not {level1!r}; read under {usual!r}")
                if level1
                else _("二级 {level2!r} belongs under {usual!r}; read under {usual!r}")
            ).format(level2=level2, usual=usual, level1=level1),
            "level1_corrected" if level1 else "level1_missing",
        )
        group.level1 = usual
    elif merged1 is None and grid.raw(r, b.c1) is None and below and grid.merges:
        # (text sources write a 一级 once per group: nothing to say there)
        ev.guess(r, b.c1, _("blank 一级 cell inherits the group above"), "inherited")


def _row(b: Block, r: int, i: int, group: Group, names: list, value: TextCell | None, extra: dict) -> dict:
    """One indicator row's values, each recorded with its cell."""
    ev, block = b.ev, b.block
    one, two, name, target = block.level(1), block.level(2), block.name, block.target
    prefix = f"{b.path}[{i}]"
    if group.at1:
        ev.record(f"{prefix}.{one.key}", *group.at1)
    if group.at2:
        ev.record(f"{prefix}.{two.key}", *group.at2)
    row: dict[str, Any] = {one.key: group.level1, two.key: group.level2}
    row[name.key] = ev.text(r, names[0][0], path=f"{prefix}.{name.key}") if names else ""
    row[target.key] = ev.text(r, value[0], target=True, path=f"{prefix}.{target.key}") if value else ""
    for col in b.others:
        cell, path = extra.get(col.key), f"{prefix}.{col.key}"
        if col.number:
            row[col.key] = ev.number(r, cell[0], path) if cell else None
        else:
            row[col.key] = ev.text(r, cell[0], target=col.target, path=path) if cell else ""
    return {c.key: row[c.key] for c in block.columns}


def _note_inherited(b: Block, r: int) -> int:
    """Report blank level cells that take the group above; 1 if the row inherited at all."""
    grid = b.ev.grid
    if not grid.merges:
        return 1  # text sources: one summary note per form instead of one per row
    for c, name in ((b.c1, "一级"), (b.c2, "二级")):
        if grid.merge_at(r, c) is None and grid.raw(r, c) is None and not merged_across(grid, r, b.c1, b.c2):
            b.ev.guess(r, c, _("blank {name} cell inherits the group above").format(name=name), "inherited")
    return 1


def _indicator(
    b: Block, r: int, cells: list[TextCell], group: Group, out: list[dict[str, Any]], last: bool
) -> int | None:
    """Read one indicator row into ``out``; 1 if it inherited its levels (for the form's note).
    None for the ``last`` line of a text dump with no value or no 三级: the copied text stops
    inside this row, which is then kept in 附加.表外 rather than read as an indicator."""
    ev, block = b.ev, b.block
    cells, kept, taken = take_extras(b.table, cells, b.words)
    cells, weight = take_weight(cells, b.levels, b.cn)
    if not cells:
        if weight is not None:
            message = _("weight {weight!r} alone on a row, with no indicator to name its 一级; not read").format(
                weight=weight[1]
            )
            ev.guess(r, weight[0], message, "not_read")
        return 0
    named1, named2, names, value, extra = _split(b, r, collapse_repeats(b, r, cells))
    if last and (value is None or not names) and not extra and b.ev.grid.line_offset is not None:
        return None
    named1, named2 = _unknown_levels(b, r, named1, named2, names)
    if weight is not None and weight[2] and named1 is None:
        named1 = level1_of_weight(b, r, weight, named2)
    inherited = 0
    if named1 is None and named2 is None and (out or group.level1):
        inherited = _note_inherited(b, r)
    elif named1 is None and named2 is None:
        ev.guess(r, b.c1, _("no 一级 label on this row and no group above it; read as empty"), "no_level")
    _levels(b, r, named1, named2, group, bool(out))
    if weight is not None:
        keep_weight(b, r, weight, group.level1)
    if not names and value is None and not extra and not kept and (named1 or named2):
        group.settle(ev)  # a group with no indicator of its own (yet): said when none follows
        label = named2 or named1
        group.empty = (r, label[0][0], label[1])
        return 0
    group.settle(ev)
    prefix = f"{b.path}[{len(out)}]"
    row = _row(b, r, len(out), group, names, value, extra)
    composed = kept.pop("__composed__", None)
    if composed is not None:
        row[block.target.key] = clean_target(composed)
        where = f"{VALUE_PARTS}" if block.parted else f"附加.{VALUE_PARTS}"
        message = _("指标值 {value!r} composed from its printed parts (kept in {where})").format(
            value=row[block.target.key], where=where
        )
        once(b, r, taken[0][0], message, "value_parts", "composed")
    if block.parted is not None:
        row[VALUE_PARTS], taken, own = own_parts(block, b.table, kept, taken, row[block.target.key], b.words)
        for col, head in own:
            ev.record(f"{prefix}.{VALUE_PARTS}.{head}", r, col)
        row = ordered(row, block)
    for col, path in taken:
        ev.record(f"{prefix}.{EXTRAS}.{path}", r, col)
    if kept:
        row[EXTRAS] = kept
    out.append(row)
    return inherited


def _note_extra_columns(b: Block) -> None:
    table = b.table
    if table is None:
        return
    for col, head in table.extra.items():
        message = _("column {head!r} has no key in the {template}; each indicator keeps it in 附加").format(
            head=head, template=b.ev.spec.name
        )
        b.ev.guess(table.header if (table.header, col) in b.ev.grid.values else table.last, col, message, "kept")


def _skip(b: Block, r: int, cells: list[TextCell], kind: str) -> None:
    """A placeholder row (kept in 附加.占位) or the header again after a page break (a note)."""
    ev = b.ev
    if kind == "placeholder":
        held = ev.extras.setdefault("占位", [])
        for c, text, _raw in cells:
            ev.record(f"{EXTRAS}.占位[{len(held)}]", r, c)
            held.append(text)
        message = _("placeholder {text!r} is no indicator; kept in 附加.占位").format(text=cells[0][1])
        once(b, r, cells[0][0], message, "kept", "placeholder")
    else:
        ev.guess(r, cells[0][0], _("the indicator header again (a page break); not an indicator"), "kept")


def _below(ev: Evidence, found: Located, end: int) -> None:
    """The rows after the indicator table (totals, signatures, notes) kept in 附加.表外."""
    totals = {hit[0] for hit in found.totals.values() if hit}
    held = ev.extras.setdefault("表外", [])
    start = len(held)  # a set of another period may have kept some before
    for r in (r for r in ev.grid.rows if r >= end and r not in totals):
        for c, text, _raw in own_cells(ev.grid, r):
            if (r, c) in ev.used:
                continue  # read before: a set of another period
            ev.record(f"{EXTRAS}.表外[{len(held)}]", r, c)
            held.append(clean_text(text))
    if len(held) > start:
        first, n = ev.cells[f"{EXTRAS}.表外[{start}]"], len(held) - start
        message = i18n.ngettext(
            "{count} text after the indicator table (from {first}: {text!r}) kept in 附加.表外",
            "{count} texts after the indicator table (from {first}: {text!r}) kept in 附加.表外",
            n,
        )
        ev.note(message.format(count=n, first=shown(first), text=held[start]), "kept")
    elif not held:
        del ev.extras["表外"]
