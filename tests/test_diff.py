"""sheetsync diff: changes keyed by what they are, each kind, every output, and git."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sheetsync
from sheetsync import Form
from sheetsync.diffing import compare_targets, diff_forms
from sheetsync.report import format_diff, textconv_lines
from tests.test_roundtrip import forms as form_strategy


def _forms(data):
    return [Form.from_dict(d) for d in data]


def _diff(old, new, **kw):
    return [c.to_json() for c in diff_forms(_forms(old), _forms(new), **kw)]


def test_same_forms_have_no_changes(truth):
    assert _diff(truth, truth) == []


def test_a_changed_value(truth):
    new = copy.deepcopy(truth)
    new[0]["绩效指标"][0]["指标值"] = "120件"
    assert _diff(truth, new) == [
        {
            "kind": "changed",
            "form": "信访工作经费",
            "path": ["产出指标", "数量指标", "受理信访事项举报数量"],
            "old": "115件",
            "new": "120件",
            "delta": 5,
            "direction": "increased",
        }
    ]


@pytest.mark.parametrize(
    ("old", "new", "detail"),
    [
        ("≥85%", "≥ 85 %", None),
        ("85%", "８５％", None),
        ("≥85%", "不低于85%", None),
        ("≥85%", "85%以上", None),
        ("85%", "=85%", None),
        ("1000人", "1,000人", None),
        ("≥85%", "≥90%", {"delta": 5, "direction": "tightened"}),
        ("≥90%", "≥85%", {"delta": -5, "direction": "loosened"}),
        ("≤10.4%", "≤7%", {"delta": -3.4, "direction": "tightened"}),
        ("≤7%", "≤10.4%", {"delta": 3.4, "direction": "loosened"}),
        ("115件", "113件", {"delta": -2, "direction": "decreased"}),
        ("46.03万元", "460300元", {"unit": ["万元", "元"]}),
        ("85%", "≥85%", {"delta": 0, "comparator": [None, "≥"]}),
        ("健全", "基本健全", {}),
        ("无", "", {}),
    ],
)
def test_values_compare_by_meaning(old, new, detail):
    assert compare_targets(old, new) == detail


def test_added_and_removed_indicators(truth):
    new = copy.deepcopy(truth)
    gone = new[0]["绩效指标"].pop(2)
    new[0]["绩效指标"].insert(
        5, {"一级指标": "产出指标", "二级指标": "质量指标", "三级指标": "回访工作完成率", "指标值": "≥95%"}
    )
    assert _diff(truth, new) == [
        {
            "kind": "added",
            "form": "信访工作经费",
            "path": ["产出指标", "质量指标", "回访工作完成率"],
            "old": None,
            "new": "≥95%",
        },
        {
            "kind": "removed",
            "form": "信访工作经费",
            "path": ["产出指标", "数量指标", gone["三级指标"]],
            "old": "113件",
            "new": None,
        },
    ]


def test_a_renamed_indicator_within_its_group(truth):
    new = copy.deepcopy(truth)
    new[0]["绩效指标"][1].update({"三级指标": "信访案件立案数", "指标值": "50起"})
    assert _diff(truth, new) == [
        {
            "kind": "renamed",
            "form": "信访工作经费",
            "path": ["产出指标", "数量指标", "信访案件立案数"],
            "old": "48起",
            "new": "50起",
            "old_path": ["产出指标", "数量指标", "信访案件立案数量"],
            "delta": 2,
            "direction": "increased",
        }
    ]


def test_an_indicator_moved_to_another_group(truth):
    new = copy.deepcopy(truth)
    new[0]["绩效指标"][6].update({"二级指标": "质量指标"})  # 信访事项现场解决及时性 from 时效 to 质量
    assert _diff(truth, new) == [
        {
            "kind": "moved",
            "form": "信访工作经费",
            "path": ["产出指标", "质量指标", "信访事项现场解决及时性"],
            "old": "98.26%",
            "new": "98.26%",
            "old_path": ["产出指标", "时效指标", "信访事项现场解决及时性"],
        }
    ]


def test_order_alone_is_not_a_change_unless_asked(truth):
    new = copy.deepcopy(truth)
    rows = new[0]["绩效指标"]
    rows[0], rows[3] = rows[3], rows[0]
    assert _diff(truth, new) == []
    reordered = _diff(truth, new, order=True)
    assert {c["kind"] for c in reordered} == {"reordered"}
    assert {c["path"][2] for c in reordered} <= {
        "受理信访事项举报数量",
        "接待信访群众数量",
        "信访案件立案数量",
        "现场就地解决信访事项举报数量",
    }
    assert 1 <= len(reordered) <= 2


def test_header_fields_amounts_and_the_goal_span(truth):
    new = copy.deepcopy(truth)
    new[3]["实施单位"] = "永宁县公安局交警大队"
    new[3]["项目资金"]["年度资金总额"]["含本级"] = 2100
    new[3]["项目资金"]["其他资金"]["含本级"] = 49.8
    new[3]["年度总体绩效目标"] = new[3]["年度总体绩效目标"].replace("340名辅警", "350名辅警")
    changes = _diff(truth, new)
    assert changes[0] == {
        "kind": "changed",
        "form": "公安辅警人员经费",
        "path": ["实施单位"],
        "old": "永宁县公安局",
        "new": "永宁县公安局交警大队",
    }
    goal = changes[1]
    assert goal["path"] == ["年度总体绩效目标"]
    assert (goal["span"]["old"], goal["span"]["new"]) == ("4", "5")
    assert goal["span"]["before"].endswith("1、3") and goal["span"]["after"].startswith("0名辅警")
    assert changes[2:] == [
        {
            "kind": "changed",
            "form": "公安辅警人员经费",
            "path": ["项目资金", "年度资金总额", "含本级"],
            "old": 2050.2,
            "new": 2100,
            "delta": 49.8,
        },
        {
            "kind": "changed",
            "form": "公安辅警人员经费",
            "path": ["项目资金", "其他资金", "含本级"],
            "old": None,
            "new": 49.8,
        },
    ]


def test_forms_renamed_added_and_removed(truth):
    new = copy.deepcopy(truth)
    new[1]["项目名称"] = "维护民警执法权益抚慰金"
    extra = copy.deepcopy(truth[0])
    extra["项目名称"] = "新项目"
    extra["绩效指标"] = [{"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "全新", "指标值": "1个"}]
    del new[2]
    new.append(extra)
    changes = _diff(truth, new)
    assert changes == [
        {
            "kind": "renamed",
            "form": "维护民警执法权益抚慰金",
            "path": [],
            "old": "维护公安民警执法权益抚慰金项目",
            "new": "维护民警执法权益抚慰金",
            "old_form": "维护公安民警执法权益抚慰金项目",
        },
        {"kind": "added", "form": "新项目", "path": [], "old": None, "new": "新项目"},
        {
            "kind": "removed",
            "form": "城市综合监控报警联网系统电费及光纤经费",
            "path": [],
            "old": "城市综合监控报警联网系统电费及光纤经费",
            "new": None,
        },
    ]


# ---------------------------------------------------------------- properties


@st.composite
def versions(draw):
    """Forms with unique 三级 names, and a second version made by distinct, unambiguous edits."""
    old = draw(st.lists(form_strategy(max_indicators=12), min_size=1, max_size=3, unique_by=lambda f: f["项目名称"]))
    for f in old:
        seen = set()
        f["绩效指标"] = [r for r in f["绩效指标"] if not (r["三级指标"] in seen or seen.add(r["三级指标"]))]
    new = copy.deepcopy(old)
    for f in new:
        rows = f["绩效指标"]
        touched_groups = set()
        for i in reversed(range(len(rows))):
            op = draw(st.sampled_from(["keep", "keep", "value", "remove", "rename", "move"]))
            group = (rows[i]["一级指标"], rows[i]["二级指标"])
            if op == "value":
                rows[i]["指标值"] = rows[i]["指标值"] + "+1"
            elif op == "remove" and group not in touched_groups:
                touched_groups.add(group)
                rows.pop(i)
            elif op == "rename" and group not in touched_groups and len(rows[i]["三级指标"]) >= 4:
                touched_groups.add(group)
                rows[i]["三级指标"] += "甲"
            elif op == "move":
                rows[i]["二级指标"] = "迁入组"
        if draw(st.booleans()):
            rows.append({"一级指标": "新增组", "二级指标": "新增项", "三级指标": "★新增★", "指标值": "1"})
        if draw(st.booleans()):
            f["主管部门"] += "（调整）"
    return old, new


def _mirror(change: dict) -> tuple:
    kind = {"added": "removed", "removed": "added"}.get(change["kind"], change["kind"])
    path = change.get("old_path") or change["path"]
    old_path = change["path"] if change.get("old_path") else None
    return (
        kind,
        json.dumps(path, ensure_ascii=False),
        json.dumps(old_path, ensure_ascii=False),
        json.dumps(change["new"], ensure_ascii=False),
        json.dumps(change["old"], ensure_ascii=False),
        -change["delta"] if isinstance(change.get("delta"), (int, float)) else None,
    )


def _key(change: dict) -> tuple:
    return (
        change["kind"],
        json.dumps(change["path"], ensure_ascii=False),
        json.dumps(change.get("old_path"), ensure_ascii=False),
        json.dumps(change["old"], ensure_ascii=False),
        json.dumps(change["new"], ensure_ascii=False),
        change["delta"] if isinstance(change.get("delta"), (int, float)) else None,
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(form_strategy(max_indicators=20), min_size=1, max_size=3))
def test_a_form_list_has_no_changes_against_itself(data):
    assert _diff(data, data) == []


@settings(max_examples=80, deadline=None)
@given(versions())
def test_diff_mirrors_when_swapped(pair):
    old, new = pair
    forward = sorted(_mirror(c) for c in _diff(old, new))
    backward = sorted(_key(c) for c in _diff(new, old))
    assert forward == backward


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(versions())
def test_diffing_rendered_workbooks_equals_diffing_their_data(tmp_path, pair):
    old, new = pair
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    sheetsync.render(old, a)
    sheetsync.render(new, b)
    assert [c.to_json() for c in sheetsync.diff(a, b)] == _diff(old, new)


# ---------------------------------------------------------------- outputs and the command line


@pytest.fixture
def versions_on_disk(tmp_path, truth):
    new = copy.deepcopy(truth)
    new[0]["绩效指标"][0]["指标值"] = "120件"
    new[0]["绩效指标"][10]["指标值"] = "≤5%"
    new[0]["项目资金"]["年度资金总额"]["含本级"] = 3.5
    new[0]["绩效指标"].pop(3)
    old_path, new_path = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    sheetsync.render(truth, old_path)
    sheetsync.render(new, new_path)
    return old_path, new_path


def test_cli_text_exit_codes_and_alignment(cli, versions_on_disk, seed_xlsx):
    old, new = versions_on_disk
    r = cli("diff", old, new)
    assert r.code == 1
    assert r.out == (
        "信访工作经费\n"
        "  changed   项目资金 / 年度资金总额 / 含本级            3 → 3.5  (+0.5)\n"
        "  changed   产出指标 / 数量指标 / 受理信访事项举报数量  115件 → 120件  (+5件, increased)\n"
        "  changed   效益指标 / 社会效益指标 / 执法投诉率        ≤7% → ≤5%  (-2%, tightened)\n"
        "  removed   产出指标 / 数量指标 / 接待信访群众数量      193人 → ∅\n"
        "3 changed, 1 removed\n"
    )
    same = cli("diff", seed_xlsx, old)
    assert (same.code, same.out) == (0, "no changes\n")
    trouble = cli("diff", old, old.parent / "missing.xlsx")
    assert trouble.code == 2 and trouble.err == f"Error: {old.parent / 'missing.xlsx'}: no such file\n"
    assert (
        cli("diff", old, new, "--format", "yaml").err == "Error: unknown format 'yaml'; use text, json, markdown, csv\n"
    )


def test_cli_json_markdown_csv(cli, versions_on_disk):
    old, new = versions_on_disk
    data = json.loads(cli("diff", old, new, "--format", "json").out)
    assert [c["kind"] for c in data] == ["changed", "changed", "changed", "removed"]
    assert data[2] == {
        "kind": "changed",
        "form": "信访工作经费",
        "path": ["效益指标", "社会效益指标", "执法投诉率"],
        "old": "≤7%",
        "new": "≤5%",
        "delta": -2,
        "direction": "tightened",
    }
    md = cli("diff", old, new, "--format", "markdown").out.splitlines()
    assert md[0] == "| form | kind | path | old | new | note |"
    assert md[4] == "| 信访工作经费 | changed | 效益指标 / 社会效益指标 / 执法投诉率 | ≤7% | ≤5% | '-2%, tightened |"
    assert md[3].endswith("| 115件 | 120件 | '+5件, increased |")  # cells starting with + or - are defused
    rows = cli("diff", old, new, "--format", "csv").out.lstrip("\ufeff").splitlines()
    assert rows[0] == "form,kind,path,old_path,old,new,delta,direction,column"
    assert rows[4] == "信访工作经费,removed,产出指标 / 数量指标 / 接待信访群众数量,,193人,,,,"


def test_xlsx_report_marks_cells_and_links_them(cli, versions_on_disk, tmp_path):
    old, new = versions_on_disk
    report = tmp_path / "report.xlsx"
    assert cli("diff", old, new, "--xlsx", report).code == 1
    wb = openpyxl.load_workbook(report)
    assert wb.sheetnames[0] == "变更" and len(wb.sheetnames) == 10
    summary = [list(r) for r in wb["变更"].iter_rows(values_only=True)]
    assert summary[0][0] == "变更报告"
    assert summary[1][0].startswith("原文件：old.xlsx（修改于 20") and summary[2][0].startswith("新文件：new.xlsx（")
    assert summary[3][0] == "共 4 处变更：修改 3 处，删除 1 处"
    assert summary[4] == ["表", "变更", "位置", "单元格", "原值", "新值", "说明"]
    assert summary[5] == [
        "信访工作经费",
        "修改",
        "项目资金 / 年度资金总额 / 含本级",
        "E5",
        "3.00",
        "3.50",
        "增加 0.5万元",
    ]
    assert summary[6] == [
        "信访工作经费",
        "修改",
        "产出指标 / 数量指标 / 受理信访事项举报数量",
        "E10",
        "115件",
        "120件",
        "增加 5件",
    ]
    assert summary[7][4:] == ["≤7%", "≤5%", "收紧 2%"]
    removed = ["删除", "产出指标 / 数量指标 / 接待信访群众数量", "", "193人", "", "删除的指标，新版本中没有"]
    assert summary[8][1:] == removed
    assert wb["变更"]["D7"].hyperlink.location == "'信访工作经费'!E10"
    assert wb["变更"]["D9"].hyperlink is None  # a removed indicator has no cell in NEW
    ws = wb["信访工作经费"]
    assert ws["E10"].value == "120件" and ws["E10"].comment.text == "原值：115件"
    assert ws["E10"].fill.fgColor.rgb == "FFFFE699"
    assert ws["E5"].comment.text == "原值：3.00" and ws["E11"].comment is None
    # printed one page wide, landscape, the table's header on every page
    setup = wb["变更"]
    assert setup.page_setup.orientation == "landscape" and setup.sheet_properties.pageSetUpPr.fitToPage
    assert setup.page_setup.fitToHeight == 0  # one page wide, as many down as it takes
    assert setup.print_title_rows == "$5:$5"
    # the report's form sheets are NEW's data, exactly
    assert sheetsync.read(report) == sheetsync.read(new)


def test_textconv_lines_are_stable_and_complete(truth):
    text = textconv_lines(_forms(truth[:1]))
    lines = text.splitlines()
    assert lines[0] == "[信访工作经费] 表名 = 2024年部门项目支出预算绩效目标表"
    assert "[信访工作经费] 项目资金/年度资金总额/含本级 = 3" in lines
    assert "[信访工作经费] 绩效指标/成本指标//无 = 无" in lines
    assert len(lines) == 7 + 6 + len(truth[0]["绩效指标"])
    assert textconv_lines(_forms(truth[:1])) == text


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_diff_shows_changed_indicator_lines(tmp_path, truth):
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}

    def git(*args):
        return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout

    git("init", "-q")
    git("config", "user.email", "t@example.invalid")
    git("config", "user.name", "t")
    git("config", "diff.sheetsync.textconv", f"{sys.executable} -m sheetsync textconv")
    (repo / ".gitattributes").write_text("*.xlsx diff=sheetsync\n", encoding="utf-8")
    sheetsync.render(truth, repo / "forms.xlsx")
    git("add", ".")
    git("commit", "-qm", "v1")
    new = copy.deepcopy(truth)
    new[0]["绩效指标"][0]["指标值"] = "120件"
    sheetsync.render(new, repo / "forms.xlsx")
    out = git("diff")
    changed = [line for line in out.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [
        "-[信访工作经费] 绩效指标/产出指标/数量指标/受理信访事项举报数量 = 115件",
        "+[信访工作经费] 绩效指标/产出指标/数量指标/受理信访事项举报数量 = 120件",
    ]


def test_format_diff_rejects_unknown_formats():
    with pytest.raises(sheetsync.InputError, match="unknown format 'xml'"):
        format_diff(None, "xml")
