"""Cells read as a spreadsheet shows them: number formats (dates, literal text, grouping,
rounding), error values, non-finite numbers and overlapping merges, in workbooks made from a
rendered form. What LibreOffice shows for the same file is the reference (checked once, as
CSV with cells as shown); the locale-dependent built-in formats follow ECMA-376's zh-CN table."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest

import sheetsync
from sheetsync.errors import InputError
from sheetsync.numfmt import builtin_format, shown_number
from sheetsync.reading.files import read_file
from sheetsync.reading.xlsx import XlsxPackage
from tests import packages as v
from tests.conftest import needs_libreoffice, soffice

# (number format: custom code or built-in id, the value as stored, what the cell shows)
SHOWN = [
    ("General", "3", "3"),
    ("General", "0.1", "0.1"),
    ('0"件"', "115", "115件"),
    ("#,##0", "1150", "1,150"),
    (3, "1150", "1,150"),
    ("0%", "0.125", "13%"),
    (9, "0.9", "90%"),
    ("0.0%", "0.0125", "1.3%"),
    ("0", "2.5", "3"),
    ("0", "-2.5", "-3"),
    (10, "0.95", "95.00%"),
    ('#,##0.00"元"', "1234.5", "1,234.50元"),
    ("0.00", "2.675", "2.68"),
    ("0.0#", "1.5", "1.5"),
    ('yyyy"年"m"月"', "45627", "2024年12月"),
    ('yyyy"年"m"月"d"日"', "45627", "2024年12月1日"),
    ("yyyy/m/d h:mm", "45627.75", "2024/12/1 18:00"),
    ("h:mm:ss", "0.5", "12:00:00"),
    ("yyyy-mm-dd", "45627", "2024-12-01"),
    ('0.00;-0.00;"无"', "0", "无"),
    ("0.00E+00", "1234.5", "1.23E+03"),
    ("@", "12", "12"),
]
# built-in ids whose code depends on the locale: what zh-CN Excel shows (ECMA-376 18.8.30)
SHOWN_ZH = [
    (14, "45627", "2024/12/1"),
    (22, "45627.5", "2024/12/1 12:00"),
    (27, "45627", "2024年12月"),
    (31, "45627", "2024年12月1日"),
    (32, "0.75", "18时00分"),
    (33, "0.75", "18时00分00秒"),
    (34, "0.75", "下午6时00分"),
    (57, "45627", "2024年12月"),
    (58, "45627", "12月1日"),
]
FIRST_CASE_ROW = 101  # below the form


@pytest.fixture(scope="module")
def form_xlsx(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cells") / "form.xlsx"
    sheetsync.render(sheetsync.example_forms()[:1], path)
    return path


def _cases_workbook(form: Path, path: Path, cases: list, *, date1904: bool = False, merges: str = "") -> Path:
    parts = v.parts_of(form)
    styles = v.add_formats(parts, [code for code, _, _ in cases])
    rows = {
        FIRST_CASE_ROW + i: [v.number_cell(f"A{FIRST_CASE_ROW + i}", value, style)]
        for i, ((_, value, _), style) in enumerate(zip(cases, styles, strict=True))
    }
    base = FIRST_CASE_ROW + len(cases) + 2
    rows[base] = [f'<c r="A{base}" t="e"><v>#N/A</v></c>', f'<c r="B{base}" t="e"><f>1/0</f><v>#DIV/0!</v></c>']
    if merges:  # overlapping merges over a block of texts
        for r in range(base + 1, base + 5):
            rows[r] = [f'<c r="{c}{r}" t="inlineStr"><is><t>{c}{r}</t></is></c>' for c in "ABCD"]
        parts[v.SHEET] = parts[v.SHEET].replace(b"</mergeCells>", merges.format(r=base + 1).encode() + b"</mergeCells>")
    v.add_rows(parts, rows)
    if date1904:
        v.date1904(parts)
    return v.write_parts(path, parts)


def test_number_formats_show_as_a_spreadsheet_shows_them():
    for code, value, shown in SHOWN + SHOWN_ZH:
        fmt = code if isinstance(code, str) else builtin_format(code)
        number = float(value) if "." in value else int(value)
        assert shown_number(number, fmt) == shown, (code, value)
    assert shown_number(44165, 'yyyy"年"m"月"d"日"', date1904=True) == "2024年12月1日"


def test_grid_cells_show_the_case_texts(tmp_path, form_xlsx):
    path = _cases_workbook(form_xlsx, tmp_path / "cases.xlsx", SHOWN + SHOWN_ZH)
    with XlsxPackage(path) as pkg:
        grid = next(pkg.grids())
    for i, (code, value, shown) in enumerate(SHOWN + SHOWN_ZH):
        assert grid.text(FIRST_CASE_ROW - 1 + i, 0) == shown, (code, value)


@needs_libreoffice
@pytest.mark.libreoffice
def test_every_cell_shows_what_libreoffice_shows(tmp_path, form_xlsx):
    """The whole sheet (the form, the cases, error cells) as CSV from LibreOffice, cells as
    shown, against the grid's texts; and the merges LibreOffice keeps of overlapping ones
    (its .ods export) against the merges the grid keeps."""
    from sheetsync.reading.ods import ods_grids

    merges = '<mergeCell ref="A{r}:B{r}"/><mergeCell ref="B{r}:C{r}"/><mergeCell ref="A1:B2"/>'
    books = {
        "cases": _cases_workbook(form_xlsx, tmp_path / "cases.xlsx", SHOWN, merges=merges),
        "1904": _cases_workbook(form_xlsx, tmp_path / "cases1904.xlsx", SHOWN[14:19], date1904=True),
    }
    for fmt in ("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true", "ods"):
        subprocess.run(
            [soffice(), f"-env:UserInstallation={(tmp_path / 'profile').resolve().as_uri()}", "--headless",
             "--convert-to", fmt, "--outdir", str(tmp_path / "lo"), *map(str, books.values())],
            capture_output=True, timeout=600, check=True,
        )  # fmt: skip
    for name, path in books.items():
        shown = list(csv.reader(io.StringIO((tmp_path / "lo" / f"{path.stem}.csv").read_text(encoding="utf-8"))))
        with XlsxPackage(path) as pkg:
            grid = next(pkg.grids())
        ours = [[grid.text(r, c) for c in range(grid.ncols)] for r in range(grid.nrows)]
        width = max(len(row) for row in shown + ours)
        assert [row + [""] * (width - len(row)) for row in ours] == [
            row + [""] * (width - len(row)) for row in shown[: len(ours)]
        ], name
        assert all(not any(row) for row in shown[len(ours) :])
        kept = {m for m in grid.merges if grid.merge_at(m[0], m[1]) == m}
        assert len(kept) < len(grid.merges) or name == "1904"
        assert set(next(ods_grids(tmp_path / "lo" / f"{path.stem}.ods", None)).merges) == kept, name


# ---------------------------------------------------------------- through the form


def _cell_of(path: Path, label: str, below: bool = False) -> str:
    """The reference of the value cell beside (or below) a label of the rendered form."""
    with XlsxPackage(path) as pkg:
        grid = next(pkg.grids())
    r, c = next(k for k, x in grid.values.items() if x == label)
    if below:
        return v.cell_ref(r + 1, c)
    m = grid.merge_at(r, c)
    return v.cell_ref(r, (m[3] if m else c) + 1)


def _edited(form: Path, path: Path, edits: dict[str, tuple[str | int | None, str, str]]) -> Path:
    """``edits``: label -> (number format or None, cell type t or "n", stored value)."""
    parts = v.parts_of(form)
    for label, (code, kind, value) in edits.items():
        ref = _cell_of(form, label, below=label == "指标值")
        style = f' s="{v.add_formats(parts, [code])[0]}"' if code is not None else ""
        body = f"<v>{value}</v>" if kind != "e-formula" else f"<f>1/0</f><v>{value}</v>"
        t = "" if kind == "n" else ' t="e"'
        v.set_cell(parts, ref, f'<c r="{ref}"{style}{t}>{body}</c>')
    return v.write_parts(path, parts)


@pytest.mark.parametrize(
    ("label", "code", "value", "expected"),
    [
        ("项目期", 31, "45627", "2024年12月1日"),
        ("项目期", 57, "45627", "2024年12月"),
        ("项目期", 14, "45627", "2024/12/1"),
        ("项目期", 'yyyy"年"m"月"', "45627", "2024年12月"),
        ("指标值", '0"件"', "115", "115件"),
        ("指标值", "#,##0", "1150", "1,150"),
        ("指标值", "0%", "0.125", "13%"),
        ("指标值", "0.0%", "0.0125", "1.3%"),
        ("指标值", "0", "2.5", "3"),
    ],
)
def test_numbers_in_text_fields_read_as_shown(tmp_path, form_xlsx, label, code, value, expected):
    path = _edited(form_xlsx, tmp_path / "f.xlsx", {label: (code, "n", value)})
    result = read_file(path)
    form = result.forms[0]
    got = form[label] if label != "指标值" else form.indicators[0]["指标值"]
    assert got == expected
    ref = _cell_of(form_xlsx, label, below=label == "指标值")
    assert [g.cell for g in result.guesses if g.code == "number_as_text"] == [ref]
    assert f"read as the text it shows, '{expected}'" in str(result.guesses[0])


def test_a_1904_workbook_dates_read_as_shown(tmp_path, form_xlsx):
    path = _edited(form_xlsx, tmp_path / "f.xlsx", {"项目期": ('yyyy"年"m"月"d"日"', "n", "44165")})
    parts = v.parts_of(path)
    v.date1904(parts)
    v.write_parts(path, parts)
    assert read_file(path).forms[0]["项目期"] == "2024年12月1日"


@pytest.mark.parametrize(("label", "kind", "error"), [("项目名称", "e", "#N/A"), ("指标值", "e-formula", "#DIV/0!")])
def test_error_cells_are_a_warning_naming_the_cell_never_text(tmp_path, form_xlsx, label, kind, error):
    path = _edited(form_xlsx, tmp_path / "f.xlsx", {label: (None, kind, error)})
    result = read_file(path)
    form = result.forms[0]
    assert (form[label] if label != "指标值" else form.indicators[0]["指标值"]) == ""
    ref = _cell_of(form_xlsx, label, below=label == "指标值")
    errors = [g for g in result.guesses if g.code == "cell_error"]
    assert [(g.cell, error in g.message) for g in errors] == [(ref, True)]
    with pytest.raises(sheetsync.StrictError, match=ref):
        read_file(path, strict=True)


@pytest.mark.parametrize("value", ["NaN", "1e400", "-1E999", "1_000", "inf", "0x10"])
def test_a_number_that_is_not_finite_is_refused_naming_the_cell(tmp_path, form_xlsx, value):
    with XlsxPackage(form_xlsx) as pkg:
        grid = next(pkg.grids())
    (r, c) = next(k for k, x in sorted(grid.values.items()) if isinstance(x, (int, float)) and not isinstance(x, bool))
    parts = v.parts_of(form_xlsx)
    ref = v.cell_ref(r, c)
    v.set_cell(parts, ref, f'<c r="{ref}"><v>{value}</v></c>')
    path = v.write_parts(tmp_path / "f.xlsx", parts)
    with pytest.raises(InputError) as err:
        read_file(path)
    assert str(err.value) == (f"{path}: sheet '{grid.name}': cell {ref} holds '{value}', which is not a finite number")


def test_json_output_never_holds_nan(cli, tmp_path, form_xlsx):
    r = cli("read", form_xlsx)
    assert r.code == 0 and "NaN" not in r.out and "Infinity" not in r.out
    from sheetsync.model import dump_forms

    form = read_file(form_xlsx).forms[0]
    first = next(iter(form["项目资金"].values()))
    key = next(iter(first))
    first[key] = float("nan")
    with pytest.raises(ValueError):
        dump_forms([form], "json")


@needs_libreoffice
@pytest.mark.libreoffice
def test_the_cases_read_alike_from_every_format(tmp_path, form_xlsx):
    """The percent rule and every case above hold in .xls, .ods (LibreOffice and gnumeric)
    and .xlsb: each case cell shows the same text as in the .xlsx."""
    import shutil

    from sheetsync.reading.legacy import xls_grids
    from sheetsync.reading.ods import ods_grids
    from sheetsync.reading.xlsb import xlsb_grids
    from tests.xlsb import write_xlsb

    if shutil.which("ssconvert") is None:
        pytest.skip("gnumeric (ssconvert) is needed: apt-get install gnumeric")
    cases = SHOWN + SHOWN_ZH
    path = _cases_workbook(form_xlsx, tmp_path / "cases.xlsx", cases)
    with XlsxPackage(path) as pkg:
        grid = next(pkg.grids())
    subprocess.run(
        [soffice(), f"-env:UserInstallation={(tmp_path / 'profile').resolve().as_uri()}", "--headless",
         "--convert-to", "xls", "--convert-to", "ods", "--outdir", str(tmp_path / "lo"), str(path)],
        capture_output=True, timeout=600, check=True,
    )  # fmt: skip
    for fmt in ("xls", "ods"):
        if not (tmp_path / "lo" / f"cases.{fmt}").exists():
            subprocess.run(
                [soffice(), f"-env:UserInstallation={(tmp_path / 'profile').resolve().as_uri()}", "--headless",
                 "--convert-to", fmt, "--outdir", str(tmp_path / "lo"), str(path)],
                capture_output=True, timeout=600, check=True,
            )  # fmt: skip
    for exporter, name in (("Gnumeric_Excel:excel_biff8", "gn.xls"), ("Gnumeric_OpenCalc:odf", "gn.ods")):
        subprocess.run(["ssconvert", "-T", exporter, str(path), str(tmp_path / name)], capture_output=True, check=True)
    others = {
        "LibreOffice .xls": next(xls_grids(tmp_path / "lo" / "cases.xls")),
        "LibreOffice .ods": next(ods_grids(tmp_path / "lo" / "cases.ods", None)),
        "gnumeric .xls": next(xls_grids(tmp_path / "gn.xls")),
        "gnumeric .ods": next(ods_grids(tmp_path / "gn.ods", None)),
        ".xlsb": next(xlsb_grids(write_xlsb([grid], tmp_path / "cases.xlsb"))),
    }
    rows = range(FIRST_CASE_ROW - 1, FIRST_CASE_ROW - 1 + len(cases))
    expected = [grid.text(r, 0) for r in rows]
    assert expected == [shown for _, _, shown in cases]
    for name, other in others.items():
        got = [other.text(r, 0) for r in rows]
        # programs other than Excel keep the locale-dependent built-in ids as codes of their own
        exact = len(SHOWN) if name != ".xlsb" else len(cases)
        assert got[:exact] == expected[:exact], name
