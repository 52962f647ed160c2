"""sheetsync's own outputs are inputs: what ``read`` writes (JSON, YAML, the CSV table) reads
back to the same forms, for every template, so a colleague can edit the output and render it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sheetsync
from sheetsync.catalog import get_spec
from tests.test_roundtrip import contract

TEMPLATES = ["绩效目标表", "自评表"]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_data_files_read_back_to_the_same_forms(tmp_path, template, fmt):
    spec = get_spec(template)

    @settings(max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(contract(spec, 12), min_size=1, max_size=3))
    def round_trip(data):
        forms = [sheetsync.Form.from_dict(d, spec=spec) for d in data]
        path = tmp_path / f"forms.{fmt}"
        sheetsync.write_forms(forms, path)
        result = sheetsync.read_file(path)
        assert [f.to_dict() for f in result.forms] == data
        assert [f.template for f in result.forms] == [template] * len(data)
        assert result.guesses == []

    round_trip()


def _own_names(data: list[dict], identity: str) -> bool:
    names = [d[identity] for d in data]
    return len(set(names)) == len(names) and all(names)


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_csv_table_reads_back_to_the_same_forms(tmp_path, template):
    """Every value, not just the indicators: texts, amounts, totals, forms without indicators.
    (Consecutive rows of one 项目名称 are one form: the generated forms have names of their own.)"""
    spec = get_spec(template)

    @settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(contract(spec, 12), min_size=1, max_size=3).filter(lambda d: _own_names(d, spec.identity)))
    def round_trip(data):
        path = tmp_path / "forms.csv"
        sheetsync.write_forms([sheetsync.Form.from_dict(d, spec=spec) for d in data], path)
        result = sheetsync.read_file(path)
        assert [f.to_dict() for f in result.forms] == data
        assert result.guesses == []

    round_trip()


def test_a_value_edited_on_one_row_of_the_csv_is_read_from_the_first_and_named(tmp_path, seed_forms):
    path = tmp_path / "forms.csv"
    sheetsync.write_forms(seed_forms[:1], path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[2] = lines[2].replace("永宁县公安局", "永宁县信访局", 1)  # 主管部门 on the form's second row only
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = sheetsync.read_file(path)
    assert result.forms[0]["主管部门"] == "永宁县公安局"
    assert [(g.cell, g.message) for g in result.guesses] == [
        ("line 3 column 7", "主管部门 differs from the form's first row (line 2); read as there")
    ]
    with pytest.raises(sheetsync.StrictError):
        sheetsync.read_file(path, strict=True)
