"""Reading what other departments send: the published text dump and foreign layouts."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

import sheetsync
from sheetsync.errors import StrictError
from tests.layouts import dump_workbook, foreign_workbook

DATA = Path(__file__).parent / "data"

# truth/NOTES.md: rows whose level is a judgment call, and what else a reasonable reader may choose
ALTERNATIVES = {
    ("信访工作经费", "无", "无"): [("产出指标", "成本指标")],
    ("维护公安民警执法权益抚慰金项目", "抚慰金发放标准", None): [("产出指标", "成本指标")],
    ("城市综合监控报警联网系统电费及光纤经费", "县域红绿灯/监控设施费用控制率", None): [("产出指标", "成本指标")],
    ("公安辅警人员经费", "辅警人员经费保障标准", None): [("产出指标", "成本指标")],
    ("道路交通隐患治理经费", "平均道路交通红绿灯及治安监控卡口设备采购及安装成本", None): [("产出指标", "成本指标")],
    ("道路交通隐患治理经费", "平均道路交通标识标线成本", None): [("产出指标", "成本指标")],
    ("公安辅警公用经费", "辅警服装经费保障标准(万元/人/年)", None): [("产出指标", "成本指标"), ("成本指标", "")],
    ("公安辅警公用经费", "辅警公用经费经费保障标准(万元/人/年)", None): [("产出指标", "成本指标"), ("成本指标", "")],
    ("公安辅警人员经费", "公安辅警人员经费发放及时性", None): [("产出指标", "时效指标")],
}


def accepted(read: dict, truth: dict) -> bool:
    """``read`` equals ``truth``, allowing the levels NOTES.md lists as also acceptable."""
    if {k: v for k, v in read.items() if k != "绩效指标"} != {k: v for k, v in truth.items() if k != "绩效指标"}:
        return False
    if len(read["绩效指标"]) != len(truth["绩效指标"]):
        return False
    for got, want in zip(read["绩效指标"], truth["绩效指标"], strict=True):
        if got == want:
            continue
        if (got["三级指标"], got["指标值"]) != (want["三级指标"], want["指标值"]):
            return False
        options = ALTERNATIVES.get((truth["项目名称"], want["三级指标"], want["指标值"])) or ALTERNATIVES.get(
            (truth["项目名称"], want["三级指标"], None), []
        )
        if (got["一级指标"], got["二级指标"]) not in options:
            return False
    return True


def test_accepted_allows_only_the_listed_alternatives(truth):
    form = copy.deepcopy(truth[0])
    form["绩效指标"][8].update({"一级指标": "产出指标", "二级指标": "成本指标"})
    assert accepted(form, truth[0])
    form["绩效指标"][8].update({"一级指标": "效益指标", "二级指标": "成本指标"})
    assert not accepted(form, truth[0])


def test_the_published_text_dump_reads_to_the_nine_truth_forms(cli, truth):
    import json

    r = cli("read", DATA / "forms.txt")
    assert r.code == 0
    forms = json.loads(r.out)
    assert len(forms) == 9
    for got, want in zip(forms, truth, strict=True):
        assert accepted(got, want), want["项目名称"]


def test_the_dump_laid_out_as_a_workbook_with_its_merges_reads_the_same(tmp_path, truth):
    path = dump_workbook((DATA / "forms.txt").read_text(encoding="utf-8"), tmp_path / "dump.xlsx")
    forms = [f.to_dict() for f in sheetsync.read(path)]
    assert len(forms) == 9
    for got, want in zip(forms, truth, strict=True):
        assert accepted(got, want), want["项目名称"]


LAYOUTS = {
    "moved_down_and_right": {"left": 2, "top": 3},
    "name_over_two_columns_and_a_blank_column": {"wide_name": True, "blank_column": True},
    "value_before_name": {"order": ("一级", "二级", "值", "三级")},
    "levels_swapped_with_name_first": {"order": ("三级", "一级", "二级", "值")},
    "labels_with_stray_spaces": {"spaced": True},
    "no_title_no_header_row": {"title": False, "header": False},
    "no_一级_label_for_产出指标": {"level1_missing_for": ("产出指标",)},
    "二级_labels_in_the_一级_column": {"level1_missing_for": ("产出指标",), "level2_in_level1_for": ("产出指标",)},
    "amounts_written_inside_their_labels": {"inline_amounts": True},
    "header_fields_in_another_order": {"fields_order": ["主管部门", "实施单位", "项目期", "项目名称", "项目属性"]},
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_foreign_layouts_read_to_the_same_data(tmp_path, truth, layout):
    options = LAYOUTS[layout]
    for i, form in enumerate(truth):
        path = foreign_workbook(form, tmp_path / f"{i}.xlsx", **options)
        result = sheetsync.read_file(path)
        expected = copy.deepcopy(form)
        if options.get("title") is False:
            expected["表名"] = ""
        assert [f.to_dict() for f in result.forms] == [expected], form["项目名称"]


def test_strict_refuses_guesses_and_names_the_first(tmp_path, truth):
    path = foreign_workbook(truth[0], tmp_path / "x.xlsx", level1_missing_for=("产出指标",))
    with pytest.raises(StrictError) as e:
        sheetsync.read(path, strict=True)
    assert str(e.value).endswith("Sheet1!C14: 二级 '数量指标' belongs under '产出指标'; read under '产出指标'")
    assert sheetsync.read(path, strict=False)[0].to_dict() == truth[0]


def test_strict_accepts_a_canonical_workbook(seed_xlsx, truth):
    assert [f.to_dict() for f in sheetsync.read(seed_xlsx, strict=True)] == truth


def test_a_sheet_that_is_not_a_form_is_skipped_with_a_warning(tmp_path, truth):
    from openpyxl import Workbook

    from tests.layouts import foreign_sheet

    wb = Workbook()
    wb.active.title = "封面"
    wb.active["A1"] = "2024年预算绩效目标汇总"
    foreign_sheet(wb.create_sheet("表"), truth[1])
    wb.save(tmp_path / "m.xlsx")
    result = sheetsync.read_file(tmp_path / "m.xlsx")
    assert [f.to_dict() for f in result.forms] == [truth[1]]
    assert [g.message for g in result.guesses if g.sheet == "封面"] == ["not a form; skipped"]


@pytest.mark.parametrize("suffix", [".tsv", ".csv"])
def test_dumps_as_tsv_and_csv(tmp_path, truth, suffix):
    import csv

    rows = [line.split("\t") for line in (DATA / "forms.txt").read_text(encoding="utf-8").splitlines()]
    path = tmp_path / f"forms{suffix}"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        if suffix == ".csv":
            csv.writer(fh).writerows(rows)
        else:
            fh.write("\n".join("\t".join(r) for r in rows))
    forms = [f.to_dict() for f in sheetsync.read(path)]
    assert all(accepted(g, w) for g, w in zip(forms, truth, strict=True)) and len(forms) == 9


def test_a_gb18030_dump_reads_the_same(tmp_path, truth):
    path = tmp_path / "forms.txt"
    path.write_bytes((DATA / "forms.txt").read_text(encoding="utf-8").encode("gb18030"))
    forms = [f.to_dict() for f in sheetsync.read(path)]
    assert all(accepted(g, w) for g, w in zip(forms, truth, strict=True)) and len(forms) == 9


def test_strict_on_the_command_line(cli):
    r = cli("read", DATA / "forms.txt", "--strict")
    assert r.code == 2 and r.out == ""
    assert r.err == (
        f"Error: strict reading refused a guess: {DATA / 'forms.txt'}: 表1, line 6 column 4: "
        "amount for 年度资金总额 (含本级) read from the label text '年度资金总额(含本级) 3 万元'\n"
    )
