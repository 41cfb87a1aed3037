"""Checks of one member's score at input (§3.5: range and step), shared by the case parser and the
scoring grid, so a score the GUI accepts is one the rule engine accepts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from app.errors import Bilingual

from .case import Criterion

_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


@dataclass(frozen=True)
class ScoreProblem(Bilingual, ValueError):
    """Why a typed score is refused, in Chinese (for the room) and English (for logs and the CLI)."""

    zh: str
    en: str


def check_score(criterion: Criterion, text: str) -> Decimal:
    """The score as a Decimal, or :class:`ScoreProblem` when it is not a decimal, outside
    [0, max] or off the criterion's step."""
    shown = f'"{text}"'
    if not _DECIMAL.fullmatch(text):
        raise ScoreProblem(f"“{text}”不是有效的分值，请输入数字", f"{shown} is not a decimal string")
    score = Decimal(text)
    if score < 0:
        raise ScoreProblem(f"分值不能小于 0（{criterion.name}）", f"{shown} is below the minimum 0")
    if score > criterion.max:
        raise ScoreProblem(f"分值 {text} 超过本项满分 {criterion.max} 分（{criterion.name}）",
                           f"{shown} is above the maximum {criterion.max}")
    if criterion.step is not None and (Fraction(score) / Fraction(criterion.step)).denominator != 1:
        raise ScoreProblem(f"分值 {text} 不符合本项的分值步长 {criterion.step}（{criterion.name}）",
                           f"{shown} is not a multiple of the step {criterion.step}")
    return score
