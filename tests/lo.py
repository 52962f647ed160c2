"""Driving a real LibreOffice for tests: headless conversions with a private profile."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(src: Path, fmt: str, outdir: Path, profile: Path, timeout: float = 180) -> tuple[Path, str]:
    """``soffice --convert-to fmt``; returns the converted file and what soffice printed."""
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
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    log = proc.stdout + proc.stderr
    if proc.returncode != 0 or not out.exists():
        raise AssertionError(f"soffice failed ({proc.returncode}): {log}")
    return out, log
