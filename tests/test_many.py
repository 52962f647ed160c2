"""Many files: folders for read, check and diff, several processes, one bad file stops nothing."""

from __future__ import annotations

import copy
import json

import pytest

import sheetsync
from sheetsync.batch import read_many
from sheetsync.errors import Code


@pytest.fixture
def folders(tmp_path, truth):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    sheetsync.render(truth[:4], old / "a.xlsx")
    sheetsync.render(truth[4:], old / "sub-b.xlsx")
    changed = copy.deepcopy(truth)
    changed[5]["绩效指标"][0]["指标值"] = "≥300次"
    sheetsync.render(changed[:6], new / "first.xlsx")  # the same forms, split differently
    (new / "nested").mkdir()
    (new / "nested" / "rest.json").write_text(json.dumps(changed[6:], ensure_ascii=False), encoding="utf-8")
    (new / "~$first.xlsx").write_bytes(b"lock")  # left out: an Excel lock file
    return old, new


def test_read_a_folder_in_order_with_and_without_processes(cli, folders, truth):
    old, _ = folders
    r = cli("read", old)
    assert r.code == 0 and json.loads(r.out) == truth
    assert json.loads(cli("read", old, "--jobs", "2").out) == truth
    assert "\rread" not in r.err  # no progress line when stderr is not a terminal


def test_diff_pairs_folders_by_form_not_by_file(cli, folders):
    old, new = folders
    r = cli("diff", old, new, "--format", "json")
    assert r.code == 1
    assert json.loads(r.out) == [
        {
            "kind": "changed",
            "form": "禁毒管理",
            "path": ["产出指标", "数量指标", "办案部门差旅次数"],
            "old": "≥215次",
            "new": "≥300次",
            "delta": 85,
            "direction": "tightened",
        }
    ]
    assert cli("diff", old, old).code == 0


def test_one_unreadable_file_is_reported_and_skipped(cli, folders, truth):
    old, new = folders
    (old / "broken.xlsx").write_text("not a workbook", encoding="utf-8")
    r = cli("read", old)
    assert r.code == 2
    assert json.loads(r.out) == truth
    assert r.err == (
        f"Error: {old / 'broken.xlsx'}: is not an xlsx workbook (not a zip package); if it is CSV or "
        "text, give it a .csv or .txt name (skipped)\n"
    )
    d = cli("diff", old, new)
    assert d.code == 2 and "禁毒管理" in d.out and "(skipped)" in d.err
    c = cli("check", old, "--format", "json")
    assert c.code == 2
    first = next(f for f in json.loads(c.out) if f["rule"] == "unreadable")  # in file order among the findings
    assert (first["rule"], first["file"], first["severity"]) == ("unreadable", str(old / "broken.xlsx"), "error")


def test_read_many_collects_errors_and_progress(folders, tmp_path):
    old, _ = folders
    (old / "zz-empty.xlsx").write_bytes(b"")
    seen = []
    result = read_many([old], jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert len(result.forms) == 9 and len(result.errors) == 1
    error = result.errors[0]  # a value: file, code, message (not a line to split)
    assert (error.file, error.code, error.code.value) == (str(old / "zz-empty.xlsx"), Code.INPUT, "input")
    assert "is empty" in error.message and str(error).startswith(f"{error.file}: ")
    assert seen[-1] == (3, 3)


def test_an_empty_folder_is_an_error(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    r = cli("read", tmp_path / "empty", tmp_path / "empty")
    assert r.code == 2 and r.err == f"Error: {tmp_path / 'empty'}: holds no workbooks, PDFs, text dumps or data files\n"
