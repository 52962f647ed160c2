"""Every error sheetsync raises derives from :class:`SheetsyncError`.

Each one names where the problem is (file, sheet, cell or data path) and, where there
is one, what to do about it. ``str(error)`` is the one line the CLI prints.
"""

from __future__ import annotations

from dataclasses import dataclass


class SheetsyncError(Exception):
    """Something sheetsync cannot do with the given input; the message says where and why."""

    def __init__(self, message: str, *, file: str | None = None, where: str | None = None):
        self.message = message
        self.file = file
        self.where = where
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.where) if p]
        return ": ".join([*parts, self.message])


class DataError(SheetsyncError):
    """A data file (JSON/YAML) does not follow the data contract; ``where`` is the data path."""


class SpecError(SheetsyncError):
    """A template spec is malformed; ``where`` is the key in the spec file."""


class InputError(SheetsyncError):
    """An input file is missing, unreadable, of the wrong kind or damaged."""


class FormatError(SheetsyncError):
    """A workbook or text grid holds no form the reader can make sense of."""


class OutputError(SheetsyncError):
    """An output file cannot be written; whatever was there before is left untouched."""


class StrictError(SheetsyncError):
    """``strict`` reading refused a guess the reader would otherwise have made."""


def place(file: str, sheet: str, cell: str) -> str:
    """How a user finds a spot: ``forms.xlsx: 表1!E11``, ``forms.txt: 表1, line 6 column 4``, or
    ``forms.pdf: 表1, page 2, row 5 column 3``."""
    sep = ", " if cell.startswith(("line", "page")) else "!"
    where = sep.join(p for p in (sheet, cell) if p)
    return ": ".join(p for p in (file, where) if p)


@dataclass(frozen=True)
class Guess:
    """A guess the reader made (or a note about the input), with where it was made.

    ``read`` returns these beside the forms; the CLI prints them on stderr, and
    ``strict=True`` turns the first one into a :class:`StrictError`.
    """

    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    code: str = ""  # what kind of guess: normalized, inherited, level1_missing, … (check reads these)

    def __str__(self) -> str:
        return ": ".join(p for p in (place(self.file, self.sheet, self.cell), self.message) if p)
