"""Public keys inside events, and the check-in binding an expert's session key co-signs.

A key in an event body is ``{"alg": "ed25519", "public": <base64 raw key>}``. The check-in event in the
room's feed carries the expert's new session key and a *binding*: the expert key's signature over
``BINDING_CONTEXT || canonical({key_id, member, session})``, proving the workstation holds that key and
accepts being bound to that member in that session. The room signs the check-in event itself, so the
binding is signed by both (DESIGN.md §2, Keys).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from app.crypto.keys import ED25519, KeyFileError, SigningKey, VerifyingKey
from app.ledger.canonical import canonical

BINDING_CONTEXT = b"evalroom/check-in/v1\n"


def key_to_json(key: VerifyingKey) -> dict[str, str]:
    return {"alg": key.alg, "public": base64.b64encode(key.raw).decode("ascii")}


def key_from_json(value: Any) -> VerifyingKey:
    """The key of an event body; raises ValueError with a one-line reason."""
    if not isinstance(value, dict) or not isinstance(value.get("alg"), str) or not isinstance(value.get("public"), str):
        raise ValueError("key is not {alg, public}")
    try:
        raw = base64.b64decode(value["public"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("key.public is not base64") from exc
    key = VerifyingKey(value["alg"], raw)
    if key.alg == ED25519 and len(raw) != 32:
        raise ValueError(f"key.public is {len(raw)} bytes, an Ed25519 key has 32")
    try:
        key.verify(b"\x00" * 64, b"probe")  # raises on an unsupported algorithm or a malformed key
    except KeyFileError as exc:
        raise ValueError(str(exc)) from exc
    return key


def binding_message(session: str, member: str, key_id: str) -> bytes:
    return BINDING_CONTEXT + canonical({"key_id": key_id, "member": member, "session": session})


def sign_binding(key: SigningKey, session: str, member: str) -> str:
    """The expert key's half of the check-in, base64."""
    return base64.b64encode(key.sign(binding_message(session, member, key.key_id))).decode("ascii")


def binding_valid(key: VerifyingKey, session: str, member: str, signature: Any) -> bool:
    if not isinstance(signature, str):
        return False
    try:
        sig = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return False
    return key.verify(sig, binding_message(session, member, key.key_id))
