"""Rule profiles (DOMAIN.md §0.1) and local overlays as data.

A profile holds every threshold the rules use, so a local overlay (a province or city rule, for
example Chongqing L6 Art 30) is a partial dict applied on top of a profile, never new code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class RuleProfile:
    """Thresholds of one legal regime, optionally with a local overlay applied."""

    name: str
    #: R-COM-1 / R-COM-4: minimum committee size; the size must be odd.
    committee_min: int
    committee_odd: bool
    #: experts >= ceil(ratio * n)
    expert_ratio: Fraction
    #: R-COM-4: large procurement projects (budget >= threshold) need a bigger committee.
    large_budget: Decimal | None
    large_committee_min: int
    #: R-COM-7: in procurement the purchaser representative may not chair.
    owner_rep_may_chair: bool
    #: R-COM-8 (Chongqing): owner representatives <= min(cap, floor(n * ratio)); None = no cap.
    owner_rep_cap: int | None
    owner_rep_ratio: Fraction | None
    #: R-PRE-5/6: procurement stops with fewer than 3 valid bids; engineering only flags (R-PRE-3).
    min_valid_bidders: int
    stop_when_insufficient: bool
    #: R-OPEN-3
    min_bids_to_open: int
    #: R-RNK-1: engineering recommends at most 3 candidates; None = no legal cap.
    max_candidates: int | None
    #: R-MTH-6/7: policy price deduction for small and micro enterprises.
    sme_deduction_applies: bool
    #: spec §10 default tie-break chains (comprehensive method).
    default_tie_break: tuple[str, ...]
    #: rule ids used in messages, which differ by regime
    committee_rule: str
    preliminary_rule: str
    low_price_rule: str
    insufficient_rule: str


PROCUREMENT = RuleProfile(
    name="procurement",
    committee_min=5,
    committee_odd=True,
    expert_ratio=Fraction(2, 3),
    large_budget=Decimal("10000000"),
    large_committee_min=7,
    owner_rep_may_chair=False,
    owner_rep_cap=None,
    owner_rep_ratio=None,
    min_valid_bidders=3,
    stop_when_insufficient=True,
    min_bids_to_open=3,
    max_candidates=None,
    sme_deduction_applies=True,
    default_tie_break=("price_asc", "draw"),
    committee_rule="R-COM-4",
    preliminary_rule="R-PRE-6",
    low_price_rule="R-LOW-1",
    insufficient_rule="R-PRE-5",
)

ENGINEERING = RuleProfile(
    name="engineering",
    committee_min=5,
    committee_odd=True,
    expert_ratio=Fraction(2, 3),
    large_budget=None,
    large_committee_min=5,
    owner_rep_may_chair=True,
    owner_rep_cap=None,
    owner_rep_ratio=None,
    min_valid_bidders=3,
    stop_when_insufficient=False,
    min_bids_to_open=3,
    max_candidates=3,
    sme_deduction_applies=False,
    default_tie_break=("price_asc", "technical_desc", "draw"),
    committee_rule="R-COM-1",
    preliminary_rule="R-PRE-1",
    low_price_rule="R-LOW-2",
    insufficient_rule="R-PRE-3",
)

PROFILES: Mapping[str, RuleProfile] = {p.name: p for p in (PROCUREMENT, ENGINEERING)}

#: spec §10: the lowest-price method breaks ties only by a draw by default (R-RNK-4).
LOWEST_PRICE_TIE_BREAK: tuple[str, ...] = ("draw",)

#: Local overlays: partial profiles. Chongqing (L6 Art 30, R-COM-8): owner representatives at most
#: 1/3 of the members and at most 2; the chair is elected from among the experts.
OVERLAYS: Mapping[str, Mapping[str, Any]] = {
    "chongqing": {
        "owner_rep_cap": 2,
        "owner_rep_ratio": Fraction(1, 3),
        "owner_rep_may_chair": False,
    },
}


def profile_for(name: str, overlay: str | None = None) -> RuleProfile:
    """The profile ``name`` with the named local overlay applied (KeyError if unknown)."""
    profile = PROFILES[name]
    if overlay is None:
        return profile
    return apply_overlay(profile, OVERLAYS[overlay])


def apply_overlay(profile: RuleProfile, overlay: Mapping[str, Any]) -> RuleProfile:
    """A copy of ``profile`` with the overlay's thresholds; unknown keys are refused."""
    known = {f.name for f in fields(RuleProfile)}
    unknown = sorted(set(overlay) - known)
    if unknown:
        raise KeyError(f"unknown profile settings in overlay: {', '.join(unknown)}")
    return replace(profile, **dict(overlay))
