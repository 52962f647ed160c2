"""Cell values as the form means them.

- :func:`clean_text`: the contract's normal form for any text (no surrounding whitespace).
- :func:`clean_target`: the normal form of a 指标值 (half-width digits and ``%`` too).
- :func:`shown_number`: the text Excel shows for a number in a given number format,
  so ``0.9`` formatted as a percent reads as ``90%``.
- :func:`label_key`: a label reduced for matching (whitespace and full/half width ignored).
"""

from __future__ import annotations

import math
import re
import unicodedata

# Whitespace that Excel users type or paste: ASCII, ideographic space, NBSP, zero-width.
_SPACE = " \t\n\r\f\v\u3000\u00a0\u200b\ufeff"

_FULLWIDTH_TARGET = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%", "．": ".", "，": ","})


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


_DECIMALS = re.compile(r"0(?:\.(0+))?")


def _decimals(fmt: str) -> int | None:
    """Decimal places a fixed format like ``0.00`` or ``0.0%`` shows; None for General."""
    section = fmt.split(";")[0]
    section = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", section)
    found = list(_DECIMALS.finditer(section))
    if not found:
        return None
    return len(found[-1].group(1) or "")


def shown_number(value: float | int, fmt: str = "General") -> str:
    """The text a spreadsheet shows for ``value`` under number format ``fmt``.

    Percent formats multiply by 100 (``0.9`` in ``0%`` is ``90%``); fixed formats round to
    their decimals; General shows up to 15 significant digits, as Excel does.
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    fmt = fmt or "General"
    section = re.sub(r'"[^"]*"|\\.', "", fmt.split(";")[0])
    percent = "%" in section
    if percent:
        value = value * 100
    places = _decimals(fmt) if fmt != "General" else None
    if places is None:
        text = _general(value)
    else:
        text = f"{value:.{places}f}"
    return text + "%" if percent else text


def _general(value: float | int) -> str:
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e15):
        return str(int(value))
    return f"{value:.15g}"


def number_text(text: str) -> int | float:
    """An xlsx ``<v>`` number as int when it is written as one, else float."""
    try:
        return int(text)
    except ValueError:
        return float(text)
