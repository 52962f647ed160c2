"""sheetsync's benchmark: render, read and diff against library baselines, in fresh processes.

    python3 tests/bench/bench.py                 # N = 10, 100, 1000 forms, 5 runs each
    python3 tests/bench/bench.py --sizes 100 --runs 3

Every number is the median of several runs, each in a new Python process, timing only the
operation (imports excluded; start-up is timed on its own). Ratios compare against baselines
timed in the same run, on the same file:

- openpyxl normal  ``openpyxl.load_workbook(path)``
- openpyxl r/o     ``load_workbook(path, read_only=True)`` iterating every cell's value
- zip bytes        reading every part of the package (the floor of any reader)
- xlsxwriter bare  writing the same cells and merges with xlsxwriter, no formats
- xlsxwriter same  replaying every worksheet call render makes (formats, bordered blanks in
                   merged areas, row heights, dropdowns, print set-up): the same workbook with
                   none of sheetsync's own work, so render / same is sheetsync's overhead

Not part of the test suite: timings belong in a printed table, never in assertions.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- one measurement (child process)


def _task(name: str, files: list[str]) -> float:
    if name == "render":
        import sheetsync
        from sheetsync.model import load_forms

        forms = load_forms(files[0])
        render = sheetsync.render  # resolve the lazy import before timing
        start = time.perf_counter()
        render(forms, files[1])
        return time.perf_counter() - start
    if name == "xlsxwriter_bare":
        import xlsxwriter

        from sheetsync.reading.xlsx import XlsxPackage

        with XlsxPackage(files[0]) as pkg:
            grids = list(pkg.grids())
        start = time.perf_counter()
        wb = xlsxwriter.Workbook(files[1], {"in_memory": True})
        for g in grids:
            ws = wb.add_worksheet()
            for r1, c1, r2, c2 in g.merges:
                ws.merge_range(r1, c1, r2, c2, "")
            for (r, c), v in g.values.items():
                if isinstance(v, str):
                    ws.write_string(r, c, v)
                else:
                    ws.write_number(r, c, v)
        wb.close()
        return time.perf_counter() - start
    if name == "xlsxwriter_same":
        from sheetsync.model import load_forms

        calls, sheets, names = _record_render(load_forms(files[0]))
        from sheetsync import rendering
        from sheetsync.catalog import get_spec

        wb = rendering._Workbook(files[1], {"in_memory": True, "strings_to_formulas": False})
        fmt = rendering._formats(wb, get_spec())
        calls = [
            (i, method, tuple(fmt[names[id(x)]] if id(x) in names else x for x in a), k) for i, method, a, k in calls
        ]
        import gc

        gc.collect()
        gc.freeze()  # the recorded calls are not part of the workbook: keep the collector off them
        start = time.perf_counter()
        worksheets = [wb.add_worksheet(n) for n in sheets]
        for i, method, a, k in calls:
            getattr(worksheets[i], method)(*a, **k)
        wb.close()
        return time.perf_counter() - start
    if name == "read":
        import sheetsync

        read = sheetsync.read
        start = time.perf_counter()
        read(files[0])
        return time.perf_counter() - start
    if name == "diff":
        import sheetsync
        import sheetsync.diffing  # imported before timing

        diff = sheetsync.diff
        start = time.perf_counter()
        diff(files[0], files[1])
        return time.perf_counter() - start
    if name == "check":
        from sheetsync.check import check

        start = time.perf_counter()
        check([files[0]])
        return time.perf_counter() - start
    if name == "openpyxl_normal":
        import openpyxl

        start = time.perf_counter()
        openpyxl.load_workbook(files[0])
        return time.perf_counter() - start
    if name == "openpyxl_readonly":
        import openpyxl

        start = time.perf_counter()
        wb = openpyxl.load_workbook(files[0], read_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for _ in row:
                    pass
        wb.close()
        return time.perf_counter() - start
    if name == "zip_bytes":
        import zipfile

        start = time.perf_counter()
        with zipfile.ZipFile(files[0]) as z:
            for info in z.infolist():
                z.read(info)
        return time.perf_counter() - start
    raise SystemExit(f"unknown task {name}")


def _record_render(forms) -> tuple[list, list[str], dict[int, str]]:
    """Render once, recording every worksheet call (and which named format each argument is)."""
    from sheetsync import rendering

    calls: list = []
    sheets: list[str] = []
    names: dict[int, str] = {}
    add, formats = rendering._Workbook.add_worksheet, rendering._formats

    class Recorder:
        def __init__(self, ws):
            self.ws = ws

        def __getattr__(self, method):
            def call(*a, **k):
                calls.append((len(sheets) - 1, method, a, k))
                return getattr(self.ws, method)(*a, **k)

            return call

    def add_worksheet(self, name=None):
        sheets.append(name)
        return Recorder(add(self, name))

    def named_formats(wb, spec):
        out = formats(wb, spec)
        names.update({id(f): key for key, f in out.items()})
        return out

    rendering._Workbook.add_worksheet, rendering._formats = add_worksheet, named_formats
    try:
        with tempfile.TemporaryDirectory() as tmp:
            rendering.render(forms, Path(tmp) / "recorded.xlsx")
    finally:
        rendering._Workbook.add_worksheet, rendering._formats = add, formats
    return calls, sheets, names


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec; ru_maxrss on Linux
    keeps the parent's high-water mark across fork and exec, so it cannot be used here."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(name: str, files: list[str]) -> None:
    seconds = _task(name, files)
    print(json.dumps({"seconds": seconds, "peak_mb": _peak_mb()}))


# ---------------------------------------------------------------- data


def make_forms(n: int, seed: int = 1) -> list[dict]:
    """N realistic forms: the nine published forms, renamed and with their numbers varied."""
    examples = sorted((ROOT / "templates" / "examples").glob("*.json"))
    base = [json.loads(p.read_text(encoding="utf-8")) for p in examples]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        form = copy.deepcopy(base[i % len(base)])
        form["项目名称"] = f"{form['项目名称']}（{i + 1:05d}）"
        for row in form["绩效指标"]:
            value = row["指标值"]
            digits = "".join(ch for ch in value if ch.isdigit())
            if digits and "." not in value and rng.random() < 0.5:
                row["指标值"] = value.replace(digits, str(int(digits) + rng.randint(0, 9)), 1)
        out.append(form)
    return out


def change_one_percent(forms: list[dict], seed: int = 2) -> list[dict]:
    rng = random.Random(seed)
    new = copy.deepcopy(forms)
    rows = [row for f in new for row in f["绩效指标"]]
    for row in rng.sample(rows, max(1, len(rows) // 100)):
        row["指标值"] = row["指标值"] + "（调整）"
    return new


# ---------------------------------------------------------------- driver


def _unpacked_mb(path: Path) -> float:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return sum(i.file_size for i in z.infolist()) / 2**20


def measure_round_robin(plan: list[tuple[str, list[str]]], runs: int) -> dict[str, tuple[float, float]]:
    """Median seconds and peak MB of each task. The runs go round the tasks in turn (a, b, c,
    a, b, c, ...) rather than task after task, so a load that comes and goes on the machine
    falls on the task and its baselines alike, and the ratios stay fair."""
    seconds: dict[str, list[float]] = {name: [] for name, _ in plan}
    peaks: dict[str, list[float]] = {name: [] for name, _ in plan}
    for _ in range(runs):
        for name, files in plan:
            out = subprocess.run(
                [sys.executable, __file__, "--child", name, *files],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            result = json.loads(out.stdout)
            seconds[name].append(result["seconds"])
            peaks[name].append(result["peak_mb"])
    return {name: (statistics.median(seconds[name]), max(peaks[name])) for name, _ in plan}


def startup(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tasks", nargs="+", help="only these tasks (baselines are kept for the ratios)")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1:])
        return
    sys.path.insert(0, str(ROOT))
    import sheetsync

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
    print(f"median of {args.runs} runs, each in a fresh process; times exclude imports\n")
    header = f"{'N':>5}  {'task':<18} {'ms/form':>9} {'total ms':>10} {'peak MB':>8}  ratio"
    print(header)
    print("-" * len(header) + "-" * 30)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in args.sizes:
            forms = make_forms(n)
            data = folder / f"forms{n}.json"
            data.write_text(json.dumps(forms, ensure_ascii=False), encoding="utf-8")
            old, new = folder / f"old{n}.xlsx", folder / f"new{n}.xlsx"
            sheetsync.render(forms, old)
            sheetsync.render(change_one_percent(forms), new)
            print(f"{n:>5}  workbook: {old.stat().st_size / 2**20:.1f} MB packed, {_unpacked_mb(old):.1f} MB of XML")
            plan = [
                ("render", [str(data), str(folder / "r.xlsx")]),
                ("xlsxwriter_bare", [str(old), str(folder / "b.xlsx")]),
                ("xlsxwriter_same", [str(data), str(folder / "s.xlsx")]),
                ("read", [str(old)]),
                ("openpyxl_normal", [str(old)]),
                ("openpyxl_readonly", [str(old)]),
                ("zip_bytes", [str(old)]),
                ("diff", [str(old), str(new)]),
                ("check", [str(old)]),
            ]
            if args.tasks:
                needed = set(args.tasks)
                if needed & {"read", "diff", "check"}:
                    needed |= {"openpyxl_normal", "openpyxl_readonly", "read"}
                if "render" in needed:
                    needed |= {"xlsxwriter_bare", "xlsxwriter_same"}
                plan = [p for p in plan if p[0] in needed]
            results = measure_round_robin(plan, args.runs)
            ratios = {}
            read_s = results["read"][0] if "read" in results else None
            if read_s is not None:
                ratios["read"] = (
                    f"{results['openpyxl_normal'][0] / read_s:.1f}x faster than openpyxl normal; "
                    f"{read_s / results['openpyxl_readonly'][0]:.2f}x openpyxl r/o"
                )
            if "render" in results:
                ratios["render"] = (
                    f"{results['render'][0] / results['xlsxwriter_bare'][0]:.2f}x xlsxwriter bare; "
                    f"{results['render'][0] / results['xlsxwriter_same'][0]:.2f}x xlsxwriter same"
                )
                ratios["xlsxwriter_same"] = (
                    f"{results['xlsxwriter_same'][0] / results['xlsxwriter_bare'][0]:.2f}x xlsxwriter bare"
                )
            if "diff" in results:
                ratios["diff"] = f"{results['diff'][0] / (2 * read_s):.2f}x reading both files"
            if "check" in results:
                ratios["check"] = f"{results['check'][0] / read_s:.2f}x reading the file"
            for name, _ in plan:
                s, peak = results[name]
                print(f"{n:>5}  {name:<18} {1000 * s / n:>9.2f} {1000 * s:>10.1f} {peak:>8.1f}  {ratios.get(name, '')}")
            print()
        ten = folder / "old10.xlsx"
        if ten.exists():
            cmd = [sys.executable, "-m", "sheetsync"]
            print(
                f"start-up: sheetsync --help {1000 * startup([*cmd, '--help'], args.runs):.0f} ms, "
                f"sheetsync textconv (10 forms) {1000 * startup([*cmd, 'textconv', str(ten)], args.runs):.0f} ms"
            )


if __name__ == "__main__":
    main()
