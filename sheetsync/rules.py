"""The rules ``check`` applies to one form: each a small function of a :class:`Context` that
yields :class:`Finding` objects (what is wrong, where, how serious, what to do)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal

from . import formulas
from .errors import place
from .i18n import N_, _
from .model import Form
from .spec import Framework, Spec
from .values import parse_target

SEVERITIES = ("error", "warning")
SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning")}


@dataclass(frozen=True)
class Finding:
    """One problem: ``rule`` names the check, ``fix`` says what to do about it."""

    severity: str
    rule: str
    message: str
    fix: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    form: str = ""

    def __str__(self) -> str:
        head = place(self.file, self.sheet, self.cell)
        severity = _(SEVERITY_WORDS.get(self.severity, self.severity))
        return _("{place}: {severity}: {message} ({fix})").format(
            place=head, severity=severity, message=self.message, fix=self.fix
        )

    def to_json(self) -> dict:
        return asdict(self)


class Context:
    def __init__(self, form: Form, spec: Spec, fw: Framework):
        self.form, self.spec, self.fw = form, spec, fw
        block = spec.indicators
        self.kv, self.k3 = block.target.key, block.name.key
        self.k1, self.k2 = block.level(1).key, block.level(2).key
        self.block = block.key

    def find(self, severity: str, rule: str, message: str, fix: str, path: str = "") -> Finding:
        origin = self.form.origin
        cell = origin.cells.get(path, "") if path else ""
        if not cell and path and not origin.sheet:
            cell = f"{origin.where}.{path}" if origin.where else path  # a data file: the data path
        return Finding(severity, rule, message, fix, origin.file, origin.sheet, cell, self.form.name)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        return enumerate(self.form.indicators)

    def path(self, i: int, key: str) -> str:
        return f"{self.block}[{i}].{key}"


# ---------------------------------------------------------------- rules on one form


def _required_fields(c: Context) -> Iterator[Finding]:
    for key in c.spec.text_keys:
        if not c.form[key].strip():
            yield c.find(
                "error", "empty_field", _("{key} is empty").format(key=key), _("fill in {key}").format(key=key), key
            )


def _amount_sums(c: Context) -> Iterator[Finding]:
    for block in c.spec.amounts:
        if len(block.row_labels) < 3:
            continue
        total, *parts = (k for k, _label in block.row_labels)
        for scope, _label in block.columns:
            if not block.column(scope).adds_up:
                continue  # scores and rates: the first row is not the sum of the others
            values = [c.form[block.key][k][scope] for k in (total, *parts)]
            if values[0] is None or all(v is None for v in values[1:]):
                continue  # nothing to compare; a blank part is 0
            given, computed = Decimal(repr(values[0])), sum(Decimal(repr(v)) for v in values[1:] if v is not None)
            if given != computed:
                yield c.find(
                    "error",
                    "amount_sum",
                    _("{total}({scope}) is {given} but {parts} make {computed}").format(
                        total=total, scope=scope, given=values[0], parts=" + ".join(parts), computed=computed
                    ),
                    _("correct {total} or its parts").format(total=total),
                    f"{block.key}.{total}.{scope}",
                )


def _levels(c: Context) -> Iterator[Finding]:
    fw = c.fw
    for i, row in c.rows():
        one, two = row[c.k1], row[c.k2]
        if one not in fw.levels:
            yield c.find(
                "warning",
                "level_pair",
                _("一级 {one!r} is not in the indicator framework").format(one=one),
                _("use one of {levels}").format(levels=", ".join(fw.levels)),
                c.path(i, c.k1),
            )
        elif two and two not in fw.levels[one] and fw.aliases.get(two) not in fw.levels[one]:
            usual = fw.usual_parent.get(fw.aliases.get(two, two))
            fix = _("file it under {group}").format(group=usual) if usual else None
            fix = fix or _("use one of {levels}").format(levels=", ".join(fw.levels[one]))
            yield c.find(
                "warning",
                "level_pair",
                _("二级 {two!r} does not belong under {one!r}").format(two=two, one=one),
                fix,
                c.path(i, c.k2),
            )


def _values(c: Context) -> Iterator[Finding]:
    fw = c.fw
    words = set(fw.qualitative)
    for i, row in c.rows():
        value, name = row[c.kv], row[c.k3]
        target = parse_target(value)
        if not target.numeric and value and value not in words:
            yield c.find(
                "warning",
                "value_format",
                _("{kv} {value!r} of {name!r} is neither a number with a unit nor a known word").format(
                    kv=c.kv, value=value, name=name
                ),
                _("write a target such as ≥85%, 115件 or 健全"),
                c.path(i, c.kv),
            )
        is_rate = any(name.endswith(r) for r in fw.rates)
        if is_rate and target.numeric and target.unit == "%" and target.number > 100:
            yield c.find(
                "error",
                "rate_over_100",
                _("{name!r} is a rate but its target is {value}").format(name=name, value=value),
                _("a rate is at most 100%"),
                c.path(i, c.kv),
            )
        elif is_rate and target.numeric and target.unit not in ("%", "‰"):
            yield c.find(
                "warning",
                "unit_mismatch",
                _("{name!r} is a rate but its target {value!r} is not a percent").format(name=name, value=value),
                _("write the target as a percent"),
                c.path(i, c.kv),
            )


def _money(text: str, fw: Framework) -> bool:
    return any(u in text for u in fw.money_units)


def _misfiled(c: Context) -> Iterator[Finding]:
    fw = c.fw
    cost = fw.places.get("cost", "")
    for i, row in c.rows():
        one, two, name, value = row[c.k1], row[c.k2], row[c.k3], row[c.kv]
        target = parse_target(value)
        name_units = " ".join(re.findall(r"[(（]([^)）]*)[)）]", name))
        if two == fw.places.get("time") and (_money(target.unit, fw) or _money(name_units, fw)):
            yield c.find(
                "warning",
                "unit_mismatch",
                _("{name!r} is measured in money but filed under {two}").format(name=name, two=two or one),
                _("file cost items under {cost}").format(cost=cost),
                c.path(i, c.k3),
            )
            continue
        costly = any(w in name for w in fw.cost_words)
        if one == fw.places.get("benefit") and (("/" in target.unit and _money(target.unit, fw)) or costly):
            yield c.find(
                "warning",
                "misfiled",
                _("{name!r} is a cost ({value}) filed under {group}").format(
                    name=name, value=value, group="/".join(p for p in (one, two) if p)
                ),
                _("file cost items under {cost}").format(cost=cost),
                c.path(i, c.k3),
            )
            continue
        if one == fw.places.get("output"):
            for hinted, hint_words in fw.hints.items():
                if hinted != two and any(w in name for w in hint_words):
                    yield c.find(
                        "warning",
                        "misfiled",
                        _("{name!r} reads as a {hinted} but is filed under {two}").format(
                            name=name, hinted=hinted, two=two or one
                        ),
                        _("file it under {group}").format(group=hinted),
                        c.path(i, c.k3),
                    )
                    break


def _duplicates(c: Context) -> Iterator[Finding]:
    seen: Counter = Counter()
    for i, row in c.rows():
        key = (row[c.k1], row[c.k2], row[c.k3])
        seen[key] += 1
        if seen[key] == 2:
            yield c.find(
                "warning",
                "duplicate",
                _("indicator {indicator} appears more than once").format(indicator=" / ".join(key)),
                _("merge or rename the duplicates"),
                c.path(i, c.k3),
            )


def _empty_groups(c: Context) -> Iterator[Finding]:
    for i, row in c.rows():
        if not row[c.k3] and not row[c.kv]:
            group = " / ".join(p for p in (row[c.k1], row[c.k2]) if p)
            yield c.find(
                "warning",
                "empty_group",
                _("{group} has no indicators").format(group=group),
                _("add its indicators, or write 无 for both {k3} and {kv}").format(k3=c.k3, kv=c.kv),
                c.path(i, c.k1),
            )


_TOTAL = re.compile(r"(?:合计|共计|总计|总额|=)[^0-9，,。；;]{0,8}?(\d+(?:\.\d+)?)\s*万元")
_UNIT_COST = re.compile(r"^(万元|元)/(.+)$")


def _budget(c: Context) -> Iterator[Finding]:
    """Totals the form states or implies, against its own 年度资金总额."""
    amounts = next(iter(c.spec.amounts), None)
    if amounts is None:
        return
    total_key = amounts.row_labels[0][0]
    budget_values = [v for v in c.form[amounts.key][total_key].values() if v is not None]
    if not budget_values:
        return
    budget = Decimal(repr(max(budget_values)))
    goal_key = next((k for k in c.spec.text_keys if "目标" in k), None)
    if goal_key:
        stated = [Decimal(m) for m in _TOTAL.findall(c.form[goal_key])]
        over = [s for s in stated if s > budget]
        if over:
            yield c.find(
                "warning",
                "goal_total",
                _("{goal_key} states {stated}万元, more than the {total_key} of {budget}万元").format(
                    goal_key=goal_key, stated=max(over), total_key=total_key, budget=budget
                ),
                _("make the text and {total_key} agree").format(total_key=total_key),
                goal_key,
            )
    for i, row in c.rows():
        target = parse_target(row[c.kv])
        m = _UNIT_COST.match(target.unit) if target.numeric else None
        if not m:
            continue
        per = m.group(2)
        count = Decimal(0)
        for _index, other in c.rows():
            t = parse_target(other[c.kv])
            if t.numeric and t.unit and t.unit != target.unit and t.unit.endswith(per):
                count += t.number
        cost = target.number * count / (10000 if m.group(1) == "元" else 1)
        if count and cost > budget:
            yield c.find(
                "warning",
                "unit_cost_budget",
                _("{name} {unit_cost} × {count}{per} = {cost}万元, more than the {total_key} of {budget}万元").format(
                    name=row[c.k3],
                    unit_cost=row[c.kv],
                    count=count,
                    per=per,
                    cost=cost.quantize(Decimal("0.01")),
                    total_key=total_key,
                    budget=budget,
                ),
                _("check the unit cost, the counts and the budget"),
                c.path(i, c.kv),
            )


def _computed(c: Context) -> Iterator[Finding]:
    """A computed value (执行率, 总分) that is not what its formula gives: typed over the formula."""
    for path, value in formulas.computed(c.spec, c.form.data, c.form.origin.text_numbers):
        given = formulas.get(c.form.data, path)
        if given == value or (given is not None and value is not None and math.isclose(given, value, rel_tol=1e-9)):
            continue
        yield c.find(
            "error",
            "computed_value",
            _("{path} is {given} but the form's own numbers give {value}").format(
                path=".".join(path), given=given, value=value
            ),
            _("restore the formula, or correct the numbers it is computed from"),
            ".".join(path),
        )


def _text_numbers(c: Context) -> Iterator[Finding]:
    """A number typed as text in a summed column: the spreadsheet's SUM leaves it out."""
    for path, value, into in formulas.summed_cells(c.spec, c.form.data):
        if path in c.form.origin.text_numbers:
            yield c.find(
                "warning",
                "number_as_text",
                _("{value} is typed as text, so the spreadsheet leaves it out of {total}").format(
                    value=value, total=".".join(into)
                ),
                _("type it as a number (without the leading ' or other text)"),
                path,
            )


def _at_most(c: Context) -> Iterator[Finding]:
    """A number above the one it may not exceed on its row (得分 above 分值)."""
    checks = []  # (data path of the row, the row, {column: the column it may not exceed})
    for b in c.spec.amounts:
        limits = {k: b.column(k).at_most for k, _ in b.columns if b.column(k).at_most}
        checks += [(f"{b.key}.{rk}", c.form[b.key][rk], limits) for rk, _ in b.row_labels]
    columns = c.spec.indicators.columns
    limits = {col.key: col.number.at_most for col in columns if col.number and col.number.at_most}
    checks += [(f"{c.block}[{i}]", row, limits) for i, row in c.rows()]
    for where, row, limits in checks:
        for key, limit_key in limits.items():
            value, limit = row[key], row[limit_key]
            if value is not None and limit is not None and value > limit:
                yield c.find(
                    "error",
                    "over_limit",
                    _("{key} {value} is more than its {limit_key} {limit}").format(
                        key=key, value=value, limit_key=limit_key, limit=limit
                    ),
                    _("a {key} is at most its {limit_key}").format(key=key, limit_key=limit_key),
                    f"{where}.{key}",
                )


RULES = (
    _required_fields,
    _amount_sums,
    _computed,
    _text_numbers,
    _at_most,
    _levels,
    _values,
    _misfiled,
    _duplicates,
    _empty_groups,
    _budget,
)
