"""Decryption of the encrypted bid files at opening (R-OPEN-10; docs/bid-package.md "Encrypted bid files").

Each bidder presents its own key on the console (its PKCS#12 file and passphrase, or its USB key and PIN, for a
``cms`` file; its passphrase for a ``passphrase`` file) within the tender's time limit
(``opening.decryption_minutes``, default 30, from the start of the opening). Every file's result is the room's
event: ``opening.decrypted`` (the plaintext's SHA-256) or ``opening.decryption_failed`` (the cause). The first
failure of a bidder's file excludes its bid (the fold derives revoked / withdrawn from the cause); its other files
are not tried. The ciphertext is checked against the package's SHA-256 before anything else, so a key failure is
known to be the bidder's and a changed file the platform's.

A decrypted file is kept beside the session, sealed at rest (``decrypted/<plaintext sha256>.sealed``, AES-256-GCM
under the session's data key, which is kept under the room key's passphrase: :mod:`app.crypto.bid_crypto`).
Everything here is file and key work: the GUI calls it from its database worker, never the GUI thread."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from app.crypto import bid_crypto
from app.crypto.bid_crypto import DecryptionFailed
from app.crypto.tokens import TokenError, open_decryption_token
from app.domain.decryption import CAUSE_EN, DEFAULT_LIMIT_MINUTES, encrypted_documents, outcome_of
from app.errors import EvalRoomError
from app.ledger.events import parse_stamp
from app.services.bid_documents import DECRYPTED
from app.services.bid_package import BID_FILES, _is_pdf
from app.services.session import Session
from app.settings import Settings


class BidderKeyError(EvalRoomError):
    """A bidder key folder that cannot be used (exit 2)."""


@dataclass(frozen=True)
class BidderKey:
    """What a bidder presents: its PKCS#12 file's bytes (with ``passphrase`` as its password), or its USB key (a
    PKCS#11 token: the module and slot from the console's settings, ``token_pin`` typed, never stored or logged),
    or the passphrase of its passphrase-encrypted files, or the passphrase with one of the others."""

    p12: bytes | None = None
    passphrase: bytes | None = field(default=None, repr=False)
    token_module: Path | None = None
    token_slot: int | None = None
    token_pin: str | None = field(default=None, repr=False)


def token_key(settings: Settings, pin: str, passphrase: bytes | None = None) -> BidderKey:
    """The bidder's key on its USB key in the console's PKCS#11 module (``pkcs11_module``, slot ``pkcs11_slot``, as
    :func:`app.services.certificates.open_token_certificate`), logged in with ``pin`` when its files are decrypted."""
    if settings.pkcs11_module is None:
        raise TokenError(key="token.not_configured")
    return BidderKey(passphrase=passphrase, token_module=settings.pkcs11_module, token_slot=settings.pkcs11_slot,
                     token_pin=pin)


def _open_cms_on_token(ciphertext: bytes, key: BidderKey) -> bytes:
    """Log in once (a wrong PIN is not retried: it must not lock the token), find the certificate the file is
    encrypted to, unwrap the file's key on the token. A wrong PIN is the bidder's ``wrong_passphrase``; a locked
    token or none of its certificates with an RSA key ``bad_key_file``. A module or token not found is not the
    bidder's key failing: :class:`TokenError`, nothing recorded (plug the token in, present it again)."""
    assert key.token_module is not None
    try:
        token = open_decryption_token(key.token_module, key.token_slot, key.token_pin or "")
    except TokenError as exc:
        which = getattr(exc, "key", None)
        if which in ("token.pin_wrong", "token.pin_missing"):
            raise DecryptionFailed("wrong_passphrase", exc.message("en")) from exc
        if which in ("token.pin_locked", "token.no_certificate"):
            raise DecryptionFailed("bad_key_file", exc.message("en")) from exc
        raise
    try:
        recipients = set(bid_crypto.cms_recipients(ciphertext))
        own = [c for c in token.certificates if (c.issuer.public_bytes().hex(), c.serial_number) in recipients]
        if not own:
            serials = ", ".join(f"{c.serial_number:x}" for c in token.certificates)
            raise DecryptionFailed("wrong_key", f"the file is not encrypted to a certificate on USB key "
                                                f"{token.label!r} (serial {serials})")
        return bid_crypto.open_cms_unwrapping(ciphertext, own[0], token.unwrapper(own[0]))
    finally:
        token.close()


@dataclass(frozen=True)
class FileOutcome:
    bidder: str
    path: str
    ok: bool
    plaintext_sha256: str | None = None
    cause: str | None = None
    detail: str = ""

    @property
    def outcome(self) -> str | None:
        return None if self.ok or self.cause is None else outcome_of(self.cause)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decrypt_file(ciphertext: bytes, scheme: str, listed_sha256: str, declared: str | None,
                 key: BidderKey | None) -> bytes:
    """The plaintext of one encrypted bid file, or :class:`DecryptionFailed` with its cause (R-OPEN-10)."""
    actual = _sha(ciphertext)
    if actual != listed_sha256:
        raise DecryptionFailed("ciphertext_differs", f"SHA-256 {actual} instead of the registered {listed_sha256}")
    if scheme == "cms" and key is not None and key.token_module is not None:
        plaintext = _open_cms_on_token(ciphertext, key)
    elif scheme == "cms":
        if key is None or key.p12 is None:
            raise DecryptionFailed("no_key", "no PKCS#12 key file or USB key presented")
        certificate, private_key = bid_crypto.load_bidder_p12(key.p12, key.passphrase or b"")
        plaintext = bid_crypto.open_cms(ciphertext, certificate, private_key)
    else:
        if key is None or not key.passphrase:
            raise DecryptionFailed("no_key", "no passphrase presented")
        plaintext = bid_crypto.open_passphrase(ciphertext, key.passphrase)
    plain = _sha(plaintext)
    if declared is not None and plain != declared:
        raise DecryptionFailed("plaintext_differs", f"SHA-256 {plain} instead of the declared {declared}")
    if not _is_pdf(plaintext):
        raise DecryptionFailed("not_pdf", "the decrypted file is not a PDF")
    return plaintext


def scheme_of(package: Any, path: str) -> str:
    for bidder in package.get("bidders", []):
        for item in bidder.get("documents") or []:
            if isinstance(item, dict) and item.get("path") == path:
                return str(item["encryption"]["scheme"])
    raise KeyError(path)


def pending(session: Session) -> dict[str, list[tuple[str, str, str | None]]]:
    """Bidder → (path, ciphertext sha256, declared plaintext sha256) of the encrypted files still to decrypt, for
    the on-time bidders not yet excluded, in package order."""
    state = session.state
    case = state.base_case
    assert case is not None
    late = {b.id for b in case.bidders if b.submitted_at > case.deadline}
    failed = set(state.decryption_failures())
    out: dict[str, list[tuple[str, str, str | None]]] = {}
    for bidder, path, cipher, declared in encrypted_documents(state.package):
        if bidder not in late and bidder not in failed and path not in state.decryption:
            out.setdefault(bidder, []).append((path, cipher, declared))
    return out


def deadline(session: Session) -> datetime | None:
    """When the decryption time limit ends (None before the opening has started)."""
    state = session.state
    if state.opening_started is None:
        return None
    case = state.base_case
    minutes = case.decryption_minutes if case is not None and case.decryption_minutes is not None \
        else DEFAULT_LIMIT_MINUTES
    return parse_stamp(state.opening_started) + timedelta(minutes=minutes)


def past_limit(session: Session) -> bool:
    """Whether the decryption time limit has passed, by the session's clock (the time its next event gets)."""
    end = deadline(session)
    return end is not None and parse_stamp(session.clock.now()) > end


def decrypt_bid(session: Session, folder: Path, data_key: bytes, bidder: str, key: BidderKey | None,
                ciphertexts: dict[str, bytes] | None = None) -> list[FileOutcome]:
    """Decrypt the bidder's pending files with ``key`` and record each result; stops at the first failure (the bid
    is excluded). ``ciphertexts``: path → bytes (simulate, from the package read); else read from ``folder``'s
    ``bid-files/`` (the console's copy, which the platform keeps). After the time limit a key presented counts as
    none (``no_key``)."""
    outcomes = []
    late_key = past_limit(session)
    end = deadline(session)
    for path, cipher, declared in pending(session).get(bidder, []):
        scheme = scheme_of(session.state.package, path)
        try:
            if late_key:
                raise DecryptionFailed("no_key", f"no key presented within the time limit (it ended {end:%H:%M} UTC)")
            if ciphertexts is not None and path in ciphertexts:
                data = ciphertexts[path]
            else:
                source = folder / BID_FILES / path
                if not source.is_file():
                    raise DecryptionFailed("file_missing", f"{BID_FILES}/{path} is not where the platform kept it")
                data = source.read_bytes()
            plaintext = decrypt_file(data, scheme, cipher, declared, key)
        except DecryptionFailed as failure:
            session.record_decryption_failed(bidder, path, failure.cause, failure.detail)
            outcomes.append(FileOutcome(bidder, path, False, cause=failure.cause, detail=failure.detail))
            break
        plain = _sha(plaintext)
        keep(folder, data_key, plaintext)
        session.record_decrypted(bidder, path, scheme, cipher, plain)
        outcomes.append(FileOutcome(bidder, path, True, plaintext_sha256=plain))
    return outcomes


def record_no_key(session: Session, bidder: str, detail: str = "") -> list[FileOutcome]:
    """The bidder presents no key (within the time limit, or says it cannot): its bid is deemed revoked."""
    files = pending(session).get(bidder, [])
    if not files:
        return []
    path = files[0][0]
    text = detail or CAUSE_EN["no_key"]
    session.record_decryption_failed(bidder, path, "no_key", text)
    return [FileOutcome(bidder, path, False, cause="no_key", detail=text)]


def keep(folder: Path, data_key: bytes, plaintext: bytes) -> Path:
    """Seal a decrypted file at rest beside the session (``decrypted/<sha256>.sealed``)."""
    target = folder / DECRYPTED / f"{_sha(plaintext)}.sealed"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(bid_crypto.seal_at_rest(data_key, plaintext))
    os.replace(tmp, target)
    return target


def data_key(folder: Path, passphrase: bytes) -> bytes:
    """The session's data key for its decrypted files (made on first use, under the room key's passphrase)."""
    return bid_crypto.session_data_key(folder / DECRYPTED, passphrase)


def plaintexts(session: Session, folder: Path, key: bytes) -> dict[str, bytes]:
    """Encrypted bid file path → its decrypted bytes, kept at rest (each checked by its SHA-256 from the ledger)."""
    out = {}
    for path, sha in session.state.decrypted().items():
        sealed = folder / DECRYPTED / f"{sha}.sealed"
        out[path] = bid_crypto.open_at_rest(key, sealed.read_bytes(), sha)
    return out


# -- bidder key folders (`simulate` / `evaluate --bidder-keys DIR`) ---------------------------------------------
def read_key_folder(folder: Path, bidders: list[str]) -> dict[str, BidderKey]:
    """``<bidder id>.p12`` and ``<bidder id>.passphrase`` (one line, UTF-8) of each bidder that has them; a bidder
    with neither presents no key."""
    if not folder.is_dir():
        raise BidderKeyError(f"--bidder-keys {folder}: no such folder")
    keys = {}
    for bidder in bidders:
        p12_path, pass_path = folder / f"{bidder}.p12", folder / f"{bidder}.passphrase"
        p12 = p12_path.read_bytes() if p12_path.is_file() else None
        passphrase = None
        if pass_path.is_file():
            try:
                passphrase = pass_path.read_bytes().decode("utf-8").rstrip("\r\n").encode("utf-8")
            except UnicodeDecodeError as exc:
                raise BidderKeyError(f"{pass_path}: is not UTF-8 text") from exc
        if p12 is not None or passphrase is not None:
            keys[bidder] = BidderKey(p12, passphrase)
    return keys


def headless_outcomes(package: Any, keys: dict[str, BidderKey]) -> tuple[dict[str, dict[str, str]],
                                                                        dict[str, bytes]]:
    """Decryption without a session (``evaluate --bidder-keys``): bidder → {"outcome", "cause"} of the excluded
    (the case's ``decryption`` record, as a session folds it: late bids are not decrypted, a bidder's first failure
    excludes it) and path → plaintext of the decrypted. ``package``: a read
    :class:`~app.services.bid_package.Package`."""
    failures: dict[str, dict[str, str]] = {}
    plain: dict[str, bytes] = {}
    case = package.case
    late = {b.id for b in case.bidders if b.submitted_at > case.deadline}
    for doc in package.documents:
        if not doc.encrypted or doc.bidder in failures or doc.bidder in late:
            continue
        try:
            plain[doc.path] = decrypt_file(doc.data, doc.scheme, doc.sha256, doc.plaintext_sha256,
                                           keys.get(doc.bidder))
        except DecryptionFailed as failure:
            failures[doc.bidder] = {"outcome": outcome_of(failure.cause), "cause": failure.cause}
    return failures, plain


def keys_needed(package: Any, bidder_keys: Path | None, command: str) -> dict[str, BidderKey] | None:
    """The bidders' keys of ``--bidder-keys`` for a package with encrypted files; None for a package without.
    A package with encrypted files needs the folder (a bidder with no key in it presents none), and its case may
    not carry a ``decryption`` record as well (one or the other)."""
    encrypted = [d for d in package.documents if d.encrypted]
    if not encrypted:
        if bidder_keys is not None and not bidder_keys.is_dir():
            raise BidderKeyError(f"--bidder-keys {bidder_keys}: no such folder")
        return None
    if "decryption" in package.document:
        if bidder_keys is not None:
            raise BidderKeyError(f"{command}: the case already records its decryption (the decryption field): "
                                 "give --bidder-keys or the record, not both")
        return None
    if bidder_keys is None:
        raise BidderKeyError(f"{encrypted[0].path}: is encrypted; present the bidders' keys with --bidder-keys DIR "
                             "(<bidder id>.p12 and/or <bidder id>.passphrase; a bidder with none there is deemed to "
                             "have revoked its bid, R-OPEN-10)")
    return read_key_folder(bidder_keys, [b.id for b in package.case.bidders])
