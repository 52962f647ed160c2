"""A merge's conflicts as text, JSON, and the merged workbook with every conflict cell marked."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .i18n import _
from .reading.grid import cell_name
from .report.describe import describe_path, value_text
from .report.text import pad
from .report.xlsx import form_cell
from .safety import check_output
from .values import display_width

if TYPE_CHECKING:
    from .merging import Conflict, MergeResult

CONFLICT_FORMATS = ("text", "json")
KIND_TEXT = {
    "changed": "both changed",
    "removed": "removed/changed",
    "added": "both added",
    "renamed": "both renamed",
}
KIND_WORDS = {
    "changed": "两边改法不同",
    "removed": "一边删除一边修改",
    "added": "两边新增不同",
    "renamed": "两边改名不同",
}
SIDE_WORDS = {"ours": "我方 (ours)", "theirs": "对方 (theirs)"}
SUMMARY_TITLE = "冲突"
SUMMARY_COLUMNS = (
    ("表", 24),
    ("冲突", 16),
    ("位置", 40),
    ("原值 (base)", 20),
    (SIDE_WORDS["ours"], 20),
    (SIDE_WORDS["theirs"], 20),
    ("表中采用", 14),
)


def _shown(c: Conflict, side: str, removed: str = "(removed)") -> str:
    return removed if c.removed_by == side else value_text(getattr(c, side))


def _taken(c: Conflict) -> str:
    return f"{'resolved' if c.resolved else 'kept'} {c.taken}"


def conflicts_text(result: MergeResult) -> str:
    """One line per conflict, grouped by form, then a count."""
    if not result.conflicts:
        return "merged cleanly: no conflicts\n"
    lines: list[str] = []
    groups: dict[str, list[Conflict]] = {}
    for c in result.conflicts:
        groups.setdefault(c.form, []).append(c)
    for form, conflicts in groups.items():
        lines.append(form)
        width = max(display_width(describe_path(c)) for c in conflicts)
        for c in conflicts:
            values = " | ".join(f"{side} {_shown(c, side)}" for side in ("base", "ours", "theirs"))
            lines.append(f"  {pad(KIND_TEXT[c.kind], 15)} {pad(describe_path(c), width)}  {values}  ({_taken(c)})")
    open_ = sum(not c.resolved for c in result.conflicts)
    n = len(result.conflicts)
    total = "1 conflict" if n == 1 else f"{n} conflicts"
    lines.append(f"{total}, {open_} unresolved" if open_ < n else total)
    return "\n".join(lines) + "\n"


def conflicts_json(result: MergeResult) -> str:
    return json.dumps([c.to_json() for c in result.conflicts], ensure_ascii=False, indent=2) + "\n"


def format_conflicts(result: MergeResult | None, fmt: str) -> str:
    if fmt == "text" and result is not None:
        return conflicts_text(result)
    if fmt == "json" and result is not None:
        return conflicts_json(result)
    if fmt not in CONFLICT_FORMATS:
        raise InputError(
            _("unknown format '{format}'; use {choices}").format(format=fmt, choices=", ".join(CONFLICT_FORMATS))
        )
    return ""


def _note(c: Conflict) -> str:
    """The comment on a conflict cell: both values, who had which, which the cell holds."""
    lines = [f"冲突: {KIND_WORDS[c.kind]}", f"原值 (base): {value_text(c.base)}"]
    lines += [f"{SIDE_WORDS[side]}: {_shown(c, side, '(已删除)')}" for side in ("ours", "theirs")]
    how = "按 --prefer 采用" if c.resolved else "表中暂用"
    lines.append(f"{how}{SIDE_WORDS[c.taken].split()[0]}的值")
    return "\n".join(lines)


def _cells(result: MergeResult, c: Conflict) -> tuple[int, int] | None:
    """The cell of a conflict in the merged forms, found as the diff report finds a change's."""
    if c.at is None:
        return None
    form_index, index = c.at
    form = result.forms[form_index]
    if c.section == "indicator":
        return form_cell(form.spec, form, [c.column], index)
    return form_cell(form.spec, form, [form.spec.identity] if c.section == "form" else c.path)


def conflicts_xlsx(result: MergeResult, path: str | Path, *, inputs=()) -> None:
    """The merged forms, rendered canonically, every conflict cell filled and commented, after
    a summary sheet (冲突) listing each conflict with a link to its cell. Without conflicts,
    the plain canonical workbook."""
    from .rendering import ReportSummary, render, render_report

    if not result.conflicts:
        render(result.forms, path, inputs=inputs)  # the forms' own template
        return

    marks: list[dict[tuple[int, int], str]] = [{} for _ in result.forms]
    summary: list[list[Any]] = []
    for c in result.conflicts:
        cell = _cells(result, c)
        if cell is not None:
            held = marks[c.at[0]].get(cell)  # type: ignore[index]
            marks[c.at[0]][cell] = f"{held}\n\n{_note(c)}" if held else _note(c)  # type: ignore[index]
        texts = [
            c.form,
            KIND_WORDS[c.kind],
            describe_path(c),
            *(_shown(c, s, "(已删除)") for s in ("base", "ours", "theirs")),
        ]
        texts.append(SIDE_WORDS[c.taken])
        summary.append([c.at[0] if cell else None, cell_name(*cell) if cell else None, *texts])  # type: ignore[index]
    sheet = ReportSummary("", SUMMARY_TITLE, [], SUMMARY_COLUMNS, summary, 2, "跳到冲突的单元格")
    render_report(result.forms, marks, sheet, path, inputs=inputs)


def check_merged_output(path: str | Path, *, base: str | Path, ours: str | Path, theirs: str | Path) -> bool:
    """Refuse a bad output path before any work; True when the output is OURS itself (what a
    git merge driver asks for: the result replaces ``%A``). BASE and THEIRS are never replaced."""
    out = Path(path)
    replaces_ours = False
    with contextlib.suppress(OSError):
        replaces_ours = out.exists() and os.path.samefile(out, ours)
    if replaces_ours:
        check_output(out, [str(base), str(theirs)])
    else:
        check_output(out, [str(base), str(ours), str(theirs)], ".xlsx")
    return replaces_ours


def write_merged(
    result: MergeResult, path: str | Path, *, base: str | Path, ours: str | Path, theirs: str | Path
) -> None:
    """Write the merged workbook whole or not at all (see :func:`check_merged_output`)."""
    out = Path(path)
    if not check_merged_output(out, base=base, ours=ours, theirs=theirs):
        conflicts_xlsx(result, out, inputs=[str(base), str(ours), str(theirs)])
        return
    # git names %A without a suffix: render beside it under an .xlsx name, then move it over
    with tempfile.TemporaryDirectory(prefix=".sheetsync-merge-", dir=out.parent if str(out.parent) else ".") as tmp:
        merged = Path(tmp) / "merged.xlsx"
        conflicts_xlsx(result, merged)
        with contextlib.suppress(OSError):
            os.chmod(merged, out.stat().st_mode & 0o7777)
        os.replace(merged, out)
