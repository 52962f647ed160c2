"""Nothing dropped silently: every non-empty cell of a form read by meaning ends in the data
(a value or its ``附加``), is a label the reader recognized, or is named by a warning."""

from __future__ import annotations

from ..i18n import _
from ..values import label_key
from .columns import split_weight
from .evidence import NONE_TEXT, Evidence, own_cells
from .locate import Levels, Located


def known_labels(ev: Evidence) -> set[str]:
    """The label keys of everything the reader recognizes as a form's own wording."""
    spec, words = ev.spec, ev.spec.framework.reading
    texts = [s for label in spec.labels for s in label.spellings]
    texts += [spec.indicators.label.text, *spec.titles, spec.title]
    texts += [*words.sequence, *words.comparator, *words.unit, *words.value, *words.weights]
    texts += [*words.long_goals, *words.long_sets]
    return {label_key(t) for t in texts if t}


def account(ev: Evidence, found: Located, levels: Levels) -> None:
    """A ``not_read`` warning for each non-empty cell that ended nowhere."""
    known = known_labels(ev)
    header = found.table.header if found.table else found.header
    last = found.table.last if found.table else found.header
    for r in ev.grid.rows:
        if header is not None and header <= r <= (last or header):
            continue  # the indicator header: every cell a column's name
        for c, text, _raw in own_cells(ev.grid, r):
            if (r, c) in ev.used:
                continue
            if NONE_TEXT.match(text.strip()):
                continue  # struck out on purpose: a cell that says it holds nothing
            key = label_key(text)
            name = split_weight(text)[0]
            if key in known or levels.of(name) or any(key.startswith(k) for k in known if len(k) > 1):
                continue
            ev.guess(r, c, _("{text!r} was read into no value; check it").format(text=text[:40]), "not_read")
