"""Archive chunks written in place as they stream in: what is refused before and after the body, chunks in
any order, and chunks damaged at the center sent again instead of the archive being refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.center import protocol
from app.center.app import create_app
from app.center.service import Center
from app.crypto.keys import SigningKey
from app.store.ledger_store import LedgerStore
from app.sync.client import CenterClient, CenterRefused

CHUNK = 64 * 1024


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory, finished_room) -> Path:  # noqa: ANN001
    return finished_room(tmp_path_factory.mktemp("rooms"), "room-a", archived=True)


def setup(center: Center, room: Path) -> tuple[CenterClient, str, Path]:
    key = SigningKey.load(room / "keys" / "room.p12", b"evalroom-demo")
    center.enroll("room-a", key.public)
    client = CenterClient("http://testserver", "room-a", key,
                          http=TestClient(create_app(center), base_url="http://testserver"))
    with LedgerStore.open(room / "session.sqlite") as store:
        session = store.session_id
        client.push_events(session, [ev.to_record() for ev in store.events()])
    return client, session, room / "archive"


def begin(client: CenterClient, session: str, bag: Path) -> tuple[str, list[dict[str, object]]]:
    archive = protocol.archive_id(bag)
    status = client.request("POST", f"/v1/archives/{archive}", {"session": session, "chunk_size": CHUNK,
                                                                "files": protocol.bag_files(bag)})
    return archive, status["files"]


def put(client: CenterClient, archive: str, index: int, chunk: int, data: bytes,
        declared: str | None = None) -> dict[str, object]:
    digest = declared or hashlib.sha256(data).hexdigest()
    return client.request("PUT", f"/v1/archives/{archive}/files/{index}/chunks/{chunk}", content=data,
                          headers={protocol.H_CHUNK_SHA: digest}, body_sha256=digest)


def chunk_of(bag: Path, entry: dict[str, object], n: int) -> bytes:
    with (bag / str(entry["path"])).open("rb") as handle:
        handle.seek(n * CHUNK)
        return handle.read(CHUNK)


def test_chunks_in_any_order_land_in_place_and_verify(center: Center, room: Path) -> None:
    client, session, bag = setup(center, room)
    archive, files = begin(client, session, bag)
    order = [(i, n) for i, e in enumerate(files) for n in range(max(1, -(-int(e["size"]) // CHUNK)))]  # type: ignore[call-overload]
    for index, n in reversed(order):
        assert put(client, archive, index, n, chunk_of(bag, files[index], n))["stored"] is True
    staged = center.blobs.folder(f"uploads/{archive}/bag")  # type: ignore[union-attr]
    assert ({p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file()}
            == {str(e["path"]) for e in files})
    final = client.request("POST", f"/v1/archives/{archive}/complete")
    assert final["status"] == "verified" and protocol.receipt_valid(final["receipt"], center.key.public)
    for entry in files:
        assert center.blobs.get(f"archives/{archive}/{entry['path']}") == (bag / str(entry["path"])).read_bytes()
    assert not staged.exists()


def test_a_chunk_is_checked_before_and_after_its_body(center: Center, room: Path) -> None:
    client, session, bag = setup(center, room)
    archive, files = begin(client, session, bag)
    big = max(range(len(files)), key=lambda i: int(files[i]["size"]))  # type: ignore[arg-type]
    good = chunk_of(bag, files[big], 0)
    bad = bytes([good[0] ^ 1]) + good[1:]
    with pytest.raises(CenterRefused) as refused:  # signed over the digest it declares, but the body differs
        put(client, archive, big, 0, bad, declared=hashlib.sha256(good).hexdigest())
    assert refused.value.status == 460
    assert str(big) not in client.request("GET", f"/v1/archives/{archive}")["received"]  # no row vouches for it
    with pytest.raises(CenterRefused) as refused:
        put(client, archive, big, 0, good[:-1])
    assert refused.value.status == 400 and f"must be {len(good)} bytes" in refused.value.reason
    with pytest.raises(CenterRefused) as refused:
        client.request("PUT", f"/v1/archives/{archive}/files/{big}/chunks/0", content=good,
                       headers={protocol.H_CHUNK_SHA: "not-a-digest"})
    assert refused.value.status == 460
    stranger = CenterClient("http://testserver", "room-a", SigningKey.generate(), http=client.http)
    with pytest.raises(CenterRefused) as refused:
        put(stranger, archive, big, 0, good)
    assert refused.value.status == 403
    assert put(client, archive, big, 0, good)["stored"] is True  # the bad bytes are overwritten
    assert put(client, archive, big, 0, good)["stored"] is False  # the same chunk again: nothing written
    with pytest.raises(CenterRefused) as refused:
        put(client, archive, big, 0, bad)
    assert refused.value.status == 409
    with pytest.raises(CenterRefused) as refused:
        put(client, archive, big, 10_000, good)
    assert refused.value.status == 400
    statuses = [row["status"] for row in center.audit_rows() if row["status"] >= 400]
    assert statuses.count(460) == 2 and 403 in statuses and 409 in statuses


def test_a_chunk_damaged_at_the_center_is_sent_again(center: Center, room: Path) -> None:
    client, session, bag = setup(center, room)
    archive = protocol.archive_id(bag)
    staged = center.blobs.folder(f"uploads/{archive}/bag")  # type: ignore[union-attr]
    victim = staged / "data" / "documents" / "report.pdf"
    damaged = []

    def damage_before_completion(done: int, total: int) -> None:
        if done == total and not damaged:  # every chunk is in: the disk loses a write under the center
            with victim.open("r+b") as handle:
                handle.seek(100)
                handle.write(b"\0" * 16)
            damaged.append(True)

    sent: list[int] = []
    receipt = client.upload_archive(bag, session, chunk_size=CHUNK,
                                    progress=lambda d, t: (sent.append(d), damage_before_completion(d, t)))
    assert damaged and protocol.receipt_valid(receipt, center.key.public)
    total = sum(max(1, -(-f["size"] // CHUNK)) for f in protocol.bag_files(bag))
    assert len(sent) == total + 1  # one chunk went twice
    stored = center.blobs.get(f"archives/{archive}/data/documents/report.pdf")
    assert stored == (bag / "data/documents/report.pdf").read_bytes()
    assert center.verify_all() == []


def test_a_path_listed_as_a_file_and_a_folder_is_refused(center: Center, room: Path) -> None:
    client, session, bag = setup(center, room)
    files = protocol.bag_files(bag)
    files.append({"path": "data/documents/report.pdf/inner", "size": 1, "sha256": "0" * 64})
    with pytest.raises(CenterRefused) as refused:
        client.request("POST", f"/v1/archives/{protocol.archive_id(bag)}",
                       {"session": session, "chunk_size": CHUNK, "files": files})
    assert refused.value.status == 400 and "as a file and as a folder" in refused.value.reason


def test_another_room_cannot_read_or_complete_an_archive(center: Center, room: Path) -> None:
    client, session, bag = setup(center, room)
    archive, _ = begin(client, session, bag)
    other = SigningKey.generate()
    center.enroll("room-b", other.public)
    stranger = CenterClient("http://testserver", "room-b", other, http=client.http)
    for method, path in (("GET", f"/v1/archives/{archive}"), ("POST", f"/v1/archives/{archive}/complete")):
        with pytest.raises(CenterRefused) as refused:
            stranger.request(method, path)
        assert refused.value.status == 403 and "uploaded by room room-a" in refused.value.reason


def test_a_replayed_chunk_request_changes_nothing(center: Center, room: Path) -> None:
    client, session, bag = setup(center, room)
    archive, files = begin(client, session, bag)
    data = chunk_of(bag, files[0], 0)
    digest = hashlib.sha256(data).hexdigest()
    target = f"/v1/archives/{archive}/files/0/chunks/0"
    headers = {protocol.H_CHUNK_SHA: digest, "Content-Type": "application/octet-stream",
               **protocol.sign_request(client.key, "room-a", "PUT", target, body_sha256=digest)}
    assert client.http.put(target, content=data, headers=headers).json()["stored"] is True
    again = client.http.put(target, content=data, headers=headers)
    assert again.status_code == 409 and "replayed" in again.json()["error"]
    assert client.request("GET", f"/v1/archives/{archive}")["received"] == {"0": [0]}


def test_sizes_beyond_an_archive_file_are_refused_and_missing_chunks_are_counted_not_listed(center: Center,
                                                                                            room: Path) -> None:
    client, session, bag = setup(center, room)
    archive = protocol.archive_id(bag)
    files = protocol.bag_files(bag)
    huge = [dict(f, size=(1 << 40) + 1) if f["path"].endswith("report.pdf") else f for f in files]
    with pytest.raises(CenterRefused) as refused:
        client.request("POST", f"/v1/archives/{archive}", {"session": session, "chunk_size": CHUNK, "files": huge})
    assert refused.value.status == 400 and "1 TiB" in refused.value.reason
    big = [dict(f, size=1 << 40) if f["path"].endswith("report.pdf") else f for f in files]
    client.request("POST", f"/v1/archives/{archive}", {"session": session, "chunk_size": CHUNK, "files": big})
    with pytest.raises(CenterRefused) as refused:
        client.request("POST", f"/v1/archives/{archive}/complete")
    expected = sum(max(1, -(-int(f["size"]) // CHUNK)) for f in big)
    assert refused.value.status == 409 and refused.value.reason == f"{expected} chunks missing"
    assert len(refused.value.body["missing"]) == 50  # type: ignore[index]
