"""A plain (non-editable) install carries the specs and the example forms."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import pip_install_target

ROOT = Path(__file__).resolve().parent.parent


def test_plain_install_ships_templates_and_examples(tmp_path):
    target = tmp_path / "site"
    pip_install_target(ROOT, target)
    assert (target / "sheetsync" / "templates" / "performance_targets.yaml").is_file()
    assert (target / "sheetsync" / "templates" / "self_evaluation.yaml").is_file()
    assert len(list((target / "sheetsync" / "templates" / "examples").glob("*.json"))) == 9
    code = (
        "import sheetsync, sys; forms = sheetsync.example_forms(); "
        "sheetsync.render(forms, sys.argv[1]); "
        "sheetsync.render(forms, sys.argv[1] + '.self.xlsx', template='自评表'); "  # carried over
        "print(sheetsync.__file__, len(sheetsync.read(sys.argv[1])), "
        "{f.template for f in sheetsync.read(sys.argv[1] + '.self.xlsx')}.pop())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "x.xlsx")],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    installed, count, template = out.split()
    assert installed.startswith(str(target)) and count == "9" and template == "自评表"


def test_every_subpackage_is_listed_for_a_plain_install():
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    found = {"sheetsync." + p.parent.name for p in (ROOT / "sheetsync").glob("*/__init__.py")}
    assert found and found <= listed
