"""Many files at once: folders, several processes, and one bad file that stops nothing.

A folder stands for the workbooks, text dumps and data files under it (sorted, hidden files
and Excel lock files left out). Files are read in order, or with ``jobs`` processes; a file
that cannot be read is reported in ``errors`` and skipped, and the rest go on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .catalog import Templates, resolve
from .errors import InputError, SheetsyncError
from .i18n import _
from .model import DATA_SUFFIXES
from .reading.files import WORKBOOK_SUFFIXES, read_file
from .reading.pdf import PDF_SUFFIXES
from .reading.text import TEXT_SUFFIXES
from .result import BatchResult, Result

SUPPORTED = (*WORKBOOK_SUFFIXES, *PDF_SUFFIXES, *TEXT_SUFFIXES, *DATA_SUFFIXES)

__all__ = ["SUPPORTED", "BatchResult", "expand", "is_batch", "read_many", "read_paths"]


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files for ``paths``: a file as given, a folder as the supported files under it."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in SUPPORTED and not f.name.startswith(("~$", "."))
            )
            if not found:
                raise InputError(_("holds no workbooks, PDFs, text dumps or data files"), file=str(p))
            out.extend(found)
        else:
            out.append(p)
    return out


def is_batch(paths: Iterable[str | Path]) -> bool:
    """Several paths, or a folder: read with :func:`read_many` semantics."""
    paths = list(paths)
    return len(paths) > 1 or any(Path(p).is_dir() for p in paths)


def read_paths(
    paths: Iterable[str | Path],
    *,
    jobs: int = 1,
    template: str | None = None,
    strict: bool = False,
    limits: dict[str, int] | None = None,
    progress: Callable[..., None] | None = None,
    templates: Templates | None = None,
    include_hidden: bool = False,
) -> Result:
    """One file: read it, and its error raises. Several files or a folder: :func:`read_many`.

    ``progress(done, total)`` counts files; a single PDF reports ``(page, pages, "pages")``."""
    paths = list(paths)
    templates = resolve(templates)
    options = dict(template=template, strict=strict, limits=limits, progress=progress, include_hidden=include_hidden)
    if is_batch(paths):
        return read_many(paths, jobs=jobs, templates=templates, **options)
    return read_file(paths[0], templates=templates, **options)


def _read_one(args: tuple[str, str | None, bool, dict | None, Templates, bool]) -> Result:
    path, template, strict, limits, templates, hidden = args
    try:
        return read_file(
            path, template=template, strict=strict, limits=limits, templates=templates, include_hidden=hidden
        )
    except SheetsyncError as e:
        return Result(path, errors=[e.problem()], files=[path])


def read_many(
    paths: Iterable[str | Path],
    *,
    jobs: int = 1,
    template: str | None = None,
    strict: bool = False,
    limits: dict[str, int] | None = None,
    progress: Callable[[int, int], None] | None = None,
    templates: Templates | None = None,
    include_hidden: bool = False,
) -> Result:
    """Read every file of ``paths`` (folders expanded); failures are collected in ``errors``,
    not raised. Worker processes get the same ``templates`` (specs loaded from paths too)."""
    files = expand(paths)
    templates = resolve(templates)
    if template:
        templates.get(template)  # a bad --template is one error, not one per file; workers get it loaded
    result = Result()
    work = [(str(f), template, strict, limits, templates, include_hidden) for f in files]
    jobs = max(1, min(jobs, len(work), os.cpu_count() or 1))
    if jobs == 1:
        outcomes = map(_read_one, work)
        pool = None
    else:
        pool = ProcessPoolExecutor(max_workers=jobs)
        outcomes = pool.map(_read_one, work, chunksize=max(1, len(work) // (jobs * 8)))
    try:
        for done, one in enumerate(outcomes, 1):
            result.extend(one)
            if progress is not None:
                progress(done, len(work))
    finally:
        if pool is not None:
            pool.shutdown()
    return result
