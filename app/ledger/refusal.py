"""How a fold handler refuses an event: raise :class:`Refused` with the reason (quoted in the rejection)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.crypto.keys import VerifyingKey
from app.errors import EvalRoomError
from app.ledger.authors import key_from_json


class Refused(EvalRoomError):
    """Raised inside a handler: the event is rejected with this reason."""


def check(reason: str | None) -> None:
    if reason is not None:
        raise Refused(reason)


def text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise Refused(f"body.{key} is missing or not a string")
    return value


def new_key(body: dict[str, Any], authors: Mapping[str, Any]) -> VerifyingKey:
    """``body.key``: a well-formed public key no author of the session holds yet."""
    try:
        key = key_from_json(body.get("key"))
    except ValueError as exc:
        raise Refused(f"body.key: {exc}") from exc
    if key.key_id in authors:
        raise Refused(f"key {key.key_id[:8]} is already registered")
    return key


def bidder_list(body: dict[str, Any], known: frozenset[str]) -> list[str]:
    """``body.bidders`` (optional, default none): distinct bidders of the package, e.g. those a declared
    conflict of interest is with."""
    value = body.get("bidders", [])
    if not isinstance(value, list) or not all(isinstance(b, str) and b in known for b in value) \
            or len(set(value)) != len(value):
        raise Refused("body.bidders must be a list of distinct bidders of the package")
    return list(value)
