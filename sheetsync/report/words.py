"""The words of the change reports (the xlsx summary and the HTML page), in Chinese.

Every text a report shows a reader is a constant here or a template with named fields, so
a message catalogue can take them over one by one; the functions below only put them
together. Terminal, JSON, Markdown and CSV output keep their own words (``describe``).
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..values import parse_target, shown_number
from .describe import value_text

if TYPE_CHECKING:
    from ..diffing import Change

REPORT_TITLE = "变更报告"
SUMMARY_SHEET = "变更"
SUMMARY_HEADER = ("表", "变更", "位置", "单元格", "原值", "新值", "说明")
LINK_COLUMN = 3  # the marked cell's name, linked to it
OLD_FILE = "原文件：{name}（{date}）"
NEW_FILE = "新文件：{name}（{date}）"
FILE_DATE = "修改于 {date}"
NO_DATE = "日期不详"
COUNTS = "共 {n} 处变更：{parts}"
COUNT_PART = "{kind} {n} 处"
COUNT_JOIN = "，"
NO_CHANGES = "两个版本没有差别。"
LINK_TIP = "跳到变更的单元格"
FORM_SECTION = "{form}（{n} 处变更）"
WHOLE_FORM = "（整表）"
MARK_LEGEND = "底色标出的单元格有变更，格内小字是原值。"

KINDS = {
    "changed": "修改",
    "added": "新增",
    "removed": "删除",
    "renamed": "改名",
    "moved": "移动",
    "reordered": "调序",
    "retemplated": "换模板",
}
DIRECTIONS = {"increased": "增加", "decreased": "减少", "tightened": "收紧", "loosened": "放宽"}

WAS = "原为 {path}"
DELTA = "{direction} {amount}"
UNIT_CHANGED = "单位由“{old}”改为“{new}”"
COMPARATOR_CHANGED = "比较符由“{old}”改为“{new}”"
NOTHING = "无"
REORDERED = "原第 {old} 行，现第 {new} 行"
SPAN_CHANGED = "自第 {at} 字起改动"
FORM_RENAMED = "原表名 {old}"
FORM_RETEMPLATED = "原模板 {old}"
FORM_ADDED = "新增的表"
FORM_REMOVED = "删除的表，新版本中没有"
INDICATOR_ADDED = "新增的指标"
INDICATOR_REMOVED = "删除的指标，新版本中没有"
MARK_OLD = "原值：{old}"
MARK_OLD_PATH = "原为：{path}"
MARK_REORDERED = "原位置：第 {old} 行"

DATE_FORMAT = "%Y-%m-%d %H:%M"
ELLIPSIS = "…"


def number_text(v: Any, fmt: str | None = None) -> str:
    """A value as the report shows it: blank for none, 3 for 3.0; a number in its form's
    format (``#,##0.00##``: 2,050.20; ``0.00%``: 95.00%) when one is given."""
    if v is None:
        return ""
    if fmt and isinstance(v, (int, float)) and not isinstance(v, bool):
        return shown(v, fmt)
    return value_text(v)


def shown(value: float, fmt: str) -> str:
    """A number as a spreadsheet shows it in ``fmt``, with thousands grouped (``#,##0``) and
    optional decimals (``0.00##``: at least two, at most four)."""
    m = re.search(r"\.(0*)(#*)", fmt.split(";")[0])
    if not m or "%" in fmt or fmt == "General":
        return shown_number(value, fmt)
    required, optional = len(m.group(1)), len(m.group(2))
    text = f"{value:{',' if ',' in fmt else ''}.{required + optional}f}"
    whole, _, places = text.partition(".")
    places = places[:required] + places[required:].rstrip("0")
    return f"{whole}.{places}" if places else whole


def kind_word(change: Change) -> str:
    return KINDS.get(change.kind, change.kind)


def place(change: Change) -> str:
    """Where the change is: ``产出指标 / 数量指标 / 受理信访事项举报数量``, with its column."""
    if change.whole_form:
        return WHOLE_FORM
    path = " / ".join(p if p else "—" for p in change.path)
    return f"{path}（{change.column}）" if change.column else path


def old_new(change: Change, fmt: str | None = None) -> tuple[str, str]:
    """The old and the new value as the report's columns show them (a long text: its changed
    part with a little context; a number in ``fmt``, its form's format)."""
    if change.kind == "reordered":
        return "", ""
    if change.span is not None:
        s = change.span
        return (
            f"{ELLIPSIS}{s['before']}{s['old']}{s['after']}{ELLIPSIS}",
            f"{ELLIPSIS}{s['before']}{s['new']}{s['after']}{ELLIPSIS}",
        )
    return number_text(change.old, fmt), number_text(change.new, fmt)


def _amount(change: Change, unit: str, fmt: str | None) -> str:
    if isinstance(change.new, str):
        return number_text(abs(change.delta)) + parse_target(change.new).unit
    if fmt and "%" in fmt:  # a rate: the change in percentage points, as its cells show it
        return shown_number(abs(change.delta), re.sub(r"\.0+", ".00", fmt))
    return number_text(abs(change.delta)) + unit


def explain(change: Change, unit: str = "", fmt: str | None = None) -> str:
    """What the change means, in words: 增加 5件, 收紧 2%, 原为 …, 单位由“件”改为“起”.

    ``unit`` is a changed number's unit where the value does not carry it (万元), ``fmt`` its
    number format (a rate's change shows as a percent)."""
    if change.whole_form:
        if change.kind in ("renamed", "retemplated"):
            return (FORM_RENAMED if change.kind == "renamed" else FORM_RETEMPLATED).format(old=change.old)
        return FORM_ADDED if change.kind == "added" else FORM_REMOVED if change.kind == "removed" else ""
    if change.kind == "reordered":
        return REORDERED.format(old=change.old + 1, new=change.new + 1)
    notes = []
    if change.kind == "added":
        notes.append(INDICATOR_ADDED)
    elif change.kind == "removed":
        notes.append(INDICATOR_REMOVED)
    if change.old_path:
        notes.append(WAS.format(path=" / ".join(p or "—" for p in change.old_path)))
    if change.span is not None:
        notes.append(SPAN_CHANGED.format(at=change.span["at"] + 1))
    direction = change.direction
    if direction is None and change.delta and not change.comparator:
        direction = "increased" if change.delta > 0 else "decreased"
    if direction and change.delta:
        notes.append(DELTA.format(direction=DIRECTIONS.get(direction, direction), amount=_amount(change, unit, fmt)))
    for words, pair in ((UNIT_CHANGED, change.unit), (COMPARATOR_CHANGED, change.comparator)):
        if pair:
            notes.append(words.format(old=pair[0] or NOTHING, new=pair[1] or NOTHING))
    return "；".join(notes)


def mark_note(change: Change, fmt: str | None = None) -> str:
    """The note on a marked cell of the report: its old value (or old place)."""
    if change.kind == "added":
        return FORM_ADDED if change.whole_form else INDICATOR_ADDED
    if change.kind in ("renamed", "retemplated") and change.whole_form:
        return (FORM_RENAMED if change.kind == "renamed" else FORM_RETEMPLATED).format(old=change.old)
    if change.kind == "reordered":
        return MARK_REORDERED.format(old=change.old + 1)
    note = MARK_OLD.format(old=old_new(change, fmt)[0])
    if change.old_path:
        note = MARK_OLD_PATH.format(path=" / ".join(change.old_path)) + "\n" + note
    return note


def _modified(path: Path) -> float | None:
    """When a file was last changed; for a folder, its newest file."""
    try:
        if path.is_dir():
            times = [p.stat().st_mtime for p in path.rglob("*") if p.is_file()]
            return max(times, default=None)
        return path.stat().st_mtime
    except OSError:
        return None


def source_lines(old: str, new: str) -> list[str]:
    """The two versions' file names and dates, one line each (none for forms given in memory)."""
    out = []
    for template, name in ((OLD_FILE, old), (NEW_FILE, new)):
        if not name:
            continue
        when = _modified(Path(name))
        date = FILE_DATE.format(date=datetime.fromtimestamp(when).strftime(DATE_FORMAT)) if when else NO_DATE
        out.append(template.format(name=os.path.basename(os.path.normpath(name)), date=date))
    return out


def count_line(changes: list[Change]) -> str:
    """``共 4 处变更：修改 3 处，删除 1 处``."""
    if not changes:
        return NO_CHANGES
    counts: dict[str, int] = {}
    for c in changes:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    parts = COUNT_JOIN.join(COUNT_PART.format(kind=KINDS.get(k, k), n=n) for k, n in counts.items())
    return COUNTS.format(n=len(changes), parts=parts)
