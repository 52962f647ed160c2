"""The HTML change report, opened in a real headless Chromium: a screenshot shows the marked
cells filled where the changes are and nowhere else; printed, each changed form starts a page."""

from __future__ import annotations

import copy
import json
import re
import subprocess
from html.parser import HTMLParser

import pytest

from tests.browser import dom, needs_chromium, print_pdf, screenshot

MARK = (0xFF, 0xE6, 0x99)  # the fill of a changed cell, as the xlsx report has it
MEASURE = """<script>
document.querySelectorAll('table.form td').forEach(td => {
  const r = td.getBoundingClientRect();
  td.setAttribute('data-box', [r.left, r.top + scrollY, r.width, r.height].map(Math.round).join(','));
});
document.body.setAttribute('data-height', document.documentElement.scrollHeight);
</script>"""


@pytest.fixture(scope="module")
def versions(tmp_path_factory, truth):
    """Two forms; NEW changes an amount and a 指标值 of the first, renames an indicator of the
    second and drops one of the first."""
    old = copy.deepcopy(truth[:2])
    new = copy.deepcopy(old)
    new[0]["项目资金"]["年度资金总额"]["含本级"] = 3.5
    new[0]["绩效指标"][0]["指标值"] = "120件"
    new[0]["绩效指标"].pop(3)
    new[1]["绩效指标"][2]["三级指标"] += "（含复核）"
    folder = tmp_path_factory.mktemp("html")
    for name, forms in (("old", old), ("new", new)):
        (folder / f"{name}.json").write_text(json.dumps(forms, ensure_ascii=False), encoding="utf-8")
    return folder / "old.json", folder / "new.json"


@pytest.fixture(scope="module")
def page(versions, tmp_path_factory):
    from typer.testing import CliRunner

    from sheetsync.cli import app

    out = tmp_path_factory.mktemp("page") / "changes.html"
    result = CliRunner().invoke(app, ["diff", str(versions[0]), str(versions[1]), "--html", str(out)])
    assert result.exit_code == 1, result.output
    return out


class _Cells(HTMLParser):
    """The form tables' cells as the browser laid them out: id, classes, box."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict] = []
        self.height = 0
        self.summary_rows = 0
        self._in_summary = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.height = int(a.get("data-height", 0))
        if tag == "table":
            self._in_summary = "summary" in (a.get("class") or "")
        if tag == "tr" and self._in_summary:
            self.summary_rows += 1
        if tag == "td" and "data-box" in a:
            box = tuple(int(v) for v in a["data-box"].split(","))
            self.cells.append({"id": a.get("id"), "mark": "mark" in a.get("class", "").split(), "box": box})


def _share_of_mark(image, box) -> float:
    """Share of the pixels inside a cell (its border left out) that have the mark's colour."""
    x, y, w, h = box
    inside = [(i, j) for i in range(x + 3, x + w - 3, 2) for j in range(y + 3, y + h - 3, 2)]
    if not inside:
        return 0.0
    near = sum(1 for p in inside if all(abs(a - b) <= 8 for a, b in zip(image.getpixel(p)[:3], MARK, strict=True)))
    return near / len(inside)


def test_the_page_is_self_contained(page):
    text = page.read_text(encoding="utf-8")
    for outside in ("http:", "https:", "src=", "url(", "<link", "<script", "@import", "<img"):
        assert outside not in text, f"the page refers outside itself: {outside}"
    assert text.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in text


@needs_chromium
def test_a_screenshot_shows_the_changed_cells_marked_and_no_others(page, tmp_path):
    from PIL import Image

    measured = tmp_path / "measured.html"
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    width = 1200
    cells = _Cells()
    cells.feed(dom(measured, width=width))
    assert cells.summary_rows == 1 + 4  # the header and the four changes
    marked = sorted(c["id"] for c in cells.cells if c["mark"])
    # the amount and the 指标值 of the first form, the renamed 三级 and its value in the second
    assert marked == ["f0-E10", "f0-E5", "f1-D12", "f1-E12"]
    assert 1000 < cells.height < 16000
    shot = screenshot(page, tmp_path / "shot.png", width=width, height=cells.height)
    image = Image.open(shot).convert("RGB")
    assert image.size == (width, cells.height)
    for cell in cells.cells:
        share = _share_of_mark(image, cell["box"])
        if cell["mark"]:
            assert share > 0.5, f"{cell['id']} at {cell['box']} shows the mark on {share:.0%} of it"
        else:
            assert share < 0.01, f"an unchanged cell at {cell['box']} shows the mark on {share:.0%} of it"
    # the old values are printed in the marked cells, not only in a tooltip
    assert "原值：115件" in page.read_text(encoding="utf-8")


@needs_chromium
def test_printed_the_summary_is_landscape_and_each_changed_form_starts_a_portrait_page(page, tmp_path):
    pdf = print_pdf(page, tmp_path / "changes.pdf")
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    sizes = [(round(float(w)), round(float(h))) for w, h in re.findall(r"Page +\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    texts = [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True
        ).stdout
        for n in range(1, pages + 1)
    ]
    firsts = [next((line.strip() for line in t.splitlines() if line.strip()), "") for t in texts]
    assert firsts[0] == "变更报告"
    starts = [n for n, first in enumerate(firsts) if first.endswith("处变更）")]
    assert [firsts[n] for n in starts] == ["信访工作经费（3 处变更）", "维护公安民警执法权益抚慰金项目（1 处变更）"]
    assert starts[0] == 1 and pages >= 3
    assert sizes == [(842, 595)] + [(595, 842)] * (pages - 1)  # A4: the summary landscape, the forms portrait
