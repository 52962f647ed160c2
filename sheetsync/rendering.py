"""Forms -> a canonical workbook, cell by cell as the Layout puts them (with workbook.py, the only xlsxwriter user).

Every form becomes one sheet that looks like the official table: merged label cells,
thin borders, a CJK font, wrapped text with row heights to match, A4 one page wide with
the indicator header repeated, dropdowns offering the framework's level names. Every
text is written as text (never a formula, link or number); amounts are numbers.
The same input gives a byte-identical file.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from . import formulas
from .catalog import Templates, packaged, resolve
from .errors import Code, DataError, Guess, InputError, OutputError
from .i18n import _
from .layout import Layout, sheet_rows, title_font_size
from .measure import ROW_HEIGHT, row_heights
from .model import Form, carry_over, form_of, normal_form_issues
from .pages import MARGINS, page_breaks
from .safety import write_atomic
from .spec import PROPERTY_TEMPLATE, PROPERTY_VERSION, Span, Spec
from .workbook import ReportSummary, _exact_escapes, _Workbook, _write_summary, sheet_names

BLANK_TITLE = "____年{title}"  # a blank form's title, to complete with the year
# Fixed document dates make the output byte-for-byte reproducible.
FIXED_DATE = datetime(2024, 1, 1)
MARK_COLOUR = "#FFE699"  # changed cells in the diff report

SHEET_ROWS = 1_048_576  # rows in a sheet (xlsx)


class _Sheet:
    """One worksheet being written: cells, merges and the row heights they need.

    ``marks`` maps (row, col) to a note: such a cell is highlighted and carries the note as
    a comment (the diff report marks changed values this way).
    """

    def __init__(self, ws: Any, spec: Spec, fmt: dict[str, Any], marks: dict[tuple[int, int], str] | None = None):
        self.ws, self.spec, self.fmt = ws, spec, fmt
        self.marks = marks or {}
        self.heights: dict[int, float] = {}

    def _format(self, row: int, col: int, name: str) -> Any:
        note = self.marks.get((row, col))
        if note is None:
            return self.fmt[name]
        self.ws.write_comment(row, col, note, {"x_scale": 2, "y_scale": 1.5, "font_name": self.spec.font[0]})
        return self.fmt.get(name + "_mark", self.fmt[name])

    def text(self, row: int, span: Span, value: str, fmt: str, last_row: int | None = None, grow: bool = True) -> None:
        first = span.first
        f = self._format(row, first, fmt) if self.marks else self.fmt[fmt]
        down = last_row is not None and last_row > row
        if down or span.last > first:
            self.ws.merge_range(row, first, last_row if down else row, span.last, "", f)
        # write_string always: "=1+1", "001" and URLs stay text
        self.ws.write_string(row, first, value, f)

    def number(self, row: int, span: Span, value: float | None, fmt: str, formula: str | None = None) -> None:
        """A number (blank for None); with ``formula``, the formula with ``value`` as its result."""
        f = self._format(row, span.first, fmt)
        if span.width > 1:
            self.ws.merge_range(row, span.first, row, span.last, "", f)
        if formula is not None:
            self.ws.write_formula(row, span.first, formula, f, "" if value is None else value)
        elif value is None:
            self.ws.write_blank(row, span.first, None, f)
        else:
            self.ws.write_number(row, span.first, value, f)


def _number_formats(spec: Spec) -> set[str]:
    out = {b.column(k).number_format for b in spec.amounts for k, _unused in b.columns}
    out |= {c.number.number_format for c in spec.indicators.columns if c.number}
    out |= {cell.number_format for b in spec.totals for cell in b.cells}
    return out


def _formats(wb: Any, spec: Spec) -> dict[str, Any]:
    """The cell formats, each also in a highlighted variant (``name_mark``) for the diff report.
    Numbers are ``number:<format>``, one per number format the spec uses."""
    font, size = spec.font
    base = {"font_name": font, "font_size": size, "valign": "vcenter", "border": 1, "text_wrap": True}
    title_size = title_font_size(spec)
    styles = {
        "label": {**base, "align": "center"},
        "head": {**base, "align": "center", "bold": True},
        "text": {**base, "align": "left", "indent": 1, "num_format": "@"},
        "center": {**base, "align": "center", "num_format": "@"},
    }
    for number_format in sorted(_number_formats(spec)):
        styles[f"number:{number_format}"] = {**base, "align": "right", "indent": 1, "num_format": number_format}
    out = {
        "title": wb.add_format(
            {"font_name": font, "bold": True, "align": "center", "valign": "vcenter", "font_size": title_size}
        ),
        "note": wb.add_format({"font_name": font, "font_size": size, "align": "left", "valign": "vcenter"}),
    }
    for name, props in styles.items():
        out[name] = wb.add_format(props)
        out[name + "_mark"] = wb.add_format({**props, "bg_color": MARK_COLOUR})
    return out


def _write_cells(sheet: _Sheet, layout: Layout, data: dict[str, Any], results: dict[tuple, Any]) -> None:
    """Every cell of the layout, in its order, with the form's values (computed ones as their
    formula gives them)."""
    fmt, ws = sheet.fmt, sheet.ws
    for cell in layout.writes:
        if cell.kind == "blank":
            ws.write_blank(cell.row, cell.span.first, None, fmt[cell.style])
            continue
        path = cell.path
        if path is None:
            value = cell.text
        elif cell.formula is not None:
            value = results[path]
        else:
            value = formulas.get(data, path)
        if cell.kind == "number":
            sheet.number(cell.row, cell.span, value, cell.style, cell.formula)
        else:
            sheet.text(cell.row, cell.span, value, cell.style, cell.last_row, cell.grow)


def _write_form(
    wb: Any,
    spec: Spec,
    form: Form,
    name: str,
    fmt: dict[str, Any],
    marks: dict[tuple[int, int], str] | None = None,
    blank: bool = False,
) -> None:
    ws = wb.add_worksheet(name)
    sheet = _Sheet(ws, spec, fmt, marks)
    for i, width in enumerate(spec.widths):
        ws.set_column(i, i, width)
    layout = Layout.of(spec, form.indicators, blank=blank)
    _write_cells(sheet, layout, form.data, dict(formulas.computed(spec, form.data)))
    fw = spec.framework
    for v in layout.validations:
        ws.data_validation(
            v.first_row,
            v.col,
            v.last_row,
            v.col,
            {
                "validate": "list",
                "source": list(fw.levels) if v.level == 1 else list(fw.level2),
                "error_type": "warning",
                "ignore_blank": True,
                "error_title": v.title,
                "error_message": f"不在指标框架中的{v.title}。仍要使用请点“是”。",
            },
        )
    sheet.heights = row_heights(spec, form, blank=blank, layout=layout)
    _print_setup(sheet, layout, form.name)


def _print_setup(sheet: _Sheet, layout: Layout, name: str) -> None:
    """A4 one page wide, the indicator header repeated, pages broken between groups, and
    the project's name at the top of every page."""
    ws, spec = sheet.ws, sheet.spec
    ws.repeat_rows(layout.header, layout.header)
    ws.set_default_row(ROW_HEIGHT)
    for r, h in sorted(sheet.heights.items()):
        if h > ROW_HEIGHT:
            ws.set_row(r, h)
    ws.set_paper({"A4": 9, "A3": 8, "LETTER": 1}.get(spec.paper.upper(), 9))
    if spec.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(**MARGINS)
    breaks = page_breaks(layout, sheet.heights, ROW_HEIGHT)
    if breaks:
        ws.set_h_pagebreaks(breaks)
        font = spec.font[0].replace('"', "")
        ws.set_header(f'&L&"{font}"&9{name.replace("&", "&&")}', {"margin": 0.3})
    ws.print_area(0, 0, layout.last_row, spec.ncols - 1)


def _own_spec(forms: Iterable[Form | dict[str, Any]], templates: Templates) -> tuple[list[Form], Spec]:
    """Forms in their own template (dicts by their keys), which they must share."""
    forms = [f if isinstance(f, Form) else form_of(f, None, f"[{i}]", templates=templates) for i, f in enumerate(forms)]
    found = sorted({f.template for f in forms})
    if len(found) > 1:
        raise InputError(
            _("the inputs hold forms of {templates}; render each with its --template").format(
                templates=" and ".join(found)
            )
        )
    return forms, forms[0].spec if forms else templates.default


def _checked(forms: Iterable[Form | dict[str, Any]], spec: Spec, path: str | Path) -> list[Form]:
    """Forms of ``spec``: dicts validated, forms of the template it carries over from started
    anew (a 自评表 from a 绩效目标表), forms of any other template refused."""
    checked = []
    for i, f in enumerate(forms):
        _fits_a_sheet(spec, f, i)
        if not isinstance(f, Form):
            checked.append(form_of(f, spec, where=f"[{i}]"))
        elif f.template == spec.name:
            checked.append(f)
        elif spec.carry_over and spec.carry_over.source == f.template:
            checked.append(carry_over(f, spec))
        else:
            raise DataError(
                _("is a form of {template}, not of {name}; render it with that template").format(
                    template=f.template, name=spec.name
                ),
                where=f"[{i}]",
            )
    if not checked:
        raise OutputError(_("there are no forms to render"), file=str(path))
    return checked


def _fits_a_sheet(spec: Spec, form: Form | dict[str, Any], i: int) -> None:
    """Refuse, before any work, a form with more rows than a sheet holds."""
    rows = (
        form.indicators if isinstance(form, Form) else form.get(spec.indicators.key) if isinstance(form, dict) else None
    )
    if not isinstance(rows, list):
        return  # validation says what is wrong
    needed = sheet_rows(spec, len(rows))
    if needed > SHEET_ROWS:
        name = form.name if isinstance(form, Form) else form.get(spec.identity, "")
        raise DataError(
            _(
                "the form needs {needed:,} rows with its {count:,} indicators, more than a sheet holds "
                "({limit:,}); split it into several forms"
            ).format(needed=needed, count=len(rows), limit=SHEET_ROWS),
            where=_("form {number} ({name})").format(number=i + 1, name=name),
        )


def _write_book(
    path: str | Path,
    spec: Spec,
    forms: list[Form],
    inputs: Iterable[str | Path],
    marks: list[dict[tuple[int, int], str]] | None = None,
    summary: ReportSummary | None = None,
    blank: bool = False,
    names: list[str] | None = None,
) -> None:
    names = names or sheet_names(f.name for f in forms)

    def write(tmp: Path) -> None:
        # the package is built in memory and written to the file in one plain write, so a
        # full disk is one OSError, never a half-closed zip complaining as it is collected
        buf = io.BytesIO()
        wb = _Workbook(
            buf,
            {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        wb.set_properties({"created": FIXED_DATE, "title": spec.title, "comments": "Rendered by sheetsync"})
        if all(f.template == spec.name for f in forms):  # a book of several templates names none
            wb.set_custom_property(PROPERTY_TEMPLATE, spec.name)
            wb.set_custom_property(PROPERTY_VERSION, spec.version)
        fmts = {spec.name: _formats(wb, spec)}
        if summary is not None:
            _write_summary(wb, summary, names, fmts[spec.name])
        for i, (form, name) in enumerate(zip(forms, names, strict=True)):
            fmt = fmts.get(form.template) or fmts.setdefault(form.template, _formats(wb, form.spec))
            _write_form(wb, form.spec, form, name, fmt, marks[i] if marks else None, blank)
        with _exact_escapes():
            wb.close()
        with zipfile.ZipFile(buf) as z:
            if z.testzip() is not None:
                raise OutputError(_("the written workbook failed its check"), file=str(path))
        with open(tmp, "wb") as fh:
            fh.write(buf.getbuffer())

    write_atomic(path, write, inputs, suffix=".xlsx")


def render(
    forms: Form | dict[str, Any] | Iterable[Form | dict[str, Any]],
    path: str | Path,
    *,
    template: str | None = None,
    inputs: Iterable[str | Path] = (),
    templates: Templates | None = None,
) -> list[Guess]:
    """Write ``forms`` to ``path`` as one canonical workbook, one sheet per form, in order.

    ``forms`` is one form or several; plain dicts are validated against the contract first.
    The file is written whole or not at all. Returns notes for texts that reading will give back
    in normal form (trimmed, half-width digits in 指标值), so a caller knows the round trip is
    not exact for them.
    Without ``template``, the forms' own (they must share one; dicts are of the template among
    ``templates`` whose contract they have).
    """
    templates = resolve(templates)
    if isinstance(forms, dict | Form):
        forms = [forms]
    if template:
        spec = templates.get(template)
    else:
        forms, spec = _own_spec(forms, templates)
    checked = _checked(forms, spec, path)
    names = sheet_names(f.name for f in checked)
    notes = [
        Guess(
            _("{path}: {value!r} will read back as {normal!r}").format(path=p, value=v, normal=n),
            file=str(path),
            sheet=name,
            code=Code.NOT_NORMAL,
        )
        for f, name in zip(checked, names, strict=True)
        for p, v, n in normal_form_issues(f)
    ]
    _write_book(path, spec, checked, inputs, names=names)
    return notes


def render_report(
    forms: Iterable[Form],
    marks: list[dict[tuple[int, int], str]],
    summary: ReportSummary,
    path: str | Path,
    *,
    inputs: Iterable[str | Path] = (),
) -> None:
    """A report workbook: a summary sheet, then ``forms`` with their marked cells.

    ``summary`` is the first sheet (see :class:`ReportSummary`); ``marks[i]`` maps (row, col)
    to the note on a cell of ``forms[i]``.
    """
    forms = list(forms)
    spec = forms[0].spec if forms else packaged().default
    _write_book(path, spec, forms, inputs, marks, summary)


def blank_form(spec: Spec, rows: int) -> Form:
    """The form a blank workbook shows: a title to complete, every other value empty, ``rows``
    empty indicator rows."""
    data: dict[str, Any] = dict.fromkeys(spec.text_keys, "")
    title = next((c.path for c in Layout(spec, 0).writes if c.style == "title" and c.path), None)
    if title:  # a title to complete with the year
        data[title[0]] = BLANK_TITLE.format(title=spec.title)
    for block in spec.amounts:
        data[block.key] = {rk: {ck: None for ck, _ in block.columns} for rk, _ in block.row_labels}
    data[spec.indicators.key] = [
        {c.key: None if c.number else "" for c in spec.indicators.columns} for _ in range(rows)
    ]
    return Form.from_dict({k: data[k] for k in spec.keys if k in data}, spec=spec)


def render_blank(
    path: str | Path, *, template: str | None = None, rows: int = 20, templates: Templates | None = None
) -> None:
    """An empty, fillable workbook: every label, bordered empty value cells, ``rows`` indicator
    rows with the level dropdowns and nothing merged, so colleagues fill it and ``read`` reads it."""
    spec = resolve(templates).get(template)
    _write_book(path, spec, [blank_form(spec, rows)], (), blank=True)
