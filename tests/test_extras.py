"""附加: what a form shows beyond its template's contract, kept in the data and round-tripped."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sheetsync
from sheetsync.errors import DataError
from sheetsync.model import dump_forms, parse_forms
from tests.variants import target_forms

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8)
_LEAF = st.one_of(st.none(), _TEXT, st.integers(-1000, 1000), st.floats(allow_nan=False, allow_infinity=False))
_VALUE = st.recursive(
    _LEAF, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3), max_leaves=6
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target_forms(), st.dictionaries(_TEXT, _VALUE, max_size=3), st.dictionaries(_TEXT, _VALUE, max_size=3))
def test_extras_round_trip_exactly_through_json_and_yaml(form, of_form, of_row):
    data = dict(form)
    data["附加"] = of_form
    if data["绩效指标"]:
        data["绩效指标"] = [dict(data["绩效指标"][0], 附加=of_row), *data["绩效指标"][1:]]
    for fmt in ("json", "yaml"):
        forms = parse_forms(json.dumps(data, ensure_ascii=False), "json")
        again = parse_forms(dump_forms(forms, fmt), fmt)
        assert again[0].to_dict() == forms[0].to_dict() == data


def _blank(**more) -> dict:
    return {
        "表名": "t",
        "项目名称": "p",
        "主管部门": "",
        "实施单位": "",
        "项目属性": "",
        "项目期": "",
        "项目资金": {k: {"含本级和市县": None, "含本级": None} for k in ("年度资金总额", "财政拨款", "其他资金")},
        "年度总体绩效目标": "",
        "绩效指标": [],
        **more,
    }


def test_a_form_without_extras_has_no_extras_key():
    row = {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "a", "指标值": "1件"}
    form = sheetsync.Form.from_dict(_blank(绩效指标=[row]))
    assert "附加" not in form.to_dict() and "附加" not in form.indicators[0]


@pytest.mark.parametrize(
    ("extras", "where"),
    [
        ("备注", "附加"),
        ({"权重": {"产出指标": float("nan")}}, "附加.权重.产出指标"),
        ({"表外": ["a\x01"]}, "附加.表外[0]"),
    ],
)
def test_bad_extras_are_refused_with_their_path(extras, where):
    text = json.dumps(_blank(附加=extras), ensure_ascii=False)
    with pytest.raises(DataError) as e:
        parse_forms(text, "json", file="f.json")
    assert where in str(e.value) and "f.json" in str(e.value)


def test_render_says_extras_are_not_laid_out(tmp_path):
    from sheetsync.catalog import example_forms_path
    from sheetsync.model import load_forms

    data = load_forms(sorted(example_forms_path().glob("*.json"))[0])[0].to_dict()
    data["附加"] = {"表外": ["合计"]}
    data["绩效指标"][0]["附加"] = {"备注": "x"}
    notes = sheetsync.render([data], tmp_path / "x.xlsx")
    said = [str(n) for n in notes]
    assert any("附加" in n and "合计" in n for n in said)
    assert any("绩效指标[0].附加" in n for n in said)
    back = sheetsync.read(tmp_path / "x.xlsx")[0].to_dict()
    del data["附加"], data["绩效指标"][0]["附加"]
    assert back == data
