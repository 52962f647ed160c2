"""Forms laid out the ways other provinces lay them out: the variants issue 12 names.

``build(name, forms)`` lays forms (data-contract dicts, 绩效目标表 or 自评表) out in one
variant: the sheets of a workbook (``write_xlsx``, openpyxl) and, where the variant has one
sheet, a text grid (``write_text``, tab-separated). ``Variant.expected`` is what a correct
reader returns (contract dicts, in form order). ``Variant.expected_extras`` holds, per form,
what the sheet shows that the contract has no key for yet; where a reader puts it is for the
reader's design to decide:

| key | what |
|---|---|
| ``extra_columns`` | ``{label: [cell of each indicator]}``: a column after 指标值 (绩效标准, 备注, 分值 …) |
| ``value_parts`` | the printed parts of each split 指标值 (``{"指标性质": "≥", "指标值": "95", …}``); |
| | a 指标性质 of 定量/定性 is not part of the composed text |
| ``sequence`` | the 序号 of each indicator |
| ``level_weights`` | ``{一级: "(50分)"}``: weights printed in the 一级 cells |
| ``printed_unit`` | ``"元"``: the sheet prints amounts in 元 (a '单位：元' row); expected amounts are in 万元 |
| ``placeholders`` | template rows that are not indicators (``指标3：``, ``……``) |
| ``footer`` | the texts of the rows after the table (合计, 填表人, 财政部门审核意见, 盖章 …) |
| ``attachment`` | the row above the title (``附件3``) |
| ``header_fields`` | ``{label: value}``: label/value pairs of the header the template has no key for |
| ``skipped_sheets`` | sheets that hold no form (hidden backups, notes, a 汇总表) |
| ``as_printed``, ``fields_alt`` | a text on several lines: expected as the cell holds it; joined, also accepted |

``corpus()`` applies every variant to the bundled forms; ``target_forms()`` is a hypothesis
strategy of 绩效目标表 data for property tests. The layout code is in ``tests/foreign.py``.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from openpyxl import Workbook

from sheetsync.catalog import example_forms_path
from sheetsync.model import form_of
from tests.foreign import Layout, Opts, form_layout, normal, scaled, split_value

DATA = Path(__file__).parent / "data"


@dataclass
class Sheet:
    name: str
    layout: Layout
    state: str = "visible"  # or "hidden", "veryHidden"


@dataclass
class Variant:
    name: str
    patterns: tuple[str, ...]  # the issue-12 patterns it shows
    sheets: list[Sheet]
    expected: list[dict]
    expected_extras: list[dict] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        """A text grid holds one sheet: variants of several sheets are workbooks only."""
        return len(self.sheets) == 1


# ---------------------------------------------------------------- the variants

FIELD_SYNONYMS = {
    "synonyms_a": {
        "项目名称": "项目支出名称",
        "主管部门": "项目主管部门",
        "实施单位": "项目执行单位",
        "项目期": "项目起止时间",
        "年度总体绩效目标": "本年度绩效目标",
    },
    "synonyms_b": {"主管部门": "业务主管部门", "项目期": "建设周期", "年度总体绩效目标": "年度目标"},
    "synonyms_c": {"主管部门": "主管部门及编码", "项目期": "项目支出实施期", "年度总体绩效目标": "年度绩效目标(文字)"},
    "synonyms_d": {"年度总体绩效目标": "年度主要目标和成果", "项目名称": "项目支出名称"},
    "synonyms_e": {"年度总体绩效目标": "项目年度目标"},
}
AMOUNT_SYNONYMS = {
    "amounts_a": {"项目资金": "资金情况", "年度资金总额": "资金总额", "财政拨款": "其中：财政资金"},
    "amounts_b": {"年度资金总额": "项目金额", "财政拨款": "其中：本年财政拨款"},
    "amounts_c": {"项目资金": "项目资金", "年度资金总额": "当年资金总额"},
    "amounts_d": {"年度资金总额": "年度本级预算金额"},
    "amounts_e": {"年度资金总额": "项目总预算", "财政拨款": "其中：财政资金"},
    "amounts_f": {"年度资金总额": "当年年度预算"},
    "amounts_g": {"年度资金总额": "总额", "财政拨款": "其中：财政资金"},
}
SELF_AMOUNT_HEADS = {"全年预算数": "全年预算数(A)", "全年执行数": "全年执行数(B)", "执行率": "执行率(B/A)"}
SELF_AMOUNT_HEADS_B = {
    "年初预算数": "年初预算",
    "全年预算数": "调整后预算数",
    "全年执行数": "预算执行数",
    "执行率": "预算执行率",
    "分值": "权重",
    "年度资金总额": "总额",
    "当年财政拨款": "其中：财政资金",
}

EXTRA, SPLIT, WEIGHTS = "extra column after 指标值", "split value columns", "一级 with weights"
FIELDS = "header fields with no key"
# two pairs side by side on one row, one alone on the next
HEADER_FIELDS = ((("项目负责人", "张三"), ("联系电话", "0871-1234567")), (("项目分类：", "其他项目"),))
FOOTER = "footer, total and signature rows"
# name -> (options, the issue-12 patterns it shows, templates it applies to)
ONE_SHEET: dict[str, tuple[Opts, tuple[str, ...], tuple[str, ...]]] = {
    "plain": (Opts(), (), ("绩效目标表", "自评表")),
    "extra_绩效标准": (Opts(extra="绩效标准"), (EXTRA,), ("绩效目标表",)),
    "extra_指标解释": (Opts(extra="指标解释"), (EXTRA,), ("绩效目标表",)),
    "extra_备注": (Opts(extra="备注"), (EXTRA,), ("绩效目标表", "自评表")),
    "extra_分值": (Opts(extra="分值"), (EXTRA, "分值 in a 目标表"), ("绩效目标表",)),
    "extra_权重": (Opts(extra="权重"), (EXTRA,), ("绩效目标表",)),
    "序号": (Opts(seq=True), ("序号 column before the levels",), ("绩效目标表", "自评表")),
    "split_指标性质": (Opts(split="性质"), (SPLIT, "sub-header rows"), ("绩效目标表", "自评表")),
    "split_目标值": (Opts(split="目标值"), (SPLIT,), ("绩效目标表",)),
    "weights": (Opts(weights="named"), (WEIGHTS,), ("绩效目标表", "自评表")),
    "weights_only": (Opts(weights="only"), (WEIGHTS, "一级 name lost"), ("绩效目标表", "自评表")),
    "yuan": (Opts(yuan=True), ("amounts in 元",), ("绩效目标表", "自评表")),
    "footer": (Opts(footer=True), (FOOTER,), ("绩效目标表", "自评表")),
    "page_break_header": (Opts(repeat_header=True), ("sub-header rows",), ("绩效目标表", "自评表")),
    "placeholders": (Opts(placeholders=True), ("placeholders",), ("绩效目标表", "自评表")),
    "附件3": (Opts(attachment="附件3"), ("'附件' row above the title",), ("绩效目标表", "自评表")),
    "header_fields": (Opts(fields=HEADER_FIELDS), (FIELDS,), ("绩效目标表", "自评表")),
    "multiline": (Opts(multiline=True), ("text on several lines",), ("绩效目标表", "自评表")),
    "self_amount_heads": (Opts(labels=SELF_AMOUNT_HEADS), ("amount-label synonyms",), ("自评表",)),
    "self_amount_heads_b": (Opts(labels=SELF_AMOUNT_HEADS_B), ("amount-label synonyms",), ("自评表",)),
    "prior_year": (Opts(prior_year=True), ("sub-header rows", EXTRA), ("绩效目标表",)),
    "long_term": (
        Opts(long_term=True, labels={"年度总体绩效目标": "年度目标"}),
        ("two goals or indicator sets", "field-label synonyms"),
        ("绩效目标表",),
    ),
    "everything": (
        Opts(
            seq=True,
            extra="备注",
            split="性质",
            weights="named",
            yuan=True,
            footer=True,
            attachment="附件3",
            labels={**FIELD_SYNONYMS["synonyms_a"], **AMOUNT_SYNONYMS["amounts_a"]},
            fields=HEADER_FIELDS,
        ),
        (
            EXTRA,
            FIELDS,
            "序号 column before the levels",
            SPLIT,
            WEIGHTS,
            "amounts in 元",
            FOOTER,
            "'附件' row above the title",
            "field-label synonyms",
            "amount-label synonyms",
        ),
        ("绩效目标表",),
    ),
}
for _name, _labels in FIELD_SYNONYMS.items():
    ONE_SHEET[_name] = (Opts(labels=_labels), ("field-label synonyms",), ("绩效目标表",))
for _name, _labels in AMOUNT_SYNONYMS.items():
    ONE_SHEET[_name] = (Opts(labels=_labels), ("amount-label synonyms",), ("绩效目标表",))

MULTI_SHEET = {
    "stacked": ("several forms on one sheet",),
    "hidden_backup": ("hidden backup sheet",),
    "very_hidden_backup": ("hidden backup sheet",),
    "notes_sheet_first": ("sheet of notes or 汇总表 first",),
    "summary_sheet_first": ("sheet of notes or 汇总表 first",),
}

NOTES = [
    ["填报说明"],
    ["1. 项目名称：按部门预算批复的项目名称填写；主管部门填写一级预算单位全称。"],
    ["2. 绩效指标：一级指标包括产出指标、效益指标和满意度指标，二级指标、三级指标按项目实际设置。"],
    ["3. 指标值：定量指标填写数值及计量单位，定性指标填写达成标准。"],
    ["4. 项目资金单位为万元，保留两位小数。"],
]


def template_of(form: dict) -> str:
    return form_of(form).template


def expected(form: dict) -> dict:
    """The form as a correct reader returns it (see ``tests.foreign.normal``)."""
    return normal(form)


def build(name: str, forms: list[dict]) -> Variant:
    """``forms`` laid out in the variant ``name`` (one-sheet variants use the first form)."""
    if name in ONE_SHEET:
        opts, patterns, _ = ONE_SHEET[name]
        layout, extra = form_layout(forms[0], template_of(forms[0]), opts)
        want = {**expected(forms[0]), **extra.get("as_printed", {})}
        return Variant(name, patterns, [Sheet("Sheet1", layout)], [want], [extra])
    patterns = MULTI_SHEET[name]
    layouts = [form_layout(f, template_of(f), Opts()) for f in forms]
    if name == "stacked":
        sheet = Layout()
        for layout, _ in layouts:
            sheet.append(layout, gap=2 if sheet.rows else 0)
        return Variant(name, patterns, [Sheet("Sheet1", sheet)], [expected(f) for f in forms], [x for _, x in layouts])
    first, extra = layouts[0]
    if name in ("hidden_backup", "very_hidden_backup"):
        older = copy.deepcopy(forms[0])
        older["绩效指标"] = older["绩效指标"][:-1]  # last year's copy, one indicator short
        backup = form_layout(older, template_of(older), Opts())[0]
        state = "hidden" if name == "hidden_backup" else "veryHidden"
        sheets = [Sheet("项目表", first), Sheet("项目表 (备份)", backup, state)]
        extra = {**extra, "skipped_sheets": [sheets[1].name]}
        return Variant(name, patterns, sheets, [expected(forms[0])], [extra])
    if name == "notes_sheet_first":
        sheets = [Sheet("填报说明", Layout(rows=[list(r) for r in NOTES])), Sheet("项目表", first)]
        return Variant(name, patterns, sheets, [expected(forms[0])], [{**extra, "skipped_sheets": ["填报说明"]}])
    summary = Layout(rows=[["项目支出绩效目标汇总表"], ["序号", "项目名称", "主管部门", "年度资金总额（万元）"]])
    for i, f in enumerate(forms, 1):
        money = f["项目资金"]["年度资金总额"]
        total = next((v for v in money.values() if v is not None), None)
        summary.rows.append([i, f["项目名称"], f["主管部门"], total])
    sheets = [Sheet("汇总表", summary)] + [Sheet(f"表{i}", layout) for i, (layout, _) in enumerate(layouts, 1)]
    return Variant(
        name, patterns, sheets, [expected(f) for f in forms], [{**x, "skipped_sheets": ["汇总表"]} for _, x in layouts]
    )


# ---------------------------------------------------------------- files


def write_xlsx(variant: Variant, path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in variant.sheets:
        ws = wb.create_sheet(sheet.name)
        ws.sheet_state = sheet.state
        for r, row in enumerate(sheet.layout.rows, 1):
            for c, value in enumerate(row, 1):
                if value not in ("", None):
                    cell = ws.cell(r, c, value)
                    fmt = sheet.layout.formats.get((r - 1, c - 1))
                    if fmt:
                        cell.number_format = fmt
        for r1, c1, r2, c2 in sheet.layout.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    if all(s.state != "visible" for s in variant.sheets[:1]):
        wb.active = next(i for i, s in enumerate(variant.sheets) if s.state == "visible")
    wb.save(path)
    return path


def write_text(variant: Variant, path: Path) -> Path:
    """The one sheet as a tab-separated grid; a cell's line breaks become line breaks of the
    file, as text copied out of a PDF or a web page has them."""
    (sheet,) = variant.sheets
    lines = ["\t".join(sheet.layout.text(r, c) for c in range(len(row))) for r, row in enumerate(sheet.layout.rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- the corpus


def bundled_forms() -> list[dict]:
    """The nine bundled 绩效目标表 and the 自评表 of the tests' data, as contract dicts."""
    targets = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(example_forms_path().glob("*.json"))]
    return [*targets, json.loads((DATA / "self_evaluation.json").read_text(encoding="utf-8"))]


def self_evaluations(targets: list[dict]) -> list[dict]:
    """自评表 forms: the tests' own, and bundled 目标表 carried over with results filled in."""
    from sheetsync.catalog import get_spec
    from sheetsync.model import carry_over

    own = [f for f in bundled_forms() if template_of(f) == "自评表"]
    spec = get_spec("自评表")
    made = []
    for n, target in enumerate(targets[1:4]):
        form = carry_over(form_of(target), spec).to_dict()
        for i, row in enumerate(form["绩效指标"]):
            row.update({"实际完成值": row["年度指标值"], "分值": 10, "得分": 10 - (i + n) % 3})
        total = form["项目资金"]["年度资金总额"]
        total.update({"全年预算数": total["年初预算数"], "全年执行数": total["年初预算数"], "分值": 10, "得分": 10})
        form["实际完成情况"] = "年度目标全部完成。"
        form.pop("总分", None)
        made.append(expected(form))
    return own + made


def corpus() -> list[tuple[str, Variant]]:
    """(item name, variant) for every variant applied to the bundled forms: each one-sheet
    variant to one 绩效目标表 (rotating through the nine) and to one 自评表 where it applies."""
    targets = [f for f in bundled_forms() if template_of(f) == "绩效目标表"]
    selfs = self_evaluations(targets)
    items = []
    for n, (name, (_, _, templates)) in enumerate(sorted(ONE_SHEET.items())):
        if "绩效目标表" in templates:
            form = targets[n % len(targets)]
            items.append((f"{name}-{form['项目名称']}", build(name, [form])))
        if "自评表" in templates:
            form = selfs[n % len(selfs)]
            items.append((f"{name}-自评表-{form['项目名称']}", build(name, [form])))
    items.append(("stacked-9", build("stacked", targets)))
    items.append(("stacked-自评表", build("stacked", selfs[:3])))
    for name in ("hidden_backup", "very_hidden_backup", "notes_sheet_first"):
        items.append((f"{name}-{targets[1]['项目名称']}", build(name, [targets[1]])))
    items.append(("summary_sheet_first", build("summary_sheet_first", targets[2:4])))
    return items


# ---------------------------------------------------------------- generated forms

_HAN = "项目经费管理信访工作交通安全服务保障建设维护培训设备购置采购运行专项资金农村教育卫生"
_UNITS = ("件", "人", "次", "个", "%", "万元", "平方米", "元/次", "")
_WORDS = ("健全", "明显改善", "有效提升", "按文件标准执行", "无", "及时")


def target_forms():
    """A hypothesis strategy: 绩效目标表 data in the contract's normal form, levels from the
    framework, 指标值 of every shape the forms use (numbers with units, comparators, words)."""
    from hypothesis import strategies as st

    from sheetsync.catalog import get_spec

    levels = [(one, two) for one, twos in get_spec().framework.levels.items() for two in (*twos, "")]
    name = st.text(_HAN, min_size=2, max_size=14)
    number = st.decimals(0, 5000, places=2, allow_nan=False).map(lambda d: float(d) if d % 1 else int(d))
    value = st.one_of(
        st.tuples(st.sampled_from(("", "≥", "≤", "=")), number, st.sampled_from(_UNITS)).map(
            lambda t: f"{t[0]}{t[1]}{t[2]}"
        ),
        st.sampled_from(_WORDS),
    )
    row = st.tuples(st.sampled_from(levels), name, value).map(
        lambda t: {"一级指标": t[0][0], "二级指标": t[0][1], "三级指标": t[1], "指标值": t[2]}
    )
    amount = st.one_of(st.none(), number)
    money = st.tuples(amount, amount, amount).map(
        lambda a: {
            k: {"含本级和市县": None, "含本级": v}
            for k, v in zip(("年度资金总额", "财政拨款", "其他资金"), a, strict=True)
        }
    )
    return st.fixed_dictionaries(
        {
            "表名": st.just("2024年部门项目支出预算绩效目标表"),
            "项目名称": name,
            "主管部门": name,
            "实施单位": name,
            "项目属性": st.sampled_from(("延续性项目", "一次性项目", "")),
            "项目期": st.sampled_from(("长期", "2024年-2024年")),
            "项目资金": money,
            "年度总体绩效目标": st.lists(name, min_size=1, max_size=3).map(lambda xs: "。".join(xs) + "。"),
            "绩效指标": st.lists(row, min_size=1, max_size=12).map(lambda rows: sorted(rows, key=_group_order(rows))),
        }
    )


def _group_order(rows: list[dict]):
    """Rows of one (一级, 二级) together, groups in the order they first appear (as on paper)."""
    first = {}
    for i, r in enumerate(rows):
        first.setdefault((r["一级指标"], r["二级指标"]), i)
    return lambda r: first[(r["一级指标"], r["二级指标"])]


def with_options(name: str, **changes) -> Opts:
    """The options of a one-sheet variant with some changed (for property tests)."""
    return replace(ONE_SHEET[name][0], **changes)


__all__ = [
    "Variant",
    "build",
    "corpus",
    "scaled",
    "split_value",
    "target_forms",
    "with_options",
    "write_text",
    "write_xlsx",
]
