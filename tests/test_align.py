"""The diff's first stage: pairing old and new forms and indicators, as data, before any
value is compared (property-tested), and a report that finds its cells through it."""

from __future__ import annotations

import copy

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from sheetsync import Form
from sheetsync.catalog import get_spec
from sheetsync.diffing import align_forms, align_indicators, diff_forms
from sheetsync.report import diff_xlsx

KEYS = ("一级指标", "二级指标", "三级指标")


def _path(row: dict) -> tuple:
    return tuple(row[k] for k in KEYS)


rows = st.fixed_dictionaries(
    {
        "一级指标": st.sampled_from(["产出指标", "效益指标", "成本指标"]),
        "二级指标": st.sampled_from(["数量指标", "质量指标", "时效指标"]),
        "三级指标": st.text(alphabet="甲乙丙丁戊己庚辛", min_size=1, max_size=6),
        "指标值": st.sampled_from(["≥90%", "100件", "好"]),
    }
)
unique_rows = st.lists(rows, max_size=25, unique_by=_path)


@given(st.lists(rows, max_size=25))
def test_aligning_indicators_with_themselves_pairs_each_with_itself(x):
    p = align_indicators(x, copy.deepcopy(x), KEYS)
    assert p.matched == [(i, i) for i in range(len(x))]
    assert (p.renamed, p.moved, p.added, p.removed) == ([], [], [], [])
    assert p.reordered() == []


@given(unique_rows, st.randoms(use_true_random=False))
def test_a_permutation_pairs_every_indicator_with_its_original(x, rnd):
    order = list(range(len(x)))
    rnd.shuffle(order)
    p = align_indicators(x, [x[i] for i in order], KEYS)
    assert sorted(p.matched) == sorted((i, j) for j, i in enumerate(order))
    assert (p.renamed, p.moved, p.added, p.removed) == ([], [], [], [])
    # what is reported as reordered lies outside one order that was kept
    kept = [i for i, j, _ in p.pairs() if (i, j) not in p.reordered()]
    assert kept == sorted(kept)


@given(st.lists(rows, max_size=25), st.randoms(use_true_random=False))
def test_a_permutation_with_duplicates_pairs_rows_of_one_path(x, rnd):
    new = copy.deepcopy(x)
    rnd.shuffle(new)
    p = align_indicators(x, new, KEYS)
    assert len(p.matched) == len(x)
    assert all(_path(x[i]) == _path(new[j]) for i, j in p.matched)  # duplicates pair in order


@given(unique_rows, st.data())
def test_deleting_k_indicators_removes_exactly_those(x, data):
    gone = data.draw(st.sets(st.sampled_from(range(len(x))), max_size=len(x)) if x else st.just(set()))
    kept = [i for i in range(len(x)) if i not in gone]
    p = align_indicators(x, [x[i] for i in kept], KEYS)
    assert p.removed == sorted(gone)
    assert p.added == []
    assert sorted(p.matched) == [(i, n) for n, i in enumerate(kept)]


@given(unique_rows, st.data())
def test_adding_k_indicators_adds_exactly_those(x, data):
    k = data.draw(st.integers(0, 8))
    new = list(x)
    for n in range(k):
        row = {"一级指标": "满意度指标", "二级指标": "服务对象满意度指标", "三级指标": f"新指标{n}", "指标值": "≥90%"}
        where = data.draw(st.integers(0, len(new)))
        new.insert(where, row)
    at = [j for j, r in enumerate(new) if r["一级指标"] == "满意度指标"]
    p = align_indicators(x, new, KEYS)
    assert p.added == at
    assert p.removed == []
    assert len(p.matched) == len(x)


@given(unique_rows, st.data())
def test_deleting_and_adding_k_indicators(x, data):
    gone = data.draw(st.sets(st.sampled_from(range(len(x))), max_size=len(x)) if x else st.just(set()))
    k = data.draw(st.integers(0, 5))
    fresh = [{"一级指标": "满意度指标", "二级指标": "", "三级指标": f"新{n}", "指标值": "好"} for n in range(k)]
    new = [x[i] for i in range(len(x)) if i not in gone] + fresh
    p = align_indicators(x, new, KEYS)
    assert (len(p.removed), len(p.added)) == (len(gone), k)


def test_the_same_name_in_another_group_is_moved_and_a_similar_one_renamed():
    old = [
        {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "信访案件立案数量"},
        {"一级指标": "产出指标", "二级指标": "质量指标", "三级指标": "办结率"},
    ]
    new = [
        {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "信访案件立案数"},
        {"一级指标": "效益指标", "二级指标": "社会效益指标", "三级指标": "办结率"},
    ]
    p = align_indicators(old, new, KEYS)
    assert (p.matched, p.renamed, p.moved, p.added, p.removed) == ([], [(0, 0)], [(1, 1)], [], [])
    assert p.pairs() == [(0, 0, "renamed"), (1, 1, "moved")]


def test_forms_pair_by_name_then_by_shared_indicators(truth):
    old = [Form.from_dict(d) for d in truth[:3]]
    renamed = copy.deepcopy(truth[1])
    renamed["项目名称"] = "另一个名字"
    new = [Form.from_dict(d) for d in (truth[2], renamed, truth[4])]
    p = align_forms(old, new, get_spec())
    assert (p.matched, p.renamed, p.added, p.removed) == ([(2, 0)], [(1, 1)], [2], [0])


def test_the_report_marks_the_added_one_of_two_rows_with_the_same_path(tmp_path, truth):
    old = copy.deepcopy(truth[0])
    new = copy.deepcopy(old)
    new["绩效指标"].append(copy.deepcopy(new["绩效指标"][0]))  # a duplicate, last
    d = diff_forms([Form.from_dict(old)], [Form.from_dict(new)])
    assert [c.kind for c in d] == ["added"]
    forms = [Form.from_dict(new)]
    diff_xlsx(d, forms, tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx").worksheets[1]
    marked = sorted(c.row for row in ws.iter_rows() for c in row if c.comment)
    first = next(c.row for row in ws.iter_rows() for c in row if c.value == new["绩效指标"][0]["三级指标"])
    last_rows = {c.row for row in ws.iter_rows() for c in row if c.value == new["绩效指标"][0]["三级指标"]}
    assert marked and set(marked) == {max(last_rows)} and max(last_rows) > first
