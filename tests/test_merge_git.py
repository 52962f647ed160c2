"""sheetsync merge as git's merge driver, on a workbook two colleagues edited in LibreOffice.

Each colleague's edit is made by LibreOffice itself (tests/uno_driver.py) on the canonical
workbook and saved as xlsx; the two are committed on two branches and merged by real git.
Sheet 信访工作经费 has 实施单位 in E3, 年度资金总额 (含本级) in E6, the indicator header on
row 10 and 18 indicators on rows 11-28; sheet 禁毒管理 has its first indicator value in E11.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import sheetsync
from tests.lo import edit_in_libreoffice, needs_uno

SHEET = "信访工作经费"

pytestmark = [
    pytest.mark.libreoffice,
    needs_uno,
    # under CI the test must run: without git it fails rather than skips
    pytest.mark.skipif(shutil.which("git") is None and os.environ.get("CI") != "true", reason="git is not installed"),
]

OURS = [  # one colleague: a value changed, a row inserted inside the 数量指标 group
    ["string", SHEET, "E10", "120件"],
    ["insert_rows", SHEET, 11, 1],
    ["string", SHEET, "D11", "新增指标"],
    ["string", SHEET, "E11", "5件"],
]
THEIRS = [  # the other: header values, the last row deleted, another sheet's value
    ["string", SHEET, "E3", "永宁县信访局"],
    ["number", SHEET, "E5", 3.5],
    ["delete_rows", SHEET, 27, 1],
    ["string", "禁毒管理", "E10", "≥30人"],
]
CLASH = [["string", SHEET, "E10", "118件"]]  # the same value as OURS, changed differently


def _ours(d):
    d[0]["绩效指标"][0]["指标值"] = "120件"
    d[0]["绩效指标"].insert(
        1, {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "新增指标", "指标值": "5件"}
    )


def _theirs(d):
    d[0]["实施单位"] = "永宁县信访局"
    d[0]["项目资金"]["年度资金总额"]["含本级"] = 3.5
    d[0]["绩效指标"].pop()
    d[5]["绩效指标"][0]["指标值"] = "≥30人"


@pytest.fixture(scope="module")
def edited(tmp_path_factory, seed_xlsx) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("colleagues")
    src = folder / "seed.xlsx"
    shutil.copy(seed_xlsx, src)
    edits = {"ours": OURS, "theirs": THEIRS, "clash": CLASH}
    edit_in_libreoffice(
        [{"in": str(src), "out": str(folder / f"{k}.xlsx"), "ops": v} for k, v in edits.items()], folder
    )
    return {name: folder / f"{name}.xlsx" for name in edits}


class Repo:
    """A git repository with sheetsync as the merge driver of *.xlsx, set up as README says."""

    def __init__(self, path: Path, home: Path):
        self.path = path
        self.env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(home)}
        path.mkdir()
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "t@example.invalid")
        self.git("config", "user.name", "t")
        self.git("config", "merge.sheetsync.name", "sheetsync three-way merge of forms")
        self.git("config", "merge.sheetsync.driver", f"{sys.executable} -m sheetsync merge %O %A %B -o %A")
        (path / ".gitattributes").write_text("*.xlsx merge=sheetsync\n", encoding="utf-8")

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=self.path, env=self.env, check=check, capture_output=True, text=True)

    def commit(self, workbook: Path, message: str) -> None:
        shutil.copy(workbook, self.path / "forms.xlsx")
        self.git("add", ".")
        self.git("commit", "-qm", message)


def _two_branches(tmp_path: Path, seed: Path, ours: Path, theirs: Path) -> Repo:
    repo = Repo(tmp_path / "repo", tmp_path)
    repo.commit(seed, "the forms as sent out")
    repo.git("checkout", "-q", "-b", "colleague")
    repo.commit(theirs, "the colleague's edits")
    repo.git("checkout", "-q", "main")
    repo.commit(ours, "our edits")
    return repo


def test_colleague_edits_read_as_made(edited, truth):
    for name, change in (("ours", _ours), ("theirs", _theirs)):
        expected = copy.deepcopy(truth)
        change(expected)
        assert [f.to_dict() for f in sheetsync.read(edited[name])] == expected


def test_git_merges_two_branches_edited_in_libreoffice(tmp_path, seed_xlsx, edited, truth):
    repo = _two_branches(tmp_path, seed_xlsx, edited["ours"], edited["theirs"])
    merge = repo.git("merge", "--no-edit", "colleague", check=False)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    assert "merged cleanly" in merge.stdout
    expected = copy.deepcopy(truth)
    _ours(expected)
    _theirs(expected)
    result = sheetsync.read_file(repo.path / "forms.xlsx")
    assert [f.to_dict() for f in result.forms] == expected
    assert result.guesses == []  # a clean merge is the plain canonical workbook
    assert repo.git("status", "--porcelain").stdout == ""
    assert len(repo.git("log", "--format=%P", "-1").stdout.split()) == 2  # a merge commit


def test_git_merge_with_a_conflict_leaves_the_marked_workbook(tmp_path, seed_xlsx, edited, truth):
    repo = _two_branches(tmp_path, seed_xlsx, edited["ours"], edited["clash"])
    merge = repo.git("merge", "--no-edit", "colleague", check=False)
    assert merge.returncode == 1
    assert "CONFLICT (content): Merge conflict in forms.xlsx" in merge.stdout
    assert "base 115件 | ours 120件 | theirs 118件  (kept ours)" in merge.stdout
    wb = openpyxl.load_workbook(repo.path / "forms.xlsx")
    assert wb.sheetnames[0] == "冲突"
    assert wb[SHEET]["E10"].value == "120件"
    assert "对方 (theirs): 118件" in wb[SHEET]["E10"].comment.text
    expected = copy.deepcopy(truth)
    _ours(expected)
    assert [f.to_dict() for f in sheetsync.read(repo.path / "forms.xlsx")] == expected
    assert "UU forms.xlsx" in repo.git("status", "--porcelain").stdout
