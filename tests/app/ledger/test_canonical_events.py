"""Canonical encoding and signed events (issue #3 §1)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.crypto.keys import SigningKey
from app.ledger.canonical import MAX_INT, CanonicalError, canonical, decode
from app.ledger.events import (
    SIGNING_CONTEXT,
    EventError,
    from_line,
    header_problem,
    new_event,
    utc_stamp,
)

KEY = SigningKey.generate()
TIME = "2026-11-20T01:30:00.000000Z"


def test_canonical_is_sorted_compact_utf8() -> None:
    assert canonical({"b": 1, "a": ["专家", None, True]}) == '{"a":["专家",null,true],"b":1}'.encode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"body": {"score": 87.5}}, "body.score: 87.5 is a float"),
        ({"body": {"list": [1, 2.0]}}, "body.list[1]: 2.0 is a float"),
        ({"x": Decimal("1.5")}, 'x: 1.5 is a number with a fraction; write it as a decimal string "1.5"'),
        ({"x": 2**60}, "outside"),
        ({1: "a"}, "key 1 is not a string"),
        ({"x": float("nan")}, "is a float"),
    ],
)
def test_canonical_refuses_floats_and_others_naming_the_path(value: object, message: str) -> None:
    with pytest.raises(CanonicalError, match=message.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        canonical(value)


def test_decode_refuses_floats() -> None:
    with pytest.raises(CanonicalError, match="float"):
        decode('{"a": 1.0}')
    with pytest.raises(CanonicalError):
        decode('{"a": NaN}')


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-MAX_INT, MAX_INT) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_canonical_round_trips(value: object) -> None:
    raw = canonical(value)
    assert canonical(decode(raw)) == raw
    assert json.loads(raw) == value


def test_event_id_and_signature() -> None:
    ev = new_event(KEY, "S-1", 1, None, TIME, "score.set", {"expert": "E1", "score": "18.5"})
    assert ev.computed_id() == ev.id and len(ev.id) == 64
    assert ev.author == KEY.key_id
    assert ev.signature_valid(KEY.public)
    assert KEY.public.verify(ev.sig, SIGNING_CONTEXT + bytes.fromhex(ev.id))
    assert not ev.signature_valid(SigningKey.generate().public)
    back = from_line(ev.to_line())
    assert (back.raw, back.id, back.sig, back.alg) == (ev.raw, ev.id, ev.sig, "ed25519")


def test_a_float_in_a_body_is_refused_when_signing() -> None:
    with pytest.raises(CanonicalError, match=r"body\.score: 87\.5 is a float"):
        new_event(KEY, "S-1", 1, None, TIME, "score.set", {"score": 87.5})


def test_utc_stamp_is_fixed_width() -> None:
    stamp = utc_stamp()
    assert len(stamp) == len(TIME) and stamp.endswith("Z")


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"seq": 0}, "seq 0 is not a whole number from 1"),
        ({"seq": True}, "seq True"),
        ({"prev": "xyz"}, "prev is neither null"),
        ({"time": "2026-11-20T09:30:00+08:00"}, "is not UTC"),
        ({"author": "E1"}, "author is not a key id"),
        ({"body": []}, "body is not an object"),
        ({"extra": 1}, "unknown fields extra"),
    ],
)
def test_malformed_headers_are_named(patch: dict[str, object], message: str) -> None:
    ev = new_event(KEY, "S-1", 1, None, TIME, "t", {})
    data = {**ev.data, **patch}
    assert message in str(header_problem(data))


def test_malformed_lines() -> None:
    with pytest.raises(EventError, match="not JSON"):
        from_line("{")
    with pytest.raises(EventError, match="float"):
        from_line('{"a": 1.5}')
    with pytest.raises(EventError, match="alg, event, id, sig"):
        from_line('{"a": 1}')
