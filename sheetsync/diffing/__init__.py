"""What changed between two versions of a set of forms, keyed by what each value *is*.

The diff runs in stages, each returning data: :mod:`.align` pairs old and new forms, then
their indicators (:class:`~.align.Pairing`); :mod:`.compare` compares the paired values by
meaning into one :class:`Diff` of :class:`Change` records; ``sheetsync.report`` turns a
Diff into terminal, JSON, Markdown, CSV or xlsx output.
"""

from .align import Alignment, Pairing, align, align_forms, align_indicators
from .changes import KINDS, Change, Diff
from .compare import compare, compare_targets, diff_forms

__all__ = [
    "KINDS",
    "Alignment",
    "Change",
    "Diff",
    "Pairing",
    "align",
    "align_forms",
    "align_indicators",
    "compare",
    "compare_targets",
    "diff_forms",
]
