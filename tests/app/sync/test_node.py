"""Workstation ↔ hub sync in process: how a workstation authenticates (its expert's check-in key, for that
session only), offline scoring then sync, verified pull, and a remote venue's console seating its own experts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import centerkit as ck
import ledgerkit as lk
from app.center.app import create_app
from app.center.service import Center, Config
from app.crypto.keys import SigningKey
from app.ledger.authors import key_to_json, sign_binding
from app.ledger.events import from_record, new_event
from app.services.session import Session
from app.store.ledger_store import LedgerStore
from app.sync import replica
from app.sync.client import CenterClient, CenterRefused, member_client
from app.sync.node import SyncNode


@pytest.fixture
def hub(tmp_path: Path) -> Any:
    c = Center(Config.default(tmp_path / "hub", role="hub"), key=SigningKey.generate())
    yield c
    c.close()


def _client(hub: Center, room: str, key: SigningKey, member: bool = False) -> CenterClient:
    http = TestClient(create_app(hub), base_url="http://testserver")
    if member:
        return member_client("http://testserver", key, http=http)
    return CenterClient("http://testserver", room, key, http=http)


def _console(tmp_path: Path, hub: Center) -> tuple[lk.Kit, SyncNode]:
    (tmp_path / "console").mkdir()
    kit = lk.start(tmp_path / "console")
    hub.enroll("test-room", kit.room.public)
    node = SyncNode(kit.session.store, _client(hub, "test-room", kit.room))
    assert node.sync_once().ok
    return kit, node


def test_an_expert_key_signs_for_its_own_session_only(tmp_path: Path, hub: Center, finished_room) -> None:  # noqa: ANN001
    kit, _console_node = _console(tmp_path, hub)
    session = kit.session.store.session_id
    expert = member_client("http://testserver", kit.members["E1"],
                           http=TestClient(create_app(hub), base_url="http://testserver"))
    assert expert.sessions() == [session]
    assert expert.frontier(session) == kit.session.store.frontier()
    # Another session at the same hub (another room's) is out of reach for that key.
    folder = finished_room(tmp_path, "room-b")
    other_key = SigningKey.load(folder / "keys" / "room.p12", b"evalroom-demo")
    hub.enroll("room-b", other_key.public)
    with LedgerStore.open(folder / "session.sqlite") as store:
        other, records = store.session_id, [ev.to_record() for ev in store.events()]
    assert other != session
    _client(hub, "room-b", other_key).push_events(other, records)
    for call in (lambda: expert.frontier(other), lambda: expert.pull(other, {}),
                 lambda: expert.push_events(other, records[:1])):
        with pytest.raises(CenterRefused) as refused:
            call()
        assert refused.value.status == 403 and "bound to session" in refused.value.reason
    # A member key is not a room: no archives, no stream of every session, no new session.
    bag = ck.make_bag(tmp_path / "bag", {"x.txt": b"x"})
    with pytest.raises(CenterRefused) as no_archive:
        expert.upload_archive(bag, session)
    assert no_archive.value.status == 403
    with pytest.raises(CenterRefused) as no_stream:
        expert.request("GET", "/v1/stream?seconds=0")
    assert no_stream.value.status == 403
    # A key no check-in declared, and a member key claiming someone else's id, are refused.
    with pytest.raises(CenterRefused) as unknown:
        member_client("http://testserver", SigningKey.generate(), http=expert.http).frontier(session)
    assert unknown.value.status == 401 and "not bound" in unknown.value.reason
    impostor = CenterClient("http://testserver", f"key:{kit.members['E1'].key_id}", kit.members["E2"], http=expert.http)
    with pytest.raises(CenterRefused) as forged:
        impostor.frontier(session)
    assert forged.value.status == 403
    refused = [row for row in hub.audit_rows() if row["status"] >= 400]
    assert len(refused) >= 7


def test_a_workstation_scores_offline_and_syncs_later(tmp_path: Path, hub: Center) -> None:
    kit, console = _console(tmp_path, hub)
    session = kit.session.store.session_id
    key = kit.members["E2"]
    node = SyncNode.join(_client(hub, "", key, member=True), session, tmp_path / "ws" / "session.sqlite")
    assert {ev.id for ev in node.store.events()} == {ev.id for ev in kit.events()}  # a verified copy
    joined = {ev.id for ev in node.store.events()}
    station = Session(node.store, key)
    offline = SyncNode(node.store, member_client(f"http://127.0.0.1:{ck.free_port()}", key, timeout=2))
    for bidder, row in kit.document["scores"]["E2"].items():
        for criterion, score in row.items():
            station.set_score(key, "E2", bidder, criterion, score)
    station.submit(key, "E2")
    cut = offline.sync_once()
    assert cut.error and "ConnectError" in cut.error
    assert offline.status().pending_events > 0 and node.store.state.members["E2"].submitted  # scored, queued locally
    mine = [ev for ev in node.store.events() if ev.id not in joined]  # made on this PC
    # only the expert's own events wait in the outbox: those the replica took in from the hub are not sent back
    assert offline.status().pending_events == len(mine)
    back = node.sync_once()
    assert back.ok and back.acked > 0 and node.status().pending == 0
    assert console.sync_once().ok
    assert kit.state.members["E2"].submitted  # the console sees the workstation's sheet
    assert {ev.id for ev in kit.events()} == {ev.id for ev in node.store.events()}
    again = node.sync_once()
    assert again.pulled == 0 and again.pushed == 0  # nothing left either way: idempotent
    assert back.pushed == len(mine)  # the expert's events, and no duplicate of the hub's


def test_forged_events_from_the_hub_are_not_ingested(tmp_path: Path, hub: Center) -> None:
    kit, _console_node = _console(tmp_path, hub)
    session = kit.session.store.session_id
    node = SyncNode.join(_client(hub, "", kit.members["E3"], member=True), session, tmp_path / "ws.sqlite")
    e1 = kit.members["E1"]
    head = node.store.head(e1.key_id)
    assert head is not None
    genuine = new_event(e1, session, head[0] + 1, head[1], "2099-01-01T00:00:00.000000Z", "score.set",
                        {"expert": "E1", "bidder": "B1", "criterion": "T1", "score": "30"})
    altered = genuine.to_record()
    altered["event"] = {**altered["event"], "body": {**altered["event"]["body"], "score": "1"}}  # content changed
    stranger = genuine.to_record()
    stranger["sig"] = new_event(SigningKey.generate(), session, 1, None, genuine.time, "x", {}).to_record()["sig"]
    result = replica.PullResult()
    replica.ingest_events(node.store, [from_record(altered), from_record(stranger)], result)
    assert result.ingested == 0 and len(result.problems) == 2, result.problems
    assert any("does not match its id" in p for p in result.problems)
    assert any("bad signature" in p for p in result.problems)
    assert genuine.id not in {ev.id for ev in node.store.events()}


def test_a_remote_venue_console_seats_its_own_expert(tmp_path: Path, hub: Center) -> None:
    kit, console = _console(tmp_path, hub)
    session = kit.session.store.session_id
    venue_key = SigningKey.generate()
    kit.session.write(kit.room, "venue.added", {"room": "remote-room", "name": "第二评标室", "role": "remote",
                                                "key": key_to_json(venue_key.public)})
    assert console.sync_once().ok
    hub.enroll("remote-room", venue_key.public)
    remote = SyncNode.join(_client(hub, "remote-room", venue_key), session, tmp_path / "remote" / "session.sqlite")
    expert = SigningKey.generate()
    Session(remote.store, venue_key).write(venue_key, "checkin", {"member": "E5", "key": key_to_json(expert.public),
                                                                  "binding": sign_binding(expert, session, "E5")})
    assert remote.sync_once().error is None
    seated = member_client("http://testserver", expert, http=remote.client.http)
    assert seated.sessions() == [session]  # the venue's check-in declared the key at the hub
    ws = SyncNode.join(seated, session, tmp_path / "ws-remote.sqlite")
    Session(ws.store, expert).write(expert, "venue.message", {"text": "到场"})
    assert ws.sync_once().error is None
    assert console.sync_once().error is None
    with LedgerStore.open(kit.path) as again:
        assert expert.key_id in again.frontier()  # verified with the key the venue declared
