"""Checking forms against the indicator framework and against themselves.

Each rule (``rules.py``) is a small function that yields :class:`Finding` objects: what is wrong, where
(file, sheet, cell, or the data path for data files), how serious, and what to do. Some
problems are visible only in how a form was laid out (a missing 一级 label, a 二级 label in
the 一级 column): those come from the reader's guesses, by their codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .catalog import Templates
from .errors import Code, Guess, Problem
from .i18n import N_, _
from .model import Form
from .rules import RULES, SEVERITIES, Context, Finding
from .spec import Framework, Spec
from .specfile import load_framework

__all__ = ["RULES", "SEVERITIES", "Finding", "check", "check_forms", "unreadable"]


# what the reader saw in the layout that is a problem of the form itself
_MISSING_LEVEL = ("warning", "missing_level", N_("add the missing 一级 label above its group"))
_GUESS_RULES = {
    Code.LEVEL1_MISSING: _MISSING_LEVEL,
    Code.LEVEL1_CORRECTED: _MISSING_LEVEL,
    Code.NO_LEVEL: ("warning", "missing_level", "add the missing 一级 and 二级 labels"),
    Code.REPEATED_TEXT: ("warning", "repeated_text", N_("clear the text from the cell where it does not belong")),
    Code.UNKNOWN_LEVEL: ("warning", "level_pair", N_("use a level name from the indicator framework")),
    Code.NOT_COMPUTED: (
        "warning",
        "not_computed",
        N_("open and save the file in a spreadsheet so formulas are computed"),
    ),
}


def _from_guesses(guesses: Iterable[Guess], forms_by_sheet: dict[tuple[str, str], Form]) -> Iterator[Finding]:
    for g in guesses:
        rule = _GUESS_RULES.get(g.code)
        if rule is None:
            continue
        severity, name, fix = rule
        form = forms_by_sheet.get((g.file, g.sheet))
        message = g.message
        if g.code == Code.LEVEL1_MISSING:
            message = _("no 一级 label above its 二级; {message}").format(message=message)
        elif g.code == Code.LEVEL1_CORRECTED:
            message = _("a 一级 label is missing: {message}").format(message=message)
        yield Finding(severity, name, message, _(fix), g.file, g.sheet, g.cell, form.name if form else "")


def _same_goals(forms: list[Form], spec: Spec) -> Iterator[Finding]:
    goal_key = next((k for k in spec.text_keys if "目标" in k), None)
    if goal_key is None:
        return
    first: dict[str, Form] = {}
    for form in forms:
        text = form[goal_key].strip()
        if not text:
            continue
        if text in first:
            c = Context(form, spec, spec.framework)
            yield c.find(
                "warning",
                "same_goal",
                _("{goal_key} is word for word that of {name!r}").format(goal_key=goal_key, name=first[text].name),
                _("write this project's own goal"),
                goal_key,
            )
        else:
            first[text] = form


def check_forms(
    forms: list[Form], guesses: Iterable[Guess] = (), *, framework: Framework | None = None
) -> list[Finding]:
    """Every finding for ``forms`` (and the reader's ``guesses`` about them), in form order.

    Each form is checked by its own template and that template's framework (``framework``
    replaces every template's); the same goal text is looked for among forms of one template."""
    out: list[Finding] = []
    by_sheet = {(f.origin.file, f.origin.sheet): f for f in forms}
    layout = list(_from_guesses(guesses, by_sheet))
    by_template: dict[str, list[Form]] = {}
    for form in forms:
        by_template.setdefault(form.template, []).append(form)
        c = Context(form, form.spec, framework or form.spec.framework)
        out.extend(g for g in layout if g.form == form.name and g.sheet == form.origin.sheet)
        for rule in RULES:
            out.extend(rule(c))
    for group in by_template.values():
        out.extend(_same_goals(group, group[0].spec))
    return out


def _natural(text: str) -> tuple:
    """``表2`` before ``表10``, ``line 9`` before ``line 10``, ``E9`` before ``E10``: numbers by value."""
    a1 = re.fullmatch(r"([A-Z]{1,3})(\d+)", text)
    if a1:  # a cell: by row, then column
        column = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(a1[1])))
        return ((0, int(a1[2])), (0, column))
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", text) if p)


def in_order(findings: Iterable[Finding]) -> list[Finding]:
    """Findings sorted by file, sheet and cell (numbers by value); one place keeps the rules' order."""
    return sorted(findings, key=lambda f: (_natural(f.file), _natural(f.sheet), _natural(f.cell)))


def unreadable(problem: Problem) -> Finding:
    """A file that could not be read, as a finding."""
    return Finding(
        "error",
        "unreadable",
        problem.message,
        _("fix or re-save the file; it was skipped"),
        problem.file,
        "",
        problem.cell,
    )


def check(
    paths: Iterable[str | Path],
    *,
    framework: str | Path | None = None,
    template: str | None = None,
    limits: dict[str, int] | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    templates: Templates | None = None,
) -> list[Finding]:
    """Read each file (any input ``read`` takes; folders too) and check its forms; the findings
    sorted by file, sheet and cell.

    A single file that cannot be read raises its error. With several files or a folder, a
    file that cannot be read becomes an ``unreadable`` finding and the others are checked.
    """
    from .batch import read_paths

    fw = load_framework(Path(framework), str(framework)) if framework else None
    batch = read_paths(paths, jobs=jobs, template=template, limits=limits, progress=progress, templates=templates)
    return in_order([unreadable(e) for e in batch.errors] + check_forms(batch.forms, batch.guesses, framework=fw))
