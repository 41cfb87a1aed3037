"""Build small valid `evalroom-case/1` documents for tests; override any part."""

from __future__ import annotations

import copy
from typing import Any

DEADLINE = "2026-11-20T09:30:00+08:00"
ON_TIME = "2026-11-20T09:00:00+08:00"


def bidders(prices: dict[str, str], sme: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [
        {"id": bid, "name": f"投标人{bid}", "price": price, "submitted_at": ON_TIME, "sme": bid in sme}
        for bid, price in prices.items()
    ]


def committee(experts: int = 5, reps: int = 0, chair: str = "E1") -> list[dict[str, Any]]:
    members = [{"id": f"E{i}", "name": f"专家{i}", "role": "expert"} for i in range(1, experts + 1)]
    members += [{"id": f"R{i}", "name": f"代表{i}", "role": "owner_rep"} for i in range(1, reps + 1)]
    for m in members:
        m["chair"] = m["id"] == chair
    return members


def uniform_scores(members: list[dict[str, Any]], per_bidder: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Every member gives the same scores: {bidder: {criterion: score}}."""
    return {m["id"]: copy.deepcopy(per_bidder) for m in members}


def case(
    *,
    profile: str = "procurement",
    prices: dict[str, str] | None = None,
    sme: tuple[str, ...] = (),
    members: list[dict[str, Any]] | None = None,
    criteria: list[dict[str, Any]] | None = None,
    price: dict[str, Any] | None = None,
    scores: dict[str, Any] | None = None,
    method: dict[str, Any] | None = None,
    **top: Any,
) -> dict[str, Any]:
    prices = prices or {"B1": "100.00", "B2": "110.00", "B3": "120.00"}
    members = members if members is not None else committee()
    criteria = criteria if criteria is not None else [
        {"id": "T1", "name": "技术方案", "group": "technical", "type": "subjective", "max": "40", "step": "0.5"},
    ]
    if scores is None:
        scores = uniform_scores(members, {b: {c["id"]: "30" for c in criteria} for b in prices})
    document: dict[str, Any] = {
        "format": "evalroom-case/1",
        "profile": profile,
        "project": {"code": "TEST-001", "name": "测试项目",
                    "category": "goods" if profile == "procurement" else "works"},
        "lot": {"code": "01", "name": "第一包"},
        "opening": {"deadline": DEADLINE},
        "bidders": bidders(prices, sme),
        "committee": members,
        "method": {
            "kind": "comprehensive",
            "criteria": criteria,
            "price": price or {"kind": "low_price_first", "points": "30"},
            **(method or {}),
        },
        "scores": scores,
        "draw_seed": "2026-11-20/01",
    }
    document.update(top)
    return document


# --- helpers added for the rule-engine suite (tests/app/domain, tests/app/commands) ---------------

def at(minutes_after_deadline: float) -> str:
    """A submission time relative to DEADLINE (negative = before), same +08:00 offset."""
    from datetime import datetime, timedelta

    moment = datetime.fromisoformat(DEADLINE) + timedelta(minutes=minutes_after_deadline)
    return moment.isoformat()


def lowest_price_case(**kwargs: Any) -> dict[str, Any]:
    """A `lowest_price` case: no criteria, no price formula, no scores (override anything)."""
    method = {"kind": "lowest_price", **(kwargs.pop("method", None) or {})}
    document = case(criteria=[], scores={}, method=method, **kwargs)
    document["method"].pop("price", None)
    return document


def set_scores(document: dict[str, Any], bidder: str, criterion: str, values: list[str]) -> dict[str, Any]:
    """Give the committee members, in committee order, these scores for one bidder and criterion."""
    members = [m["id"] for m in document["committee"]]
    assert len(values) == len(members), (values, members)
    for member, value in zip(members, values, strict=True):
        document["scores"].setdefault(member, {}).setdefault(bidder, {})[criterion] = value
    return document


def draw_order(seed: str, bidder_ids: list[str]) -> list[str]:
    """The spec §11 draw: tied bidders ordered by sha256(draw_seed + ":" + bidder_id) hex ascending."""
    import hashlib

    return sorted(bidder_ids, key=lambda b: hashlib.sha256(f"{seed}:{b}".encode()).hexdigest())
