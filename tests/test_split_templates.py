"""The templates whose 指标值 is printed in parts: 绩效目标表分列 (一级 | 二级 | 三级 | 指标性质 |
指标值 | 度量单位 | 分值 | 备注) and 自评表分列 (年初预算数 … 得分 funds; 指标性质 | 年度指标值 |
度量单位 beside 实际完成值, 分值, 得分). Everything comes from templates/*_split.yaml and the
spec format's ``parts``; the code has nothing specific to these forms.

Sheet layout of templates/examples/split/01.json rendered (A1 names): title row 1; 项目名称 2;
主管部门 3; 项目属性 4; 项目资金 header row 5 and rows 6-8; 绩效目标 row 9; indicator header row
10, eighteen indicators rows 11-28 (指标性质 E, 指标值 F, 度量单位 G, 分值 H, 备注 I).
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
from sheetsync.catalog import example_forms_path, get_spec
from sheetsync.check import check_forms
from sheetsync.diffing import diff_forms
from sheetsync.errors import DataError, SpecError
from sheetsync.model import Form, carry_over
from sheetsync.report import diff_xlsx
from sheetsync.specfile import load_spec
from sheetsync.values import label_key
from tests.foreign import Opts, form_layout
from tests.lo import edit_in_libreoffice, needs_uno
from tests.test_roundtrip import contract, target
from tests.variants import Sheet, Variant, bundled_forms, expected, write_text, write_xlsx

TARGETS = "绩效目标表分列"
SELF = "自评表分列"
EXAMPLE = example_forms_path() / "split" / "01.json"
SELF_DATA = Path(__file__).parent / "data" / "self_evaluation_split.json"
PARTS = "指标值分列"


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def targets() -> Form:
    return Form.from_dict(_load(EXAMPLE), spec=get_spec(TARGETS))


def _render_read(tmp_path: Path, forms: list, template: str, name: str = "t.xlsx") -> sheetsync.Result:
    path = tmp_path / name
    assert sheetsync.render(forms, path, template=template) == []
    return sheetsync.read_file(path)


# ---------------------------------------------------------------- the printed form


def test_the_indicator_header_prints_the_parts_and_each_part_has_its_cell(tmp_path, targets):
    path = tmp_path / "a.xlsx"
    sheetsync.render([targets], path, template=TARGETS)
    ws = openpyxl.load_workbook(path).active
    assert [ws.cell(10, c).value for c in range(2, 10)] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "指标值",
        "度量单位",
        "分值",
        "备注",
    ]
    assert [ws[f"{c}11"].value for c in "DEFGHI"] == ["受理信访事项举报数量", "定量", "115", "件", 5, ""]
    assert [ws[f"{c}21"].value for c in "EFG"] == ["≤", "7", "%"]  # 执法投诉率 ≤7%
    assert ws["I13"].value == "含现场接访"
    assert "A10:A28" in {str(m) for m in ws.merged_cells.ranges}


def test_the_self_evaluation_prints_funds_and_split_values(tmp_path):
    path = tmp_path / "b.xlsx"
    sheetsync.render([_load(SELF_DATA)], path, template=SELF)
    ws = openpyxl.load_workbook(path).active
    assert [ws.cell(4, c).value for c in (5, 7, 8, 9, 10, 11)] == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    assert ws["J5"].value == '=IF(ISNUMBER(G5),IF(G5=0,"",H5/G5),"")'  # gnumeric computes it as Excel does
    assert [ws.cell(11, c).value for c in range(5, 12)] == [
        "指标性质",
        "年度指标值",
        "度量单位",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    assert [ws[f"{c}13"].value for c in "EFGH"] == ["≥", "95", "%", "93%"]
    # 总分: blank on an unfilled form, the sum otherwise
    assert ws["I16"].value == '=IF(COUNT(I5:I8,I12:I15)=0,"",SUM(I5:I8,I12:I15))'
    assert ws["J16"].value == '=IF(COUNT(K5:K8,J12:J15)=0,"",SUM(K5:K8,J12:J15))'


# ---------------------------------------------------------------- the parts and the 指标值


def test_the_parts_compose_the_value_the_form_means_and_are_kept():
    spec = get_spec(TARGETS)
    base = _load(EXAMPLE)
    row = {k: v for k, v in base["绩效指标"][0].items() if k != "指标值"}
    cases = [
        (("≥", "95", "%"), "≥95%"),
        (("定性", "优", ""), "优"),
        (("定量", "115", "件"), "115件"),
        (("", "无", ""), "无"),
    ]
    for (comparator, value, unit), want in cases:
        data = {**base, "绩效指标": [{**row, PARTS: {"指标性质": comparator, "指标值": value, "度量单位": unit}}]}
        got = Form.from_dict(data, spec=spec).indicators[0]
        assert got["指标值"] == want
        assert got[PARTS] == {"指标性质": comparator, "指标值": value, "度量单位": unit}


def test_a_value_given_whole_is_split_into_parts_that_compose_it():
    spec = get_spec(TARGETS)
    base = _load(EXAMPLE)
    row = {k: v for k, v in base["绩效指标"][0].items() if k != PARTS}
    cases = {
        "≥95%": ("≥", "95", "%"),
        "≤10.4%": ("≤", "10.4", "%"),
        "115件": ("", "115", "件"),
        "健全": ("", "健全", ""),
        "≥ 85 %": ("", "≥ 85 %", ""),  # not a plain number with a unit: kept whole
    }
    for text, (comparator, value, unit) in cases.items():
        got = Form.from_dict({**base, "绩效指标": [{**row, "指标值": text}]}, spec=spec).indicators[0]
        assert got[PARTS] == {"指标性质": comparator, "指标值": value, "度量单位": unit}
        assert got["指标值"] == text


@settings(max_examples=200, deadline=None, database=None)
@given(target)
def test_splitting_any_value_gives_parts_that_compose_it_exactly(text):
    spec = get_spec(TARGETS)
    col, words = spec.indicators.parted, spec.framework.reading
    if label_key(text) in {label_key(w) for w in (*words.kinds, *words.directions)}:
        return  # a bare 定性 or 正向 is no value: it composes to ""
    assert col.compose(col.split(text, words), words) == text


def test_a_value_other_than_its_parts_is_announced_before_render(tmp_path, targets):
    data = targets.to_dict()
    data["绩效指标"][0]["指标值"] = "≥200件"  # the parts say 115件
    notes = sheetsync.render([data], tmp_path / "x.xlsx", template=TARGETS)
    assert [n.message for n in notes] == ["绩效指标[0].指标值: '≥200件' will read back as '115件'"]
    assert sheetsync.read(tmp_path / "x.xlsx")[0].indicators[0]["指标值"] == "115件"


def test_bad_parts_are_one_line_errors_naming_the_path():
    spec = get_spec(TARGETS)
    base = _load(EXAMPLE)
    row = {k: v for k, v in base["绩效指标"][0].items() if k not in ("指标值", PARTS)}
    bad = [
        ({**row}, "绩效指标[0].指标值", "missing"),
        ({**row, PARTS: {"指标性质": "", "指标值": "1"}}, "绩效指标[0].指标值分列.度量单位", "missing"),
        (
            {**row, PARTS: {"指标性质": "", "指标值": "1", "度量单位": "", "方向": ""}},
            "指标值分列.方向",
            "unknown part",
        ),
        ({**row, PARTS: "≥95%"}, "绩效指标[0].指标值分列", "expected an object"),
    ]
    for item, where, words in bad:
        with pytest.raises(DataError) as e:
            Form.from_dict({**base, "绩效指标": [item]}, spec=spec)
        assert e.value.where.endswith(where) and words in str(e.value)


def test_a_spec_with_bad_parts_is_refused_naming_the_key(tmp_path):
    text = (Path(get_spec(TARGETS).source)).read_text(encoding="utf-8")
    shutil_copy = Path(get_spec(TARGETS).source).parent / "framework.yaml"
    (tmp_path / "framework.yaml").write_text(shutil_copy.read_text(encoding="utf-8"), encoding="utf-8")
    cases = {
        "{part: value, label: 指标值, at: F, aliases: [目标值]}": "{part: size, label: 指标值, at: F}",
        "key: 指标值\n        target: true": "key: 指标值\n        wrap: true\n        label: 指标值",
    }
    wants = ["expected 'part' to be one of comparator, value, unit", "only the target (指标值) column may be printed"]
    for (old, new), want in zip(cases.items(), wants, strict=True):
        assert old in text
        (tmp_path / "s.yaml").write_text(text.replace(old, new), encoding="utf-8")
        with pytest.raises(SpecError, match=want.replace("(", r"\(").replace(")", r"\)")) as e:
            load_spec(tmp_path / "s.yaml")
        assert "blocks[6].columns[3]" in str(e.value)


# ---------------------------------------------------------------- render, read exactly


def test_the_examples_read_back_exactly(tmp_path, targets):
    for data, template in ((targets.to_dict(), TARGETS), (_load(SELF_DATA), SELF)):
        form = Form.from_dict(data, spec=get_spec(template))
        result = _render_read(tmp_path, [form], template, f"{template}.xlsx")
        assert result.guesses == [] and [f.template for f in result.forms] == [template]
        assert result.forms[0] == form


@pytest.mark.parametrize("template", [TARGETS, SELF])
def test_generated_forms_render_and_read_back_exactly(tmp_path, template):
    spec = get_spec(template)

    @settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(contract(spec, 25), min_size=1, max_size=3))
    def round_trip(data):
        result = _render_read(tmp_path, data, template)
        assert result.guesses == []
        assert [f.to_dict() for f in result.forms] == data
        assert all(PARTS in row for f in result.forms for row in f.indicators)

    round_trip()


# ---------------------------------------------------------------- diff


def test_diff_of_two_versions_is_keyed_by_the_levels_and_names_each_column(tmp_path, targets):
    old = targets.to_dict()
    new = copy.deepcopy(old)
    rows = new["绩效指标"]
    rows[7][PARTS] = {"指标性质": "≥", "指标值": "90", "度量单位": "%"}  # 信访案件结案及时性 85% -> ≥90%
    del rows[7]["指标值"]
    rows[0]["分值"] = 10
    rows[1]["备注"] = "按上年实际"
    rows[8][PARTS]["指标性质"] = "定量"  # 无: the same 指标值, printed otherwise
    removed = rows.pop(3)
    rows.append({**removed, "三级指标": "新增的指标"})
    a = _render_read(tmp_path, [old], TARGETS, "old.xlsx").forms
    b = _render_read(tmp_path, [Form.from_dict(new, spec=get_spec(TARGETS))], TARGETS, "new.xlsx").forms
    got = [(c.kind, c.path, c.column, c.old, c.new) for c in diff_forms(a, b)]
    assert got == [
        ("changed", ["产出指标", "数量指标", "受理信访事项举报数量"], "分值", 5, 10),
        ("changed", ["产出指标", "数量指标", "信访案件立案数量"], "备注", "", "按上年实际"),
        ("changed", ["产出指标", "时效指标", "信访案件结案及时性"], "指标值", "85%", "≥90%"),
        ("changed", ["成本指标", "", "无"], PARTS, "定性 | 无 | ", "定量 | 无 | "),
        ("added", ["产出指标", "数量指标", "新增的指标"], "指标值", None, "193人"),
        ("removed", ["产出指标", "数量指标", "接待信访群众数量"], "指标值", "193人", None),
    ]


def test_diff_of_two_self_evaluations_names_the_split_target_and_the_other_columns(tmp_path):
    old = Form.from_dict(_load(SELF_DATA), spec=get_spec(SELF)).to_dict()
    new = copy.deepcopy(old)
    rows = new["绩效指标"]
    rows[1][PARTS]["年度指标值"] = "98"  # ≥95% -> ≥98%
    del rows[1]["年度指标值"]
    rows[1]["实际完成值"], rows[1]["得分"] = "99%", 20
    new["项目资金"]["年度资金总额"]["全年执行数"] = 3
    new.pop("总分")  # computed anew
    for amounts in new["项目资金"].values():
        amounts.pop("执行率")
    a = _render_read(tmp_path, [old], SELF, "old.xlsx").forms
    b = _render_read(tmp_path, [Form.from_dict(new, spec=get_spec(SELF))], SELF, "new.xlsx").forms
    got = [(c.path, c.column, c.old, c.new, c.direction) for c in diff_forms(a, b)]
    path = ["产出指标", "质量指标", "信访案件办结率"]
    assert got == [
        (["项目资金", "年度资金总额", "全年执行数"], None, 2.85, 3, None),
        (["项目资金", "年度资金总额", "执行率"], None, 0.95, 1, None),
        (["总分", "得分"], None, 98, 99.5, None),
        (path, "年度指标值", "≥95%", "≥98%", "tightened"),
        (path, "实际完成值", "93%", "99%", "increased"),
        (path, "得分", 18.5, 20, "increased"),
    ]


def test_the_diff_report_marks_the_printed_value_of_a_changed_target(tmp_path, targets):
    new = targets.to_dict()
    new["绩效指标"][0][PARTS]["指标值"] = "120"
    del new["绩效指标"][0]["指标值"]
    news = [Form.from_dict(new, spec=get_spec(TARGETS))]
    report = tmp_path / "report.xlsx"
    diff_xlsx(diff_forms([targets], news), news, report)
    ws = openpyxl.load_workbook(report).worksheets[1]  # after the summary
    marked = [c.coordinate for row in ws.iter_rows() for c in row if c.comment is not None]
    assert marked == ["F11"] and "115件" in ws["F11"].comment.text


def test_a_change_of_the_parts_alone_is_reported_and_marked(tmp_path, targets):
    new = targets.to_dict()
    new["绩效指标"][1][PARTS]["指标性质"] = "定性"  # 48起 either way
    news = [Form.from_dict(new, spec=get_spec(TARGETS))]
    changes = diff_forms([targets], news)
    assert [(c.path[2], c.column, c.old, c.new) for c in changes] == [
        ("信访案件立案数量", PARTS, "定量 | 48 | 起", "定性 | 48 | 起")
    ]
    report = tmp_path / "report.xlsx"
    diff_xlsx(changes, news, report)
    ws = openpyxl.load_workbook(report).worksheets[1]
    assert [c.coordinate for row in ws.iter_rows() for c in row if c.comment is not None] == ["F12"]


# ---------------------------------------------------------------- carry-over, merge, check


def test_a_self_evaluation_starts_from_the_split_targets_keeping_the_parts(targets):
    self_eval = carry_over(targets, get_spec(SELF))
    first, qualitative = self_eval.indicators[0], self_eval.indicators[8]
    assert first["年度指标值"] == "115件" and first[PARTS] == {
        "指标性质": "定量",
        "年度指标值": "115",
        "度量单位": "件",
    }
    assert qualitative[PARTS] == {"指标性质": "定性", "年度指标值": "无", "度量单位": ""}
    assert [r["分值"] for r in self_eval.indicators] == [r["分值"] for r in targets.indicators]
    assert first["实际完成值"] == "" and first["得分"] is None


def test_a_merge_keeps_the_printed_parts_of_the_side_it_takes(targets):
    ours, theirs = targets.to_dict(), targets.to_dict()
    theirs["绩效指标"][0][PARTS]["指标性质"] = "≥"
    del theirs["绩效指标"][0]["指标值"]
    ours["绩效指标"][1]["备注"] = "ours"
    spec = get_spec(TARGETS)
    result = sheetsync.merge([targets], [Form.from_dict(ours, spec=spec)], [Form.from_dict(theirs, spec=spec)])
    (merged,) = result.forms
    assert result.conflicts == []
    assert merged.indicators[0]["指标值"] == "≥115件"
    assert merged.indicators[0][PARTS] == {"指标性质": "≥", "指标值": "115", "度量单位": "件"}
    assert merged.indicators[1][PARTS] == targets.indicators[1][PARTS] and merged.indicators[1]["备注"] == "ours"


def test_a_merge_keeps_an_edit_of_the_parts_alone(targets):
    """定量 -> 定性 prints the same 指标值 (48起): the merge still keeps THEIRS' edit of the parts,
    whichever side edited another column of the row."""
    ours, theirs = targets.to_dict(), targets.to_dict()
    theirs["绩效指标"][1][PARTS]["指标性质"] = "定性"
    ours["绩效指标"][1]["备注"] = "ours"
    spec = get_spec(TARGETS)
    result = sheetsync.merge([targets], [Form.from_dict(ours, spec=spec)], [Form.from_dict(theirs, spec=spec)])
    row = result.forms[0].indicators[1]
    assert result.conflicts == [] and row["备注"] == "ours" and row["指标值"] == "48起"
    assert row[PARTS] == {"指标性质": "定性", "指标值": "48", "度量单位": "起"}


def test_check_reads_the_composed_value(targets):
    data = targets.to_dict()
    data["绩效指标"][4][PARTS] = {"指标性质": "≥", "指标值": "120", "度量单位": "%"}  # a rate over 100%
    del data["绩效指标"][4]["指标值"]
    issues = check_forms([Form.from_dict(data, spec=get_spec(TARGETS))])
    assert any("≥120%" in str(i) for i in issues)


# ---------------------------------------------------------------- reading other files


def _foreign(tmp_path: Path, opts: Opts, ext: str, title: str = "") -> Path:
    form = {**bundled_forms()[0], **({"表名": title} if title else {})}
    layout, extra = form_layout(form, "绩效目标表", opts)
    variant = Variant("x", (), [Sheet("Sheet1", layout)], [expected(form)], [extra])
    return (write_xlsx if ext == "xlsx" else write_text)(variant, tmp_path / f"f.{ext}")


@pytest.mark.parametrize("ext", ["xlsx", "txt"])
@pytest.mark.parametrize(
    "split, parts",
    [("性质", ("定量", "115", "件")), ("目标值", ("", "115", "件"))],  # 指标性质|指标值|度量单位; 目标值|计量单位
)
def test_a_foreign_form_read_in_the_split_template_keeps_its_parts_by_role(tmp_path, ext, split, parts):
    path = _foreign(tmp_path, Opts(split=split, extra="分值"), ext)
    (form,) = sheetsync.read(path, template=TARGETS)
    truth = bundled_forms()[0]["绩效指标"]
    assert [(r["三级指标"], r["指标值"]) for r in form.indicators] == [(r["三级指标"], r["指标值"]) for r in truth]
    assert form.indicators[0][PARTS] == dict(zip(["指标性质", "指标值", "度量单位"], parts, strict=True))
    assert {r["分值"] for r in form.indicators} == {10} and "附加" not in form.indicators[0]


def test_a_foreign_form_in_the_split_layout_is_still_read_in_the_template_it_varies(tmp_path):
    """Templates are chosen by the whole header among those that are no variant: a variant is
    read where its workbook names it; a foreign sheet keeps the parts in 附加."""
    (form,) = sheetsync.read(_foreign(tmp_path, Opts(split="性质", extra="分值"), "xlsx"))
    assert form.template == "绩效目标表"
    assert form.indicators[0]["附加"][PARTS] == {"指标性质": "定量", "指标值": "115", "度量单位": "件"}
    assert form.indicators[0]["附加"]["分值"] == "10"  # an extra column is kept as its text
    # a title naming no form, and a 备注 column, which only the variant's labels have
    (form,) = sheetsync.read(_foreign(tmp_path, Opts(split="性质", extra="备注"), "xlsx", title="附表1"))
    assert form.template == "绩效目标表" and form.indicators[0]["附加"][PARTS]["度量单位"] == "件"


# ---------------------------------------------------------------- edited in LibreOffice

SHEET = "信访工作经费"
LO_EDITS = {
    "open_save": [],
    "typed": [["string", SHEET, "E11", "≥"], ["number", SHEET, "F11", 120, "General"]],
    "insert_in_group": [
        ["insert_rows", SHEET, 12, 1],
        ["string", SHEET, "D12", "新增指标"],
        ["string", SHEET, "E12", "≤"],
        ["string", SHEET, "F12", "3"],
        ["string", SHEET, "G12", "天"],
        ["number", SHEET, "H12", 5, "General"],
    ],
}


@pytest.fixture(scope="module")
def lo_edited(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("split-edits")
    src = folder / "split.xlsx"
    sheetsync.render([_load(EXAMPLE)], src, template=TARGETS)
    jobs = [{"in": str(src), "out": str(folder / f"{name}.xlsx"), "ops": ops} for name, ops in LO_EDITS.items()]
    edit_in_libreoffice(jobs, folder)
    return {name: folder / f"{name}.xlsx" for name in LO_EDITS}


@pytest.mark.libreoffice
@needs_uno
def test_libreoffice_open_and_save_changes_nothing(lo_edited, targets):
    result = sheetsync.read_file(lo_edited["open_save"])
    assert result.forms == [targets] and result.guesses == []


@pytest.mark.libreoffice
@needs_uno
def test_parts_typed_in_libreoffice_compose_the_new_value(lo_edited, targets):
    (back,) = sheetsync.read(lo_edited["typed"])
    assert back.indicators[0]["指标值"] == "≥120件"
    assert back.indicators[0][PARTS] == {"指标性质": "≥", "指标值": "120", "度量单位": "件"}
    got = [(c.path, c.column, c.old, c.new, c.direction) for c in diff_forms([targets], [back])]
    assert got == [(["产出指标", "数量指标", "受理信访事项举报数量"], "指标值", "115件", "≥120件", None)]


@pytest.mark.libreoffice
@needs_uno
def test_a_row_inserted_in_libreoffice_joins_its_group_with_its_parts(lo_edited, targets):
    (back,) = sheetsync.read(lo_edited["insert_in_group"])
    new = back.indicators[1]
    assert (new["一级指标"], new["二级指标"], new["三级指标"]) == ("产出指标", "数量指标", "新增指标")
    assert new["指标值"] == "≤3天" and new[PARTS] == {"指标性质": "≤", "指标值": "3", "度量单位": "天"}
    assert new["分值"] == 5
    rest = back.to_dict()["绩效指标"]
    assert rest[:1] + rest[2:] == targets.to_dict()["绩效指标"]
