"""Committee composition (评标委员会组成) and chair rules: R-COM-1, R-COM-4, R-COM-6..8."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from .case import Member
from .profiles import RuleProfile
from .result import Reason


def required_size(profile: RuleProfile, budget: Decimal | None) -> int:
    """R-COM-4: procurement projects with a budget of ¥10,000,000 or more need at least 7 members."""
    if profile.large_budget is not None and budget is not None and budget >= profile.large_budget:
        return max(profile.committee_min, profile.large_committee_min)
    return profile.committee_min


def minimum_experts(profile: RuleProfile, size: int) -> int:
    """Experts must be at least ceil(2n/3) of the members (R-COM-1, R-COM-4)."""
    ratio = profile.expert_ratio * size
    return math.ceil(ratio)


def check_composition(members: Sequence[Member], profile: RuleProfile, budget: Decimal | None) -> list[Reason]:
    """Every composition rule the committee breaks; empty when it may be formed."""
    return check_make_up(members, profile, budget) + check_chair(members, profile)


def check_make_up(members: Sequence[Member], profile: RuleProfile, budget: Decimal | None) -> list[Reason]:
    """The size and make-up rules (R-COM-1/4/8), without the chair: what a committee of these members
    breaks whoever is elected."""
    rule = profile.committee_rule
    size = len(members)
    experts = sum(1 for m in members if m.is_expert)
    reps = size - experts
    problems: list[Reason] = []
    need = required_size(profile, budget)
    if size < need:
        why = f"（预算 {budget} 元 ≥ {profile.large_budget} 元）" if need > profile.committee_min else ""
        problems.append(Reason(rule,
                               f"评标委员会应不少于{need}人{why}，现为{size}人 / the committee needs at least {need} "
                               f"members, it has {size}"))
    if profile.committee_odd and size % 2 == 0:
        problems.append(Reason(rule, f"评标委员会成员人数应为单数，现为{size}人 / "
                                     f"the committee size must be odd, it is {size}"))
    need_experts = minimum_experts(profile, size)
    if experts < need_experts:
        problems.append(
            Reason(rule, f"专家不得少于成员总数的三分之二（{size}人需至少{need_experts}名专家），现为{experts}名 / "
                         f"experts must be at least 2/3 of {size} members ({need_experts}), there are {experts}")
        )
    if profile.owner_rep_cap is not None and profile.owner_rep_ratio is not None:
        cap = min(profile.owner_rep_cap, math.floor(profile.owner_rep_ratio * size))
        if reps > cap:
            problems.append(Reason("R-COM-8",
                                   f"招标人代表不得超过{cap}名，现为{reps}名 / at most {cap} owner representatives, "
                                   f"there are {reps}"))
    return problems


def check_chair(members: Sequence[Member], profile: RuleProfile) -> list[Reason]:
    """Exactly one chair (R-COM-6); a purchaser representative may not chair in procurement (R-COM-7)."""
    chairs = [m for m in members if m.chair]
    if len(chairs) != 1:
        names = "、".join(m.id for m in chairs) or "无"
        return [Reason("R-COM-6",
                       f"评标委员会应有且只有一名组长，现为{len(chairs)}名（{names}） / exactly one chair is required, "
                       f"found {len(chairs)}")]
    chair = chairs[0]
    if not chair.is_expert and not profile.owner_rep_may_chair:
        rule = "R-COM-7" if profile.name == "procurement" else "R-COM-8"
        return [Reason(rule, f"{chair.id}（{chair.name}）为采购人/招标人代表，不得担任评标委员会组长 / "
                             f"{chair.id} is the purchaser's representative and may not chair the committee")]
    return []
