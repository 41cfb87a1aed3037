"""A member's own PC on its own replica (issue 14 item 3, offline for real): real ``hub serve`` processes on
127.0.0.1, the console in its own data folder, each member PC in another. The seat's key is made on the "PC" and
the console checks the member in with it (the binding it signs); the PC pins the room CA and syncs over HTTPS.
The hub is SIGKILLed mid-scoring and restarted: the member scores and submits on, nothing waits, the link says
so calmly, and on the heal the PC, the hub and the console hold each event once; the same member's feed
diverging is recorded as a fork incident. A member process SIGKILLed mid-score loses no score it had saved."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import casebuilder as cb
import centerkit as ck
import ledgerkit as lk
from app.center.service import Center, Config, load_center_key
from app.crypto import room_ca
from app.crypto.keys import SigningKey
from app.services import hub_network
from app.services.desk_actions import DeskError
from app.services.member_room import MemberRoom
from app.services.paired import EXPERT, SUPERVISOR, Paired, key_path
from app.services.report import demo_signature
from app.services.session import ActionRefused
from app.store.ledger_store import StoreError
from app.sync import pinning
from app.sync.client import CenterClient, SyncError
from app.sync.node import SyncNode

SLOW = (pytest.mark.slow, pytest.mark.timeout(240))  # real hub and member processes

PASS = b"member room test passphrase"
CRITERIA = [{"id": f"T{i}", "name": f"技术{i}", "group": "technical", "type": "subjective", "max": "20", "step": "0.5"}
            for i in range(1, 5)]
CELLS = [(f"B{b}", f"T{c}") for b in range(1, 4) for c in range(1, 5)]
CHILD = Path(__file__).resolve().parents[2] / "support" / "member_child.py"


def _until(what: str, check: Callable[[], Any], timeout: float = 60.0) -> Any:
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
        time.sleep(0.1)


@dataclass
class Lan:
    kit: lk.Kit
    console: SyncNode  # the console's exchange with its hub (run by hand here: each step is the test's)
    hub: ck.Server
    hub_data: Path
    hub_args: tuple[str, ...]
    scheme: str
    cafile: str | None

    @property
    def session(self) -> str:
        return self.kit.session.store.session_id

    def restart_hub(self) -> None:
        self.hub = ck.start_server(self.hub_data, *self.hub_args, role="hub", port=self.hub.port, scheme=self.scheme,
                                   cafile=self.cafile, timeout=90)

    def hub_ids(self) -> list[str]:
        with contextlib.closing(sqlite3.connect(self.hub_data / "center.sqlite")) as db:
            return [r[0] for r in db.execute("SELECT id FROM events WHERE session = ?", (self.session,))]

    def hub_forks(self) -> int:
        with contextlib.closing(sqlite3.connect(self.hub_data / "center.sqlite")) as db:
            return int(db.execute("SELECT COUNT(*) FROM incidents WHERE session = ?", (self.session,)).fetchone()[0])

    def sync(self) -> None:
        assert self.console.sync_once().error is None


def _lan(tmp_path: Path, tls: bool) -> Lan:
    """The console (its own data folder) at check-in, the room enrolled at its hub, the hub serving."""
    console_home = tmp_path / "console"
    console_home.mkdir()
    kit = lk.start(console_home, cb.case(criteria=CRITERIA), upto="checkin")
    room = str(kit.state.room)
    hub_data = tmp_path / "hub"
    center = Center(Config.default(hub_data), key=load_center_key(hub_data.resolve(), rounds=1000))
    center.enroll(room, kit.room.public)
    center.close()
    args: tuple[str, ...] = ()
    cafile = None
    if tls:
        made = room_ca.hub_tls(console_home, PASS, room)
        args = ("--tls-cert", str(made.cert), "--tls-key", str(made.key), "--room-ca", str(made.ca))
        cafile = str(made.ca)
    scheme = "https" if tls else "http"
    hub = ck.start_server(hub_data, *args, role="hub", scheme=scheme, cafile=cafile, timeout=90)
    verify: Any = pinning.context_for(cafile) if cafile else True
    console = SyncNode(kit.session.store, CenterClient(hub.url, room, kit.room, verify=verify, timeout=10))
    return Lan(kit, console, hub, hub_data, args, scheme, cafile)


def _pair(lan: Lan, home: Path, member: str, role: str = EXPERT) -> Paired:
    """What the pairing leaves on the PC: the seat's key made here (saved in the seat folder), bound by the
    console's check-in (or supervisor registration) and the room CA pinned."""
    key = SigningKey.generate()
    key.save(key_path(home, lan.session), PASS, rounds=1000)
    if role == EXPERT:
        lan.kit.session.check_in(member, key)  # the console signs the binding the PC's key signed
    else:
        lan.kit.session.register_supervisor(member, key)
    lan.sync()
    cafile = None
    if lan.scheme == "https":
        hub_network.pin(home, lan.hub.url)
        cafile = hub_network.cafile(home)
    return Paired(lan.hub.url, lan.session, member, role, member, key, cafile=cafile)


def _seat_the_others(lan: Lan, members: tuple[str, ...]) -> None:
    """The other members' workstations (their keys at the console here: not the PCs under test)."""
    from app.services.templates import commitment_letter

    letter = commitment_letter()
    session = lan.kit.session
    for member in members:
        key = lan.kit.members[member]
        session.check_in(member, key)
        session.sign_letter(key, member, letter.name, letter.version_sha256)
        session.declare(key, member, conflict=False)


def _open_scoring(lan: Lan) -> None:
    session = lan.kit.session
    session.advance("committee")
    session.elect_chair("E1")
    session.advance("preliminary")
    session.advance("scoring")
    lan.sync()


def _sign_in(room: MemberRoom, lan: Lan) -> None:
    """The member's letter and declaration, signed on the PC; the console has them after a sync."""
    station = room.workstation("E1")
    letter = station.letter()
    station.sign_letter(demo_signature("专家1"), '[{"x": 1, "y": 2}]', letter.version_sha256)
    station.declare(False, [], "与投标人无利害关系")
    assert room.link().pending >= 2
    _until("the console to hold the letter and the declaration",
           lambda: lan.console.sync_once() and "E1" in lan.kit.state.letters and "E1" in lan.kit.state.declarations)


def _fetch_the_letter_media(lan: Lan, room: MemberRoom) -> None:
    """The console's sync (as the console runs it with its hub) fetches the signature the PC sent: the archive
    finds the image in the session's media folder by its SHA-256."""
    from app.services.sync import ConsoleSync

    letter = lan.kit.state.letters["E1"]
    console_media = lan.kit.session.store.path.parent / "media"
    sync = ConsoleSync(configured=lambda: (lan.hub.url, None), idle=0.2)
    try:
        def fetched() -> bool:
            sync.poll_store(lan.kit.session.store, str(lan.kit.state.room), lan.kit.room)
            return all(list(console_media.glob(f"remote-{letter[k]}.*")) for k in ("image_sha256", "strokes_sha256"))

        _until("the console to fetch the member's signature", fetched)
    finally:
        sync.stop()
    made = next(room.media.glob("letter-E1.png-*.png")).read_bytes()
    assert (console_media / f"remote-{letter['image_sha256']}.png").read_bytes() == made
    assert (console_media / f"remote-{letter['strokes_sha256']}.json").read_bytes() == b'[{"x": 1, "y": 2}]'


@SLOW[0]
@SLOW[1]
def test_the_member_scores_on_through_a_killed_hub_and_converges(tmp_path: Path) -> None:
    lan = _lan(tmp_path, tls=True)
    pc = tmp_path / "pc-E1"
    room = None
    try:
        paired = _pair(lan, pc, "E1")
        _seat_the_others(lan, ("E2", "E3", "E4", "E5"))
        lan.sync()
        room = MemberRoom(pc, paired, sync_interval=0.2)  # the first pull makes the replica
        room.start()
        assert room.path == pc / "seats" / lan.session / "session.sqlite"

        # the seat: only its own member, with the key the session binds to that member
        station = room.workstation("E1", pin="2468")
        assert station.check_pin("2468") and not station.check_pin("1357")
        with pytest.raises(DeskError, match="paired for E1 only") as other:
            room.workstation("E2")
        assert "只供 E1 使用" in other.value.zh
        with pytest.raises(DeskError, match="not supervisor"):
            room.supervisor("王监督")
        _sign_in(room, lan)
        assert list((room.media).glob("letter-E1*.png"))
        with pytest.raises(ActionRefused, match="scoring is not open"):  # the fold's rules, on the replica
            station.set_score("B1", "T1", "10")

        _open_scoring(lan)
        _until("the replica to reach scoring", lambda: room.state.stage == "scoring")
        online, offline = CELLS[:6], CELLS[6:]
        for bidder, criterion in online:
            station.set_score(bidder, criterion, "15", comment="方案完整")
        _until("the scores to reach the hub", lambda: room.link().online and room.link().pending == 0)
        assert room.link().last_sync is not None

        lan.hub.stop(kill=True)  # the hub dies mid-scoring
        for index, (bidder, criterion) in enumerate(offline):
            if index == 3:  # the PC's program restarts during the cut: the replica opens without the hub
                room.close()
                room = MemberRoom(pc, paired, sync_interval=0.2)
                room.start()
                station = room.workstation("E1")
                assert station.check_pin("2468")
            pending = room.link().pending
            station.set_score(bidder, criterion, "16")
            # a saved signed event, waiting here for the hub (that it never waits on the network: bench/member_score.py)
            assert room.link().pending == pending + 1
        station.submit()
        link = _until("the link to be reported down", lambda: (lambda s: None if s.online else s)(room.link()))
        assert not link.online and link.pending >= len(offline) + 1 and link.last_error
        assert "未连接评标室主机" in link.describe() and f"待发送 {link.pending} 条" in link.describe()
        assert room.state.members["E1"].submitted and len(room.state.scores["E1"]) == 3
        assert room.view().member("E1").submitted

        lan.restart_hub()  # the same port, the same data

        def converged() -> bool:
            lan.console.sync_once()
            here = [ev.id for ev in room.store.events()]
            console = [ev.id for ev in lan.kit.session.store.events()]
            return room.link().pending == 0 and set(here) == set(console) == set(lan.hub_ids())

        _until("the PC, the hub and the console to converge", converged, 90)
        assert room.link().online and "已连接" in room.link().describe()
        for ids in ([ev.id for ev in room.store.events()], [ev.id for ev in lan.kit.session.store.events()],
                    lan.hub_ids()):
            assert len(ids) == len(set(ids)) == len(lan.kit.session.store.events())  # each event once
        state = lan.kit.state
        assert state.members["E1"].submitted and not state.rejections[1:]  # only the refused early score
        assert state.scores["E1"]["B3"]["T4"] == "16" and state.score_comments["E1"]["B1"]["T1"] == "方案完整"
        assert room.view().result is not None

        # the same member's feed diverging (the seat's key used on a second PC): an incident, not a merge
        room.close()
        key = paired.key
        lan.kit.session.write(key, "incident.recorded", {"text": "另一台电脑上的同一密钥"})
        lan.sync()  # the hub holds E1's next event from the other PC
        room = MemberRoom(pc, paired, sync_interval=0.2)
        room.workstation("E1").request_extension("评审时间不足")  # this PC's own next event, same seq
        status = room.sync_now()
        assert any("fork" in p for p in status.problems), status
        assert [row.kind for row in room.incidents()] == ["fork"]
        assert lan.hub_forks() == 1
        assert "同步发现异常" in status.describe()
    finally:
        if room is not None:
            room.close()
        lan.console.client.close()
        lan.hub.stop()


@SLOW[0]
@SLOW[1]
def test_a_member_killed_mid_score_loses_no_saved_score_and_a_supervisor_pc_reports(tmp_path: Path) -> None:
    lan = _lan(tmp_path, tls=False)
    pc = tmp_path / "pc-E1"
    child: subprocess.Popen[str] | None = None
    room = None
    try:
        paired = _pair(lan, pc, "E1")
        _seat_the_others(lan, ("E2", "E3", "E4", "E5"))
        lan.sync()
        with MemberRoom(pc, paired, sync_interval=0.2) as first:
            first.start()
            _sign_in(first, lan)
            _until("the signature's image and strokes to reach the hub",
                   lambda: (lambda s: s.online and s.pending_media == 0)(first.link()))
        _fetch_the_letter_media(lan, first)
        _open_scoring(lan)

        child = subprocess.Popen([sys.executable, str(CHILD), str(pc), lan.hub.url, lan.session, "E1", PASS.decode()],
                                 stdout=subprocess.PIPE, text=True, cwd=CHILD.parents[2],
                                 env={**os.environ, "PYTHONPATH": str(CHILD.parents[2])})
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        saved = [child.stdout.readline().strip() for _ in range(30)]
        child.send_signal(signal.SIGKILL)  # mid-score: it was scoring on when killed
        child.wait(10)
        assert child.returncode == -signal.SIGKILL

        room = MemberRoom(pc, paired, sync_interval=0.2)  # reopened: the replica as the killed process left it
        held = {ev.id for ev in room.store.events()}
        assert all(len(event_id) == 64 for event_id in saved)
        assert set(saved) <= held  # no score it had saved (set_score returned) is lost
        link = room.link()
        assert not link.online and link.last_error is None  # not tried yet in this process: nothing to report
        assert "正在连接评标室主机" in link.describe()
        room.start()
        _until("the scores to reach the console", lambda: lan.console.sync_once() and room.link().pending == 0
               and set(saved) <= {ev.id for ev in lan.kit.session.store.events()})
        from app.services.ledger_check import verify_path

        assert not [p for p in verify_path(room.path).problems if p.startswith(("format:", "chain:", "signature:"))]

        # the supervisor's own PC: its own key, registered by the console; writes through its replica
        sup_home = tmp_path / "pc-supervisor"
        sup_paired = _pair(lan, sup_home, "王监督", SUPERVISOR)
        with MemberRoom(sup_home, sup_paired, sync_interval=0.2) as sup:
            desk = sup.supervisor("王监督")
            with pytest.raises(DeskError, match="not connected|paired|expert acts"):
                sup.workstation("E1")
            with pytest.raises(DeskError):
                desk.incident("  ")
            desk.incident("E3 离席 5 分钟")
            sup.start()
            _until("the console to see the supervisor's record",
                   lambda: lan.console.sync_once() and any(i.get("text") == "E3 离席 5 分钟"
                                                           for i in lan.kit.state.incidents))
    finally:
        if child is not None and child.poll() is None:
            child.kill()
            child.wait(10)
        if room is not None:
            room.close()
        lan.console.client.close()
        lan.hub.stop()


def test_a_pc_without_its_replica_needs_the_hub_once_and_says_so(tmp_path: Path) -> None:
    paired = Paired(f"http://127.0.0.1:{ck.free_port()}", "S-001-01", "E1", EXPERT, "专家1", SigningKey.generate())
    with pytest.raises(DeskError, match="needs the room hub once") as refused:
        MemberRoom(tmp_path, paired)
    assert "须先连接评标室主机一次" in refused.value.zh
    assert not (tmp_path / "seats" / "S-001-01" / "session.sqlite").exists()
