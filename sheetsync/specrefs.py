"""Checks across a loaded spec: what its totals, limits and carry-over name must be columns
and values the spec has. A :class:`SpecError` names the file and the key otherwise."""

from __future__ import annotations

from .errors import SpecError
from .i18n import _
from .spec import Spec, TotalBlock


def check_references(spec: Spec, src: str) -> None:
    """Totals and limits must name columns of numbers the spec has."""
    numbers = {(b.key, k) for b in spec.amounts for k, _unused in b.columns}
    numbers |= {(spec.indicators.key, c.key) for c in spec.indicators.columns if c.number}
    for i, b in enumerate(spec.blocks):
        for j, cell in enumerate(b.cells if isinstance(b, TotalBlock) else ()):
            for ref in cell.sums:
                if ref not in numbers:
                    raise SpecError(
                        _("'{column}' is not a column of numbers").format(column=".".join(ref)),
                        file=src,
                        where=f"blocks[{i}].cells[{j}].sum",
                    )
    co = spec.carry_over
    if co is not None:  # what it fills must be this spec's (the source is checked when used)
        inputs = {(b.key, rk, ck) for b in spec.amounts for rk, _unused in b.row_labels for ck in b.inputs}
        bad = [f"fields.{k}" for k in co.fields if k not in spec.text_keys]
        bad += [f"amounts.{'.'.join(t)}" for t in co.amounts if t not in inputs]
        bad += [f"indicators.{k}" for k in co.indicators if k not in {c.key for c in spec.indicators.columns}]
        if bad:
            raise SpecError(
                _("'{bad}' is not a value of this template").format(bad=bad[0]), file=src, where=f"carry_over.{bad[0]}"
            )
    ind = spec.indicators
    for c in ind.columns:
        limit = c.number.at_most if c.number else None
        if limit and not any(o.key == limit and o.number for o in ind.columns):
            raise SpecError(
                _("at_most '{limit}' is not a column of numbers").format(limit=limit),
                file=src,
                where=f"{ind.key}.{c.key}",
            )
    for b in spec.amounts:
        for k, _unused in b.columns:
            limit = b.column(k).at_most
            if limit and limit not in dict(b.columns):
                raise SpecError(
                    _("at_most '{limit}' is not a column of the block").format(limit=limit),
                    file=src,
                    where=f"{b.key}.{k}",
                )
