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
