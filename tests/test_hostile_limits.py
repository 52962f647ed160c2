"""The limits of issue 14, each run in a process bounded to 10 s and 1.5 GiB (see
test_hostile.run): every refusal is one line naming the file and the limit, exit 2."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import sheetsync
from tests import hostile
from tests.test_hostile import run
from tests.xlsb import record


@pytest.fixture(scope="module")
def one_form(tmp_path_factory, truth) -> Path:
    path = tmp_path_factory.mktemp("good") / "good.xlsx"
    sheetsync.render(truth[:2], path)
    return path


def _refused(r: subprocess.CompletedProcess, path: Path, *fragments: str) -> str:
    assert r.returncode == 2, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}: "), r.stderr
    assert all(f in lines[0] for f in fragments), lines[0]
    assert r.stdout == ""
    return lines[0]


def test_formula_cells_count_towards_the_cell_limit(tmp_path, one_form):
    bad = hostile.formula_flood(one_form, tmp_path / "formulas.xlsx", 2_100_000)
    assert bad.stat().st_size < 2 << 20
    # past the compression-ratio limit (identical rows pack 300:1), to reach the cell limit
    r = run("read", bad, "--max-ratio", "100000", cwd=tmp_path)
    _refused(r, bad, "holds more than 2000000 cells (the cell limit)", "信访工作经费")


def test_formula_cells_under_the_limit_are_read_within_the_bounds(tmp_path, one_form, truth):
    path = hostile.formula_flood(one_form, tmp_path / "formulas.xlsx", 20_000)
    r = run("read", path, "--max-ratio", "100000", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert [f["项目名称"] for f in json.loads(r.stdout)] == [f["项目名称"] for f in truth[:2]]
    assert "formula with no computed value" in r.stderr


def test_a_part_that_several_sheets_point_to_is_refused(tmp_path, one_form):
    bad = hostile.shared_part(one_form, tmp_path / "shared.xlsx", 100)
    _refused(run("read", bad, cwd=tmp_path), bad, "point to the same part xl/worksheets/sheet1.xml")


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        (b'<c r="A1"', b'<c r="abc"', "cell reference 'abc'"),
        (b'<c r="A1"', b'<c r="ZZZZZ1"', "cell reference 'ZZZZZ1'"),
        (b'<c r="A1"', b'<c r="A0"', "cell reference 'A0'"),
        (b'<c r="A1"', b'<c r="XFE1"', "cell reference 'XFE1'"),
        (b'<row r="1"', b'<row r="x1"', "row number 'x1'"),
        (b'<mergeCell ref="', b'<mergeCell ref="A1:ZZZZZ9" x="', "cell reference 'ZZZZZ9'"),
    ],
)
def test_a_bad_reference_names_the_sheet_and_the_cell_text(tmp_path, one_form, old, new, shown):
    bad = hostile.with_ref(one_form, tmp_path / "ref.xlsx", old, new)
    line = _refused(run("read", bad, cwd=tmp_path), bad, "sheet '信访工作经费'", shown)
    assert "int()" not in line


def test_a_merge_over_the_whole_grid_of_a_sheet_is_no_form(tmp_path, one_form):
    def merge_all(xml: bytes) -> bytes:  # listed last with the title's corner: it holds, as in LibreOffice
        return xml.replace(b"</mergeCells>", b'<mergeCell ref="A1:E40"/></mergeCells>')

    bad = hostile.rezip(one_form, tmp_path / "merged.xlsx", {"xl/worksheets/sheet1.xml": merge_all})
    r = run("read", bad, cwd=tmp_path)
    assert r.returncode == 0
    assert [f["项目名称"] for f in json.loads(r.stdout)] == ["维护公安民警执法权益抚慰金项目"]
    assert "信访工作经费: shows none of the form's labels" in r.stderr
    both = hostile.rezip(bad, tmp_path / "both.xlsx", {"xl/worksheets/sheet2.xml": merge_all})
    _refused(run("read", both, cwd=tmp_path), both, "holds no form")


def test_an_ods_of_repeated_cells_is_refused_at_the_cell_limit(tmp_path):
    bad = hostile.ods_flood(tmp_path / "flood.ods")
    _refused(run("read", bad, cwd=tmp_path), bad, "holds more than 2000000 cells (the cell limit)")


@pytest.mark.parametrize(
    ("sheet", "fragment"),
    [
        (b"\x00\xff\xff\xff\x7f", "a record claims"),  # a record of 256 MiB and more
        (record(0, b"\x00" * 17) + record(7, b"\x00" * 12)[:-4], "runs past the end"),
        (record(0, b"\x00" * 17) + record(7, b"\x00" * 8 + b"\x05\x00\x00\x00"), "shared string 5"),
        (record(0, b"\x00\x00\x20\x00" + b"\x00" * 13), "past the last row"),
        (record(0, b"\x00" * 17) + record(5, b"\x00" * 8 + b"\x00" * 6 + b"\xf8\x7f"), "not a finite number"),
    ],
)
def test_damaged_xlsb_records_give_one_line(tmp_path, sheet, fragment):
    bad = hostile.xlsb_record(tmp_path / "bad.xlsb", sheet)
    _refused(run("read", bad, cwd=tmp_path), bad, fragment)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ("项目名称\t信访工作经费\n".encode("utf-16-le"), "needs its byte-order mark"),
        (bytes(range(256)) * 64, "is a binary file"),
        (b"\xff\xfe" + b"\x00\xd8" * 4, "byte-order mark"),
    ],
)
def test_text_in_no_known_encoding_is_one_line(tmp_path, data, fragment):
    bad = tmp_path / "dump.txt"
    bad.write_bytes(data)
    _refused(run("read", bad, cwd=tmp_path), bad, fragment)


def test_data_nested_too_deep_names_the_file(tmp_path):
    for name, text in (("deep.json", "[" * 100_000 + "]" * 100_000), ("deep.yaml", "[" * 100_000 + "]" * 100_000)):
        bad = tmp_path / name
        bad.write_text(text, encoding="utf-8")
        for command in (("read", bad), ("render", bad, "-o", tmp_path / "out.xlsx")):
            line = _refused(run(*command, cwd=tmp_path), bad)
            assert "nested" in line and "RecursionError" not in line
    assert not (tmp_path / "out.xlsx").exists()


def test_render_refuses_a_form_that_does_not_fit_in_a_sheet(cli, tmp_path, truth):
    form = dict(truth[0])
    form["绩效指标"] = [form["绩效指标"][0]] * 1_048_570
    out = tmp_path / "huge.xlsx"
    message = (
        "form 1 (信访工作经费): the form needs 1,048,579 rows with its 1,048,570 indicators, "
        "more than a sheet holds (1,048,576); split it into several forms"
    )
    with pytest.raises(sheetsync.DataError) as err:
        sheetsync.render([form], out)
    assert str(err.value) == message
    data = tmp_path / "huge.json"
    data.write_text(json.dumps([truth[1], form], ensure_ascii=False), encoding="utf-8")
    r = cli("render", data, "-o", out)
    assert (r.code, r.out) == (2, "")
    assert r.err == "Error: " + message.replace("form 1", "form 2") + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["huge.json"]


# ---------------------------------------------------------------- outputs


def test_outputs_that_are_not_regular_files_are_written_through(tmp_path, one_form):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = run("read", one_form, "-o", fifo, "--format", "json", cwd=tmp_path)
    reader.join(10)
    assert r.returncode == 0, r.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode) and json.loads(got[0])[0]["项目名称"] == "信访工作经费"
    try:
        os.mknod(tmp_path / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device node needs root")
    for command in (
        ("read", one_form, "-o", tmp_path / "null", "--format", "json"),
        ("render", one_form, "-o", tmp_path / "null"),
    ):
        r = run(*command, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert stat.S_ISCHR((tmp_path / "null").stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null", "pipe"]


_FULL_DISK = """
import builtins, errno, io, sys
real = io.open
def full(file, mode="r", *args, **kwargs):
    handle = real(file, mode, *args, **kwargs)
    if "w" in mode and str(file).endswith(".tmp"):
        def refuse(*_):
            raise OSError(errno.ENOSPC, "No space left on device")
        handle.write = refuse
    return handle
builtins.open = io.open = full
sys.argv = ["sheetsync", *sys.argv[1:]]
from sheetsync.cli import main
main()
"""


@pytest.mark.parametrize("command", ["render", "read"])
def test_a_failed_write_prints_one_line_and_nothing_else(tmp_path, one_form, command):
    out = tmp_path / ("out.xlsx" if command == "render" else "out.json")
    out.write_text("precious", encoding="utf-8")
    args = ("render", one_form, "-o", out) if command == "render" else ("read", one_form, "-o", out)
    r = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, *map(str, args)], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == f"Error: {out}: cannot be written (No space left on device)\n"
    assert out.read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


def test_a_full_disk_prints_one_line(tmp_path, one_form):
    """A real full file system where one can be mounted (root on Linux); the test above
    covers the same path everywhere."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        r = run("render", one_form, "-o", disk / "x.xlsx", cwd=tmp_path)
        assert (r.returncode, r.stdout) == (2, "")
        assert r.stderr == f"Error: {disk / 'x.xlsx'}: cannot be written (No space left on device)\n"
        assert os.listdir(disk) == []
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def test_an_output_that_is_a_symbolic_link_replaces_the_file_it_points_to(tmp_path, one_form):
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    r = run("read", one_form, "-o", link, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and json.loads(target.read_text(encoding="utf-8"))[0]["项目名称"] == "信访工作经费"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


def test_a_number_past_the_digit_limit_is_one_line(tmp_path):
    """Python refuses int() of over 4,300 digits with a ValueError; it is bad data, said in one line."""
    for name, text in (("big.json", "[" + "1" * 5000 + "]"), ("big.yaml", "x: " + "1" * 5000)):
        bad = tmp_path / name
        bad.write_text(text, encoding="utf-8")
        line = _refused(run("read", bad, cwd=tmp_path), bad)
        assert "4,300 digits" in line and "internal error" not in line
