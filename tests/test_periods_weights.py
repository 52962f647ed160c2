"""A 长期目标 and a 长期绩效指标 set beside the year's, weights in the 一级 cells, and --strict on
the forms that needed a guess."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

import sheetsync
from sheetsync.errors import StrictError
from sheetsync.reading.grid import cell_name
from tests.foreign import LONG_GOAL
from tests.variants import build, bundled_forms, expected, write_text, write_xlsx


def _target(n: int = 1) -> dict:
    return [f for f in bundled_forms() if "年度总体绩效目标" in f][n]


def _extras(path: Path) -> tuple[dict, dict, list]:
    result = sheetsync.read_file(path)
    (form,) = result.forms
    data = form.to_dict()
    return data.pop("附加", {}), data, result.guesses


@pytest.mark.parametrize("kind", ["xlsx", "txt"])
def test_a_long_term_goal_and_indicator_set_go_to_their_place_in_the_extras(tmp_path, kind):
    form = _target(5)
    variant = build("long_term", [form])
    path = (write_xlsx if kind == "xlsx" else write_text)(variant, tmp_path / f"f.{kind}")
    extras, data, guesses = _extras(path)
    assert data == variant.expected[0]  # the year's goal and indicators only
    assert extras["长期目标"] == LONG_GOAL
    long = extras["其他指标"]["长期绩效指标"]
    assert [(r["三级指标"], r["指标值"]) for r in long] == [(r["三级指标"], "长期保持") for r in form["绩效指标"]]
    assert [(r["一级指标"], r["二级指标"]) for r in long] == [(r["一级指标"], r["二级指标"]) for r in form["绩效指标"]]
    kept = [g for g in guesses if g.code == "kept"]
    assert any("长期目标" in g.message and g.cell for g in kept)
    assert any("长期绩效指标" in g.message and "19 indicators" in g.message and g.cell for g in kept)


def _long_set_after_the_year(form: dict, path: Path) -> Path:
    """The long_term variant as a text grid with the 长期 set moved after the year's, and a
    signature line under both."""
    variant = build("long_term", [form])
    lines = write_text(variant, path).read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("长期绩效指标"))
    year = next(i for i, line in enumerate(lines) if line.startswith("年度绩效指标"))
    lines = lines[:first] + lines[year:] + lines[first:year] + ["填表人：王某\t\t填报日期：2024年1月10日"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_long_term_set_after_the_year_s_ends_the_year_s(tmp_path):
    form = _target(5)
    extras, data, _ = _extras(_long_set_after_the_year(form, tmp_path / "after.txt"))
    assert data == expected(form) | {"年度总体绩效目标": form["年度总体绩效目标"]}
    assert [r["指标值"] for r in extras["其他指标"]["长期绩效指标"]] == ["长期保持"] * len(form["绩效指标"])
    assert extras["表外"] == ["填表人：王某", "填报日期：2024年1月10日"]


def test_goals_side_by_side_each_read_from_under_its_label(tmp_path):
    form = _target(1)
    lines = write_text(build("plain", [form]), tmp_path / "p.txt").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("绩效目标"))
    lines[at : at + 1] = ["绩效目标\t中期目标(2024-2026年)\t\t年度目标", f"\t{LONG_GOAL}\t\t{form['年度总体绩效目标']}"]
    path = tmp_path / "side.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    extras, data, _ = _extras(path)
    assert data["年度总体绩效目标"] == form["年度总体绩效目标"]
    assert extras["长期目标"] == LONG_GOAL
    assert data["绩效指标"] == form["绩效指标"]


def _two_groups_of_one_level1(weights: tuple[str, str]) -> tuple[dict, Path]:
    """A form whose 产出指标 heads two groups (效益指标 between), laid out weights_only."""
    form = copy.deepcopy(_target(0))
    rows = form["绩效指标"]
    out = [r for r in rows if r["一级指标"] == "产出指标"]
    form["绩效指标"] = [out[0], *[r for r in rows if r["一级指标"] == "效益指标"], *out[1:]]
    variant = build("weights_only", [form])
    cells = [(r, c) for r, row in enumerate(variant.sheets[0].layout.rows) for c, v in enumerate(row) if v == "(50分)"]
    assert len(cells) == 2
    for (r, c), w in zip(cells, weights, strict=True):
        variant.sheets[0].layout.rows[r][c] = w
    return variant.expected[0], variant


@pytest.mark.parametrize("weights", [("(50分)", "(50分)"), ("(30分)", "(20分)")])
def test_weights_alone_in_the_level1_cells_are_kept_and_name_their_level1(tmp_path, weights):
    want, variant = _two_groups_of_one_level1(weights)
    extras, data, guesses = _extras(write_xlsx(variant, tmp_path / "w.xlsx"))
    assert data == want
    kept = extras["权重"]["产出指标"]
    assert kept == (weights[0] if weights[0] == weights[1] else list(weights))
    inferred = [g for g in guesses if g.code == "level1_missing"]
    assert inferred and all(g.cell and "shows only the weight" in g.message for g in inferred)
    named = {g.cell for g in guesses} | set(sheetsync.read_file(tmp_path / "w.xlsx").forms[0].origin.cells.values())
    layout = variant.sheets[0].layout
    weight_cells = [cell_name(r, 1) for r, row in enumerate(layout.rows) if len(row) > 1 and "分)" in str(row[1])]
    assert set(weight_cells) <= named  # every weight cell is in the data or in a warning


def test_strict_refuses_a_foreign_form_that_needed_a_guess_naming_file_and_cell(tmp_path, cli):
    variant = build("weights_only", [_target(0)])
    path = write_xlsx(variant, tmp_path / "foreign.xlsx")
    with pytest.raises(StrictError) as e:
        sheetsync.read_file(path, strict=True)
    assert f"{path}: Sheet1!" in str(e.value)
    r = cli("read", path, "--strict", "-o", tmp_path / "out.json")
    assert r.code != 0 and r.out == ""
    assert r.err.count("\n") == 1 and r.err.startswith(f"Error: strict reading refused a guess: {path}: Sheet1!B")
    assert not (tmp_path / "out.json").exists()
    assert cli("read", path, "-o", tmp_path / "out.json").code == 0  # without --strict it reads


def test_strict_passes_an_exact_rendered_workbook_on_the_command_line(tmp_path, cli):
    rendered = tmp_path / "forms.xlsx"
    assert cli("render", "--examples", "-o", rendered).code == 0
    r = cli("read", rendered, "--strict", "-o", tmp_path / "forms.json")
    assert (r.code, r.err) == (0, f"wrote {tmp_path / 'forms.json'} (9 forms)\n")  # no warning
    again = sheetsync.read_file(tmp_path / "forms.json").forms
    assert [f.to_dict() for f in again] == [f.to_dict() for f in sheetsync.example_forms()]
