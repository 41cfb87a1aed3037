"""The room hub as the console's child process (``hub_listen``): HTTPS from the room's LAN CA, a PC pairing over it
(pinning the CA) from a process of its own, the session synced both ways, a killed hub restarted, and the hub
ending with its console however the console ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.ledger.events import new_event, utc_stamp
from app.paths import DEMO_CASE
from app.services.pairing import load_seat
from app.services.room import Room
from app.services.room_hub import RoomHub, parse_listen
from app.services.sync import sync_status
from app.sync.client import member_client

PASS = b"console passphrase"
PC_PASS = "pc passphrase 1"
ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


def _pid_alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


def _pair(home: Path, url: str, code: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "app", "pair", "--hub", url, "--code", code, "--data", str(home),
                             *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "EVALROOM_KEY_PASSPHRASE": PC_PASS})


def test_parse_listen() -> None:
    assert parse_listen("0.0.0.0:8765") == ("0.0.0.0", 8765)
    assert parse_listen("[::]:9000") == ("::", 9000)
    assert parse_listen("127.0.0.1") == ("127.0.0.1", 8765)
    with pytest.raises(ValueError, match="not a number"):
        parse_listen("127.0.0.1:x")


def test_the_console_runs_its_hub_a_pc_pairs_over_https_and_the_feeds_meet(tmp_path: Path) -> None:
    home = tmp_path / "console"
    room = Room(home, "room-hub-test", passphrase=PASS)
    room.start(DEMO_CASE)
    room.open_bids()
    room.advance("checkin")
    assert RoomHub.for_room(room) is None  # hub_listen is off by default
    hub = RoomHub.for_room(room, "127.0.0.1:0")
    assert hub is not None and hub.port == 0 and not hub.demo
    hub.restart_wait = 0.2
    try:
        url = hub.start()
        assert url.startswith("https://127.0.0.1:") and hub.alive() and hub.lan_urls() == [url]
        code = room.check_identity("E1", room.take_photo().jpeg)
        fingerprint = room.ca_fingerprint()
        assert fingerprint is not None
        pc = tmp_path / "pc-E1"
        wrong = _pair(pc, url, code, "--ca-fingerprint", "0000 " + fingerprint[5:])  # not the desk's: nothing pinned
        out, err = wrong.communicate(timeout=60)
        assert wrong.returncode == 1 and "与签到台显示的" in err and not (pc / "hub-ca.pem").exists()
        proc = _pair(pc, url, code, "--ca-fingerprint", fingerprint)
        deadline = time.monotonic() + 90
        while proc.poll() is None and time.monotonic() < deadline:
            tick = hub.tick(room)
            assert tick.alive and tick.error is None, tick
            time.sleep(0.1)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, (out, err)
        assert "E1" in out and str(room.state.session) in out and f"room CA pinned: {fingerprint}" in out
        seat = load_seat(pc, PC_PASS.encode())
        assert seat is not None and seat.cafile is not None and Path(seat.cafile).read_bytes() == \
            Path(hub.cafile).read_bytes()  # the PC pinned the room's LAN CA
        assert room.state.members["E1"].author == seat.key.key_id

        # the PC's own event reaches the console through the hub
        client = member_client(url, seat.key, verify=seat.cafile, timeout=10)
        ev = new_event(seat.key, seat.session, 1, None, utc_stamp(), "coi.declared",
                       {"member": "E1", "conflict": False, "grounds": [], "statement": ""})
        assert client.push_events(seat.session, [ev.to_record()])["accepted"] == [ev.id]
        client.close()
        assert room.session is not None
        for _ in range(100):
            hub.tick(room)
            if ev.id in {e.id for e in room.session.store.events()}:
                break
            time.sleep(0.1)
        assert ev.id in {e.id for e in room.session.store.events()}  # (the fold wants the letter signed first)
        status = hub.tick(room).sync
        assert status is not None and status.error is None and status.pulled >= 1 and status.last_push
        # the hub is fed by its frontier: the outbox, which delivers to the center, still holds every event
        outbox = sync_status(room.session.store.path)
        assert outbox.pending_events == len(room.session.store.events())  # the PC's too: the center gets them

        # the hub killed in the middle of E2's pairing: the next ticks start it again on the same port, the PC posts
        # its request again and the console resumes the offer it made (the code was spent by it)
        code = room.check_identity("E2", room.take_photo().jpeg)
        proc = _pair(tmp_path / "pc-E2", url, code)
        offered = False
        for _ in range(600):
            offered = any(p.status == "offered" and p.member == "E2" for p in hub.tick(room).pairings)
            if offered or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert offered, proc.communicate(timeout=10)
        first = hub.process
        assert first is not None
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        restarted, after = False, []
        deadline = time.monotonic() + 90
        while proc.poll() is None and time.monotonic() < deadline:
            tick = hub.tick(room)
            restarted, after = tick.restarted or restarted, after + tick.pairings
            time.sleep(0.1)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, (out, err)
        assert restarted and hub.restarts == 1 and hub.url == url and hub.alive()
        assert [p.status for p in after if p.member == "E2"] == ["offered", "checked_in"]  # resumed, not refused
        again = load_seat(tmp_path / "pc-E2", PC_PASS.encode())
        assert again is not None and room.state.members["E2"].author == again.key.key_id
    finally:
        hub.stop()
        room.close()
    assert not hub.alive()


CONSOLE = """
import sys, time
from pathlib import Path
from app.services.passphrase import open_room_key
from app.services.room_hub import RoomHub
home = Path(sys.argv[1])
open_room_key(home, b"console passphrase")
hub = RoomHub(home, b"console passphrase", "room-orphan", "127.0.0.1:0", advertise=False)
hub.start()
print(hub.process.pid, flush=True)
time.sleep(600)
"""


def test_the_hub_ends_with_its_console(tmp_path: Path) -> None:
    console = subprocess.Popen([sys.executable, "-c", CONSOLE, str(tmp_path / "console")], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert console.stdout is not None
        line = console.stdout.readline()
        assert line.strip().isdigit(), console.stderr.read() if console.stderr else line
        pid = int(line)
        assert _pid_alive(pid)
    finally:
        console.send_signal(signal.SIGKILL)  # no clean-up: the hub notices its parent is gone
        console.wait(10)
    deadline = time.monotonic() + 15
    while _pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _pid_alive(pid)
    log = (tmp_path / "console" / "hub" / "hub.log").read_text()
    assert "has ended: stopping" in log, log
