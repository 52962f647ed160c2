"""The words a reader recognizes a foreign form by, beyond its template's labels: data, never code.

A :class:`Vocabulary` is the ``reading`` section of the indicator framework file
(``templates/framework.yaml``; a province's own file brings its own) plus the ``titles`` of
each spec. It says which rows end an indicator block (合计, 填表人, 盖章 …), which texts are
template placeholders (``指标1：``, ``……``), which header cells are a 序号, the parts of a
split 指标值 (指标性质 | 指标值 | 度量单位), the amount units a form may print in and their
factor to the contract's 万元, which sheet names hold no form, and the labels of a goal or an
indicator set for a longer period than the form's year (长期目标, 中期绩效指标). templates/README.md
documents every key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .errors import SpecError
from .i18n import _
from .values import clean_text, label_key


@dataclass(frozen=True)
class Vocabulary:
    """Reading words; every text is compared by its label key (whitespace and width blind)."""

    stop_rows: tuple[str, ...] = ()  # a row whose first text starts so ends the indicator block
    stop_words: tuple[str, ...] = ()  # a row whose first text holds one of these ends it too (盖章)
    placeholders: tuple[str, ...] = ()  # regular expressions of placeholder texts (whole text)
    sequence: tuple[str, ...] = ()  # header texts of a 序号 column
    comparator: tuple[str, ...] = ()  # header texts of a column of comparators (指标性质, 指标方向)
    unit: tuple[str, ...] = ()  # header texts of a unit column (度量单位, 计量单位)
    value: tuple[str, ...] = ()  # header texts of the value part of a split 指标值 (目标值)
    kinds: tuple[str, ...] = ()  # words in a comparator column that are no comparator (定量, 定性)
    directions: tuple[str, ...] = ()  # words of a direction column (正向, 反向)
    weights: tuple[str, ...] = ()  # header texts of a weight column (分值, 权重)
    units: dict[str, float] = field(default_factory=dict)  # amount unit -> factor to 万元
    not_forms: tuple[str, ...] = ()  # words in a sheet name of a sheet that is not a form
    long_goals: tuple[str, ...] = ()  # labels of a goal for longer than the year (长期目标, 中期目标)
    long_sets: tuple[str, ...] = ()  # labels of an indicator set for longer than the year (长期绩效指标)

    def is_stop(self, text: str) -> bool:
        key = label_key(text)
        return any(key.startswith(label_key(w)) for w in self.stop_rows) or any(
            label_key(w) in key for w in self.stop_words
        )

    def is_placeholder(self, text: str) -> bool:
        key = label_key(text)
        return any(re.fullmatch(p, key) for p in self.placeholders)

    def long_set(self, text: str) -> bool:
        """Whether ``text`` labels an indicator set of a longer period (``中期绩效指标(2023-2025年)``)."""
        key = label_key(text)
        return any(key == label_key(w) or key.startswith(label_key(w) + "(") for w in self.long_sets)

    def role(self, header: str) -> str | None:
        """'sequence', 'comparator', 'unit', 'value' or 'weight' for a header text, else None."""
        key = label_key(header)
        for role in ("sequence", "comparator", "unit", "value", "weight"):
            words = getattr(self, role if role != "weight" else "weights")
            if any(key == label_key(w) or key.startswith(label_key(w) + "(") for w in words):
                return role
        return None


_COMPARATOR = re.compile(r"^(?:[≥≤><=＞＜＝≧≦═]{1,2}|不低于|不高于|不少于|不多于|大于|小于|等于|以上|以下)$")
_SPLIT = re.compile(r"^(?P<comparator>[≥≤><=＞＜＝≧≦]{1,2})?(?P<value>[+-]?\d+(?:\.\d+)?)(?P<unit>\D.*)?$", re.S)


def compose(parts: list[tuple[str, str]], words: Vocabulary) -> str:
    """The 指标值 a row's printed parts mean: the comparator, the value, the unit (``≥`` ``95``
    ``%`` is ``≥95%``); words of kind (定量, 定性) or direction (正向) are no part of it, nor is
    a comparator column's text that is no comparison."""
    skip = {label_key(w) for w in (*words.kinds, *words.directions)}
    comparator = value = unit = ""
    for role, text in parts:
        text = clean_text(text)
        if not text or label_key(text) in skip:
            continue
        if role == "comparator" and _COMPARATOR.match(label_key(text)) and not comparator:
            comparator = text
        elif role == "value":
            value = text
        elif role == "unit":
            unit = text
    if not value:
        return ""
    return f"{comparator}{value}{unit}"


def split_value(text: str, words: Vocabulary, roles: tuple[str, ...] = ("comparator", "value", "unit")) -> dict:
    """A 指标值 in parts by role (of ``roles``) that :func:`compose` gives back exactly:
    ``≥95%`` is ``≥`` ``95`` ``%``; a text that is no number with a unit (``优``, ``按期完成``),
    or one needing a part the form does not print, is all value."""
    m = _SPLIT.match(text)
    if m is not None:
        parts = {role: m.group(role) or "" for role in ("comparator", "value", "unit")}
        if all(r in roles or not v for r, v in parts.items()) and compose(list(parts.items()), words) == text:
            return {r: parts[r] for r in roles}
    return {r: text if r == "value" else "" for r in roles}


def load_vocabulary(data: Any, src: str) -> Vocabulary:
    """The ``reading`` section of a framework file; SpecError names the key otherwise."""
    if data is None:
        return Vocabulary()
    if not isinstance(data, dict):
        raise SpecError(_("expected a mapping of reading words"), file=src, where="reading")

    def words(key: str) -> tuple[str, ...]:
        value = data.get(key) or []
        if not isinstance(value, list):
            raise SpecError(_("expected a list of words"), file=src, where=f"reading.{key}")
        return tuple(str(v) for v in value)

    for p in words("placeholders"):
        try:
            re.compile(p)
        except re.error as e:
            raise SpecError(
                _("not a regular expression: {error}").format(error=e), file=src, where="reading.placeholders"
            ) from None
    units = data.get("units") or {}
    if not isinstance(units, dict) or not all(isinstance(v, (int, float)) for v in units.values()):
        raise SpecError(_("expected unit -> factor to 万元 (a number)"), file=src, where="reading.units")
    return Vocabulary(
        words("stop_rows"),
        words("stop_words"),
        words("placeholders"),
        words("sequence"),
        words("comparator"),
        words("unit"),
        words("value"),
        words("kinds"),
        words("directions"),
        words("weights"),
        {str(k): float(v) for k, v in units.items()},
        words("not_forms"),
        words("long_goals"),
        words("long_sets"),
    )
