"""read(render(x)) == x: for the seed forms and for generated forms (property tests).

Reading gives texts in the contract's normal form (no surrounding whitespace; half-width
digits and % in 指标值). Data already in that form round-trips exactly; any other data
comes back normalized, and render says so beforehand.
"""

from __future__ import annotations

import copy
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sheetsync
from sheetsync import Form
from sheetsync.catalog import get_spec
from sheetsync.extras import VALUE_PARTS
from sheetsync.values import clean_target, clean_text

CONTROL = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\ufffe\uffff"  # refused, see test_model
SPECIAL = [
    "=1+1",
    "+8613800000000",
    "001",
    "@SUM(A1)",
    "-5",
    "http://x.cn/a?b=1",
    "_x0041_",
    "_x005F_x0041_",
    "x005F_",
    "a\r\nb",
    "😀🎉",
    "≥85%",
    "<b>&amp;</b>",
    "'quoted",
    "1E3",
    "TRUE",
    "#N/A",
    "  ",
]

any_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=CONTROL), max_size=40),
    st.sampled_from(SPECIAL),
    st.text("产出指标效益满意度成本数量质量时效社会经济生态可持续影响服务对象\n ", max_size=12),
)
text = any_text.map(clean_text)
target = any_text.map(clean_target)
amount = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.builds(lambda n, k: n / 10**k, st.integers(-(10**10), 10**10), st.integers(0, 4)),
)


def contract(spec, max_indicators: int = 60, *, text=text, target=target, amount=amount, title=None):
    """A strategy for forms of any template, built from its spec alone: texts in normal form,
    amounts with at most 15 significant digits, and indicator groups (consecutive rows sharing
    levels, so level cells merge, single rows included). ``text``, ``target``, ``amount`` and
    ``title`` (for 表名; ``text`` by default) narrow what is drawn (a PDF shows less than a cell holds)."""
    from sheetsync.spec import AmountsBlock

    fw = spec.framework
    ind = spec.indicators
    one, two = ind.level(1), ind.level(2)
    l1 = st.one_of(st.sampled_from(list(fw.levels)), text).filter(bool)
    l2 = st.one_of(st.just(""), st.sampled_from(list(fw.level2) or [""]), text)
    words = fw.reading
    signs = st.sampled_from(["", "≥", "≤", "=", "＞", "不低于", *words.kinds, *words.directions])
    parts = {  # the printed parts of a split 指标值: comparators, kinds and directions, any text
        "comparator": st.one_of(signs, target),
        "value": st.one_of(target, st.sampled_from(["95", "0.5", "优", "100", *words.kinds])),
        "unit": st.one_of(st.sampled_from(["", "%", "件", "万元", "元/次"]), target),
    }

    @st.composite
    def rows(draw):
        out = []
        for _ in range(draw(st.integers(0, 12))):
            first = draw(l1)
            for _ in range(draw(st.integers(1, 3))):
                second = draw(l2.filter(lambda t, first=first: t != first))
                for _ in range(draw(st.integers(1, 4))):
                    row = {one.key: first, two.key: second}
                    for col in ind.columns:
                        if col.number:
                            row[col.key] = draw(amount)
                        elif col.parts:  # printed in parts: the contract composes the 指标值
                            row[VALUE_PARTS] = {p.label.text: draw(parts[p.role]) for p in col.parts}
                        elif not col.level:
                            row[col.key] = draw(target if col.target else text)
                    out.append({k: row[k] for k in [c.key for c in ind.columns] + [VALUE_PARTS] if k in row})
        return out[:max_indicators]

    @st.composite
    def form(draw):
        data = {key: draw(title if title is not None and key == spec.blocks[0].key else text) for key in spec.text_keys}
        for block in spec.blocks:
            if isinstance(block, AmountsBlock):
                inputs = [ck for ck, _ in block.columns if ck not in block.derived]
                data[block.key] = {rk: {ck: draw(amount) for ck in inputs} for rk, _ in block.row_labels}
        data[ind.key] = draw(rows())
        # computed values (执行率, 总分) left out: the contract fills them in, in their places
        return Form.from_dict({k: data[k] for k in spec.keys if k in data}, spec=spec).to_dict()

    return form()


def forms(max_indicators: int = 60, spec=None):
    """Generated forms of the 绩效目标表 (or of ``spec``): see :func:`contract`."""
    return contract(spec or get_spec(), max_indicators)


def _round_trip(tmp_path, data: list[dict], name="t.xlsx") -> tuple[list[Form], list]:
    path = tmp_path / name
    notes = sheetsync.render(data, path)
    result = sheetsync.read_file(path)
    return result.forms, notes + result.guesses


def test_seed_forms_round_trip_exactly(tmp_path, truth):
    forms, notes = _round_trip(tmp_path, truth)
    assert [f.to_dict() for f in forms] == truth
    assert notes == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(forms(), min_size=1, max_size=3))
def test_generated_forms_round_trip_exactly(tmp_path, data):
    back, notes = _round_trip(tmp_path, data)
    assert [f.to_dict() for f in back] == data
    assert notes == []


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(forms(max_indicators=200), st.integers(150, 200))
def test_many_indicators_round_trip(tmp_path, form, n):
    rows = form["绩效指标"] or [{"一级指标": "产出指标", "二级指标": "", "三级指标": "x", "指标值": "1"}]
    form["绩效指标"] = (rows * (n // len(rows) + 1))[:n]
    back, _ = _round_trip(tmp_path, [form])
    assert back[0].to_dict() == form


def test_longest_cell_and_repeated_names(tmp_path, truth):
    form = copy.deepcopy(truth[0])
    form["年度总体绩效目标"] = ("根据县委会议纪要，" * 4000)[:32767]
    second = copy.deepcopy(form)
    back, _ = _round_trip(tmp_path, [form, second])
    assert [f.to_dict() for f in back] == [form, second]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(forms(max_indicators=10), st.text(" \t\n\u3000", min_size=1, max_size=3))
def test_non_normal_text_comes_back_normalized_and_render_says_so(tmp_path, form, pad):
    form["项目名称"] = pad + form["项目名称"] + pad
    for row in form["绩效指标"]:
        row["指标值"] = pad + row["指标值"].translate(str.maketrans(string.digits + "%", "０１２３４５６７８９％"))
    path = tmp_path / "n.xlsx"
    notes = sheetsync.render([form], path)
    back = sheetsync.read_file(path)
    expected = copy.deepcopy(form)
    expected["项目名称"] = clean_text(form["项目名称"])
    for row in expected["绩效指标"]:
        row["指标值"] = clean_target(row["指标值"])
    assert back.forms[0].to_dict() == expected
    changed = sum(
        v != e
        for v, e in [(form["项目名称"], expected["项目名称"])]
        + [(a["指标值"], b["指标值"]) for a, b in zip(form["绩效指标"], expected["绩效指标"], strict=True)]
    )
    assert len(notes) == changed
    assert len([g for g in back.guesses if "normalized" in g.message]) == changed


def test_a_level2_equal_to_its_level1_is_announced_and_reads_as_spanning(tmp_path, truth):
    form = copy.deepcopy(truth[0])
    form["绩效指标"][8]["二级指标"] = "成本指标"  # 成本指标/成本指标
    path = tmp_path / "same.xlsx"
    notes = sheetsync.render([form], path)
    assert [n.message for n in notes] == ["绩效指标[8].二级指标: '成本指标' will read back as ''"]
    assert sheetsync.read(path)[0].to_dict() == truth[0]


# ---------------------------------------------------------------- every template


def _templates():
    from pathlib import Path

    from sheetsync.catalog import Templates

    plugin = Path(__file__).parent / "plugin" / "sheetsync_demo_plugin" / "specs" / "simple.yaml"
    return [t.name for t in Templates.from_env().found()] + [str(plugin)]


@pytest.mark.parametrize("template", _templates())
def test_every_template_round_trips(tmp_path, template):
    spec = get_spec(template)

    @settings(max_examples=25, deadline=None, database=None)
    @given(st.lists(contract(spec, 20), min_size=1, max_size=2))
    def round_trip(data):
        path = tmp_path / "t.xlsx"
        assert sheetsync.render(data, path, template=template) == []
        assert [f.to_dict() for f in sheetsync.read(path, template=template)] == data

    round_trip()
