"""The change reports' words: every kind of change explained in Chinese, from the Change
records the diff gives (tightened is 收紧, loosened 放宽, a renamed indicator 原为 …)."""

from __future__ import annotations

import copy
import re

import pytest

import sheetsync
from sheetsync.diffing import Change, diff_forms
from sheetsync.report import words

FORM = "信访工作经费"


def _explained(old: str, new: str) -> str:
    d = diff_forms(*(_with_target(t) for t in (old, new)))
    (change,) = d.changes
    return words.explain(change)


def _with_target(target: str) -> list[sheetsync.Form]:
    form = sheetsync.example_forms()[0].to_dict()
    form = copy.deepcopy(form)
    form["绩效指标"][10]["指标值"] = target
    return [sheetsync.Form.from_dict(form)]


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("≤7%", "≤5%", "收紧 2%"),
        ("≤5%", "≤7%", "放宽 2%"),
        ("≥85%", "≥90%", "收紧 5%"),
        ("≥90%", "≥85%", "放宽 5%"),
        ("115件", "120件", "增加 5件"),
        ("120件", "115件", "减少 5件"),
        ("115件", "115起", "单位由“件”改为“起”"),
        ("85%", "≥85%", "比较符由“无”改为“≥”"),
    ],
)
def test_target_changes_are_explained_in_chinese(old, new, said):
    assert _explained(old, new) == said


def test_the_other_kinds_of_change():
    assert words.explain(
        Change("changed", FORM, ["项目资金", "年度资金总额", "含本级"], 3, 3.5, delta=0.5), "万元"
    ) == ("增加 0.5万元")
    renamed = Change(
        "renamed",
        FORM,
        ["产出指标", "数量指标", "立案数"],
        "48起",
        "48起",
        old_path=["产出指标", "数量指标", "立案数量"],
    )
    assert words.explain(renamed) == "原为 产出指标 / 数量指标 / 立案数量"
    assert words.mark_note(renamed) == "原为：产出指标 / 数量指标 / 立案数量\n原值：48起"
    assert words.explain(Change("reordered", FORM, ["a", "b", "c"], 3, 5)) == "原第 4 行，现第 6 行"
    assert words.explain(Change("added", FORM, [], None, FORM)) == "新增的表"
    assert words.explain(Change("renamed", FORM, [], "旧名", FORM)) == "原表名 旧名"
    span = {"at": 33, "old": "3", "new": "5", "before": "公通【2016】", "after": "3号"}
    long = Change("changed", FORM, ["年度总体绩效目标"], "x", "y", span=span)
    assert words.old_new(long) == ("…公通【2016】33号…", "…公通【2016】53号…")
    assert words.explain(long) == "自第 34 字起改动"
    assert words.kind_word(long) == "修改" and words.place(long) == "年度总体绩效目标"
    assert words.place(Change("changed", FORM, ["产出指标", "", "无"], column="得分")) == "产出指标 / — / 无（得分）"


def test_no_english_in_any_report_word():
    texts = [v for k, v in vars(words).items() if k.isupper() and isinstance(v, str) and k != "DATE_FORMAT"]
    texts += list(words.KINDS.values()) + list(words.DIRECTIONS.values())
    english = [t for t in texts if re.search(r"[A-Za-z]", re.sub(r"\{\w+\}", "", t))]
    assert len(texts) > 30 and not english


def test_numbers_show_in_their_form_format():
    assert words.shown(2050.2, "#,##0.00##") == "2,050.20" and words.shown(2050.2055, "#,##0.00##") == "2,050.2055"
    rate = Change(
        "changed", FORM, ["项目资金", "年度资金总额", "执行率"], 0.95, 0.9666666666666667, delta=0.0166666666666667
    )
    assert words.old_new(rate, "0.00%") == ("95.00%", "96.67%")
    assert words.explain(rate, "", "0.00%") == "增加 1.67%"
    assert words.mark_note(rate, "0.00%") == "原值：95.00%"


def test_counts_and_sources(tmp_path):
    changes = [Change("changed", FORM, ["x"]), Change("changed", FORM, ["y"]), Change("removed", FORM, [])]
    assert words.count_line(changes) == "共 3 处变更：修改 2 处，删除 1 处"
    assert words.count_line([]) == "两个版本没有差别。"
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"")
    lines = words.source_lines(str(old), str(tmp_path / "missing.xlsx"))
    assert lines[0].startswith("原文件：old.xlsx（修改于 ") and lines[1] == "新文件：missing.xlsx（日期不详）"
    assert words.source_lines("", "") == []
