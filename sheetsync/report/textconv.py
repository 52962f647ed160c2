"""Forms as stable lines for ``git diff`` (a textconv filter)."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Form
from .describe import value_text


def textconv_lines(forms: Iterable[Form]) -> str:
    """One stable line per field, amount and indicator, so ``git diff`` shows real changes."""
    out: list[str] = []
    for form in forms:
        spec = form.spec
        name = form.name
        for key in spec.text_keys:
            out.append(f"[{name}] {key} = {_one_line(form[key])}")
        for block in spec.amounts:
            for rk, _ in block.row_labels:
                for ck, _ in block.columns:
                    out.append(f"[{name}] {block.key}/{rk}/{ck} = {value_text(form[block.key][rk][ck])}")
        ind = spec.indicators
        keys = [ind.level(1).key, ind.level(2).key, ind.name.key]
        seen: dict[tuple, int] = {}
        for row in form.indicators:
            path = tuple(row[k] for k in keys)
            seen[path] = seen.get(path, 0) + 1
            suffix = f" #{seen[path]}" if seen[path] > 1 else ""
            for col in ind.values:  # one line per value; a form with several names the column
                column = f" [{col.key}]" if len(ind.values) > 1 else ""
                value = value_text(row[col.key]) if col.number else _one_line(row[col.key])
                out.append(f"[{name}] {ind.key}/{'/'.join(path)}{suffix}{column} = {value}")
        for block in spec.totals:
            for cell in block.cells:
                out.append(f"[{name}] {block.key}/{cell.key} = {value_text(form[block.key][cell.key])}")
    return "\n".join(out) + "\n"


def _one_line(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")
