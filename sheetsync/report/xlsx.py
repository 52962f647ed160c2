"""A Diff as an xlsx report: a summary sheet listing every change with a link to its cell,
then NEW's forms with every changed cell marked (its old value in a comment).

The report says what to show (:mod:`.marks`, :mod:`.words`); the workbook is written by
:func:`sheetsync.rendering.render_report`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Form
from ..reading.grid import cell_name
from . import words
from .marks import SUMMARY_WIDTHS, form_cell, mark_changes

__all__ = ["diff_xlsx", "form_cell"]  # form_cell: the merge's conflict report finds its cells so

if TYPE_CHECKING:
    from ..diffing import Diff


def diff_xlsx(d: Diff, new_forms: list[Form], path: str | Path, *, inputs=()) -> None:
    """Write the xlsx report of ``d`` (a diff whose NEW is ``new_forms``) to ``path``."""
    from ..rendering import ReportSummary, render_report

    marks, rows = mark_changes(d, new_forms)
    summary = ReportSummary(
        words.REPORT_TITLE,
        words.SUMMARY_SHEET,
        [*words.source_lines(d.old, d.new), words.count_line(d.changes)],
        tuple(zip(words.SUMMARY_HEADER, SUMMARY_WIDTHS, strict=True)),
        [[r.form, cell_name(*r.cell) if r.cell else None, *r.texts] for r in rows],
        words.LINK_COLUMN,
        words.LINK_TIP,
    )
    render_report(new_forms, marks, summary, path, inputs=inputs)
