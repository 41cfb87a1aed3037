"""A hub's relay carries the session's media both ways (in process, Starlette's TestClient): a signature a
member's PC stored at the room's hub goes up to the center once; one a remote venue's PC stored at the center,
named by a letter the hub holds, comes down to the hub."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi.testclient import TestClient

import ledgerkit as lk
from app.center.app import create_app
from app.center.service import Center, Config
from app.crypto.keys import SigningKey
from app.services.session import Session
from app.services.simulate import _package
from app.services.templates import commitment_letter
from app.sync.client import CenterClient, member_client
from app.sync.relay import relay_once


def _png(text: bytes) -> tuple[bytes, str]:
    data = b"\x89PNG\r\n\x1a\n" + text * 50
    return data, hashlib.sha256(data).hexdigest()


def test_the_relay_sends_the_rooms_media_up_and_brings_the_sessions_media_down(tmp_path: Path) -> None:
    (tmp_path / "console").mkdir()
    kit = lk.start(tmp_path / "console", upto="checkin")
    session, room = kit.session.store.session_id, str(kit.state.room)
    for member, key in kit.members.items():
        kit.session.check_in(member, key)
    hub = Center(Config.default(tmp_path / "hub", role="hub"), key=SigningKey.generate())
    center = Center(Config.default(tmp_path / "center"), key=SigningKey.generate())
    try:
        for service in (hub, center):
            service.enroll(room, kit.room.public)
        at_hub = TestClient(create_app(hub), base_url="http://testserver")
        at_center = TestClient(create_app(center), base_url="http://testserver")
        CenterClient("http://testserver", room, kit.room, http=at_hub).push_events(
            session, [ev.to_record() for ev in kit.session.store.events()])
        upstream = CenterClient("http://testserver", room, kit.room, http=at_center)
        assert relay_once(hub, upstream).error is None  # the session reaches the center

        mine, mine_sha = _png(b"E1 at the room")  # E1's PC stored its signature at the hub
        member_client("http://testserver", kit.members["E1"], http=at_hub).put_media(session, mine_sha, mine)
        theirs, theirs_sha = _png(b"E2 elsewhere")  # E2's PC stored its signature at the center, its letter too
        letter = commitment_letter()
        signed = kit.session.sign_letter(kit.members["E2"], "E2", letter.name, letter.version_sha256, theirs_sha)
        e2 = member_client("http://testserver", kit.members["E2"], http=at_center)
        e2.push_events(session, [signed.to_record()])
        e2.put_media(session, theirs_sha, theirs)

        done = relay_once(hub, upstream)
        assert done.error is None and not done.problems, done
        assert done.media == 2 and done.pulled == 1
        assert center.blobs.get(f"media/{session}/{mine_sha}") == mine
        assert hub.blobs.get(f"media/{session}/{theirs_sha}") == theirs
        assert relay_once(hub, upstream).media == 0  # each medium moves once
    finally:
        hub.close()
        center.close()


def test_the_reports_pdf_comes_down_to_a_venue_hub_for_its_pcs(tmp_path: Path) -> None:
    """The main console put its draft at its own hub, which carried it to the center; a remote venue's hub brings it
    down, so the venue's PCs show and sign the very draft the ledger names."""
    (tmp_path / "console").mkdir()
    kit = lk.start(tmp_path / "console")
    kit.score_all()
    kit.session.advance("summary")
    kit.session.advance("report")
    session, room = kit.session.store.session_id, str(kit.state.room)
    pdf = b"%PDF-1.4\n" + b"draft " * 500
    digest = hashlib.sha256(pdf).hexdigest()
    kit.session.draft_report(digest, "#1 root", kit.session.store.frontier())
    hub = Center(Config.default(tmp_path / "venue-hub", role="hub"), key=SigningKey.generate())
    center = Center(Config.default(tmp_path / "center"), key=SigningKey.generate())
    try:
        for service in (hub, center):
            service.enroll(room, kit.room.public)
        at_hub = TestClient(create_app(hub), base_url="http://testserver")
        at_center = TestClient(create_app(center), base_url="http://testserver")
        main = CenterClient("http://testserver", room, kit.room, http=at_center)
        main.push_events(session, [ev.to_record() for ev in kit.session.store.events()])
        main.put_media(session, digest, pdf)
        CenterClient("http://testserver", room, kit.room, http=at_hub).push_events(
            session, [ev.to_record() for ev in kit.session.store.events()])
        done = relay_once(hub, CenterClient("http://testserver", room, kit.room, http=at_center))
        assert done.error is None and not done.problems, done
        assert hub.blobs.get(f"media/{session}/{digest}") == pdf
    finally:
        hub.close()
        center.close()


def test_the_bid_files_come_down_to_a_venue_hub_once_the_bids_are_opened(tmp_path: Path) -> None:
    """Issue 18 item 3: the main console's hub carried the bid files to the center; a remote venue's hub brings them
    down for its experts' PCs, but only once the session's ledger says the bids were opened."""
    pdf = b"%PDF-1.7\n" + b"technical proposal " * 200
    digest = hashlib.sha256(pdf).hexdigest()
    doc = lk.document()
    doc["bidders"][0]["documents"] = [{"path": "bids/B1/technical.pdf", "sha256": digest, "part": "technical"}]
    (tmp_path / "console").mkdir()
    room_key = SigningKey.generate()
    session = Session.create(tmp_path / "console" / "s.sqlite", "T-BIDS-01", "test-room", _package(doc, "E1"),
                             room_key)
    hub = Center(Config.default(tmp_path / "venue-hub", role="hub"), key=SigningKey.generate())
    center = Center(Config.default(tmp_path / "center"), key=SigningKey.generate())
    try:
        for service in (hub, center):
            service.enroll("test-room", room_key.public)
        at_hub = TestClient(create_app(hub), base_url="http://testserver")
        at_center = TestClient(create_app(center), base_url="http://testserver")
        main = CenterClient("http://testserver", "test-room", room_key, http=at_center)
        venue = CenterClient("http://testserver", "test-room", room_key, http=at_hub)

        def push_both() -> None:
            records = [ev.to_record() for ev in session.store.events()]
            main.push_events("T-BIDS-01", records)
            venue.push_events("T-BIDS-01", records)

        push_both()
        main.put_media("T-BIDS-01", digest, pdf)
        upstream = CenterClient("http://testserver", "test-room", room_key, http=at_center)
        assert relay_once(hub, upstream).error is None
        assert not hub.blobs.exists(f"media/T-BIDS-01/{digest}")  # not opened yet: not brought down
        session.advance("opening")
        session.read_bids()
        push_both()
        done = relay_once(hub, upstream)
        assert done.error is None and not done.problems, done
        assert hub.blobs.get(f"media/T-BIDS-01/{digest}") == pdf
    finally:
        session.close()
        hub.close()
        center.close()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_venue_hub_brings_down_only_the_decrypted_files_the_folded_ledger_records(tmp_path: Path) -> None:
    """R-OPEN-10 through the relay: the hub checks an event's signature and chain, not its meaning. A room-signed
    ``opening.decrypted`` that the fold refuses (a second plaintext for a file already decrypted; one for a bid
    already excluded) is named in the relay's problems and its file is not brought down; no file of the excluded
    bid comes down either (its plain part neither); the decrypted file the ledger records does."""
    pdf = {name: b"%PDF-1.7\n" + name.encode() * 300 for name in ("T1", "forged T1", "forged T2", "P2", "P3")}
    cipher = {b: b"EVRBID1\n" + b.encode() * 100 for b in ("B1", "B2")}
    enc = {"scheme": "passphrase"}
    doc = lk.document()
    b1, b2, b3 = doc["bidders"][:3]
    b1["documents"] = [{"path": "bids/B1/technical.pdf.evrbid", "sha256": _sha(cipher["B1"]), "part": "technical",
                        "encryption": enc}]
    b2["documents"] = [{"path": "bids/B2/commercial.pdf", "sha256": _sha(pdf["P2"]), "part": "commercial"},
                       {"path": "bids/B2/technical.pdf.evrbid", "sha256": _sha(cipher["B2"]), "part": "technical",
                        "encryption": enc}]
    b3["documents"] = [{"path": "bids/B3/technical.pdf", "sha256": _sha(pdf["P3"]), "part": "technical"}]
    assert (b1["id"], b2["id"], b3["id"]) == ("B1", "B2", "B3")
    (tmp_path / "console").mkdir()
    room_key = SigningKey.generate()
    session = Session.create(tmp_path / "console" / "s.sqlite", "T-BIDS-02", "test-room", _package(doc, "E1"),
                             room_key)
    hub = Center(Config.default(tmp_path / "venue-hub", role="hub"), key=SigningKey.generate())
    center = Center(Config.default(tmp_path / "center"), key=SigningKey.generate())
    try:
        for service in (hub, center):
            service.enroll("test-room", room_key.public)
        session.advance("opening")
        session.record_decrypted("B1", "bids/B1/technical.pdf.evrbid", "passphrase", _sha(cipher["B1"]),
                                 _sha(pdf["T1"]))
        session.record_decryption_failed("B2", "bids/B2/technical.pdf.evrbid", "wrong_passphrase", "")
        forged = [session.write(room_key, "opening.decrypted",  # signed by the room; the fold refuses both
                                {"bidder": bidder, "path": path, "scheme": "passphrase",
                                 "ciphertext_sha256": _sha(cipher[bidder]), "plaintext_sha256": _sha(pdf[name])})
                  for bidder, path, name in (("B1", "bids/B1/technical.pdf.evrbid", "forged T1"),
                                             ("B2", "bids/B2/technical.pdf.evrbid", "forged T2"))]
        assert {r.event_id for r in session.state.rejections} >= {ev.id for ev in forged}
        session.read_bids()
        at_hub = TestClient(create_app(hub), base_url="http://testserver")
        at_center = TestClient(create_app(center), base_url="http://testserver")
        main = CenterClient("http://testserver", "test-room", room_key, http=at_center)
        records = [ev.to_record() for ev in session.store.events()]
        main.push_events("T-BIDS-02", records)
        CenterClient("http://testserver", "test-room", room_key, http=at_hub).push_events("T-BIDS-02", records)
        for data in pdf.values():  # the main console's hub put every one of them at the center
            main.put_media("T-BIDS-02", _sha(data), data)

        done = relay_once(hub, main)
        assert done.error is None
        held = {name for name, data in pdf.items() if hub.blobs.exists(f"media/T-BIDS-02/{_sha(data)}")}
        assert held == {"T1", "P3"}  # not the forged plaintexts, nor the excluded B2's plain commercial part
        refused = [p for p in done.problems if "not the one the folded ledger records" in p]
        assert len(refused) == 2, done.problems
        assert any("B1's decrypted file bids/B1/technical.pdf.evrbid" in p and _sha(pdf["forged T1"])[:12] in p
                   for p in refused)
        assert any("B2's decrypted file bids/B2/technical.pdf.evrbid" in p and _sha(pdf["forged T2"])[:12] in p
                   for p in refused)
    finally:
        session.close()
        hub.close()
        center.close()
