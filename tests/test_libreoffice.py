"""A real spreadsheet application opens what we render and gives it back intact."""

from __future__ import annotations

import shutil

import pytest

import sheetsync
from tests.lo import convert, soffice

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        soffice() is None,
        reason="LibreOffice is not installed "
        "(apt-get install -y --no-install-recommends libreoffice-calc-nogui python3-uno)",
    ),
]


def test_libreoffice_opens_converts_and_resaves_the_seed_workbook(tmp_path, seed_xlsx, truth):
    src = tmp_path / "seed.xlsx"
    shutil.copy(seed_xlsx, src)
    profile = tmp_path / "profile"
    pdf, log = convert(src, "pdf", tmp_path / "pdf", profile)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    assert "Error" not in log
    resaved, log = convert(src, "xlsx:Calc MS Excel 2007 XML", tmp_path / "xlsx", profile)
    assert "Error" not in log
    result = sheetsync.read_file(resaved)
    assert [f.to_dict() for f in result.forms] == truth
    assert result.guesses == []
