"""Every error sheetsync raises derives from :class:`SheetsyncError`.

Each one names where the problem is (file, sheet, cell or data path) and, where there
is one, what to do about it. ``str(error)`` is the one line the CLI prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from .i18n import N_, _


class Code(str, Enum):
    """What a :class:`Problem` is about: a guess the reader made, a note, or why a file failed.

    The values are stable (the README's table lists them); ``check`` turns some guesses into
    findings by their code.
    """

    # guesses and notes of the reader
    NORMALIZED = "normalized"  # a text read in normal form (trimmed, half-width digits)
    NUMBER_AS_TEXT = "number_as_text"  # a number in a text cell read as the text it shows
    AMOUNT_TEXT = "amount_text"  # text in an amount cell read as a number
    NOT_AN_AMOUNT = "not_an_amount"  # text in an amount cell that is no number, read as blank
    COMPUTED = "computed"  # a computed value (执行率, 总分) worked out from the form
    NOT_COMPUTED = "not_computed"  # a formula without a computed value, read as blank
    CELL_ERROR = "cell_error"  # a cell showing an error value (#N/A, #DIV/0!), read as blank
    MISSING_TITLE = "missing_title"  # no title row
    MISSING_FIELD = "missing_field"  # a field's label not found; read as empty
    MISSING_HEADER = "missing_header"  # the indicator header not found
    SPANS_BOTH = "spans_both"  # a 一级 taken to span both level columns
    LEVEL_COLUMN = "level_column"  # a level label outside its column
    LEVEL1_MISSING = "level1_missing"  # no 一级 above a 二级; the usual one supplied
    LEVEL1_CORRECTED = "level1_corrected"  # a 二级 under the wrong 一级; read under the usual one
    UNKNOWN_LEVEL = "unknown_level"  # a level name not in the framework
    INHERITED = "inherited"  # a blank level cell inherits the group above
    NO_LEVEL = "no_level"  # an indicator row with no level label and no group above it
    MERGE_CONFLICT = "merge_conflict"  # level cells that disagree; read as the sheet shows them
    REPEATED_TEXT = "repeated_text"  # a text repeated where it does not belong
    NOT_A_FORM = "not_a_form"  # a sheet that holds no form, skipped
    MACROS = "macros"  # an .xlsm's macros, ignored
    SCANNED_PAGE = "scanned_page"  # a PDF page of images with no text layer, skipped
    INDICATOR_TABLE = "indicator_table"  # a CSV of indicators: only names and indicators read
    NOT_NORMAL = "not_normal"  # render: a text that will read back in normal form
    SKIPPED_SHEET = "skipped_sheet"  # a hidden sheet or one named as no form (汇总, 填表说明), skipped
    KEPT = "kept"  # a cell the contract has no key for, kept in 附加 (extra column, footer, weight)
    VALUE_PARTS = "value_parts"  # a 指标值 composed from its printed parts (≥ | 95 | %)
    UNIT = "unit"  # amounts printed in another unit (元), converted to 万元
    NOT_READ = "not_read"  # a non-empty cell of a form that ended in no value
    JOINED_LINES = "joined_lines"  # a cell's text on several lines of a text dump, joined into one cell
    # why a file could not be used (the error's class)
    INPUT = "input"  # missing, unreadable, of the wrong kind or damaged
    FORMAT = "format"  # holds no form the reader recognizes
    DATA = "data"  # data that does not follow the contract
    SPEC = "spec"  # a malformed template spec
    OUTPUT = "output"  # an output that cannot be written
    STRICT = "strict"  # strict reading refused a guess
    OTHER = ""  # anything else

    def __str__(self) -> str:
        return self.value


class SheetsyncError(Exception):
    """Something sheetsync cannot do with the given input; the message says where and why."""

    code = Code.OTHER

    def __init__(self, message: str, *, file: str | None = None, where: str | None = None):
        self.message = message
        self.file = file
        self.where = where
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.where) if p]
        return ": ".join([*parts, self.message])

    def problem(self) -> Problem:
        """This error as a value: file, where (as the cell: a cell, a line or a data path), code, message."""
        return Problem(self.message, self.file or "", "", self.where or "", self.code)


class DataError(SheetsyncError):
    """A data file (JSON/YAML) does not follow the data contract; ``where`` is the data path."""

    code = Code.DATA


class SpecError(SheetsyncError):
    """A template spec is malformed; ``where`` is the key in the spec file."""

    code = Code.SPEC


class InputError(SheetsyncError):
    """An input file is missing, unreadable, of the wrong kind or damaged."""

    code = Code.INPUT


class FormatError(SheetsyncError):
    """A workbook or text grid holds no form the reader can make sense of."""

    code = Code.FORMAT


class OutputError(SheetsyncError):
    """An output file cannot be written; whatever was there before is left untouched."""

    code = Code.OUTPUT


class StrictError(SheetsyncError):
    """``strict`` reading refused a guess the reader would otherwise have made."""

    code = Code.STRICT


# Places in a text dump or a PDF, as the readers record them (stable, in English) and as a
# person reads them, in the user's language.
_PLACES = (
    (re.compile(r"line (?P<line>\d+) column (?P<column>\d+)"), N_("line {line} column {column}")),
    (re.compile(r"line (?P<line>\d+)"), N_("line {line}")),
    (
        re.compile(r"page (?P<page>\d+), row (?P<row>\d+) column (?P<column>\d+)"),
        N_("page {page}, row {row} column {column}"),
    ),
    (re.compile(r"page (?P<page>\d+), above the table"), N_("page {page}, above the table")),
    (re.compile(r"page (?P<page>\d+)"), N_("page {page}")),
)


def shown(cell: str) -> str:
    """A recorded place as the user reads it (``line 6 column 4`` is 第 6 行第 4 列 in Chinese)."""
    for pattern, text in _PLACES:
        m = pattern.fullmatch(cell)
        if m:
            return _(text).format(**m.groupdict())
    return cell


def place(file: str, sheet: str, cell: str) -> str:
    """How a user finds a spot: ``forms.xlsx: 表1!E11``, ``forms.txt: 表1, line 6 column 4``, or
    ``forms.pdf: 表1, page 2, row 5 column 3``."""
    sep = ", " if cell.startswith(("line", "page")) else "!"
    where = sep.join(p for p in (sheet, shown(cell)) if p)
    return ": ".join(p for p in (file, where) if p)


@dataclass(frozen=True)
class Problem:
    """A guess the reader made, a note about the input, or why a file failed: what, where, and
    its :class:`Code`.

    ``read`` returns guesses beside the forms and, over many files, the files that failed as
    problems too; the CLI prints them on stderr, and ``strict=True`` turns the first guess into
    a :class:`StrictError`. ``cell`` is a cell (``E11``), a place in a text dump (``line 6
    column 4``) or a data path (``[2].绩效指标[0].指标值``).
    """

    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    code: Code = Code.OTHER

    def __post_init__(self) -> None:
        if not isinstance(self.code, Code):  # a code is one of the enumeration (ValueError otherwise)
            object.__setattr__(self, "code", Code(self.code))

    def __str__(self) -> str:
        return ": ".join(p for p in (place(self.file, self.sheet, self.cell), self.message) if p)

    def to_json(self) -> dict[str, str]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "code": self.code.value,
            "message": self.message,
        }


Guess = Problem  # the reader's guesses are problems of their kind (the earlier name)
