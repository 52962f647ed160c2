"""Templates: discovery (package, user folders, plugins), recognition, and blank forms."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sheetsync
from sheetsync.catalog import TEMPLATE_DIRS_ENV, Templates
from tests.conftest import pip_install_target
from tests.lo import edit_in_libreoffice, needs_uno

HERE = Path(__file__).parent
PLUGIN = HERE / "plugin"
SIMPLE = {
    "表名": "2025年简易绩效目标表",
    "项目名称": "示例项目",
    "实施单位": "示例单位",
    "绩效目标": "完成示例工作。",
    "指标": [
        {"一级指标": "产出指标", "二级指标": "数量指标", "指标名称": "完成件数", "目标值": "≥10件"},
        {"一级指标": "满意度指标", "二级指标": "服务对象满意度指标", "指标名称": "满意度", "目标值": "≥90%"},
    ],
}


def test_the_packaged_templates_are_listed(cli):
    r = cli("templates")
    assert r.code == 0
    rows = [line.split() for line in r.out.splitlines()]
    names = ["绩效目标表", "绩效目标表分列", "自评表", "自评表分列"]
    assert [row[:3] for row in rows] == [[name, "2024.1", "package"] for name in names]
    files = ["performance_targets", "performance_targets_split", "self_evaluation", "self_evaluation_split"]
    assert [Path(row[3]).name for row in rows] == [f + ".yaml" for f in files]


@pytest.fixture
def county_template(tmp_path):
    """A user's own variant: the same form with a different name, title and one label."""
    folder = tmp_path / "specs"
    folder.mkdir()
    spec = next(t.path for t in Templates.from_env().found() if t.name == "绩效目标表")
    text = (
        spec.read_text(encoding="utf-8")
        .replace("name: 绩效目标表", "name: 县级绩效目标表")
        .replace('version: "2024.1"', 'version: "1.0"')
        .replace("项目名称, at: A, key: 项目名称", "项目全称, at: A, key: 项目名称")
    )
    (folder / "county.yaml").write_text(text, encoding="utf-8")
    shutil.copy(spec.parent / "framework.yaml", folder / "framework.yaml")
    return folder


def test_a_user_folder_of_templates(cli, monkeypatch, county_template, tmp_path, truth):
    r = cli("--template-dir", county_template, "templates")
    assert [line.split()[:3] for line in r.out.splitlines()] == [
        ["县级绩效目标表", "1.0", "user"],
        ["绩效目标表", "2024.1", "package"],
        ["绩效目标表分列", "2024.1", "package"],
        ["自评表", "2024.1", "package"],
        ["自评表分列", "2024.1", "package"],
    ]
    monkeypatch.setenv(TEMPLATE_DIRS_ENV, str(county_template))
    out = tmp_path / "county.xlsx"
    data = tmp_path / "f.json"
    data.write_text(json.dumps(truth[:2], ensure_ascii=False), encoding="utf-8")
    assert cli("render", data, "--template", "县级绩效目标表", "-o", out).code == 0
    import openpyxl

    assert openpyxl.load_workbook(out).worksheets[0]["A2"].value == "项目全称"
    # read recognizes the template from the workbook's own properties
    result = sheetsync.read_file(out)
    assert [f.template for f in result.forms] == ["县级绩效目标表"] * 2
    assert [f.to_dict() for f in result.forms] == truth[:2] and result.guesses == []


def test_the_best_matching_template_is_chosen_by_labels(monkeypatch, county_template, tmp_path, truth):
    monkeypatch.setenv(TEMPLATE_DIRS_ENV, str(county_template))
    out = tmp_path / "county.xlsx"
    sheetsync.render(truth[:1], out, template="县级绩效目标表")
    # without the document properties (another program re-saved it), the labels decide
    from tests import hostile

    bare = hostile.rezip(out, tmp_path / "bare.xlsx", {"docProps/custom.xml": None})
    assert [f.template for f in sheetsync.read(bare)] == ["县级绩效目标表"]
    plain = tmp_path / "plain.xlsx"
    sheetsync.render(truth[:1], plain)
    assert [
        f.template for f in sheetsync.read(hostile.rezip(plain, tmp_path / "p.xlsx", {"docProps/custom.xml": None}))
    ] == ["绩效目标表"]


def test_unknown_template_names_say_where_to_look(cli):
    r = cli("new", "-o", "x.xlsx", "--template", "决算表")
    assert (r.code, r.err) == (
        2,
        "Error: templates: no template called '决算表'; 'sheetsync templates' lists the installed ones\n",
    )


def test_a_plugin_package_provides_a_template_through_its_entry_point(tmp_path):
    site = tmp_path / "site"
    pip_install_target(PLUGIN, site)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path[1:]])}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "sheetsync", *map(str, args)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
        )

    listed = run("templates")
    assert listed.returncode == 0, listed.stderr
    rows = {line.split()[0]: line.split()[1:4] for line in listed.stdout.splitlines()}
    assert rows["简易绩效目标表"] == ["0.1", "plugin", "sheetsync-demo-plugin"]
    data = tmp_path / "simple.json"
    data.write_text(json.dumps(SIMPLE, ensure_ascii=False), encoding="utf-8")
    assert run("render", data, "--template", "简易绩效目标表", "-o", "simple.xlsx").returncode == 0
    back = run("read", "simple.xlsx")  # the workbook names its template; the plugin provides it
    assert back.returncode == 0 and back.stderr == ""
    assert json.loads(back.stdout) == [SIMPLE]


def test_a_spec_given_by_path_round_trips(tmp_path):
    spec = PLUGIN / "sheetsync_demo_plugin" / "specs" / "simple.yaml"
    path = tmp_path / "s.xlsx"
    sheetsync.render([SIMPLE], path, template=str(spec))
    assert [f.to_dict() for f in sheetsync.read(path, template=str(spec))] == [SIMPLE]


def test_discovery_lists_the_first_of_each_name(monkeypatch, county_template):
    shutil.copy(county_template / "county.yaml", county_template / "county-again.yaml")
    monkeypatch.setenv(TEMPLATE_DIRS_ENV, str(county_template))
    names = [t.name for t in Templates.from_env().found()]
    assert names.count("县级绩效目标表") == 1 and names.count("绩效目标表") == 1


# ---------------------------------------------------------------- blank forms


def test_a_blank_form_reads_as_an_empty_form(cli, tmp_path):
    out = tmp_path / "blank.xlsx"
    r = cli("new", "--rows", "5", "-o", out)
    assert (r.code, r.err) == (0, f"wrote {out} (a blank form with 5 indicator rows)\n")
    form = sheetsync.read(out)[0]
    assert form.indicators == [] and form["项目名称"] == ""
    assert form["表名"] == "____年项目支出预算绩效目标表"  # a title to complete with the year
    import openpyxl

    ws = openpyxl.load_workbook(out).active
    assert ws["B10"].border.left.style == "thin" and ws["E14"].border.bottom.style == "thin"
    assert not any(str(m).startswith(("B10", "C10")) for m in ws.merged_cells.ranges)
    assert {str(dv.sqref) for dv in ws.data_validations.dataValidation} == {"B10:B14", "C10:C14"}
    # room to write in: the goal several lines high, each indicator row two
    assert ws.row_dimensions[8].height >= 60 and ws.row_dimensions[10].height >= 27


@pytest.mark.libreoffice
@needs_uno
def test_a_blank_form_filled_in_libreoffice_reads_back(tmp_path):
    blank = tmp_path / "blank.xlsx"
    sheetsync.rendering.render_blank(blank, rows=6)
    sheet = "表1"
    cells = {
        "A1": "2025年部门项目支出预算绩效目标表",
        "B2": "新建巡逻点项目",
        "B3": "某县公安局",
        "E3": "某县公安局治安大队",
        "B4": "一次性项目",
        "E4": "2025年-2025年",
        "C8": "新建巡逻点，提升见警率。",
        "B10": "产出指标",
        "C10": "数量指标",
        "D10": "新建巡逻点数量",
        "E10": "≥10个",
        "D11": "巡逻人数",
        "E11": "20人",
        "B12": "满意度指标",
        "C12": "服务对象满意度指标",
        "D12": "群众满意度",
        "E12": "≥90%",
    }
    ops = [["string", sheet, ref, text] for ref, text in cells.items()]
    ops += [["number", sheet, "E5", 12.5], ["number", sheet, "E6", 12.5]]
    edit_in_libreoffice([{"in": str(blank), "out": str(tmp_path / "filled.xlsx"), "ops": ops}], tmp_path)
    form = sheetsync.read(tmp_path / "filled.xlsx")[0].to_dict()
    assert form == {
        "表名": "2025年部门项目支出预算绩效目标表",
        "项目名称": "新建巡逻点项目",
        "主管部门": "某县公安局",
        "实施单位": "某县公安局治安大队",
        "项目属性": "一次性项目",
        "项目期": "2025年-2025年",
        "项目资金": {
            "年度资金总额": {"含本级和市县": None, "含本级": 12.5},
            "财政拨款": {"含本级和市县": None, "含本级": 12.5},
            "其他资金": {"含本级和市县": None, "含本级": None},
        },
        "年度总体绩效目标": "新建巡逻点，提升见警率。",
        "绩效指标": [
            {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "新建巡逻点数量", "指标值": "≥10个"},
            {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "巡逻人数", "指标值": "20人"},
            {"一级指标": "满意度指标", "二级指标": "服务对象满意度指标", "三级指标": "群众满意度", "指标值": "≥90%"},
        ],
    }
