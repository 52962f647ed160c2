"""Grid -> form, by the template spec: the stages of reading one sheet.

Two ways of reading one grid, tried in order:

1. **Exact** (:mod:`.exact`): the grid still has the layout render writes (every label where
   the :class:`~sheetsync.layout.Layout` puts it). Values are read by position and merges
   decide the groups, so whatever ``render`` wrote comes back unchanged.
2. **By meaning** (:mod:`.locate` finds the blocks, :mod:`.indicators` reads the indicator
   rows, :mod:`.assemble` puts the form together): anything else (edited, foreign, text
   dumps). Every guess is reported as a :class:`Guess` with its cell.

Both take values through :class:`~.evidence.Evidence`, which keeps the cell each value came
from (the form's :class:`~sheetsync.model.Origin`) and every guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Guess
from ..i18n import _
from ..model import Form, Origin
from ..spec import Spec
from .assemble import read_by_meaning
from .exact import read_exact
from .grid import Grid


@dataclass
class Reading:
    """What reading one grid gave: the form (None for a sheet that is not one) and guesses."""

    form: Form | None
    guesses: list[Guess] = field(default_factory=list)
    exact: bool = False


def read_grid(grid: Grid, spec: Spec) -> Reading:
    """One grid -> its form (exactly, when it still has the spec's layout) and the guesses made."""
    found = read_exact(grid, spec)
    exact = found is not None
    if found is None:
        found = read_by_meaning(grid, spec)
    if found is None:
        return Reading(None, [Guess(_("not a form; skipped"), grid.source, grid.name, code="not_a_form")])
    form, evidence = found
    form.origin = Origin(grid.source, grid.name, evidence.cells, frozenset(evidence.text_numbers))
    return Reading(form, evidence.guesses, exact=exact)


__all__ = ["Reading", "read_grid"]
