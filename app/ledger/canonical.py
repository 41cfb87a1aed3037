"""Canonical JSON of ledger events: the exact bytes that are hashed and signed.

Sorted keys, no spaces (separators ``,`` and ``:``), UTF-8 without ``\\u`` escapes for non-ASCII text.
Only objects with string keys, lists, strings, whole numbers in the interoperable range ±(2**53 − 1),
``true``/``false`` and ``null`` are allowed. A float (or a ``Decimal``) is refused with the path of the
offending value: binary floats do not round-trip between languages, so scores and money are decimal
strings (``"87.50"``) in event bodies.
"""

from __future__ import annotations

import json
from typing import Any

from app.errors import EvalRoomError

MAX_INT = 2**53 - 1

_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


class CanonicalError(EvalRoomError, ValueError):
    """A value that cannot be part of a ledger event; the message names the path (``body.score``)."""


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _problem(value: Any) -> tuple[list[str | int], str] | None:
    """The first value that cannot be encoded, as (path parts, reason); None when all is clean.

    The path is only built on the way back from a problem, so checking a clean event costs one walk.
    """
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return None
    if kind is int:
        if -MAX_INT <= value <= MAX_INT:
            return None
        return [], f"whole number {value} is outside ±(2**53 − 1); write it as a string"
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                return [], f"key {key!r} is not a string"
            found = _problem(item)
            if found is not None:
                found[0].insert(0, key)
                return found
        return None
    if kind is list or kind is tuple:
        for index, item in enumerate(value):
            found = _problem(item)
            if found is not None:
                found[0].insert(0, index)
                return found
        return None
    if isinstance(value, bool) or (isinstance(value, int) and not isinstance(value, float)):
        return _problem(int(value))
    if isinstance(value, float):
        return [], f"{value!r} is a float; write scores and money as decimal strings"
    if type(value).__name__ == "Decimal":  # a JSON number with a fraction, decoded exactly
        return [], f'{value} is a number with a fraction; write it as a decimal string "{value}"'
    if isinstance(value, dict):
        return _problem(dict(value))
    if isinstance(value, (list, tuple)):
        return _problem(list(value))
    return [], f"a {type(value).__name__} cannot be encoded"


def check(value: Any, path: str = "") -> None:
    """Raise :class:`CanonicalError` unless ``value`` holds only canonical JSON types."""
    found = _problem(value)
    if found is None:
        return
    parts, reason = found
    where = path
    for part in parts:
        where = _join(where, part)
    raise CanonicalError(f"{where or 'value'}: {reason}")


def canonical(value: Any, path: str = "") -> bytes:
    """The canonical UTF-8 bytes of ``value`` (checked first: floats and other types are refused)."""
    check(value, path)
    return _ENCODER.encode(value).encode("utf-8")


def canonical_unchecked(value: Any) -> bytes:
    """Canonical bytes of a value already known to be clean (decoded from canonical JSON)."""
    return _ENCODER.encode(value).encode("utf-8")


def _refuse_float(text: str) -> Any:
    raise CanonicalError(f"{text} is a float; a ledger record holds no floats")


def _refuse_constant(text: str) -> Any:
    raise CanonicalError(f"{text} is not allowed in a ledger record")


_DECODER = json.JSONDecoder(parse_float=_refuse_float, parse_constant=_refuse_constant)


def decode(text: str | bytes) -> Any:
    """Decode ledger JSON, refusing floats, NaN and Infinity (so decode → encode is exact).

    A record (an object: ``{"…``) is decoded by one decoder made once; ``json.loads`` would build a decoder
    and sniff the encoding for every line of a feed. Bytes starting ``{"`` are UTF-8 by ``json.loads``'s own
    rule; anything else goes through ``json.loads`` itself (the same answers and the same errors)."""
    if type(text) is bytes and text[:2] == b'{"':
        return _DECODER.decode(text.decode("utf-8", "surrogatepass"))
    if type(text) is str and text[:1] == "{":
        return _DECODER.decode(text)
    return json.loads(text, parse_float=_refuse_float, parse_constant=_refuse_constant)
