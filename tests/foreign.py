"""One form laid out as another province would: the rows, merges and number formats of a
sheet, and the cells the contract has no key for. ``tests/variants.py`` names the variants."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sheetsync.model import form_of

LABELS = {
    "项目名称": "项目名称",
    "主管部门": "主管部门",
    "实施单位": "实施单位",
    "项目属性": "项目属性",
    "项目期": "项目期",
    "项目资金": "项目资金",
    "资金来源": "资金来源",
    "年度资金总额": "年度资金总额",
    "财政拨款": "其中：财政拨款",
    "当年财政拨款": "其中：当年财政拨款",
    "上年结转资金": "上年结转资金",
    "其他资金": "其他资金",
    "绩效目标": "绩效目标",
    "年度总体绩效目标": "年度总体绩效目标",
    "年度总体目标": "年度总体目标",
    "预期目标": "预期目标",
    "实际完成情况": "实际完成情况",
    "绩效指标": "绩效指标",
    "年初预算数": "年初预算数",
    "全年预算数": "全年预算数",
    "全年执行数": "全年执行数",
    "分值": "分值",
    "执行率": "执行率",
    "得分": "得分",
}
LINE_BREAKS = {
    "项目名称": "项目\n名称",
    "年度总体绩效目标": "年度总体\n绩效目标",
    "年度总体目标": "年度\n总体\n目标",
    "一级指标": "一级\n指标",
    "绩效指标": "绩\n效\n指\n标",
}
WEIGHTS = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
STANDARDS = ("计划标准", "行业标准", "历史标准")
TARGET_VALUES = ("指标值",)
SELF_VALUES = ("年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
LONG_GOAL = "建立长效保障机制，持续提升服务质量和群众满意度。"
PRIOR = ("2023年实际实现值", "预期2024年实现值")
_SPLIT = re.compile(r"(≥|≤|>|<|=)?(\d+(?:\.\d+)?)([^\d.]*)")


@dataclass(frozen=True)
class Opts:
    """How a layout departs from the plain one (see tests/variants.py for the named sets)."""

    labels: dict = field(default_factory=dict)  # contract key or column -> the label printed
    extra: str = ""  # an extra column after the (first) value column
    seq: bool = False  # a 序号 column before the levels
    split: str = ""  # "性质": 指标性质|指标值|度量单位; "目标值": 目标值|计量单位
    weights: str = ""  # "named": 产出指标(50分); "only": (50分) where the 二级 names the 一级
    yuan: bool = False  # amounts in 元, with a '单位：元' row
    footer: bool = False  # 合计, signature, review and seal rows after the table
    repeat_header: bool = False  # the indicator header again mid-table (a page break)
    placeholders: bool = False  # template rows 指标N： and …… after each group
    attachment: str = ""  # a row above the title
    multiline: bool = False  # labels and the goal on several lines
    prior_year: bool = False  # 指标值 in two sub-columns: last year's actual, this year's target
    long_term: bool = False  # a 长期目标 and a 长期绩效指标 block before the year's
    fields: tuple = ()  # rows of header fields the template has no key for: ((label, value), …) each


@dataclass
class Layout:
    rows: list[list] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)

    def add(self, *cells) -> int:
        self.rows.append(list(cells))
        return len(self.rows) - 1

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))

    def append(self, other: Layout, gap: int = 0) -> None:
        self.rows.extend([] for _ in range(gap))
        top = len(self.rows)
        self.rows.extend(other.rows)
        self.merges.extend((a + top, b, c + top, d) for a, b, c, d in other.merges)
        self.formats.update({(r + top, c): f for (r, c), f in other.formats.items()})

    def text(self, r: int, c: int) -> str:
        """A cell as a text dump shows it (numbers as the sheet displays them)."""
        value = self.rows[r][c]
        if value is None or isinstance(value, str):
            return value or ""
        if self.formats.get((r, c)) == "0.00%":
            return f"{value * 100:.2f}%"
        return str(value) if isinstance(value, int) else f"{value:.15g}"


def normal(form: dict) -> dict:
    """The form as a correct reader returns it: the contract's normal form, its computed values
    (执行率, 总分) computed from its inputs whatever the data said."""
    data = copy.deepcopy(form)
    if "总分" in data or "预期目标" in data:
        data.pop("总分", None)
        for row in data["项目资金"].values():
            row.pop("执行率", None)
    return form_of(data).to_dict()


def scaled(amount, yuan: bool):
    """An amount in 万元 as the form prints it: in 元 when ``yuan`` (exact decimals)."""
    if amount is None or not yuan:
        return amount
    value = Decimal(str(amount)) * 10000
    return int(value) if value == value.to_integral_value() else float(value)


def split_value(text: str, how: str) -> dict[str, str]:
    """The printed parts of a 指标值; joined as a reader composes them they give ``text`` back."""
    m = _SPLIT.fullmatch(text)
    if how == "目标值":
        return {"目标值": (m[1] or "") + m[2], "计量单位": m[3]} if m else {"目标值": text, "计量单位": ""}
    if m:
        return {"指标性质": m[1] or "定量", "指标值": m[2], "度量单位": m[3]}
    return {"指标性质": "定性", "指标值": text, "度量单位": ""}


def form_layout(form: dict, template: str, o: Opts) -> tuple[Layout, dict]:
    """``form`` (a contract dict of ``template``) laid out with the options ``o``; also the
    cells the contract has no key for, by kind."""
    lay, extras = Layout(), {}

    def label(key: str) -> str:
        text = o.labels.get(key, LABELS.get(key, key))
        return LINE_BREAKS.get(key, text) if o.multiline and key not in o.labels else text

    if o.attachment:
        lay.add(o.attachment)
        extras["attachment"] = o.attachment
    title = lay.add(form["表名"])
    if o.yuan:
        lay.add("单位：元")
        extras["printed_unit"] = "元"  # expected amounts stay in 万元
    goal_key = "年度总体绩效目标" if template == "绩效目标表" else "预期目标"
    goal = form[goal_key]
    if o.multiline and "。" in goal[:-1]:
        goal = goal.replace("。", "。\n", 1)
        extras["as_printed"] = {goal_key: goal}  # what the cell holds, line break and all
        extras["fields_alt"] = {goal_key: [form[goal_key]]}
    (_target_head if template == "绩效目标表" else _self_head)(lay, form, o, label, goal, extras)
    if o.long_term:
        extras["long_term"] = _long_term(lay, form, o)
        o = replace(o, labels={**o.labels, "绩效指标": "年度绩效指标"})
    width = _indicators(lay, form, template, o, label, extras)
    lay.merge(title, 0, title, width - 1)
    if template == "自评表":
        _total(lay, form, o)
    if o.footer:
        extras["footer"] = _footer(lay, template)
    return lay, extras


def _unknown_fields(lay: Layout, o: Opts, extras: dict, second: int) -> None:
    """Rows of label/value pairs the template has no key for, the second pair of a row at
    column ``second`` (as the template's own pairs)."""
    for pairs in o.fields:
        cells = [""] * (second + 2)
        for n, (name, value) in enumerate(pairs):
            cells[n * second : n * second + 2] = [name, value]
            extras.setdefault("header_fields", {})[name.rstrip(":：")] = value  # read without its colon
        lay.add(*cells[: second * (len(pairs) - 1) + 2])


def _target_head(lay: Layout, form: dict, o: Opts, label, goal: str, extras: dict) -> None:
    lay.add(label("项目名称"), form["项目名称"])
    lay.add(label("主管部门"), form["主管部门"], "", label("实施单位"), form["实施单位"])
    lay.add(label("项目属性"), form["项目属性"], "", label("项目期"), form["项目期"])
    _unknown_fields(lay, o, extras, 3)
    unit = "（元）" if o.yuan else "（万元）"
    top = lay.add(label("项目资金") + unit, label("资金来源"), "", "含本级和市县", "含本级")
    for key in ("年度资金总额", "财政拨款", "其他资金"):
        money = form["项目资金"][key]
        lay.add("", label(key), "", scaled(money["含本级和市县"], o.yuan), scaled(money["含本级"], o.yuan))
    lay.merge(top, 0, top + 3, 0)
    if o.long_term:
        r = lay.add(label("绩效目标"), "长期目标", LONG_GOAL)
        lay.add("", label("年度总体绩效目标"), goal)
        lay.merge(r, 0, r + 1, 0)
    else:
        lay.add(label("绩效目标"), label("年度总体绩效目标"), goal)


def _self_head(lay: Layout, form: dict, o: Opts, label, goal: str, extras: dict) -> None:
    lay.add(label("项目名称"), form["项目名称"])
    lay.add(label("主管部门"), form["主管部门"], "", "", label("实施单位"), form["实施单位"])
    _unknown_fields(lay, o, extras, 4)
    columns = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    unit = "（元）" if o.yuan else "（万元）"
    top = lay.add(label("项目资金") + unit, "", *(label(c) for c in columns))
    money = normal(form)["项目资金"]
    for key in ("年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"):
        row = money[key]
        cells = [scaled(row[c], o.yuan and c.startswith(("年初", "全年"))) for c in columns]
        r = lay.add("", label(key), *cells)
        lay.formats[(r, 6)] = "0.00%"
    lay.merge(top, 0, top + 4, 0)
    r = lay.add(label("年度总体目标"), label("预期目标"), "", "", "", label("实际完成情况"))
    lay.add("", goal, "", "", "", form["实际完成情况"])
    lay.merge(r, 0, r + 1, 0)
    lay.merge(r + 1, 1, r + 1, 4)


def _value_columns(template: str, o: Opts) -> list[str]:
    values = list(TARGET_VALUES if template == "绩效目标表" else SELF_VALUES)
    first = {"性质": ["指标性质", "指标值", "度量单位"], "目标值": ["目标值", "计量单位"]}.get(o.split, values[:1])
    first = list(PRIOR) if o.prior_year else first
    return first + ([o.extra] if o.extra else []) + values[1:]


def _header(lay: Layout, template: str, o: Opts, label, columns: list[str]) -> int:
    """The indicator header (two rows when a 自评表's 年度指标值 is split); returns its first row."""
    lead = [label("绩效指标"), *(["序号"] if o.seq else []), label("一级指标"), "二级指标", "三级指标"]
    group = 2 if o.prior_year else 3 if (o.split == "性质" and template == "自评表") else 0
    if not group:
        return lay.add(*lead, *columns)
    name = "指标值" if template == "绩效目标表" else "年度指标值"
    top = lay.add(*lead, name, *[""] * (group - 1), *columns[group:])
    lay.add(*[""] * len(lead), *columns[:group])
    lay.merge(top, len(lead), top, len(lead) + group - 1)
    for c in [*range(1, len(lead)), *range(len(lead) + group, len(lead) + len(columns))]:
        lay.merge(top, c, top + 1, c)
    return top


def _indicators(lay: Layout, form: dict, template: str, o: Opts, label, extras: dict) -> int:
    """The indicator block; returns the sheet's width in columns."""
    columns = _value_columns(template, o)
    first_key = "指标值" if template == "绩效目标表" else "年度指标值"
    top = _header(lay, template, o, label, columns)
    base = 2 if o.seq else 1  # the 一级 column
    rows = form["绩效指标"]
    extra_cells, parts, placed, in_group = [], [], [], 0
    lead = [""] * (base + 2)
    for i, row in enumerate(rows):
        if o.repeat_header and i == len(rows) // 2 and i:  # a page break: the header again
            _levels(lay, rows, placed, base, o, extras)
            lay.merge(top, 0, len(lay.rows) - 1, 0)
            top = lay.add(*lay.rows[top])
            placed = []
        first = ["", row[first_key]] if o.prior_year else [row[first_key]]
        if o.split:
            parts.append(split_value(row[first_key], o.split))
            first = list(parts[-1].values())
        extra = [_extra_cell(o.extra, row, i)] if o.extra else []
        extra_cells += extra
        cells = [row[k] for k in SELF_VALUES[1:]] if template == "自评表" else []
        seq = [i + 1] if o.seq else []
        placed.append((lay.add("", *seq, "", "", row["三级指标"], *first, *extra, *cells), i))
        in_group += 1
        if i + 1 == len(rows) or (rows[i + 1]["一级指标"], rows[i + 1]["二级指标"]) != (
            row["一级指标"],
            row["二级指标"],
        ):
            if o.placeholders:
                marks = [f"指标{in_group + 1}：", "……"]
                placed += [(lay.add(*lead, mark), None) for mark in marks]
                extras.setdefault("placeholders", []).extend(marks)
            in_group = 0
    _levels(lay, rows, placed, base, o, extras)
    lay.merge(top, 0, len(lay.rows) - 1, 0)
    if o.extra:
        extras["extra_columns"] = {o.extra: extra_cells}
    if o.prior_year:
        extras.setdefault("extra_columns", {})[PRIOR[0]] = [""] * len(rows)
    if parts:
        extras["value_parts"] = parts
    if o.seq:
        extras["sequence"] = list(range(1, len(rows) + 1))
    return base + 3 + len(columns)


def _long_term(lay: Layout, form: dict, o: Opts) -> dict:
    """A 长期绩效指标 block before the year's: the same indicators, each held '长期保持'."""
    rows = [{**r, "指标值": "长期保持"} for r in form["绩效指标"]]
    plain = replace(o, labels={**o.labels, "绩效指标": "长期绩效指标"}, long_term=False)
    _indicators(lay, {**form, "绩效指标": rows}, "绩效目标表", plain, lambda k: plain.labels.get(k, k), {})
    return {"长期目标": LONG_GOAL, "长期绩效指标": [{k: r[k] for k in ("三级指标", "指标值")} for r in rows]}


def _extra_cell(label: str, row: dict, i: int):
    if label == "绩效标准":
        return STANDARDS[i % 3]
    if label == "指标解释":
        return f"反映{row['三级指标']}的情况"
    if label == "备注":
        return "无" if i % 2 else ""
    return 10 if label in ("分值", "权重") else ""


def _levels(lay: Layout, rows: list[dict], placed: list[tuple[int, int | None]], base: int, o: Opts, extras) -> None:
    """Write the 一级 and 二级 names of the placed rows ((sheet row, indicator or None for a
    placeholder, which belongs to the group above it)), merged down over their groups."""
    groups: list[list] = []  # [一级, 二级, first row, last row]
    for r, i in placed:
        key = groups[-1][:2] if i is None else [rows[i]["一级指标"], rows[i]["二级指标"]]
        if groups and groups[-1][:2] == key:
            groups[-1][3] = r
        else:
            groups.append([*key, r, r])
    k = 0
    while k < len(groups):
        one, two, first, _ = groups[k]
        end = k
        while two and end + 1 < len(groups) and groups[end + 1][0] == one and groups[end + 1][1]:
            end += 1
        lay.rows[first][base] = _level1_text(one, two, o, extras)
        if not two:
            lay.merge(first, base, groups[k][3], base + 1)
        else:
            lay.merge(first, base, groups[end][3], base)
            for g in groups[k : end + 1]:
                lay.rows[g[2]][base + 1] = g[1]
                lay.merge(g[2], base + 1, g[3], base + 1)
        k = end + 1


def _level1_text(one: str, two: str, o: Opts, extras: dict) -> str:
    if not o.weights:
        return one
    weight = f"({WEIGHTS.get(one, 10)}分)"
    extras.setdefault("level_weights", {})[one] = weight
    return weight if o.weights == "only" and two else one + weight


def _total(lay: Layout, form: dict, o: Opts) -> None:
    total = normal(form)["总分"]
    score = (2 if o.seq else 1) + 3 + len(_value_columns("自评表", o)) - 3  # the 分值 column
    r = lay.add("总分", *[""] * (score - 1), total["分值"], total["得分"], "")
    lay.merge(r, 0, r, score - 1)


def _footer(lay: Layout, template: str) -> list[str]:
    if template == "绩效目标表":
        rows = [
            ["合计", "", "", "", ""],
            ["填表人：王某", "", "联系电话：…", "", "填报日期：2024年1月10日"],
            ["财政部门审核意见", "（盖章）"],
            ["单位负责人签字：", "", "", "（单位盖章）", "年 月 日"],
        ]
    else:
        rows = [
            ["其他需要说明事项", "无"],
            ["评价结论", "项目年度绩效目标基本完成。"],
            ["存在问题", "无"],
            ["改进措施", "无"],
            ["项目负责人：", "", "", "财务负责人：", "", "填报日期："],
        ]
    for row in rows:
        lay.add(*row)
    return [c for row in rows for c in row if c]
