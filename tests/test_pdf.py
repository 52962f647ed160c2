"""Reading PDF disclosures: forms printed to PDF by LibreOffice and by gnumeric read back as data.

Every PDF here is made by a real PDF writer from a workbook: sheetsync's rendered forms (both
templates, long forms broken over pages, many forms in one file, landscape pages) and the
foreign layouts of tests/layouts.py with their cells ruled. All LibreOffice conversions of
the module happen in one soffice run.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Side

import sheetsync
from sheetsync.catalog import get_spec
from tests.conftest import DATA, needs_libreoffice
from tests.layouts import foreign_sheet
from tests.lo import convert_all
from tests.test_foreign import LAYOUTS
from tests.test_roundtrip import contract

pytestmark = [needs_libreoffice, pytest.mark.libreoffice]
THIN = Side(style="thin")


def rule(ws, top: int = 1, bottom: int | None = None) -> None:
    """Borders on every cell of the form's range (rows top..bottom), text wrapped: a ruled table."""
    from openpyxl.utils import get_column_letter

    from sheetsync.values import display_width

    bottom = bottom or ws.max_row
    cells = [c for row in ws.iter_rows(min_row=top, max_row=bottom) for c in row if c.value is not None]
    top, left = min(c.row for c in cells), min(c.column for c in cells)
    for col in range(left, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(col)].width = 24
    for row in ws.iter_rows(min_row=top, max_row=bottom, min_col=left, max_col=ws.max_column):
        lines = 1
        for c in row:
            c.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
            c.alignment = Alignment(wrap_text=True, vertical="center")
            if c.value is not None:
                lines = max(lines, 1 + display_width(str(c.value)) // 20)
        ws.row_dimensions[row[0].row].height = 15 * lines  # openpyxl writes no heights: make room
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def long_form(form: dict, name: str, times: int) -> dict:
    form = copy.deepcopy(form)
    form["项目名称"] = name
    rows = []
    for i in range(times):
        for row in form["绩效指标"]:
            rows.append({**row, "三级指标": f"{row['三级指标']}{i}"})
    form["绩效指标"] = rows
    return form


@pytest.fixture(scope="module")
def made(tmp_path_factory, truth) -> dict[str, tuple[Path, list[dict]]]:
    """name -> (the PDF LibreOffice printed, the forms it shows)."""
    folder = tmp_path_factory.mktemp("pdf")
    self_eval = json.loads((DATA / "self_evaluation.json").read_text(encoding="utf-8"))
    books: dict[str, tuple[Path, list[dict]]] = {}

    def rendered(name: str, forms: list[dict], template: str | None = None) -> None:
        path = folder / f"{name}.xlsx"
        sheetsync.render(forms, path, template=template)
        books[name] = (path, [f.to_dict() for f in sheetsync.read(path)])

    rendered("seed", truth)
    rendered("self_evaluation", [self_eval], "自评表")
    rendered("long", [long_form(truth[0], "长表", 6), truth[1], long_form(truth[3], "第二张长表", 5)])
    rendered("long_self_evaluation", [long_form(self_eval, "长自评表", 12)], "自评表")
    # the seed forms printed on landscape pages
    wb = load_workbook(books["seed"][0])
    for ws in wb.worksheets:
        ws.page_setup.orientation = "landscape"
    wb.save(folder / "landscape.xlsx")
    books["landscape"] = (folder / "landscape.xlsx", books["seed"][1])
    # the long forms with an 附件 label over every page and the page number under it
    wb = load_workbook(books["long"][0])
    for ws in wb.worksheets:
        ws.oddHeader.left.text = "附件2"
        ws.oddHeader.right.text = "2024年部门预算公开"
        ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    wb.save(folder / "headers.xlsx")
    books["headers"] = (folder / "headers.xlsx", books["long"][1])
    for layout, options in LAYOUTS.items():
        wb = Workbook()
        wb.remove(wb.active)
        expected = []
        for i, form in enumerate(truth):
            ws = wb.create_sheet(f"表{i + 1}")
            foreign_sheet(ws, form, **options)
            rule(ws)
            expected.append({**form, "表名": ""} if options.get("title") is False else form)
        wb.save(folder / f"foreign_{layout}.xlsx")
        books[f"foreign_{layout}"] = (folder / f"foreign_{layout}.xlsx", expected)
    # two forms one under the other in one sheet: two tables on a page
    wb = Workbook()
    ws = wb.active
    foreign_sheet(ws, truth[2])
    rule(ws)
    first = ws.max_row
    foreign_sheet(ws, truth[5], top=first + 2)
    rule(ws, first + 3)
    wb.save(folder / "two_on_a_page.xlsx")
    books["two_on_a_page"] = (folder / "two_on_a_page.xlsx", [truth[2], truth[5]])
    names = list(books)
    pdfs = convert_all([books[n][0] for n in names], "pdf", folder / "out", folder / "profile")
    return {n: (pdf, books[n][1]) for n, pdf in zip(names, pdfs, strict=True)}


def _read(pdf: Path) -> sheetsync.ReadResult:
    return sheetsync.read_file(pdf)


@pytest.mark.parametrize("name", ["seed", "self_evaluation", "long", "long_self_evaluation", "landscape", "headers"])
def test_printed_forms_read_back_as_the_data(made, name):
    pdf, expected = made[name]
    result = _read(pdf)
    assert [f.to_dict() for f in result.forms] == expected
    # a PDF holds text only: a rate printed as 95.00% is read as 0.95, and says so
    assert [g for g in result.guesses if g.code != "amount_text" or "%" not in g.message] == []


@pytest.mark.parametrize("layout", [*sorted(LAYOUTS), "two_on_a_page"])
def test_foreign_layouts_printed_read_back_as_the_data(made, layout):
    pdf, expected = made[layout if layout == "two_on_a_page" else f"foreign_{layout}"]
    assert [f.to_dict() for f in _read(pdf).forms] == expected


def test_long_forms_break_over_pages_and_landscape_pages_are_wider(made):
    import pypdfium2 as pdfium

    long = pdfium.PdfDocument(made["long"][0])
    assert len(long) > 4  # three forms, two of them over several pages
    landscape = pdfium.PdfDocument(made["landscape"][0])
    width, height = landscape[0].get_size()
    assert width > height


def test_cells_are_named_by_page_row_and_column(made, tmp_path):
    pdf, _ = made["long"]
    forms = sheetsync.read(pdf)
    cells = forms[0].origin.cells
    last = len(forms[0]["绩效指标"]) - 1
    assert cells["项目名称"] == "page 1, row 1 column 2"
    assert cells[f"绩效指标[{last}].指标值"].startswith("page ")
    assert not cells[f"绩效指标[{last}].指标值"].startswith("page 1,")


def test_check_diff_textconv_and_render_take_a_pdf(cli, made, tmp_path):
    pdf, expected = made["seed"]
    assert cli("diff", pdf.parent.parent / "seed.xlsx", pdf).code == 0
    assert cli("diff", made["landscape"][0], pdf).code == 0
    changed = cli("diff", pdf, made["long"][0])
    assert changed.code == 1 and "长表" in changed.out
    r = cli("textconv", pdf)
    assert r.code == 0 and "[信访工作经费] 绩效指标/产出指标/数量指标/受理信访事项举报数量 = 115件" in r.out
    r = cli("check", pdf)
    assert r.code == 1 and "page " in r.out
    r = cli("render", pdf, "-o", tmp_path / "again.xlsx")
    assert r.code == 0
    assert [f.to_dict() for f in sheetsync.read(tmp_path / "again.xlsx")] == expected


def test_gnumeric_printed_forms_read_back(made, tmp_path):
    ssconvert = shutil.which("ssconvert")
    if ssconvert is None:
        pytest.skip("gnumeric's ssconvert is not installed (apt-get install gnumeric)")
    for name in ("seed", "long"):
        xlsx = made[name][0].parent.parent / f"{name}.xlsx"
        out = tmp_path / f"{name}.pdf"
        subprocess.run([ssconvert, str(xlsx), str(out)], capture_output=True, timeout=300, check=True)
        assert [f.to_dict() for f in sheetsync.read(out)] == made[name][1], name


# ---------------------------------------------------------------- bad PDFs


def test_a_scan_without_text_is_refused_in_one_line(cli, made, tmp_path):
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(made["seed"][0])
    bitmap = src[0].render(scale=1)
    scan = pdfium.PdfDocument.new()
    page = scan.new_page(595, 842)
    image = pdfium.PdfImage.new(scan)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(595, 842))
    page.insert_obj(image)
    page.gen_content()
    scan.save(tmp_path / "scan.pdf")
    r = cli("read", tmp_path / "scan.pdf")
    assert r.code == 2 and r.out == ""
    assert r.err == (
        f"Error: {tmp_path / 'scan.pdf'}: is a scanned PDF: its pages are images with no text layer; "
        "sheetsync reads the text of a PDF, so run OCR on it first\n"
    )


def test_a_scanned_page_among_text_pages_is_skipped_with_a_warning(made, truth, tmp_path):
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(made["seed"][0])
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(src, [0])
    page = mixed.new_page(595, 842)
    image = pdfium.PdfImage.new(mixed)
    image.set_bitmap(src[1].render(scale=1))
    image.set_matrix(pdfium.PdfMatrix().scale(595, 842))
    page.insert_obj(image)
    page.gen_content()
    mixed.save(tmp_path / "mixed.pdf")
    result = sheetsync.read_file(tmp_path / "mixed.pdf")
    assert [f.to_dict() for f in result.forms] == [truth[0]]
    assert [str(g) for g in result.guesses] == [
        f"{tmp_path / 'mixed.pdf'}: page 2: images and no text layer (a scan?); page skipped"
    ]


def test_an_encrypted_pdf_is_refused_in_one_line(cli, made, tmp_path):
    options = (
        'pdf:calc_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"secret"}}'
    )
    (pdf,) = convert_all([made["seed"][0].parent.parent / "seed.xlsx"], options, tmp_path / "enc", tmp_path / "p")
    r = cli("read", pdf)
    assert (r.code, r.out) == (2, "")
    assert r.err == f"Error: {pdf}: is an encrypted PDF that needs a password; save an unprotected copy\n"


def test_a_pdf_without_ruled_tables_is_refused_in_one_line(cli, tmp_path):
    wb = Workbook()
    wb.active["A1"], wb.active["B1"] = "项目名称", "信访工作经费"
    wb.save(tmp_path / "plain.xlsx")
    (pdf,) = convert_all([tmp_path / "plain.xlsx"], "pdf", tmp_path, tmp_path / "p")
    r = cli("read", pdf)
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        f"Error: {pdf}: has no ruled table (no cell borders drawn); sheetsync reads forms drawn as tables\n"
    )


@pytest.mark.parametrize(
    "content, message",
    [
        (b"hello", "is not a PDF (no %PDF- header)"),
        (b"%PDF-1.4\ngarbage", "is a damaged or incomplete PDF that cannot be opened"),
    ],
)
def test_files_that_are_no_pdf_are_refused_in_one_line(cli, tmp_path, content, message):
    path = tmp_path / "x.pdf"
    path.write_bytes(content)
    r = cli("read", path)
    assert (r.code, r.out, r.err) == (2, "", f"Error: {path}: {message}\n")


# ---------------------------------------------------------------- property: read(pdf(render(x))) == x

# What a PDF can show: texts of Chinese characters, digits and signs (a printed line break
# cannot tell a space from a newline, nor trailing spaces from none), numbers as printed, and
# a title above every form that is not a page number.
PDF_CHARS = "产出效益满意度成本数量质量时效社会经济生态可持续影响服务对象信访工作经费公安局永宁县0123456789%≥≤（）、"
pdf_text = st.one_of(st.just(""), st.text(PDF_CHARS, min_size=1, max_size=30))
# numbers that their columns print in full, sums (总分) included: a General cell too narrow
# for its digits prints them rounded (LibreOffice), and a PDF holds only what was printed
pdf_amount = st.one_of(st.none(), st.builds(lambda n, k: n / 10**k, st.integers(0, 1000), st.integers(0, 1)))
# a title that is only a number would be a page number: a title starts with a character
pdf_title = st.builds(str.__add__, st.sampled_from(PDF_CHARS[:40]), st.text(PDF_CHARS, max_size=20))


def printed(form: dict) -> dict:
    """The form as its PDF shows it: a rate (0.00%) to four decimals of its fraction."""
    form = copy.deepcopy(form)
    for row in form["项目资金"].values():
        if row.get("执行率") is not None:
            row["执行率"] = round(row["执行率"], 4)
    return form


@pytest.mark.parametrize("template", ["绩效目标表", "自评表"])
def test_generated_forms_printed_to_pdf_read_back(tmp_path, template):
    spec = get_spec(template)
    strategy = contract(spec, 20, text=pdf_text, target=pdf_text, amount=pdf_amount, title=pdf_title)
    runs = iter(range(1000))

    @settings(max_examples=4, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(strategy, min_size=1, max_size=6))
    def round_trip(data):
        folder = tmp_path / str(next(runs))
        folder.mkdir()
        assert sheetsync.render(data, folder / "forms.xlsx", template=template) == []
        (pdf,) = convert_all([folder / "forms.xlsx"], "pdf", folder, tmp_path / "profile")
        back = sheetsync.read(pdf, template=template)
        assert [f.to_dict() for f in back] == [printed(d) for d in data]

    round_trip()


def test_a_merged_label_drawn_on_the_next_page_outside_its_clip_is_not_read(tmp_path):
    """A case the property above found: LibreOffice draws a merged cell's text again on each page
    the merge spans, clipped to that page's part, so a copy can sit, unseen, in other cells (here
    the 绩效指标 label's copies on page 2: one in the header row, one in the 总分 row, which then
    read as an indicator, and the groups 影 and 局工2工 read shifted)."""
    import pypdfium2 as pdfium

    data = [f.to_dict() for f in sheetsync.read(DATA / "self_evaluation_two_pages.json")]  # rates computed
    assert sheetsync.render(data, tmp_path / "forms.xlsx", template="自评表") == []
    (pdf,) = convert_all([tmp_path / "forms.xlsx"], "pdf", tmp_path, tmp_path / "profile")
    doc = pdfium.PdfDocument(pdf)
    try:
        assert len(doc) == 2
        assert doc[1].get_textpage().get_text_range().count("绩效指标") == 2  # the text layer holds the copies
    finally:
        doc.close()
    back = sheetsync.read(pdf, template="自评表")
    assert [f.to_dict() for f in back] == [printed(d) for d in data]


def test_a_long_pdf_is_read_page_by_page_with_progress(made):
    pdf, expected = made["long"]
    seen = []
    result = sheetsync.read_file(pdf, progress=lambda done, total, unit: seen.append((done, total, unit)))
    pages = seen[-1][1]
    assert seen == [(n, pages, "pages") for n in range(1, pages + 1)]
    assert [f.to_dict() for f in result.forms] == expected


def test_a_page_turned_with_rotate_reads_as_shown(made, truth, tmp_path):
    """Content drawn sideways on a landscape page that /Rotate 90 turns upright (as scanners'
    and some printers' PDFs are): read as the page is shown."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(made["seed"][0])
    page = doc[0]
    width, height = page.get_size()
    for obj in list(page.get_objects(max_depth=1)):
        obj.transform(pdfium.PdfMatrix(0, 1, -1, 0, height, 0))
    page.set_mediabox(0, 0, height, width)
    page.set_cropbox(0, 0, height, width)
    page.set_rotation(90)
    page.gen_content()
    turned = pdfium.PdfDocument.new()
    turned.import_pages(doc, [0])
    turned.save(tmp_path / "turned.pdf")
    assert pdfium.PdfDocument(tmp_path / "turned.pdf")[0].get_rotation() == 90
    assert [f.to_dict() for f in sheetsync.read(tmp_path / "turned.pdf")] == [truth[0]]


def test_text_spilling_over_an_empty_neighbour_stays_in_its_cell(tmp_path):
    from sheetsync.reading.pdf import pdf_grids

    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "项目名称", "城市综合监控报警联网系统"  # over C1 and D1, both empty
    ws["A2"], ws["B2"], ws["C2"], ws["D2"] = "主管部门", "公安局", "实施单位", "公安局"
    for row in ws.iter_rows(min_row=1, max_row=2, max_col=4):
        for c in row:
            c.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
    (pdf,) = convert_all([_saved(wb, tmp_path / "spill.xlsx")], "pdf", tmp_path, tmp_path / "p")
    (grid,) = pdf_grids(pdf, [get_spec()])
    assert grid.values == {
        (0, 0): "项目名称",
        (0, 1): "城市综合监控报警联网系统",
        (1, 0): "主管部门",
        (1, 1): "公安局",
        (1, 2): "实施单位",
        (1, 3): "公安局",
    }


def _saved(wb, path: Path) -> Path:
    wb.save(path)
    return path
