"""Reading a 200-page PDF of forms: sheetsync against pdfplumber's own table finder.

    python3 tests/bench/bench_pdf.py                # 200 pages, 3 runs each
    python3 tests/bench/bench_pdf.py --pages 50 --runs 5

The PDF is printed by LibreOffice from rendered forms (one form a page). Each number is the
median of runs in fresh processes, timing only the work (imports excluded), as wall-clock
time and as the process's CPU time (steadier on a busy machine):

- sheetsync   ``sheetsync.read(pdf)``: the whole read, forms included
- pdfplumber  ``page.find_tables()`` and ``table.extract()`` on every page (tables only)

Not part of the test suite: timings belong in a printed table, never in assertions.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).parent))

from bench import _peak_mb, make_forms  # noqa: E402


def _task(name: str, path: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, what was found)."""
    if name == "sheetsync":
        import sheetsync

        read = sheetsync.read
        start, cpu = time.perf_counter(), time.process_time()
        forms = read(path)
        return time.perf_counter() - start, time.process_time() - cpu, len(forms)
    if name == "pdfplumber":
        import pdfplumber

        start, cpu = time.perf_counter(), time.process_time()
        tables = 0
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                for table in page.find_tables():
                    table.extract()
                    tables += 1
                page.close()  # pdfplumber's advice for long files: free each page's objects
        return time.perf_counter() - start, time.process_time() - cpu, tables
    raise SystemExit(f"unknown task {name}")


def measure(name: str, path: Path, runs: int) -> tuple[float, float, float, int]:
    """Median wall and CPU seconds, peak MB, and what was found."""
    seconds, cpus, peaks, found = [], [], [], 0
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--child", name, str(path)], capture_output=True, text=True, check=True
        )
        result = json.loads(out.stdout)
        seconds.append(result["seconds"])
        cpus.append(result["cpu"])
        peaks.append(result["peak_mb"])
        found = result["found"]
    return statistics.median(seconds), statistics.median(cpus), max(peaks), found


def make_pdf(folder: Path, pages: int) -> Path:
    import sheetsync

    xlsx = folder / "forms.xlsx"
    sheetsync.render(make_forms(pages), xlsx)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to print the forms to PDF")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(xlsx),
        ],
        capture_output=True,
        check=True,
        timeout=1800,
    )
    return folder / "forms.pdf"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200, help="forms to print (one page each)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        seconds, cpu, found = _task(*args.child)
        print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": _peak_mb(), "found": found}))
        return
    import pypdfium2 as pdfium

    print(f"machine: {platform.machine()}, Python {platform.python_version()}; median of {args.runs} runs\n")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = make_pdf(Path(tmp), args.pages)
        pages = len(pdfium.PdfDocument(pdf))
        print(f"{pdf.stat().st_size / 2**20:.1f} MB PDF, {pages} pages\n")
        results = {name: measure(name, pdf, args.runs) for name in ("sheetsync", "pdfplumber")}
    base, base_cpu = results["pdfplumber"][:2]
    print(f"{'task':<11} {'ms/page':>8} {'pages/s':>8} {'CPU ms/page':>12} {'peak MB':>8} {'found':>13}  ratio")
    for name, (seconds, cpu, peak, found) in results.items():
        what = "forms" if name == "sheetsync" else "tables"
        ratio = (
            f"{seconds / base:.2f}x pdfplumber's time ({cpu / base_cpu:.2f}x its CPU time)"
            if name == "sheetsync"
            else "baseline"
        )
        print(
            f"{name:<11} {1000 * seconds / pages:>8.1f} {pages / seconds:>8.1f} {1000 * cpu / pages:>12.1f} "
            f"{peak:>8.0f} {found:>6} {what:<6}  {ratio}"
        )


if __name__ == "__main__":
    main()
