"""Every file a colleague sends: the bundled forms saved by LibreOffice and gnumeric as .xls,
.ods and text in three encodings, .xlsb, package variants other writers produce, and cells
whose number formats, errors and phonetic runs must read as a spreadsheet shows them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import sheetsync
from sheetsync.errors import InputError
from sheetsync.reading.files import read_file
from sheetsync.reading.xlsx import XlsxPackage
from tests import packages as v
from tests.conftest import needs_libreoffice, soffice
from tests.xlsb import write_xlsb

TEXT_ENCODINGS = {"utf-8": 76, "gb18030": 85, "utf-16": 65535}  # LibreOffice's numbers for them


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> list[Path]:
    """Every bundled form, as a 绩效目标表 workbook and as the 自评表 workbook started from it."""
    d = tmp_path_factory.mktemp("bundled")
    forms = sheetsync.example_forms()
    targets, self_eval = d / "targets.xlsx", d / "self.xlsx"
    sheetsync.render(forms, targets)
    sheetsync.render(forms, self_eval, template="自评表")
    return [targets, self_eval]


def _data(path: Path) -> list[dict]:
    return [f.to_dict() for f in read_file(path).forms]


def _soffice(args: list[str], outdir: Path, files: list[Path], profile: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [soffice(), f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
         *args, "--outdir", str(outdir), *map(str, files)],
        capture_output=True, timeout=600, check=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def saved(tmp_path_factory, bundled) -> dict[str, list[Path]]:
    """The bundled workbooks as LibreOffice and gnumeric save them: kind -> files (in the
    order of ``bundled``; text kinds hold one file per sheet, in sheet order)."""
    if soffice() is None or shutil.which("ssconvert") is None:
        pytest.skip(
            "LibreOffice (soffice) and gnumeric (ssconvert) are needed: apt-get install libreoffice-calc-nogui gnumeric"
        )
    d = tmp_path_factory.mktemp("saved")
    profile = d / "profile"
    out: dict[str, list[Path]] = {}
    for fmt in ("xls", "ods"):
        _soffice(["--convert-to", fmt], d / f"lo-{fmt}", bundled, profile)
        out[f"LibreOffice .{fmt}"] = [d / f"lo-{fmt}" / f"{p.stem}.{fmt}" for p in bundled]
    for fmt, exporter in (("xls", "Gnumeric_Excel:excel_biff8"), ("ods", "Gnumeric_OpenCalc:odf")):
        out[f"gnumeric .{fmt}"] = []
        for p in bundled:
            target = d / f"gnumeric-{p.stem}.{fmt}"
            subprocess.run(
                ["ssconvert", "-T", exporter, str(p), str(target)], capture_output=True, timeout=300, check=True
            )
            out[f"gnumeric .{fmt}"].append(target)
    for name, number in TEXT_ENCODINGS.items():
        # tab-separated, every sheet to its own file (<name>-<sheet>.txt), cells as shown
        options = f"Text - txt - csv (StarCalc):9,34,{number},1,,0,false,true,true,false,false,-1"
        _soffice(["--convert-to", f"txt:{options}"], d / f"text-{name}", bundled, profile)
        out[f"LibreOffice text {name}"] = [
            d / f"text-{name}" / f"{p.stem}-{sheet}.txt" for p in bundled for sheet in _sheet_names(p)
        ]
    return out


def _sheet_names(path: Path) -> list[str]:
    with XlsxPackage(path) as pkg:
        return [s.name for s in pkg.sheets]


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.parametrize(
    "kind",
    ["LibreOffice .xls", "LibreOffice .ods", "gnumeric .xls", "gnumeric .ods"]
    + [f"LibreOffice text {e}" for e in TEXT_ENCODINGS],
)
def test_every_bundled_form_saved_by_another_program_reads_as_its_xlsx(saved, bundled, kind):
    files = saved[kind]
    if kind.startswith("LibreOffice text"):
        expected = [f for p in bundled for f in _data(p)]
        got = []
        for f in files:
            forms = _data(f)
            assert len(forms) == 1, f
            got.extend(forms)
        raw = files[0].read_bytes()
        assert raw.startswith(b"\xff\xfe") if kind.endswith("utf-16") else b"\x00" not in raw[:100]
        assert got == expected
    else:
        for xlsx, other in zip(bundled, files, strict=True):
            assert _data(other) == _data(xlsx), other


@needs_libreoffice
@pytest.mark.libreoffice
def test_xlsb_reads_as_its_xlsx_and_as_libreoffice_and_calamine_read_it(tmp_path, bundled):
    """No program here saves .xlsb (LibreOffice 7 and gnumeric only open it), so the test
    writes the records itself and checks them with two independent readers."""
    import python_calamine

    for xlsx in bundled:
        with XlsxPackage(xlsx) as pkg:
            grids = list(pkg.grids())
        xlsb = write_xlsb(grids, tmp_path / f"{xlsx.stem}.xlsb")
        assert _data(xlsb) == _data(xlsx)
        book = python_calamine.CalamineWorkbook.from_path(str(xlsb))
        assert book.sheet_names == [g.name for g in grids]
        for i, grid in enumerate(grids):
            rows = book.get_sheet_by_index(i).to_python()
            cells = {(r, c): x for r, row in enumerate(rows) for c, x in enumerate(row) if x != ""}
            assert cells == {
                k: (float(x) if isinstance(x, int) and not isinstance(x, bool) else x)
                for k, x in grid.values.items()
                if x != ""
            }
        _soffice(["--convert-to", "xlsx"], tmp_path / "lo", [xlsb], tmp_path / "profile")
        assert _data(tmp_path / "lo" / f"{xlsx.stem}.xlsx") == _data(xlsx)


def test_text_encodings_are_detected_and_others_refused(tmp_path, bundled):
    from sheetsync.reading.text import decode_text

    text = "项目名称\t信访工作经费\n指标值\t≥95%\n"
    for encoding, data in {
        "utf-8": text.encode(),
        "utf-8 BOM": b"\xef\xbb\xbf" + text.encode(),
        "utf-16 BOM": text.encode("utf-16"),
        "utf-16-be BOM": b"\xfe\xff" + text.encode("utf-16-be"),
        "gb18030": text.encode("gb18030"),
        "gbk": text.encode("gbk"),
    }.items():
        assert decode_text(data, "f.txt") == text, encoding
    dels = text + "\x7f\t\x7f\n" * 20  # DEL is a character a cell may hold, not a sign of binary
    assert decode_text(dels.encode(), "f.txt") == dels
    for data, message in (
        (text.encode("utf-16-le"), "needs its byte-order mark"),
        (bytes(range(256)) * 4, "not a text grid"),
        (b"\xff\xfe\x00\xd8", "byte-order mark"),
        (b"\x81\x30\x81", "neither UTF-8"),
    ):
        with pytest.raises(InputError, match=message) as err:
            decode_text(data, "f.txt")
        assert str(err.value).startswith("f.txt: ") and "\n" not in str(err.value)


# ---------------------------------------------------------------- package variants


@pytest.mark.parametrize("variant", sorted(v.VARIANTS))
def test_package_variants_read_as_the_rendered_workbook(tmp_path, bundled, variant):
    original = v.parts_of(bundled[0])
    changed = v.VARIANTS[variant](original)
    assert changed != original
    path = v.write_parts(tmp_path / "variant.xlsx", changed)
    result = read_file(path)
    assert [f.to_dict() for f in result.forms] == _data(bundled[0])
    assert result.guesses == []


@needs_libreoffice
@pytest.mark.libreoffice
def test_the_kind_of_workbook_is_told_by_its_content_not_its_name(tmp_path, saved, bundled):
    """WPS saves .et (BIFF like .xls) and web systems save .xlsx content under .xls names."""
    expected = _data(bundled[0])
    for source, name in (
        (saved["LibreOffice .xls"][0], "wps.et"),
        (saved["LibreOffice .xls"][0], "legacy-named.xlsx"),
        (saved["LibreOffice .ods"][0], "ods-named.xlsx"),
        (bundled[0], "xlsx-named.xls"),
    ):
        shutil.copy(source, tmp_path / name)
        assert _data(tmp_path / name) == expected, name


def test_a_wps_et_that_is_not_biff_says_to_save_it_as_xlsx(tmp_path):
    from tests import hostile

    bad = hostile.ole2(tmp_path / "form.et", "Workbook")
    with pytest.raises(InputError) as err:
        read_file(bad)
    message = str(err.value)
    assert message.startswith(f"{bad}: is a WPS .et workbook sheetsync cannot read")
    assert message.endswith("open it in WPS and save it as .xlsx") and "\n" not in message
