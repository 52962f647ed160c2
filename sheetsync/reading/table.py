"""Reading back the CSV that ``read --format csv`` writes: a table of indicators per template.

The table has one row per indicator: the form's identity (项目名称) then the template's
indicator columns. Forms of several templates are written as sections, each after a line
``# template: NAME`` and separated by a blank line. Only the identity and the indicators are
in the table, so the other values of a form read back blank (said once per file).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..catalog import Templates
from ..errors import Code, DataError, FormatError, Guess
from ..model import Form, Origin
from ..spec import Spec
from .text import read_rows

SECTION = "# template:"
_INTEGER = re.compile(r"[+-]?\d+")


def header(spec: Spec) -> list[str]:
    """The table's header row for forms of ``spec``."""
    return [spec.identity, *(c.key for c in spec.indicators.columns)]


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
    if given is not None:
        return given if head == header(given) else None
    if name is not None:
        return templates.get(name)
    return next((s for s in templates.specs() if head == header(s)), None)


def _value(text: str, number: bool, where: str, file: str) -> Any:
    if not number:  # CSV output quotes a text starting with = + - @ tab CR or ' (one ')
        return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r", "'") else text
    text = text.strip()
    if not text:
        return None
    try:
        return int(text) if _INTEGER.fullmatch(text) else float(text)
    except ValueError:
        raise DataError(f"{text!r} is not a number", file=file, where=where) from None


def _form(spec: Spec, name: str, rows: list[tuple[int, list[str]]], file: str) -> Form:
    data: dict[str, Any] = dict.fromkeys(spec.text_keys, "")
    data[spec.identity] = name
    for block in spec.amounts:
        data[block.key] = {rk: dict.fromkeys(block.inputs) for rk, _ in block.row_labels}
    columns = spec.indicators.columns
    data[spec.indicators.key] = [
        {
            c.key: _value(row[i + 1] if i + 1 < len(row) else "", c.number is not None, f"line {line}", file)
            for i, c in enumerate(columns)
        }
        for line, row in rows
    ]
    form = Form.from_dict({k: data[k] for k in spec.keys if k in data}, spec=spec, file=file)
    cells = {spec.identity: f"line {rows[0][0]} column 1"} if rows else {}
    for i, (line, _) in enumerate(rows):
        cells.update(
            {f"{spec.indicators.key}[{i}].{c.key}": f"line {line} column {n + 2}" for n, c in enumerate(columns)}
        )
    form.origin = Origin(file, "", cells)
    return form


def indicator_table(
    path: str | Path, templates: Templates, spec: Spec | None = None
) -> tuple[list[Form], Guess] | None:
    """The forms of a CSV table of indicators, with the note that says what it lacks; None when
    the file is not such a table (then it is read as a text grid)."""
    sections = _sections(read_rows(path))
    if not sections or (sections[0][0] is None and _spec_of(None, sections[0][2], templates, spec) is None):
        return None
    file, forms = str(path), []
    for name, line, head, rows in sections:
        found = _spec_of(name, head, templates, spec)
        if found is None:
            raise FormatError(
                f"the header is not that of a table of {name or 'indicators'}", file=file, where=f"line {line}"
            )
        groups: list[tuple[str, list]] = []
        for line_no, row in rows:
            key = _value(row[0], False, "", file)
            if not groups or groups[-1][0] != key:
                groups.append((key, []))
            groups[-1][1].append((line_no, row))
        forms.extend(_form(found, key, group, file) for key, group in groups)
    identities = "/".join(sorted({f.spec.identity for f in forms}))
    note = Guess(
        f"a table of indicators: only {identities} and the indicators are read; the other values are blank",
        file,
        code=Code.INDICATOR_TABLE,
    )
    return forms, note
