"""The command line before it is parsed: the global options, given before or after the command."""

from __future__ import annotations

import sys

from .i18n import _


def argv_lang(argv: list[str]) -> str | None:
    """The --lang of a command line, looked at before the help texts are made."""
    for i, a in enumerate(argv):
        if a == "--":
            break
        if a == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--lang="):
            return a.split("=", 1)[1]
    return None


GLOBAL_FLAGS = ("--debug", "--version")
GLOBAL_OPTIONS = ("--template-dir", "--lang")  # each takes a value


def hoist(argv: list[str]) -> list[str]:
    """The command line with the global options moved before the command, wherever they were given."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            rest.extend(argv[i:])
            break
        if a in GLOBAL_FLAGS or ("=" in a and a.split("=", 1)[0] in GLOBAL_OPTIONS):
            front.append(a)
        elif a in GLOBAL_OPTIONS and i + 1 < len(argv):
            front.extend(argv[i : i + 2])
            i += 1
        else:
            rest.append(a)
        i += 1
    return front + rest


def limits(max_unpacked_mb: int | None, max_ratio: int | None) -> dict[str, int] | None:
    """The reader's limits from --max-unpacked-mb and --max-ratio (None: the defaults)."""
    limits: dict[str, int] = {}
    if max_unpacked_mb is not None:
        limits["max_total_bytes"] = limits["max_part_bytes"] = max_unpacked_mb * 2**20
    if max_ratio is not None:
        limits["max_ratio"] = max_ratio
    return limits or None


def progress():
    """A progress line on stderr for runs over a second, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None
    import time

    start = time.monotonic()

    def show(done: int, total: int, unit: str = "files") -> None:
        if time.monotonic() - start > 1:
            end = "\n" if done == total else ""
            sys.stderr.write("\r" + _("read {done}/{total} {unit}").format(done=done, total=total, unit=unit) + end)
            sys.stderr.flush()

    return show
