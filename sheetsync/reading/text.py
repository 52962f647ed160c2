"""Text grids -> grids: tab-separated dumps (.txt, .tsv) and .csv.

This is the shape published tables take when copied out of PDF disclosures: one row a
line, cells split by tabs, several forms one after another, each starting at its title.
Files in UTF-8 (with or without BOM) or GB18030 (what Chinese Windows saves) are read.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import InputError
from ..safety import input_errors
from ..spec import Spec
from ..values import label_key
from .grid import Grid

TEXT_SUFFIXES = (".txt", ".tsv", ".csv")


def _decode(data: bytes, path: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("is neither UTF-8 nor GB18030 text", file=path)


def read_rows(path: str | Path) -> list[list[str]]:
    p = Path(path)
    with input_errors(path):
        data = p.read_bytes()
    if b"\x00" in data[:4096]:
        raise InputError("is a binary file, not a text grid", file=str(path))
    text = _decode(data, str(path))
    if p.suffix.lower() == ".csv":
        return [row for row in csv.reader(io.StringIO(text, newline=""))]
    return [line.split("\t") for line in text.splitlines()]


def text_grids(path: str | Path, spec: Spec) -> list[Grid]:
    """One grid per form in the file; a form starts at a line holding only its title."""
    rows = read_rows(path)
    title = label_key(spec.title)
    starts = [
        i
        for i, row in enumerate(rows)
        if title
        and sum(bool(c.strip()) for c in row) == 1
        and label_key(next(c for c in row if c.strip())).endswith(title)
    ]
    if not starts or (starts[0] != 0 and any(any(c.strip() for c in r) for r in rows[: starts[0]])):
        starts = [0, *starts]
    grids = []
    for n, (a, b) in enumerate(zip(starts, [*starts[1:], len(rows)], strict=True), 1):
        grid = Grid(f"表{n}", str(path), line_offset=a)
        for r, row in enumerate(rows[a:b]):
            for c, cell in enumerate(row):
                if cell != "":
                    grid.values[(r, c)] = cell
        grids.append(grid)
    return grids
