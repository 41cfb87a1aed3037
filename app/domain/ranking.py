"""Ranking (R-RNK-3..6), the tie-break chain and the reproducible draw (spec §10-§12)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .result import Draw


@dataclass(frozen=True)
class Contender:
    """One valid bid as the ranking sees it. ``primary`` sorts ascending (better first)."""

    id: str
    primary: Decimal
    price: Decimal
    technical: Decimal = Decimal(0)


@dataclass
class Ranking:
    order: list[str] = field(default_factory=list)
    ranks: dict[str, int] = field(default_factory=dict)
    tied: set[str] = field(default_factory=set)
    draws: list[Draw] = field(default_factory=list)


def draw_key(seed: str, bidder_id: str) -> str:
    """Spec §11: tied bidders are ordered by sha256(seed + ":" + id), hex ascending."""
    return hashlib.sha256(f"{seed}:{bidder_id}".encode()).hexdigest()


_KEYS: dict[str, Callable[[Contender], Decimal]] = {
    "price_asc": lambda c: c.price,  # lower bid price first (R-RNK-3)
    "technical_desc": lambda c: -c.technical,  # higher technical score first (R-RNK-6)
}


def _buckets(group: Sequence[Contender], key: Callable[[Contender], Decimal]) -> list[list[Contender]]:
    values = sorted({key(c) for c in group})
    return [[c for c in group if key(c) == v] for v in values]


def _resolve(group: list[Contender], chain: Sequence[str], seed: str, draws: list[Draw]) -> list[list[Contender]]:
    """Split a group of equal contenders into ordered classes; a class of several stays tied."""
    if len(group) == 1 or not chain:
        return [sorted(group, key=lambda c: c.id)]
    step, rest = chain[0], chain[1:]
    if step == "draw":
        ordered = sorted(group, key=lambda c: draw_key(seed, c.id))
        draws.append(Draw(tuple(sorted(c.id for c in group)), tuple(c.id for c in ordered), seed))
        return [[c] for c in ordered]
    classes: list[list[Contender]] = []
    for bucket in _buckets(group, _KEYS[step]):
        classes.extend(_resolve(bucket, rest, seed, draws))
    return classes


def rank(contenders: Sequence[Contender], chain: Sequence[str], seed: str) -> Ranking:
    """Order by ``primary``, break ties through ``chain``; equal after the chain → same rank, tied."""
    outcome = Ranking()
    position = 1
    for bucket in _buckets(contenders, lambda c: c.primary):
        for tie_class in _resolve(bucket, chain, seed, outcome.draws):
            for contender in tie_class:
                outcome.order.append(contender.id)
                outcome.ranks[contender.id] = position
                if len(tie_class) > 1:
                    outcome.tied.add(contender.id)
            position += len(tie_class)
    return outcome
