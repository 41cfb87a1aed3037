"""Check-in with a member's certificate at the console (the one-window login): the settings' trust store (CA files,
a CA folder, a folder of CRLs kept locally) refuses an expired, a revoked and an untrusted certificate, naming its
subject and the reason, and leaves the one-time code usable; members of three CAs (RSA, ECDSA, SM2) check in to one
session, and their 承诺书 is signed with the certificate's key."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.crypto.certs import load_p12
from app.ledger import certified
from app.paths import DEMO_CASE
from app.services.certificates import CertificateRefused
from app.services.room import DeskError, Room
from app.settings import Settings
from opensslpki import PASSPHRASE, Ca, make_ca

pytestmark = pytest.mark.slow  # three CAs and seven certificates made by openssl, a session file (about 15 s)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Ca]]:
    base = tmp_path_factory.mktemp("checkin-pki")
    cas = {alg: make_ca(base / alg, f"{alg.upper()} CA", alg) for alg in ("rsa", "ecdsa", "sm2")}
    cas["other"] = make_ca(base / "other", "Other CA", "ecdsa")  # trusted by nobody here
    for alg in ("rsa", "ecdsa", "sm2"):
        cas[alg].issue(f"Expert {alg}", base / f"{alg}.p12")
    cas["rsa"].issue_dated("Expert Expired", base / "expired.p12", "20240101000000Z", "20250101000000Z")
    cas["sm2"].issue_dated("Expert Revoked", base / "revoked.p12", "20250101000000Z", "20350101000000Z")
    cas["sm2"].revoke(base / "revoked.p12")
    cas["other"].issue("Expert Untrusted", base / "untrusted.p12")
    (base / "cas").mkdir()
    for alg in ("ecdsa", "sm2"):  # the CA folder; the RSA CA comes from trust_ca_files
        (base / "cas" / f"{alg}.crt").write_bytes(cas[alg].pem.read_bytes())
    (base / "crls").mkdir()
    cas["sm2"].crl(base / "crls" / "sm2.crl", der=True)
    cas["rsa"].crl(base / "crls" / "rsa.pem")
    return base, cas


def _room(home: Path, settings: Settings, tmp_path: Path) -> Room:
    room = Room(home, passphrase=b"pw", settings=settings)
    case = json.loads(DEMO_CASE.read_text(encoding="utf-8"))
    package = tmp_path / "package.json"
    package.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    room.start(package)
    room.open_bids()
    room.advance("checkin")
    return room


def _cert(base: Path, name: str):  # type: ignore[no-untyped-def]
    return load_p12(base / f"{name}.p12", PASSPHRASE.encode())


def test_three_cas_check_in_and_bad_certificates_are_refused_naming_them(
        pki: tuple[Path, dict[str, Ca]], tmp_path: Path) -> None:
    base, cas = pki
    settings = Settings(trust_ca_files=(cas["rsa"].pem,), trust_ca_folder=base / "cas", trust_crl_folder=base / "crls")
    room = _room(tmp_path / "home", settings, tmp_path)
    code = room.check_identity("E1", room.take_photo().jpeg)
    for bad, reason in (("expired", "expired on 2025-01-01"), ("revoked", "revoked on"),
                        ("untrusted", "untrusted issuer: CN=Other CA")):
        with pytest.raises(CertificateRefused) as refused:
            room.login(code, "2468", cert=_cert(base, bad))
        subject = f"CN=Expert {bad.capitalize()}"
        assert re.search(f"^certificate '{subject}' refused: .*{reason}", str(refused.value)), refused.value
        assert f"证书“{subject}”不被接受" in refused.value.message("zh")
    assert room.state.members["E1"].author is None  # nothing bound
    stations = {"E1": room.login(code, "2468", cert=_cert(base, "rsa"))}  # the same code still works
    for member, alg in (("E2", "ecdsa"), ("E3", "sm2")):
        stations[member] = room.login(room.check_identity(member, room.take_photo().jpeg), "2468",
                                      cert=_cert(base, alg))
    for station in stations.values():  # the 承诺书, signed by the session key and co-signed by the certificate
        station.sign_letter(b"png", "{}", station.letter().version_sha256)
    assert room.session is not None
    events = room.session.store.events()
    checkins = {ev.body["member"]: ev for ev in events if ev.type == "checkin"}
    for member, alg in (("E1", "rsa"), ("E2", "ecdsa"), ("E3", "sm2")):
        cert, _chain, signature = certified.parse(checkins[member].body["certificate"])
        assert cert.subject.rfc4514_string() == f"CN=Expert {alg}"
        key_id = room.state.members[member].author
        assert key_id is not None
        assert certified.signature_valid(cert, signature, certified.checkin_message(
            room.session.store.session_id, member, key_id, cert))
        letter = next(ev for ev in events if ev.type == "letter.signed" and ev.author == key_id)
        assert certified.signature_valid(cert, letter.body[certified.SIGNATURE_FIELD], certified.act_message(
            letter.session, letter.author, letter.type, letter.body))
    shown = {m.id: m.certificate for m in room.view().members}  # what the console's check-in page lists
    assert shown["E1"] == "CN=Expert rsa" and shown["E3"] == "CN=Expert sm2" and shown["E4"] is None
    room.close()


def test_without_a_trusted_ca_a_certificate_is_refused_and_the_plain_login_works(
        pki: tuple[Path, dict[str, Ca]], tmp_path: Path) -> None:
    base, _cas = pki
    room = _room(tmp_path / "home", Settings(), tmp_path)
    code = room.check_identity("E1", room.take_photo().jpeg)
    with pytest.raises(CertificateRefused, match="no trusted CA is configured on this computer"):
        room.login(code, "2468", cert=_cert(base, "rsa"))
    room.login(code, "2468")  # no certificate: the session key alone, as before
    with pytest.raises(DeskError):
        room.login(code, "2468")  # spent
    room.close()
