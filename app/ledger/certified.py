"""Certificates in the ledger: a member's X.509 certificate bound at check-in, the acts it signs, the room's.

A certificate is recorded as ``{"cert": <base64 DER>, "chain": [<base64 DER>, …], "signature": <base64>}``:

- in a ``checkin`` body (``certificate``): ``signature`` is the certificate key's signature of
  ``CHECKIN_CONTEXT || canonical({cert_sha256, key_id, member, session})`` — the member's certificate vouches for
  the session key the room binds (the session key keeps signing the per-cell events);
- in the ``session.created`` body (``certificate``): the room's certificate, ``signature`` over
  ``ROOM_CONTEXT || canonical({cert_sha256, room_key, seal_ca_sha256, session})``: it vouches for the room key and
  for the CA of the report's PAdES seal (``room-ca.pem``, by its SHA-256), whatever its algorithm (an SM2 certificate
  cannot make the PAdES seal itself);
- a member's acts (``CERTIFIED_ACTS``: the 承诺书, the scores' submission, the report signature or dissent) by a
  session key bound to a certificate carry ``cert_signature``: that certificate key's signature of
  ``ACT_CONTEXT || canonical({author, body without cert_signature, session, type})``.

Checked by ``evalroom verify`` (``app.archive.certificates``), with the trust roots it is given.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from typing import Any

from cryptography import x509

from app.crypto.certs import CertKey, verify_with_certificate
from app.ledger.canonical import canonical

CHECKIN_CONTEXT = b"evalroom/cert-check-in/v1\n"
ROOM_CONTEXT = b"evalroom/room-certificate/v1\n"
ACT_CONTEXT = b"evalroom/cert-act/v1\n"
CERTIFIED_ACTS = frozenset({"letter.signed", "score.submitted", "report.signed", "report.dissent"})
SIGNATURE_FIELD = "cert_signature"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def cert_sha256(cert: x509.Certificate) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding
    return hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()


def checkin_message(session: str, member: str, key_id: str, cert: x509.Certificate) -> bytes:
    return CHECKIN_CONTEXT + canonical({"cert_sha256": cert_sha256(cert), "key_id": key_id, "member": member,
                                        "session": session})


def room_message(session: str, room_key: str, cert: x509.Certificate, seal_ca_sha256: str) -> bytes:
    return ROOM_CONTEXT + canonical({"cert_sha256": cert_sha256(cert), "room_key": room_key,
                                     "seal_ca_sha256": seal_ca_sha256, "session": session})


def act_message(session: str, author: str, type_: str, body: Mapping[str, Any]) -> bytes:
    rest = {k: v for k, v in body.items() if k != SIGNATURE_FIELD}
    return ACT_CONTEXT + canonical({"author": author, "body": rest, "session": session, "type": type_})


def record(cert: CertKey, message: bytes) -> dict[str, Any]:
    """The ``certificate`` value of an event: the certificate, its chain and its key's signature of ``message``."""
    return {"cert": cert.cert_b64(), "chain": cert.chain_b64(), "signature": _b64(cert.sign(message))}


def sign_act(cert: CertKey, session: str, author: str, type_: str, body: Mapping[str, Any]) -> str:
    return _b64(cert.sign(act_message(session, author, type_, body)))


def parse(value: Any) -> tuple[x509.Certificate, list[x509.Certificate], bytes]:
    """(certificate, chain, signature) of a recorded ``certificate``; ValueError with a one-line reason."""
    if not isinstance(value, dict) or not isinstance(value.get("cert"), str) or \
            not isinstance(value.get("signature"), str) or not isinstance(value.get("chain", []), list):
        raise ValueError("the certificate is not {cert, chain, signature}")
    try:
        cert = x509.load_der_x509_certificate(base64.b64decode(value["cert"], validate=True))
        chain = [x509.load_der_x509_certificate(base64.b64decode(str(c), validate=True))
                 for c in value.get("chain", [])]
        signature = base64.b64decode(value["signature"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"the certificate cannot be read: {exc}") from exc
    return cert, chain, signature


def signature_valid(cert: x509.Certificate, signature: Any, message: bytes) -> bool:
    if isinstance(signature, str):
        try:
            signature = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            return False
    return isinstance(signature, bytes) and verify_with_certificate(cert, signature, message)
