"""Every kind of workbook sheetsync writes, printed to PDF by a real LibreOffice: how many
pages, and where the page breaks fall (read back with poppler's pdftotext -layout).

The forms break where ``sheetsync.pages`` plans: LibreOffice adds no break of its own, a
continuation page starts a 一级 group under the repeated indicator header and names the
project at its top, and 总分 never stands alone. A blank form has a title to complete; the
change report's summary prints one page wide."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import sheetsync
import sheetsync.rendering
from sheetsync.catalog import get_spec
from sheetsync.layout import Layout
from sheetsync.measure import ROW_HEIGHT, row_heights
from sheetsync.pages import page_breaks
from tests.conftest import needs_libreoffice
from tests.lo import convert

pytestmark = [
    needs_libreoffice,
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"),
]
HEADER = re.compile(r"一级指标\s+二级指标\s+三级指标")


def _pages(pdf: Path) -> list[list[str]]:
    """The non-blank lines of each page, stripped."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]


def _page_sizes(pdf: Path) -> list[tuple[int, int]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True).stdout
    return [(round(float(w)), round(float(h))) for w, h in re.findall(r"Page +\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


def _printed(tmp_path: Path, book: Path) -> Path:
    return convert(book, "pdf", tmp_path / "pdf", tmp_path / "profile")[0]


def _planned(form: sheetsync.Form, blank: bool = False) -> list[int]:
    """The page breaks render wrote for a form: rows that start a page."""
    spec = form.spec
    heights = row_heights(spec, form, blank=blank)
    return page_breaks(Layout.of(spec, form.indicators, blank=blank), heights, ROW_HEIGHT)


def _group_starts(form: sheetsync.Form, first: int) -> set[int]:
    """The rows that open a 一级 group (where a page may start in the indicators)."""
    ind = form.spec.indicators
    one, two = ind.level(1).key, ind.level(2).key
    keys = [(r[one], r[two] == "") for r in form.indicators]
    return {first + i for i, k in enumerate(keys) if i == 0 or k != keys[i - 1]}


def _printed_rows(lines: list[str], form: sheetsync.Form, first: int) -> set[int]:
    """The rows of the indicators whose 三级 name (one of a kind and long enough to tell
    apart) a page shows."""
    name = form.spec.indicators.name.key
    names = [r[name] for r in form.indicators]
    header = next((n for n, line in enumerate(lines) if HEADER.search(line)), None)
    if header is None:  # a page before the indicators
        return set()
    text = "\n".join(lines[header + 1 :])  # the indicators only: a goal text may name one
    return {first + i for i, n in enumerate(names) if len(n) >= 4 and names.count(n) == 1 and n[:8] in text}


def test_the_target_tables_print_one_page_each(tmp_path, seed_forms):
    book = tmp_path / "forms.xlsx"
    sheetsync.render(seed_forms, book)
    pdf = _printed(tmp_path, book)
    pages = _pages(pdf)
    assert len(pages) == len(seed_forms) == 9
    assert set(_page_sizes(pdf)) == {(595, 842)}  # A4 portrait
    for form, lines in zip(seed_forms, pages, strict=True):
        assert lines[0] == form["表名"]
        assert any(form.name in line for line in lines[:3])
        assert any(HEADER.search(line) and "指标值" in line for line in lines)  # all five columns: one page wide
        # the published 项目资金 block: each amount beside its label and scope
        assert any(re.search(r"年度资金总额（含本级和\s*市县）", line) for line in lines) or any(
            "年度资金总额（含本级" in line for line in lines
        )
        assert not any("资金来源" in line for line in lines)


def _assert_as_planned(form: sheetsync.Form, own: list[list[str]], breaks: list[int]) -> None:
    """A form's printed pages (``own``) break where render planned, between groups, each
    continuation page naming the project above the repeated indicator header."""
    assert any(line.startswith(form["表名"]) for line in own[0][:3])
    layout = Layout.of(form.spec, form.indicators)
    first = layout.header + 1
    starts = _group_starts(form, first) | {row for _, row in layout.block_rows}
    assert set(breaks) <= starts, f"{form.name}: a break inside a group"
    bounds = [0, *breaks, layout.last_row + 1]
    for k, lines in enumerate(own):
        shown = _printed_rows(lines, form, first)
        assert all(bounds[k] <= r < bounds[k + 1] for r in shown), f"{form.name}: page {k + 1} is not as planned"
        if k:  # a continuation page: the project's name at the top, the indicator header
            assert shown, f"{form.name}: page {k + 1} shows no indicator"
            assert any(line.startswith(form.name) for line in lines[:2])
            assert HEADER.search(" ".join(lines[:4])), "the indicator header repeats"
    assert bounds[-2] < layout.last_row - 1, "the last row (总分) alone on a page"


def test_self_evaluation_forms_break_between_groups(tmp_path, seed_forms):
    book = tmp_path / "self.xlsx"
    sheetsync.render(seed_forms, book, template="自评表")
    forms = sheetsync.read(book)
    pdf = _printed(tmp_path, book)
    pages = _pages(pdf)
    planned = [_planned(f) for f in forms]
    assert len(pages) == sum(1 + len(b) for b in planned)  # LibreOffice breaks only where render did
    assert any(planned), "some 自评表 needs more than a page"
    assert set(_page_sizes(pdf)) == {(842, 595)}  # A4 landscape
    at = 0
    for form, breaks in zip(forms, planned, strict=True):
        _assert_as_planned(form, pages[at : at + 1 + len(breaks)], breaks)
        at += 1 + len(breaks)


def test_a_long_target_table_breaks_between_groups(tmp_path, truth):
    form = copy.deepcopy(truth[0])  # its indicators four times over, each name made its own
    form["绩效指标"] = [{**r, "三级指标": f"{k}号{r['三级指标']}"} for k in range(1, 5) for r in form["绩效指标"]]
    book = tmp_path / "long.xlsx"
    sheetsync.render([form], book)
    (read,) = sheetsync.read(book)
    breaks = _planned(read)
    pdf = _printed(tmp_path, book)
    pages = _pages(pdf)
    assert breaks and len(pages) == 1 + len(breaks)
    assert set(_page_sizes(pdf)) == {(595, 842)}  # A4 portrait
    _assert_as_planned(read, pages, breaks)


@pytest.mark.parametrize("template", ["绩效目标表", "自评表"])
def test_blank_forms_have_a_title_and_room_to_write(tmp_path, template):
    book = tmp_path / "blank.xlsx"
    sheetsync.rendering.render_blank(book, template=template, rows=20)
    title = "____年" + get_spec(template).title
    assert sheetsync.read(book)[0]["表名"] == title
    pdf = _printed(tmp_path, book)
    pages = _pages(pdf)
    form = sheetsync.rendering.blank_form(get_spec(template), 20)
    assert len(pages) == 1 + len(_planned(form, blank=True)) >= 2
    assert pages[0][0].endswith(title) or title in " ".join(pages[0][:2])
    for lines in pages[1:]:
        assert HEADER.search(" ".join(lines[:3])), "the indicator header repeats"
    ws_heights = _row_heights(book)
    layout = Layout(get_spec(template), 20)
    rows = range(layout.header + 1, layout.header + 21)
    assert all(ws_heights.get(r + 1, 0) >= 27 for r in rows)  # two lines to write in


def _row_heights(book: Path) -> dict[int, float]:
    import openpyxl

    ws = openpyxl.load_workbook(book).worksheets[0]
    return {r: d.height for r, d in ws.row_dimensions.items() if d.height}


def test_the_change_report_summary_prints_one_page_wide(tmp_path, truth):
    old = copy.deepcopy(truth)
    new = copy.deepcopy(truth)
    for form in new:  # many changes: the summary runs over several pages
        for row in form["绩效指标"][:8]:
            row["指标值"] = row["指标值"] + "以上" if row["指标值"] != "无" else "有"
    a, b, report = tmp_path / "old.xlsx", tmp_path / "new.xlsx", tmp_path / "report.xlsx"
    sheetsync.render(old, a)
    sheetsync.render(new, b)
    d = sheetsync.diff(a, b)
    from sheetsync.report import diff_xlsx

    diff_xlsx(d, sheetsync.read(b), report)
    pdf = _printed(tmp_path, report)
    pages = _pages(pdf)
    sizes = _page_sizes(pdf)
    summary = [n for n, lines in enumerate(pages) if not any(line.endswith("绩效目标表") for line in lines[:2])]
    assert summary == list(range(len(summary))) and len(summary) >= 2  # the summary first, over pages
    assert len(pages) == len(summary) + 9  # then each form on one page
    assert all(sizes[n] == (842, 595) for n in summary)  # landscape
    columns = re.compile(r"表\s+变更\s+位置\s+单元格\s+原值\s+新值\s+说明")
    assert pages[0][0] == "变更报告" and pages[0][1].startswith("原文件：old.xlsx")
    for n in summary:  # every page has every column (one page wide) under the repeated header
        assert any(columns.search(line) for line in pages[n][:6]), f"summary page {n + 1} lacks the header"
    rows = sum(1 for n in summary for line in pages[n] if line.startswith(("信访工作经费", "维护公安民警")))
    assert rows >= 8
