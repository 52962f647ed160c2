"""What render writes, compared with the golden files in tests/golden/ part by part.

After an intended change, ``python3 -m tests.golden --update`` rewrites them; review the diff.
"""

from __future__ import annotations

import difflib

import pytest

from tests import golden


@pytest.mark.parametrize("case", sorted(golden.CASES))
def test_rendered_xml_matches_the_golden_files(tmp_path, case):
    want = golden.stored(case)
    assert want, f"no golden files for {case}; run python3 -m tests.golden --update"
    got = golden.parts(case, tmp_path)
    assert sorted(got) == sorted(want), "the workbook's parts differ from the golden files"
    for name in want:
        if got[name] != want[name]:
            diff = "".join(difflib.unified_diff(want[name].splitlines(True), got[name].splitlines(True), n=1))
            pytest.fail(
                f"{case}/{name} differs from the golden file (python3 -m tests.golden --update):\n{diff[:4000]}"
            )


def test_a_golden_file_notices_a_change(tmp_path):
    """The comparison is not vacuous: one changed attribute in a sheet is a difference."""
    got = golden.parts("blank", tmp_path)
    sheet = got["xl/worksheets/sheet1.xml"]
    assert sheet == golden.stored("blank")["xl/worksheets/sheet1.xml"]
    assert sheet.replace('<c r="A1"', '<c r="A2"', 1) != sheet
