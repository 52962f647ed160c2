"""The reader's corpus is well formed: every truth is contract data that agrees with its dump,
every source is recorded, every variant materialises as a workbook and a text grid, and every
issue-12 pattern is covered. These tests check the corpus, not the reader (tests/corpus.py
measures the reader on it)."""

from __future__ import annotations

import copy
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from sheetsync.model import form_of
from sheetsync.reading.text import read_rows
from sheetsync.values import label_key
from tests import corpus, variants

REAL = corpus.REAL
DUMPS = sorted(REAL.glob("*.txt"))
ITEMS = variants.corpus()
PATTERNS = {
    "extra column after 指标值",
    "序号 column before the levels",
    "split value columns",
    "field-label synonyms",
    "amount-label synonyms",
    "footer, total and signature rows",
    "sub-header rows",
    "placeholders",
    "一级 with weights",
    "一级 name lost",
    "amounts in 元",
    "分值 in a 目标表",
    "text on several lines",
    "several forms on one sheet",
    "'附件' row above the title",
    "hidden backup sheet",
    "sheet of notes or 汇总表 first",
    "two goals or indicator sets",
    "header fields with no key",
}


def contract(truth: dict) -> dict:
    """A truth without the printed parts of split values, which the contract has no key for."""
    return {**truth, "绩效指标": [{k: v for k, v in row.items() if k != "指标值分列"} for row in truth["绩效指标"]]}


def squeezed(text: str) -> str:
    """Text without whitespace (wrap spaces) and thousands separators, in NFKC."""
    return label_key(text).replace(",", "")


def test_the_corpus_has_real_forms_of_both_templates_and_thirty_foreign_forms_in_all():
    kinds = [item.kind for item in corpus.real_items()]
    assert kinds.count("real 绩效目标表") >= 5 and kinds.count("real 自评表") >= 10
    assert len(DUMPS) + len(ITEMS) >= 30
    assert {p.stem for p in DUMPS} == {p.name[: -len(".notes.json")] for p in REAL.glob("*.notes.json")}
    assert {p.stem for p in DUMPS} == {p.stem for p in REAL.glob("*.json") if not p.name.endswith(".notes.json")}


@pytest.mark.parametrize("dump", DUMPS, ids=lambda p: p.stem)
def test_a_real_truth_is_contract_data_of_the_template_its_notes_name(dump):
    notes = json.loads(dump.with_suffix(".notes.json").read_text(encoding="utf-8"))
    for truth in corpus.read_truth(dump):
        form = form_of(contract(truth))
        assert form.template == notes.get("kind", "自评表" if "预期目标" in truth else "绩效目标表")
        assert form.indicators, "a form with no indicator"
        for row in truth["绩效指标"]:
            assert all(isinstance(v, str) for v in row.get("指标值分列", {}).values())
    assert isinstance(notes["remarks"], str) and notes["remarks"]
    assert set(notes["patterns"]) <= PATTERNS | {"columns in another order"}


@pytest.mark.parametrize("dump", DUMPS, ids=lambda p: p.stem)
def test_a_real_truth_says_what_its_dump_says(dump):
    """Every 三级 name, 指标值 part and amount of the truth is in the dump (whitespace, wrap
    spaces and thousands separators aside), so truth and dump cannot drift apart."""
    lines = dump.read_text(encoding="utf-8").splitlines()
    assert read_rows(dump) and all("\t" in line or line.strip() for line in lines)
    text = squeezed("\n".join(lines))
    notes = json.loads(dump.with_suffix(".notes.json").read_text(encoding="utf-8"))
    for truth in corpus.read_truth(dump):
        for row in truth["绩效指标"]:
            name = row["三级指标"]
            assert any(squeezed(n) in text for n in [name, *notes.get("names_alt", {}).get(name, [])]), name
            parts = row.get("指标值分列") or {"": row.get("指标值", row.get("年度指标值", ""))}
            assert all(squeezed(p) in text for p in parts.values()), name
        for cols in truth["项目资金"].values():
            for col, value in cols.items():
                if value is not None and col != "执行率":
                    assert any(p in text for p in {f"{value:g}", f"{value:.2f}", f"{value}"}), (col, value)
        project = truth["项目名称"]
        assert squeezed(project) in text or project in notes.get("fields_alt", {}).get("项目名称", [])


def test_every_real_source_is_recorded_in_the_readme():
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    recorded = set(re.findall(r"^\| (\d\d) \|", readme, re.M))
    assert recorded == {p.stem[:2] for p in DUMPS}
    for dump in DUMPS:
        notes = json.loads(dump.with_suffix(".notes.json").read_text(encoding="utf-8"))
        if "source" in notes:  # the forms found for the corpus carry their own record
            assert notes["source"] in readme, dump.stem
            assert {"region", "year", "unit", "project", "kind"} <= set(notes), dump.stem


@pytest.mark.parametrize("name, variant", ITEMS, ids=[name for name, _ in ITEMS])
def test_a_variant_materialises_and_expects_contract_data(tmp_path, name, variant):
    assert len(variant.expected_extras) == len(variant.expected) >= 1
    for want in variant.expected:
        assert form_of(want).to_dict() == want  # in the contract's normal form
    wb = load_workbook(variants.write_xlsx(variant, tmp_path / "v.xlsx"))
    assert [(ws.title, ws.sheet_state) for ws in wb.worksheets] == [(s.name, s.state) for s in variant.sheets]
    for ws, sheet in zip(wb.worksheets, variant.sheets, strict=True):
        cells = {(c.row - 1, c.column - 1): c.value for row in ws.iter_rows() for c in row if c.value is not None}
        assert cells == {
            (r, c): v for r, row in enumerate(sheet.layout.rows) for c, v in enumerate(row) if v not in ("", None)
        }
    if variant.has_text:
        lines = variants.write_text(variant, tmp_path / "v.txt").read_text(encoding="utf-8").splitlines()
        breaks = sum(str(v).count("\n") for row in variant.sheets[0].layout.rows for v in row if isinstance(v, str))
        assert len(lines) == len(variant.sheets[0].layout.rows) + breaks


def test_every_issue_12_pattern_is_in_the_corpus():
    covered = {p for _, v in ITEMS for p in v.patterns} | {p for item in corpus.real_items() for p in item.patterns}
    assert covered >= PATTERNS, PATTERNS - covered


def test_split_values_compose_back_to_the_value():
    for text in (
        "≥534个",
        "115件",
        "98.26%",
        "≤10.4%",
        "按文件标准执行",
        "2024年12月31日前",
        "428元/次",
        "1.4万元/人/年",
    ):
        parts = variants.split_value(text, "性质")
        nature = "" if parts["指标性质"] in ("定量", "定性") else parts["指标性质"]
        assert nature + parts["指标值"] + parts["度量单位"] == text
        assert "".join(variants.split_value(text, "目标值").values()) == text


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form=variants.target_forms())
def test_generated_forms_lay_out_in_every_one_sheet_variant(tmp_path_factory, form):
    folder = tmp_path_factory.mktemp("gen")
    for name, (_, _, templates) in variants.ONE_SHEET.items():
        if "绩效目标表" not in templates:
            continue
        variant = variants.build(name, [form])
        assert variant.expected[0]["绩效指标"] == form["绩效指标"]
        rows = variant.sheets[0].layout.rows
        names = [label_key(str(c)) for row in rows for c in row]
        assert all(label_key(r["三级指标"]) in names for r in form["绩效指标"]), name
        variants.write_xlsx(variant, folder / f"{name}.xlsx")
        variants.write_text(variant, folder / f"{name}.txt")


def _reading(forms: list[dict]):
    """A stand-in for ``sheetsync.read_file`` that returns ``forms`` with one guess."""
    from sheetsync.errors import Guess
    from sheetsync.reading.files import ReadResult

    return lambda path, **_: ReadResult(str(path), [form_of(f) for f in forms], [Guess("a guess", str(path))])


def test_the_score_is_perfect_for_the_truth_and_counts_what_departs_from_it(monkeypatch, tmp_path):
    items = [i for i in corpus.variant_items(tmp_path) if i.kind == "variant xlsx"]
    for item in items:
        monkeypatch.setattr(corpus.sheetsync, "read_file", _reading(item.truth))
        assert corpus.score(item).perfect, item.name
    item = next(i for i in items if len(i.truth[0]["绩效指标"]) > 3 and i.truth[0].get("项目属性"))
    wrong = copy.deepcopy(item.truth[0])
    wrong["主管部门"] = "别的部门"
    wrong["项目资金"]["年度资金总额"]["含本级"] = 12345
    wrong["绩效指标"][1]["指标值"] = "另一个值"
    wrong["绩效指标"][2]["一级指标"], wrong["绩效指标"][2]["二级指标"] = "满意度指标", "服务对象满意度指标"
    wrong["绩效指标"].append({"一级指标": "产出指标", "二级指标": "", "三级指标": "合计", "指标值": ""})
    monkeypatch.setattr(corpus.sheetsync, "read_file", _reading([wrong]))
    s = corpus.score(item)
    n = len(item.truth[0]["绩效指标"])
    assert (s.fields, s.amounts, s.pairs, s.levels) == ([6, 7], [5, 6], [n - 1, n], [n - 2, n - 1])
    assert (s.junk, s.missing, s.warnings, s.perfect) == (2, 1, 1, False)


def test_a_real_form_in_元_is_expected_in_万元(monkeypatch):
    item = next(i for i in corpus.real_items() if i.notes[0].get("amount_unit") == "元" and "含本级" in str(i.truth))
    truth = [contract(f) for f in copy.deepcopy(item.truth)]
    monkeypatch.setattr(corpus.sheetsync, "read_file", _reading(truth))
    as_printed = corpus.score(item).amounts
    for form in truth:
        for row in form["项目资金"].values():
            row.update({k: v / 10000 for k, v in row.items() if v is not None})
    monkeypatch.setattr(corpus.sheetsync, "read_file", _reading(truth))
    assert corpus.score(item).amounts[0] == as_printed[1] > as_printed[0]
