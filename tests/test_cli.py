"""The command line: exact messages and exit codes; help with an example for every command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import sheetsync


def test_render_then_read_json(cli, tmp_path, truth):
    out = tmp_path / "ex.xlsx"
    r = cli("render", "--examples", "-o", out)
    assert (r.code, r.out, r.err) == (0, "", f"wrote {out} (9 forms)\n")
    r = cli("read", out)
    assert r.code == 0 and r.err == ""
    assert json.loads(r.out) == truth


def test_render_data_files_in_input_order(cli, tmp_path, truth):
    a, b = tmp_path / "a.json", tmp_path / "b.yaml"
    a.write_text(json.dumps(truth[2], ensure_ascii=False), encoding="utf-8")
    import yaml

    b.write_text(yaml.safe_dump(truth[:2], allow_unicode=True), encoding="utf-8")
    out = tmp_path / "o.xlsx"
    assert cli("render", a, b, "-o", out).code == 0
    assert json.loads(cli("read", out).out) == [truth[2], truth[0], truth[1]]


def test_read_to_files_in_each_format(cli, tmp_path, seed_xlsx, truth):
    for name in ("f.json", "f.yaml", "f.csv"):
        out = tmp_path / name
        r = cli("read", seed_xlsx, "-o", out)
        assert (r.code, r.err) == (0, f"wrote {out} (9 forms)\n")
    assert json.loads((tmp_path / "f.json").read_text(encoding="utf-8")) == truth
    import yaml

    assert yaml.safe_load((tmp_path / "f.yaml").read_text(encoding="utf-8")) == truth
    csv_text = (tmp_path / "f.csv").read_bytes()
    assert csv_text.startswith("\ufeff项目名称,一级指标,二级指标,三级指标,指标值,表名,主管部门,".encode())
    assert csv_text.count(b"\r\n") == 1 + sum(len(t["绩效指标"]) for t in truth)
    assert "\r\n信访工作经费,产出指标,数量指标,受理信访事项举报数量,115件," in csv_text.decode("utf-8-sig")
    assert [f.to_dict() for f in sheetsync.read(tmp_path / "f.csv")] == truth  # and it reads back whole


def test_csv_defuses_formulas(cli, tmp_path, truth):
    form = dict(truth[0])
    form["绩效指标"] = [{"一级指标": "产出指标", "二级指标": "", "三级指标": '=HYPERLINK("x")', "指标值": "+1"}]
    data = tmp_path / "f.json"
    data.write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    r = cli("read", data, "--format", "csv")
    assert r.out.splitlines()[1].startswith('信访工作经费,产出指标,,"\'=HYPERLINK(""x"")",\'+1,')


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("read", "{tmp}/missing.xlsx"), "Error: {tmp}/missing.xlsx: no such file\n"),
        (("render", "{tmp}/missing.json", "-o", "{tmp}/o.xlsx"), "Error: {tmp}/missing.json: no such file\n"),
        (("read", "{seed}", "--format", "xml"), "Error: unknown format 'xml'; use json, yaml, csv\n"),
        (
            ("read", "{seed}", "-o", "{tmp}/out.xml"),
            "Error: cannot tell the output format from 'out.xml'; use .json, .yaml or .csv, or give --format\n",
        ),
        (
            ("read", "{tmp}/forms.numbers"),
            "Error: {tmp}/forms.numbers: unknown input type '.numbers'; sheetsync reads .xlsx, .xlsm, .xls, .xlsb, "
            ".ods, .et, .pdf, .txt, .tsv, .csv, .json, .yaml\n",
        ),
        (
            ("render", "--examples", "-o", "{tmp}/nodir/o.xlsx"),
            "Error: {tmp}/nodir/o.xlsx: the folder '{tmp}/nodir' does not exist; create it first\n",
        ),
        (
            ("read", "{seed}", "-o", "{tmp}/nodir/o.json"),
            "Error: {tmp}/nodir/o.json: the folder '{tmp}/nodir' does not exist; create it first\n",
        ),
        (
            ("render", "{tmp}/bad.json", "-o", "{tmp}/o.xlsx"),
            "Error: {tmp}/bad.json: [0].绩效指标[0].指标值: expected text, got a number (quote it in YAML)\n",
        ),
        (("render", "-o", "{tmp}/o.xlsx"), "Error: nothing to render; give data files or --examples\n"),
        (("read",), "Error: Missing argument 'PATHS'. (see 'sheetsync read --help')\n"),
    ],
)
def test_errors_are_one_line_with_exit_code_2(cli, tmp_path, seed_xlsx, truth, args, message):
    bad = [dict(truth[0])]
    bad[0]["绩效指标"] = [{"一级指标": "产出指标", "二级指标": "", "三级指标": "x", "指标值": 85}]
    (tmp_path / "bad.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "forms.docx").write_bytes(b"PK\x03\x04")
    fill = {"tmp": str(tmp_path), "seed": str(seed_xlsx)}
    r = cli(*(a.format(**fill) for a in args))
    assert r.code == 2
    assert r.err.replace("'paths'", "'PATHS'") == message.format(**fill)
    assert "Traceback" not in r.err and r.out == ""
    assert not (tmp_path / "o.xlsx").exists()


def test_output_that_is_an_input_is_refused(cli, tmp_path, seed_xlsx):
    data = tmp_path / "f.json"
    assert cli("read", seed_xlsx, "-o", data).code == 0
    before = data.read_bytes()
    r = cli("render", data, "-o", data)
    assert r.code == 2
    assert r.err == f"Error: {data}: is also an input; write the output to another file\n"
    assert data.read_bytes() == before


def test_debug_shows_the_traceback(cli, tmp_path):
    with pytest.raises(Exception, match="no such file"):
        cli("--debug", "read", tmp_path / "missing.xlsx")


def test_every_command_has_help_with_an_example(cli):
    import typer.main

    from sheetsync.cli import app

    commands = typer.main.get_command(app).commands
    assert set(commands) >= {"render", "read"}
    for name in commands:
        r = cli(name, "--help")
        assert r.code == 0
        assert "Example: sheetsync " + name in r.out, name


def test_guesses_go_to_stderr(cli):
    from pathlib import Path

    r = cli("read", Path(__file__).parent / "data" / "forms.txt")
    assert r.code == 0
    assert len(json.loads(r.out)) == 9
    assert r.err.count("\n") == r.err.count("warning: ") > 0
    where = str(Path(__file__).parent / "data" / "forms.txt")
    # several of one kind in one file: one line with the count and the first places
    assert "warning: " + where + ": 18 × amount_text (表1, line 6 column 4; 表1, line 7 column 4;" in r.err
    every = cli("read", where, "--all-warnings")
    assert "warning: " + where + ": 表2, line 46 column 2: 二级 '可持续影响指标' belongs under" in every.err
    each = cli("read", where, "--debug")  # --debug: every warning on its own line
    assert each.err.count("warning: ") > every.err.count("warning: ") + 40
    assert "warning: " + where + ": 表1, line 6 column 4: amount" in each.err


def test_one_form_is_counted_as_one(cli, tmp_path, truth):
    data = tmp_path / "one.json"
    data.write_text(json.dumps(truth[0], ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "one.xlsx"
    assert cli("render", data, "-o", out).err == f"wrote {out} (1 form)\n"


def test_version_and_global_options_after_the_command(cli, tmp_path):
    from importlib.metadata import version

    for args in (("--version",), ("read", "--version"), ("diff", "a", "--version")):
        r = cli(*args)
        assert (r.code, r.out.strip()) == (0, f"sheetsync {version('sheetsync')}"), args
    mine = tmp_path / "mine"
    mine.mkdir()
    spec = (Path(__file__).parents[1] / "templates" / "performance_targets.yaml").read_text(encoding="utf-8")
    (mine / "own.yaml").write_text(spec.replace("name: 绩效目标表", "name: 我的表", 1), encoding="utf-8")
    before = cli("--template-dir", mine, "templates")
    after = cli("templates", "--template-dir", mine)
    assert before.code == after.code == 0 and "我的表" in after.out and before.out == after.out
    missing = tmp_path / "missing.xlsx"
    for args in (("read", missing, "--debug"), ("--debug", "read", missing), ("read", "--debug", missing)):
        with pytest.raises(Exception, match="no such file"):  # --debug: the error itself, not one line
            cli(*args)
    assert cli("read", missing, "--lang", "en").err == f"Error: {missing}: no such file\n"


def test_hoist_keeps_values_and_stops_at_the_double_dash():
    from sheetsync.cliargs import hoist

    assert hoist(["read", "x", "--template-dir", "d", "--lang=zh", "--debug"]) == [
        "--template-dir", "d", "--lang=zh", "--debug", "read", "x",
    ]  # fmt: skip
    assert hoist(["read", "--", "--debug"]) == ["read", "--", "--debug"]


def test_a_missing_folder_is_named_missing(cli, tmp_path):
    for command in ("read", "check"):
        r = cli(command, tmp_path / "nofolder")
        assert (r.code, r.err) == (2, f"Error: {tmp_path / 'nofolder'}: no such file or folder\n"), command
