"""The template spec: loads, drives the contract, and reports its own errors by key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sheetsync.catalog import Templates, get_spec
from sheetsync.errors import SpecError
from sheetsync.spec import Span
from sheetsync.specfile import load_spec


def test_packaged_spec_keys_are_the_contract_keys(truth):
    spec = get_spec()
    assert spec.name == "绩效目标表"
    for form in truth:
        assert tuple(form) == spec.keys


def test_framework_vocabulary():
    fw = get_spec().framework
    assert fw.levels["效益指标"] == ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")
    assert fw.usual_parent["成本指标"] == "产出指标"
    assert fw.usual_parent["可持续影响指标"] == "效益指标"
    assert fw.aliases["社会公众或服务对象满意度指标"] == "服务对象满意度指标"


@pytest.mark.parametrize(("text", "span"), [("A", Span(0, 0)), ("B:E", Span(1, 4)), ("AA", Span(26, 26))])
def test_span_parse(text, span):
    assert Span.parse(text) == span


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        ("name: x\nversion: 1\ncolumns: {A: 1}\n", "blocks", "missing key 'blocks'"),
        ("name: x\nversion: 1\ncolumns: {A: 1}\nblocks: [{kind: table}]\n", "blocks[0].kind", "unknown block kind"),
        (
            "name: x\nversion: 1\ncolumns: {A: 1}\nblocks: [{kind: title, key: t, at: 'Z:A'}]\n",
            "blocks[0]",
            "'Z:A' is not a column",
        ),
        ("name: x\nversion: 1\ncolumns: {A: 1, C: 2}\nblocks: []\n", "columns", "from A without gaps"),
        (
            "name: x\nversion: 1\ncolumns: {A: 1}\nblocks: [{kind: title, key: t}]\n",
            "blocks",
            "exactly one indicators block",
        ),
    ],
)
def test_spec_errors_name_file_and_key(tmp_path, body, where, message):
    (tmp_path / "framework.yaml").write_text("levels: {产出指标: {二级: [数量指标]}}\n", encoding="utf-8")
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SpecError) as e:
        load_spec(path)
    assert e.value.file == str(path)
    assert e.value.where == where
    assert message in e.value.message


def test_the_readme_contract_examples_are_valid_data():
    """The JSON examples in README.md are forms of their templates, computed values included."""
    import json
    import re

    from sheetsync.check import check_forms
    from sheetsync.model import parse_forms

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```json\n(.*?)```", readme, re.S) if '"表名"' in b]
    forms = [f for b in blocks for f in parse_forms(b.replace("……", ""), "json")]
    assert [f.template for f in forms] == ["绩效目标表", "自评表"]
    given = json.loads(blocks[1])
    assert forms[1].to_dict() == given  # the computed values shown are what the form computes
    assert [f.rule for f in check_forms(forms[1:]) if f.rule == "computed_value"] == []


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "ratio: [全年执行数, 全年预算数]",
            "ratio: [全年执行数, 预算]",
            "blocks[3].columns[4]",
            "'ratio' names a column",
        ),
        (
            "sum: [项目资金.分值, 绩效指标.分值]",
            "sum: [项目资金.分值, 绩效指标.三级指标]",
            "blocks[6].cells[0].sum",
            "'绩效指标.三级指标' is not a column of numbers",
        ),
        ("key: 预期目标, value: B:E, below: true", "below: true", "blocks[4].cells[1]", "'below' needs a key"),
        (
            "number: true, at_most: 分值}",
            "number: true, at_most: 满分}",
            "绩效指标.得分",
            "at_most '满分'",
        ),
        (
            "项目资金.年度资金总额.年初预算数:",
            "项目资金.年初预算数:",
            "carry_over.amounts.项目资金.年初预算数",
            "is not 'block.row.column'",
        ),
        (
            "项目资金.年度资金总额.年初预算数:",
            "项目资金.年度资金总额.执行率:",
            "carry_over.amounts.项目资金.年度资金总额.执行率",
            "is not a value of this template",
        ),
        (
            '    预期目标: "{年度总体绩效目标}"',
            '    预期: "{年度总体绩效目标}"',
            "carry_over.fields.预期",
            "is not a value",
        ),
    ],
)
def test_self_evaluation_spec_errors_name_file_and_key(tmp_path, old, new, where, message):
    packaged = next(t.path for t in Templates.from_env().found() if t.name == "自评表")
    text = packaged.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "framework.yaml").write_text((packaged.parent / "framework.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SpecError) as e:
        load_spec(path)
    assert (e.value.file, e.value.where) == (str(path), where)
    assert message in e.value.message


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("{年度总体绩效目标}", "{总体目标}", "carry_over.fields.预期目标", "{总体目标} is not a text of 绩效目标表"),
        ("年度指标值: 指标值", "年度指标值: 目标值", "carry_over", "'目标值' is not a value of 绩效目标表"),
    ],
)
def test_carry_over_names_what_the_source_lacks(tmp_path, truth, old, new, where, message):
    from sheetsync.model import carry_over, parse_forms

    packaged = next(t.path for t in Templates.from_env().found() if t.name == "自评表")
    (tmp_path / "framework.yaml").write_text((packaged.parent / "framework.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "self.yaml"
    path.write_text(packaged.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    source = parse_forms(json.dumps(truth[0], ensure_ascii=False), "json")[0]
    with pytest.raises(SpecError) as e:
        carry_over(source, load_spec(path))
    assert (e.value.file, e.value.where, e.value.message) == (str(path), where, message)
