"""The 自评表's formulas (执行率, 总分) as gnumeric computes them: recalculated by ssconvert, they
give what render cached and what Excel and LibreOffice give, with no error cell where a
budget is blank or zero, and blank totals on an unfilled form."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

import sheetsync

DATA = Path(__file__).parent / "data"
TEMPLATE = "自评表"


def _recalculated(book: Path, out: Path) -> Path:
    ssconvert = shutil.which("ssconvert")
    if ssconvert is None:
        pytest.skip("gnumeric's ssconvert is not installed (apt-get install gnumeric)")
    proc = subprocess.run(
        [ssconvert, "--recalc", "--export-type=Gnumeric_Excel:xlsx2", str(book), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": str(out.parent)},
    )
    assert proc.returncode == 0, proc.stderr
    return out


def test_gnumeric_recalculates_the_computed_values_alike(tmp_path, truth):
    filled = json.loads((DATA / "self_evaluation.json").read_text(encoding="utf-8"))
    zero = copy.deepcopy(filled)
    zero["项目名称"] = "全年预算数为零"
    zero["项目资金"]["年度资金总额"]["全年预算数"] = 0
    unfilled = truth[0]  # carried over from a 绩效目标表: no budget, no scores
    book = tmp_path / "self.xlsx"
    sheetsync.render([filled, zero, unfilled], book, template=TEMPLATE)
    ours = sheetsync.read(book)
    assert ours[2]["总分"] == {"分值": None, "得分": None}  # an unfilled form: blank totals, not 0
    assert ours[1]["项目资金"]["年度资金总额"]["执行率"] is None
    assert ours[0]["项目资金"]["年度资金总额"]["执行率"] == 0.95

    out = _recalculated(book, tmp_path / "gnumeric.xlsx")
    shown = openpyxl.load_workbook(out, data_only=True)
    errors = [
        f"{ws.title}!{c.coordinate}={c.value}"
        for ws in shown.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("#")
    ]
    assert not errors, f"gnumeric shows errors: {errors}"
    assert sheetsync.read(out) == ours  # the same 执行率 and 总分 as render cached
