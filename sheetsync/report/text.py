"""A Diff as text: aligned terminal lines, JSON, Markdown and CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from ..errors import InputError
from ..export import safe_cell
from ..i18n import _
from ..values import display_width
from .describe import describe_notes, describe_path, describe_values, kind_word, value_text

if TYPE_CHECKING:
    from ..diffing import Change, Diff

DIFF_FORMATS = ("text", "json", "markdown", "csv")
_COLOURS = {
    "changed": "33",
    "added": "32",
    "removed": "31",
    "renamed": "36",
    "moved": "36",
    "reordered": "35",
    "retemplated": "36",
}


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def diff_text(d: Diff, *, colour: bool = False) -> str:
    """One line per change, grouped by form, columns aligned by display width (CJK is two)."""
    if not d.changes:
        return _("no changes") + "\n"
    lines: list[str] = []
    groups: dict[str, list[Change]] = {}
    for c in d.changes:
        groups.setdefault(c.form, []).append(c)
    kind_width = max(9, *(display_width(kind_word(c.kind)) for c in d.changes))
    for form, changes in groups.items():
        lines.append(f"\x1b[1m{form}\x1b[0m" if colour else form)
        width = max(display_width(describe_path(c)) for c in changes)
        for c in changes:
            kind = pad(kind_word(c.kind), kind_width)
            if colour:
                kind = f"\x1b[{_COLOURS.get(c.kind, '0')}m{kind}\x1b[0m"
            lines.append(f"  {kind} {pad(describe_path(c), width)}  {describe_values(c)}".rstrip())
    counts = {}
    for c in d.changes:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    lines.append(_(", ").join(_("{n} {kind}").format(n=n, kind=kind_word(k)) for k, n in counts.items()))
    return "\n".join(lines) + "\n"


def diff_json(d: Diff) -> str:
    return json.dumps(d.to_json(), ensure_ascii=False, indent=2) + "\n"


def _md(text: str) -> str:
    return safe_cell(text).replace("|", "\\|").replace("\n", "<br>")


def diff_markdown(d: Diff) -> str:
    header = (_("form"), _("kind"), _("path"), _("old"), _("new"), _("note"))
    lines = ["| " + " | ".join(header) + " |", "|---|---|---|---|---|---|"]
    for c in d.changes:
        note = describe_notes(c) if c.span is None else describe_values(c)
        cells = (c.form, kind_word(c.kind), describe_path(c), value_text(c.old), value_text(c.new), note)
        lines.append("| " + " | ".join(_md(x) for x in cells) + " |")
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
    raise InputError(_("unknown format '{format}'; use {choices}").format(format=fmt, choices=", ".join(DIFF_FORMATS)))
