"""The pairing wire format, free of any web framework (the PC, the console and the hub import it).

An expert's (or supervisor's) PC pairs with the room hub using the one-time code the check-in desk shows. The
hub never sees the code: the PC sends

    request = {code_id, role, key, nonce, time[, name], proof}
    code_id = first 8 hex of SHA-256("evalroom-pair-id" || code)      (so the hub can route and rate-limit)
    proof   = HMAC-SHA256(key = SHA-256(code), canonical(request without proof)), hex

and only the console, which issued the code (and keeps SHA-256(code)), can check the proof. The console's
answer is an *offer* signed by the room key over ``OFFER_CONTEXT || canonical(offer)``; the offer repeats the
PC's key, nonce and code id, so it answers that request and no other. The PC then countersigns the check-in
binding (``app.ledger.authors.sign_binding``) and the console writes the check-in event with the PC's public key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from typing import Any

from app.crypto.keys import SigningKey, VerifyingKey
from app.ledger.authors import key_to_json
from app.ledger.canonical import canonical

CODE_ID_CONTEXT = b"evalroom-pair-id"
OFFER_CONTEXT = b"evalroom/pairing-offer/v1\n"
ROLES = ("expert", "supervisor")
CODE_ID = re.compile(r"[0-9a-f]{8}")
REQUEST_FIELDS = ("code_id", "role", "key", "nonce", "time", "name")
EXPIRY_SECONDS = 30 * 60  # a request (and a code) lives 30 minutes


def normalize_code(code: str) -> str:
    """The code as issued: digits only (people type ``123 456`` or ``123-456``)."""
    return "".join(ch for ch in code if not ch.isspace() and ch != "-")


def code_id(code: str) -> str:
    return hashlib.sha256(CODE_ID_CONTEXT + normalize_code(code).encode("utf-8")).hexdigest()[:8]


def code_key(code: str) -> bytes:
    """The HMAC key of the proof: SHA-256(code) (what the console keeps of a code it issued)."""
    return hashlib.sha256(normalize_code(code).encode("utf-8")).digest()


def unsigned(request: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in request.items() if k != "proof" and v is not None}


def proof(hmac_key: bytes, request: dict[str, Any]) -> str:
    return hmac.new(hmac_key, canonical(unsigned(request)), hashlib.sha256).hexdigest()


def proof_valid(hmac_key: bytes, request: dict[str, Any]) -> bool:
    given = request.get("proof")
    return isinstance(given, str) and hmac.compare_digest(proof(hmac_key, request), given)


def make_request(code: str, role: str, key: VerifyingKey, name: str | None = None, now: int | None = None,
                 nonce: str | None = None) -> dict[str, Any]:
    """The PC's pairing request for ``code`` with its public ``key``, with the proof."""
    import time

    request: dict[str, Any] = {"code_id": code_id(code), "role": role, "key": key_to_json(key),
                               "nonce": nonce or os.urandom(16).hex(),
                               "time": int(now if now is not None else time.time())}
    if name:
        request["name"] = name
    request["proof"] = proof(code_key(code), request)
    return request


def sign_offer(room_key: SigningKey, offer: dict[str, Any]) -> dict[str, Any]:
    sig = room_key.sign(OFFER_CONTEXT + canonical(offer))
    return {"offer": offer, "alg": room_key.alg, "sig": base64.b64encode(sig).decode("ascii")}


def offer_valid(signed: Any, room_key: VerifyingKey) -> bool:
    """True when ``signed`` is an offer signed by ``room_key``."""
    try:
        if signed["alg"] != room_key.alg:
            return False
        return room_key.verify(base64.b64decode(signed["sig"], validate=True),
                               OFFER_CONTEXT + canonical(signed["offer"]))
    except (KeyError, TypeError, ValueError, binascii.Error, AttributeError):
        return False


__all__ = ["EXPIRY_SECONDS", "ROLES", "code_id", "code_key", "make_request", "normalize_code", "offer_valid",
           "proof", "proof_valid", "sign_offer", "unsigned"]
