"""Issue 13, defect 12: the center's status (sessions, rooms, archives) is not shown to anyone who can reach
it. With a real `center serve` on 127.0.0.1: `/` answers the service's health only; `/v1/status` answers an
enrolled observer's signed request, and refuses an unsigned one (401) and an enrolled room's (403)."""

from __future__ import annotations

from pathlib import Path

import httpx

import centerkit as ck
from app.center import protocol
from app.crypto.keys import SigningKey
from app.store.ledger_store import LedgerStore
from app.sync.client import CenterClient


def test_the_status_is_for_an_enrolled_observer_only(tmp_path: Path, finished_room) -> None:  # noqa: ANN001
    room = finished_room(tmp_path, "room-a")
    key = SigningKey.load(room / "keys" / "room.p12", b"evalroom-demo")
    with LedgerStore.open(room / "session.sqlite") as store:
        session, records = store.session_id, [ev.to_record() for ev in store.events()]
    data = tmp_path / "center"
    done = ck.run_cli("center", "enroll", "--data", str(data), "--room", "room-a", "--public-key",
                      str(room / "keys" / "room.pub.pem"))
    assert done.returncode == 0, done.stderr
    observer = ck.enroll_observer(data)
    server = ck.start_server(data)
    try:
        with CenterClient(server.url, "room-a", key) as client:
            client.push_events(session, records)
        page = httpx.get(f"{server.url}/")
        assert page.status_code == 200
        for secret in (session, "room-a", ck.OBSERVER, "center.sqlite"):
            assert secret not in page.text
        assert "running" in page.text

        unsigned = httpx.get(f"{server.url}/v1/status")
        assert unsigned.status_code == 401 and session not in unsigned.text
        signed_by_room = protocol.sign_request(key, "room-a", "GET", "/v1/status")
        as_room = httpx.get(f"{server.url}/v1/status", headers=signed_by_room)
        assert as_room.status_code == 403 and session not in as_room.text
        assert "observer" in as_room.json()["error"]

        status = ck.status(server.url, observer)
        assert [s["id"] for s in status["sessions"]] == [session]
        assert sorted(r["id"] for r in status["rooms"]) == ["room-a", ck.OBSERVER]
        assert status["refused_requests"] == 2  # the two above, audited
    finally:
        server.stop()
