"""Driving a real headless Chromium for tests: screenshots, the DOM after load, PDFs."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--virtual-time-budget=5000",
)


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


needs_chromium = pytest.mark.skipif(
    chromium() is None, reason="Chromium is not installed (apt-get install -y --no-install-recommends chromium)"
)


def run(page: Path, *args: str, width: int = 1200, height: int = 900, timeout: float = 120) -> str:
    """Open ``page`` in a fresh profile with ``args``; returns what Chromium printed on stdout."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        proc = subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}", *args, page.as_uri()],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    if proc.returncode != 0:
        raise AssertionError(f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return proc.stdout


def screenshot(page: Path, out: Path, *, width: int, height: int) -> Path:
    run(page, f"--screenshot={out}", width=width, height=height)
    assert out.exists(), f"chromium wrote no screenshot of {page}"
    return out


def dom(page: Path, *, width: int, height: int = 900) -> str:
    """The page's DOM after its scripts ran (``--dump-dom``)."""
    return run(page, "--dump-dom", width=width, height=height)


def print_pdf(page: Path, out: Path) -> Path:
    run(page, f"--print-to-pdf={out}", "--no-pdf-header-footer")
    assert out.exists(), f"chromium printed no PDF of {page}"
    return out
