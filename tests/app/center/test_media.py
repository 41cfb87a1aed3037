"""Media the events name by SHA-256 (a member's handwritten signature), in process (Starlette's TestClient): a
member's key stores them for its own session only, size-bounded, the bytes checked against the name; the room
fetches them; unsigned and undeclared callers are refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import ledgerkit as lk
from app.center import protocol
from app.center.app import create_app
from app.center.media import MAX_MEDIA
from app.center.service import Center
from app.crypto.keys import SigningKey
from app.sync.client import CenterClient, CenterRefused, member_client


def test_a_member_stores_its_sessions_media_and_the_room_fetches_them(center: Center, tmp_path: Path) -> None:
    kit = lk.start(tmp_path, upto="scoring")
    session, room = kit.session.store.session_id, str(kit.state.room)
    center.enroll(room, kit.room.public)
    http = TestClient(create_app(center), base_url="http://testserver")
    console = CenterClient("http://testserver", room, kit.room, http=http)
    console.push_events(session, [ev.to_record() for ev in kit.session.store.events()])
    member = member_client("http://testserver", kit.members["E1"], http=http)

    png = b"\x89PNG\r\n\x1a\n" + b"signature" * 100
    digest = hashlib.sha256(png).hexdigest()
    receipt = member.put_media(session, digest, png)
    assert protocol.receipt_valid(receipt, center.key.public)
    assert receipt["receipt"] | {"kind": "media", "sha256": digest, "bytes": len(png)} == receipt["receipt"]
    assert member.put_media(session, digest, png)["receipt"]["sha256"] == digest  # again: nothing changes
    assert console.get_media(session, digest) == png
    assert member.get_media(session, digest) == png

    def refused(call: object) -> CenterRefused:
        with pytest.raises(CenterRefused) as caught:
            call()  # type: ignore[operator]
        return caught.value

    assert refused(lambda: member.put_media(session, "0" * 64, png)).status == 400  # not the bytes' SHA-256
    assert refused(lambda: member.put_media(session, "NOT-A-DIGEST", png)).status == 400
    big = b"x" * (MAX_MEDIA + 1)
    assert refused(lambda: member.put_media(session, hashlib.sha256(big).hexdigest(), big)).status == 413
    assert refused(lambda: member.put_media("OTHER-001-01", digest, png)).status == 403  # not its session
    assert refused(lambda: console.get_media(session, "1" * 64)).status == 404
    stranger = member_client("http://testserver", SigningKey.generate(), http=http)
    assert refused(lambda: stranger.get_media(session, digest)).status == 401  # a key no session declared
    unsigned = http.get(f"/v1/sessions/{session}/media/{digest}")
    assert unsigned.status_code == 401
    declared = http.put(f"/v1/sessions/{session}/media/{digest}", content=b"",
                        headers={"Content-Length": str(MAX_MEDIA + 1)})
    assert declared.status_code == 413, declared.text  # refused before the body is read or a signature checked
