"""sheetsync check: what the seed forms get wrong, no false alarms, each rule, the command."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from sheetsync import Form
from sheetsync.check import check, check_forms
from tests.layouts import dump_workbook

DATA = Path(__file__).parent / "data"

# truth/NOTES.md, "What the forms themselves get wrong", as (form, rule, what the message names)
EXPECTED = {
    ("维护公安民警执法权益抚慰金项目", "misfiled", "抚慰金发放正确性"),  # 正确性 filed under 数量指标
    ("维护公安民警执法权益抚慰金项目", "missing_level", "可持续影响指标"),  # no 效益指标 label at all
    ("公安辅警人员经费", "misfiled", "公安辅警人员经费发放及时性"),  # a 及时性 item under 质量指标
    ("公安辅警公用经费", "same_goal", "公安辅警人员经费"),  # 06/07 identical goal texts
    ("公安辅警公用经费", "goal_total", "340万元"),  # funded 340万元, the text says more
    ("公安辅警公用经费", "unit_mismatch", "辅警服装经费保障标准"),  # cost rows under 时效指标
    ("公安辅警公用经费", "unit_mismatch", "辅警公用经费经费保障标准"),
    ("行政/刑事拘留人员入所前体检专项经费", "unit_cost_budget", "20.46万元"),  # 478 × 428元 > 15万元
    ("行政/刑事拘留人员入所前体检专项经费", "misfiled", "平均每人每次拘押人员体检费用"),  # unit cost as a benefit
    ("行政/刑事拘留人员入所前体检专项经费", "repeated_text", "应急管理体系统健全性"),  # in 二级 and 三级 cells
    ("道路交通隐患治理经费", "missing_level", "数量指标"),  # no 产出指标; 二级 labels in the 一级 column
}
CLEAN = {"信访工作经费", "城市综合监控报警联网系统电费及光纤经费", "禁毒管理", "道路交通安全管理专项经费"}


def _match(findings) -> set:
    out = set()
    for f in findings:
        hit = next((e for e in EXPECTED if e[0] == f.form and e[1] == f.rule and e[2] in f.message), None)
        out.add(hit or (f.form, f.rule, f.message))
    return out


@pytest.mark.parametrize("source", ["text dump", "workbook"])
def test_seed_forms_problems_found_and_no_false_alarms(tmp_path, source):
    path = DATA / "forms.txt"
    if source == "workbook":
        path = dump_workbook(path.read_text(encoding="utf-8"), tmp_path / "dump.xlsx")
    findings = check([path])
    assert _match(findings) == EXPECTED
    assert not CLEAN & {f.form for f in findings}
    assert all(f.cell and f.sheet and f.file == str(path) for f in findings)


def test_findings_point_at_cells(tmp_path):
    path = dump_workbook((DATA / "forms.txt").read_text(encoding="utf-8"), tmp_path / "dump.xlsx")
    by_message = {f.message: f for f in check([path])}
    cost = next(f for m, f in by_message.items() if "平均每人每次拘押人员体检费用" in m and f.rule == "misfiled")
    assert (cost.sheet, cost.cell) == ("表8", "D17")  # line 229 of the dump is row 17 of its form


def test_the_published_forms_as_data_files_have_only_data_problems(truth):
    forms = [Form.from_dict(t) for t in truth]
    rules = {(f.form, f.rule) for f in check_forms(forms)}
    assert ("道路交通隐患治理经费", "missing_level") not in rules  # a layout problem, gone in the data
    assert ("公安辅警公用经费", "same_goal") in rules


def _one(truth, change):
    form = copy.deepcopy(truth[0])
    change(form)
    return [(f.rule, f.severity, f.cell) for f in check_forms([Form.from_dict(form)])]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda f: f.update({"主管部门": ""}), [("empty_field", "error", "主管部门")]),
        (
            lambda f: f["项目资金"].update(
                {"年度资金总额": {"含本级和市县": None, "含本级": 3}, "其他资金": {"含本级和市县": None, "含本级": 0.5}}
            ),
            [("amount_sum", "error", "项目资金.年度资金总额.含本级")],
        ),
        (lambda f: f["绩效指标"][4].update({"指标值": "120%"}), [("rate_over_100", "error", "绩效指标[4].指标值")]),
        (lambda f: f["绩效指标"][4].update({"指标值": "100件"}), [("unit_mismatch", "warning", "绩效指标[4].指标值")]),
        (lambda f: f["绩效指标"][0].update({"指标值": "大概吧"}), [("value_format", "warning", "绩效指标[0].指标值")]),
        (lambda f: f["绩效指标"][0].update({"一级指标": "产出"}), [("level_pair", "warning", "绩效指标[0].一级指标")]),
        (
            lambda f: f["绩效指标"][0].update({"二级指标": "社会效益指标"}),
            [("level_pair", "warning", "绩效指标[0].二级指标")],
        ),
        (lambda f: f["绩效指标"].append(dict(f["绩效指标"][0])), [("duplicate", "warning", "绩效指标[18].三级指标")]),
        (
            lambda f: f["绩效指标"].append(
                {"一级指标": "满意度指标", "二级指标": "服务对象满意度指标", "三级指标": "", "指标值": ""}
            ),
            [("empty_group", "warning", "绩效指标[18].一级指标")],
        ),
        (
            lambda f: f["绩效指标"][6].update({"三级指标": "设备费用(万元)"}),
            [("unit_mismatch", "warning", "绩效指标[6].三级指标")],
        ),
    ],
)
def test_each_rule(truth, change, expected):
    assert _one(truth, change) == expected


def test_a_province_framework_file(tmp_path, truth):
    own = tmp_path / "province.yaml"
    own.write_text("levels:\n  产出:\n    二级: [数量]\nqualitative: [健全]\n", encoding="utf-8")
    data = tmp_path / "f.json"
    form = copy.deepcopy(truth[0])
    form["绩效指标"] = [{"一级指标": "产出", "二级指标": "数量", "三级指标": "x", "指标值": "健全"}]
    data.write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    assert check([data], framework=own) == []
    assert {f.rule for f in check([data])} == {"level_pair"}


def test_cli_exit_codes_and_json(cli, tmp_path, truth):
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps(truth[0], ensure_ascii=False), encoding="utf-8")
    r = cli("check", clean)
    assert (r.code, r.out) == (0, "no findings\n")
    r = cli("check", DATA / "forms.txt", "--format", "json")
    assert r.code == 1
    data = json.loads(r.out)
    assert len(data) == len(EXPECTED)
    assert set(data[0]) == {"severity", "rule", "message", "fix", "file", "sheet", "cell", "form"}
    r = cli("check", DATA / "forms.txt")
    assert r.out.splitlines()[0] == (
        f"{DATA / 'forms.txt'}: 表2, line 42 column 4: warning: '抚慰金发放正确性' reads "
        "as a 质量指标 but is filed under 数量指标 (file it under 质量指标)"
    )
    bad = cli("check", tmp_path / "missing.xlsx")
    assert (bad.code, bad.err) == (2, f"Error: {tmp_path / 'missing.xlsx'}: no such file\n")


def test_the_misfiling_rules_take_their_levels_from_the_framework(tmp_path, truth):
    own = tmp_path / "province.yaml"
    own.write_text(
        "levels:\n  产出:\n    二级: [进度]\n  成本:\n    二级: []\nmoney_units: [元]\n"
        "places: {time: 进度, cost: 成本}\n",
        encoding="utf-8",
    )
    data = tmp_path / "f.json"
    form = copy.deepcopy(truth[0])
    form["绩效指标"] = [{"一级指标": "产出", "二级指标": "进度", "三级指标": "资金拨付", "指标值": "300元"}]
    data.write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    findings = check([data], framework=own)
    assert [(f.rule, f.message, f.fix) for f in findings] == [
        ("unit_mismatch", "'资金拨付' is measured in money but filed under 进度", "file cost items under 成本")
    ]


def test_findings_sorted_by_file_sheet_and_cell(tmp_path):
    from sheetsync.check import in_order

    path = dump_workbook((DATA / "forms.txt").read_text(encoding="utf-8"), tmp_path / "dump.xlsx")
    for findings, numbers in ((check([DATA / "forms.txt"]), r"line (\d+) column (\d+)"), (check([path]), None)):
        sheets = [int(f.sheet[1:]) for f in findings]
        assert sheets == sorted(sheets) and len(set(sheets)) > 3  # 表2 … 表9, by number
        if numbers:  # a text dump's places, by line then column
            import re

            places = [tuple(map(int, re.fullmatch(numbers, f.cell).groups())) for f in findings]
            assert places == sorted(places)
        assert findings == in_order(list(reversed(findings))) or len({(f.sheet, f.cell) for f in findings}) < len(
            findings
        )
    from sheetsync.rules import Finding

    cells = [Finding("warning", "r", "m", "f", "a.xlsx", "表1", c) for c in ("E10", "AA2", "E9", "B10")]
    assert [f.cell for f in in_order(cells)] == ["AA2", "E9", "B10", "E10"]  # by row, then column
    files = [
        Finding("warning", "r", "m", "f", name, s, "A1") for name, s in (("b", "表1"), ("a", "表10"), ("a", "表2"))
    ]
    assert [(f.file, f.sheet) for f in in_order(files)] == [("a", "表2"), ("a", "表10"), ("b", "表1")]


def test_a_finding_names_its_group_when_the_group_has_no_二级(truth):
    form = copy.deepcopy(truth[0])  # 产出指标 spanning both level columns, an item that reads as 时效
    form["绩效指标"].append({"一级指标": "产出指标", "二级指标": "", "三级指标": "资金拨付及时性", "指标值": "及时"})
    found = [f for f in check_forms([Form.from_dict(form)]) if f.rule == "misfiled"]
    assert len(found) == 1 and "filed under 产出指标 (" in str(found[0]) and "under  " not in str(found[0])


def test_findings_of_a_data_file_name_the_file_and_the_form(tmp_path, truth):
    data = tmp_path / "forms.json"
    forms = [copy.deepcopy(truth[0]), copy.deepcopy(truth[1])]
    forms[1]["主管部门"] = ""
    data.write_text(json.dumps(forms, ensure_ascii=False), encoding="utf-8")
    findings = check([data])
    assert findings and all(f.file == str(data) and f.cell.startswith("[1].") for f in findings)
    (finding,) = [f for f in findings if f.rule == "empty_field"]
    assert (finding.file, finding.cell) == (str(data), "[1].主管部门")
    assert str(finding).startswith(f"{data}: [1].主管部门: error: 主管部门 is empty")
