"""The evaluation case (`evalroom-case/1`): one lot's session package plus what the committee recorded.

Typed, frozen and already validated: build one with :func:`app.domain.case_parse.parse_case`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

CASE_FORMAT = "evalroom-case/1"
RESULT_FORMAT = "evalroom-result/1"

PROFILE_NAMES = ("procurement", "engineering")
CATEGORIES = ("goods", "services", "works")
MEMBER_ROLES = ("expert", "owner_rep")
CRITERION_TYPES = ("subjective", "objective")
METHOD_KINDS = ("comprehensive", "lowest_price")
PRICE_KINDS = ("low_price_first", "benchmark_deviation")
TRIM_KINDS = ("none", "high_low")
TIE_BREAKS = ("price_asc", "technical_desc", "draw")
LOW_PRICE_DECISIONS = ("rejected", "accepted")


@dataclass(frozen=True)
class Project:
    code: str
    name: str
    category: str
    budget: Decimal | None = None
    max_price: Decimal | None = None  # 最高投标限价


@dataclass(frozen=True)
class Lot:
    code: str
    name: str


@dataclass(frozen=True)
class Bidder:
    id: str
    name: str
    price: Decimal
    submitted_at: datetime
    sme: bool = False  # small/micro enterprise (procurement price deduction, R-MTH-7)


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    role: str  # expert | owner_rep
    chair: bool = False

    @property
    def is_expert(self) -> bool:
        return self.role == "expert"


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    group: str  # technical | commercial | ...
    type: str  # subjective | objective
    max: Decimal
    step: Decimal | None = None


@dataclass(frozen=True)
class TrimRule:
    """Benchmark trimming: with at least ``min_count`` valid bids drop that many high/low prices."""

    min_count: int
    drop_high: int
    drop_low: int


@dataclass(frozen=True)
class PriceFormula:
    kind: str  # low_price_first | benchmark_deviation
    points: Decimal
    k: Decimal = Decimal(0)
    trim: tuple[TrimRule, ...] = ()
    per_pct_above: Decimal = Decimal(0)
    per_pct_below: Decimal = Decimal(0)
    floor: Decimal = Decimal(0)


@dataclass(frozen=True)
class Averaging:
    trim: str = "none"  # none | high_low
    min_members: int = 7


@dataclass(frozen=True)
class Method:
    kind: str  # comprehensive | lowest_price
    criteria: tuple[Criterion, ...]
    price: PriceFormula | None
    sme_deduction: Decimal | None
    averaging: Averaging
    deviation_alert_pct: Decimal
    low_price_alert_pct: Decimal
    candidates: int
    tie_break: tuple[str, ...] | None  # None = the default of the profile / method


@dataclass(frozen=True)
class Verdict:
    """One member's preliminary-review verdict on one bid."""

    passed: bool
    reason: str | None = None


@dataclass(frozen=True)
class Adjustment:
    amount: Decimal
    reason: str


@dataclass(frozen=True)
class DecryptionFailure:
    """R-OPEN-10: a bid whose files could not be decrypted at opening, and what it is deemed (app.domain.decryption)."""

    outcome: str  # revoked | withdrawn
    cause: str


@dataclass(frozen=True)
class Case:
    profile: str
    project: Project
    lot: Lot
    deadline: datetime
    bidders: tuple[Bidder, ...]
    committee: tuple[Member, ...]
    method: Method
    overlay: str | None = None
    preliminary: Mapping[str, Mapping[str, Verdict]] = field(default_factory=dict)
    low_price_decisions: Mapping[str, str] = field(default_factory=dict)
    adjustments: Mapping[str, tuple[Adjustment, ...]] = field(default_factory=dict)
    scores: Mapping[str, Mapping[str, Mapping[str, Decimal]]] = field(default_factory=dict)
    draw_seed: str | None = None
    decryption: Mapping[str, DecryptionFailure] = field(default_factory=dict)  # bidder → failure at opening
    decryption_minutes: int | None = None  # the tender's decryption time limit (opening.decryption_minutes)

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.method.criteria if c.id == criterion_id)

    def score(self, member_id: str, bidder_id: str, criterion_id: str) -> Decimal | None:
        return self.scores.get(member_id, {}).get(bidder_id, {}).get(criterion_id)
