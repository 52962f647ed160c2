"""ODS data styles (``number:percentage-style``, ``number:date-style``, …) as the
spreadsheet format codes that show a number the same way."""

from __future__ import annotations

from typing import Any

from .ooxml import _local

_NUMBER_STYLES = {
    "number-style",
    "percentage-style",
    "currency-style",
    "date-style",
    "time-style",
    "boolean-style",
    "text-style",
}


class StyleReader:
    """Collects data styles and which data style each cell style uses (styles.xml and the
    automatic styles of content.xml)."""

    def __init__(self, book: Any):
        self.book = book
        self.current: dict[str, Any] | None = None
        self.in_text = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = _local(tag)
        a = {_local(k): v for k, v in attrs.items()}
        if name in _NUMBER_STYLES:
            self.current = {"kind": name, "parts": [], "maps": []}
            self.book.data_styles[a.get("name", "")] = self.current
        elif name == "style" and a.get("family") == "table-cell" and "data-style-name" in a:
            self.book.cell_styles[a.get("name", "")] = a["data-style-name"]
        elif self.current is not None:
            if name == "map":
                self.current["maps"].append((a.get("condition", ""), a.get("apply-style-name", "")))
            elif name == "text" or name == "currency-symbol":
                self.current["parts"].append(["text", ""])
                self.in_text = True
            else:
                self.current["parts"].append([name, a])

    def end(self, tag: str) -> None:
        name = _local(tag)
        if name in _NUMBER_STYLES:
            self.current = None
        elif name in ("text", "currency-symbol"):
            self.in_text = False

    def chars(self, data: str) -> None:
        if self.current is not None and self.in_text:
            self.current["parts"][-1][1] += data


def format_code(styles: dict[str, dict[str, Any]], name: str, depth: int = 0) -> str:
    """A data style as a spreadsheet format code; conditional maps become sections."""
    style = styles.get(name)
    if style is None:
        return "General"
    code = "".join(_part_code(kind, a, style["kind"]) for kind, a in style["parts"])
    code = code or "General"
    if depth == 0 and style["maps"]:
        # LibreOffice writes the sections of a code as maps to styles of their own; the style
        # itself is the section no map takes (the negative one, or zero)
        by_cond = {c.replace(" ", ""): format_code(styles, s, 1) for c, s in style["maps"]}
        if "value()>=0" in by_cond:
            return by_cond["value()>=0"] + ";" + code
        if "value()>0" in by_cond:
            return ";".join([by_cond["value()>0"], by_cond.get("value()<0", code), code])
        if "value()<0" in by_cond:
            return code + ";" + by_cond["value()<0"]
    return code


def _part_code(kind: str, a: Any, style_kind: str) -> str:
    if kind == "text":
        if style_kind == "percentage-style" and "%" in a:
            return '"' + a.replace("%", '"%"') + '"'
        return '"' + a.replace('"', "") + '"' if a else ""
    if kind == "number":
        if (
            "decimal-places" not in a
            and a.get("grouping") != "true"
            and int(a.get("min-integer-digits", "1") or 0) <= 1
        ):
            return "General"  # LibreOffice's own General: as many decimals as the number has
        places = int(a.get("decimal-places", "0") or 0)
        min_places = int(a.get("min-decimal-places", str(places)) or 0)
        digits = int(a.get("min-integer-digits", "1") or 0)
        whole = "#,##0" if a.get("grouping") == "true" else "0" * max(digits, 1)
        if a.get("grouping") == "true" and digits > 1:
            whole = "#," + "0" * digits
        if digits == 0:
            whole = "#"
        frac = "0" * min_places + "#" * (places - min_places)
        return whole + ("." + frac if frac else "")
    if kind == "scientific-number":
        places = int(a.get("decimal-places", "0") or 0)
        return "0" + ("." + "0" * places if places else "") + "E+" + "0" * int(a.get("min-exponent-digits", "2") or 2)
    return _date_code(kind, a)


def _date_code(kind: str, a: Any) -> str:
    long = a.get("style") == "long"
    if kind == "year":
        return "yyyy" if long else "yy"
    if kind == "month":
        if a.get("textual") == "true":
            return "mmmm" if long else "mmm"
        return "mm" if long else "m"
    if kind == "day":
        return "dd" if long else "d"
    if kind == "day-of-week":
        return "aaaa" if long else "aaa"
    if kind == "hours":
        return "hh" if long else "h"
    if kind == "minutes":
        return "mm" if long else "m"
    if kind == "seconds":
        places = int(a.get("decimal-places", "0") or 0)
        return ("ss" if long else "s") + ("." + "0" * places if places else "")
    if kind == "am-pm":
        return "AM/PM"
    if kind == "boolean":
        return "General"
    if kind == "text-content":
        return "@"
    return ""
