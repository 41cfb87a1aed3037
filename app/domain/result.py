"""The evaluation result (`evalroom-result/1`) and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .case import RESULT_FORMAT
from .exact import money

STATUSES = ("ranked", "opening_refused", "committee_invalid", "insufficient_bidders", "blocked")


@dataclass(frozen=True)
class Reason:
    """Why the evaluation stopped (or a rule that shaped it), with the DOMAIN.md rule id."""

    rule: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.message}


@dataclass(frozen=True)
class Flag:
    """Something the committee must look at: ``kind`` plus printable details (ids and decimal strings)."""

    kind: str
    details: tuple[tuple[str, Any], ...]

    @classmethod
    def of(cls, kind: str, **details: Any) -> Flag:
        return cls(kind, tuple(details.items()))

    def get(self, key: str) -> Any:
        return dict(self.details).get(key)

    def sort_key(self) -> tuple[str, ...]:
        return (self.kind, *(str(self.get(k) or "") for k in ("bidder", "expert", "criterion")))

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **dict(self.details)}


@dataclass(frozen=True)
class Draw:
    """A reproducible draw among tied bidders (spec §11)."""

    tied: tuple[str, ...]
    order: tuple[str, ...]
    seed: str

    def to_json(self) -> dict[str, Any]:
        return {"tied": list(self.tied), "order": list(self.order), "seed": self.seed}


@dataclass
class BidderResult:
    id: str
    name: str
    valid: bool
    reason: str | None = None
    evaluated_price: Fraction | None = None
    item_scores: dict[str, Fraction] = field(default_factory=dict)
    price_score: Fraction | None = None
    total: Fraction | None = None
    rank: int | None = None
    tied: bool = False
    excluded: str | None = None  # R-OPEN-10: "revoked" or "withdrawn" at the decryption of the opening

    def to_json(self) -> dict[str, Any]:
        extra = {"excluded": self.excluded} if self.excluded is not None else {}
        return {
            "id": self.id,
            "name": self.name,
            "valid": self.valid,
            "reason": self.reason,
            "evaluated_price": _opt(self.evaluated_price),
            "item_scores": {k: money(v) for k, v in self.item_scores.items()},
            "price_score": _opt(self.price_score),
            "total": _opt(self.total),
            "rank": self.rank,
            "tied": self.tied,
            **extra,
        }


@dataclass
class Result:
    status: str
    bidders: list[BidderResult]
    reasons: list[Reason] = field(default_factory=list)
    benchmark_price: Fraction | None = None
    ranking: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    draws: list[Draw] = field(default_factory=list)

    def bidder(self, bidder_id: str) -> BidderResult:
        return next(b for b in self.bidders if b.id == bidder_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": RESULT_FORMAT,
            "status": self.status,
            "reasons": [r.to_json() for r in self.reasons],
            "benchmark_price": _opt(self.benchmark_price),
            "bidders": [b.to_json() for b in self.bidders],
            "ranking": list(self.ranking),
            "candidates": list(self.candidates),
            "flags": [f.to_json() for f in sorted(self.flags, key=Flag.sort_key)],
            "draws": [d.to_json() for d in self.draws],
        }


def _opt(value: Fraction | None) -> str | None:
    return None if value is None else money(value)
