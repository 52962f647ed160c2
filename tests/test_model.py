"""The data contract: loading, validating and saving JSON/YAML forms."""

from __future__ import annotations

import copy
import json

import pytest

from sheetsync import Form, dump_forms, load_forms, parse_forms
from sheetsync.errors import DataError, InputError


def test_seed_forms_validate_and_round_trip_through_json_and_yaml(truth):
    forms = [Form.from_dict(t) for t in truth]
    for fmt in ("json", "yaml"):
        again = parse_forms(dump_forms(forms, fmt), fmt)
        assert again == forms
        assert [f.to_dict() for f in again] == truth


def test_one_object_or_an_array(tmp_path, truth):
    one = tmp_path / "one.json"
    one.write_text(json.dumps(truth[0], ensure_ascii=False), encoding="utf-8")
    many = tmp_path / "many.yaml"
    many.write_text(dump_forms([Form.from_dict(t) for t in truth[:3]], "yaml"), encoding="utf-8")
    assert len(load_forms(one)) == 1
    assert [f.name for f in load_forms(many)] == [t["项目名称"] for t in truth[:3]]


def test_amounts_compare_by_value(truth):
    a = copy.deepcopy(truth[3])
    b = copy.deepcopy(truth[3])
    b["项目资金"]["年度资金总额"]["含本级"] = 2050.20
    a["项目资金"]["年度资金总额"]["含本级"] = 2050.2
    assert Form.from_dict(a) == Form.from_dict(b)


def _broken(truth, change):
    forms = copy.deepcopy(truth[:4])
    change(forms)
    return forms


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (
            lambda f: f[3]["绩效指标"][5].update({"指标值": ["x"]}),
            "[3].绩效指标[5].指标值",
            "expected text, got a list",
        ),
        (
            lambda f: f[0]["绩效指标"][0].update({"指标值": 85}),
            "[0].绩效指标[0].指标值",
            "expected text, got a number (quote it in YAML)",
        ),
        (lambda f: f[1].update({"项目名称": None}), "[1].项目名称", "expected text, got null"),
        (
            lambda f: f[2]["项目资金"]["财政拨款"].update({"含本级": "3万元"}),
            "[2].项目资金.财政拨款.含本级",
            "expected a number (万元) or null, got text",
        ),
        (
            lambda f: f[2]["项目资金"]["财政拨款"].update({"含本级": True}),
            "[2].项目资金.财政拨款.含本级",
            "expected a number (万元) or null, got a boolean",
        ),
        (lambda f: f[0].pop("项目期"), "[0].项目期", "missing"),
        (lambda f: f[0].update({"备注": ""}), "[0].备注", "unknown key '备注'"),
        (lambda f: f[0].update({"绩效指标": {}}), "[0].绩效指标", "expected a list, got an object"),
        (lambda f: f[0].update({"项目名称": "a\x01b"}), "[0].项目名称", "control character U+0001"),
        (lambda f: f[0].update({"项目名称": "a\ufffeb"}), "[0].项目名称", "the character U+FFFE"),
        (lambda f: f[0]["绩效指标"][1].update({"三级指标": "\ud800"}), "[0].绩效指标[1].三级指标", "character U+D800"),
        (
            lambda f: f[0].update({"年度总体绩效目标": "字" * 32768}),
            "[0].年度总体绩效目标",
            "an Excel cell holds at most 32767",
        ),
    ],
)
def test_invalid_data_names_the_data_path(truth, change, where, message):
    text = json.dumps(_broken(truth, change), ensure_ascii=False)
    with pytest.raises(DataError) as e:
        parse_forms(text, "json", file="forms.json")
    assert e.value.where == where
    assert message in e.value.message
    assert str(e.value).startswith(f"forms.json: {where}: ")


def test_the_error_from_the_issue_reads_as_written(truth):
    forms = copy.deepcopy(truth[:4])
    forms[3]["绩效指标"][5]["指标值"] = ["a", "b"]
    import yaml

    with pytest.raises(DataError) as e:
        parse_forms(yaml.safe_dump(forms, allow_unicode=True), "yaml", file="forms.yaml")
    assert str(e.value) == "forms.yaml: [3].绩效指标[5].指标值: expected text, got a list"


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ("{", "json", "not valid JSON"),
        ("a: [", "yaml", "not valid YAML"),
        ("42", "json", "expected a form (an object) or a list of forms, got a number"),
    ],
)
def test_unparseable_files(text, fmt, message):
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_forms(text, fmt, file="x")


def test_missing_and_unknown_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_forms(tmp_path / "nope.json")
    with pytest.raises(InputError, match=r"unknown data format '\.toml'"):
        load_forms(tmp_path / "forms.toml")
