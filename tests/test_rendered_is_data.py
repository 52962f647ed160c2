"""A workbook sheetsync rendered holds data: texts that look like a template's placeholders
(``0``, ``……``, ``指标1：``) with no value are indicators there, read back exactly."""

import json

import pytest

import sheetsync

EMPTY_AMOUNTS = {k: {"含本级和市县": None, "含本级": None} for k in ("年度资金总额", "财政拨款", "其他资金")}


def _reads_back(tmp_path, second: str, third: str) -> None:
    """A form of two indicators, (产出指标, '', ``third``) and (效益指标, ``second``, ''),
    rendered and read back exactly with no guess."""
    form = {
        "表名": "", "项目名称": "P", "主管部门": "", "实施单位": "", "项目属性": "", "项目期": "",
        "项目资金": json.loads(json.dumps(EMPTY_AMOUNTS)),
        "年度总体绩效目标": "",
        "绩效指标": [
            {"一级指标": "产出指标", "二级指标": "", "三级指标": third, "指标值": ""},
            {"一级指标": "效益指标", "二级指标": second, "三级指标": "", "指标值": ""},
        ],
    }  # fmt: skip
    path = tmp_path / "forms.xlsx"
    sheetsync.render([form], path)
    result = sheetsync.read_file(path)
    assert [f.to_dict() for f in result.forms] == [form]
    assert result.guesses == []


@pytest.mark.parametrize("name", ["0", "……", "指标1：", "3."])
def test_a_placeholder_like_name_in_a_rendered_workbook_reads_back(tmp_path, name):
    _reads_back(tmp_path, "", name)


def test_a_level_named_like_a_field_label_does_not_start_a_second_form(tmp_path):
    """A 二级 that reads 项目名称 is data of a rendered form, not the start of a stacked one."""
    _reads_back(tmp_path, "项目名称", "")


def test_a_text_typed_into_an_unmerged_span_is_named_not_dropped(tmp_path, truth):
    """The exact read takes a value from its cell's first column; a text typed beside it, once
    the span was unmerged, is named by a warning with its cell."""
    import openpyxl

    path = tmp_path / "forms.xlsx"
    sheetsync.render(truth[:1], path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    span = next(m for m in ws.merged_cells.ranges if m.min_row == 2 and m.min_col > 1)
    ws.unmerge_cells(str(span))
    spare = ws.cell(2, span.max_col)
    spare.value = "项目负责人：张三"
    wb.save(path)
    result = sheetsync.read_file(path)
    assert [f.to_dict() for f in result.forms] == truth[:1]
    assert [(g.cell, g.code) for g in result.guesses] == [(spare.coordinate, "not_read")]
