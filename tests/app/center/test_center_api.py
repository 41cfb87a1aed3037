"""The center's API in process (Starlette's TestClient): sync, verification on receipt, auth, archives, stream."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import centerkit as ck
from app.center import protocol
from app.center.app import create_app
from app.center.service import Center
from app.crypto.keys import SigningKey
from app.ledger.events import from_line, new_event, utc_stamp
from app.store.ledger_store import LedgerStore
from app.sync.client import CenterClient, CenterRefused


def records_of(folder: Path) -> list[dict[str, Any]]:
    with LedgerStore.open(folder / "session.sqlite") as store:
        return [ev.to_record() for ev in store.events()]


def room_key(folder: Path) -> SigningKey:
    return SigningKey.load(folder / "keys" / "room.p12", b"evalroom-demo")


def client_for(center: Center, room: str, key: SigningKey) -> CenterClient:
    return CenterClient("http://testserver", room, key,
                        http=TestClient(create_app(center), base_url="http://testserver"))


@pytest.fixture(scope="module")
def rooms(tmp_path_factory: pytest.TempPathFactory, finished_room) -> dict[str, Path]:  # noqa: ANN001
    base = tmp_path_factory.mktemp("rooms")
    return {"room-a": finished_room(base, "room-a", archived=True), "room-b": finished_room(base, "room-b")}


def enrolled(center: Center, rooms: dict[str, Path], room: str = "room-a") -> tuple[CenterClient, SigningKey, str]:
    key = room_key(rooms[room])
    center.enroll(room, key.public)
    with LedgerStore.open(rooms[room] / "session.sqlite") as store:
        session = store.session_id
    return client_for(center, room, key), key, session


def test_push_verifies_stores_and_signs_a_receipt_idempotently(center: Center, rooms: dict[str, Path]) -> None:
    client, _key, session = enrolled(center, rooms)
    records = records_of(rooms["room-a"])
    first = client.push_events(session, records)
    assert len(first["accepted"]) == len(records) and not first["rejected"]
    assert protocol.receipt_valid(first["receipt"], center.key.public)
    assert sorted(first["receipt"]["receipt"]["events"]) == sorted(r["id"] for r in records)
    again = client.push_events(session, list(reversed(records)))  # order does not matter; nothing new
    assert again["accepted"] == [] and len(again["held"]) == len(records) and not again["rejected"]
    assert client.frontier(session) == first["frontier"]
    pulled = client.pull(session, {})
    assert sorted(r["id"] for r in pulled["records"]) == sorted(r["id"] for r in records)
    room_author = records[0]["event"]["author"]
    partial = client.pull(session, {room_author: 3})
    assert all(r["event"]["author"] != room_author or r["event"]["seq"] > 3 for r in partial["records"])
    assert center.verify_all() == []


def test_every_event_is_checked_on_receipt(center: Center, rooms: dict[str, Path]) -> None:
    client, key, session = enrolled(center, rooms)
    records = records_of(rooms["room-a"])
    client.push_events(session, records[:5])
    altered = json.loads(json.dumps(records[5]))
    altered["event"]["body"]["tampered"] = True
    forged = json.loads(json.dumps(records[5]))
    forged["sig"] = base64.b64encode(b"\0" * 64).decode()
    gap = records[7]
    answer = client.push_events(session, [altered, forged, gap])
    reasons = sorted(r["reason"].split(":")[0] for r in answer["rejected"])
    assert answer["accepted"] == [] and reasons == ["chain", "hash", "signature"]
    # A fork: the room key signs a second event at an existing seq; recorded as an incident, refused.
    original = from_line(json.dumps(records[1]))
    twin = new_event(key, session, original.seq, original.prev, original.time, original.type,
                     dict(original.body, x="fork"))
    answer = client.push_events(session, [twin.to_record()])
    assert answer["rejected"][0]["reason"].startswith("fork:")
    client.push_events(session, [twin.to_record()])  # pushed twice: one incident
    sessions = center.overview()["sessions"]
    assert sessions[0]["incidents"] == 1 and sessions[0]["events"] == 5
    rest = client.push_events(session, records[5:])
    assert len(rest["accepted"]) == len(records) - 5


def test_a_room_writes_only_its_own_sessions(center: Center, rooms: dict[str, Path]) -> None:
    client_a, _, session_a = enrolled(center, rooms, "room-a")
    client_b, _, _ = enrolled(center, rooms, "room-b")
    records = records_of(rooms["room-a"])
    with pytest.raises(CenterRefused) as refused:
        client_b.push_events(session_a, records)  # room-a's session.created is not signed by room-b's key
    assert refused.value.status == 403
    client_a.push_events(session_a, records)
    with pytest.raises(CenterRefused) as refused:
        client_b.push_events(session_a, records)
    assert refused.value.status == 403 and "belongs to room room-a" in refused.value.reason
    with pytest.raises(CenterRefused) as refused:
        client_b.pull(session_a, {})
    assert refused.value.status == 403


def test_unsigned_unenrolled_wrong_key_stale_and_replayed_requests(center: Center, rooms: dict[str, Path]) -> None:
    client, key, session = enrolled(center, rooms)
    http = client.http
    records = records_of(rooms["room-a"])
    target = f"/v1/sessions/{session}/events"
    body = json.dumps({"records": records[:3]}).encode()
    headers = {"Content-Type": "application/json"}
    assert http.post(target, content=body, headers=headers).status_code == 401
    stranger = SigningKey.generate()
    unknown_room = protocol.sign_request(stranger, "room-x", "POST", target, body)
    assert http.post(target, content=body, headers={**headers, **unknown_room}).status_code == 401
    wrong_key = protocol.sign_request(stranger, "room-a", "POST", target, body)
    assert http.post(target, content=body, headers={**headers, **wrong_key}).status_code == 403
    tampered = protocol.sign_request(key, "room-a", "POST", target, body)
    assert http.post(target, content=body + b" ", headers={**headers, **tampered}).status_code == 403  # body changed
    stale = protocol.sign_request(key, "room-a", "POST", target, body, now=1_000_000_000)
    assert http.post(target, content=body, headers={**headers, **stale}).status_code == 401
    good = protocol.sign_request(key, "room-a", "POST", target, body)
    first = http.post(target, content=body, headers={**headers, **good})
    assert first.status_code == 200 and len(first.json()["accepted"]) == 3
    before = center.overview()
    replay = http.post(target, content=body, headers={**headers, **good})
    assert replay.status_code == 409 and "replayed" in replay.json()["error"]
    assert center.overview()["sessions"] == before["sessions"]
    statuses = sorted(row["status"] for row in center.audit_rows() if row["status"] >= 400)
    assert statuses == [401, 401, 401, 403, 403, 409]


def test_archive_upload_resumes_verifies_and_is_idempotent(center: Center, rooms: dict[str, Path]) -> None:
    client, _, session = enrolled(center, rooms)
    client.push_events(session, records_of(rooms["room-a"]))
    bag = rooms["room-a"] / "archive"

    class Cut(Exception):
        pass

    def cut_after_three(done: int, total: int) -> None:
        if done == 3:
            raise Cut

    with pytest.raises(Cut):
        client.upload_archive(bag, session, chunk_size=64 * 1024, progress=cut_after_three)
    archive = protocol.archive_id(bag)
    status = client.request("GET", f"/v1/archives/{archive}")
    assert status["status"] == "uploading" and sum(map(len, status["received"].values())) == 3
    sent: list[int] = []
    receipt = client.upload_archive(bag, session, chunk_size=64 * 1024, progress=lambda d, t: sent.append(t))
    total = sum(max(1, -(-f["size"] // 65536)) for f in protocol.bag_files(bag))
    assert len(sent) == total - 3 and sent[0] == total  # only the missing chunks went
    assert receipt["receipt"]["archive"] == archive and protocol.receipt_valid(receipt, center.key.public)
    # built with no TSA, received by a center with none: the receipt says so (app/center/archives.py)
    assert receipt["receipt"]["timestamp"] == {
        "none": "the center has no TSA configured (tsa_url, center serve --tsa URL)"}
    assert client.upload_archive(bag, session) == receipt  # idempotent by archive id
    report = bag / "data" / "documents" / "report.pdf"
    assert center.blobs.get(f"archives/{archive}/data/documents/report.pdf") == report.read_bytes()
    assert list(center.blobs.keys(f"uploads/{archive}")) == []
    assert center.verify_all() == []


def test_a_chunk_with_a_wrong_checksum_or_a_bag_that_does_not_verify_is_refused(center: Center, rooms: dict[str, Path],
                                                                             tmp_path: Path) -> None:
    client, _, session = enrolled(center, rooms)
    client.push_events(session, records_of(rooms["room-a"]))
    bag = ck.make_bag(tmp_path / "bag", {"a.txt": b"alpha", "b.txt": b"beta"})
    (bag / "data" / "b.txt").write_bytes(b"BETA")  # payload no longer matches manifest-sha256.txt
    archive = protocol.archive_id(bag)
    files = protocol.bag_files(bag)
    client.request("POST", f"/v1/archives/{archive}", {"session": session, "chunk_size": 65536, "files": files})
    with pytest.raises(CenterRefused) as refused:
        client.request("PUT", f"/v1/archives/{archive}/files/0/chunks/0", content=b"x",
                       headers={protocol.H_CHUNK_SHA: "0" * 64})
    assert refused.value.status == 460
    with pytest.raises(CenterRefused) as refused:
        client.upload_archive(bag, session, chunk_size=65536)
    assert refused.value.status == 422 and "data/b.txt does not match manifest-sha256.txt" in refused.value.reason
    assert client.request("GET", f"/v1/archives/{archive}")["status"] == "rejected"


def test_event_stream_for_the_supervision_platform(center: Center, rooms: dict[str, Path]) -> None:
    client, _, session = enrolled(center, rooms)
    client.push_events(session, records_of(rooms["room-a"])[:4])
    watcher = SigningKey.generate()
    center.enroll("supervision", watcher.public, kind="observer")
    target = f"/v1/stream?session={session}&seconds=0.5"
    http = client.http
    with http.stream("GET", target, headers=protocol.sign_request(watcher, "supervision", "GET", target)) as response:
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        text = "".join(response.iter_text())
    events = [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]
    assert [e["seq"] for e in events] == [1, 2, 3, 4] and events[0]["type"] == "session.created"
    observer = CenterClient("http://testserver", "supervision", watcher, http=http)
    with pytest.raises(CenterRefused) as refused:
        observer.push_events(session, records_of(rooms["room-a"]))
    assert refused.value.status == 403


def test_status_page_and_openapi(center: Center, rooms: dict[str, Path]) -> None:
    client, _, session = enrolled(center, rooms)
    client.push_events(session, records_of(rooms["room-a"]))
    page = client.http.get("/")  # the service's health only (tests/app/center/test_status_access.py)
    assert page.status_code == 200 and "running" in page.text and session not in page.text
    spec = client.http.get("/openapi.json").json()
    assert "/v1/sessions/{session}/events" in spec["paths"] and "/v1/archives/{archive}/complete" in spec["paths"]


def test_a_remote_venue_joins_the_host_session_through_the_center(center: Center, rooms: dict[str, Path],
                                                                   tmp_path: Path) -> None:
    import shutil

    from app.ledger.authors import key_to_json
    from app.services.session import Session
    from app.sync.replica import join_session, pull_into

    host = tmp_path / "host"
    shutil.copytree(rooms["room-a"], host)
    key_a = room_key(host)
    remote_console = SigningKey.generate()
    session = Session.open(host / "session.sqlite", key_a)
    # The host console names the remote venue and its console key (fold handlers for venue.* are #7 part 4).
    session.write(key_a, "venue.added", {"room": "room-b", "role": "remote", "key": key_to_json(remote_console.public)})
    session.close()
    client_a, _, session_id = enrolled(center, {"room-a": host})
    client_a.push_events(session_id, records_of(host))
    client_b, key_b, _ = enrolled(center, rooms, "room-b")
    replica, result = join_session(client_b, session_id, tmp_path / "remote.sqlite")
    assert result.problems == [] and result.ingested == len(records_of(host))
    assert sorted(ev.id for ev in replica.events()) == sorted(r["id"] for r in records_of(host))
    # The remote venue's console writes in the shared session; the host pulls it back through the center.
    head = replica.head(remote_console.key_id)
    note = new_event(remote_console, session_id, 1, None, utc_stamp(), "venue.message",
                     {"from": "room-b", "to": "room-a", "text": "副场网络已恢复"})
    assert head is None
    client_b.push_events(session_id, [note.to_record()])
    replica.close()
    with LedgerStore.open(host / "session.sqlite") as store:
        pulled = pull_into(store, client_a)
        assert pulled.ingested == 1 and pulled.problems == []
        assert store.head(remote_console.key_id) == (1, note.id)
    venues = client_a.request("GET", f"/v1/sessions/{session_id}/venues")["venues"]
    assert [(v["room"], v["role"], v["link_up"]) for v in venues] == [("room-a", "main", True),
                                                                      ("room-b", "remote", True)]
