"""Reading back the CSV that ``read --format csv`` writes: a table of indicators per template.

The table has one row per indicator: the form's identity (项目名称), the template's indicator
columns, then every other value of the form (texts, and amounts and totals by their data path,
``项目资金.年度资金总额.含本级``), repeated on each row of the form; a form without indicators
has one row with the indicator cells blank. Consecutive rows with the same identity are one
form. Forms of several templates are written as sections, each after a line
``# template: NAME`` and separated by a blank line. A table with the indicator columns only
(an older output, or one cut down by hand) reads too: the other values are blank, said once
per file. Where a form's rows disagree on a value (edited on one row only), the first row's
value is read and each other one is named.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..catalog import Templates
from ..errors import Code, DataError, FormatError, Guess
from ..i18n import _
from ..model import Form, Origin
from ..spec import Spec
from .text import read_rows

SECTION = "# template:"
_INTEGER = re.compile(r"[+-]?\d+")


def value_paths(spec: Spec) -> list[tuple[str, ...]]:
    """The data paths of a form's values other than its identity and indicators, in form order."""
    amounts = {b.key: b for b in spec.amounts}
    totals = {b.key: b for b in spec.totals}
    out: list[tuple[str, ...]] = []
    for key in spec.keys:
        if key in amounts:
            out += [(key, rk, ck) for rk, _unused in amounts[key].row_labels for ck, _unused in amounts[key].columns]
        elif key in totals:
            out += [(key, cell.key) for cell in totals[key].cells]
        elif key in spec.text_keys and key != spec.identity:
            out.append((key,))
    return out


def indicator_header(spec: Spec) -> list[str]:
    return [spec.identity, *(c.key for c in spec.indicators.columns)]


def header(spec: Spec) -> list[str]:
    """The table's header row for forms of ``spec``: the indicator table, then the other values."""
    return [*indicator_header(spec), *(".".join(p) for p in value_paths(spec))]


def _trimmed(row: list[str]) -> list[str]:
    while row and not row[-1]:
        row = row[:-1]
    return row


def _sections(rows: list[list[str]]) -> list[tuple[str | None, int, list[str], list[tuple[int, list[str]]]]]:
    """(template name or None, header line, header, [(line, row)]) for each section."""
    out: list[Any] = []
    for line, row in enumerate(map(_trimmed, rows), 1):
        if not row:
            continue
        if len(row) == 1 and row[0].startswith(SECTION):
            out.append([row[0].strip()[len(SECTION) :].strip(), line, None, []])
            continue
        if not out:
            out.append([None, line, None, []])
        if out[-1][2] is None:
            out[-1][1], out[-1][2] = line, [c.strip() for c in row]
        else:
            out[-1][3].append((line, row))
    return [tuple(s) for s in out]


def _spec_of(name: str | None, head: list[str] | None, templates: Templates, given: Spec | None) -> Spec | None:
    def fits(spec: Spec) -> bool:
        return head in (header(spec), indicator_header(spec))

    if given is not None:
        return given if fits(given) else None
    if name is not None:
        return templates.get(name)
    return next((s for s in templates.specs() if fits(s)), None)


def _value(text: str, number: bool, where: str, file: str) -> Any:
    if not number:  # CSV output quotes a text starting with = + - @ tab CR or ' (one ')
        return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r", "'") else text
    text = text.strip()
    if not text:
        return None
    try:
        return int(text) if _INTEGER.fullmatch(text) else float(text)
    except ValueError:
        raise DataError(_("{text!r} is not a number").format(text=text), file=file, where=where) from None


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


def _values(spec: Spec, head: list[str], rows: list[tuple[int, list[str]]], file: str, data: dict) -> list[Guess]:
    """The form's other values into ``data``, from its first row; a row that disagrees is named."""
    guesses = []
    for n, path in enumerate(value_paths(spec), len(spec.indicators.columns) + 1):
        number = len(path) > 1
        first = _value(rows[0][1][n], number, f"line {rows[0][0]}, {head[n]}", file)
        _set(data, path, first)
        for line, row in rows[1:]:
            if _value(row[n], number, f"line {line}, {head[n]}", file) != first:
                message = _("{head} differs from the form's first row (line {line}); read as there").format(
                    head=head[n], line=rows[0][0]
                )
                guesses.append(Guess(message, file, cell=f"line {line} column {n + 1}", code=Code.INDICATOR_TABLE))
    return guesses


def _form(spec: Spec, head: list[str], rows: list[tuple[int, list[str]]], file: str) -> tuple[Form, list[Guess]]:
    data: dict[str, Any] = dict.fromkeys(spec.text_keys, "")
    for block in spec.amounts:
        data[block.key] = {rk: dict.fromkeys(block.inputs) for rk, _unused in block.row_labels}
    rows = [(line, [*row, *[""] * (len(head) - len(row))]) for line, row in rows]
    data[spec.identity] = _value(rows[0][1][0], False, "", file)
    columns = spec.indicators.columns
    whole = len(head) > len(columns) + 1
    guesses = _values(spec, head, rows, file, data) if whole else []
    if whole:  # a form without indicators is one row with the indicator cells blank
        rows = [(line, row) for line, row in rows if any(row[1 : len(columns) + 1])]
    data[spec.indicators.key] = [
        {c.key: _value(row[i + 1], c.number is not None, f"line {line}", file) for i, c in enumerate(columns)}
        for line, row in rows
    ]
    form = Form.from_dict({k: data[k] for k in spec.keys if k in data}, spec=spec, file=file)
    cells = {spec.identity: f"line {rows[0][0]} column 1"} if rows else {}
    for i, (line, _row) in enumerate(rows):
        cells.update(
            {f"{spec.indicators.key}[{i}].{c.key}": f"line {line} column {n + 2}" for n, c in enumerate(columns)}
        )
    form.origin = Origin(file, "", cells)
    return form, guesses


def indicator_table(
    path: str | Path, templates: Templates, spec: Spec | None = None
) -> tuple[list[Form], list[Guess]] | None:
    """The forms of a CSV table that ``read --format csv`` writes, with what was guessed (the
    values a table of indicators alone lacks); None when the file is not such a table (then
    it is read as a text grid)."""
    sections = _sections(read_rows(path))
    if not sections or (sections[0][0] is None and _spec_of(None, sections[0][2], templates, spec) is None):
        return None
    file, forms, guesses, partial = str(path), [], [], set()
    for name, line, head, rows in sections:
        found = _spec_of(name, head, templates, spec)
        if found is None or head not in (header(found), indicator_header(found)):
            raise FormatError(
                _("the header is not that of a table of {name}").format(name=name or "indicators"),
                file=file,
                where=f"line {line}",
            )
        if head == indicator_header(found):
            partial.add(found.identity)
        groups: list[tuple[str, list]] = []
        for line_no, row in rows:
            if not groups or groups[-1][0] != row[0]:
                groups.append((row[0], []))
            groups[-1][1].append((line_no, row))
        for _unused, group in groups:
            form, notes = _form(found, head, group, file)
            forms.append(form)
            guesses += notes
    if partial:
        identities = "/".join(sorted(partial))
        message = _(
            "a table of indicators: only {identities} and the indicators are read; the other values are blank"
        ).format(identities=identities)
        guesses.insert(0, Guess(message, file, code=Code.INDICATOR_TABLE))
    return forms, guesses
