"""sheetsync's own outputs are inputs: what ``read`` writes (JSON, YAML, the CSV table) reads
back to the same forms, for every template, so a colleague can edit the output and render it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sheetsync
from sheetsync.spec import get_spec
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
