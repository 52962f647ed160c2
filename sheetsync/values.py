"""Cell values as the form means them.

- :func:`clean_text`: the contract's normal form for any text (no surrounding whitespace).
- :func:`clean_target`: the normal form of a 指标值 (half-width digits and ``%`` too).
- :func:`shown_number`: the text Excel shows for a number in a given number format,
  so ``0.9`` formatted as a percent reads as ``90%``.
- :func:`label_key`: a label reduced for matching (whitespace and full/half width ignored).
- :func:`parse_target`: a 指标值 as comparator / number / unit, or a qualitative word.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Whitespace that Excel users type or paste: ASCII, ideographic space, NBSP, zero-width.
_SPACE = " \t\n\r\f\v\u3000\u00a0\u200b\ufeff"

_FULLWIDTH_TARGET = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%", "．": ".", "，": ","})


def display_width(text: str) -> int:
    """Columns a text takes on screen: CJK and other wide characters count two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clean_text(text: str) -> str:
    """Surrounding whitespace removed; inner line breaks are kept."""
    return text.strip(_SPACE)


def clean_target(text: str) -> str:
    """A 指标值 in normal form: trimmed, full-width digits, ``％`` and ``．`` made half-width."""
    return clean_text(text).translate(_FULLWIDTH_TARGET)


def label_key(text: str) -> str:
    """A label reduced for comparison: NFKC (full-width to half-width) and no whitespace."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "\u200b\ufeff")


def shown_number(value: float | int, fmt: str = "General", date1904: bool = False) -> str:
    """The text a spreadsheet shows for ``value`` under number format ``fmt``: percent formats
    multiply by 100 (``0.9`` in ``0%`` is ``90%``), dates show as dates, literal text and
    grouping as written (``#,##0"件"``); see :mod:`sheetsync.numfmt`."""
    from .numfmt import shown_number as shown

    return shown(value, fmt, date1904)


_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def number_text(text: str) -> int | float:
    """A number written as text (``<v>3</v>``, ``2050.20``): int when it is written as one.

    Only a finite number in the file format's own spelling is one: ``NaN``, ``inf``, ``1e400``
    and ``1_000`` raise ValueError."""
    if not _NUMBER.fullmatch(text):
        raise ValueError(text)
    if "." not in text and "e" not in text.lower():
        return int(text)
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


# ---------------------------------------------------------------- 指标值 semantics

_COMPARATOR_SIGNS = {"≥": "≥", ">=": "≥", "≧": "≥", "≤": "≤", "<=": "≤", "≦": "≤", ">": ">", "<": "<", "=": "="}
_COMPARATOR_WORDS = [  # (words before the number, words after it) -> comparator
    ("不低于", "≥"),
    ("不少于", "≥"),
    ("大于等于", "≥"),
    ("至少", "≥"),
    ("不小于", "≥"),
    ("不高于", "≤"),
    ("不多于", "≤"),
    ("不超过", "≤"),
    ("小于等于", "≤"),
    ("至多", "≤"),
    ("不大于", "≤"),
    ("高于", ">"),
    ("大于", ">"),
    ("超过", ">"),
    ("多于", ">"),
    ("低于", "<"),
    ("小于", "<"),
    ("少于", "<"),
    ("等于", None),
]
_SUFFIX_WORDS = [("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤")]
_TARGET = re.compile(r"^(?P<cmp>>=|<=|[≥≤≧≦<>=])?(?P<num>[-+]?\d[\d,]*(?:\.\d+)?)(?P<unit>.*)$")


@dataclass(frozen=True)
class Target:
    """A 指标值 understood: comparator, number and unit, or a qualitative word.

    ``≥ 85 %``, ``≥85%``, ``不低于85%`` and ``８５％以上`` are the same target. Two targets
    are the same when these parts are.
    """

    comparator: str | None = None
    number: Decimal | None = None
    unit: str = ""
    word: str | None = None

    @property
    def numeric(self) -> bool:
        return self.number is not None

    def key(self) -> tuple:
        return (self.comparator, self.number, self.unit, self.word)


def parse_target(text: str) -> Target:
    """Read a 指标值 into comparator / number / unit, or keep it as a qualitative word."""
    compact = "".join(unicodedata.normalize("NFKC", text).split())
    if not compact:
        return Target(word="")
    comparator = None
    for word, sign in _COMPARATOR_WORDS:
        if compact.startswith(word):
            comparator, compact = sign, compact[len(word) :]
            break
    for word, sign in _SUFFIX_WORDS:
        if compact.endswith(word) and comparator is None:
            comparator, compact = sign, compact[: -len(word)]
            break
    m = _TARGET.match(compact)
    if not m:
        return Target(word=clean_text(text))
    # "=85%" states the same target as "85%"
    sign = _COMPARATOR_SIGNS.get(m.group("cmp") or "", None)
    sign = None if sign == "=" else sign
    if sign and comparator and sign != comparator:
        return Target(word=clean_text(text))
    try:
        number = Decimal(m.group("num").replace(",", ""))
    except InvalidOperation:
        return Target(word=clean_text(text))
    return Target(sign or comparator, number.normalize() if number else Decimal(0), m.group("unit"))
