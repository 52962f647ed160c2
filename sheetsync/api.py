"""The public functions composed from several modules (re-exported by ``sheetsync``).

Rendering (xlsxwriter) and diffing are imported where they are used, so commands that only
read start fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Guess, InputError
from .model import Form, load_forms
from .reading.files import ReadResult, read_file
from .spec import example_forms_path

if TYPE_CHECKING:
    from .diffing import Diff

__all__ = ["DiffResult", "RenderResult", "diff", "diff_files", "example_forms", "render_files"]


@dataclass
class RenderResult:
    """The forms a render wrote, with the reader's guesses and render's notes."""

    forms: list[Form] = field(default_factory=list)
    guesses: list[Guess] = field(default_factory=list)


def example_forms() -> list[Form]:
    """The bundled example forms: nine published 2024 forms of one county police bureau."""
    return [f for p in sorted(example_forms_path().glob("*.json")) for f in load_forms(p)]


def render_files(
    inputs: list[str | Path], output: str | Path, *, examples: bool = False, template: str | None = None
) -> RenderResult:
    """Render the forms of every input (data files, or anything ``read`` takes) to ``output``."""
    from .rendering import render

    result = RenderResult()
    if examples:
        result.forms.extend(example_forms())
    for path in inputs:
        read_result = read_file(path, template=template)
        result.forms.extend(read_result.forms)
        result.guesses.extend(read_result.guesses)
    if not result.forms:
        raise InputError("nothing to render; give data files or --examples")
    if template is None:  # the template the forms are of, when they agree
        found = sorted({f.template for f in result.forms})
        if len(found) > 1:
            raise InputError(f"the inputs hold forms of {' and '.join(found)}; render each with its --template")
        template = found[0]
    result.guesses.extend(render(result.forms, output, template=template, inputs=[str(p) for p in inputs]))
    return result


@dataclass
class DiffResult:
    """A diff of two files, with what reading each of them gave."""

    diff: Diff
    old: ReadResult
    new: ReadResult
    errors: list[str] = field(default_factory=list)  # files of a folder that could not be read


def diff_files(
    old: str | Path,
    new: str | Path,
    *,
    order: bool = False,
    template: str | None = None,
    limits: dict[str, int] | None = None,
    jobs: int = 1,
) -> DiffResult:
    """Read two files or folders (any input ``read`` takes) and compare their forms.

    Folders are compared as collections: forms pair up by 项目名称, whatever file they are in.
    """
    from .diffing import diff_forms

    errors: list[str] = []

    def load(path: str | Path) -> ReadResult:
        if Path(path).is_dir():
            from .batch import read_many

            batch = read_many([path], jobs=jobs, template=template, limits=limits)
            errors.extend(batch.errors)
            return ReadResult(str(path), batch.forms, batch.guesses)
        return read_file(path, template=template, limits=limits)

    a, b = load(old), load(new)
    d = diff_forms(a.forms, b.forms, order=order)
    d.old, d.new = str(old), str(new)
    return DiffResult(d, a, b, errors)


def diff(
    old: str | Path | list[Form], new: str | Path | list[Form], *, order: bool = False, template: str | None = None
) -> Diff:
    """What changed from ``old`` to ``new``: two files, or two lists of forms."""
    from .diffing import diff_forms

    if isinstance(old, (str, Path)) and isinstance(new, (str, Path)):
        return diff_files(old, new, order=order, template=template).diff
    olds = read_file(old, template=template).forms if isinstance(old, (str, Path)) else list(old)
    news = read_file(new, template=template).forms if isinstance(new, (str, Path)) else list(new)
    return diff_forms(olds, news, order=order)
