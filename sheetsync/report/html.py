"""A Diff as one self-contained HTML page: the summary, then each changed form as its table,
changed cells marked with their old values beside the new ones. No script, no network, no
file besides the page; it prints on A4, the summary landscape, each form on a new portrait page.

The forms are drawn from the same :class:`~sheetsync.layout.Layout` that ``render`` writes,
so a cell sits where it sits in the workbook (the summary names it: E11)."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import formulas
from ..layout import Layout
from ..model import Form
from ..reading.grid import cell_name
from ..safety import write_text_atomic
from . import words
from .marks import SUMMARY_WIDTHS, Marks, SummaryRow, mark_changes

if TYPE_CHECKING:
    from ..diffing import Diff

MARK_COLOUR = "#FFE699"  # as the xlsx report fills a changed cell

STYLE = """
@page { size: A4 landscape; margin: 12mm; }
@page form { size: A4 portrait; margin: 12mm; }
body { font-family: "SimSun", "宋体", "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 10pt;
       color: #000; background: #fff; margin: 16px; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 8px; }
h2 { font-size: 13pt; margin: 0 0 6px; }
p { margin: 2px 0; }
table { border-collapse: collapse; margin-top: 8px; }
th, td { border: 1px solid #000; padding: 2px 4px; vertical-align: middle; word-break: break-all; }
th { background: #f2f2f2; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.summary { width: 100%; table-layout: fixed; }
table.form { table-layout: fixed; width: 100%; }
td.title { border: none; font-size: 16pt; font-weight: bold; text-align: center; height: 36px; }
td.label, td.center, td.head { text-align: center; }
td.head { font-weight: bold; }
td.number { text-align: right; }
td.mark { background: MARK; }
.old { display: block; font-size: 8pt; color: #7a4a00; }
section.form { page: form; break-before: page; page-break-before: always; margin-top: 24px; }
a { color: inherit; }
@media print { body { margin: 0; } a { text-decoration: none; } }
"""


def _cells_html(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _value(cell: Any, form: Form, results: dict) -> str:
    """The text a cell shows: a label, a value, a number in its format, a formula's result."""
    if cell.kind == "blank":
        return ""
    if cell.path is None:
        return cell.text
    value = results.get(cell.path) if cell.formula is not None else formulas.get(form.data, cell.path)
    if cell.kind == "number":
        return "" if value is None or value == "" else words.shown(value, cell.style.partition(":")[2])
    return value


def form_table(form: Form, marks: dict[tuple[int, int], str], anchor: str) -> str:
    """One form as a table, laid out as its sheet; marked cells filled, with their notes."""
    spec = form.spec
    layout = Layout.of(spec, form.indicators)
    results = dict(formulas.computed(spec, form.data))
    starts: dict[tuple[int, int], Any] = {}
    covered: set[tuple[int, int]] = set()
    for cell in layout.writes:
        last_row = cell.last_row if cell.last_row is not None and cell.last_row > cell.row else cell.row
        starts[cell.row, cell.span.first] = cell
        for r in range(cell.row, last_row + 1):
            for c in range(cell.span.first, cell.span.last + 1):
                if (r, c) != (cell.row, cell.span.first):
                    covered.add((r, c))
    total = sum(spec.widths)
    cols = "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in spec.widths)
    out = [f'<table class="form" style="max-width:{round(total * 7.5)}px"><colgroup>{cols}</colgroup>']
    for r in range(layout.last_row + 1):
        out.append("<tr>")
        for c in range(spec.ncols):
            if (r, c) in covered:
                continue
            cell = starts.get((r, c))
            if cell is None:
                out.append("<td></td>")
                continue
            style = "number" if cell.kind == "number" else cell.style
            classes, attrs = [style], ""
            rows = (cell.last_row or cell.row) - cell.row + 1
            if rows > 1:
                attrs += f' rowspan="{rows}"'
            if cell.span.width > 1:
                attrs += f' colspan="{cell.span.width}"'
            body = _cells_html(_value(cell, form, results))
            note = marks.get((r, c))
            if note is not None:
                classes.append("mark")
                attrs += f' id="{anchor}-{cell_name(r, c)}"'
                body += f'<span class="old">{_cells_html(note)}</span>'
            out.append(f'<td class="{" ".join(classes)}"{attrs}>{body}</td>')
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def _summary_table(rows: list[SummaryRow]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in words.SUMMARY_HEADER)
    total = sum(SUMMARY_WIDTHS)
    cols = "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in SUMMARY_WIDTHS)
    out = [f'<table class="summary"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>']
    for row in rows:
        tds = []
        for i, text in enumerate(row.texts):
            body = _cells_html(text)
            if i == words.LINK_COLUMN and row.form is not None and row.cell is not None:
                body = f'<a href="#f{row.form}-{cell_name(*row.cell)}" title="{escape(words.LINK_TIP)}">{body}</a>'
            tds.append(f"<td>{body}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def html_page(d: Diff, new_forms: list[Form], marks: Marks, rows: list[SummaryRow]) -> str:
    """The whole page, as text."""
    notes = [*words.source_lines(d.old, d.new), words.count_line(d.changes)]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(words.REPORT_TITLE)}</title>",
        f"<style>{STYLE.replace('MARK', MARK_COLOUR)}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(words.REPORT_TITLE)}</h1>",
        *(f"<p>{escape(n)}</p>" for n in notes),
        _summary_table(rows),
    ]
    counts: dict[int, int] = {}
    for row in rows:
        if row.form is not None:
            counts[row.form] = counts.get(row.form, 0) + 1
    for fi, form in enumerate(new_forms):
        if not marks[fi]:
            continue
        title = words.FORM_SECTION.format(form=form.name, n=counts.get(fi, 0))
        parts += [
            f'<section class="form" id="f{fi}">',
            f"<h2>{escape(title)}</h2>",
            f"<p>{escape(words.MARK_LEGEND)}</p>",
            form_table(form, marks[fi], f"f{fi}"),
            "</section>",
        ]
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def diff_html(d: Diff, new_forms: list[Form], path: str | Path, *, inputs=()) -> None:
    """Write the HTML report of ``d`` (a diff whose NEW is ``new_forms``) to ``path``."""
    marks, rows = mark_changes(d, new_forms)
    write_text_atomic(path, html_page(d, new_forms, marks, rows), inputs)
