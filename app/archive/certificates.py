"""The certificates an archive's ledger records (``app.ledger.certified``), checked by ``evalroom verify``.

Always: each recorded certificate's signature of what it vouches for (the room key and the seal's CA; a member's
session key at check-in) and the certificate signature of each act of a certified member. With trust roots
(``verify --trust``, repeatable; RSA, ECDSA and SM2 CAs alike): each member's and the room's certificate chains to one
of them at the time of the event that recorded it. With a trust store (``app.crypto.truststore``: the settings' CA
files and folder, its CRLs kept locally, OCSP if chosen): the same chains, and revocation at that time too. One
problem a line, naming the certificate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from app.crypto.trust import describe
from app.crypto.truststore import CertificateTrust
from app.ledger import certified
from app.ledger.authors import key_from_json
from app.ledger.events import SignedEvent


@dataclass
class CertificateCheck:
    problems: list[str] = field(default_factory=list)
    certificates: int = 0
    #: the seal CA (room-ca.pem, SHA-256) the room's certificate vouches for, when that certificate holds
    seal_ca_sha256: str | None = None


def _at(ev: SignedEvent) -> dt.datetime:
    return dt.datetime.fromisoformat(ev.time.replace("Z", "+00:00"))


def check_certificates(events: list[SignedEvent], roots: list[x509.Certificate] | CertificateTrust | None
                       ) -> CertificateCheck:
    """``roots``: the trust roots (a list) or a whole trust store; None: no chain is checked."""
    out = CertificateCheck()
    trust = roots if isinstance(roots, CertificateTrust) or roots is None else CertificateTrust(tuple(roots))
    bound: dict[str, tuple[str, x509.Certificate]] = {}  # session key id → (member, certificate)
    for ev in sorted(events, key=SignedEvent.order_key):
        value = ev.body.get("certificate") if ev.type in ("session.created", "checkin") else None
        if value is None:
            continue
        out.certificates += 1
        who = "room" if ev.type == "session.created" else f"member {ev.body.get('member')}"
        try:
            cert, chain, signature = certified.parse(value)
        except ValueError as exc:
            out.problems.append(f"certificate: {who}: {exc}")
            continue
        label = f"certificate: {who} {describe(cert)!r}"
        if ev.type == "session.created":
            seal_ca = str(value.get("seal_ca_sha256"))
            message = certified.room_message(ev.session, ev.author, cert, seal_ca)
        else:
            try:
                key_id = key_from_json(ev.body.get("key")).key_id
            except ValueError as exc:
                out.problems.append(f"{label}: {exc}")
                continue
            message = certified.checkin_message(ev.session, str(ev.body.get("member")), key_id, cert)
        sound = certified.signature_valid(cert, signature, message)
        if not sound:
            out.problems.append(f"{label}: its signature at {ev.type} (event {ev.short}) does not verify with "
                                "this certificate (a swapped certificate?)")
        elif ev.type == "checkin":
            bound[key_id] = (str(ev.body.get("member")), cert)
        problem = trust.problem(cert, chain, _at(ev)) if trust is not None else None
        if problem:
            out.problems.append(f"{label}: {problem}")
        elif sound and ev.type == "session.created" and trust is not None:
            out.seal_ca_sha256 = str(value.get("seal_ca_sha256"))
    for ev in events:
        if ev.type in certified.CERTIFIED_ACTS and ev.author in bound:
            member, cert = bound[ev.author]
            message = certified.act_message(ev.session, ev.author, ev.type, ev.body)
            if not certified.signature_valid(cert, ev.body.get(certified.SIGNATURE_FIELD), message):
                out.problems.append(f"certificate: member {member} {describe(cert)!r}: the {ev.type} event {ev.short} "
                                    "is not signed by this certificate")
    return out


def der_sha256(pem: bytes) -> str | None:
    try:
        return hashlib.sha256(x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)).hexdigest()
    except ValueError:
        return None
