"""Checks the committee must see: abnormally low prices (R-LOW-1/2, §3.6), missing and inconsistent
scores (R-SCR-2, §3.5) and members' score deviation (R-SCR-4, §3.4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from .case import Bidder, Case
from .exact import exact, mean, money
from .result import Flag, Reason


def low_price_flags(valid: Sequence[Bidder], decisions: Mapping[str, str], alert_pct: Decimal, rule: str) -> list[Flag]:
    """§3.6: r = (M − P)/M × 100 with M the mean price of the *other* valid bids; flag r ≥ alert
    unless the committee already recorded a decision."""
    flags: list[Flag] = []
    if len(valid) < 2:
        return flags
    for bidder in valid:
        others = [exact(b.price) for b in valid if b.id != bidder.id]
        others_mean = mean(others)
        below = (others_mean - exact(bidder.price)) / others_mean * 100
        if below >= exact(alert_pct) and bidder.id not in decisions:
            flags.append(Flag.of("abnormally_low_price", rule=rule, bidder=bidder.id,
                                 below_pct=money(below), others_mean=money(others_mean)))
    return flags


def missing_scores(case: Case, valid: Sequence[Bidder]) -> list[Reason]:
    """Spec §5: every member scores every valid bid on every criterion."""
    missing: list[Reason] = []
    for member in case.committee:
        for bidder in valid:
            for criterion in case.method.criteria:
                if case.score(member.id, bidder.id, criterion.id) is None:
                    missing.append(Reason(
                        "R-SCR-1",
                        f"{member.id}（{member.name}）尚未对 {bidder.id} 的评审因素 "
                        f"{criterion.id}（{criterion.name}）评分 / "
                        f"{member.id} has no score for {bidder.id} on {criterion.id}",
                    ))
    return missing


def objective_inconsistencies(case: Case, valid: Sequence[Bidder]) -> tuple[list[Flag], list[Reason]]:
    """R-SCR-2 / §3.5: members' scores on an objective item must be identical."""
    flags: list[Flag] = []
    reasons: list[Reason] = []
    for bidder in valid:
        for criterion in case.method.criteria:
            if criterion.type != "objective":
                continue
            given = {m.id: case.score(m.id, bidder.id, criterion.id) for m in case.committee}
            values = {exact(v) for v in given.values() if v is not None}
            if len(values) <= 1:
                continue
            scores = {member_id: str(v) for member_id, v in sorted(given.items()) if v is not None}
            flags.append(Flag.of("objective_inconsistent", rule="R-SCR-2", bidder=bidder.id, criterion=criterion.id,
                                 scores=scores))
            listing = "，".join(f"{m} {s}" for m, s in scores.items())
            reasons.append(Reason(
                "R-SCR-2",
                f"客观评审因素评分不一致：{bidder.id} 的 {criterion.id}（{criterion.name}）：{listing}；"
                "更正前不得汇总 / "
                f"objective item scores differ for {bidder.id} on {criterion.id}: summary blocked until corrected",
            ))
    return flags, reasons


def member_total(case: Case, member_id: str, bidder_id: str) -> Fraction:
    """A member's non-price total for one bid (recomputed, never typed: §3.5 sum check)."""
    return sum((exact(case.score(member_id, bidder_id, c.id) or Decimal(0)) for c in case.method.criteria), Fraction(0))


def deviation_flags(case: Case, valid: Sequence[Bidder]) -> list[Flag]:
    """R-SCR-4 / §3.4: d = (t − mean)/mean × 100 per member and bid; flag |d| > the alert."""
    alert = exact(case.method.deviation_alert_pct)
    flags: list[Flag] = []
    for bidder in valid:
        totals = {m.id: member_total(case, m.id, bidder.id) for m in case.committee}
        average = mean(list(totals.values())) if totals else Fraction(0)
        if average == 0:
            continue
        for member_id, total in totals.items():
            deviation = (total - average) / average * 100
            if abs(deviation) > alert:
                flags.append(Flag.of("score_deviation", rule="R-SCR-4", expert=member_id, bidder=bidder.id,
                                     deviation_pct=money(deviation), member_total=money(total),
                                     mean_total=money(average)))
    return flags
