"""The public functions composed from several modules (re-exported by ``sheetsync``).

Rendering (xlsxwriter) and diffing are imported where they are used, so commands that only
read start fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .catalog import Templates, example_forms_path, resolve
from .errors import InputError, Problem
from .i18n import _
from .model import Form, load_forms
from .reading.files import read_file
from .result import RenderResult, Result

if TYPE_CHECKING:
    from .diffing import Diff
    from .merging import MergeResult

__all__ = ["DiffResult", "RenderResult", "diff", "diff_files", "example_forms", "merge", "render_files"]


def example_forms(templates: Templates | None = None) -> list[Form]:
    """The bundled example forms: nine published 2024 forms of one county police bureau."""
    return [f for p in sorted(example_forms_path().glob("*.json")) for f in load_forms(p, templates=templates)]


def render_files(
    inputs: list[str | Path],
    output: str | Path,
    *,
    examples: bool = False,
    template: str | None = None,
    templates: Templates | None = None,
) -> Result:
    """Render the forms of every input (data files, or anything ``read`` takes) to ``output``."""
    from .rendering import render

    templates = resolve(templates)
    result = Result(str(output))
    if examples:
        result.forms.extend(example_forms(templates))
    for path in inputs:
        result.extend(read_file(path, template=template, templates=templates))
    if not result.forms:
        raise InputError(_("nothing to render; give data files or --examples"))
    notes = render(result.forms, output, template=template, inputs=[str(p) for p in inputs], templates=templates)
    result.guesses.extend(notes)
    return result


@dataclass
class DiffResult:
    """A diff of two files or folders, with what reading each of them gave."""

    diff: Diff
    old: Result
    new: Result
    errors: list[Problem] = field(default_factory=list)  # files of a folder that could not be read


def diff_files(
    old: str | Path,
    new: str | Path,
    *,
    order: bool = False,
    template: str | None = None,
    limits: dict[str, int] | None = None,
    jobs: int = 1,
    templates: Templates | None = None,
) -> DiffResult:
    """Read two files or folders (any input ``read`` takes) and compare their forms.

    Folders are compared as collections: forms pair up by 项目名称, whatever file they are in.
    """
    from .diffing import diff_forms

    templates = resolve(templates)
    errors: list[Problem] = []

    def load(path: str | Path) -> Result:
        if Path(path).is_dir():
            from .batch import read_many

            batch = read_many([path], jobs=jobs, template=template, limits=limits, templates=templates)
            errors.extend(batch.errors)
            batch.path = str(path)
            return batch
        return read_file(path, template=template, limits=limits, templates=templates)

    a, b = load(old), load(new)
    d = diff_forms(a.forms, b.forms, order=order)
    d.old, d.new = str(old), str(new)
    return DiffResult(d, a, b, errors)


def diff(
    old: str | Path | list[Form],
    new: str | Path | list[Form],
    *,
    order: bool = False,
    template: str | None = None,
    templates: Templates | None = None,
) -> Diff:
    """What changed from ``old`` to ``new``: two files, or two lists of forms."""
    from .diffing import diff_forms

    templates = resolve(templates)
    if isinstance(old, (str, Path)) and isinstance(new, (str, Path)):
        return diff_files(old, new, order=order, template=template, templates=templates).diff
    olds = read_file(old, template=template, templates=templates).forms if isinstance(old, (str, Path)) else list(old)
    news = read_file(new, template=template, templates=templates).forms if isinstance(new, (str, Path)) else list(new)
    return diff_forms(olds, news, order=order)


def merge(
    base: str | Path | list[Form],
    ours: str | Path | list[Form],
    theirs: str | Path | list[Form],
    *,
    prefer: str | None = None,
    template: str | None = None,
    limits: dict[str, int] | None = None,
    templates: Templates | None = None,
) -> MergeResult:
    """Three-way merge: the edits OURS and THEIRS made to BASE (files, or lists of forms).

    Returns a :class:`~sheetsync.merging.MergeResult`: the merged forms, the conflicts, and
    the reader's guesses. ``prefer="ours"`` or ``"theirs"`` resolves every conflict one way.
    """
    from .merging import check_side, merge_forms

    check_side(prefer)  # before any reading
    templates = resolve(templates)
    guesses = []

    def forms(version: str | Path | list[Form]) -> list[Form]:
        if not isinstance(version, (str, Path)):
            return list(version)
        result = read_file(version, template=template, limits=limits, templates=templates)
        guesses.extend(result.guesses)
        return result.forms

    versions = [forms(v) for v in (base, ours, theirs)]
    result = merge_forms(*versions, prefer=prefer)
    result.guesses = guesses
    return result
