"""The text a spreadsheet shows for a number under a number format.

Covers what forms carry: fixed decimals, grouping (``#,##0``), percent, literal text
(``0"件"``, ``0\\元``), sections for negatives and zero, scientific notation, and dates and
times (built-in ids and custom codes such as ``yyyy"年"m"月"``, 1900 and 1904 workbooks).
Rounding is half away from zero on the decimal digits the number shows, as Excel and
LibreOffice round (0.125 in ``0%`` shows ``13%``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal

# Built-in ids whose code depends on the locale: what a Chinese (zh-CN) Excel shows.
# ECMA-376 Part 1, 18.8.30, the zh-cn table; 14 and 22 as zh-CN Excel shows them.
EAST_ASIAN_FORMATS = {
    14: "yyyy/m/d",
    22: "yyyy/m/d h:mm",
    27: 'yyyy"年"m"月"',
    28: 'm"月"d"日"',
    29: 'm"月"d"日"',
    30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"',
    33: 'h"时"mm"分"ss"秒"',
    34: '上午/下午h"时"mm"分"',
    35: '上午/下午h"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"',
    50: 'yyyy"年"m"月"',
    51: 'm"月"d"日"',
    52: 'yyyy"年"m"月"',
    53: 'm"月"d"日"',
    54: 'm"月"d"日"',
    55: '上午/下午h"时"mm"分"',
    56: '上午/下午h"时"mm"分"ss"秒"',
    57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}
# openpyxl's table leaves the section separators out of the accounting formats
ACCOUNTING_FORMATS = {
    41: '_(* #,##0_);_(* \\(#,##0\\);_(* "-"_);_(@_)',
    42: '_("$"* #,##0_);_("$"* \\(#,##0\\);_("$"* "-"_);_(@_)',
    43: '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)',
    44: '_("$"* #,##0.00_);_("$"* \\(#,##0.00\\);_("$"* "-"??_);_(@_)',
}


def builtin_format(fid: int) -> str:
    """A built-in number format by id (9 is ``0%``, 31 is ``yyyy"年"m"月"d"日"``)."""
    if fid in EAST_ASIAN_FORMATS or fid in ACCOUNTING_FORMATS:
        return EAST_ASIAN_FORMATS.get(fid) or ACCOUNTING_FORMATS[fid]
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    return BUILTIN_FORMATS.get(fid, "General")


# A format code split into tokens: quoted text, escaped characters, [brackets], or one character.
_TOKEN = re.compile(r'"[^"]*"?|\\.|\[[^\]]*\]?|_.|\*.|AM/PM|am/pm|A/P|a/p|上午/下午|.', re.S)
_DATE_CHARS = set("yYmMdDhHsSeEaAgGbB")


def _tokens(section: str) -> list[str]:
    return _TOKEN.findall(section)


def _literal(token: str) -> str | None:
    """The text a literal token shows; None for tokens that are placeholders or codes."""
    if token.startswith('"'):
        return token[1:-1] if token.endswith('"') and len(token) > 1 else token[1:]
    if token.startswith("\\"):
        return token[1:]
    if token.startswith("_"):
        return " "  # room the width of a character
    if token.startswith("*"):
        return ""  # fill: nothing at a cell's natural width
    if token.startswith("["):
        return ""  # colour, condition, locale: shown as nothing
    return None


def _sections(fmt: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    for tok in _tokens(fmt):
        if tok == ";":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(tok)
    out.append("".join(cur))
    return out


def is_date_format(fmt: str) -> bool:
    """True when the format shows a date or a time (codes outside quotes and brackets)."""
    section = _sections(fmt)[0]
    for tok in _tokens(section):
        if tok.startswith("[") and re.fullmatch(r"\[(h+|m+|s+)\]", tok, re.I):
            return True
        if _literal(tok) is None and (tok[0] in _DATE_CHARS or tok in ("上午/下午",)):
            if tok.lower() in ("e",) and re.search(r"[0#?]", section):
                continue  # the E of scientific notation
            if tok in ("General",):
                continue
            return True
    return False


def shown_number(value: float | int | bool, fmt: str = "General", date1904: bool = False) -> str:
    """The text a spreadsheet shows for ``value`` under number format ``fmt``."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    fmt = fmt or "General"
    sections = _sections(fmt)
    if len(sections) > 1 and value < 0:
        section, value = sections[1], -value
    elif len(sections) > 2 and value == 0:
        section = sections[2]
    else:
        section = sections[0]
    neg_sign = "-" if value < 0 and (len(sections) == 1 or section is sections[0]) else ""
    codes = [t for t in _tokens(section) if _literal(t) is None]
    if not codes or "".join(codes).lower() in ("general", "@"):
        text = "".join(_literal(t) or "" for t in _tokens(re.sub("(?i)general|@", "", section)))
        return text + neg_sign + _general(abs(value)) if codes or not section else text
    if is_date_format(section):
        return _date(value, section, date1904)
    return neg_sign + _number(abs(value), section)


def _general(value: float | int) -> str:
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e15):
        return str(int(value))
    return f"{value:.15g}"


def _round(value: float | int, places: int) -> Decimal:
    """``value`` to ``places`` decimals, half away from zero on its 15 significant digits."""
    d = Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _number(value: float | int, section: str) -> str:
    tokens = _tokens(section)
    value = value * 100 ** sum(t == "%" for t in tokens)
    places_at = [i for i, t in enumerate(tokens) if t in ("0", "#", "?")]
    if not places_at:  # no digits at all: only text
        return "".join(_shown(t) for t in tokens)
    first, last = places_at[0], places_at[-1]
    if any(t in ("E+", "E-", "e+", "e-", "E", "e") for t in tokens[first:]):
        return _scientific(value, tokens)
    if "/" in tokens[first : last + 1]:
        return _general(value)  # fractions: no form uses them; show the number
    j = last + 1
    while j < len(tokens) and tokens[j] == ",":
        j += 1
    value = value / 1000 ** (j - last - 1)  # trailing commas scale by thousands
    body = [t for t in tokens[first : last + 1] if t in ("0", "#", "?", ".", ",")]
    int_pat, dot, frac_pat = "".join(body).partition(".")
    grouping = "," in int_pat
    int_pat, frac_pat = int_pat.replace(",", ""), frac_pat.replace(",", "")
    whole, _, frac = f"{_round(value, len(frac_pat)):f}".partition(".")
    frac = frac.ljust(len(frac_pat), "0")
    keep = len(frac)
    while keep and frac_pat[keep - 1] != "0" and frac[keep - 1] == "0":
        keep -= 1  # optional decimals (# and ?) drop trailing zeros
    frac = frac[:keep]
    whole = whole.lstrip("0").rjust(int_pat.count("0"), "0")
    if grouping and whole:
        whole = f"{int(whole):,}"
    inner = "".join(_literal(t) or "" for t in tokens[first : last + 1])
    return "".join(map(_shown, tokens[:first])) + whole + dot + frac + inner + "".join(map(_shown, tokens[j:]))


def _shown(token: str) -> str:
    lit = _literal(token)
    if lit is not None:
        return lit
    return "" if token in (",", "0", "#", "?") else token


def _scientific(value: float | int, tokens: list[str]) -> str:
    code = "".join(t for t in tokens if _literal(t) is None)
    m = re.search(r"([0#?.,]*)[Ee]([+-]?)([0#?]+)", code)
    if not m:
        return _general(value)
    places = len(m.group(1).partition(".")[2])
    base, _, e = f"{value:.{places}E}".partition("E")
    sign = "-" if int(e) < 0 else ("+" if m.group(2) == "+" else "")
    return f"{base}E{sign}{abs(int(e)):0{len(m.group(3))}d}"


# ---------------------------------------------------------------- dates

_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
_WEEKDAYS_ZH = "一二三四五六日"
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def serial_datetime(serial: float, date1904: bool = False) -> dt.datetime:
    """A spreadsheet serial number as a date and time (1900 system counts a 29 Feb 1900)."""
    if date1904:
        base = _EPOCH_1904
    else:
        base = _EPOCH_1900 if serial >= 61 else dt.datetime(1899, 12, 31)
    # round to the millisecond first, as spreadsheets do, so 0.999999999 is not 23:59:59
    ms = round(serial * 86_400_000)
    return base + dt.timedelta(milliseconds=ms)


def datetime_serial(value: dt.datetime, date1904: bool = False) -> float:
    """The serial number a spreadsheet stores for ``value``."""
    base = _EPOCH_1904 if date1904 else _EPOCH_1900
    days = (value - base).total_seconds() / 86_400
    if not date1904 and days < 61:
        days -= 1
    return int(days) if days.is_integer() else days


def _date(value: float | int, section: str, date1904: bool) -> str:
    if value < 0 or value > 2_958_465:  # before the epoch or after 9999-12-31: shown as ####
        return "#" * 8
    tokens = _tokens(section)
    ampm = any(t.upper() in ("AM/PM", "A/P") or t == "上午/下午" for t in tokens)
    frac_digits = 0
    for i, t in enumerate(tokens):
        if t == "." and i + 1 < len(tokens) and tokens[i + 1] == "0":
            k = i + 1
            while k < len(tokens) and tokens[k] == "0":
                k += 1
            frac_digits = k - i - 1
    when = serial_datetime(round(value * 86_400 * 10**frac_digits) / (86_400 * 10**frac_digits), date1904)
    if frac_digits == 0:
        # seconds shown are rounded, not cut (12:00:59.6 shows 12:01:00)
        when = serial_datetime(round(value * 86_400) / 86_400, date1904)
    out: list[str] = []
    i, n = 0, len(tokens)
    prev_time = False  # an h just before makes m a minute
    while i < n:
        t = tokens[i]
        lit = _literal(t)
        if t.startswith("["):
            m = re.fullmatch(r"\[(h+|m+|s+)\]", t, re.I)
            if m:
                unit = m.group(1)[0].lower()
                secs = round(value * 86_400)
                amount = secs // 3600 if unit == "h" else secs // 60 if unit == "m" else secs
                out.append(str(amount).rjust(len(m.group(1)), "0"))
                prev_time = unit == "h"
            i += 1
            continue
        if lit is not None:
            out.append(lit)
            i += 1
            continue
        ch = t.lower()
        if ch in "ymdhsabeg" and len(t) == 1 and t.isascii():
            j = i
            while j < n and tokens[j].lower() == ch:
                j += 1
            run = j - i
            out.append(_date_part(ch, run, when, tokens, i, j, prev_time, ampm))
            if ch == "h":
                prev_time = True
            elif ch in "ymd":
                prev_time = False
            i = j
            continue
        if t.upper() in ("AM/PM", "A/P") or t == "上午/下午":
            pm = when.hour >= 12
            out.append({"上午/下午": ("上午", "下午"), "AM/PM": ("AM", "PM"), "A/P": ("A", "P")}[t.upper()][pm])
            i += 1
            continue
        if t == "." and i + 1 < n and tokens[i + 1] == "0":
            k = i + 1
            while k < n and tokens[k] == "0":
                k += 1
            ms = when.microsecond // 1000
            out.append("." + f"{ms:03d}"[: k - i - 1])
            i = k
            continue
        out.append(t)
        i += 1
    return "".join(out)


def _date_part(
    ch: str, run: int, when: dt.datetime, tokens: list[str], i: int, j: int, after_h: bool, ampm: bool
) -> str:
    if ch in ("y", "e"):
        return str(when.year) if run > 2 or ch == "e" else f"{when.year % 100:02d}"
    if ch == "m":
        later = [t.lower() for t in tokens[j:] if _literal(t) is None and t.lower() in "ymdhs" and len(t) == 1]
        if run <= 2 and (after_h or (later and later[0] == "s")):
            return f"{when.minute:0{run}d}"
        if run == 1:
            return str(when.month)
        if run == 2:
            return f"{when.month:02d}"
        name = when.strftime("%B")
        return name[:3] if run == 3 else name[0] if run == 5 else name
    if ch == "d":
        if run <= 2:
            return f"{when.day:0{run}d}"
        name = _WEEKDAYS_EN[when.weekday()]
        return name[:3] if run == 3 else name
    if ch == "a":  # aaa / aaaa: the weekday in Chinese
        return ("星期" if run > 3 else "") + _WEEKDAYS_ZH[when.weekday()]
    if ch == "h":
        hour = when.hour % 12 or 12 if ampm else when.hour
        return f"{hour:0{min(run, 2)}d}"
    if ch == "s":
        return f"{when.second:0{min(run, 2)}d}"
    return "".join(tokens[i:j])
