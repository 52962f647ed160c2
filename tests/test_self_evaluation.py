"""The second template, 自评表 (项目支出绩效自评表): layout, computed values, carry-over from
the 绩效目标表, reading, diff and check. Everything here comes from templates/self_evaluation.yaml;
the code has nothing specific to this form.

Sheet layout of the one-form workbook rendered from tests/data/self_evaluation.json (A1 names):
title row 1; 项目名称 row 2; 主管部门 row 3; 项目资金 header row 4 and rows 5-8 (年度资金总额,
当年财政拨款, 上年结转资金, 其他资金; 全年执行数 F, 分值 G, 执行率 H, 得分 I); 年度总体目标 labels
row 9, values row 10; indicator header row 11, four indicators rows 12-15 (产出指标 B12:B13;
实际完成值 F, 分值 G, 得分 H); 总分 row 16 (G16, H16).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sheetsync
from sheetsync.catalog import get_spec
from sheetsync.check import check_forms
from sheetsync.diffing import diff_forms
from sheetsync.model import Form
from sheetsync.rendering import render_blank
from tests.lo import edit_in_libreoffice, needs_uno
from tests.test_roundtrip import amount, contract

DATA = Path(__file__).parent / "data" / "self_evaluation.json"
TEMPLATE = "自评表"


@pytest.fixture
def data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@pytest.fixture
def form(data) -> Form:
    return Form.from_dict(data, spec=get_spec(TEMPLATE))


@pytest.fixture
def book(tmp_path, form) -> Path:
    path = tmp_path / "self.xlsx"
    assert sheetsync.render([form], path, template=TEMPLATE) == []
    return path


def test_computed_values_are_filled_in_from_the_form(form):
    funds = form["项目资金"]
    assert list(funds["年度资金总额"]) == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    assert funds["年度资金总额"]["执行率"] == 0.95  # 2.85 / 3 to the 15 digits a spreadsheet keeps
    assert funds["上年结转资金"]["执行率"] is None  # no budget: no rate, as the spreadsheet shows ""
    assert form["总分"] == {"分值": 100, "得分": 98}  # 10 + 20+20+30+20; 9.5 + 20+18.5+30+20


def test_the_workbook_looks_like_the_official_form(book):
    ws = openpyxl.load_workbook(book).active
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A1:I1", "B2:I2", "A4:A8", "B4:C4", "A9:A10", "B9:E9", "B10:E10", "F9:I9", "F10:I10"} <= merged
    assert {"A11:A15", "B12:B13", "A16:F16"} <= merged
    assert [ws.cell(11, c).value for c in range(2, 10)] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    # ISNUMBER, not N(): gnumeric gives #NUM! for N() of an empty cell
    assert ws["H5"].value == '=IF(ISNUMBER(E5),IF(E5=0,"",F5/E5),"")' and ws["H5"].number_format == "0.00%"
    # blank until something is filled in, as an unfilled form shows no 0
    assert ws["G16"].value == '=IF(COUNT(G5:G8,G12:G15)=0,"",SUM(G5:G8,G12:G15))'
    assert ws["H16"].value == '=IF(COUNT(I5:I8,H12:H15)=0,"",SUM(I5:I8,H12:H15))'
    # one number format for amounts and scores alike
    assert {ws[c].number_format for c in ("E5", "G5", "I5", "G12", "H13", "G16")} == {"#,##0.00##"}
    assert ws["G12"].value == 20 and ws["H13"].value == 18.5  # scores are numbers
    assert ws["B10"].value.startswith("保证涉警") and ws["F10"].value.startswith("全年受理")
    assert ws["I16"].border.left.style == "thin"  # the total row is bordered to the edge
    assert ws.page_setup.orientation == "landscape"


def test_formula_results_are_written_with_the_formulas(book):
    values = openpyxl.load_workbook(book, data_only=True).active
    assert values["H5"].value == 0.95
    assert values["G16"].value == 100 and values["H16"].value == 98


def test_canonical_workbook_reads_back_exactly(book, data, form):
    result = sheetsync.read_file(book)
    assert result.guesses == []
    assert [f.template for f in result.forms] == [TEMPLATE]
    assert result.forms[0] == form
    assert result.forms[0].origin.cells["总分.得分"] == "H16"
    assert result.forms[0].origin.cells["绩效指标[1].得分"] == "H13"


def test_a_file_saved_without_formula_results_is_computed_on_reading(book, tmp_path, form):
    wb = openpyxl.load_workbook(book)  # openpyxl keeps formulas but drops their results
    resaved = tmp_path / "resaved.xlsx"
    wb.save(resaved)
    result = sheetsync.read_file(resaved)
    assert result.forms[0] == form
    computed = {(g.cell, g.code) for g in result.guesses}
    # H7 and H8 have no budget: their empty result is what the formula gives, nothing to say
    assert computed == {("H5", "computed"), ("H6", "computed"), ("G16", "computed"), ("H16", "computed")}


def test_data_files_are_recognized_by_their_keys(cli, form):
    r = cli("read", DATA)
    assert r.code == 0 and json.loads(r.out) == [form.to_dict()]


def test_given_computed_values_that_disagree_are_noted(tmp_path, data):
    data["项目资金"]["年度资金总额"]["执行率"] = 0.5
    notes = sheetsync.render([data], tmp_path / "x.xlsx", template=TEMPLATE)
    assert [n.message for n in notes] == ["项目资金.年度资金总额.执行率: 0.5 will read back as 0.95"]


# ---------------------------------------------------------------- carry-over


def test_a_self_evaluation_starts_from_the_targets_form(cli, tmp_path, truth):
    targets = tmp_path / "targets.json"
    targets.write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "self.xlsx"
    r = cli("render", "--template", TEMPLATE, targets, "-o", out)
    assert r.code == 0, r.err
    forms = sheetsync.read(out)
    assert len(forms) == len(truth)
    for form, source in zip(forms, truth, strict=True):
        assert form.template == TEMPLATE
        assert form["表名"] == "项目支出绩效自评表（2024年度）"
        assert [form[k] for k in ("项目名称", "主管部门", "实施单位")] == [
            source[k] for k in ("项目名称", "主管部门", "实施单位")
        ]
        assert form["预期目标"] == source["年度总体绩效目标"] and form["实际完成情况"] == ""
        budget = source["项目资金"]["年度资金总额"]
        assert form["项目资金"]["年度资金总额"]["年初预算数"] == (
            budget["含本级"] if budget["含本级"] is not None else budget["含本级和市县"]
        )
        assert form["项目资金"]["年度资金总额"]["全年执行数"] is None
        assert [
            (r["一级指标"], r["二级指标"], r["三级指标"], r["年度指标值"], r["实际完成值"], r["得分"])
            for r in form.indicators
        ] == [(r["一级指标"], r["二级指标"], r["三级指标"], r["指标值"], "", None) for r in source["绩效指标"]]
        assert form["总分"] == {"分值": None, "得分": None}  # nothing scored yet: blank, not 0


def test_carry_over_refuses_data_of_neither_template(cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"项目名称": "x"}, ensure_ascii=False), encoding="utf-8")
    r = cli("render", "--template", TEMPLATE, bad, "-o", tmp_path / "o.xlsx")
    assert r.code == 2 and r.err.startswith(f"Error: {bad}: 表名: missing")
    assert not (tmp_path / "o.xlsx").exists()


# ---------------------------------------------------------------- diff and check


def _changed(form: Form, change) -> Form:
    data = form.to_dict()
    change(data)
    del data["总分"]  # computed values left out: the contract computes them again
    for row in data["项目资金"].values():
        del row["执行率"]
    return Form.from_dict(data, spec=get_spec(TEMPLATE))


def test_diff_reports_completion_values_and_scores_by_indicator(form):
    def change(d):
        d["项目资金"]["年度资金总额"]["全年执行数"] = 3
        d["绩效指标"][1]["实际完成值"] = "96%"
        d["绩效指标"][1]["得分"] = 20

    new = _changed(form, change)
    got = [(c.kind, c.path, c.column, c.old, c.new, c.delta, c.direction) for c in diff_forms([form], [new])]
    path = ["产出指标", "质量指标", "信访案件办结率"]
    assert got == [
        ("changed", ["项目资金", "年度资金总额", "全年执行数"], None, 2.85, 3, 0.15, None),
        ("changed", ["项目资金", "年度资金总额", "执行率"], None, 0.95, 1, 0.05, None),
        ("changed", ["总分", "得分"], None, 98, 99.5, 1.5, None),
        ("changed", path, "实际完成值", "93%", "96%", 3, "increased"),
        ("changed", path, "得分", 18.5, 20, 1.5, "increased"),
    ]


def test_textconv_names_each_value_column(form):
    from sheetsync.report import textconv_lines

    lines = textconv_lines([form]).splitlines()
    assert "[信访工作经费] 绩效指标/产出指标/质量指标/信访案件办结率 [得分] = 18.5" in lines
    assert "[信访工作经费] 总分/得分 = 98" in lines


def test_check_finds_typed_over_formulas_and_scores_above_their_maximum(form):
    assert check_forms([form]) == []
    data = form.to_dict()
    data["项目资金"]["年度资金总额"]["执行率"] = 1  # typed over the formula
    data["绩效指标"][2]["得分"] = 35  # 分值 is 30
    data["总分"]["得分"] = 110  # typed over as well
    findings = check_forms([Form.from_dict(data, spec=get_spec(TEMPLATE))])
    assert [(f.rule, f.cell) for f in findings] == [
        ("computed_value", "项目资金.年度资金总额.执行率"),
        ("computed_value", "总分.得分"),
        ("over_limit", "绩效指标[2].得分"),
    ]
    assert findings[2].message == "得分 35 is more than its 分值 30"


def test_scores_and_rates_are_not_summed_like_money(form):
    def scored(d):
        d["项目资金"]["当年财政拨款"]["分值"] = 10  # money adds up; scores and rates do not

    assert check_forms([_changed(form, scored)]) == []

    def spent(d):
        d["项目资金"]["当年财政拨款"]["全年执行数"] = 2

    findings = check_forms([_changed(form, spent)])
    assert [(f.rule, f.cell) for f in findings] == [("amount_sum", "项目资金.年度资金总额.全年执行数")]


def test_a_blank_self_evaluation_reads_as_an_empty_form(cli, tmp_path):
    out = tmp_path / "blank.xlsx"
    assert cli("new", "--template", TEMPLATE, "--rows", "4", "-o", out).code == 0
    form = sheetsync.read(out)[0]
    assert form.template == TEMPLATE and form.indicators == [] and form["总分"] == {"分值": None, "得分": None}
    assert form["表名"] == "____年项目支出绩效自评表"  # a title to complete


def test_csv_export_writes_scores_as_numbers(form):
    from sheetsync.export import forms_to_csv

    rows = forms_to_csv([form]).lstrip("\ufeff").splitlines()
    head = "项目名称,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分,偏差原因分析及改进措施"
    assert rows[0].startswith(head + ",表名,")
    assert rows[0].endswith(",总分.分值,总分.得分")  # the form's other values follow, the totals last
    assert rows[2].startswith("信访工作经费,产出指标,质量指标,信访案件办结率,≥95%,93%,20,18.5,")


# ---------------------------------------------------------------- edited in LibreOffice

SHEET = "信访工作经费"
LO_EDITS = {
    "open_save": [],
    "finish": [
        ["number", SHEET, "F5", 2.7, "#,##0.00##"],
        ["number", SHEET, "F6", 2.7, "#,##0.00##"],
        ["number", SHEET, "H12", 19, "General"],
        ["string", SHEET, "F13", "95%"],
    ],
    "insert_in_group": [
        ["insert_rows", SHEET, 13, 1],
        ["string", SHEET, "D13", "新增指标"],
        ["string", SHEET, "E13", "≥1件"],
        ["string", SHEET, "F13", "1件"],
        ["number", SHEET, "G13", 5, "General"],
        ["number", SHEET, "H13", 4, "General"],
    ],
    "unmerge": [["unmerge_fill", SHEET, "B12:B13"]],
    "typed_over": [["number", SHEET, "H5", 0.5, "0.00%"]],
}


@pytest.fixture(scope="module")
def lo_edited(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("self-edits")
    src = folder / "self.xlsx"
    form = Form.from_dict(json.loads(DATA.read_text(encoding="utf-8")), spec=get_spec(TEMPLATE))
    sheetsync.render([form], src, template=TEMPLATE)
    jobs = [{"in": str(src), "out": str(folder / f"{name}.xlsx"), "ops": ops} for name, ops in LO_EDITS.items()]
    edit_in_libreoffice(jobs, folder)
    return {name: folder / f"{name}.xlsx" for name in LO_EDITS}


def _lo_read(path: Path) -> tuple[Form, list]:
    result = sheetsync.read_file(path)
    assert len(result.forms) == 1
    return result.forms[0], result.guesses


@pytest.mark.libreoffice
@needs_uno
def test_open_and_save_in_libreoffice_changes_nothing(lo_edited, form):
    back, guesses = _lo_read(lo_edited["open_save"])
    assert back == form and guesses == []


@pytest.mark.libreoffice
@needs_uno
def test_libreoffice_recomputes_what_sheetsync_computes(lo_edited, form):
    back, guesses = _lo_read(lo_edited["finish"])
    assert guesses == []
    funds = back["项目资金"]
    assert funds["年度资金总额"]["全年执行数"] == 2.7 and funds["当年财政拨款"]["全年执行数"] == 2.7
    # LibreOffice's results, read from the file, are what the spec's formulas give
    assert funds["年度资金总额"]["执行率"] == funds["当年财政拨款"]["执行率"] == 0.9
    assert back["总分"] == {"分值": 100, "得分": 97}
    assert back.indicators[0]["得分"] == 19 and back.indicators[1]["实际完成值"] == "95%"
    assert check_forms([back]) == []
    path = ["产出指标", "质量指标", "信访案件办结率"]
    got = [(c.path, c.column, c.old, c.new) for c in diff_forms([form], [back])]
    assert got == [
        (["项目资金", "年度资金总额", "全年执行数"], None, 2.85, 2.7),
        (["项目资金", "年度资金总额", "执行率"], None, 0.95, 0.9),
        (["项目资金", "当年财政拨款", "全年执行数"], None, 2.85, 2.7),
        (["项目资金", "当年财政拨款", "执行率"], None, 0.95, 0.9),
        (["总分", "得分"], None, 98, 97),
        (["产出指标", "数量指标", "受理信访事项举报数量"], "得分", 20, 19),
        (path, "实际完成值", "93%", "95%"),
    ]


@pytest.mark.libreoffice
@needs_uno
def test_a_row_inserted_in_libreoffice_joins_its_group_and_the_total(lo_edited, form):
    back, guesses = _lo_read(lo_edited["insert_in_group"])
    expected = form.to_dict()
    expected["绩效指标"].insert(
        1,
        {
            "一级指标": "产出指标",
            "二级指标": "数量指标",
            "三级指标": "新增指标",
            "年度指标值": "≥1件",
            "实际完成值": "1件",
            "分值": 5,
            "得分": 4,
            "偏差原因分析及改进措施": "",
        },
    )
    expected["总分"] = {"分值": 105, "得分": 102}  # LibreOffice widened the SUM over the new row
    assert back.to_dict() == expected
    assert [(g.cell, g.code) for g in guesses] == [("C13", "inherited")]


@pytest.mark.libreoffice
@needs_uno
def test_an_unmerged_group_reads_the_same(lo_edited, form):
    back, _ = _lo_read(lo_edited["unmerge"])
    assert back == form


@pytest.mark.libreoffice
@needs_uno
def test_a_rate_typed_over_its_formula_is_read_and_flagged(lo_edited, form):
    back, _ = _lo_read(lo_edited["typed_over"])
    assert back["项目资金"]["年度资金总额"]["执行率"] == 0.5
    findings = check_forms([back])
    assert [(f.rule, f.cell) for f in findings] == [("computed_value", "H5")]


@pytest.mark.libreoffice
@needs_uno
def test_a_blank_self_evaluation_filled_in_libreoffice_reads_back(tmp_path):
    blank = tmp_path / "blank.xlsx"
    render_blank(blank, template=TEMPLATE, rows=4)
    sheet = "表1"
    texts = {
        "A1": "项目支出绩效自评表（2025年度）",
        "B2": "禁毒宣传经费",
        "B3": "某县公安局",
        "F3": "某县公安局禁毒大队",
        "B10": "开展禁毒宣传20场。",
        "F10": "开展禁毒宣传22场。",
        "B12": "产出指标",
        "C12": "数量指标",
        "D12": "宣传场次",
        "E12": "≥20场",
        "F12": "22场",
        "B13": "满意度指标",
        "C13": "服务对象满意度指标",
        "D13": "群众满意度",
        "E13": "≥90%",
        "F13": "88%",
        "I13": "宣传覆盖面不足；下年度增加进村宣传。",
    }
    ops = [["string", sheet, ref, text] for ref, text in texts.items()]
    numbers = {"D5": 10, "E5": 10, "F5": 8, "G5": 10, "I5": 8, "G12": 50, "H12": 50, "G13": 40, "H13": 36}
    ops += [["number", sheet, ref, value, "General"] for ref, value in numbers.items()]
    edit_in_libreoffice([{"in": str(blank), "out": str(tmp_path / "filled.xlsx"), "ops": ops}], tmp_path)
    result = sheetsync.read_file(tmp_path / "filled.xlsx")
    assert result.guesses == []
    form = result.forms[0].to_dict()
    empty = {"年初预算数": None, "全年预算数": None, "全年执行数": None, "分值": None, "执行率": None, "得分": None}
    assert form == {
        "表名": "项目支出绩效自评表（2025年度）",
        "项目名称": "禁毒宣传经费",
        "主管部门": "某县公安局",
        "实施单位": "某县公安局禁毒大队",
        "项目资金": {
            "年度资金总额": {"年初预算数": 10, "全年预算数": 10, "全年执行数": 8, "分值": 10, "执行率": 0.8, "得分": 8},
            "当年财政拨款": empty,
            "上年结转资金": empty,
            "其他资金": empty,
        },
        "预期目标": "开展禁毒宣传20场。",
        "实际完成情况": "开展禁毒宣传22场。",
        "绩效指标": [
            {
                "一级指标": "产出指标",
                "二级指标": "数量指标",
                "三级指标": "宣传场次",
                "年度指标值": "≥20场",
                "实际完成值": "22场",
                "分值": 50,
                "得分": 50,
                "偏差原因分析及改进措施": "",
            },
            {
                "一级指标": "满意度指标",
                "二级指标": "服务对象满意度指标",
                "三级指标": "群众满意度",
                "年度指标值": "≥90%",
                "实际完成值": "88%",
                "分值": 40,
                "得分": 36,
                "偏差原因分析及改进措施": "宣传覆盖面不足；下年度增加进村宣传。",
            },
        ],
        "总分": {"分值": 100, "得分": 94},  # LibreOffice's SUM over the funds and every indicator row
    }


def test_a_self_evaluation_typed_as_a_text_table_reads_by_meaning(book, tmp_path, form):
    """No merges, numbers as text, 执行率 typed as a percent: the labels and the header decide."""
    values = openpyxl.load_workbook(book, data_only=True).active
    rows = [["" if v is None else str(v) for v in row] for row in values.iter_rows(values_only=True)]
    rows[4][7] = rows[5][7] = "95%"  # 执行率 of 年度资金总额 and 当年财政拨款, as typed
    rows[5][6] = rows[5][8] = "—"  # 分值 and 得分 struck out below the first row, as on the official form
    rows[11][7] = "20分"
    tsv = tmp_path / "self.tsv"
    tsv.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    result = sheetsync.read_file(tsv, template=TEMPLATE)
    assert result.forms == [form]
    assert {g.code for g in result.guesses} == {"amount_text"}
    messages = {g.message for g in result.guesses}
    assert {"text '95%' read as the number 0.95", "text '20分' read as the number 20"} <= messages
    assert not any("—" in m for m in messages)


def test_render_takes_the_template_of_the_data(cli, tmp_path, form):
    out = tmp_path / "self.xlsx"
    assert cli("render", DATA, "-o", out).code == 0  # no --template: the data says 自评表
    assert sheetsync.read(out) == [form]


def test_the_library_starts_self_evaluations_from_target_forms(tmp_path, seed_forms):
    path = tmp_path / "self.xlsx"
    sheetsync.render(seed_forms[:2], path, template=TEMPLATE)
    assert [f.template for f in sheetsync.read(path)] == [TEMPLATE] * 2


def test_forms_of_another_template_are_refused_in_one_line(cli, tmp_path, seed_forms, form):
    with pytest.raises(sheetsync.DataError) as e:
        sheetsync.render([form], tmp_path / "x.xlsx", template="绩效目标表")
    assert str(e.value) == "[0]: is a form of 自评表, not of 绩效目标表; render it with that template"
    targets = tmp_path / "t.json"
    sheetsync.write_forms(seed_forms[:1], targets)
    r = cli("render", DATA, targets, "-o", tmp_path / "mixed.xlsx")
    assert (r.code, r.err) == (
        2,
        "Error: the inputs hold forms of 绩效目标表 and 自评表; render each with its --template\n",
    )
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "mixed.xlsx").exists()


# ---------------------------------------------------------------- properties


@st.composite
def _versions(draw):
    """Generated 自评表 forms, and a new version with completion values and scores changed."""
    old = draw(st.lists(contract(get_spec(TEMPLATE), 12), min_size=1, max_size=2))
    new = copy.deepcopy(old)
    for f in new:
        for row in f["绩效指标"]:
            if draw(st.booleans()):
                row["得分"] = draw(amount)
            if draw(st.booleans()):
                row["实际完成值"] += "+1"
        del f["总分"]  # computed again from the new scores
    return old, [Form.from_dict(f, spec=get_spec(TEMPLATE)).to_dict() for f in new]


def _as_forms(data: list[dict]) -> list[Form]:
    return [Form.from_dict(d, spec=get_spec(TEMPLATE)) for d in data]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_versions())
def test_self_evaluation_diffs_of_workbooks_equal_diffs_of_their_data(tmp_path, pair):
    old, new = pair
    assert not diff_forms(_as_forms(old), _as_forms(old))
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    sheetsync.render(old, a, template=TEMPLATE)
    sheetsync.render(new, b, template=TEMPLATE)
    expected = [c.to_json() for c in diff_forms(_as_forms(old), _as_forms(new))]
    assert [c.to_json() for c in sheetsync.diff(a, b)] == expected
    # only scores and completion values changed: every change is one of them, or the total
    assert all(c.get("column") in ("得分", "实际完成值") or c["path"] == ["总分", "得分"] for c in expected)


def test_the_xlsx_report_marks_scores_totals_and_completion_values(cli, tmp_path, book, form):
    def change(d):
        d["绩效指标"][1]["实际完成值"] = "96%"
        d["绩效指标"][1]["得分"] = 20

    new = tmp_path / "new.xlsx"
    sheetsync.render([_changed(form, change)], new, template=TEMPLATE)
    report = tmp_path / "report.xlsx"
    assert cli("diff", book, new, "--xlsx", report).code == 1
    ws = openpyxl.load_workbook(report).worksheets[1]
    marked = {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment}
    assert marked == {"F13": "原值：93%", "H13": "原值：18.50", "H16": "原值：98.00"}


def test_a_missing_total_row_is_computed_and_said(book, tmp_path, form):
    values = openpyxl.load_workbook(book, data_only=True).active
    rows = [["" if v is None else str(v) for v in row] for row in values.iter_rows(values_only=True)]
    assert rows[-1][0] == "总分"
    tsv = tmp_path / "no-total.tsv"
    tsv.write_text("\n".join("\t".join(r) for r in rows[:-1]) + "\n", encoding="utf-8")
    result = sheetsync.read_file(tsv, template=TEMPLATE)
    assert result.forms == [form]
    notes = [g.message for g in result.guesses if g.code == "computed"]
    assert notes == [
        "no '总分' row found; 总分.分值 computed from the form as 100",
        "no '总分' row found; 总分.得分 computed from the form as 98",
    ]
