"""A plain (non-editable) install carries the specs and the example forms."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import pip_install_target

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("plain") / "site"
    pip_install_target(ROOT, target)
    return target


def _run(code: str, target: Path, tmp_path: Path) -> str:
    """The output of ``code`` run against the plain install only (argv[1]: a workbook path)."""
    return subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "x.xlsx")],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout


def test_plain_install_ships_templates_and_examples(tmp_path, installed):
    target = installed
    assert (target / "sheetsync" / "templates" / "performance_targets.yaml").is_file()
    assert (target / "sheetsync" / "templates" / "self_evaluation.yaml").is_file()
    assert len(list((target / "sheetsync" / "templates" / "examples").glob("*.json"))) == 9
    for name in ("performance_targets_split.yaml", "self_evaluation_split.yaml", "examples/split/01.json"):
        assert (target / "sheetsync" / "templates" / name).is_file(), name
    code = (
        "import sheetsync, sys; forms = sheetsync.example_forms(); "
        "sheetsync.render(forms, sys.argv[1]); "
        "sheetsync.render(forms, sys.argv[1] + '.self.xlsx', template='自评表'); "  # carried over
        "print(sheetsync.__file__, len(sheetsync.read(sys.argv[1])), "
        "{f.template for f in sheetsync.read(sys.argv[1] + '.self.xlsx')}.pop())"
    )
    out = _run(code, target, tmp_path)
    installed, count, template = out.split()
    assert installed.startswith(str(target)) and count == "9" and template == "自评表"


def test_plain_install_lists_renders_and_reads_the_split_templates(tmp_path, installed):
    """The templates with the 指标值 in parts are found by name in a plain install, render
    their bundled example, read it back in the template the workbook names, and carry over."""
    target = installed
    code = (
        "import json, sys, sheetsync; from sheetsync.catalog import Templates, example_forms_path; "
        "print(' '.join(t.name for t in Templates.from_env().found())); "
        "data = json.loads((example_forms_path() / 'split' / '01.json').read_text('utf-8')); "
        "sheetsync.render([data], sys.argv[1], template='绩效目标表分列'); "
        "sheetsync.render([data], sys.argv[1] + '.self.xlsx', template='自评表分列'); "
        "forms = sheetsync.read(sys.argv[1]) + sheetsync.read(sys.argv[1] + '.self.xlsx'); "
        "print(' '.join(f.template for f in forms), forms[0].indicators[0]['指标值分列']['度量单位'])"
    )
    out = _run(code, target, tmp_path)
    listed, read = out.splitlines()
    assert listed.split() == ["绩效目标表", "绩效目标表分列", "自评表", "自评表分列"]
    assert read.split() == ["绩效目标表分列", "自评表分列", "件"]


def test_every_subpackage_is_listed_for_a_plain_install():
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    found = {"sheetsync." + p.parent.name for p in (ROOT / "sheetsync").glob("*/__init__.py")}
    assert found and found <= listed


CODE = "import sheetsync.i18n as i; from sheetsync.i18n import _; print(i.__file__, _('no findings'))"


def _speaks_chinese(python: str, env: dict[str, str], cwd: Path) -> str:
    return subprocess.run(
        [python, "-c", CODE], cwd=cwd, env=env, check=True, capture_output=True, text=True, timeout=120
    ).stdout


def test_plain_install_ships_the_chinese_catalogue(tmp_path):
    target = tmp_path / "site"
    pip_install_target(ROOT, target)
    assert (target / "sheetsync" / "locale" / "zh_CN" / "LC_MESSAGES" / "sheetsync.mo").is_file()
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "LANG": "zh_CN.UTF-8"}
    installed, words = _speaks_chinese(sys.executable, env, tmp_path).split()
    assert installed.startswith(str(target)) and words == "未发现问题"


def test_editable_install_speaks_chinese(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    out = subprocess.run(
        [str(venv / "bin" / "sheetsync"), "check", str(tmp_path / "missing.xlsx")],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "LANG": "zh_CN.UTF-8"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2 and out.stderr.startswith("错误："), out.stderr
    env = {"PATH": "/usr/bin:/bin", "LANG": "zh_CN.UTF-8"}
    installed, words = _speaks_chinese(str(python), env, tmp_path).split()
    assert installed.startswith(str(ROOT)) and words == "未发现问题"  # the catalogue of the source tree
