"""The template spec: loads, drives the contract, and reports its own errors by key."""

from __future__ import annotations

import pytest

from sheetsync.errors import SpecError
from sheetsync.spec import Span, get_spec, load_spec


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
