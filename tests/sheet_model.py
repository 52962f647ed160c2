"""A model of a rendered workbook for the stateful LibreOffice test (tests/test_stateful.py).

The model holds what a person sees in each sheet: the indicator block as cells (text, or a
number with its format) and the merged ranges of the two level columns, plus the form's other
values as data. Each edit changes the model the way LibreOffice changes the sheet (a row
inserted inside a merged range widens it, one inserted at its first row pushes it down,
deleting a merge's first row drops the merge and its text) and returns the UNO ops that make
the same edit in LibreOffice (tests/uno_driver.py).

``expected()`` gives the data a reader must return, by the rules of what the sheet shows a
person (the rules are the test's definition where a sheet is ambiguous):

- a level cell shows the text of the merged range covering it, else its own text;
- a blank level cell takes the level of the row above (a group continues downwards);
  a blank 一级 with no row above is ``""``;
- a 一级 cell with a new label and a blank 二级 is a 一级 spanning both columns (二级 ``""``);
  a 一级 that repeats the row above's keeps the 二级 above; the same label in both cells
  is one label spanning both columns;
- a 二级 label written on a row whose 一级 cell shows no text (blank, or a blank merged
  cell), under a 一级 the framework does not list it under, is filed under the 一级 that
  lists it; a merged 一级 cell with text is what it shows, whatever the 二级 beside it
  (``check`` flags the pair);
- texts are trimmed; 指标值 columns get half-width digits and %; a number shows as its
  format shows it (0.9 in ``0%`` is ``90%``); a number typed as text in a number column is
  that number, and a spreadsheet's SUM leaves it out (总分 of the 自评表).
"""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sheetsync.reading.grid import Grid, col_letter
from sheetsync.spec import Spec

FULL = str.maketrans({**{str(i): chr(0xFF10 + i) for i in range(10)}, "%": "％", ".": "．"})
HALF = str.maketrans({v: k for k, v in {**{str(i): chr(0xFF10 + i) for i in range(10)}, "%": "％", ".": "．"}.items()})
SPACE = " \t\n\r\u3000\u00a0"


def shown(value: Any) -> str:
    """The text a number shows in the formats the edits use (General, 0%, 0.00%)."""
    v, fmt = value
    if fmt == "General":
        return str(int(v)) if float(v).is_integer() else repr(v)
    places = Decimal(1) if fmt == "0%" else Decimal("0.01")
    return str((Decimal(repr(v)) * 100).quantize(places, rounding=ROUND_HALF_UP)) + "%"


class SheetModel:
    """One form sheet: the indicator block as cells and merges, the rest as expected data."""

    def __init__(self, sheet: str, data: dict, spec: Spec, cells: dict[str, str], grid: Grid):
        self.sheet, self.data, self.spec = sheet, copy.deepcopy(data), spec
        block = spec.indicators
        self.keys = [c.key for c in block.columns]
        self.letter = {k: cells[f"{block.key}[0].{k}"].rstrip("0123456789") for k in self.keys}
        self.first = int(cells[f"{block.key}[0].{block.name.key}"][len(self.letter[block.name.key]) :])
        self.cells = cells  # where the header fields and amounts are (from reading the original)
        self.number_keys = {c.key for c in block.columns if c.number}
        self.target_keys = {c.key for c in block.columns if c.target}
        self.one, self.two = block.level(1).key, block.level(2).key
        col = {k: ord(self.letter[k]) - 65 for k in self.keys}
        self.rows: list[dict[str, Any]] = []
        for i in range(len(data[block.key])):
            row = {}
            for k in self.keys:
                raw = grid.raw(self.first - 1 + i, col[k])
                row[k] = (
                    raw
                    if raw is None or isinstance(raw, str)
                    else (raw, grid.formats.get((self.first - 1 + i, col[k]), "General"))
                )
            self.rows.append(row)
        lc1, lc2 = col[self.one], col[self.two]
        self.merges = [  # [first col, last col, first row, last row]: level columns, block rows
            [m[1], m[3], m[0] - self.first + 1, m[2] - self.first + 1]
            for m in grid.merges
            if m[1] in (lc1, lc2) and self.first - 1 <= m[0]
        ]
        self.lc = (lc1, lc2)
        self.sum_range = [0, len(self.rows) - 1] if spec.totals else None
        self.new = 0

    def __repr__(self) -> str:
        return f"SheetModel({self.sheet!r})"

    def clone(self) -> SheetModel:
        other = copy.copy(self)
        other.data, other.rows, other.merges = copy.deepcopy((self.data, self.rows, self.merges))
        other.sum_range = list(self.sum_range) if self.sum_range is not None else None
        return other

    # ------------------------------------------------------------ where things are

    def at(self, key: str, i: int) -> str:
        return f"{self.letter[key]}{self.first + i}"

    def merge_at(self, col: int, i: int) -> list[int] | None:
        return next((m for m in self.merges if m[0] <= col <= m[1] and m[2] <= i <= m[3]), None)

    def groups(self) -> list[tuple[int, int]]:
        """(first row, last row) of each run of rows with the same expected levels."""
        rows = self.levels()
        out: list[tuple[int, int]] = []
        for i, lv in enumerate(rows):
            if out and rows[out[-1][0]] == lv:
                out[-1] = (out[-1][0], i)
            else:
                out.append((i, i))
        return out

    # ------------------------------------------------------------ edits (each returns UNO ops)

    def set_cell(self, key: str, i: int, value: Any) -> list:
        self.rows[i][key] = value
        if isinstance(value, str):
            return [["string", self.sheet, self.at(key, i), value]]
        return [["number", self.sheet, self.at(key, i), value[0], value[1]]]

    def insert(self, i: int, name: str, value: str, fill: tuple[str, str] | None) -> list:
        """A new row before block row ``i`` (``len(rows)``: below the block), its name and
        value typed, and its level cells filled with ``fill`` where no merge covers them."""
        below = i == len(self.rows)
        ops = [] if below and not self.spec.totals else [["insert_rows", self.sheet, self.first + i, 1]]
        for m in self.merges:
            if m[2] < i <= m[3]:
                m[3] += 1
            elif m[2] >= i:
                m[2], m[3] = m[2] + 1, m[3] + 1
        if self.sum_range is not None:
            s = self.sum_range
            s[:] = [s[0] + (i <= s[0]), s[1] + (i <= s[1])]
        self.rows.insert(i, dict.fromkeys(self.keys))
        ops += self.set_cell(self.spec.indicators.name.key, i, name)
        ops += self.set_cell(self.spec.indicators.target.key, i, value)
        if fill:
            for key, label, col in ((self.one, fill[0], self.lc[0]), (self.two, fill[1] or fill[0], self.lc[1])):
                if self.merge_at(col, i) is None:
                    ops += self.set_cell(key, i, label)
        return ops

    def delete(self, i: int) -> list:
        keep = []
        for m in self.merges:
            if m[2] == i:
                # LibreOffice drops a merge whose first row is deleted, and its text with it
                continue
            if m[2] < i <= m[3]:
                m[3] -= 1
            elif m[2] > i:
                m[2], m[3] = m[2] - 1, m[3] - 1
            keep.append(m)
        self.merges = keep
        if self.sum_range is not None:
            s = self.sum_range
            s[:] = [s[0] - (i < s[0]), s[1] - (i <= s[1])]
        del self.rows[i]
        return [["delete_rows", self.sheet, self.first + i, 1]]

    def _range(self, m: list[int]) -> str:
        return f"{col_letter(m[0])}{self.first + m[2]}:{col_letter(m[1])}{self.first + m[3]}"

    def unmerge(self, m: list[int], fill: bool) -> list:
        self.merges.remove(m)
        keys = [k for k in (self.one, self.two) if m[0] <= ord(self.letter[k]) - 65 <= m[1]]
        label = self.rows[m[2]][keys[0]]
        if fill:
            for i in range(m[2], m[3] + 1):
                for k in keys:
                    self.rows[i][k] = label
        return [["unmerge_fill" if fill else "unmerge", self.sheet, self._range(m)]]

    def merge(self, col: int, i: int, j: int) -> list:
        key = self.one if col == self.lc[0] else self.two
        for r in range(i + 1, j + 1):
            self.rows[r][key] = None  # the hidden cells are emptied
        m = [col, col, i, j]
        self.merges.append(m)
        return [["merge", self.sheet, self._range(m)]]

    def move_row(self, i: int, j: int, fill: tuple[str, str], cut: bool) -> list:
        """Cut (or copy) row ``i``'s own cells into a new row inserted before row ``j``."""
        keys = [k for k in self.keys if k not in (self.one, self.two)]
        saved = {k: self.rows[i][k] for k in keys}
        ops = self.insert(j, "", "", fill)
        src = i + (j <= i)
        first, last = self.letter[keys[0]], self.letter[keys[-1]]
        kind = "move_range" if cut else "copy_range"
        ops.append([kind, self.sheet, f"{first}{self.first + src}:{last}{self.first + src}", self.at(keys[0], j)])
        self.rows[j].update(saved)
        if cut:
            ops += self.delete(src)
        return ops

    # ------------------------------------------------------------ what a person sees

    def _shown(self, col: int, key: str, i: int) -> tuple[str, bool]:
        """(text shown in the level cell, whether the text starts on this row)."""
        m = self.merge_at(col, i)
        top = m[2] if m else i
        raw = self.rows[top][self.one if m and m[0] == self.lc[0] else key]
        text = self.text(raw)
        return text, top == i and text != ""

    def levels(self) -> list[tuple[str, str]]:
        """(一级, 二级) of every row, as a person reads the level cells; ``self.inherited`` is
        then the sheet rows where a blank, unmerged level cell took the row above's level."""
        fw = self.spec.framework
        out: list[tuple[str, str]] = []
        self.inherited: set[int] = set()
        for i in range(len(self.rows)):
            prev = out[-1] if out else ("", "")
            m = self.merge_at(self.lc[1], i)
            b, named_b = self._shown(self.lc[0], self.one, i)
            blank_b = not b and self.merge_at(self.lc[0], i) is None
            if blank_b and out:
                self.inherited.add(self.first + i)
            if m and m[0] == self.lc[0]:  # one label merged across both level columns
                out.append((b or prev[0], ""))
                continue
            c, named_c = self._shown(self.lc[1], self.two, i)
            if b and c == b:
                out.append((b, ""))
                continue
            l1 = b or prev[0]
            if c:
                l2 = c
            elif named_b and (not out or b != prev[0]):
                l2 = ""
            else:
                l2 = prev[1]
                if out and m is None:
                    self.inherited.add(self.first + i)
            usual = fw.usual_parent.get(c)
            if not b and named_c and usual and usual != l1 and (not l1 or l1 in fw.levels):
                l1 = usual
            out.append((l1, l2))
        return out

    @staticmethod
    def text(raw: Any, target: bool = False) -> str:
        if raw is None:
            return ""
        text = raw if isinstance(raw, str) else shown(raw)
        text = text.strip(SPACE)
        return text.translate(HALF) if target else text

    @staticmethod
    def number(raw: Any) -> int | float | None:
        if raw is None:
            return None
        if isinstance(raw, str):
            return float(raw) if "." in raw else int(raw)
        return raw[0]

    def expected(self) -> dict:
        data = copy.deepcopy(self.data)
        rows = []
        for raw, (l1, l2) in zip(self.rows, self.levels(), strict=True):
            row = {self.one: l1, self.two: l2}
            for k in self.keys:
                if k in (self.one, self.two):
                    continue
                row[k] = self.number(raw[k]) if k in self.number_keys else self.text(raw[k], k in self.target_keys)
            rows.append(row)
        data[self.spec.indicators.key] = rows
        for block in self.spec.totals:
            for cell in block.cells:
                total = 0
                for block_key, col in cell.sums:
                    if block_key == self.spec.indicators.key:
                        s = self.sum_range
                        raws = [r[col] for r in self.rows[s[0] : s[1] + 1]]
                        total += sum(r[0] for r in raws if r is not None and not isinstance(r, str))
                    else:
                        total += sum(v[col] for v in data[block_key].values() if v[col] is not None)
                data[block.key][cell.key] = float(f"{total:.15g}") if isinstance(total, float) else total
        return data


class BookModel:
    """A workbook: its sheets in order, each a form (a :class:`SheetModel`) or another sheet."""

    def __init__(self, sheets: list[SheetModel]):
        self.sheets: list[SheetModel | str] = list(sheets)
        self.count = 0

    def forms(self) -> list[SheetModel]:
        return [s for s in self.sheets if isinstance(s, SheetModel)]

    def name(self, sheet: SheetModel | str) -> str:
        return sheet.sheet if isinstance(sheet, SheetModel) else sheet

    def fresh(self, stem: str) -> str:
        self.count += 1
        return f"{stem}{self.count}"

    def rename(self, index: int) -> list:
        sheet, new = self.sheets[index], self.fresh("改名")
        old = self.name(sheet)
        if isinstance(sheet, SheetModel):
            sheet.sheet = new
        else:
            self.sheets[index] = new
        return [["rename", old, new]]

    def move(self, index: int, to: int) -> list:
        sheet = self.sheets.pop(index)
        self.sheets.insert(to, sheet)
        # LibreOffice's moveByName counts the position before the sheet is taken out
        return [["move", self.name(sheet), to + (to > index)]]

    def add(self, to: int) -> list:
        name = self.fresh("说明")
        self.sheets.insert(to, name)
        return [["add_sheet", name, to, "A1", "填报说明：请于三月底前报送。"]]

    def copy(self, index: int, to: int, identity: str) -> list:
        """Copy a form sheet and give the copy a project name of its own (a new form)."""
        source = self.sheets[index]
        assert isinstance(source, SheetModel)
        clone = source.clone()
        clone.sheet = self.fresh("复制")
        project = self.fresh("新项目")
        clone.data[identity] = project
        self.sheets.insert(to, clone)
        return [
            ["copy_sheet", source.sheet, clone.sheet, to],
            ["string", clone.sheet, source.cells[identity], project],
        ]
