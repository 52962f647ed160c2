"""Forms -> text outputs: the data contract as JSON or YAML, and a flat CSV of indicators.

The CSV is one table per template: one row per indicator, the form's identity (项目名称),
the template's indicator columns, then the form's other values (repeated on each of its rows;
one row with blank indicator cells for a form without indicators), so it reads back whole.
Forms of one template give that table alone; forms of several give a section per template,
each after a line ``# template: NAME`` and separated by a blank line (``read`` reads either
back: ``reading/table.py``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from . import formulas
from .errors import InputError
from .i18n import _
from .model import Form, dump_forms
from .reading.table import SECTION, header, value_paths
from .safety import write_text_atomic

OUTPUT_FORMATS = ("json", "yaml", "csv")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Defuse spreadsheet formula injection: a cell starting with = + - @ tab or CR gets a ``'``."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cell(value: str | int | float | None) -> str:
    """A CSV cell: formula-like texts defused, and a text starting with ``'`` quoted too, so the
    one quote reading takes off is always the one put on; numbers exactly (``repr``)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith("'") else safe_cell(value)
    return repr(value)


def forms_to_csv(forms: Iterable[Form]) -> str:
    """One row per indicator: 项目名称 then the indicator columns, a table per template (in the
    order templates first appear); UTF-8 with BOM for Excel."""
    groups: dict[str, list[Form]] = {}
    for form in forms:
        groups.setdefault(form.template, []).append(form)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for n, group in enumerate(groups.values()):
        spec = group[0].spec
        if len(groups) > 1:
            if n:
                writer.writerow([])
            writer.writerow([f"{SECTION} {spec.name}"])
        writer.writerow(header(spec))
        keys = [c.key for c in spec.indicators.columns]
        paths = value_paths(spec)
        for form in group:
            values = [_cell(formulas.get(form.data, p)) for p in paths]
            for row in form.indicators or [dict.fromkeys(keys)]:
                writer.writerow([_cell(form.name), *(_cell(row[k]) for k in keys), *values])
    return "\ufeff" + buf.getvalue()


def format_forms(forms: list[Form], fmt: str) -> str:
    if fmt == "csv":
        return forms_to_csv(forms)
    if fmt in ("json", "yaml"):
        return dump_forms(forms, fmt)
    raise InputError(
        _("unknown format '{format}'; use {choices}").format(format=fmt, choices=", ".join(OUTPUT_FORMATS))
    )


def format_from_path(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    fmt = {"yml": "yaml"}.get(suffix, suffix)
    if fmt not in OUTPUT_FORMATS:
        raise InputError(
            _("cannot tell the output format from '{name}'; use .json, .yaml or .csv, or give --format").format(
                name=Path(path).name
            )
        )
    return fmt


def write_forms(forms: list[Form], path: str | Path, fmt: str | None = None, inputs: Iterable[str] = ()) -> None:
    """Write ``forms`` to ``path`` whole or not at all (format from ``fmt`` or the file name)."""
    text = format_forms(forms, fmt or format_from_path(path))
    write_text_atomic(path, text, inputs)
