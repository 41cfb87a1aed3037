"""Remote evaluation across real processes on 127.0.0.1 (issue #7): a center, a main room hub and a remote room
hub (``evalroom center serve`` / ``hub serve --upstream``), the two venues' consoles and five expert
workstations, each node with its own SQLite file. The network is cut during scoring (the center and the remote
hub are killed); every workstation goes on scoring locally; after the heal every node holds the same events
(no duplicates) and folds them to the same state.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import pytest

import casebuilder as cb
import centerkit as ck
import ledgerkit as lk
from app.center.service import Center, Config, load_center_key
from app.crypto.keys import SigningKey
from app.ledger.authors import key_to_json
from app.services.session import Session
from app.store.ledger_store import LedgerStore, StoreError
from app.sync.client import CenterClient, SyncError, member_client
from app.sync.node import SyncNode

pytestmark = pytest.mark.slow

PASSPHRASE = b"multi-node test passphrase"  # the hubs' room keys (a hub never falls back to the demo one)
ENV = {"EVALROOM_KEY_PASSPHRASE": PASSPHRASE.decode()}
CRITERIA = [{"id": f"T{i}", "name": f"技术{i}", "group": "technical", "type": "subjective", "max": "20", "step": "0.5"}
            for i in range(1, 5)]
MAIN_SEATS, REMOTE_SEATS = ("E1", "E2", "E3"), ("E4", "E5")


def _enroll(data: Path, rooms: dict[str, SigningKey]) -> None:
    # the server's key made here with few PKCS#12 rounds (the processes load it), then the rooms enrolled
    center = Center(Config.default(data), key=load_center_key(data.resolve(), rounds=1000))
    try:
        for room, key in rooms.items():
            center.enroll(room, key.public)
    finally:
        center.close()


def _side_by_side(*starts: Callable[[], ck.Server]) -> list[ck.Server]:
    """Start servers at the same time; if one fails, stop the others and raise."""
    with ThreadPoolExecutor(len(starts)) as pool:
        futures = [pool.submit(start) for start in starts]
        wait(futures)
    failed = [f.exception() for f in futures if f.exception() is not None]
    if failed:
        for f in futures:
            if f.exception() is None:
                f.result().stop()
        raise failed[0]  # type: ignore[misc]
    return [f.result() for f in futures]


def _until(what: str, check: Any, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
        except (SyncError, StoreError):
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _fold(store: LedgerStore) -> str:
    state = store.state
    return json.dumps({"scores": state.scores, "submitted": sorted(m for m, s in state.members.items() if s.submitted),
                       "stage": state.stage, "applied": state.applied,
                       "rejections": sorted(r.event_id for r in state.rejections)}, sort_keys=True, default=str)


def _server_ids(data: Path, session: str) -> list[str]:
    with sqlite3.connect(data / "center.sqlite") as db:
        return [r[0] for r in db.execute("SELECT id FROM events WHERE session = ?", (session,))]


def test_two_venues_five_workstations_cut_and_heal(tmp_path: Path) -> None:
    doc = cb.case(criteria=CRITERIA, scores=cb.uniform_scores(cb.committee(), {b: {c["id"]: "15" for c in CRITERIA}
                                                                              for b in ("B1", "B2", "B3")}))
    (tmp_path / "main-console").mkdir()
    kit = lk.start(tmp_path / "main-console", doc, upto="committee")  # the main console: opening, check-in of all five
    store = kit.session.store
    session, main_room = store.session_id, str(kit.state.room)
    remote_key = SigningKey.generate()
    # a venue joins before the evaluation
    kit.session.write(kit.room, "venue.added", {"room": "remote-room", "name": "第二评标室", "role": "remote",
                                                "key": key_to_json(remote_key.public)})
    kit.session.advance("preliminary")
    kit.session.advance("scoring")
    keys = tmp_path / "keys"
    keys.mkdir()
    kit.room.save(keys / "main.p12", PASSPHRASE, rounds=1000)
    remote_key.save(keys / "remote.p12", PASSPHRASE, rounds=1000)
    _enroll(tmp_path / "center", {main_room: kit.room, "remote-room": remote_key})
    _enroll(tmp_path / "main-hub", {main_room: kit.room})
    _enroll(tmp_path / "remote-hub", {"remote-room": remote_key})

    center_port = ck.free_port()
    center_url = f"http://127.0.0.1:{center_port}"

    def start_hub(name: str, room: str, key: str, port: int | None = None) -> ck.Server:
        return ck.start_server(tmp_path / name, "--upstream", center_url, "--room", room, "--room-key", str(keys / key),
                               "--relay-interval", "0.2", "--relay-max-wait", "1", role="hub", port=port, env=ENV,
                               timeout=90)

    center, main_hub, remote_hub = _side_by_side(lambda: ck.start_server(tmp_path / "center", port=center_port,
                                                                         env=ENV, timeout=90),
                                                 lambda: start_hub("main-hub", main_room, "main.p12"),
                                                 lambda: start_hub("remote-hub", "remote-room", "remote.p12"))
    hubs = {"main-hub": main_hub, "remote-hub": remote_hub}
    nodes: dict[str, SyncNode] = {}
    try:
        nodes["main-console"] = SyncNode(store, CenterClient(hubs["main-hub"].url, main_room, kit.room, timeout=10))
        assert nodes["main-console"].sync_once().ok
        # The remote venue gets the session through the center: main hub → center → remote hub.
        remote_client = CenterClient(hubs["remote-hub"].url, "remote-room", remote_key, timeout=10)
        nodes["remote-console"] = _until("the remote hub to hold the session", lambda: SyncNode.join(
            remote_client, session, tmp_path / "remote-console" / "session.sqlite"))
        for member in MAIN_SEATS + REMOTE_SEATS:
            hub = hubs["main-hub" if member in MAIN_SEATS else "remote-hub"]
            client = member_client(hub.url, kit.members[member], timeout=10)
            path = tmp_path / f"ws-{member}" / "session.sqlite"
            nodes[member] = _until(f"workstation {member} to join",
                                   lambda c=client, p=path: SyncNode.join(c, session, p))
        stations = {m: Session(nodes[m].store, kit.members[m]) for m in MAIN_SEATS + REMOTE_SEATS}  # no room key here
        cells = [(b, c["id"]) for b in ("B1", "B2", "B3") for c in CRITERIA]
        half = len(cells) // 2

        for member, station in stations.items():  # scoring, online
            for bidder, criterion in cells[:half]:
                station.set_score(kit.members[member], member, bidder, criterion, "15")
        for name, node in nodes.items():
            assert node.sync_once().error is None, name

        # The network is cut: the center and the remote room's hub die mid-session.
        center.stop(kill=True)
        hubs["remote-hub"].stop(kill=True)
        for member, station in stations.items():  # scoring goes on, on every workstation
            for bidder, criterion in cells[half:]:
                station.set_score(kit.members[member], member, bidder, criterion, "15")
            station.submit(kit.members[member], member)
        remote_console = Session(nodes["remote-console"].store, remote_key)
        remote_console.write(remote_key, "venue.message", {"text": "副场线路中断，评分继续", "to": main_room})
        kit.session.write(kit.room, "venue.message", {"text": "主场收到", "to": "remote-room"})
        for name, node in nodes.items():
            outcome = node.sync_once()
            if name in REMOTE_SEATS or name == "remote-console":
                assert outcome.error and node.status().pending > 0, name  # cut off: everything still queued locally
            else:
                assert outcome.error is None, (name, outcome)
        for member in stations:
            assert len(nodes[member].store.state.scores.get(member, {})) == 3, member
            assert all(len(row) == len(CRITERIA) for row in nodes[member].store.state.scores[member].values())

        # Heal: the center and the remote hub come back on the same ports, with their data.
        center, hubs["remote-hub"] = _side_by_side(
            lambda: ck.start_server(tmp_path / "center", port=center_port, env=ENV, timeout=90),
            lambda: start_hub("remote-hub", "remote-room", "remote.p12", hubs["remote-hub"].port))

        def converged() -> bool:
            for node in nodes.values():
                node.sync_once()
            sets = {name: {ev.id for ev in node.store.events()} for name, node in nodes.items()}
            for name in ("center", "main-hub", "remote-hub"):
                sets[name] = set(_server_ids(tmp_path / name, session))
            return (len({frozenset(s) for s in sets.values()}) == 1
                    and all(n.status().pending == 0 for n in nodes.values()))

        _until("every node to converge", converged, timeout=90)
        reference = {ev.id for ev in store.events()}
        for name, node in nodes.items():
            ids = [ev.id for ev in node.store.events()]
            assert len(ids) == len(set(ids)) == len(reference), name  # no duplicates
            assert _fold(node.store) == _fold(store), name  # the same folded result everywhere
        for name in ("center", "main-hub", "remote-hub"):
            ids = _server_ids(tmp_path / name, session)
            assert len(ids) == len(set(ids)) == len(reference), name
        assert sorted(store.state.scores) == sorted(MAIN_SEATS + REMOTE_SEATS)
        assert all(store.state.members[m].submitted for m in MAIN_SEATS + REMOTE_SEATS)
        texts = [ev.body.get("text") for ev in store.events() if ev.type == "venue.message"]
        # the remote console's event reached the main console through the center
        assert "副场线路中断，评分继续" in texts
        state = store.state
        # both venues' messages took effect
        assert "remote-room" in state.remote.venues and len(state.remote.messages) == 2
        assert not state.rejections, state.rejections  # every event of the session is within the rules
        verify = ck.run_cli("center", "verify", "--data", str(tmp_path / "center"))
        assert verify.returncode == 0, verify.stdout
    finally:
        for node in nodes.values():
            node.close()
        for server in (center, *hubs.values()):
            server.stop()
