"""A remote venue's experts on their own PCs (issue 14 item 5), real processes on 127.0.0.1, each with its own data
folder: a center (``center serve``), the main console (a Room in this process, with its room hub child and its
two-way sync with the center), the remote venue's console (a VenueConsole in this process) with its room hub child
relaying to the center (``hub serve --upstream``), and two expert PCs of that venue pairing by the codes its
check-in desk issued (``python -m app pair`` processes: each key is made there), then signing their letter,
declaring, scoring and submitting on their own replica (MemberRoom). The main console sees their check-ins
(signed by the venue's key), letters and scores through the center; the venue console's folder holds no expert key.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import centerkit as ck
from app.center.service import Center, Config, load_center_key
from app.paths import DEMO_CASE
from app.services.member_room import MemberRoom
from app.services.pairing import load_seat
from app.services.report import demo_signature
from app.services.room import Room
from app.services.sync import ConsoleSync
from app.services.venues import VenueConsole, VenueError
from app.store.ledger_store import StoreError
from app.sync.client import SyncError

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300), pytest.mark.xdist_group("remote-venue-pcs")]

ROOT = Path(__file__).resolve().parents[2]
PASS = b"remote venue test passphrase"
PC_PASS = "remote pc passphrase"
VENUE, MAIN = "county-1", "main-room"
REMOTE = ("E6", "E7")  # the members seated at the remote venue; E1-E5 at the main venue


def _until(what: str, check: Callable[[], Any], tick: Callable[[], None], timeout: float = 90.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        tick()
        try:
            value = check()
        except (SyncError, StoreError):
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _pair(home: Path, url: str, code: str, fingerprint: str) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "app", "pair", "--hub", url, "--code", code, "--data", str(home), "--json",
            "--ca-fingerprint", fingerprint, "--timeout", "90"]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "EVALROOM_KEY_PASSPHRASE": PC_PASS})


def test_a_remote_venues_pcs_pair_with_its_hub_and_score_into_the_main_session(tmp_path: Path) -> None:
    case = json.loads(DEMO_CASE.read_text(encoding="utf-8"))
    package = tmp_path / "package.json"
    package.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    room = Room(tmp_path / "main-console", MAIN, passphrase=PASS)
    center_data, port = tmp_path / "center", ck.free_port()
    center_url = f"http://127.0.0.1:{port}"
    venue = VenueConsole(tmp_path / "venue-console", VENUE, center_url, passphrase=PASS, interval=0.3,
                         hub_listen="127.0.0.1:0")
    center = Center(Config.default(center_data), key=load_center_key(center_data.resolve(), rounds=1000))
    try:
        center.enroll(MAIN, room.key.public)
        center.enroll(VENUE, venue.key.public)
    finally:
        center.close()
    server = ck.start_server(center_data, port=port, timeout=90)
    sync = ConsoleSync(lambda: (center_url, None), idle=0.3)
    pcs: dict[str, MemberRoom] = {}
    try:
        room.start(package)
        room.start_hub("127.0.0.1:0")
        room.open_bids()
        room.advance("checkin")
        session = room._session()
        session.add_venue(VENUE, "县公共资源交易中心副场", venue.key.public, list(REMOTE))
        stations = {}
        for member in ("E1", "E2", "E3", "E4", "E5"):  # the main venue's members, on the console's workstations
            code = room.check_identity(member, room.take_photo().jpeg)
            station = stations[member] = room.login(code, "2468")
            station.sign_letter(demo_signature(member), '[{"x": 1, "y": 2}]', station.letter().version_sha256)
            station.declare(False, [], "与投标人无利害关系")

        def tick() -> None:  # what the consoles' database threads do every second
            room.tick_hub()
            sync.poll(room)
            venue.tick_hub()

        session_id = session.store.session_id
        _until("the center to hold the session", lambda: session_id in venue.discover(), tick)
        venue.join(session_id)  # the replica from the center; the venue's hub starts, relaying to the center
        info = _until("the venue's hub", venue.hub_info, tick)
        codes = {}
        for member in REMOTE:  # the venue's check-in desk: identity, then a one-time code, no key
            jpeg, faces, _message = venue.take_photo()
            assert faces == 1
            codes[member] = venue.check_in(member, jpeg)
            assert len(codes[member]) == 6
        procs = {m: _pair(tmp_path / f"pc-{m}", info["url"], codes[m], info["fingerprint"]) for m in REMOTE}
        _until("the remote PCs to pair", lambda: all(p.poll() is not None for p in procs.values()), tick, 120)
        for member, proc in procs.items():
            out, err = proc.communicate(timeout=10)
            assert proc.returncode == 0, (member, err[-2000:])
            assert json.loads(out.strip().splitlines()[-1])["member"] == member

        with pytest.raises(VenueError, match="does not sit at this venue"):
            venue.reissue_code("E1")  # the main venue's member: not this desk's
        assert len(venue.reissue_code("E6")) == 6  # a PC lost its seat: a new code (not used here)
        keys: dict[str, str] = {}
        for member in REMOTE:  # each PC on its own replica, synced with the venue's hub
            home = tmp_path / f"pc-{member}"
            seat = load_seat(home, PC_PASS.encode())
            assert seat is not None and seat.member == member and seat.hub_url == info["url"]
            keys[member] = seat.key.key_id
            pcs[member] = MemberRoom(home, seat, sync_interval=0.3)
            pcs[member].start()
            station = pcs[member].workstation(member)
            assert f"评标室 {VENUE}" in station.letter().text  # signed at the venue where the member sits
            station.sign_letter(demo_signature(member), '[{"x": 3, "y": 4}]', station.letter().version_sha256)
            station.declare(False, [], "与投标人无利害关系")

        def ready() -> bool:
            state = room.state
            return all(m in state.letters and m in state.declarations for m in REMOTE)

        _until("the main console to see the remote letters and declarations", ready, tick)
        state = room.state
        for member in REMOTE:  # checked in by the venue's key, with the key made on the member's own PC
            key_id = state.members[member].author
            assert key_id == keys[member] != venue.key.key_id
            checkin = next(ev for ev in session.store.events() if ev.type == "checkin" and ev.body["member"] == member)
            assert checkin.author == venue.key.key_id

        room.advance("committee")
        room.elect_chair("E1")
        room.advance("preliminary")
        room.advance("scoring")
        _until("the remote PCs to reach scoring", lambda: all(pc.state.stage == "scoring" for pc in pcs.values()),
               tick)
        for member, station in [*stations.items(), *((m, pcs[m].workstation(m)) for m in REMOTE)]:
            for bidder, row in case["scores"][member].items():
                for criterion, score in row.items():
                    station.set_score(bidder, criterion, score)
            station.submit()

        def scored() -> bool:
            state = room.state
            return all(state.members[m].submitted and len(state.scores.get(m, {})) == 4 for m in REMOTE)

        _until("the main console to see the remote scores and submissions", scored, tick)
        state = room.state
        assert all(state.members[m].submitted for m in state.members), "every member submitted"
        assert state.rejections == [], state.rejections
        for member in REMOTE:
            assert state.scores[member] == pcs[member].state.scores[member]
        # the venue console keeps its room key, its LAN CA's and its hub's server key: no expert's
        held = {p.name for p in (tmp_path / "venue-console").rglob("*.p12")}
        assert held == {"room.p12", "lan-ca.p12", "center-key.p12"}, held
        assert not [p for p in (tmp_path / "venue-console").rglob("*") if p.stem.startswith(REMOTE)]
    finally:
        for pc in pcs.values():
            pc.close()
        sync.stop()
        venue.close()
        room.close()
        server.stop()
