"""Shared fixtures: the seed forms, an in-process CLI runner, LibreOffice availability."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# The tests expect English messages whatever the machine's locale (tests/test_messages.py sets its own).
for _variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"

import sheetsync  # noqa: E402
from sheetsync.catalog import example_forms_path  # noqa: E402

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def truth() -> list[dict]:
    """The nine seed forms as transcribed to the data contract (the bundled examples)."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(example_forms_path().glob("*.json"))]


@pytest.fixture(scope="session")
def seed_forms() -> list[sheetsync.Form]:
    return sheetsync.example_forms()


@pytest.fixture(scope="session")
def seed_xlsx(tmp_path_factory, seed_forms) -> Path:
    path = tmp_path_factory.mktemp("seed") / "seed.xlsx"
    sheetsync.render(seed_forms, path)
    return path


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(monkeypatch):
    """Run the ``sheetsync`` console entry point in-process; returns code, stdout, stderr."""
    from sheetsync import cli as cli_module
    from sheetsync import i18n

    monkeypatch.setenv("LANGUAGE", "")  # --lang sets it for the run; put back after the test

    def run(*args: str) -> CliResult:
        out, err = io.BytesIO(), io.StringIO()

        stdout = io.TextIOWrapper(out, encoding="utf-8")
        monkeypatch.setattr(sys, "argv", ["sheetsync", *map(str, args)])
        monkeypatch.setattr(sys, "stdout", stdout)
        monkeypatch.setattr(sys, "stderr", err)
        cli_module._state["debug"] = False
        code = 0
        try:
            cli_module.main()
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        stdout.flush()
        os.environ["LANGUAGE"] = ""  # a --lang of this run ends with it
        i18n.use(None)
        return CliResult(code, out.getvalue().decode("utf-8"), err.getvalue())

    return run


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


needs_libreoffice = pytest.mark.skipif(
    soffice() is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui python3-uno",
)


def pytest_configure(config):
    # CI must run the real-spreadsheet tests: refuse to start rather than skip them there.
    if os.environ.get("CI") == "true" or os.environ.get("SHEETSYNC_REQUIRE_LIBREOFFICE"):
        uno = (
            subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True, check=False).returncode == 0
            if os.path.exists("/usr/bin/python3")
            else False
        )
        checks = (
            ("soffice", soffice()),
            ("ssconvert", shutil.which("ssconvert")),
            ("python3-uno", uno),
            ("chromium", shutil.which("chromium") or shutil.which("chromium-browser")),
            ("pdftotext", shutil.which("pdftotext")),
        )
        missing = [name for name, ok in checks if not ok]
        if missing:
            raise pytest.UsageError(
                f"CI needs {', '.join(missing)} for the spreadsheet tests; "
                "install libreoffice-calc-nogui python3-uno gnumeric chromium poppler-utils (see .ci/run)"
            )


def pip_install_target(source: Path, target: Path) -> None:
    """A plain (non-editable) ``pip install`` of ``source`` into the folder ``target``."""
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory):
    """One LibreOffice (Python-UNO) kept up for the whole session; ``.edit(jobs)`` edits and saves."""
    from tests.lo import LibreOfficeServer, has_uno

    if not has_uno():
        pytest.skip("LibreOffice with Python-UNO is not installed (apt-get install libreoffice-calc-nogui python3-uno)")
    server = LibreOfficeServer(tmp_path_factory.mktemp("libreoffice"))
    yield server
    server.close()
