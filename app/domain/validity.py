"""Which opened bids stay valid: preliminary majority, maximum price, low-price decisions."""

from __future__ import annotations

from collections.abc import Sequence

from .case import Bidder, Case
from .profiles import RuleProfile


def preliminary_failure(case: Case, bidder: Bidder, profile: RuleProfile) -> str | None:
    """A bid fails preliminary review when more than half of the members fail it (R-SCR-1 majority)."""
    size = len(case.committee)
    failures = [
        (member_id, verdicts[bidder.id])
        for member_id, verdicts in sorted(case.preliminary.items())
        if bidder.id in verdicts and not verdicts[bidder.id].passed
    ]
    if 2 * len(failures) <= size:
        return None
    reasons = "；".join(f"{m}：{v.reason}" for m, v in failures if v.reason)
    detail = f"：{reasons}" if reasons else ""
    return (
        f"{profile.preliminary_rule}: 初步评审未通过（{len(failures)}/{size} 名成员判定不合格{detail}） / "
        f"failed preliminary review by {len(failures)} of {size} members"
    )


def above_max_price(case: Case, bidder: Bidder) -> str | None:
    """R-PRE-1(5): a price above the maximum bid price (最高投标限价) is rejected."""
    ceiling = case.project.max_price
    if ceiling is None or bidder.price <= ceiling:
        return None
    return f"R-PRE-1: 投标报价 {bidder.price} 超过最高投标限价 {ceiling} / the price is above the maximum bid price"


def low_price_rejection(case: Case, bidder: Bidder, profile: RuleProfile) -> str | None:
    """R-LOW-1/R-LOW-2: the committee found an abnormally low price unproven."""
    if case.low_price_decisions.get(bidder.id) != "rejected":
        return None
    return (
        f"{profile.low_price_rule}: 报价明显低于其他投标报价，投标人未能证明其报价合理性，评标委员会认定投标无效 / "
        f"abnormally low price not justified: rejected by the committee"
    )


def invalidity(case: Case, bidder: Bidder, profile: RuleProfile) -> str | None:
    """The first reason the opened bid is invalid, or None."""
    return (
        preliminary_failure(case, bidder, profile)
        or above_max_price(case, bidder)
        or low_price_rejection(case, bidder, profile)
    )


def split_valid(case: Case, opened: Sequence[Bidder], profile: RuleProfile) -> tuple[list[Bidder], dict[str, str]]:
    """The valid bids (input order) and the reason for each invalid one."""
    valid: list[Bidder] = []
    invalid: dict[str, str] = {}
    for bidder in opened:
        reason = invalidity(case, bidder, profile)
        if reason is None:
            valid.append(bidder)
        else:
            invalid[bidder.id] = reason
    return valid, invalid
