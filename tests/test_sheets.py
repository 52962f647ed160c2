"""Which sheets are forms: hidden backups and sheets named as no form are skipped with a note
(``include_hidden`` reads them); warnings grouped into lines a person reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import sheetsync
from sheetsync.errors import Code, Problem
from sheetsync.grouping import grouped
from sheetsync.model import load_forms
from tests.variants import build, write_xlsx

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def forms():
    from sheetsync.catalog import example_forms_path

    return [f.to_dict() for p in sorted(example_forms_path().glob("*.json")) for f in load_forms(p)][:3]


@pytest.mark.parametrize("name", ["hidden_backup", "very_hidden_backup"])
def test_hidden_backup_sheet_is_skipped_with_a_note(tmp_path, forms, name):
    variant = build(name, forms)
    path = write_xlsx(variant, tmp_path / "x.xlsx")
    result = sheetsync.read_file(path)
    assert [f.to_dict() for f in result.forms] == variant.expected
    notes = [g for g in result.guesses if g.code == Code.SKIPPED_SHEET]
    assert [n.sheet for n in notes] == variant.expected_extras[0]["skipped_sheets"]
    assert ("very hidden" in notes[0].message) == (name == "very_hidden_backup")
    both = sheetsync.read_file(path, include_hidden=True)
    assert len(both.forms) == 2 and not [g for g in both.guesses if g.code == Code.SKIPPED_SHEET]


def test_summary_sheet_first_is_skipped_by_its_name(tmp_path, forms):
    variant = build("summary_sheet_first", forms[:2])
    result = sheetsync.read_file(write_xlsx(variant, tmp_path / "x.xlsx"))
    assert [f.to_dict() for f in result.forms] == variant.expected
    assert [g.sheet for g in result.guesses if g.code == Code.SKIPPED_SHEET] == ["汇总表"]


def test_a_skipped_sheet_is_no_guess_under_strict(tmp_path, forms):
    """Skipping a hidden sheet decides no value: strict reading still reads the visible form."""
    variant = build("hidden_backup", forms)
    path = write_xlsx(variant, tmp_path / "x.xlsx")
    got = sheetsync.read(path, strict=True)
    assert [f.to_dict() for f in got] == variant.expected


def test_grouped_warnings():
    ps = [Problem(f"m{i}", "f.xlsx", "S", f"B{i}", Code.INHERITED) for i in range(1, 6)]
    ps.append(Problem("once", "f.xlsx", "S", "C9", Code.LEVEL_COLUMN))
    lines = grouped(ps)
    assert lines == ["f.xlsx: 5 × inherited (S!B1; S!B2; S!B3, …), e.g. m1", "f.xlsx: S!C9: once"]
    many = [Problem("x", "f", "S", "A1", code) for code in list(Code)[:7]]
    capped = grouped(many, limit=4)
    assert len(capped) == 4 and capped[-1].startswith("4 more of 4 kinds")
    assert len(grouped(many)) == 7


def test_reading_the_text_dump_prints_at_most_five_lines(tmp_path):
    out = tmp_path / "d.json"
    run = subprocess.run(
        [sys.executable, "-m", "sheetsync", "read", str(DATA / "forms.txt"), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stderr.splitlines()
    assert 2 <= len(lines) <= 5 and lines[-1].startswith("wrote")
    assert "× amount_text" in run.stderr  # grouped, with its count
    every = subprocess.run(
        [sys.executable, "-m", "sheetsync", "read", str(DATA / "forms.txt"), "--all-warnings"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert len(every.stderr.splitlines()) > len(lines) - 1


@pytest.mark.parametrize("text", [False, True])
def test_forms_stacked_on_one_sheet_are_each_read(tmp_path, forms, text):
    from tests.variants import write_text

    variant = build("stacked", forms)
    path = (write_text if text else write_xlsx)(variant, tmp_path / ("x.txt" if text else "x.xlsx"))
    result = sheetsync.read_file(path)
    assert [f.to_dict() for f in result.forms] == variant.expected
    if not text:  # every value named by its cell of the one sheet
        second = result.forms[1].origin.cells
        assert int(second["项目名称"][1:]) > int(result.forms[0].origin.cells["项目名称"][1:])


@pytest.mark.parametrize(
    "name", ["yuan", "split_指标性质", "split_目标值", "序号", "extra_备注", "footer", "weights", "header_fields"]
)
@pytest.mark.parametrize("text", [False, True])
def test_variants_read_back_with_what_they_show_beyond_the_template(tmp_path, forms, name, text):
    """Each variant reads back to the form's data; what the contract has no key for is in 附加."""
    from tests.variants import write_text

    variant = build(name, forms)
    path = (write_text if text else write_xlsx)(variant, tmp_path / ("x.txt" if text else "x.xlsx"))
    result = sheetsync.read_file(path)
    got = result.forms[0].to_dict()
    extras, kept = variant.expected_extras[0], got.pop("附加", {})
    rows = [r.pop("附加", {}) for r in got["绩效指标"]]
    assert got == variant.expected[0]
    if "printed_unit" in extras:
        assert kept["单位"] == "元" and any(g.code.value == "unit" for g in result.guesses)
    if "value_parts" in extras:
        assert [r["指标值分列"] for r in rows] == extras["value_parts"]
    if "sequence" in extras:
        assert [r["序号"] for r in rows] == [str(n) for n in extras["sequence"]]
    for head, cells in extras.get("extra_columns", {}).items():
        assert [r.get(head, "") for r in rows] == [str(c) for c in cells]
    if "footer" in extras:
        assert kept["表外"] == extras["footer"]
    if "level_weights" in extras:
        assert kept["权重"] == extras["level_weights"]
    if "header_fields" in extras:
        assert kept["字段"] == extras["header_fields"]
