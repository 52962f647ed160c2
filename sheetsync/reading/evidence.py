"""What reading one grid gathers, whichever way it reads: the cell each value came from, every
guess, and computed values the file carries no result for.

Both readers (``exact`` and the read by meaning) take values through :class:`Evidence`, so
they normalize the same way (trimmed text, half-width digits in 指标值, numbers as the text a
spreadsheet shows) and report each change with its cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from .. import formulas
from ..errors import Guess
from ..extras import EXTRAS
from ..i18n import _
from ..model import Form
from ..spec import Label, Spec
from ..validate import FORBIDDEN_CHARS
from ..values import clean_target, clean_text, label_key, number_text
from .grid import CellError, Grid, NotComputed

AMOUNT_TEXT = re.compile(r"^(?P<label>.*?)[\s:：]*(?P<num>[-+]?\d[\d,]*(?:\.\d+)?)?\s*(?P<unit>万元|万|%|％|分)?$")
NONE_TEXT = re.compile(r"^[-—–－―/／\\]+$")  # a cell struck out on purpose, as official forms do
_NOT_COMPUTED = "formula with no computed value; read as empty (open and save the file in a spreadsheet to compute it)"


def matches(text: str, label: Label | Iterable[str]) -> str | None:
    """None if ``text`` is not the label; else what follows it (a qualifier or "")."""
    key = label_key(text)
    spellings = label.spellings if isinstance(label, Label) else label
    for s in spellings:
        sk = label_key(s)
        if key == sk:
            return ""
        if key.startswith(sk):
            rest = key[len(sk) :]
            if rest.startswith("("):
                return rest
    return None


def own_cells(grid: Grid, row: int) -> list[tuple[int, str, Any]]:
    """(col, text, raw) of the cells that start on this row and are not blank."""
    out = []
    for c in grid.cols(row):
        m = grid.merge_at(row, c)
        if m is not None and (m[0], m[1]) != (row, c):
            continue
        raw = grid.raw(row, c)
        if raw is None:
            continue
        text = grid.text(row, c)
        if clean_text(text) == "" and not isinstance(raw, NotComputed):
            continue
        out.append((c, text, raw))
    return out


class Evidence:
    """The provenance of one reading: ``cells`` (data path -> the cell it came from), ``guesses``,
    ``uncomputed`` (computed values with no result in the file -> their cell, or None) and
    ``text_numbers`` (data paths of numbers typed as text cells of a workbook, which a
    spreadsheet's SUM leaves out)."""

    def __init__(self, grid: Grid, spec: Spec):
        self.grid, self.spec = grid, spec
        self.guesses: list[Guess] = []
        self.cells: dict[str, str] = {}
        self.uncomputed: dict[tuple[str, ...], tuple[int, int] | None] = {}
        self.extras: dict[str, Any] = {}  # the form's 附加: what its template has no key for
        self.used: set[tuple[int, int]] = set()  # cells that ended in a value, 附加 or a guess
        self.text_numbers: set[str] = set()

    def guess(self, row: int, col: int, message: str, code: str = "") -> None:
        self.used.add((row, col))
        self.guesses.append(Guess(message, self.grid.source, self.grid.name, self.grid.where(row, col), code))

    def note(self, message: str, code: str) -> None:
        """A guess about the whole sheet rather than one cell."""
        self.guesses.append(Guess(message, self.grid.source, self.grid.name, code=code))

    def record(self, path: str, row: int, col: int) -> None:
        """Remember which cell a value came from (``check`` points at it)."""
        m = self.grid.merge_at(row, col)
        at = (m[0], m[1]) if m else (row, col)
        self.used.add(at)
        self.cells[path] = self.grid.where(*at)

    def text(self, row: int, col: int, *, target: bool = False, path: str | None = None) -> str:
        """The cell's text in the contract's normal form, reporting every normalization."""
        grid = self.grid
        if path is not None:
            self.record(path, row, col)
        m = grid.merge_at(row, col)
        if m is not None:
            row, col = m[0], m[1]
        raw = grid.raw(row, col)
        if raw is None:
            return ""
        if isinstance(raw, CellError):
            self.guess(row, col, _("the cell shows the error {error}; read as empty").format(error=raw), "cell_error")
            return ""
        if isinstance(raw, NotComputed):
            self.guess(row, col, _NOT_COMPUTED, "not_computed")
            return ""
        if isinstance(raw, bool) or not isinstance(raw, str):
            text = grid.text(row, col)
            self.guess(
                row,
                col,
                _("number {raw!r} read as the text it shows, {text!r}").format(raw=raw, text=text),
                "number_as_text",
            )
        else:
            text = raw
        if FORBIDDEN_CHARS.search(text):
            # a workbook can encode them (_x0000_), the contract cannot hold them
            text = FORBIDDEN_CHARS.sub("", text)
            self.guess(row, col, _("control characters removed (an xlsx text cannot hold them)"), "normalized")
        clean = clean_target(text) if target else clean_text(text)
        if clean != text:
            self.guess(row, col, _("{text!r} normalized to {clean!r}").format(text=text, clean=clean), "normalized")
        return clean

    def number(self, row: int, col: int, path: str) -> float | int | None:
        """A cell of numbers, recorded under its data ``path``; a formula without a result is
        remembered and computed from the spec once the form is read."""
        self.record(path, row, col)
        m = self.grid.merge_at(row, col)
        if m is not None:
            row, col = m[0], m[1]
        raw = self.grid.raw(row, col)
        if isinstance(raw, NotComputed):
            self.uncomputed[tuple(path.split("."))] = (row, col)
            return None
        value = self.amount(row, col)
        self.typed_as_text(path, raw, value)
        return value

    def typed_as_text(self, path: str, raw: Any, value: Any) -> None:
        """Remember a number read from a text cell of a workbook (in a text dump every cell is text)."""
        if isinstance(raw, str) and value is not None and self.grid.line_offset is None:
            self.text_numbers.add(path)

    def amount(self, row: int, col: int) -> float | int | None:
        """A number cell's value: a numeric cell, or text such as ``3 万元``; None when blank."""
        raw = self.grid.raw(row, col)
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return raw
        if raw is None or not clean_text(str(raw)) or NONE_TEXT.match(clean_text(str(raw))):
            return None
        if isinstance(raw, CellError):
            self.guess(row, col, _("the cell shows the error {error}; read as blank").format(error=raw), "cell_error")
            return None
        m = AMOUNT_TEXT.match(clean_text(str(raw)))
        if m and m.group("num") and not m.group("label"):
            digits = m.group("num").replace(",", "")
            if m.group("unit") in ("%", "％"):  # a percent typed as text: 95% is 0.95
                value = formulas.tidy(float(Decimal(digits) / 100))
            else:
                value = number_text(digits)
            self.guess(
                row, col, _("text {raw!r} read as the number {value}").format(raw=raw, value=value), "amount_text"
            )
            return value
        self.guess(row, col, _("{raw!r} is not a number; read as blank").format(raw=raw), "not_an_amount")
        return None

    def form(self, data: dict[str, Any]) -> Form:
        """The form, with computed values the file carried no result for worked out, and those
        it carried to the 15 significant digits a spreadsheet keeps (LibreOffice writes 15, Excel 17)."""
        for path, value in formulas.computed(self.spec, data, frozenset(self.text_numbers)):
            *parents, last = path
            holder = formulas.get(data, tuple(parents))
            if isinstance(holder[last], float):
                holder[last] = formulas.tidy(holder[last])
            if path not in self.uncomputed:
                continue
            holder[last] = value
            where = self.uncomputed.pop(path)
            message = _("{path} computed from the form as {value!r}").format(path=".".join(path), value=value)
            if where is None:
                self.note(_("no '{path}' row found; {message}").format(path=path[0], message=message), "computed")
            elif value is not None:  # an empty result is what the formula gives: nothing guessed
                self.guess(*where, _("formula with no computed value; {message}").format(message=message), "computed")
        for row, col in self.uncomputed.values():
            self.guess(row, col, _NOT_COMPUTED, "not_computed")
        out = {k: data[k] for k in self.spec.keys}
        if self.extras:
            out[EXTRAS] = self.extras
        return Form(out, self.spec)
