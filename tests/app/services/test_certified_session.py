"""One session at the console (the one-window login) with members of four CAs: RSA, ECDSA P-256 and SM2 PKCS#12
files and an ECDSA key on a USB key (SoftHSM2); each certified member's 承诺书, submission and report signature are
co-signed by the certificate, the archive is built and ``evalroom verify --trust`` validates every chain; without
the token's CA the token's member is named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.crypto.certs import load_p12
from app.crypto.tokens import open_token
from app.paths import DEMO_CASE
from app.services.report import demo_signature
from app.services.room import Room
from app.settings import Settings
from opensslpki import PASSPHRASE, make_ca
from softhsm import MODULE, key_with_certificate, needs_softhsm, new_token

pytestmark = [pytest.mark.slow, needs_softhsm]  # a whole session, its report and archive (about 40 s)


def test_four_cas_and_a_usb_key_in_one_session_through_the_archive(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert MODULE is not None
    cas = {alg: make_ca(tmp_path / alg, f"{alg.upper()} CA", alg) for alg in ("rsa", "ecdsa", "sm2")}
    cas["ukey"] = make_ca(tmp_path / "ukey", "UKey CA", "rsa")
    certs = {member: load_p12(cas[alg].issue(f"Expert {member}", tmp_path / f"{member}.p12"), PASSPHRASE.encode())
             for member, alg in (("E1", "rsa"), ("E2", "ecdsa"), ("E3", "sm2"))}
    slot = new_token("session-ukey", "161803")
    key_with_certificate("session-ukey", "161803", cas["ukey"], "Expert E4", "ecdsa")
    certs["E4"] = open_token(MODULE, slot, "161803")
    settings = Settings(trust_ca_files=tuple(ca.pem for ca in cas.values()))
    room = Room(tmp_path / "home", passphrase=b"pw", settings=settings)
    package = tmp_path / "package.json"
    case = json.loads(DEMO_CASE.read_text(encoding="utf-8"))
    package.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    try:
        room.start(package)
        room.open_bids()
        room.advance("checkin")
        stations = {}
        for member in [m["id"] for m in case["committee"]]:
            code = room.check_identity(member, room.take_photo().jpeg)
            station = room.login(code, "2468", cert=certs.get(member))
            station.sign_letter(demo_signature(member), "{}", station.letter().version_sha256)
            station.declare(False, [], "")
            stations[member] = station
        room.advance("committee")
        room.elect_chair("E1")
        room.advance("preliminary")
        for station in stations.values():
            for bidder in ("B1", "B2", "B3", "B4"):
                station.verdict(bidder, True, None)
        room.advance("scoring")
        for member, station in stations.items():
            for bidder, row in case["scores"][member].items():
                for criterion, score in row.items():
                    station.set_score(bidder, criterion, score)
            station.submit()
        room.advance("summary")
        seen = room.draft_report()
        for member, station in stations.items():
            station.sign_report(seen, demo_signature(member))
        room.finalize_report()
        archived = room.build_archive()
    finally:
        room.close()
        certs["E4"].close()  # type: ignore[attr-defined]
    assert archived.problems == [], archived.problems  # the console's own verification after building
    bag = archived.built.bagdir
    acts = [json.loads(line)["event"] for f in (bag / "data" / "ledger").glob("*.jsonl")
            for line in f.read_text().splitlines()]
    co_signed = {(e["type"]) for e in acts if "cert_signature" in e["body"]}
    assert co_signed == {"letter.signed", "score.submitted", "report.signed"}
    assert sum(1 for e in acts if "cert_signature" in e["body"]) == 3 * 4  # four certified members, three acts each
    seal = ["--trust", str(tmp_path / "home" / "keys" / "room-ca.pem")]  # the report seal's CA, pinned
    trust = [*seal, *(arg for ca in cas.values() for arg in ("--trust", str(ca.pem)))]
    capsys.readouterr()
    assert main(["verify", str(bag), "--no-rerender", *trust]) == 0, capsys.readouterr()
    assert main(["verify", str(bag), "--no-rerender", *trust[:-2]]) == 1
    out = capsys.readouterr().out
    assert "certificate: member E4 'Expert E4': untrusted issuer: CN=UKey CA" in out, out
