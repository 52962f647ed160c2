"""Folders that mix templates (绩效目标表 and 自评表): read, CSV and back, check, diff, workers.

Every workbook here is rendered by sheetsync itself into the test's folder; the assertions are
on what the commands print.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import pickle
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import sheetsync
from sheetsync.catalog import TEMPLATE_DIRS_ENV, Templates, templates_root
from sheetsync.errors import Code
from sheetsync.export import forms_to_csv
from sheetsync.model import Form

SELF = json.loads((Path(__file__).parent / "data" / "self_evaluation.json").read_text(encoding="utf-8"))
TARGET_SEED = json.loads(
    sorted((Path(str(templates_root())) / "examples").glob("*.json"))[0].read_text(encoding="utf-8")
)
TARGETS, SELF_EVALUATION = "绩效目标表", "自评表"


@pytest.fixture
def mixed(tmp_path, truth):
    """A folder with a workbook of two 绩效目标表 forms and one of a 自评表."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    sheetsync.render(truth[1:3], folder / "a-targets.xlsx")
    over = copy.deepcopy(SELF)
    over["绩效指标"][0]["得分"] = 25  # above its 分值 of 20: a rule only the 自评表 has
    sheetsync.render([over], folder / "b-self.xlsx", template=SELF_EVALUATION)
    return folder


def test_read_json_gives_each_form_in_its_own_template(cli, mixed, truth):
    r = cli("read", mixed, "--format", "json")
    assert r.code == 0, r.err
    forms = json.loads(r.out)
    assert forms[:2] == truth[1:3]
    assert forms[2]["项目名称"] == "信访工作经费" and forms[2]["实际完成情况"] == SELF["实际完成情况"]
    assert forms[2]["绩效指标"][0]["得分"] == 25 and "指标值" not in forms[2]["绩效指标"][0]
    assert "internal error" not in r.err


def _sections(text: str) -> list[list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    out: list[list[list[str]]] = [[]]
    for row in rows:
        if not row:
            out.append([])
        else:
            out[-1].append(row)
    return out


def test_read_csv_writes_one_table_per_template(cli, mixed, truth):
    r = cli("read", mixed, "--format", "csv")
    assert r.code == 0, r.err
    targets, self_eval = _sections(r.out)
    assert targets[0] == ["# template: 绩效目标表"]
    assert targets[1][:5] == ["项目名称", "一级指标", "二级指标", "三级指标", "指标值"]
    assert targets[1][5:8] == ["表名", "主管部门", "实施单位"]  # then the form's other values
    assert self_eval[0] == ["# template: 自评表"]
    assert self_eval[1][:9] == [
        "项目名称",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    assert len({len(row) for row in targets[1:]}) == 1 and len({len(row) for row in self_eval[1:]}) == 1
    assert len(targets) - 2 == sum(len(f["绩效指标"]) for f in truth[1:3])
    assert self_eval[3][:9] == [
        "信访工作经费",
        "产出指标",
        "质量指标",
        "信访案件办结率",
        "≥95%",
        "93%",
        "20",
        "18.5",
        SELF["绩效指标"][1]["偏差原因分析及改进措施"],
    ]


def test_the_csv_reads_back_as_the_same_forms(cli, mixed, tmp_path):
    out = tmp_path / "forms.csv"
    assert cli("read", mixed, "-o", out).code == 0
    back = cli("read", out)
    assert back.code == 0, back.err
    original = json.loads(cli("read", mixed).out)
    again = json.loads(back.out)
    assert again == original and back.err == ""  # the CSV holds every value of every form
    assert [f.template for f in sheetsync.read(out)] == [TARGETS, TARGETS, SELF_EVALUATION]
    assert cli("read", out, "--strict").code == 0  # nothing guessed
    # a table cut down to the identity and the indicators reads too, and says what it lacks
    cut, width = [], 0
    for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))):
        width = row.index("表名") if row[:1] == ["项目名称"] else width
        cut.append(row if len(row) < 2 else row[:width])
    with (tmp_path / "cut.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(cut)
    short = cli("read", tmp_path / "cut.csv")
    assert short.code == 0, short.err
    cut_forms = json.loads(short.out)
    assert [(f["项目名称"], f["绩效指标"]) for f in cut_forms] == [(f["项目名称"], f["绩效指标"]) for f in original]
    assert cut_forms[2]["实际完成情况"] == "" and cut_forms[0]["主管部门"] == ""
    assert short.err.count("a table of indicators") == 1
    assert cli("read", tmp_path / "cut.csv", "--strict").code == 2  # what it lacks is said; strict refuses it


PACKAGED = Templates(plugins=False)
# texts that CSV and its defusing quote could get wrong
TRICKY = st.text(
    st.sampled_from(["'", "=", "+", "-", "@", " ", "\t", "\r", "\n", ",", '"', "#", "a", "指"]), max_size=6
)


@st.composite
def mixed_forms(draw):
    """Published forms of both templates in any order, with tricky names and 指标值."""
    forms = []
    seeds = [PACKAGED.get(TARGETS), PACKAGED.get(SELF_EVALUATION)]
    for spec in draw(st.lists(st.sampled_from(seeds), min_size=1, max_size=4)):
        data = copy.deepcopy(SELF if spec.name == SELF_EVALUATION else TARGET_SEED)
        data[spec.identity] = draw(TRICKY)
        for row in data[spec.indicators.key]:
            row[spec.indicators.target.key] = draw(TRICKY)
        forms.append(Form.from_dict(data, spec=spec))
    return forms


@given(forms=mixed_forms())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_csv_round_trip_keeps_templates_names_and_indicators(tmp_path, forms):
    names = [(f.template, f.name) for f in forms]
    assume(len(set(names)) == len(names))  # the table's forms are runs of rows with one name
    assume(not any(f.name.startswith("#") for f in forms))
    path = tmp_path / "forms.csv"
    path.write_bytes(forms_to_csv(forms).encode("utf-8"))
    back = sheetsync.read(path)
    order = list(dict.fromkeys(f.template for f in forms))  # one table per template, in order of appearance
    expected = sorted(forms, key=lambda f: order.index(f.template))
    assert [(f.template, f.to_dict()) for f in back] == [(f.template, f.to_dict()) for f in expected]


def test_a_one_template_csv_is_one_table_and_reads_back_whole(cli, tmp_path, truth):
    sheetsync.render(truth[:2], tmp_path / "t.xlsx")
    r = cli("read", tmp_path / "t.xlsx", "--format", "csv")
    assert r.out.lstrip("\ufeff").startswith("项目名称,一级指标,二级指标,三级指标,指标值,表名,主管部门,")
    (tmp_path / "t.csv").write_text(r.out, encoding="utf-8")
    forms = sheetsync.read(tmp_path / "t.csv")
    assert [f.to_dict() for f in forms] == truth[:2]


def test_check_uses_each_forms_own_template_and_framework(cli, mixed):
    r = cli("check", mixed, "--format", "json")
    assert r.code == 1, r.err
    findings = json.loads(r.out)
    over = [f for f in findings if f["rule"] == "over_limit"]
    assert len(over) == 1 and over[0]["file"].endswith("b-self.xlsx") and over[0]["form"] == "信访工作经费"
    assert {Path(f["file"]).name for f in findings} <= {"a-targets.xlsx", "b-self.xlsx"}
    assert "internal error" not in r.err


def test_diff_pairs_forms_of_one_template_and_says_a_template_changed(cli, mixed, tmp_path, truth):
    new = tmp_path / "new"
    new.mkdir()
    changed = copy.deepcopy(truth[1:3])
    changed[0]["绩效指标"][0]["指标值"] = "≥999次"
    sheetsync.render([truth[0], *changed], new / "targets.xlsx")  # 信访工作经费 is now a 绩效目标表
    r = cli("diff", mixed, new, "--format", "json")
    assert r.code == 1, r.err
    changes = json.loads(r.out)
    assert changes[0] == {
        "kind": "retemplated",
        "form": "信访工作经费",
        "path": [],
        "old": "自评表",
        "new": "绩效目标表",
    }
    assert [(c["kind"], c["form"], c["new"]) for c in changes[1:]] == [("changed", truth[1]["项目名称"], "≥999次")]
    text = cli("diff", mixed, new)
    assert "retemplated" in text.out and "自评表 → 绩效目标表" in text.out
    report = cli("diff", mixed, new, "--xlsx", tmp_path / "report.xlsx")
    assert report.code == 1 and (tmp_path / "report.xlsx").exists(), report.err


def test_diff_report_of_mixed_templates_reads_back(tmp_path, mixed):
    forms = sheetsync.read(mixed / "a-targets.xlsx") + sheetsync.read(mixed / "b-self.xlsx")
    from sheetsync.report import diff_xlsx

    d = sheetsync.diff(forms[:2], forms)
    diff_xlsx(d, forms, tmp_path / "r.xlsx")
    back = sheetsync.read(tmp_path / "r.xlsx")  # a book of two templates: each sheet by its labels
    assert [f.template for f in back] == [TARGETS, TARGETS, SELF_EVALUATION]


@pytest.fixture
def my_spec(tmp_path):
    """templates/performance_targets.yaml copied under another file name and template name."""
    folder = tmp_path / "specs"
    folder.mkdir()
    root = Path(str(templates_root()))
    text = (root / "performance_targets.yaml").read_text(encoding="utf-8")
    (folder / "my.yaml").write_text(text.replace("name: 绩效目标表", "name: 我的目标表", 1), encoding="utf-8")
    shutil.copy(root / "framework.yaml", folder / "framework.yaml")
    return folder / "my.yaml"


def test_read_with_a_spec_file_in_worker_processes(cli, tmp_path, truth, my_spec, monkeypatch):
    books = tmp_path / "books"
    books.mkdir()
    for i in range(3):
        sheetsync.render(truth, books / f"{i}.xlsx", template=str(my_spec))
    monkeypatch.chdir(my_spec.parent)  # the spec given by a relative path, as a user would
    r = cli("read", books, "--template", "my.yaml", "--jobs", "2")
    assert r.code == 0, r.err
    assert json.loads(r.out) == truth * 3
    forms = sheetsync.read_file(books / "0.xlsx", template=str(my_spec)).forms
    assert {f.template for f in forms} == {"我的目标表"}


def test_template_dir_reaches_worker_processes_without_the_environment(cli, tmp_path, truth, my_spec, monkeypatch):
    monkeypatch.delenv(TEMPLATE_DIRS_ENV, raising=False)
    books = tmp_path / "books"
    books.mkdir()
    for i in range(2):
        sheetsync.render(truth[:2], books / f"{i}.xlsx", template=str(my_spec))
    # the workbooks name 我的目标表, which only --template-dir provides
    r = cli("--template-dir", my_spec.parent, "read", books, "--jobs", "2", "--format", "csv")
    assert r.code == 0, r.err
    assert r.out.lstrip("\ufeff").startswith("项目名称,")
    import os

    assert TEMPLATE_DIRS_ENV not in os.environ  # the CLI passes its folders, it does not set the environment
    templates = Templates([my_spec.parent])
    assert templates.get("我的目标表").name == "我的目标表"
    clone = pickle.loads(pickle.dumps(templates))  # what a worker process receives
    assert clone.dirs == templates.dirs and clone.get("我的目标表").blocks == templates.get("我的目标表").blocks


def test_forms_hold_their_spec(truth):
    templates = Templates(plugins=False)
    form = sheetsync.Form.from_dict(SELF, spec=templates.get(SELF_EVALUATION))
    assert form.spec.name == form.template == SELF_EVALUATION and form.indicators == SELF["绩效指标"]
    again = pickle.loads(pickle.dumps(form))
    assert again == form and again.spec.indicators.key == "绩效指标"
    assert sheetsync.Form.from_dict(truth[0]).template == TARGETS  # no spec: the packaged default


def test_every_code_is_in_the_readme():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [c.value for c in Code if c.value and f"| `{c.value}` |" not in readme]
    assert missing == []
