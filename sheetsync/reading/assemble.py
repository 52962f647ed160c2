"""Located blocks -> a form: the values of a grid read by meaning, each with its cell.

:func:`read_by_meaning` runs the stages in turn: :func:`~.locate.locate` finds the blocks,
this module reads the fields, the title, the amounts and the totals where they were found,
:func:`~.indicators.read_indicators` the indicator rows, and the
:class:`~.evidence.Evidence` gathered on the way becomes the form's provenance.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..extras import EXTRAS
from ..i18n import _, ngettext
from ..model import Form
from ..spec import AmountsBlock, FieldCell, Label, Spec, TotalBlock
from ..values import clean_text, label_key, number_text
from .account import account
from .columns import printed_unit
from .evidence import AMOUNT_TEXT, NONE_TEXT, Evidence, matches, own_cells
from .grid import Grid, NotComputed
from .indicators import read_indicators
from .locate import Hit, Levels, Located, locate
from .pairs import keep_pairs

_QUALIFIER = re.compile(r"^\((.*)\)$")
_YEAR_LINE = re.compile(r"^\(\d{4}年度?\)$")


def read_by_meaning(grid: Grid, spec: Spec) -> tuple[Form, Evidence] | None:
    """The form found on ``grid`` and its evidence; None when the grid is not a form."""
    levels = Levels(spec.framework)
    found = locate(grid, spec, levels)
    if found is None:
        return None
    ev = Evidence(grid, spec)
    data: dict[str, Any] = {}
    words = spec.framework.reading
    long_goal = Label(words.long_goals[0], None, words.long_goals[1:]) if words.long_goals else None
    labels = (*spec.labels, long_goal) if long_goal else spec.labels
    for cell, hit in found.fields:
        if cell.key:
            data[cell.key] = _field(ev, cell, hit, labels)
    if found.long_goal is not None:
        _long_goal(ev, FieldCell(long_goal, f"{EXTRAS}.长期目标"), found.long_goal, labels)
    _long_sets(ev, spec, found, levels)
    field_keys = {c.key for c in spec.fields}
    amounts = {b.key: b for b in spec.amounts}
    totals = {b.key for b in spec.totals}
    for key in spec.keys:  # titles, amounts and indicators in the form's order
        if key == spec.indicators.key:
            data[key] = read_indicators(ev, spec, found, levels, found.until)
        elif key in amounts:
            data[key] = _in_unit(ev, amounts[key], found, _amounts(ev, amounts[key], found))
        elif key not in field_keys and key not in totals:  # a title
            data[key] = _title(ev, found, key)
    for block in spec.totals:
        data[block.key] = _total(ev, block, found)
    keep_pairs(ev, found, levels, data)
    form = ev.form(data)
    account(ev, found, levels)
    return form, ev


def _field(ev: Evidence, cell: FieldCell, hit: Hit | None, labels: tuple) -> str:
    """The value beside a field's label (or, ``below``, under it)."""
    grid = ev.grid
    if hit is None:
        ev.note(_("no '{text}' label found; read as empty").format(text=cell.label.text), "missing_field")
        return ""
    r, c, _span = hit
    m = grid.merge_at(r, c)
    if not cell.below:
        start = (m[3] if m else c) + 1
        for col, text, _raw in own_cells(grid, r):
            if col < start:
                continue
            if any(matches(text, lab) is not None for lab in labels):
                break
            return ev.text(r, col, path=cell.key)
    # the value is the cell under the label (under its merge): so the spec says, or nothing
    # stands beside the label (总体目标 | 年度目标, the goal on the line below)
    first, last, under = (m[1], m[3], m[2] + 1) if m else (c, c, r + 1)
    for col, text, _raw in own_cells(grid, under):
        if first <= col and (col <= last or not cell.below):
            if any(matches(text, lab) is not None for lab in labels) or ev.spec.framework.reading.is_stop(text):
                return ""
            if not cell.below:
                ev.guess(
                    under,
                    col,
                    _("nothing beside the label {label!r}; its value read from under it").format(label=cell.label.text),
                    "missing_field",
                )
            return ev.text(under, col, path=cell.key)
    return ""


def _long_goal(ev: Evidence, cell: FieldCell, hit: Hit, labels: tuple) -> None:
    """A goal for longer than the year (长期目标, 中期目标), kept in 附加.长期目标."""
    text = _field(ev, cell, hit, labels)
    if text:
        ev.extras["长期目标"] = text
        message = _("{label!r} is no goal of the year; kept in 附加.长期目标")
        message = message.format(label=ev.grid.text(hit[0], hit[1]))
        ev.guess(hit[0], hit[1], message, "kept")


def _long_sets(ev: Evidence, spec: Spec, found: Located, levels: Levels) -> None:
    """Indicator sets of a longer period (长期绩效指标), kept in 附加.其他指标 under their label."""
    for (r, c, text), where, until in found.others:
        label = clean_text(text)
        path = f"{EXTRAS}.其他指标.{label}"
        rows = read_indicators(ev, spec, where, levels, until, path)
        ev.extras.setdefault("其他指标", {}).setdefault(label, []).extend(rows)
        ev.record(path, r, c)
        message = ngettext(
            "{label!r}: {count} indicator of another period than the year; kept in 附加.其他指标",
            "{label!r}: {count} indicators of another period than the year; kept in 附加.其他指标",
            len(rows),
        ).format(label=label, count=len(rows))
        ev.guess(r, c, message, "kept")


def _title(ev: Evidence, found: Located, key: str) -> str:
    if found.title is None:
        ev.note(_("no title row found; {key} read as empty").format(key=key), "missing_title")
        return ""
    r, c = found.title
    title = ev.text(r, c, path=key)
    above = [(row, col, text) for row in ev.grid.rows if row < r for col, text, _raw in own_cells(ev.grid, row)]
    for row, col, _text in above:  # 附件3, 报表编号: lines above the title, kept
        ev.record(f"{EXTRAS}.附件", row, col)
    if above:
        ev.extras["附件"] = " ".join(clean_text(t) for _row, _col, t in above)
    below = [cells for cells in [own_cells(ev.grid, r + 1)] if len(cells) == 1 and r + 1 < found.first_label_row]
    if below and _YEAR_LINE.match(label_key(below[0][0][1])):  # 绩效目标表 / (2022年度) on two lines
        title += label_key(ev.text(r + 1, below[0][0][0]))
        message = _("the line under the title joined to it: {title!r}").format(title=title)
        ev.guess(r + 1, below[0][0][0], message, "normalized")
    return title


def _total(ev: Evidence, block: TotalBlock, found: Located) -> dict[str, Any]:
    """The total row under the indicators: each total sits under the indicator column that
    the spec puts above it (总分's 得分 under 得分), wherever that column went."""
    hit = found.totals.get(block.key)
    out: dict[str, Any] = dict.fromkeys(c.key for c in block.cells)
    for cell in block.cells:
        above = next((c for c in ev.spec.indicators.columns if c.label.at.first == cell.at.first), None)
        col = found.columns.get(above.key) if above else None
        if hit is None or col is None:
            ev.uncomputed[(block.key, cell.key)] = (hit[0], hit[1]) if hit else None
            continue
        out[cell.key] = ev.number(hit[0], col, f"{block.key}.{cell.key}")
    return out


def _amounts(ev: Evidence, block: AmountsBlock, found: Located) -> dict[str, dict[str, Any]]:
    scopes = [ck for ck, _ in block.columns]
    table: dict[str, dict[str, Any]] = {rk: dict.fromkeys(scopes) for rk, _ in block.row_labels}
    col_scope = found.amount_columns.get(block.key, {})
    read: set[str] = set()  # rows an amount was read for
    for r in found.top_rows:
        current: str | None = None
        row_scope = scopes[0]
        seen_labels = 0
        for col, _text, raw in own_cells(ev.grid, r):
            key, qualifier, m = None, None, None
            if isinstance(raw, str):
                m = AMOUNT_TEXT.match(clean_text(raw))
                label_part = m.group("label") if m else clean_text(raw)
                key, qualifier = _row_label(block, label_part)
                if key is None and (label_part or not (m and m.group("num"))):
                    if current in read and _a_label(label_part, ev.spec.framework.reading.units):
                        current = None  # another label beside the amount (财政资金科目代码 21305)
                    continue
            if key is not None:
                again, current = key == current, key
                scope = _scope(qualifier, scopes) if qualifier else None
                # the same row label again on its row is the next scope; a label alone, the lone one
                row_scope = scope or (scopes[min(seen_labels, len(scopes) - 1)] if again else block.lone or scopes[0])
                seen_labels += 1
                if m and m.group("num"):
                    read.add(current)
                    table[current][row_scope] = number_text(m.group("num").replace(",", ""))
                    ev.record(f"{block.key}.{current}.{row_scope}", r, col)
                    message = _("amount for {row} ({scope}) read from the label text {raw!r}").format(
                        row=current, scope=row_scope, raw=raw
                    )
                    ev.guess(r, col, message, "amount_text")
                continue
            if current is None:
                continue
            scope = col_scope.get(col) or row_scope
            if isinstance(raw, NotComputed):
                ev.uncomputed[(block.key, current, scope)] = (r, col)
                continue
            value = ev.amount(r, col)
            if value is not None:
                read.add(current)
                table[current][scope] = value
                ev.record(f"{block.key}.{current}.{scope}", r, col)
                ev.typed_as_text(f"{block.key}.{current}.{scope}", raw, value)
    return table


def _a_label(text: str, units: dict) -> bool:
    """A text that labels something else: not struck out (—), not a unit (万元)."""
    key = label_key(text)
    return bool(key) and not NONE_TEXT.match(key) and key not in units and key.strip("()（）") not in units


def _row_label(block: AmountsBlock, text: str) -> tuple[str | None, str | None]:
    """(row key, qualifier) when ``text`` is one of the block's row labels."""
    for rk, lab in block.row_labels:
        q = matches(text, lab) if text else None
        if q is not None:
            return rk, q
    return None, None


def _scope(qualifier: str, scopes: list[str]) -> str | None:
    m = _QUALIFIER.match(qualifier)
    inner = m.group(1) if m else qualifier
    for s in scopes:
        if label_key(inner) == label_key(s):
            return s
    return None


def _in_unit(ev: Evidence, block: AmountsBlock, found: Located, table: dict[str, dict[str, Any]]) -> dict:
    """The amounts in the contract's unit: a sheet that says it prints them in 元 (``单位：元``,
    ``项目资金（元）``) has its money columns converted, with a note naming that cell."""
    words = ev.spec.framework.reading
    for r in found.top_rows:
        for c, text, raw in own_cells(ev.grid, r):
            unit = printed_unit(text, words) if isinstance(raw, str) else None
            if unit is None:
                continue
            factor = Decimal(str(words.units[unit])) / Decimal(str(words.units.get(block.unit, 1.0)))
            if factor == 1:
                return table
            money = [ck for ck, _ in block.columns if block.column(ck).adds_up and not block.column(ck).ratio]
            for row in table.values():
                for ck in money:
                    if row[ck] is not None:
                        row[ck] = number_text(format((Decimal(str(row[ck])) * factor).normalize(), "f"))
            ev.extras["单位"] = unit
            ev.record(f"{EXTRAS}.单位", r, c)
            message = _("amounts printed in {unit} ({text!r}); read in {read_in}").format(
                unit=unit, text=text, read_in=block.unit or "万元"
            )
            ev.guess(r, c, message, "unit")
            return table
    return table
