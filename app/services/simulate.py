"""`evalroom simulate`: play a whole session headless through the ledger (spec/cli.md).

Keys (room, supervisor, one fresh session key per member), the session package, opening, check-in with
co-signed bindings, the chair election, preliminary verdicts and committee decisions, every score of the
case as an event by its expert's own key, submissions, the summary and report stages and the archive,
with a checkpoint at each stage end. The result is the rule engine applied to the *folded ledger*, and
equals `evalroom evaluate` on the same case (byte-identical JSON).

Writes exactly: ``DIR/session.sqlite``, ``DIR/ledger/*.jsonl``, ``DIR/keys/room.p12`` (PKCS#12) and
``DIR/keys/room.pub.pem``, ``DIR/result.json``; a package's bid files under ``DIR/bid-files/`` (as shipped, an
encrypted one as its ciphertext) and, when it has encrypted ones, those decrypted at opening under
``DIR/decrypted/`` (sealed at rest: app/services/decryption.py). A simulate folder is test tooling: without a
passphrase set, its room key is kept under the public demo passphrase and its KDF file says so, so that
``archive build`` and ``sync push`` on the folder may use the demo passphrase too (never for a room console's key).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from app.archive import pades
from app.crypto import passphrases
from app.crypto.certs import CertKey, load_p12
from app.crypto.keys import PKCS12_KDF_ROUNDS, SigningKey
from app.errors import EvalRoomError
from app.ledger.canonical import CanonicalError, check
from app.ledger.state import RECORD_FIELDS
from app.ledger.verify import verify_events
from app.services.bid_package import BID_FILES, BidDocument, open_case
from app.services.decryption import BidderKey, data_key, decrypt_bid, keys_needed, pending, plaintexts
from app.services.evaluation import dump_result
from app.services.report import sign_all
from app.services.screen import record_screen
from app.services.session import Session, check_name
from app.services.templates import commitment_letter

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class SimulationError(EvalRoomError):
    """Bad input for a simulation (exit 2): one line."""


@dataclass
class Simulation:
    out: Path
    session_id: str
    result_text: str
    events: int
    demo_passphrase: bool


def session_id_for(document: dict[str, Any]) -> str:
    project, lot = document["project"]["code"], document["lot"]["code"]
    return _UNSAFE.sub("_", f"{project}-{lot}").strip("._-") or "session"


def _numbers_as_strings(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _numbers_as_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers_as_strings(v) for v in value]
    return value


def _package(document: dict[str, Any], elected: str | None) -> dict[str, Any]:
    """The session package: the case without what the committee records; no chair when one is elected."""
    package = {k: v for k, v in document.items() if k not in RECORD_FIELDS}
    if elected is not None:
        package["committee"] = [{k: v for k, v in m.items() if k != "chair"} for m in document["committee"]]
    return package


CERT_PASSPHRASE_ENV = "EVALROOM_CERT_PASSPHRASE"


def load_certificates(member_ids: list[str], member_certs: Path | None, room_cert: Path | None,
                      ) -> tuple[dict[str, CertKey], CertKey | None]:
    """Each member's ``<member id>.p12`` in ``member_certs`` and the room's, under ``$EVALROOM_CERT_PASSPHRASE``;
    every problem is a bad input (exit 2), found before anything is written."""
    if member_certs is None and room_cert is None:
        return {}, None
    secret = os.environ.get(CERT_PASSPHRASE_ENV)
    if secret is None:
        raise SimulationError(key="cert.passphrase_missing", variable=CERT_PASSPHRASE_ENV)
    members: dict[str, CertKey] = {}
    if member_certs is not None:
        if not member_certs.is_dir():
            raise SimulationError(key="cert.folder_missing", path=str(member_certs))
        for member in member_ids:
            path = member_certs / f"{member}.p12"
            if not path.is_file():
                raise SimulationError(key="cert.member_missing", member=member, path=str(path))
            members[member] = load_p12(path, secret.encode("utf-8"))
    room = load_p12(room_cert, secret.encode("utf-8")) if room_cert is not None else None
    return members, room


def _seal_ca(keys_dir: Path, room_cert: CertKey, secret: bytes, room: str, rounds: int, demo: bool) -> str:
    """The SHA-256 of the report seal's CA (``room-ca.pem``): the room certificate's own chain when it can make a
    PAdES seal (RSA, ECDSA), else the self-signed room CA (an SM2 room certificate vouches for it)."""
    if room_cert.private_key is not None:
        ca_path = pades.install_room_certificate(keys_dir, secret, room_cert.private_key, room_cert.cert,
                                                 room_cert.chain, rounds=rounds, demo=demo)
    else:
        ca_path, _ = pades.ensure_room_certificate(keys_dir, secret, room, rounds=rounds, demo=demo)
    ca = x509.load_pem_x509_certificate(ca_path.read_bytes())
    return hashlib.sha256(ca.public_bytes(serialization.Encoding.DER)).hexdigest()


def simulate(case_path: Path, out: Path, room: str = "demo-room", passphrase: bytes | None = None,
             kdf_rounds: int = PKCS12_KDF_ROUNDS, member_certs: Path | None = None,
             room_cert: Path | None = None, bidder_keys: Path | None = None) -> Simulation:
    package_read = open_case(case_path)  # every input error is a CaseError (exit 2) before anything is written
    if "decryption" in package_read.document:
        raise SimulationError(f"{case_path}: decryption: simulate plays the decryption at opening with "
                              "--bidder-keys; the case's decryption record is what a session records")
    keys = keys_needed(package_read, bidder_keys, "simulate")
    case = package_read.case
    # A JSON number with a fraction can only remain in a field the format does not define (parse_case
    # refused it everywhere else); `evaluate` ignores such fields, so keep them as decimal strings.
    document = _numbers_as_strings(package_read.document)  # a case file or a package's case.json
    try:
        check_name(room, "room id")
    except ValueError as exc:
        raise SimulationError(str(exc)) from exc
    if (out / "session.sqlite").exists() or (out / "ledger").exists() or (out / "keys").exists():
        raise SimulationError(f"{out}: already holds a simulated session (choose an empty folder)")
    try:  # test tooling: without a passphrase set, the demo one (the key's KDF file says so; a note is printed)
        chosen = passphrases.resolve(passphrases.ROOM, passphrase, demo=True)
    except passphrases.PassphraseError as exc:
        raise SimulationError(str(exc)) from exc

    members_certs, room_certificate = load_certificates([m.id for m in case.committee], member_certs, room_cert)
    chairs = [m.id for m in case.committee if m.chair]
    elected = chairs[0] if len(chairs) == 1 else None
    package = _package(document, elected)
    try:
        check(package)  # before anything is written: a value the ledger cannot hold, named by its path
    except CanonicalError as exc:
        raise SimulationError(f"{case_path}: {exc}") from exc
    try:
        (out / "keys").mkdir(parents=True, exist_ok=True)
        room_key = SigningKey.generate()
        room_key.save(out / "keys" / "room.p12", chosen.secret, rounds=kdf_rounds, demo=chosen.demo)
        vouched = None
        if room_certificate is not None:
            vouched = (room_certificate,
                       _seal_ca(out / "keys", room_certificate, chosen.secret, room, kdf_rounds, chosen.demo))
        session = Session.create(out / "session.sqlite", session_id_for(document), room, package, room_key,
                                 certificate=vouched)
    except ValueError as exc:  # an id the ledger refuses, e.g. a session id with spaces
        raise SimulationError(f"{case_path}: cannot be recorded in the ledger: {exc}") from exc
    try:
        _play(session, case, document, elected, package_read.documents, members_certs,
              Decryption(out, chosen.secret, keys or {}))
        result_text = dump_result(session.state.result().to_json())
        session.export(out / "ledger")
        report = verify_events([(ev, "session.sqlite") for ev in session.store.events()], room_key.public)
        if not report.ok:
            raise RuntimeError("the simulated ledger does not verify: " + "; ".join(report.problems[:3]))
        events = session.store.count()
    finally:
        session.close()
    (out / "result.json").write_text(result_text, encoding="utf-8")
    for bid in package_read.documents:  # the bid files, checked when read: kept for `archive build`
        target = out / BID_FILES / bid.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(bid.data)
    return Simulation(out, session.store.session_id, result_text, events, chosen.demo)


@dataclass
class Decryption:
    """Where a simulation keeps the decrypted bid files (sealed at rest under the room key's passphrase) and the keys
    the bidders present."""

    folder: Path
    passphrase: bytes
    keys: dict[str, BidderKey]


def _decrypt(session: Session, bids: tuple[BidDocument, ...], decryption: Decryption) -> list[BidDocument]:
    """R-OPEN-10: each on-time bidder decrypts its files with the key it presents (none → revoked); the bid files
    the opening then has: the plain ones and the decrypted (as plaintext), not those of an excluded bid."""
    waiting = pending(session)
    if waiting:
        key = data_key(decryption.folder, decryption.passphrase)
        ciphertexts = {b.path: b.data for b in bids if b.encrypted}
        for bidder in waiting:
            decrypt_bid(session, decryption.folder, key, bidder, decryption.keys.get(bidder), ciphertexts)
    decrypted = session.state.decrypted()
    if not decrypted:
        return [b for b in bids if not b.encrypted]
    plain = plaintexts(session, decryption.folder, data_key(decryption.folder, decryption.passphrase))
    out = []
    for bid in bids:
        if not bid.encrypted:
            out.append(bid)
        elif bid.path in decrypted:
            out.append(BidDocument(bid.bidder, bid.path, decrypted[bid.path], bid.part, plain[bid.path]))
    return out


def _play(session: Session, case: Any, document: dict[str, Any], elected: str | None,
          bids: tuple[BidDocument, ...] = (), member_certs: dict[str, CertKey] | None = None,
          decryption: Decryption | None = None) -> None:
    supervisor = SigningKey.generate()
    session.register_supervisor("supervisor", supervisor)
    session.advance("opening")
    opened = _decrypt(session, bids, decryption) if decryption is not None else list(bids)
    session.read_bids()
    record_screen(session, opened)  # the collusion screen's warnings, for the committee and the archive
    if session.state.opening and session.state.opening["refused"]:
        return  # R-OPEN-3: nothing is evaluated; the rule engine reports opening_refused
    session.advance("checkin")
    letter = commitment_letter()
    keys = {m.id: SigningKey.generate() for m in case.committee}
    for member in case.committee:
        session.check_in(member.id, keys[member.id], cert=(member_certs or {}).get(member.id))
        session.sign_letter(keys[member.id], member.id, letter.name, letter.version_sha256)
        session.declare(keys[member.id], member.id, conflict=False)
    session.advance("committee")
    if elected is not None:
        session.elect_chair(elected)
    session.advance("preliminary")
    for member_id, verdicts in document.get("preliminary", {}).items():
        for bidder_id, verdict in verdicts.items():
            session.verdict(keys[member_id], member_id, bidder_id, verdict["pass"], verdict.get("reason"))
    if elected is not None:
        chair = keys[elected]
        for bidder_id, decision in document.get("low_price_decisions", {}).items():
            session.decide_low_price(chair, bidder_id, decision)
        for bidder_id, items in document.get("adjustments", {}).items():
            for item in items:
                session.adjust(chair, bidder_id, item["amount"], item.get("reason") or "")
    # Without exactly one chair the rule engine stops at committee_invalid before any decision counts,
    # so decisions only a chair may record are left out without changing the result.
    session.advance("scoring")
    scores = document.get("scores", {})
    for member in case.committee:
        for bidder_id, row in scores.get(member.id, {}).items():
            for criterion_id, score in row.items():
                session.set_score(keys[member.id], member.id, bidder_id, criterion_id, score)
        session.submit(keys[member.id], member.id)
    session.advance("summary")
    session.advance("report")
    sign_all(session, keys)  # draft report, every member signs it (signature image in the event), final
    session.archive()
