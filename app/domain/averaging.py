"""Item scores from the members' scores (§3.4): plain mean, or drop one highest and one lowest."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from .case import Averaging
from .exact import exact, mean


def item_score(scores: Sequence[Decimal], averaging: Averaging) -> Fraction:
    """Mean of the members' scores; with ``trim: high_low`` and n ≥ ``min_members`` (R-SCR-5)
    one highest and one lowest score are dropped first."""
    values = sorted(exact(s) for s in scores)
    if averaging.trim == "high_low" and len(values) >= averaging.min_members:
        values = values[1:-1]
    return mean(values)
