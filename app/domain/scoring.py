"""Checks of one member's score at input (§3.5: range and step), shared by the case parser and the
scoring grid, so a score the GUI accepts is one the rule engine accepts."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from app.errors import Bilingual

from .case import Criterion

_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class ScoreProblem(Bilingual, ValueError):
    """Why a typed score is refused, in Chinese (for the room) and English (for logs and the CLI)."""


def check_score(criterion: Criterion, text: str) -> Decimal:
    """The score as a Decimal, or :class:`ScoreProblem` when it is not a decimal, outside
    [0, max] or off the criterion's step."""
    if not _DECIMAL.fullmatch(text):
        raise ScoreProblem(key="score.not_decimal", text=text)
    score = Decimal(text)
    if score < 0:
        raise ScoreProblem(key="score.below_zero", text=text, criterion=criterion.name)
    if score > criterion.max:
        raise ScoreProblem(key="score.above_max", text=text, max=criterion.max, criterion=criterion.name)
    if criterion.step is not None and (Fraction(score) / Fraction(criterion.step)).denominator != 1:
        raise ScoreProblem(key="score.off_step", text=text, step=criterion.step, criterion=criterion.name)
    return score
