"""Driving a real LibreOffice for tests: headless conversions with a private profile."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _soffice_convert(sources: list[Path], fmt: str, outdir: Path, profile: Path, timeout: float):
    """One ``soffice --convert-to fmt`` run over ``sources``: the expected outputs and the process."""
    outdir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return [outdir / (src.stem + "." + fmt.split(":")[0]) for src in sources], proc


def convert(src: Path, fmt: str, outdir: Path, profile: Path, timeout: float = 180) -> tuple[Path, str]:
    """``soffice --convert-to fmt``; returns the converted file and what soffice printed."""
    (out,), proc = _soffice_convert([src], fmt, outdir, profile, timeout)
    log = proc.stdout + proc.stderr
    if proc.returncode != 0 or not out.exists():
        raise AssertionError(f"soffice failed ({proc.returncode}): {log}")
    return out, log


def convert_all(sources: list[Path], fmt: str, outdir: Path, profile: Path, timeout: float = 600) -> list[Path]:
    """Many files in one ``soffice --convert-to`` run (LibreOffice starts once)."""
    outs, proc = _soffice_convert(sources, fmt, outdir, profile, timeout)
    missing = [o.name for o in outs if not o.exists()]
    if proc.returncode != 0 or missing:
        raise AssertionError(f"soffice failed ({proc.returncode}), missing {missing}: {proc.stdout + proc.stderr}")
    return outs


UNO_PYTHON = "/usr/bin/python3"  # Debian's Python, the one python3-uno installs `uno` into


def has_uno() -> bool:
    if soffice() is None or not Path(UNO_PYTHON).exists():
        return False
    return subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


needs_uno = pytest.mark.skipif(
    not has_uno(),
    reason="LibreOffice with Python-UNO is not installed "
    "(apt-get install -y --no-install-recommends libreoffice-calc-nogui python3-uno)",
)


def edit_in_libreoffice(jobs: list[dict], folder: Path, timeout: float = 600) -> None:
    """Run tests/uno_driver.py on ``jobs`` ({"in", "out", "ops"} each; see the driver)."""
    import json

    path = folder / "jobs.json"
    path.write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run(
        [UNO_PYTHON, str(Path(__file__).parent / "uno_driver.py"), str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={"PATH": "/usr/bin:/bin", "SOFFICE": soffice(), "HOME": str(folder)},
    )
    assert proc.returncode == 0, proc.stderr


class LibreOfficeServer:
    """One LibreOffice for a whole test session: tests/uno_driver.py --serve, fed a line of
    jobs at a time, so each edit sequence costs one load and one save, not a start-up."""

    def __init__(self, folder: Path):
        import json

        self._json = json
        self.folder = folder
        self.proc = subprocess.Popen(
            [UNO_PYTHON, str(Path(__file__).parent / "uno_driver.py"), "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            env={"PATH": "/usr/bin:/bin", "SOFFICE": soffice(), "HOME": str(folder)},
        )
        ready = self.proc.stdout.readline().strip()
        assert ready == "ready", f"LibreOffice server did not start: {ready!r}"

    def edit(self, jobs: list[dict]) -> None:
        """Run ``jobs`` ({"in", "out", "ops"} each; see tests/uno_driver.py) in the one LibreOffice."""
        self.proc.stdin.write(self._json.dumps(jobs, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, "the LibreOffice server stopped"
        answer = self._json.loads(line)
        assert answer.get("ok"), answer.get("error")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
