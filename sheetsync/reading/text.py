"""Text grids -> grids: tab-separated dumps (.txt, .tsv) and .csv.

This is the shape published tables take when copied out of PDF disclosures: one row a
line, cells split by tabs, several forms one after another, each starting at its title.
Files in UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text") or GB18030
(what Chinese Windows saves) are read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

from ..errors import Code, Guess, InputError
from ..i18n import _
from ..safety import input_errors
from ..spec import Spec
from ..values import label_key
from .grid import Grid
from .lines import join_broken_cells, known_words

TEXT_SUFFIXES = (".txt", ".tsv", ".csv")


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # not DEL: a spreadsheet cell may hold it


def decode_text(data: bytes, path: str) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"),
    else GB18030 (what Chinese Windows saves; GBK is part of it). Bytes that none of these
    gives as text (control characters, NULs) are refused, never guessed."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as e:
                raise InputError(
                    _("starts with a {bom} byte-order mark but byte {start} is not {encoding}").format(
                        bom=encoding.upper(), start=e.start + len(bom), encoding=encoding
                    ),
                    file=path,
                ) from None
            break
    else:
        text = _plain(data, path)
    controls = len(_CONTROL.findall(text, 0, 65_536))
    if "\x00" in text or controls > max(8, min(len(text), 65_536) // 100):
        raise InputError(_("is a binary file, not a text grid (not UTF-8, UTF-16 with BOM or GB18030 text)"), file=path)
    return text


def _plain(data: bytes, path: str) -> str:
    if b"\x00" in data[:4096]:
        raise InputError(
            _("is a binary file, not a text grid (UTF-16 text needs its byte-order mark; save it as UTF-8)"), file=path
        )
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(_("is neither UTF-8, UTF-16 (with BOM) nor GB18030 text; save it as UTF-8"), file=path)


def read_rows(path: str | Path) -> list[list[str]]:
    p = Path(path)
    with input_errors(path):
        data = p.read_bytes()
    text = decode_text(data, str(path))
    if p.suffix.lower() == ".csv":
        return [row for row in csv.reader(io.StringIO(text, newline=""))]
    return [line.split("\t") for line in text.splitlines()]


def text_grids(
    path: str | Path, spec: Spec, words: Iterable[str] = (), wraps: Iterable[str] = (), notes: list | None = None
) -> list[Grid]:
    """One grid per form in the file; a form starts at a line holding only its title. A cell
    copied onto several lines is joined back into one cell (see :mod:`.lines`: ``words`` are
    the labels and level names, ``wraps`` the labels of wrapped fields), each join a note in
    ``notes``."""
    rows, places, joins = join_broken_cells(read_rows(path), (known_words(words), known_words(wraps)))
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
        top = places[a][0][0] if a < len(places) and places[a] else a  # the file line of row 0
        grid = Grid(f"表{n}", str(path), line_offset=top)
        for r, row in enumerate(rows[a:b]):
            for c, cell in enumerate(row):
                if cell != "":
                    grid.values[(r, c)] = cell
        if joins:
            grid.row_lines = [(places[r][0][0] if places[r] else r) - top for r in range(a, b)]
            grid.places = {
                (r - a, c): (line - top, col)
                for r in range(a, b)
                for c, (line, col) in enumerate(places[r])
                if (line, col) != (places[r][0][0], c)
            }
        grids.append(grid)
        for r, c, k in (j for j in joins if a <= j[0] < b and notes is not None):
            text = label_key(rows[r][c])
            text = text if len(text) <= 20 else text[:20] + "…"
            message = _("{text!r} is one cell copied onto {count} lines; read as one cell").format(text=text, count=k)
            notes.append(Guess(message, grid.source, grid.name, grid.where(r - a, c), Code.JOINED_LINES))
    return grids
