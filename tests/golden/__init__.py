"""Golden files for rendering, as XlsxWriter's own tests keep them: the XML parts of a few
rendered workbooks, committed here, compared part by part by ``tests/test_golden.py``.

Each case is one or two forms written by the command line (a 绩效目标表, a 自评表, each
also in the layout with the 指标值 in parts, a blank form, a diff report). A part is stored
one XML element per line, so a change shows as a readable diff. After an intended change to
what render writes, regenerate them and review the diff before committing:

    python3 -m tests.golden --update
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXAMPLE = ROOT / "templates" / "examples" / "01.json"
SELF_EVALUATION = ROOT / "tests" / "data" / "self_evaluation.json"
TARGETS_SPLIT = ROOT / "templates" / "examples" / "split" / "01.json"
SELF_EVALUATION_SPLIT = ROOT / "tests" / "data" / "self_evaluation_split.json"
FILE_DATE = 1704067200  # 2024-01-01 00:00 UTC

# The parts worth comparing: sheets, their strings, formats, the workbook (sheet names, print
# titles, defined names), comments (the diff report's old values) and the custom properties.
PARTS = re.compile(
    r"^(xl/worksheets/sheet\d+\.xml|xl/sharedStrings\.xml|xl/styles\.xml|xl/workbook\.xml"
    r"|xl/comments\d+\.xml|docProps/custom\.xml)$"
)


def sheetsync(*args: str | Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SHEETSYNC_TEMPLATES"}
    env["TZ"] = "UTC"  # the diff report names its files' dates
    r = subprocess.run(
        [sys.executable, "-m", "sheetsync", *map(str, args)], capture_output=True, text=True, env=env, cwd=ROOT
    )
    if r.returncode not in (0, 1):  # diff exits 1 when the versions differ
        raise RuntimeError(f"sheetsync {' '.join(map(str, args))} failed: {r.stderr}")


def _targets(out: Path, work: Path) -> None:
    sheetsync("render", EXAMPLE, "-o", out)


def _self_evaluation(out: Path, work: Path) -> None:
    sheetsync("render", SELF_EVALUATION, "-o", out)


def _targets_split(out: Path, work: Path) -> None:
    sheetsync("render", TARGETS_SPLIT, "--template", "绩效目标表分列", "-o", out)


def _self_evaluation_split(out: Path, work: Path) -> None:
    sheetsync("render", SELF_EVALUATION_SPLIT, "--template", "自评表分列", "-o", out)


def _blank(out: Path, work: Path) -> None:
    sheetsync("new", "--rows", "3", "-o", out)


def _diff_report(out: Path, work: Path) -> None:
    """01.json against an edited copy: a changed 指标值, a removed and an added indicator, a
    changed amount and a changed field."""
    old = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    new = copy.deepcopy(old)
    rows = new["绩效指标"]
    rows[0]["指标值"] = "120件"
    removed = rows.pop(1)
    rows.append({**removed, "三级指标": "新增的指标", "指标值": "≥90%"})
    new["项目资金"]["年度资金总额"]["含本级和市县"] = 4
    new["实施单位"] = "改过的单位"
    for name, forms in (("old.json", old), ("new.json", new)):
        (work / name).write_text(json.dumps(forms, ensure_ascii=False), encoding="utf-8")
        os.utime(work / name, (FILE_DATE, FILE_DATE))  # the report shows it: 2024-01-01 00:00
    sheetsync("diff", work / "old.json", work / "new.json", "--xlsx", out)


CASES: dict[str, Callable[[Path, Path], None]] = {
    "targets": _targets,
    "self_evaluation": _self_evaluation,
    "targets_split": _targets_split,
    "self_evaluation_split": _self_evaluation_split,
    "blank": _blank,
    "diff_report": _diff_report,
}


def one_per_line(xml: str) -> str:
    """An XML part with one element per line (text never holds a raw ``><``: it is escaped)."""
    return xml.replace("><", ">\n<").rstrip("\n") + "\n"


def parts(case: str, work: Path) -> dict[str, str]:
    """The case's workbook, written afresh in ``work``: part name -> its XML, one element a line."""
    out = work / f"{case}.xlsx"
    CASES[case](out, work)
    with zipfile.ZipFile(out) as z:
        return {n: one_per_line(z.read(n).decode("utf-8")) for n in sorted(z.namelist()) if PARTS.match(n)}


def stored(case: str) -> dict[str, str]:
    folder = HERE / case
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.xml"))}


def update(work: Path) -> None:
    for case in CASES:
        folder = HERE / case
        for old in folder.rglob("*.xml"):
            old.unlink()
        for name, text in parts(case, work).items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        print(f"wrote {folder.relative_to(ROOT)}")
