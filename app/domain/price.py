"""Price scores (spec §8): low-price-first (R-MTH-6, §3.1) and benchmark deviation (§3.2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .case import PriceFormula, TrimRule
from .exact import exact, mean


@dataclass(frozen=True)
class PriceOutcome:
    benchmark: Fraction
    scores: dict[str, Fraction]


def evaluated_price(price: Decimal, sme: bool, deduction: Decimal | None, deduction_applies: bool) -> Fraction:
    """R-MTH-6/7: E = P × (1 − deduction) for a small/micro enterprise where the policy applies."""
    if sme and deduction_applies and deduction is not None:
        return exact(price) * (1 - exact(deduction))
    return exact(price)


def low_price_first(evaluated: Mapping[str, Fraction], formula: PriceFormula) -> PriceOutcome:
    """§3.1: benchmark = the lowest evaluated price (nothing dropped); score = points × benchmark / E."""
    benchmark = min(evaluated.values())
    points = exact(formula.points)
    return PriceOutcome(benchmark, {bid: points * benchmark / e for bid, e in evaluated.items()})


def trim_rule(rules: tuple[TrimRule, ...], count: int) -> TrimRule | None:
    """The trimming rule with the largest ``min_count`` not above the number of valid bids."""
    applicable = [r for r in rules if r.min_count <= count]
    return max(applicable, key=lambda r: r.min_count) if applicable else None


def benchmark_deviation(prices: Mapping[str, Decimal], formula: PriceFormula) -> PriceOutcome:
    """§3.2: Avg of the prices left after trimming; BM = Avg × (1 − K); D = (P − BM)/BM × 100;
    score = points − |D| × (per_pct_above if D > 0 else per_pct_below), not below the floor.
    Trimmed bids still get a score."""
    ordered = sorted(exact(p) for p in prices.values())
    rule = trim_rule(formula.trim, len(ordered))
    if rule is not None:
        ordered = ordered[rule.drop_low : len(ordered) - rule.drop_high]
    benchmark = mean(ordered) * (1 - exact(formula.k))
    points, floor = exact(formula.points), exact(formula.floor)
    scores: dict[str, Fraction] = {}
    for bid, price in prices.items():
        deviation = (exact(price) - benchmark) / benchmark * 100
        rate = exact(formula.per_pct_above) if deviation > 0 else exact(formula.per_pct_below)
        scores[bid] = max(floor, points - abs(deviation) * rate)
    return PriceOutcome(benchmark, scores)
