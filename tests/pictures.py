"""The README's pictures, made from real output: the golden cases' workbooks (a 绩效目标表, a
自评表, a change report) printed to PDF by LibreOffice, their first page as a PNG trimmed to
the printed table. After an intended change to the look, remake them and look at them:

    python3 -m tests.pictures
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.golden import CASES, EXAMPLE, FILE_DATE, ROOT, sheetsync
from tests.lo import convert


def _report(out: Path, work: Path) -> None:
    """Two example forms against edited copies: an amount, two 指标值 (a count, a tightened
    limit), a renamed indicator and a word in a long goal changed."""
    old = [json.loads(p.read_text(encoding="utf-8")) for p in (EXAMPLE, EXAMPLE.with_name("06.json"))]
    new = copy.deepcopy(old)
    new[0]["项目资金"]["年度资金总额"]["含本级"] = 3.5
    rows = new[0]["绩效指标"]
    rows[0]["指标值"], rows[1]["三级指标"], rows[10]["指标值"] = "120件", "信访案件立案数", "≤5%"
    new[1]["年度总体绩效目标"] = new[1]["年度总体绩效目标"].replace("340名", "350名")
    for name, forms in (("old.xlsx", old), ("new.xlsx", new)):
        (work / f"{name}.json").write_text(json.dumps(forms, ensure_ascii=False), encoding="utf-8")
        sheetsync("render", work / f"{name}.json", "-o", work / name)
        os.utime(work / name, (FILE_DATE, FILE_DATE))  # the report shows it: 2024-01-01 00:00
    sheetsync("diff", work / "old.xlsx", work / "new.xlsx", "--xlsx", out)


PICTURES = {  # how the workbook is made -> picture in docs/
    "rendered-form-01.png": CASES["targets"],
    "rendered-self-evaluation.png": CASES["self_evaluation"],
    "change-report.png": _report,
}
DPI = 110
MARGIN = 8  # pixels of white kept around the table


def first_page(pdf: Path, out: Path) -> Path:
    """The PDF's first page as a PNG, trimmed to what is printed on it."""
    from PIL import Image, ImageOps

    stem = out.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-f", "1", "-l", "1", "-singlefile", pdf, stem], check=True)
    image = Image.open(out).convert("RGB")
    ink = ImageOps.invert(image.convert("L")).point(lambda v: 255 if v > 24 else 0).getbbox()
    if ink:
        left, top, right, bottom = ink
        box = (max(0, left - MARGIN), max(0, top - MARGIN), right + MARGIN, bottom + MARGIN)
        image = image.crop((box[0], box[1], min(image.width, box[2]), min(image.height, box[3])))
    image.save(out, optimize=True)
    return out


def make(work: Path) -> None:
    for picture, made in PICTURES.items():
        book = work / picture.replace(".png", ".xlsx")
        made(book, work)
        pdf, _ = convert(book, "pdf", work / "pdf", work / "profile")
        out = first_page(pdf, ROOT / "docs" / picture)
        print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        make(Path(tmp))
    sys.exit(0)
