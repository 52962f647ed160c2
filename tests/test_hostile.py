"""Bad and hostile files, through every command that reads (read, diff, check, textconv).

Each command runs in its own process with a 10 s time limit and a 1.5 GiB address-space
limit. A refused file must give exactly one line on stderr naming the file and the problem,
exit code 2, no traceback, and no output written. Files that are odd but sound (a lying
<dimension>, a far-away cell) must read correctly within the same limits.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sheetsync
from sheetsync.errors import SheetsyncError
from tests import hostile

LIMIT_AS = int(1.5 * 2**30)


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT_AS, LIMIT_AS))

    return subprocess.run(
        [sys.executable, "-m", "sheetsync", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=10,
        preexec_fn=limits,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture(scope="module")
def one_form(tmp_path_factory, truth) -> Path:
    path = tmp_path_factory.mktemp("good") / "good.xlsx"
    sheetsync.render(truth[:2], path)
    return path


def _file(d: Path, name: str, data: bytes) -> Path:
    (d / name).write_bytes(data)
    return d / name


def _billion(src, d):
    return hostile.rezip(src, d / "laughs.xlsx", {"xl/sharedStrings.xml": hostile.BILLION_LAUGHS})


def _xxe(src, d):
    return hostile.rezip(src, d / "xxe.xlsx", {"xl/sharedStrings.xml": hostile.XXE})


def _outside(src, d):
    return hostile.rezip(
        src,
        d / "outside.xlsx",
        {"xl/_rels/workbook.xml.rels": lambda b: b.replace(b"worksheets/sheet1.xml", b"../../../etc/passwd")},
    )


def _missing_part(src, d):
    return hostile.rezip(src, d / "nopart.xlsx", {"xl/worksheets/sheet1.xml": None})


def _lock(src, d):
    path = d / "~$forms.xlsx"
    path.write_bytes(b"\x0csheetsync user" + b"\x00" * 150)
    return path


def _directory(src, d):
    path = d / "folder.xlsx"
    path.mkdir()
    return path


CASES = {
    "missing path": (lambda src, d: d / "missing.xlsx", "no such file"),
    # read, diff and check take folders (an empty one holds nothing); textconv takes one file
    "a directory": (_directory, "is a folder|holds no workbooks"),
    "an empty file": (lambda src, d: _file(d, "empty.xlsx", b""), "is empty"),
    "CSV renamed .xlsx": (
        lambda src, d: _file(d, "csv.xlsx", b"a,b\n1,2\n"),
        "not a zip package",
    ),
    "HTML renamed .xlsx": (
        lambda src, d: _file(d, "page.xlsx", b"<html><body>x</body></html>"),
        "not a zip package",
    ),
    "Excel lock file": (_lock, "lock file"),
    "damaged .xls": (lambda src, d: hostile.ole2(d / "old.xls.xlsx", "Workbook"), "not a readable .xls workbook"),
    "password-protected": (lambda src, d: hostile.ole2(d / "secret.xlsx", "EncryptedPackage"), "password-protected"),
    "damaged .ods": (lambda src, d: hostile.ods(d / "sheet.ods"), "part content.xml is not well-formed XML"),
    "damaged .ods named .xlsx": (
        lambda src, d: hostile.ods(d / "sheet-ods.xlsx"),
        "part content.xml is not well-formed",
    ),
    "zip that is no workbook": (
        lambda src, d: hostile.zip_of(d / "other.xlsx", {"readme.txt": b"hello"}),
        "not a workbook",
    ),
    "truncated zip": (lambda src, d: hostile.truncated(src, d / "cut.xlsx"), "damaged or truncated"),
    "corrupted part": (
        lambda src, d: hostile.corrupt_crc(src, d / "crc.xlsx", "xl/worksheets/sheet1.xml"),
        "is damaged",
    ),
    "billion laughs": (_billion, "declares a DTD or entities"),
    "external entity": (_xxe, "declares a DTD or entities"),
    "sheet outside the package": (_outside, "not in the package"),
    "sheet part missing": (_missing_part, "not in the package"),
    "compression ratio bomb": (
        lambda src, d: hostile.bomb(src, d / "ratio.xlsx", "xl/sharedStrings.xml", 40 << 20),
        "refusing a possible zip bomb",
    ),
}

COMMANDS = {
    "read": lambda bad, good, d: ("read", bad, "-o", d / "out.json"),
    "diff": lambda bad, good, d: ("diff", good, bad, "--xlsx", d / "report.xlsx"),
    "check": lambda bad, good, d: ("check", bad),
    "textconv": lambda bad, good, d: ("textconv", bad),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gives_one_line_and_writes_nothing(tmp_path, one_form, case, command):
    make, fragment = CASES[case]
    bad = make(one_form, tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    r = run(*COMMANDS[command](bad, one_form, tmp_path), cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    assert str(bad) in lines[0] and any(f in lines[0] for f in fragment.split("|")), lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no output, no temporary file


def test_a_zip_bomb_past_1_gib_is_refused_from_its_directory(tmp_path, one_form):
    bad = hostile.bomb(one_form, tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", (1 << 30) + (64 << 20))
    assert bad.stat().st_size < 4 << 20
    for command in COMMANDS:
        r = run(*COMMANDS[command](bad, one_form, tmp_path), cwd=tmp_path)
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, r.stderr
        assert "refusing a possible zip bomb" in r.stderr and str(bad) in r.stderr


def test_limits_are_overridable_by_a_flag(tmp_path, one_form):
    big = hostile.bomb(one_form, tmp_path / "big.xlsx", "xl/sharedStrings.xml", 40 << 20)
    r = run("read", big, "--max-ratio", "2000", "--max-unpacked-mb", "64", cwd=tmp_path)
    assert "zip bomb" not in r.stderr  # past the limits; what is left is a broken string table
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1


def test_unreadable_file(cli, tmp_path, monkeypatch):
    # permissions do not bind root, so the refusal is simulated where the file is opened
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"PK")
    real_open = open

    def guarded(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded)
    r = cli("read", path)
    assert (r.code, r.err) == (2, f"Error: {path}: cannot be read (permission denied)\n")


def test_xml_defences_hold_whatever_the_environment_says(tmp_path, one_form):
    bad = _billion(one_form, tmp_path)
    env_run = subprocess.run(
        [sys.executable, "-m", "sheetsync", "read", str(bad)],
        capture_output=True,
        text=True,
        timeout=10,
        env={**os.environ, "OPENPYXL_DEFUSEDXML": "False"},
    )
    assert env_run.returncode == 2 and "declares a DTD or entities" in env_run.stderr


# ---------------------------------------------------------------- odd but sound files


def _dimension(value: bytes):
    def edit(xml: bytes) -> bytes:
        start = xml.find(b"<dimension")
        end = xml.find(b"/>", start) + 2
        return xml[:start] + value + xml[end:]

    return edit


def _extra_cell(ref: bytes):
    def edit(xml: bytes) -> bytes:
        end = xml.find(b"</sheetData>")
        return (
            xml[:end]
            + b'<row r="'
            + ref.lstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            + b'"><c r="'
            + ref
            + b'" t="inlineStr"><is><t>x</t></is></c></row>'
            + xml[end:]
        )

    return edit


def _merge_all(xml: bytes) -> bytes:
    return xml.replace(b'<mergeCells count="', b'<mergeCells count="1').replace(
        b"</mergeCells>", b'<mergeCell ref="A1:XFD1048576"/></mergeCells>'
    )


SOUND = {
    "dimension claims the whole sheet": _dimension(b'<dimension ref="A1:XFD1048576"/>'),
    "dimension smaller than the data": _dimension(b'<dimension ref="A1"/>'),
    "no dimension": _dimension(b""),
    "a single cell at XFD1048576": _extra_cell(b"XFD1048576"),
    "a merge over A1:XFD1048576": _merge_all,
}


@pytest.mark.parametrize("case", sorted(SOUND))
def test_odd_but_sound_files_read_correctly_within_the_limits(tmp_path, one_form, truth, case):
    path = hostile.rezip(one_form, tmp_path / "odd.xlsx", {"xl/worksheets/sheet1.xml": SOUND[case]})
    r = run("read", path, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    forms = json.loads(r.stdout)
    kept = forms[0].pop("附加", {})  # a stray cell far away is kept, never dropped silently
    assert ("表外" in kept) == (case == "a single cell at XFD1048576")
    assert forms == truth[:2]


def test_every_cell_is_read_whatever_the_dimension_says(tmp_path, one_form):
    from sheetsync.reading.xlsx import XlsxPackage

    path = hostile.rezip(
        one_form, tmp_path / "dim.xlsx", {"xl/worksheets/sheet1.xml": _dimension(b'<dimension ref="A1:A1"/>')}
    )
    with XlsxPackage(one_form) as a, XlsxPackage(path) as b:
        assert next(b.grids()).values == next(a.grids()).values


@pytest.mark.parametrize("shape", ["xlsxwriter: <v>0</v> with fullCalcOnLoad", "no <v> at all"])
def test_formula_without_a_computed_value_is_not_read_as_zero(tmp_path, shape):
    import xlsxwriter

    path = tmp_path / "f.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    rows = [
        ["项目名称", "x"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        ["", "产出指标", "数量指标", "人数"],
    ]
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            ws.write_string(r, c, v)
    ws.write_formula(2, 4, "=1+1")
    wb.close()
    if shape == "no <v> at all":
        path = hostile.rezip(
            path,
            tmp_path / "nov.xlsx",
            {
                "xl/worksheets/sheet1.xml": lambda x: x.replace(b"<v>0</v>", b""),
                "xl/workbook.xml": lambda x: x.replace(b' fullCalcOnLoad="1"', b""),
            },
        )
    result = sheetsync.read_file(path)
    assert result.forms[0].indicators[0]["指标值"] == ""
    assert [(g.cell, g.code) for g in result.guesses if g.code == "not_computed"] == [("E3", "not_computed")]


def test_xlsm_values_are_read_and_macros_never_written(cli, tmp_path, one_form, truth):
    xlsm = tmp_path / "macro.xlsm"
    hostile.rezip(one_form, xlsm, extra={"xl/vbaProject.bin": b"\x00" * 64})
    r = cli("read", xlsm)
    assert r.code == 0 and json.loads(r.out) == truth[:2]
    assert "macros in this .xlsm are ignored" in r.err
    out = cli("render", xlsm, "-o", tmp_path / "again.xlsm")
    assert out.code == 2 and "writes .xlsx files only (never macros)" in out.err
    assert not (tmp_path / "again.xlsm").exists()


# ---------------------------------------------------------------- fuzzing the reader

SNIPPETS = [
    b"<",
    b">",
    b"&",
    b'"',
    b"\xff\xfe",
    b"_x0000_",
    b'<c r="A1" t="s"><v>99999</v></c>',
    b'<mergeCell ref="A1:XFD1048576"/>',
    b'<c r="ZZZZ0"><v>1</v></c>',
    b"<row>",
    b"</row>",
    b'<c t="n"><v>abc</v></c>',
    b'<c r="B2" t="b"><v>2</v></c>',
    b'<c r="C3" s="9999"><v>1</v></c>',
]
PARTS = [
    "xl/workbook.xml",
    "xl/sharedStrings.xml",
    "xl/worksheets/sheet1.xml",
    "xl/styles.xml",
    "xl/_rels/workbook.xml.rels",
    "[Content_Types].xml",
    "docProps/custom.xml",
]


@st.composite
def mutations(draw):
    part = draw(st.sampled_from(PARTS))
    kind = draw(st.sampled_from(["delete", "insert", "duplicate", "digits", "truncate"]))
    pos = draw(st.floats(0, 1))
    size = draw(st.integers(1, 400))
    snippet = draw(st.sampled_from(SNIPPETS) | st.binary(min_size=1, max_size=8))
    return part, kind, pos, size, snippet


def _mutate(data: bytes, kind: str, pos: float, size: int, snippet: bytes) -> bytes:
    i = int(pos * len(data))
    if kind == "delete":
        return data[:i] + data[i + size :]
    if kind == "insert":
        return data[:i] + snippet + data[i:]
    if kind == "duplicate":
        return data[:i] + data[i : i + size] * 3 + data[i:]
    if kind == "digits":
        return (
            data[:i]
            + bytes(b if not 48 <= b <= 57 else 48 + (b * 7 + size) % 10 for b in data[i : i + size])
            + data[i + size :]
        )
    return data[:i]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(mutations(), min_size=1, max_size=4))
def test_fuzzed_workbooks_raise_only_sheetsync_errors(tmp_path, one_form, edits):
    with zipfile.ZipFile(one_form) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    for part, kind, pos, size, snippet in edits:
        parts[part] = _mutate(parts[part], kind, pos, size, snippet)
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(hostile.in_memory_zip(parts))
    try:
        result = sheetsync.read_file(path)
    except SheetsyncError:
        return
    for form in result.forms:
        Form = type(form)
        assert Form.from_dict(form.to_dict()) == form  # whatever is read is valid contract data


def test_a_failed_read_leaves_an_existing_output_intact(tmp_path, one_form):
    out = tmp_path / "out.json"
    out.write_text("precious", encoding="utf-8")
    bad = _billion(one_form, tmp_path)
    r = run("read", bad, "-o", out, cwd=tmp_path)
    assert r.returncode == 2 and out.read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["laughs.xlsx", "out.json"]


def test_a_report_that_would_overwrite_an_input_is_refused(tmp_path, one_form):
    new = tmp_path / "new.xlsx"
    new.write_bytes(one_form.read_bytes())
    before = new.read_bytes()
    r = run("diff", one_form, new, "--xlsx", new, cwd=tmp_path)
    assert r.returncode == 2 and r.stderr == f"Error: {new}: is also an input; write the output to another file\n"
    assert r.stdout == "" and new.read_bytes() == before


def test_escaped_control_characters_are_removed_with_a_guess(tmp_path, one_form, truth):
    # found by the fuzz test: _x0000_ in a shared string decodes to a NUL the contract cannot hold
    path = hostile.rezip(
        one_form,
        tmp_path / "nul.xlsx",
        {
            "xl/sharedStrings.xml": lambda x: x.replace(
                "受理信访事项举报数量".encode(), "受理_x0000_信访事项举报数量".encode()
            )
        },
    )
    result = sheetsync.read_file(path)
    assert [f.to_dict() for f in result.forms] == truth[:2]
    assert [g.code for g in result.guesses] == ["normalized"]
