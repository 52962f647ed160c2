"""sheetsync merge: one-sided and shared changes, each kind of conflict, --prefer, the order
of merged items, the marked workbook, the command's outputs and exit codes."""

from __future__ import annotations

import copy
import json
import shutil

import openpyxl
import pytest

import sheetsync
from sheetsync import Form
from sheetsync.merging import merge_forms
from sheetsync.rendering import sheet_names

FIRST = "信访工作经费"
ROW = ["产出指标", "数量指标", "受理信访事项举报数量"]  # 绩效指标[0] of the first form, 115件


def _forms(data):
    return [Form.from_dict(copy.deepcopy(d)) for d in data]


def _merge(base, ours, theirs, **kw):
    result = merge_forms(_forms(base), _forms(ours), _forms(theirs), **kw)
    return [f.to_dict() for f in result.forms], [c.to_json() for c in result.conflicts]


def _edit(truth, change):
    out = copy.deepcopy(truth)
    change(out)
    return out


def _row(name, value, one="产出指标", two="数量指标"):
    return {"一级指标": one, "二级指标": two, "三级指标": name, "指标值": value}


# ---------------------------------------------------------------- clean merges


def test_changes_of_each_side_are_both_applied(truth):
    def ours(d):
        d[0]["绩效指标"][0]["指标值"] = "120件"
        d[1]["主管部门"] = "永宁县信访局"

    def theirs(d):
        d[0]["绩效指标"][1]["指标值"] = "50起"
        d[0]["项目资金"]["年度资金总额"]["含本级"] = 3.5

    merged, conflicts = _merge(truth, _edit(truth, ours), _edit(truth, theirs))
    assert conflicts == []
    assert merged == _edit(truth, lambda d: (ours(d), theirs(d)))


def test_the_same_change_on_both_sides_is_applied_once(truth):
    def both(d):
        d[0]["绩效指标"][0]["指标值"] = "120件"
        d[0]["绩效指标"].insert(2, _row("回访工作完成数量", "30件"))
        d[3]["绩效指标"].pop(0)

    merged, conflicts = _merge(truth, _edit(truth, both), _edit(truth, both))
    assert conflicts == []
    assert merged == _edit(truth, both)


def test_a_change_equal_by_meaning_is_no_conflict_and_a_respelling_yields_to_a_change(truth):
    ours = _edit(truth, lambda d: d[0]["绩效指标"][4].update(指标值="100 %"))  # 100% re-spelled
    theirs = _edit(truth, lambda d: d[0]["绩效指标"][4].update(指标值="≥95%"))
    merged, conflicts = _merge(truth, ours, theirs)
    assert conflicts == []
    assert merged[0]["绩效指标"][4]["指标值"] == "≥95%"
    alike = _edit(truth, lambda d: d[0]["绩效指标"][4].update(指标值="不低于95%"))
    merged, conflicts = _merge(truth, alike, theirs)
    assert conflicts == []
    assert merged[0]["绩效指标"][4]["指标值"] == "不低于95%"  # one change, OURS' spelling


def test_a_renamed_and_a_moved_indicator_carry_the_other_sides_value_change(truth):
    def ours(d):
        d[0]["绩效指标"][1]["三级指标"] = "信访案件立案数"  # renamed within its group
        d[0]["绩效指标"][2]["二级指标"] = "质量指标"  # moved to another group

    def theirs(d):
        d[0]["绩效指标"][1]["指标值"] = "50起"
        d[0]["绩效指标"][2]["指标值"] = "120件"

    merged, conflicts = _merge(truth, _edit(truth, ours), _edit(truth, theirs))
    assert conflicts == []
    assert merged == _edit(truth, lambda d: (ours(d), theirs(d)))


def test_a_renamed_form_carries_the_other_sides_changes(truth):
    def ours(d):
        d[2]["项目名称"] = "维护民警执法权益抚慰金"

    def theirs(d):
        d[2]["绩效指标"][0]["指标值"] = "≥10人"
        d[2]["实施单位"] = "永宁县公安局政治处"

    merged, conflicts = _merge(truth, _edit(truth, ours), _edit(truth, theirs))
    assert conflicts == []
    assert merged == _edit(truth, lambda d: (ours(d), theirs(d)))


def test_forms_removed_and_added_on_one_side(truth):
    new = _edit(truth[:1], lambda d: d[0].update(项目名称="新项目"))[0]
    new["绩效指标"] = [_row("新指标", "1个")]
    merged, conflicts = _merge(truth, _edit(truth, lambda d: d.pop(4)), _edit(truth, lambda d: d.insert(2, new)))
    assert conflicts == []
    assert [f["项目名称"] for f in merged] == [f["项目名称"] for f in truth[:2]] + ["新项目"] + [
        f["项目名称"] for f in truth[2:4] + truth[5:]
    ]


# ---------------------------------------------------------------- conflicts


def test_the_same_value_changed_differently(truth):
    ours = _edit(truth, lambda d: (d[0]["绩效指标"][0].update(指标值="120件"), d[0].update(主管部门="甲")))
    theirs = _edit(truth, lambda d: (d[0]["绩效指标"][0].update(指标值="118件"), d[0].update(主管部门="乙")))
    theirs[0]["项目资金"]["财政拨款"]["含本级"] = 2
    ours[0]["项目资金"]["财政拨款"]["含本级"] = 4
    merged, conflicts = _merge(truth, ours, theirs)
    common = {"form": FIRST, "taken": "ours", "resolved": False}
    assert conflicts == [
        {"kind": "changed", "path": ["主管部门"], "base": "永宁县公安局", "ours": "甲", "theirs": "乙", **common},
        {"kind": "changed", "path": ["项目资金", "财政拨款", "含本级"], "base": 3, "ours": 4, "theirs": 2, **common},
        {
            "kind": "changed",
            "path": ROW,
            "column": "指标值",
            "base": "115件",
            "ours": "120件",
            "theirs": "118件",
            **common,
        },
    ]
    assert merged == ours  # an unresolved conflict keeps OURS' value


@pytest.mark.parametrize("remover", ["ours", "theirs"])
def test_a_row_removed_on_one_side_and_changed_on_the_other(truth, remover):
    removed = _edit(truth, lambda d: d[0]["绩效指标"].pop(0))
    changed = _edit(truth, lambda d: d[0]["绩效指标"][0].update(指标值="120件"))
    sides = (removed, changed) if remover == "ours" else (changed, removed)
    merged, conflicts = _merge(truth, *sides)
    keeper = "theirs" if remover == "ours" else "ours"
    assert conflicts == [
        {
            "kind": "removed",
            "form": FIRST,
            "path": ROW,
            "column": "指标值",
            "base": "115件",
            "ours": None if remover == "ours" else "120件",
            "theirs": None if remover == "theirs" else "120件",
            "taken": keeper,
            "resolved": False,
            "removed_by": remover,
        }
    ]
    assert merged == changed  # the changed row is kept, nothing is lost
    for prefer, expected in ((remover, removed), (keeper, changed)):
        merged, conflicts = _merge(truth, *sides, prefer=prefer)
        assert merged == expected
        assert [(c["taken"], c["resolved"]) for c in conflicts] == [(prefer, True)]


def test_a_row_removed_on_one_side_and_untouched_on_the_other_goes(truth):
    removed = _edit(truth, lambda d: d[0]["绩效指标"].pop(0))
    respelled = _edit(truth, lambda d: d[0]["绩效指标"][0].update(指标值="１１５件"))  # same meaning
    assert _merge(truth, removed, respelled) == (removed, [])


def test_a_form_removed_on_one_side_and_changed_on_the_other(truth):
    removed = _edit(truth, lambda d: d.pop(0))
    changed = _edit(truth, lambda d: d[0].update(实施单位="永宁县信访局"))
    merged, conflicts = _merge(truth, removed, changed)
    assert conflicts == [
        {
            "kind": "removed",
            "form": FIRST,
            "path": [],
            "base": FIRST,
            "ours": None,
            "theirs": FIRST,
            "taken": "theirs",
            "resolved": False,
            "removed_by": "ours",
        }
    ]
    assert merged == changed
    assert _merge(truth, removed, changed, prefer="ours")[0] == removed


def test_a_row_added_on_both_sides_under_one_name(truth):
    ours = _edit(truth, lambda d: d[0]["绩效指标"].insert(4, _row("回访数量", "30件")))
    same = _merge(truth, ours, copy.deepcopy(ours))
    assert same == (ours, [])  # the same row added on both sides: once
    theirs = _edit(truth, lambda d: d[0]["绩效指标"].insert(1, _row("回访数量", "35件")))
    merged, conflicts = _merge(truth, ours, theirs)
    assert conflicts == [
        {
            "kind": "added",
            "form": FIRST,
            "path": ["产出指标", "数量指标", "回访数量"],
            "column": "指标值",
            "base": None,
            "ours": "30件",
            "theirs": "35件",
            "taken": "ours",
            "resolved": False,
        }
    ]
    assert merged == ours
    assert _merge(truth, ours, theirs, prefer="theirs")[0] == _edit(
        truth, lambda d: d[0]["绩效指标"].insert(4, _row("回访数量", "35件"))
    )


def test_a_form_added_on_both_sides_merges_its_values(truth):
    def added(goal, rows):
        form = _edit(truth[:1], lambda d: d[0].update(项目名称="新项目", 年度总体绩效目标=goal))[0]
        form["绩效指标"] = rows
        return _edit(truth, lambda d: d.append(form))

    ours = added("目标甲", [_row("甲", "1个"), _row("同", "2个")])
    theirs = added("目标乙", [_row("同", "2个"), _row("乙", "3个")])
    merged, conflicts = _merge(truth, ours, theirs)
    assert [(c["kind"], c["path"], c["ours"], c["theirs"]) for c in conflicts] == [
        ("added", ["年度总体绩效目标"], "目标甲", "目标乙")
    ]
    assert [r["三级指标"] for r in merged[-1]["绩效指标"]] == ["甲", "同", "乙"]


def test_a_form_renamed_differently(truth):
    ours = _edit(truth, lambda d: d[1].update(项目名称="辅警经费"))
    theirs = _edit(truth, lambda d: d[1].update(项目名称="公安辅警人员经费（调整）"))
    merged, conflicts = _merge(truth, ours, theirs)
    assert conflicts == [
        {
            "kind": "renamed",
            "form": "辅警经费",
            "path": [],
            "base": truth[1]["项目名称"],
            "ours": "辅警经费",
            "theirs": "公安辅警人员经费（调整）",
            "taken": "ours",
            "resolved": False,
        }
    ]
    assert merged == ours
    assert _merge(truth, ours, theirs, prefer="theirs")[0] == theirs


def test_an_indicator_renamed_differently(truth):
    ours = _edit(truth, lambda d: d[0]["绩效指标"][1].update(三级指标="信访案件立案数"))
    theirs = _edit(truth, lambda d: d[0]["绩效指标"][1].update(三级指标="信访立案数量"))
    merged, conflicts = _merge(truth, ours, theirs)
    assert [(c["kind"], c["column"], c["ours"], c["theirs"]) for c in conflicts] == [
        ("changed", "三级指标", "信访案件立案数", "信访立案数量")
    ]
    assert merged == ours


# ---------------------------------------------------------------- order


def test_rows_added_on_each_side_go_after_their_predecessor(truth):
    ours = _edit(truth, lambda d: d[0]["绩效指标"].insert(2, _row("甲", "1件")))
    theirs = _edit(truth, lambda d: d[0]["绩效指标"].insert(6, _row("乙", "2件", two="质量指标")))
    merged, _ = _merge(truth, ours, theirs)
    names = [r["三级指标"] for r in merged[0]["绩效指标"]]
    assert names.index("甲") == 2
    assert names[names.index("乙") - 1] == truth[0]["绩效指标"][5]["三级指标"]


def test_rows_added_at_one_place_by_both_sides_do_not_depend_on_which_is_ours(truth):
    ours = _edit(truth, lambda d: d[0]["绩效指标"].insert(2, _row("甲", "1件")))
    theirs = _edit(truth, lambda d: d[0]["绩效指标"].insert(2, _row("乙", "2件")))
    one, two = _merge(truth, ours, theirs), _merge(truth, theirs, ours)
    assert one == two
    assert [r["三级指标"] for r in one[0][0]["绩效指标"][2:4]] == ["乙", "甲"]  # by content: 乙 U+4E59 < 甲 U+7532


def test_the_order_of_the_side_that_reordered(truth):
    def reorder(d):
        d[0]["绩效指标"].insert(0, d[0]["绩效指标"].pop(3))

    theirs = _edit(truth, lambda d: d[0]["绩效指标"].insert(5, _row("乙", "2件")))
    merged, conflicts = _merge(truth, _edit(truth, reorder), theirs)
    assert conflicts == []
    assert merged == _edit(truth, lambda d: (d[0]["绩效指标"].insert(5, _row("乙", "2件")), reorder(d)))
    assert _merge(truth, theirs, _edit(truth, reorder))[0] == merged


# ---------------------------------------------------------------- the library


def test_sheetsync_merge_takes_files_or_forms(tmp_path, truth, seed_forms):
    base = tmp_path / "base.xlsx"
    sheetsync.render(seed_forms, base)
    ours = _edit(truth, lambda d: d[0]["绩效指标"][0].update(指标值="120件"))
    result = sheetsync.merge(base, _forms(ours), seed_forms)
    assert isinstance(result, sheetsync.MergeResult)
    assert [f.to_dict() for f in result.forms] == ours
    assert result.conflicts == [] and result.clean
    with pytest.raises(sheetsync.InputError, match="use ours or theirs"):
        sheetsync.merge(base, base, base, prefer="mine")


def test_forms_of_two_templates_are_refused(seed_forms):
    from sheetsync.catalog import get_spec
    from sheetsync.model import carry_over

    self_evaluation = [carry_over(f, get_spec("自评表")) for f in seed_forms]
    with pytest.raises(sheetsync.DataError, match="of one template"):
        sheetsync.merge(seed_forms, seed_forms, self_evaluation)


def test_self_evaluation_amounts_merge_and_computed_values_follow(seed_forms):
    from sheetsync.catalog import get_spec
    from sheetsync.model import carry_over

    base = [carry_over(f, get_spec("自评表")).to_dict() for f in seed_forms[:2]]
    ours = _edit(base, lambda d: d[0]["项目资金"]["年度资金总额"].update(全年预算数=4, 全年执行数=3))
    theirs = _edit(base, lambda d: d[0]["绩效指标"][0].update(实际完成值="118件", 分值=10, 得分=8))
    spec = get_spec("自评表")
    result = merge_forms(*([Form.from_dict(copy.deepcopy(f), spec=spec) for f in v] for v in (base, ours, theirs)))
    assert result.conflicts == []
    form = result.forms[0]
    assert form["项目资金"]["年度资金总额"]["执行率"] == 0.75
    assert form.indicators[0]["实际完成值"] == "118件"
    assert form["总分"] == {"分值": 10, "得分": 8}


# ---------------------------------------------------------------- the command


@pytest.fixture
def versions(tmp_path, truth):
    """base.xlsx, ours.xlsx, theirs.xlsx: one conflict (the first indicator) and clean changes."""

    def write(name, change):
        path = tmp_path / name
        sheetsync.render(_forms(_edit(truth, change)), path)
        return path

    base = write("base.xlsx", lambda d: None)
    ours = write("ours.xlsx", lambda d: (d[0]["绩效指标"][0].update(指标值="120件"), d[1].update(主管部门="甲")))
    theirs = write("theirs.xlsx", lambda d: (d[0]["绩效指标"][0].update(指标值="118件"), d[2].update(项目期="三年")))
    return base, ours, theirs


def test_merge_command_marks_conflicts_and_exits_1(cli, tmp_path, versions, truth):
    out = tmp_path / "merged.xlsx"
    result = cli("merge", *versions, "-o", out)
    assert result.code == 1
    assert result.out.splitlines() == [
        FIRST,
        "  both changed    产出指标 / 数量指标 / 受理信访事项举报数量 [指标值]  "
        "base 115件 | ours 120件 | theirs 118件  (kept ours)",
        "1 conflict",
    ]
    assert result.err == f"wrote {out} (9 forms, 1 conflict)\n"
    expected = _edit(truth, lambda d: (d[0]["绩效指标"][0].update(指标值="120件"), d[1].update(主管部门="甲")))
    expected[2]["项目期"] = "三年"
    assert [f.to_dict() for f in sheetsync.read(out)] == expected
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "冲突"
    assert [list(r) for r in wb["冲突"].iter_rows(values_only=True)] == [
        ["表", "冲突", "位置", "原值 (base)", "我方 (ours)", "对方 (theirs)", "表中采用"],
        [
            FIRST,
            "两边改法不同",
            "产出指标 / 数量指标 / 受理信访事项举报数量 [指标值]",
            "115件",
            "120件",
            "118件",
            "我方 (ours)",
        ],
    ]
    cell = wb[FIRST]["E10"]
    assert cell.value == "120件"
    assert cell.fill.fgColor.rgb == "FFFFE699"
    assert cell.comment.text.splitlines() == [
        "冲突: 两边改法不同",
        "原值 (base): 115件",
        "我方 (ours): 120件",
        "对方 (theirs): 118件",
        "表中暂用我方的值",
    ]
    marked = [(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment]
    assert marked == [(FIRST, "E10")]


def test_merge_command_json_and_prefer(cli, tmp_path, versions):
    result = cli("merge", *versions, "-o", tmp_path / "m.xlsx", "--prefer", "theirs", "--format", "json")
    assert result.code == 0  # every conflict resolved
    assert json.loads(result.out) == [
        {
            "kind": "changed",
            "form": FIRST,
            "path": ROW,
            "column": "指标值",
            "base": "115件",
            "ours": "120件",
            "theirs": "118件",
            "taken": "theirs",
            "resolved": True,
        }
    ]
    assert sheetsync.read(tmp_path / "m.xlsx")[0].indicators[0]["指标值"] == "118件"


def test_a_clean_merge_exits_0_and_writes_the_plain_canonical_workbook(cli, tmp_path, versions, truth):
    base, ours, _ = versions
    out = tmp_path / "m.xlsx"
    result = cli("merge", base, ours, base, "-o", out)
    assert (result.code, result.out) == (0, "merged cleanly: no conflicts\n")
    assert openpyxl.load_workbook(out).sheetnames == sheet_names(f["项目名称"] for f in truth)
    assert sheetsync.read_file(out).guesses == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--prefer", "mine"], "unknown side 'mine' for --prefer; use ours or theirs"),
        (["--format", "xml"], "unknown format 'xml'; use text, json"),
    ],
)
def test_bad_options_exit_2_before_any_work(cli, tmp_path, versions, args, message):
    out = tmp_path / "m.xlsx"
    result = cli("merge", *versions, "-o", out, *args)
    assert (result.code, result.err) == (2, f"Error: {message}\n")
    assert not out.exists()


def test_trouble_exits_2_and_clobbers_nothing(cli, tmp_path, versions):
    base, ours, theirs = versions
    before = {p: p.read_bytes() for p in versions}
    missing = cli("merge", base, tmp_path / "nope.xlsx", theirs, "-o", tmp_path / "m.xlsx")
    assert (missing.code, missing.err) == (2, f"Error: {tmp_path / 'nope.xlsx'}: no such file\n")
    assert not (tmp_path / "m.xlsx").exists()
    for target in (base, theirs):
        result = cli("merge", base, ours, theirs, "-o", target)
        assert result.code == 2
        assert "is also an input" in result.err
    assert {p: p.read_bytes() for p in versions} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.xlsx", "ours.xlsx", "theirs.xlsx"]


def test_the_output_may_be_ours_as_git_asks_even_without_a_suffix(cli, tmp_path, versions, truth):
    # git hands a merge driver temporary files named like .merge_file_a1B2c3
    names = [tmp_path / f".merge_file_{n}" for n in ("O", "A", "B")]
    for src, dst in zip(versions, names, strict=True):
        shutil.copy(src, dst)
    result = cli("merge", *names, "-o", names[1], "--prefer", "ours")
    assert result.code == 0, result.err
    forms = [f.to_dict() for f in sheetsync.read(names[1])]  # a zip without a suffix reads as a workbook
    assert forms[0]["绩效指标"][0]["指标值"] == "120件" and forms[2]["项目期"] == "三年"
    assert names[0].read_bytes() == versions[0].read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == sorted(n.name for n in names)
