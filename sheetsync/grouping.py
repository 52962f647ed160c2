"""Warnings a person can read: repeated ones grouped into one line with the count and the
first places. The CLI prints these lines; ``Result.guesses`` keeps every problem as a value."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import Problem, place
from .i18n import _


def grouped(problems: Iterable[Problem], first: int = 3, limit: int | None = None) -> list[str]:
    """One line per (file, code): a problem alone as itself, several as ``N × code`` with the
    first ``first`` places and the first one's message (``e.g. …``), in first-seen order. With
    ``limit``, at most that many lines: the last then counts the groups left out, by code."""
    groups: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.file, p.code.value or p.message), []).append(p)
    lines = []
    for (file, _key), items in groups.items():
        if len(items) == 1:
            lines.append(str(items[0]))
            continue
        what = _("{count} × {code} ({places}{more}), e.g. {message}").format(
            count=len(items),
            code=items[0].code.value or "note",
            places="; ".join(place("", p.sheet, p.cell) for p in items[:first]),
            more=", …" if len(items) > first else "",
            message=items[0].message,
        )
        lines.append(": ".join(p for p in (file, what) if p))
    if limit is None or len(lines) <= limit:
        return lines
    rest = list(groups.values())[limit - 1 :]
    more = _("{count} more of {kinds} kinds ({codes}); --all-warnings lists them").format(
        count=sum(len(items) for items in rest),
        kinds=len(rest),
        codes=", ".join(dict.fromkeys(items[0].code.value or "note" for items in rest)),
    )
    return [*lines[: limit - 1], more]
