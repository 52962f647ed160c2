"""sheetsync: the 项目支出预算绩效目标表 as exact data.

    >>> import sheetsync
    >>> forms = sheetsync.read("forms.xlsx")          # list[Form]
    >>> sheetsync.render(forms, "canonical.xlsx")     # one sheet per form

Public API (imported lazily so the command starts fast):

- :func:`render`, :func:`read`, :func:`read_file` (forms plus the reader's guesses),
  :func:`diff`, :func:`diff_files` (a :class:`Diff` of :class:`Change` records),
  :func:`merge` (a :class:`MergeResult`: merged forms and :class:`Conflict` records),
  :func:`render_files`, :func:`write_forms`, :func:`format_forms`, :func:`example_forms`
- :class:`Form`, :func:`load_forms`, :func:`parse_forms`, :func:`dump_forms` (the data contract)
- :class:`Templates` (the templates of a run), :func:`get_spec`, :class:`Spec` (template specs)
- :class:`Result` (forms, guesses, errors), :class:`Problem` and :class:`Code` (guesses, notes
  and failures as values), :class:`SheetsyncError` and its subclasses
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "render": "rendering",
    "read": "reading.files",
    "read_file": "reading.files",
    "ReadResult": "result",
    "Result": "result",
    "render_files": "api",
    "example_forms": "api",
    "RenderResult": "result",
    "diff": "api",
    "diff_files": "api",
    "DiffResult": "api",
    "merge": "api",
    "MergeResult": "merging",
    "Conflict": "merging",
    "Diff": "diffing",
    "Change": "diffing",
    "write_forms": "export",
    "format_forms": "export",
    "Form": "model",
    "load_forms": "model",
    "parse_forms": "model",
    "dump_forms": "model",
    "get_spec": "catalog",
    "Templates": "catalog",
    "Spec": "spec",
    "SheetsyncError": "errors",
    "DataError": "errors",
    "InputError": "errors",
    "FormatError": "errors",
    "OutputError": "errors",
    "SpecError": "errors",
    "StrictError": "errors",
    "Guess": "errors",
    "Problem": "errors",
    "Code": "errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sheetsync' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
