"""Grid -> form, by the template spec.

Two ways of reading one grid, tried in order:

1. **Exact**: the grid still has the layout the spec renders (every label where the spec
   puts it, the indicator block under its header). Values are read by position and merges
   decide the groups, so whatever ``render`` wrote comes back unchanged.
2. **By meaning**: anything else (edited, foreign, text dumps). Labels are found wherever
   they are (whitespace and full/half width ignored), the indicator block by its header or
   its vocabulary, levels by the indicator framework; a blank level inherits the one above.
   Every such guess is reported as a :class:`Guess` with its cell.

Both ways normalize values the same way (trimmed text, half-width digits in 指标值, numbers
as the text a spreadsheet shows) and report each change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import formulas
from ..errors import Guess
from ..model import FORBIDDEN_CHARS, Form, Origin
from ..spec import AmountsBlock, FieldsBlock, IndicatorsBlock, Label, Spec, TitleBlock, TotalBlock
from ..values import clean_target, clean_text, label_key, number_text
from .grid import Grid, NotComputed

_QUALIFIER = re.compile(r"^\((.*)\)$")
_AMOUNT_TEXT = re.compile(r"^(?P<label>.*?)[\s:：]*(?P<num>[-+]?\d[\d,]*(?:\.\d+)?)?\s*(?P<unit>万元|万|%|％|分)?$")
_NONE_TEXT = re.compile(r"^[-—–－―/／\\]+$")  # a cell struck out on purpose, as official forms do


@dataclass
class Reading:
    """What reading one grid gave: the form (None for a sheet that is not one) and guesses."""

    form: Form | None
    guesses: list[Guess] = field(default_factory=list)
    exact: bool = False


class _Reader:
    def __init__(self, grid: Grid, spec: Spec):
        self.grid, self.spec = grid, spec
        self.guesses: list[Guess] = []
        self.cells: dict[str, str] = {}
        # computed values the file has no result for: where their cell is (None: no cell at all)
        self.uncomputed: dict[tuple[str, ...], tuple[int, int] | None] = {}
        self.fw = spec.framework
        self._vocab1 = {label_key(n): n for n in self.fw.levels}
        self._vocab2 = {label_key(n): n for n in self.fw.level2}
        self._vocab2.update({label_key(a): n for a, n in self.fw.aliases.items()})

    # ------------------------------------------------------------ helpers

    def guess(self, row: int, col: int, message: str, code: str = "") -> None:
        self.guesses.append(Guess(message, self.grid.source, self.grid.name, self.grid.where(row, col), code))

    def note(self, message: str, code: str) -> None:
        """A guess about the whole sheet rather than one cell."""
        self.guesses.append(Guess(message, self.grid.source, self.grid.name, code=code))

    def record(self, path: str, row: int, col: int) -> None:
        """Remember which cell a value came from (``check`` points at it)."""
        m = self.grid.merge_at(row, col)
        self.cells[path] = self.grid.where(*(m[:2] if m else (row, col)))

    def value_text(self, row: int, col: int, *, target: bool = False, path: str | None = None) -> str:
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
        if isinstance(raw, NotComputed):
            self.guess(
                row,
                col,
                "formula with no computed value; read as empty (open and save the file in a spreadsheet to compute it)",
                "not_computed",
            )
            return ""
        if isinstance(raw, bool) or not isinstance(raw, str):
            text = grid.text(row, col)
            self.guess(row, col, f"number {raw!r} read as the text it shows, {text!r}", "number_as_text")
        else:
            text = raw
        if FORBIDDEN_CHARS.search(text):
            # a workbook can encode them (_x0000_), the contract cannot hold them
            text = FORBIDDEN_CHARS.sub("", text)
            self.guess(row, col, "control characters removed (an xlsx text cannot hold them)", "normalized")
        clean = clean_target(text) if target else clean_text(text)
        if clean != text:
            self.guess(row, col, f"{text!r} normalized to {clean!r}", "normalized")
        return clean

    def matches(self, text: str, label: Label | Iterable[str]) -> str | None:
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

    def number(self, row: int, col: int, path: str) -> float | int | None:
        """A cell of numbers, recorded under its data ``path``; a formula without a result is
        remembered and computed from the spec once the form is read."""
        self.record(path, row, col)
        m = self.grid.merge_at(row, col)
        if m is not None:
            row, col = m[0], m[1]
        if isinstance(self.grid.raw(row, col), NotComputed):
            self.uncomputed[tuple(path.split("."))] = (row, col)
            return None
        return self.amount(row, col)

    def finish(self, data: dict[str, Any]) -> Form:
        """The form, with computed values the file carried no result for worked out, and those
        it carried to the 15 significant digits a spreadsheet keeps (LibreOffice writes 15, Excel 17)."""
        for path, value in formulas.computed(self.spec, data):
            *parents, last = path
            holder = formulas.get(data, tuple(parents))
            if isinstance(holder[last], float):
                holder[last] = formulas.tidy(holder[last])
            if path not in self.uncomputed:
                continue
            holder[last] = value
            where = self.uncomputed.pop(path)
            message = f"{'.'.join(path)} computed from the form as {value!r}"
            if where is None:
                self.note(f"no '{path[0]}' row found; {message}", "computed")
            elif value is not None:  # an empty result is what the formula gives: nothing guessed
                self.guess(*where, f"formula with no computed value; {message}", "computed")
        for row, col in self.uncomputed.values():
            self.guess(
                row,
                col,
                "formula with no computed value; read as empty (open and save the file in a spreadsheet to compute it)",
                "not_computed",
            )
        return Form({k: data[k] for k in self.spec.keys}, self.spec)

    def amount(self, row: int, col: int) -> float | int | None:
        """A number cell's value: a numeric cell, or text such as ``3 万元``; None when blank."""
        raw = self.grid.raw(row, col)
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return raw
        if raw is None or not clean_text(str(raw)) or _NONE_TEXT.match(clean_text(str(raw))):
            return None
        m = _AMOUNT_TEXT.match(clean_text(str(raw)))
        if m and m.group("num") and not m.group("label"):
            digits = m.group("num").replace(",", "")
            if m.group("unit") in ("%", "％"):  # a percent typed as text: 95% is 0.95
                value = formulas.tidy(float(Decimal(digits) / 100))
            else:
                value = number_text(digits)
            self.guess(row, col, f"text {raw!r} read as the number {value}", "amount_text")
            return value
        self.guess(row, col, f"{raw!r} is not a number; read as blank", "not_an_amount")
        return None

    # ------------------------------------------------------------ exact

    def exact(self) -> Form | None:
        grid, spec = self.grid, self.spec
        block = spec.indicators
        layout = spec.block_rows(0)
        header = next(row for b, row in layout if b is block)
        if grid.text(header, block.label.at.first) != block.label.text:
            return None
        if any(grid.text(header, c.label.at.first) != c.label.text for c in block.columns):
            return None
        after = sum(b.rows for b in spec.blocks[spec.blocks.index(block) + 1 :])  # rows below the block
        last = max([r for r, _ in grid.values] + [m[2] for m in grid.merges] + [header + after]) - after
        n = last - header
        if any(c >= spec.ncols for _, c in grid.values):
            return None
        if n and grid.merge_at(header, block.label.at.first) != (
            header,
            block.label.at.first,
            last,
            block.label.at.last,
        ):
            return None
        data: dict[str, Any] = {}
        for b, row in spec.block_rows(n):
            if isinstance(b, TitleBlock):
                data[b.key] = self.value_text(row, b.at.first, path=b.key)
            elif isinstance(b, FieldsBlock):
                for cell in b.cells:
                    if grid.text(row, cell.label.at.first) != cell.label.text:
                        return None
                    if cell.key:
                        at = row + b.rows - 1 if cell.below else row
                        data[cell.key] = self.value_text(at, cell.value.first, path=cell.key)
            elif isinstance(b, TotalBlock):
                if grid.text(row, b.label.at.first) != b.label.text:
                    return None
                data[b.key] = {c.key: self.number(row, c.at.first, f"{b.key}.{c.key}") for c in b.cells}
            elif isinstance(b, AmountsBlock):
                labels = [(row, b.label), (row, b.corner)] + [(row, lab) for _, lab in b.columns]
                labels += [(row + i, lab) for i, (_, lab) in enumerate(b.row_labels, 1)]
                if any(grid.text(r, lab.at.first) != lab.text for r, lab in labels):
                    return None
                table = {}
                for i, (rk, _) in enumerate(b.row_labels, 1):
                    table[rk] = {ck: self.number(row + i, lab.at.first, f"{b.key}.{rk}.{ck}") for ck, lab in b.columns}
                data[b.key] = table
            elif isinstance(b, IndicatorsBlock):
                rows = self.exact_indicators(b, row, n)
                if rows is None:
                    return None
                data[b.key] = rows
        return self.finish(data)

    def exact_indicators(self, block: IndicatorsBlock, header: int, n: int) -> list[dict[str, Any]] | None:
        grid = self.grid
        one, two = block.level(1), block.level(2)
        c1, c2 = one.label.at.first, two.label.at.first
        out = []
        for r in range(header + 1, header + n + 1):
            if not grid.shown(r, c1):
                return None  # a blank 一级: a row someone added; read it by meaning
            m2 = grid.merge_at(r, c2)
            spans_both = m2 is not None and m2[1] <= c1 <= m2[3]
            if not spans_both and not grid.shown(r, c2):
                return None
            if not spans_both and label_key(grid.shown(r, c1)) == label_key(grid.shown(r, c2)):
                # one label filled into both level cells, as after unmerging a spanning 一级
                self.guess(
                    r,
                    c2,
                    f"{grid.shown(r, c2)!r} repeats the 一级 beside it; read as one label spanning both level columns",
                    "spans_both",
                )
                spans_both = True
            row: dict[str, Any] = {}
            for col in block.columns:
                if col is two and spans_both:
                    row[col.key] = ""
                elif col.number:
                    row[col.key] = self.number(r, col.label.at.first, f"{block.key}[{len(out)}].{col.key}")
                else:
                    path = f"{block.key}[{len(out)}].{col.key}"
                    row[col.key] = self.value_text(r, col.label.at.first, target=col.target, path=path)
            out.append(row)
        return out

    # ------------------------------------------------------------ by meaning

    def own_cells(self, row: int) -> list[tuple[int, str, Any]]:
        """(col, text, raw) of the cells that start on this row and are not blank."""
        grid = self.grid
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

    def find_label(self, label: Label, rows: list[int]) -> tuple[int, int, str] | None:
        """The first cell in ``rows`` that is ``label``: (row, col, qualifier)."""
        grid = self.grid
        for r in rows:
            for c in grid.cols(r):
                text = grid.text(r, c)
                if text and isinstance(grid.raw(r, c), str):
                    q = self.matches(text, label)
                    if q is not None:
                        return r, c, q
        return None

    def is_label(self, text: str) -> bool:
        return any(self.matches(text, lab) is not None for lab in self._labels)

    def find_header(self) -> int | None:
        """The indicator header row: the first with most of the indicator column labels."""
        block = self.spec.indicators
        grid = self.grid
        need = max(2, len(block.columns) - 1)
        for r in grid.rows:
            texts = [grid.text(r, c) for c in grid.cols(r)]
            hits = sum(any(self.matches(t, col.label) is not None for t in texts if t) for col in block.columns)
            if hits >= need:
                return r
        return None

    def by_meaning(self) -> Form | None:
        grid, spec = self.grid, self.spec
        self._labels = self.spec.labels
        header = self.find_header()
        top_rows = [r for r in grid.rows if header is None or r < header]
        found_fields = 0
        data: dict[str, Any] = {}
        first_label_row = header if header is not None else grid.nrows
        for b in spec.blocks:
            if isinstance(b, FieldsBlock):
                for cell in b.cells:
                    hit = self.find_label(cell.label, top_rows)
                    if hit:
                        found_fields += 1
                        first_label_row = min(first_label_row, hit[0])
                    if cell.key:
                        data[cell.key] = self.field_value(cell.label, hit, cell.key, below=cell.below)
        if header is None and found_fields < 2:
            return None
        for b in spec.blocks:
            if isinstance(b, TitleBlock):
                data[b.key] = self.title(first_label_row, b.key)
            elif isinstance(b, AmountsBlock):
                data[b.key] = self.amounts(b, top_rows)
            elif isinstance(b, IndicatorsBlock):
                data[b.key] = self.indicators(b, header, first_label_row)
        for b in spec.totals:
            data[b.key] = self.total(b, header)
        return self.finish(data)

    def total(self, block: TotalBlock, header: int | None) -> dict[str, Any]:
        """The total row under the indicators: each total sits under the indicator column that
        the spec puts above it (总分's 得分 under 得分), wherever that column went."""
        grid = self.grid
        found = self.find_label(block.label, [r for r in grid.rows if header is None or r > header])
        out: dict[str, Any] = dict.fromkeys(c.key for c in block.cells)
        columns = getattr(self, "header_columns", {})
        for cell in block.cells:
            path = f"{block.key}.{cell.key}"
            above = next((c for c in self.spec.indicators.columns if c.label.at.first == cell.at.first), None)
            col = columns.get(above.key) if above else None
            if found is None or col is None:
                self.uncomputed[(block.key, cell.key)] = (found[0], found[1]) if found else None
                continue
            out[cell.key] = self.number(found[0], col, path)
        return out

    def field_value(
        self, label: Label, hit: tuple[int, int, str] | None, label_path: str, *, below: bool = False
    ) -> str:
        if hit is None:
            self.guesses.append(
                Guess(
                    f"no '{label.text}' label found; read as empty",
                    self.grid.source,
                    self.grid.name,
                    code="missing_field",
                )
            )
            return ""
        r, c, _ = hit
        m = self.grid.merge_at(r, c)
        if below:  # the value is the cell under the label (under its merge)
            first, last, under = (m[1], m[3], m[2] + 1) if m else (c, c, r + 1)
            for col, _text, _raw in self.own_cells(under):
                if first <= col <= last:
                    return self.value_text(under, col, path=label_path)
            return ""
        start = (m[3] if m else c) + 1
        for col, text, _raw in self.own_cells(r):
            if col < start:
                continue
            if self.is_label(text):
                break
            return self.value_text(r, col, path=label_path)
        return ""

    def title(self, first_label_row: int, key: str) -> str:
        for r in (r for r in self.grid.rows if r < first_label_row):
            cells = self.own_cells(r)
            if len(cells) == 1:
                return self.value_text(r, cells[0][0], path=key)
        self.note(f"no title row found; {key} read as empty", "missing_title")
        return ""

    def amounts(self, block: AmountsBlock, rows: list[int]) -> dict[str, dict[str, Any]]:
        grid = self.grid
        scopes = [ck for ck, _ in block.columns]
        table: dict[str, dict[str, Any]] = {rk: dict.fromkeys(scopes) for rk, _ in block.row_labels}
        # Column headers (含本级和市县 | 含本级) above the numbers, as in the canonical layout.
        col_scope: dict[int, str] = {}
        for r in rows:
            found = {}
            for c in grid.cols(r):
                text = grid.text(r, c)
                for ck, lab in block.columns:
                    if text and label_key(text) in {label_key(s) for s in lab.spellings}:
                        found[c] = ck
            if len(found) == len(scopes):
                col_scope = found
                break
        for r in rows:
            cells = self.own_cells(r)
            current: str | None = None
            seen_labels = 0
            for col, _text, raw in cells:
                key, qualifier = None, None
                if isinstance(raw, str):
                    m = _AMOUNT_TEXT.match(clean_text(raw))
                    label_part = m.group("label") if m else clean_text(raw)
                    for rk, lab in block.row_labels:
                        q = self.matches(label_part, lab) if label_part else None
                        if q is not None:
                            key, qualifier = rk, q
                            break
                    if key is None:
                        if label_part or not (m and m.group("num")):
                            continue
                if key is not None:
                    current = key
                    scope = self._scope(qualifier, scopes) if qualifier else None
                    if scope is None:
                        scope = scopes[min(seen_labels, len(scopes) - 1)]
                    seen_labels += 1
                    row_scope = scope
                    if m and m.group("num"):
                        table[current][row_scope] = number_text(m.group("num").replace(",", ""))
                        self.record(f"{block.key}.{current}.{row_scope}", r, col)
                        self.guess(
                            r,
                            col,
                            f"amount for {current} ({row_scope}) read from the label text {raw!r}",
                            "amount_text",
                        )
                    continue
                if current is None:
                    continue
                scope = col_scope.get(col) or row_scope
                if isinstance(raw, NotComputed):
                    self.uncomputed[(block.key, current, scope)] = (r, col)
                    continue
                value = self.amount(r, col)
                if value is not None:
                    scope = col_scope.get(col) or row_scope
                    table[current][scope] = value
                    self.record(f"{block.key}.{current}.{scope}", r, col)
        return table

    def _scope(self, qualifier: str, scopes: list[str]) -> str | None:
        m = _QUALIFIER.match(qualifier)
        inner = m.group(1) if m else qualifier
        for s in scopes:
            if label_key(inner) == label_key(s):
                return s
        return None

    # ------------------------------------------------------------ indicators by meaning

    def level_of(self, text: str) -> tuple[int, str] | None:
        key = label_key(text)
        if key in self._vocab1:
            return 1, self._vocab1[key]
        if key in self._vocab2:
            return 2, self._vocab2[key]
        return None

    def indicators(self, block: IndicatorsBlock, header: int | None, first_label_row: int) -> list[dict[str, Any]]:
        grid = self.grid
        one, two = block.level(1), block.level(2)
        target, name = block.target, block.name
        others = [c for c in block.values if c is not target]  # 实际完成值, 分值, 得分 …
        name_cols = [name]
        columns: dict[str, int] = {}  # key -> first column of its header cell
        col_key: dict[int, str] = {}  # every column under a header cell -> its key
        if header is not None:
            for col, text, _ in self.own_cells(header):
                for ic in block.columns:
                    if ic.key not in columns and self.matches(text, ic.label) is not None:
                        columns[ic.key] = col
                        m = grid.merge_at(header, col)
                        for c in range(col, (m[3] if m else col) + 1):
                            col_key[c] = ic.key
            start = header + 1
        else:
            start = self._first_indicator_row(first_label_row)
            self.note(
                "no indicator header row (一级指标 … 指标值) found; indicators located by their level names",
                "missing_header",
            )
        c1 = columns.get(one.key, one.label.at.first)
        c2 = columns.get(two.key, two.label.at.first)
        ct = columns.get(target.key)
        self.header_columns = columns
        value_keys = {c.key for c in block.values}
        stops = [b.label for b in self.spec.totals]
        value_cols = {c for c, k in col_key.items() if k in value_keys}
        level1 = level2 = ""
        at1 = at2 = None  # where the current group labels are
        inherited = 0
        out: list[dict[str, Any]] = []
        prev = start - 1
        for r in (r for r in grid.rows if r >= start):
            if r > prev + 1 and out and not self._carried(prev + 1):
                break  # a blank row ends the block
            prev = r
            cells = [c for c in self.own_cells(r) if self.matches(c[1], block.label) is None]
            if not cells:
                if out and not self._carried(r):
                    break  # a blank row ends the block
                continue
            if len(cells) == 1 and out and self._wide(r, cells[0][0]):
                break  # a note or signature line under the table
            if any(self.matches(c[1], lab) is not None for c in cells[:1] for lab in stops):
                break  # the total row under the table
            cells = self._collapse_repeats(r, cells, value_cols)
            aligned = self._aligned(cells, col_key, value_keys, (one.key, two.key, name.key))
            extra: dict[str, tuple[int, str, Any]] = {}
            if aligned:
                named1, named2, names, by = self._by_columns(r, cells, col_key, one.key, two.key, name.key)
                value_cell = by[target.key][-1] if target.key in by else None
                extra = {c.key: by[c.key][-1] for c in others if c.key in by}
            elif others:
                # several value columns and a row that does not line up: texts in column order
                named1, named2, names = self._classify(cells, c1, c2)
                names, rest = names[:1], names[1:]
                value_cell = rest[0] if rest else None
                extra = {c.key: cell for c, cell in zip(others, rest[1:], strict=False)}
            else:
                if len(cells) > 1 or cells[0][0] == ct:
                    value_cell, rest = cells[-1], cells[:-1]
                else:
                    value_cell, rest = None, cells
                named1, named2, names = self._classify(rest, c1, c2)
            while len(names) > len(name_cols):
                # texts outside the framework, ahead of the 三级 name, are level labels by position
                cell = names.pop(0)
                text = self.value_text(r, cell[0])
                if named1 is None and named2 is None and cell[0] < c2 and not self._merged_across(r, cell[0], c2):
                    named1 = (cell, text)
                elif named2 is None:
                    named2 = (cell, text)
                self.guess(
                    r, cell[0], f"{text!r} is not in the indicator framework; read as a level label", "unknown_level"
                )
            if named1 is not None:
                level1 = named1[1]
                level2 = named2[1] if named2 else ""
                if named1[0][0] != c1 and header is not None:
                    self.guess(r, named1[0][0], f"一级 label {level1!r} found outside the 一级 column", "level_column")
                if named2 is None and not self._merged_across(r, named1[0][0], c2):
                    self.guess(
                        r, named1[0][0], f"{level1!r} has no 二级; read as spanning both level columns", "spans_both"
                    )
            elif named2 is not None:
                level2 = named2[1]
                usual = self.fw.usual_parent.get(level2)
                if named2[0][0] != c2 and header is not None:
                    self.guess(r, named2[0][0], f"二级 label {level2!r} found outside the 二级 column", "level_column")
                if usual and usual != level1 and (not level1 or level1 in self.fw.levels):
                    self.guess(
                        r,
                        named2[0][0],
                        f"二级 {level2!r} belongs under {usual!r}"
                        + (f", not {level1!r}" if level1 else "")
                        + f"; read under {usual!r}",
                        "level1_corrected" if level1 else "level1_missing",
                    )
                    level1 = usual
            elif out or level1:
                inherited += self._note_inherited(r, c1, c2)
            if named1 is not None:
                at1 = (r, named1[0][0])
                at2 = (r, named2[0][0]) if named2 else at1
            elif named2 is not None:
                at2 = (r, named2[0][0])
            prefix = f"{block.key}[{len(out)}]"
            if at1:
                self.record(f"{prefix}.{one.key}", *at1)
            if at2:
                self.record(f"{prefix}.{two.key}", *at2)
            row: dict[str, Any] = {one.key: level1, two.key: level2}
            row[name.key] = self.value_text(r, names[0][0], path=f"{prefix}.{name.key}") if names else ""
            row[target.key] = (
                self.value_text(r, value_cell[0], target=True, path=f"{prefix}.{target.key}") if value_cell else ""
            )
            for col in others:
                cell, path = extra.get(col.key), f"{prefix}.{col.key}"
                if col.number:
                    row[col.key] = self.number(r, cell[0], path) if cell else None
                else:
                    row[col.key] = self.value_text(r, cell[0], target=col.target, path=path) if cell else ""
            out.append({c.key: row[c.key] for c in block.columns})
        if inherited and not grid.merges:
            self.note(
                f"{inherited} indicator rows name no level; each inherits the levels above it "
                "(the source records no merged cells)",
                "inherited",
            )
        return out

    def _collapse_repeats(
        self, r: int, cells: list[tuple[int, str, Any]], value_cols: set[int]
    ) -> list[tuple[int, str, Any]]:
        """A text repeated in neighbouring cells before the row's value is one text.

        A framework label (an unmerged cell refilled into each of its cells) keeps its first
        place; any other text (a 三级 name spilled into the level cell beside it) its last.
        The value itself is never merged away (``无 | 无`` is a name and a value), nor is a cell
        under a value column of the header.
        """
        out: list[tuple[int, str, Any]] = []
        for i, cell in enumerate(cells):
            if (
                out
                and i < len(cells) - 1
                and cell[0] not in value_cols  # values side by side (年度指标值 无, 实际完成值 无) stay
                and label_key(cell[1]) == label_key(out[-1][1])
            ):
                if self.level_of(cell[1]) is None:
                    self.guess(
                        r,
                        out[-1][0],
                        f"{cell[1]!r} is written in two neighbouring cells; read once, as the later one",
                        "repeated_text",
                    )
                    out[-1] = cell
                continue
            out.append(cell)
        return out

    def _aligned(self, cells: list, col_key: dict[int, str], value_keys: set[str], keys: tuple[str, str, str]) -> bool:
        """A row lines up with the header: a value under a value column (指标值), every cell under
        a header cell, and no unknown text in a level column unless the 三级 name is there too
        (otherwise the name has slid into the level column, as rows copied out of PDFs do)."""
        if not all(c[0] in col_key for c in cells) or not any(col_key[c[0]] in value_keys for c in cells):
            return False
        k1, k2, k3 = keys
        has_name = any(col_key[c[0]] == k3 for c in cells)
        odd_level = any(col_key[c[0]] in (k1, k2) and self.level_of(c[1]) is None for c in cells)
        return has_name or not odd_level

    def _by_columns(self, r: int, cells: list, col_key: dict[int, str], k1: str, k2: str, k3: str) -> tuple:
        """Split a row that lines up with the header by column, then check levels by vocabulary:
        (named 一级, named 二级, the texts under 三级, the cells of every column by key)."""
        by: dict[str, list] = {}
        for cell in cells:
            by.setdefault(col_key[cell[0]], []).append(cell)
        one = by.get(k1, [None])[0]
        two = by.get(k2, [None])[0]
        names = sorted(by.get(k3, []))
        lv1 = self.level_of(one[1]) if one else None
        lv2 = self.level_of(two[1]) if two else None
        if one and two is None and lv1 and lv1[0] == 2 and lv1[1] not in self.fw.levels:
            return None, (one, lv1[1]), names, by  # a 二级 label written in the 一级 column
        if two and one is None and lv2 and lv2[0] == 1 and lv2[1] not in self.fw.usual_parent:
            return (two, lv2[1]), None, names, by  # a 一级 label written in the 二级 column
        named1 = (one, lv1[1] if lv1 else self.value_text(r, one[0])) if one else None
        named2 = (two, lv2[1] if lv2 else self.value_text(r, two[0])) if two else None
        return named1, named2, names, by

    def _classify(self, cells: list[tuple[int, str, Any]], c1: int, c2: int) -> tuple[Any, Any, list]:
        """Split a row's texts into (named 一级, named 二级, other texts) by the framework."""
        named1 = named2 = None
        names: list[tuple[int, str, Any]] = []
        for cell in cells:
            lv = self.level_of(cell[1]) if not names else None
            if lv is None:
                names.append(cell)
                continue
            level, name = lv
            also2 = name in self.fw.usual_parent  # 成本指标 is a 一级 and an older 二级
            if level == 1 and named1 is None and named2 is None and not (also2 and cell[0] >= c2 > c1):
                named1 = (cell, name)
            elif (level == 2 or also2) and named2 is None:
                named2 = (cell, name)
            else:
                names.append(cell)
        return named1, named2, names

    def _merged_across(self, row: int, col: int, other: int) -> bool:
        m = self.grid.merge_at(row, col)
        return m is not None and m[1] <= other <= m[3]

    def _carried(self, row: int) -> bool:
        """True when a merge from above covers some of this row (a continuing group)."""
        return any(m[0] < row <= m[2] for m in self.grid.merges)

    def _wide(self, row: int, col: int) -> bool:
        m = self.grid.merge_at(row, col)
        return m is not None and m[3] - m[1] >= 2

    def _note_inherited(self, r: int, c1: int, c2: int) -> int:
        """Report blank level cells that take the group above; 1 if the row inherited at all."""
        grid = self.grid
        if not grid.merges:
            return 1  # text sources: one summary note per form instead of one per row
        for c, name in ((c1, "一级"), (c2, "二级")):
            if grid.merge_at(r, c) is None and grid.raw(r, c) is None and not self._merged_across(r, c1, c2):
                self.guess(r, c, f"blank {name} cell inherits the group above", "inherited")
        return 1

    def _first_indicator_row(self, after: int) -> int:
        for r in self.grid.rows:
            if r >= after and any(self.level_of(t) for _, t, _ in self.own_cells(r)):
                return r
        return self.grid.nrows


def read_grid(grid: Grid, spec: Spec) -> Reading:
    """One grid -> its form (exactly, when it still has the spec's layout) and the guesses made."""
    reader = _Reader(grid, spec)
    form = reader.exact()
    exact = form is not None
    if not exact:
        reader = _Reader(grid, spec)
        form = reader.by_meaning()
    if form is None:
        return Reading(None, [Guess("not a form; skipped", grid.source, grid.name, code="not_a_form")])
    form.origin = Origin(grid.source, grid.name, reader.cells)
    return Reading(form, reader.guesses, exact=exact)


__all__ = ["Reading", "read_grid"]
