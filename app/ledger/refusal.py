"""How a fold handler refuses an event: raise :class:`Refused` with the reason (quoted in the rejection)."""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    """Raised inside a handler: the event is rejected with this reason."""


def check(reason: str | None) -> None:
    if reason is not None:
        raise Refused(reason)


def text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise Refused(f"body.{key} is missing or not a string")
    return value
