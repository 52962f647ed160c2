"""PDF disclosures -> grids: one grid per form, from the ruling lines and the text layer.

Published budget disclosures are PDFs of many forms, each a ruled table under its title.
Each page is read on its own (``pdf_page.read_page``) and dropped, so memory stays flat
however long the file. Tables are then put together into forms:

- the text lines above a table (its title) become rows above it; page numbers, 附件 labels
  and running headers are left out;
- a table at the top of a page with no title above it continues the form of the page
  before, when it has the same outer edges: its repeated header rows are dropped, and a
  merged group label cut by the page break (blank or repeated below the break) becomes one
  merge again;
- text wrapped over lines in a cell is joined, with no space between Chinese characters.

Cells are named by page, row and column (``page 3, row 5 column 2``) in every warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import FormatError, Guess, InputError
from ..i18n import _
from ..safety import input_errors
from ..spec import Spec
from ..values import label_key, number_text
from .grid import Grid, cell_name
from .pdf_stitch import TOL, Fragment, build

if TYPE_CHECKING:  # pypdfium2 loads PDFium: imported only when a PDF is read
    from .pdf_page import Run, Table

PDF_SUFFIXES = (".pdf",)

_FURNITURE = re.compile(
    r"^(?:附件|附表)\s*[\d０-９一二三四五六七八九十]*(?:\s*[-－—.．]\s*[\d０-９]+)*\s*[:：]?$"  # 附件1, 附件3-2
    r"|^[-－—–\s]*第?\s*[\d０-９]+\s*页?\s*(?:[/／共]\s*[\d０-９]+\s*页?)?[-－—–\s]*$"  # 3, - 3 -, 第3页 共9页, 3/9
    r"|^(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?$",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^(?P<num>[-+]?(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.(?P<dec>\d+))?)$")


def _latin(ch: str) -> bool:
    return ch.isascii() and not ch.isspace()


def join_lines(lines: list[str]) -> str:
    """A cell's wrapped lines as one text. A line break is a space only between Latin words
    (ASCII on both sides, a letter on one); within Chinese text, numbers and their punctuation,
    the break was only where the line was full, so the lines join with nothing between."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        a, b = out[-1:], line[0]
        if a and _latin(a) and _latin(b) and (a.isalpha() or b.isalpha()):
            out += " "
        out += line
    return out


def _rows_of(runs: list[Run]) -> list[list[Run]]:
    """Runs grouped into text lines, top to bottom: a run joins the line whose centre is within
    half its height."""
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: r.cy):
        if lines and abs(run.cy - lines[-1][0].cy) < 0.5 * run.height:
            lines[-1].append(run)
        else:
            lines.append([run])
    return lines


def _text(runs: list[Run]) -> str:
    """The text of the runs in one cell: lines top to bottom, runs on a line left to right."""
    lines = _rows_of(runs)
    return join_lines([" ".join(r.text for r in sorted(line, key=lambda r: r.x0)) for line in lines])


def cell_value(text: str) -> tuple[str | int | float, str | None]:
    """A cell's text, or the number it shows with a format that shows it the same way: a PDF
    carries only text, and amounts must read as numbers without a guess. Percents stay text
    (指标值 are texts such as 100%); so do numbers with leading zeros (001) and over 15 digits."""
    m = _NUMBER.match(text)
    if not m or len(re.sub(r"\D", "", m.group("num"))) > 15:
        return text, None
    decimals = len(m.group("dec") or "")
    return number_text(m.group("num").replace(",", "")), "0" + ("." + "0" * decimals if decimals else "")


@dataclass
class _Form:
    fragments: list[Fragment] = field(default_factory=list)


class PdfGrid(Grid):
    """A grid whose cells are named by page, row and column of the PDF."""

    def __init__(self, name: str, source: str) -> None:
        super().__init__(name, source)
        self.places: dict[int, tuple[int, int | None]] = {}  # grid row -> (page, table row or None)

    def where(self, row: int, col: int) -> str:
        page, table_row = self.places.get(row, (0, None))
        if not page:
            return cell_name(row, col)
        if table_row is None:
            return f"page {page}, above the table"
        return f"page {page}, row {table_row + 1} column {col + 1}"


def _lines(runs: list[Run]) -> list[tuple[float, list[tuple[float, str]]]]:
    """Runs outside tables as text lines: (y, [(x, text) pieces left to right])."""
    lines = _rows_of(runs)
    out = []
    for line in lines:
        pieces: list[tuple[float, str]] = []
        for run in sorted(line, key=lambda r: r.x0):
            if run.text:
                pieces.append((run.x0, run.text))
        if pieces:
            out.append((line[0].cy, pieces))
    return out


class _Pages:
    """Page by page: the tables as fragments, with the lines above each one."""

    def __init__(self, titles: set[str]) -> None:
        self.titles = titles
        self.previous_lines: set[tuple[int, str]] = set()
        self.carried: list[list[tuple[float, str]]] = []

    def furniture(self, y: float, pieces: list[tuple[float, str]]) -> bool:
        """A page number, an 附件 label, or a line the page before had at the same height."""
        text = " ".join(t for _, t in pieces)
        if _FURNITURE.match(text.strip()):
            return True
        return (round(y / 4), text) in self.previous_lines and not self._is_title(pieces)

    def fragments(self, number: int, tables: list[Table], outside: list[Run]) -> list[Fragment]:
        lines = _lines(outside)
        kept = [(y, p) for y, p in lines if not self.furniture(y, p)]
        self.previous_lines = {(round(y / 4), " ".join(t for _, t in p)) for y, p in lines}
        out = []
        top = -1.0
        for i, table in enumerate(tables):
            above = [p for y, p in kept if top < y < table.ys[0]]
            if i == 0 and self.carried:
                above = self.carried + above
            frag = Fragment(number, table.xs, len(table.ys) - 1, _regions(table), self._from_title(above), i == 0)
            frag.open_bottom = table.open_bottom
            out.append(frag)
            top = table.ys[-1]
        if out:
            out[-1].last = True
        trailing = [p for y, p in kept if y > top]
        titled = [i for i, p in enumerate(trailing) if self._is_title(p)]
        self.carried = trailing[titled[0] :] if titled else ([] if tables else self.carried)
        return out

    def _is_title(self, pieces: list[tuple[float, str]]) -> bool:
        key = label_key("".join(t for _, t in pieces))
        return any(t and t in key for t in self.titles)

    def _from_title(self, above: list[list[tuple[float, str]]]) -> list[list[tuple[float, str]]]:
        """Lines above a table from its title on (a running header above the title is not the form's)."""
        for i, pieces in enumerate(above):
            if self._is_title(pieces):
                return above[i:]
        return above


def _regions(table: Table) -> list[tuple[int, int, int, int, str]]:
    out = []
    for n, (r1, c1, r2, c2) in enumerate(table.regions):
        out.append((r1, c1, r2, c2, _text(table.runs.get(n, []))))
    return out


def _continues(form: _Form, frag: Fragment, titles: set[str]) -> bool:
    """A table at the top of a page, with no title above it, whose right edge is the form's and
    whose left edge is one of the form's column edges (a writer may leave out a column that
    only a merge cut by the page break fills). Lines above it that repeat texts of the form
    (a cut merge's label, drawn again by some writers) are dropped."""
    if not form.fragments or not frag.first:
        return False
    first_row = [label_key(r[4]) for r in frag.regions if r[0] == 0 and r[4]]
    if any(t in text for t in titles for text in first_row):
        return False  # a title in the table's first row: a new form
    start = [label_key(r[4]) for r in form.fragments[0].regions if r[0] == 0 and r[4]]
    if first_row[:1] and first_row[:1] == start[:1]:
        return False  # it starts as the form did (项目名称 …): a new form without a title
    last = form.fragments[-1]
    if not last.last or abs(last.xs[-1] - frag.xs[-1]) > 3 * TOL:
        return False
    if not any(abs(x - frag.xs[0]) <= 3 * TOL for f in form.fragments for x in f.xs[:-1]):
        return False
    if frag.above:
        texts = {label_key(r[4]) for f in form.fragments for r in f.regions if r[4]}
        if any(label_key(" ".join(t for _, t in line)) not in texts for line in frag.above):
            return False
        frag.stray = [piece for line in frag.above for piece in line]
        frag.above = []
    return True


def pdf_grids(
    path: str | Path,
    specs: Iterable[Spec],
    *,
    notes: list[Guess] | None = None,
    progress: Callable[..., None] | None = None,
) -> Iterator[Grid]:
    """One grid per form of the PDF at ``path``, page by page.

    The templates ``specs`` tell form titles (a line holding one starts a form) and indicator
    header rows (a continued table that repeats one drops it). Pages without text are noted
    in ``notes``; ``progress(page, pages, "pages")`` is called after each page.
    """
    import pypdfium2 as pdfium

    from .pdf_page import read_page

    source = str(path)
    specs = list(specs)
    title_keys = {label_key(s.title) for s in specs if s.title}
    header_keys = [{label_key(t) for c in s.indicators.columns for t in c.label.spellings} for s in specs]
    with input_errors(path), open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise InputError(_("is not a PDF (no %PDF- header)"), file=source)
    try:
        doc = pdfium.PdfDocument(str(path))  # pages are loaded on demand: memory stays flat
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise InputError(
                _("is an encrypted PDF that needs a password; save an unprotected copy"), file=source
            ) from e
        raise InputError(_("is a damaged or incomplete PDF that cannot be opened"), file=source) from None
    pages = _Pages(title_keys)
    form = _Form()
    count = 0
    chars = tables = scanned = 0
    try:
        total = len(doc)
        for number in range(1, total + 1):
            page = doc[number - 1]
            try:
                content = read_page(page)
            finally:
                page.close()
            chars += content.chars
            tables += len(content.tables)
            if not content.chars and content.images:
                scanned += 1
                if notes is not None:
                    notes.append(
                        Guess(
                            _("images and no text layer (a scan?); page skipped"),
                            source,
                            f"page {number}",
                            code="scanned_page",
                        )
                    )
            for frag in pages.fragments(number, content.tables, content.outside):
                if not _continues(form, frag, title_keys) and form.fragments:
                    count += 1
                    yield _grid(form, f"表{count}", source, header_keys)
                    form = _Form()
                form.fragments.append(frag)
            if progress is not None:
                progress(number, total, "pages")
        if form.fragments:
            count += 1
            yield _grid(form, f"表{count}", source, header_keys)
    finally:
        doc.close()
    if not chars:
        what = _("is a scanned PDF: its pages are images with no text layer") if scanned else _("has no text layer")
        raise FormatError(
            _("{what}; sheetsync reads the text of a PDF, so run OCR on it first").format(what=what), file=source
        )
    if not tables:
        raise FormatError(
            _("has no ruled table (no cell borders drawn); sheetsync reads forms drawn as tables"), file=source
        )


def _grid(form: _Form, name: str, source: str, header_keys: list[set[str]]) -> Grid:
    grid = PdfGrid(name, source)
    return build(form.fragments, grid, grid.places, header_keys, cell_value)
