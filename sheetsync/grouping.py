"""Warnings a person can read: repeated ones grouped into one line with the count and the
first places. The CLI prints these lines; ``Result.guesses`` keeps every problem as a value."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import Problem, place


def grouped(problems: Iterable[Problem], first: int = 3, limit: int | None = None) -> list[str]:
    """One line per (file, code): a problem alone as itself, several as ``N × code`` with the
    first ``first`` places and the first one's message (``e.g. …``), in first-seen order. With
    ``limit``, at most that many lines: the last then counts the groups left out, by code."""
    groups: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.file, p.code.value or p.message), []).append(p)
    lines = []
    for (file, _), items in groups.items():
        if len(items) == 1:
            lines.append(str(items[0]))
            continue
        places = [place("", p.sheet, p.cell) for p in items[:first]]
        more = ", …" if len(items) > first else ""
        head = f"{file}: " if file else ""
        code = items[0].code.value or "note"
        lines.append(f"{head}{len(items)} × {code} ({'; '.join(places)}{more}), e.g. {items[0].message}")
    if limit is None or len(lines) <= limit:
        return lines
    rest = list(groups.values())[limit - 1 :]
    codes = ", ".join(dict.fromkeys(items[0].code.value or "note" for items in rest))
    count = sum(len(items) for items in rest)
    return [*lines[: limit - 1], f"{count} more of {len(rest)} kinds ({codes}); --all-warnings lists them"]
