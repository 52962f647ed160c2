"""A text dump's rows whose cells were copied onto several lines, joined back into one row.

Text copied out of a PDF or a web page breaks a cell's text where the cell wrapped: the label
``项目名称`` printed as ``项目`` over ``名称`` becomes two lines, ``项目`` alone, then ``名称``
followed by the rest of the row (``名称<TAB>公安辅警人员经费``). A line is joined to the row
above it when the row's last text and the line's first one, together, make a label of a
template or a level name of the framework (``绩`` ``效`` ``指`` ``标`` over four lines is
``绩效指标``) and the first part alone makes none; and the text of a wrapped field (a goal,
beside or under its label) goes on over the lines that follow it, up to a line that starts
with a label or level name, or with a row as wide as the one above. The joined cell keeps its
line breaks, as the sheet's cell holds them; each join is reported with the file line of its cell.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..values import label_key

MAX_LINES = 8  # a label broken over more lines than this is not joined
_OPEN = ("(", "（")


def known_words(labels: Iterable[str]) -> frozenset[str]:
    """The label keys a broken cell may be joined back into."""
    return frozenset(k for k in (label_key(t) for t in labels) if k)


def _run(tail: str, rows: list[list[str]], i: int, known: frozenset[str]) -> int:
    """How many lines from ``i`` continue ``tail`` into a known word (0: none)."""
    start = label_key(tail)
    if not start:
        return 0
    text = start
    for k in range(i, min(i + MAX_LINES, len(rows))):
        row = rows[k]
        first = label_key(row[0]) if row else ""
        if not first:
            return 0
        text += first
        if text in known and start not in known:
            return k - i + 1
        if k == i and start in known and row[0].strip().startswith(_OPEN):
            return 1  # a label and its qualifier on the next line: 项目资金 / (万元)
        if len(row) > 1:
            return 0  # a line of several cells ends the run
    return 0


Place = tuple[int, int]  # (file line, column), from 0
Words = tuple[frozenset[str], frozenset[str]]  # label keys of every label and level, of wrapped fields


def _continues(row: list[str], above: list[str] | None, rows: list[list[str]], i: int, words: Words) -> bool:
    """Line ``i`` goes on with the text of a wrapped field (a goal) that ends ``row``: the text
    stands beside or under that field's label, the line starts with no label or level name
    (nor the first part of one), and it is one text or the rest of a row as wide as ``above``."""
    known, wraps = words
    line, col = rows[i], len(row) - 1
    first = label_key(line[0]) if line else ""
    if not first or first in known or _run(line[0], rows, i + 1, known):
        return False
    if not label_key(row[-1]) or label_key(row[-1]) in known:
        return False
    beside = col > 0 and label_key(row[col - 1]) in wraps
    under = above is not None and col < len(above) and label_key(above[col]) in wraps
    if not (beside or under):
        return False
    return len(line) == 1 or (above is not None and len(row) + len(line) - 1 == len(above))


def join_broken_cells(
    rows: list[list[str]], words: Words
) -> tuple[list[list[str]], list[list[Place]], list[tuple[int, int, int]]]:
    """The rows with broken cells joined, where in the file each of their cells starts, and
    each join: (row, column, how many lines the cell's text was on)."""
    out: list[list[str]] = []
    places: list[list[Place]] = []
    joins: list[tuple[int, int, int]] = []
    i = 0
    while i < len(rows):
        row, at = list(rows[i]), [(i, c) for c in range(len(rows[i]))]
        i += 1
        while i < len(rows) and row:
            n = _run(row[-1], rows, i, words[0]) or int(_continues(row, out[-1] if out else None, rows, i, words))
            if not n:
                break
            joins.append((len(out), len(row) - 1, n + 1))
            row[-1] = "\n".join([row[-1], *(rows[k][0] for k in range(i, i + n))])
            last = i + n - 1
            row.extend(rows[last][1:])
            at.extend((last, c) for c in range(1, len(rows[last])))
            i += n
        out.append(row)
        places.append(at)
    return out, places, joins
