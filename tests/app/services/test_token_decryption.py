"""Issue 18 item 2 with the bidder's key on a PKCS#11 token (SoftHSM2, a real module): an RSA key pair generated on
the token, its certificate issued by the openssl test PKI, bid PDFs encrypted to it by ``openssl cms -encrypt``
(PKCS#1 v1.5 and OAEP key transport, AES-256-CBC) and decrypted on the console, the token unwrapping the key; a
wrong PIN is the bidder's cause (revoked) and does not lock the token; a file to another certificate is
``wrong_key``."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

import encbids
from app.crypto.tokens import TokenError
from app.services.desk_actions import DeskError
from app.services.room import Room
from app.settings import Settings
from opensslpki import make_ca
from softhsm import MODULE, key_with_certificate, needs_softhsm, new_token

pytestmark = needs_softhsm
PIN = "112233"
WRONG_PIN = "975310"
PASS = b"console passphrase"


def _cms(work: Path, plaintext: bytes, crt: Path, name: str, *extra: str) -> bytes:
    src, out = work / f"{name}.pdf", work / f"{name}.p7m"
    src.write_bytes(plaintext)
    subprocess.run(["openssl", "cms", "-encrypt", "-binary", "-outform", "DER", "-aes256", "-in", str(src), "-out",
                    str(out), "-recip", str(crt), *extra], check=True, capture_output=True)
    return out.read_bytes()


def _package(folder: Path, token_crt: Path) -> dict[str, str]:
    """B2 to the token's certificate (PKCS#1 v1.5), B3 too (its representative types a wrong PIN), B4 to another
    certificate, B5 to the token's certificate with OAEP; B1 plain. Returns the plaintexts' SHA-256."""
    package, work = folder / "package", folder / "work"
    package.mkdir(parents=True)
    work.mkdir()
    other_crt, _ = encbids.bidder_certificate(work, "other")
    document: dict[str, Any] = json.loads(encbids.EXAMPLE.read_text(encoding="utf-8"))
    plain = {}
    for bidder in document["bidders"]:
        bid = bidder["id"]
        data = encbids.long_pdf(bid, 3)
        plain[bid] = hashlib.sha256(data).hexdigest()
        entry: dict[str, Any] = {"part": "technical"}
        if bid == "B1":
            rel, shipped = f"bids/{bid}/technical.pdf", data
        else:
            extra = ("-keyopt", "rsa_padding_mode:oaep") if bid == "B5" else ()
            shipped = _cms(work, data, other_crt if bid == "B4" else token_crt, bid, *extra)
            rel = f"bids/{bid}/technical.pdf.p7m"
            entry["encryption"] = {"scheme": "cms", "plaintext_sha256": plain[bid]}
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_bytes(shipped)
        bidder["documents"] = [{"path": rel, "sha256": hashlib.sha256(shipped).hexdigest(), **entry}]
    (package / "case.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return plain


def test_the_console_decrypts_with_the_bidders_usb_key(tmp_path: Path) -> None:
    assert MODULE is not None
    ca = make_ca(tmp_path / "ca", "Bidder CA", "rsa")
    slot = new_token("bidder-key", PIN)
    crt = key_with_certificate("bidder-key", PIN, ca, "Bidder B2 Token", "rsa")
    plain = _package(tmp_path / "built", crt)
    room = Room(tmp_path / "console", "token-room", passphrase=PASS,
                settings=Settings(pkcs11_module=MODULE, pkcs11_slot=slot))
    room.start(tmp_path / "built" / "package")
    try:
        assert room.open_bids() is None
        with pytest.raises(DeskError):
            room.decrypt_bid("B2", None, "", token_pin="")  # no PIN typed: nothing tried, nothing recorded
        [wrong] = room.decrypt_bid("B3", None, "", token_pin=WRONG_PIN)  # one try, not retried
        assert (wrong.cause, wrong.outcome) == ("wrong_passphrase", "revoked")
        assert WRONG_PIN not in wrong.detail and "wrong PIN" in wrong.detail
        [ok] = room.decrypt_bid("B2", None, "", token_pin=PIN)  # the token is not locked by the wrong PIN
        assert ok.ok and ok.plaintext_sha256 == plain["B2"]
        [oaep] = room.decrypt_bid("B5", None, "", token_pin=PIN)
        assert oaep.ok and oaep.plaintext_sha256 == plain["B5"]
        [other] = room.decrypt_bid("B4", None, "", token_pin=PIN)
        assert (other.cause, other.outcome) == ("wrong_key", "revoked")
        failures = room.state.decryption_failures()
        assert failures == {"B3": {"outcome": "revoked", "cause": "wrong_passphrase"},
                            "B4": {"outcome": "revoked", "cause": "wrong_key"}}
        events = [e for e in room.view().events if e.type.startswith("opening.decrypt")]
        assert [e.type for e in events] == ["opening.decryption_failed", "opening.decrypted", "opening.decrypted",
                                            "opening.decryption_failed"]
        opening = room.open_bids()
        assert opening is not None and set(opening["excluded"]) == {"B3", "B4"}
        files = {f.bidder: f for f in room.bid_files()}
        assert files["B2"].sha256 == plain["B2"] and files["B5"].sha256 == plain["B5"]
    finally:
        room.close()
    for kept in (tmp_path / "console").rglob("*"):  # neither PIN is stored or logged anywhere the console keeps
        if kept.is_file():
            data = kept.read_bytes()
            assert PIN.encode() not in data and WRONG_PIN.encode() not in data, kept


def test_a_missing_token_is_named_and_not_recorded(tmp_path: Path) -> None:
    assert MODULE is not None
    ca = make_ca(tmp_path / "ca", "Bidder CA", "rsa")
    new_token("bidder-key-2", PIN)
    crt = key_with_certificate("bidder-key-2", PIN, ca, "Bidder Token 2", "rsa")
    _package(tmp_path / "built", crt)
    room = Room(tmp_path / "console", "token-room", passphrase=PASS,
                settings=Settings(pkcs11_module=MODULE, pkcs11_slot=4242))
    room.start(tmp_path / "built" / "package")
    try:
        room.open_bids()
        with pytest.raises(TokenError, match=r"no USB key found \(.*slot 4242\)"):
            room.decrypt_bid("B2", None, "", token_pin=PIN)
        assert room.state.decryption_failures() == {}  # the bidder may plug it in and present it again
    finally:
        room.close()
