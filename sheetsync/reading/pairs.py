"""Label/value pairs above the indicator block that the template has no key for
(``项目负责人 | 张三``, ``联系电话：0871-1234567``), kept in ``附加.字段`` by their label.

Read by meaning only, once every value of the contract is read, so a pair never takes a cell
the reader used. Of the rows above the indicator block (header fields and the amounts; not a
row of amount column headers), the cells no other part of the reader took make runs between
the cells it did take or knows. A run pairs when it certainly does:

- a cell ``label：value`` (one colon) is a pair on its own;
- a cell ``label：`` pairs with the next cell of its run, unless that one is a label too;
- cells without a colon pair two by two (``项目负责人 | 张三 | 联系电话 | 0871…``) when there
  is an even number of them and each first one looks like a label.

A label is a short text with no digit and no sentence punctuation, none of the template's
labels, a level name or a word of the reading vocabulary, and not the start of a template
label whose value the reader found no label for (that value may be the field's). Whatever
does not pair stays for the accounting, which names it in a ``not_read`` warning.
"""

from __future__ import annotations

import re
from typing import Any

from ..extras import EXTRAS
from ..i18n import _
from ..values import clean_text, label_key
from .account import known_labels
from .evidence import NONE_TEXT, Evidence, matches, own_cells
from .grid import CellError, NotComputed
from .locate import Levels, Located

FIELDS = "字段"
MAX_LABEL = 16  # characters of a label (without its colon): a longer text is a value or a sentence
_COLON = re.compile(r"[:：]")
_NOT_LABEL = re.compile(r"[\d，。；;,、!！?？…]")

Cell = tuple[int, str, Any]  # col, text, raw


def keep_pairs(ev: Evidence, found: Located, levels: Levels, data: dict[str, Any]) -> None:
    """Put each certain label/value pair above the indicator block in ``附加.字段``."""
    pairs = _Pairs(ev, levels, known_labels(ev), _missed_labels(ev, found, data))
    for r in _header_rows(ev, found):
        run: list[Cell] = []
        for cell in [*own_cells(ev.grid, r), None]:
            if cell is not None and pairs.free(r, cell):
                run.append(cell)
                continue
            pairs.pair_run(r, run)
            run = []


def _header_rows(ev: Evidence, found: Located) -> list[int]:
    """The rows below the title and above the indicator block, but rows of amount column headers."""
    end = found.header if found.header is not None else found.start
    top = found.title[0] if found.title else -1
    heads = [lab for b in ev.spec.amounts for lab in (b.corner, *(lab for _, lab in b.columns))]
    out, headings = [], _label_rows(ev, found)
    for r in found.top_rows:
        if top < r < end and r not in headings:
            texts = [t for _, t, _ in own_cells(ev.grid, r)]
            if not any(matches(t, lab) is not None for t in texts for lab in heads if lab.text):
                out.append(r)
    return out


def _label_rows(ev: Evidence, found: Located) -> set[int]:
    """Rows of field labels whose values stand under them (预期目标 | 实际完成情况): every text
    on such a row is a heading, never a value."""
    out = set()
    for cell, hit in found.fields:
        if hit is not None and cell.key:
            beside = {ev.grid.where(hit[0], c) for c in ev.grid.cols(hit[0])}
            if ev.cells.get(cell.key) not in beside:
                out.add(hit[0])
    return out


def _missed_labels(ev: Evidence, found: Located, data: dict[str, Any]) -> list[str]:
    """Label keys of the template's fields and amount rows the reader left empty: a label that
    starts with one of them may be its unrecognized spelling, so its value is never taken."""
    out = [label_key(s) for cell, hit in found.fields if hit is None for s in cell.label.spellings]
    for block in ev.spec.amounts:
        table = data.get(block.key) or {}
        for key, label in block.row_labels:
            if all(v is None for v in (table.get(key) or {}).values()):
                out += [label_key(s) for s in label.spellings]
    return [k for k in out if k]


class _Pairs:
    """Pairing the runs of one form's header rows."""

    def __init__(self, ev: Evidence, levels: Levels, known: set[str], missed: list[str]):
        self.ev, self.levels, self.known, self.missed = ev, levels, known, missed
        self.stop_words = [label_key(w) for w in ev.spec.framework.reading.stop_words]
        self.spellings = [label_key(s) for lab in ev.spec.labels for s in lab.spellings]

    def _known(self, text: str) -> bool:
        if label_key(text) in self.known or self.levels.of(text) is not None:
            return True
        return any(matches(text, lab) is not None for lab in self.ev.spec.labels)

    def free(self, r: int, cell: Cell) -> bool:
        """A cell no part of the reader took or knows: it may be a label or a value."""
        c, text, raw = cell
        if (r, c) in self.ev.used or isinstance(raw, (NotComputed, CellError)):
            return False
        return not self._known(_COLON.sub("", text) if _ends_colon(text) else text)

    def label(self, text: str) -> str | None:
        """The label a text is (colon and whitespace removed), or None if it is none."""
        name = "".join(clean_text(text).split()).rstrip(":：")
        key = label_key(name)
        if not 2 <= len(key) <= MAX_LABEL or _NOT_LABEL.search(key) or NONE_TEXT.match(key) or _COLON.search(key):
            return None
        if self._known(name) or any(w in key for w in self.stop_words):
            return None
        if any(key.startswith(m) for m in self.missed) or any(s.startswith(key) for s in self.spellings):
            return None  # the start of a template label (其中：…), or a label the reader missed
        return name

    def value(self, text: str) -> bool:
        """A text that can be a value: no seal or signature line (``（盖章）``)."""
        return not any(w in label_key(text) for w in self.stop_words)

    def pair_run(self, r: int, run: list[Cell]) -> None:
        plain: list[Cell] = []
        i = 0
        while i < len(run):
            c, text, raw = run[i]
            if self._labelled(text, raw):  # 'label：value' or 'label：': never one of a plain pair
                self._plain(r, plain)
                plain = []
                inline = _inline(text)
                if inline is not None and self.value(inline[1]):
                    self._keep(r, c, inline[0], r, c, inline[1])
                after = run[i + 1] if i + 1 < len(run) and inline is None else None
                if after is not None and not self._labelled(after[1], after[2]) and self.value(after[1]):
                    self._keep(r, c, text, r, after[0], after[1])
                    i += 1
            else:
                plain.append(run[i])
            i += 1
        self._plain(r, plain)

    def _labelled(self, text: str, raw: Any) -> bool:
        """A cell that starts with a label and its colon (a colon inside a value does not count)."""
        if not isinstance(raw, str):
            return False
        inline = _inline(text)
        return bool(self.label(inline[0]) if inline is not None else _ends_colon(text) and self.label(text))

    def _plain(self, r: int, cells: list[Cell]) -> None:
        """Cells without a colon: two by two, when all of them pair."""
        if not cells or len(cells) % 2:
            return
        heads = cells[::2]
        if not all(isinstance(raw, str) and self.label(text) for _, text, raw in heads):
            return
        if not all(self.value(text) for _, text, _ in cells[1::2]):
            return
        for (c, text, _raw), (vc, value, _vraw) in zip(heads, cells[1::2], strict=True):
            self._keep(r, c, text, r, vc, value)

    def _keep(self, r: int, c: int, text: str, vr: int, vc: int, value: str) -> None:
        ev, label = self.ev, self.label(text)
        assert label is not None
        held = ev.extras.setdefault(FIELDS, {})
        if label in held:
            return  # the same label twice: the second stays for the accounting
        held[label] = clean_text(value)
        ev.record(f"{EXTRAS}.{FIELDS}.{label}", vr, vc)
        message = _("{label!r} has no key in the {template}; its value kept in {path}").format(
            label=label, template=ev.spec.name, path=f"{EXTRAS}.{FIELDS}"
        )
        ev.guess(r, c, message, "kept")


def _ends_colon(text: str) -> bool:
    return clean_text(text).endswith((":", "："))


def _inline(text: str) -> tuple[str, str] | None:
    """(label, value) of a cell holding both, ``预算单位：奉节县…`` (one colon, text after it)."""
    text = clean_text(text)
    parts = _COLON.split(text)
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        return None
    return parts[0].strip(), parts[1].strip()
