"""A Diff, or forms, as text: terminal, JSON, Markdown, CSV, and git textconv lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .export import safe_cell
from .model import Form
from .reading.grid import cell_name
from .spec import get_spec
from .values import display_width, parse_target

if TYPE_CHECKING:
    from .diffing import Change, Diff

DIFF_FORMATS = ("text", "json", "markdown", "csv")
_COLOURS = {"changed": "33", "added": "32", "removed": "31", "renamed": "36", "moved": "36", "reordered": "35"}


def _value(v: Any) -> str:
    if v is None:
        return "∅"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _signed(v: int | float) -> str:
    return f"+{v}" if v > 0 else str(v)


def describe_path(change: Change) -> str:
    if change.section == "form":
        return "(form)"
    path = " / ".join(p if p else "—" for p in change.path)
    return f"{path} [{change.column}]" if change.column else path


def describe_values(change: Change) -> str:
    """``old → new`` with what the change means (delta, direction, unit, span)."""
    if change.section == "form":
        if change.kind == "renamed":
            return f"{change.old} → {change.new}"
        return ""
    if change.kind == "reordered":
        return f"position {change.old + 1} → {change.new + 1}"
    if change.span is not None:
        s = change.span
        return f"…{s['before']}[-{s['old']}-]{{+{s['new']}+}}{s['after']}…"
    if change.old == change.new:
        text = _value(change.new)
    else:
        text = f"{_value(change.old)} → {_value(change.new)}"
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


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def diff_text(d: Diff, *, colour: bool = False) -> str:
    """One line per change, grouped by form, columns aligned by display width (CJK is two)."""
    if not d.changes:
        return "no changes\n"
    lines: list[str] = []
    groups: dict[str, list[Change]] = {}
    for c in d.changes:
        groups.setdefault(c.form, []).append(c)
    for form, changes in groups.items():
        lines.append(f"\x1b[1m{form}\x1b[0m" if colour else form)
        width = max(display_width(describe_path(c)) for c in changes)
        for c in changes:
            kind = _pad(c.kind, 9)
            if colour:
                kind = f"\x1b[{_COLOURS.get(c.kind, '0')}m{kind}\x1b[0m"
            lines.append(f"  {kind} {_pad(describe_path(c), width)}  {describe_values(c)}".rstrip())
    counts = {}
    for c in d.changes:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    lines.append(", ".join(f"{n} {k}" for k, n in counts.items()))
    return "\n".join(lines) + "\n"


def diff_json(d: Diff) -> str:
    return json.dumps(d.to_json(), ensure_ascii=False, indent=2) + "\n"


def _md(text: str) -> str:
    return safe_cell(text).replace("|", "\\|").replace("\n", "<br>")


def diff_markdown(d: Diff) -> str:
    lines = ["| form | kind | path | old | new | note |", "|---|---|---|---|---|---|"]
    for c in d.changes:
        note = describe_values(c).partition("  (")[2].rstrip(")") if c.span is None else describe_values(c)
        lines.append(
            "| "
            + " | ".join(_md(x) for x in (c.form, c.kind, describe_path(c), _value(c.old), _value(c.new), note))
            + " |"
        )
    return "\n".join(lines) + "\n"


def diff_csv(d: Diff) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["form", "kind", "path", "old_path", "old", "new", "delta", "direction", "column"])
    for c in d.changes:
        w.writerow(
            [
                safe_cell(str(x))
                for x in (
                    c.form,
                    c.kind,
                    " / ".join(c.path),
                    " / ".join(c.old_path or []),
                    "" if c.old is None else c.old,
                    "" if c.new is None else c.new,
                    "" if c.delta is None else c.delta,
                    c.direction or "",
                    c.column or "",
                )
            ]
        )
    return "\ufeff" + buf.getvalue()


def format_diff(d: Diff, fmt: str, *, colour: bool = False) -> str:
    if fmt == "text":
        return diff_text(d, colour=colour)
    if fmt == "json":
        return diff_json(d)
    if fmt == "markdown":
        return diff_markdown(d)
    if fmt == "csv":
        return diff_csv(d)
    from .errors import InputError

    raise InputError(f"unknown format '{fmt}'; use {', '.join(DIFF_FORMATS)}")


def textconv_lines(forms: Iterable[Form]) -> str:
    """One stable line per field, amount and indicator, so ``git diff`` shows real changes."""
    out: list[str] = []
    for form in forms:
        spec = get_spec(form.template)
        name = form.name
        for key in spec.text_keys:
            out.append(f"[{name}] {key} = {_one_line(form[key])}")
        for block in spec.amounts:
            for rk, _ in block.row_labels:
                for ck, _ in block.columns:
                    out.append(f"[{name}] {block.key}/{rk}/{ck} = {_value(form[block.key][rk][ck])}")
        ind = spec.indicators
        keys = [ind.level(1).key, ind.level(2).key, ind.name.key]
        seen: dict[tuple, int] = {}
        for row in form.indicators:
            path = tuple(row[k] for k in keys)
            seen[path] = seen.get(path, 0) + 1
            suffix = f" #{seen[path]}" if seen[path] > 1 else ""
            for col in ind.values:  # one line per value; a form with several names the column
                column = f" [{col.key}]" if len(ind.values) > 1 else ""
                value = _value(row[col.key]) if col.number else _one_line(row[col.key])
                out.append(f"[{name}] {ind.key}/{'/'.join(path)}{suffix}{column} = {value}")
        for block in spec.totals:
            for cell in block.cells:
                out.append(f"[{name}] {block.key}/{cell.key} = {_value(form[block.key][cell.key])}")
    return "\n".join(out) + "\n"


def _one_line(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")


KIND_WORDS = {
    "changed": "修改",
    "added": "新增",
    "removed": "删除",
    "renamed": "改名",
    "moved": "移动",
    "reordered": "调序",
}


def diff_xlsx(d: Diff, new_forms: list[Form], path, *, inputs=()) -> None:
    """An xlsx report: NEW's forms with every changed cell highlighted and the old value in a
    comment, after a summary sheet that lists every change with a link to its cell."""
    from .rendering import render_report, value_cell

    marks: list[dict[tuple[int, int], str]] = [{} for _ in new_forms]
    summary: list[list] = []
    for c in d.changes:
        where = None
        if c.new_at is not None:
            fi, index = c.new_at
            form = new_forms[fi]
            spec = get_spec(form.template)
            n = len(form.indicators)
            ind = spec.indicators
            if c.section == "indicator":
                cells = [value_cell(spec, n, [c.column or ind.target.key], index)]
                if c.kind in ("renamed", "moved", "added", "reordered"):
                    cells.insert(0, value_cell(spec, n, [ind.name.key], index))
            elif c.section == "form":
                cells = [value_cell(spec, n, [spec.identity])]
            else:
                cells = [value_cell(spec, n, c.path)]
            note = _mark_note(c)
            for cell in cells:
                if cell is not None:
                    marks[fi][cell] = note
            first = next((cell for cell in cells if cell is not None), None)
            where = (fi, cell_name(*first) if first else None)
        summary.append(
            [
                *(where or (None, None)),
                c.form,
                KIND_WORDS.get(c.kind, c.kind),
                describe_path(c),
                _value(c.old) if c.old is not None else "",
                _value(c.new) if c.new is not None else "",
                describe_values(c) if c.section != "form" else "",
            ]
        )
    render_report(new_forms, marks, summary, path, inputs=inputs)


def _mark_note(c: Change) -> str:
    if c.kind == "added":
        return "新增" if c.section != "form" else "新增的表"
    if c.kind == "renamed" and c.section == "form":
        return f"原表名: {c.old}"
    if c.kind == "reordered":
        return f"原位置: 第{c.old + 1}行"
    note = f"原值: {_value(c.old)}"
    if c.old_path:
        note = f"原为: {' / '.join(c.old_path)}\n{note}"
    return note
