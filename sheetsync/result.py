"""One result type for the operations over files: ``read``, reading many, ``render``.

Failures are values here: a file that could not be read over a folder is a
:class:`~sheetsync.errors.Problem` in ``errors`` (file, where, code, message), and every
guess and note is one in ``guesses``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Problem
from .model import Form


@dataclass
class Result:
    """Forms with what was guessed on the way and what failed.

    ``path`` is the input (one file) or empty; ``files`` every file read; ``sheets`` the sheet
    (or part) each form came from, when one file was read.
    """

    path: str = ""
    forms: list[Form] = field(default_factory=list)
    guesses: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)

    def extend(self, other: Result) -> None:
        """Add another result's forms, guesses, errors and files to this one."""
        self.forms.extend(other.forms)
        self.guesses.extend(other.guesses)
        self.errors.extend(other.errors)
        self.files.extend(other.files)


ReadResult = BatchResult = RenderResult = Result  # the earlier names of the one result type
