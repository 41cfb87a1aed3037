"""Exact arithmetic for scores and money.

Values enter and leave the rule engine as ``decimal.Decimal``. In between, every quotient
(means, price ratios, deviation rates) is carried as an exact ``fractions.Fraction`` built from
those Decimals, so nothing is rounded before the end: the spec rounds each *printed* value
half-up to 2 places, and a 28-digit Decimal context would already round intermediates.
Floats never appear.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

Exact = Fraction

def exact(value: Decimal | int) -> Fraction:
    """Turn a Decimal (or int) into an exact fraction."""
    if isinstance(value, float):  # defensive: floats would smuggle binary rounding in
        raise TypeError("floats are not allowed in the rule engine")
    return Fraction(value)


def to_decimal(value: Fraction, places: int = 2) -> Decimal:
    """Round an exact value half-up (away from zero on a tie) to ``places`` decimals."""
    scale = 10**places
    scaled = value * scale
    magnitude = abs(scaled)
    whole, rest = divmod(magnitude.numerator, magnitude.denominator)
    if 2 * rest >= magnitude.denominator:
        whole += 1
    if scaled < 0:
        whole = -whole
    return Decimal(whole).scaleb(-places)


def money(value: Fraction) -> str:
    """The printed form of a final value: half-up to 2 places, as a decimal string."""
    return str(to_decimal(value, 2))


def mean(values: list[Fraction]) -> Fraction:
    if not values:
        raise ValueError("mean of no values")
    return sum(values, Fraction(0)) / len(values)
