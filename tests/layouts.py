"""Workbooks laid out the way other departments lay them out, for the reader's tests.

``dump_workbook`` turns each form of the published text dump into a sheet: the dump's rows
as cells, with the merges they imply. ``foreign_workbook`` lays a form out with the changes
real forms show (moved columns, blank and merged columns, stray spaces in labels, missing
labels, a missing title or header row). Both write with openpyxl; nothing here is used by
sheetsync itself.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from sheetsync.catalog import get_spec
from sheetsync.values import label_key

FW = get_spec().framework
LEVEL1 = {label_key(n) for n in FW.levels}
LEVEL2 = {label_key(n) for n in FW.level2}


def _merge(ws, r1, c1, r2, c2):
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)


def split_dump(text: str) -> list[list[list[str]]]:
    forms, current = [], None
    for line in text.splitlines():
        cells = line.split("\t")
        if len([c for c in cells if c.strip()]) == 1 and cells[0].endswith("项目支出预算绩效目标表"):
            current = []
            forms.append(current)
        if current is not None:
            current.append(cells)
    return forms


def dump_workbook(dump: str, path: Path) -> Path:
    """One sheet per form of the dump: its rows as cells, with the merges they imply."""
    wb = Workbook()
    wb.remove(wb.active)
    for n, rows in enumerate(split_dump(dump), 1):
        ws = wb.create_sheet(f"表{n}")
        width = max(len(r) for r in rows)
        grid = [r + [""] * (width - len(r)) for r in rows]
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if value:
                    ws.cell(r + 1, c + 1, value)
        _merge(ws, 0, 0, 0, width - 1)
        header = next(r for r, row in enumerate(grid) if "一级指标" in row)
        # header labels followed by blank header cells span them (三级 over two columns)
        spans = {}
        for c, value in enumerate(grid[header]):
            if value:
                end = c
                while end + 1 < width and not grid[header][end + 1]:
                    end += 1
                spans[c] = end
                _merge(ws, header, c, header, end)
        wide = [(c, e) for c, e in spans.items() if e > c and grid[header][c] == "三级指标"]
        last = len(grid) - 1
        while not any(grid[last]):
            last -= 1
        for r in range(header + 1, last + 1):
            for c, e in wide:
                if grid[r][c] and not any(grid[r][c + 1 : e + 1]):
                    _merge(ws, r, c, r, e)

        # label cells merge down over the blank cells below them, as on the printed form:
        # 项目资金 over its rows, 绩效指标 over the block, level labels over their groups
        def down(r: int, c: int, stop: int, grid=grid) -> int:
            end = r
            while end + 1 <= stop and not any(grid[end + 1][: c + 1]):
                end += 1
            return end

        for r in range(header):
            if grid[r][0].startswith("项目资金"):
                _merge(ws, r, 0, down(r, 0, header - 1), 0)
        _merge(ws, header, 0, down(header, 0, last), 0)
        for r in range(header + 1, last + 1):
            for c in (1, 2):
                if label_key(grid[r][c]) in LEVEL1 | LEVEL2:
                    _merge(ws, r, c, down(r, c, last), c)
    wb.save(path)
    return path


def foreign_workbook(form: dict, path: Path, **options) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    foreign_sheet(ws, form, **options)
    wb.save(path)
    return path


def foreign_sheet(
    ws,
    form: dict,
    *,
    left: int = 0,
    top: int = 0,
    order=("一级", "二级", "三级", "值"),
    wide_name: bool = False,
    blank_column: bool = False,
    spaced: bool = False,
    title: bool = True,
    header: bool = True,
    level1_missing_for=(),
    level2_in_level1_for=(),
    inline_amounts: bool = False,
    fields_order=None,
) -> None:
    """Lay ``form`` out with the given deviations from the canonical layout."""

    def lab(text: str) -> str:
        return " ".join(text) if spaced and len(text) <= 5 else (text.replace("指标", " 指标") if spaced else text)

    row = top
    ncols = 2 + 1 + len(order) + (1 if wide_name else 0) + (1 if blank_column else 0)

    def put(r, c, value):
        if value not in ("", None):
            ws.cell(r + 1, left + c + 1, value)

    if title:
        put(row, 0, form["表名"])
        _merge(ws, top, left, top, left + ncols - 1)
        row += 2
    fields = fields_order or ["项目名称", "主管部门", "实施单位", "项目属性", "项目期"]
    for key in fields:
        put(row, 0, lab(key))
        put(row, 2, form[key])
        row += 1
    money = form["项目资金"]
    names = {"年度资金总额": "年度资金总额", "财政拨款": "其中:财政拨款", "其他资金": "其他资金"}
    put(row, 0, lab("项目资金") + " (万元)")
    first = row
    if not inline_amounts:
        put(row, 3, "含本级和市县")
        put(row, 4, "含本级")
        row += 1
    for key, text in names.items():
        values = money[key]
        if inline_amounts:
            for c, scope in ((2, "含本级和市县"), (3, "含本级")):
                amount = "" if values[scope] is None else f" {values[scope]} 万元"
                put(row, c, f"{text}({scope}){amount}")
        else:
            put(row, 2, text)
            put(row, 3, values["含本级和市县"])
            put(row, 4, values["含本级"])
        row += 1
    _merge(ws, first, left, row - 1, left)
    put(row, 0, lab("绩效目标"))
    put(row, 1, "年度总体绩效目标（含本级和市县）")
    put(row, 2, form["年度总体绩效目标"])
    row += 1
    # indicator columns, in the requested order, from column 1
    cols, c = {}, 1
    for key in order:
        if key == "三级" and blank_column:
            c += 1
        cols[key] = c
        c += 2 if key == "三级" and wide_name else 1
    if header:
        put(row, 0, lab("绩效指标"))
        for key, text in (("一级", "一级指标"), ("二级", "二级指标"), ("三级", "三级指标"), ("值", "指标值")):
            put(row, cols[key], lab(text))
            if key == "三级" and wide_name:
                _merge(ws, row, left + cols[key], row, left + cols[key] + 1)
        row += 1
    block_top = row - (1 if header else 0)
    prev1 = prev2 = None
    for item in form["绩效指标"]:
        one, two = item["一级指标"], item["二级指标"]
        new1 = one != prev1 or (two == "") != (prev2 == "")
        new2 = new1 or two != prev2
        if new1 and one not in level1_missing_for:
            if two == "":
                put(row, cols["一级"], one)
                _merge(ws, row, left + min(cols["一级"], cols["二级"]), row, left + max(cols["一级"], cols["二级"]))
            else:
                put(row, cols["一级"], one)
        if two and new2:
            where = cols["一级"] if one in level2_in_level1_for else cols["二级"]
            put(row, where, two)
        put(row, cols["三级"], item["三级指标"])
        if wide_name:
            _merge(ws, row, left + cols["三级"], row, left + cols["三级"] + 1)
        put(row, cols["值"], item["指标值"])
        prev1, prev2 = one, two
        row += 1
    if header:
        _merge(ws, block_top, left, row - 1, left)
    for c in range(ncols):
        ws.column_dimensions[get_column_letter(left + c + 1)].width = 16
