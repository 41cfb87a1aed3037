"""Scoring on an expert's own PC never waits on the network (issue 14 item 3): keypress to a saved signed event.

A real room hub (``evalroom hub serve`` on 127.0.0.1, the room enrolled) holds a session at scoring that its
console pushed; the expert's PC is a :class:`app.services.member_room.MemberRoom` on its own replica in its own
data folder, syncing in the background every 0.2 s. One sample is one ``MemberStation.set_score`` call (what the
GUI's score cell calls on its database thread when the expert commits a value: sign with the seat's key, chain,
fold with the permission rules, the event, its projection and outbox rows committed with a WAL fsync); the
GUI's own repaint is not in it. Samples are taken in blocks, alternately with the hub up (the baseline: the
node pulling, pushing and acking beside the scoring) and SIGKILLed (the node failing to connect and backing
off), so a change in the machine's load affects both alike. Printed: median and p95 of each, and the ratios
down / up (a figure near 1: the cut costs the expert nothing).

Run: ``python bench/member_score.py [--samples 600] [--blocks 3] [--pause-ms 15]``.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.center.service import Center, Config, load_center_key  # noqa: E402
from app.crypto.keys import SigningKey  # noqa: E402
from app.services.member_room import MemberRoom  # noqa: E402
from app.services.paired import EXPERT, Paired  # noqa: E402
from app.services.session import Session  # noqa: E402
from app.services.templates import commitment_letter  # noqa: E402
from app.sync.client import CenterClient  # noqa: E402
from app.sync.node import SyncNode  # noqa: E402

CASE = {
    "format": "evalroom-case/1", "profile": "procurement",
    "project": {"code": "BENCH-2", "name": "基准", "category": "goods"},
    "lot": {"code": "01", "name": "一"},
    "opening": {"deadline": "2026-11-20T09:30:00+08:00"},
    "bidders": [{"id": f"B{i}", "name": f"投标人{i}", "price": f"{100 + i}.00",
                 "submitted_at": "2026-11-20T09:00:00+08:00"}
                for i in range(1, 4)],
    "committee": [{"id": f"E{i}", "name": f"专家{i}", "role": "expert"} for i in range(1, 6)],
    "method": {"kind": "comprehensive", "price": {"kind": "low_price_first", "points": "30"},
               "criteria": [{"id": "T1", "name": "技术", "group": "technical", "type": "subjective", "max": "40",
                             "step": "0.5"}]},
}
VALUES = [str(v / 2).removesuffix(".0") for v in range(81)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Hub:
    """``evalroom hub serve`` on its data folder and one port, started again on the same ones after a kill."""

    def __init__(self, data: Path) -> None:
        self.data, self.port = data, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        import httpx

        log = (self.data / "hub.log").open("ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "app", "hub", "serve", "--data", str(self.data), "--port",
                                      str(self.port)], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"hub exited {self.proc.returncode}: see {self.data / 'hub.log'}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the hub did not answer within 60 s")
            time.sleep(0.1)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)


def console_at_scoring(folder: Path, pc_key: SigningKey) -> tuple[Session, SigningKey]:
    """The console's session at scoring; E1 checked in with the key made on the expert's PC."""
    room = SigningKey.generate()
    session = Session.create(folder / "session.sqlite", "BENCH-2-01", "bench-room", CASE, room)
    keys = {m["id"]: SigningKey.generate() for m in CASE["committee"]}
    keys["E1"] = pc_key
    letter = commitment_letter()
    for stage in ("opening", "checkin", "committee", "preliminary", "scoring"):
        session.advance(stage)
        if stage == "opening":
            session.read_bids()
        if stage == "checkin":
            for member, key in keys.items():
                session.check_in(member, key)
                session.sign_letter(key, member, letter.name, letter.version_sha256)
                session.declare(key, member, conflict=False)
        if stage == "committee":
            session.elect_chair("E1")
    return session, room


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=600, help="set_score calls in all (half with the hub down)")
    parser.add_argument("--blocks", type=int, default=3, help="up/down alternations")
    parser.add_argument("--pause-ms", type=float, default=15.0, help="between two keypresses (the expert typing)")
    args = parser.parse_args()
    per_block = max(1, args.samples // (2 * args.blocks))
    with tempfile.TemporaryDirectory(prefix="evalroom-bench-member-") as tmp:
        work = Path(tmp)
        for name in ("console", "hub", "pc"):
            (work / name).mkdir()
        pc_key = SigningKey.generate()  # made on the expert's PC; the console binds it at check-in
        session, room_key = console_at_scoring(work / "console", pc_key)
        center = Center(Config.default(work / "hub"), key=load_center_key((work / "hub").resolve(), rounds=1000))
        center.enroll("bench-room", room_key.public)
        center.close()
        hub = Hub(work / "hub")
        hub.start()
        console = SyncNode(session.store, CenterClient(hub.url, "bench-room", room_key, timeout=10))
        assert console.sync_once().error is None
        paired = Paired(hub.url, "BENCH-2-01", "E1", EXPERT, "专家1", pc_key)
        room = MemberRoom(work / "pc", paired, sync_interval=0.2)
        room.start()
        station = room.workstation("E1")
        samples: dict[str, list[float]] = {"up": [], "down": []}
        n = 0
        try:
            for block in range(args.blocks):
                for state in ("up", "down"):
                    if state == "down":
                        hub.kill()
                        deadline = time.monotonic() + 30
                        while room.link().online and time.monotonic() < deadline:
                            time.sleep(0.05)
                    elif block:
                        hub.start()
                        deadline = time.monotonic() + 60
                        while not room.link().online and time.monotonic() < deadline:
                            time.sleep(0.05)
                    for _ in range(per_block):
                        start = time.perf_counter()
                        station.set_score(f"B{1 + n % 3}", "T1", VALUES[n % len(VALUES)])
                        samples[state].append(time.perf_counter() - start)
                        n += 1
                        time.sleep(args.pause_ms / 1000)
                    link = room.link()
                    print(f"block {block + 1} hub {state:4}: {per_block} scores; link online={link.online} "
                          f"pending={link.pending}")
            hub.start()
            deadline = time.monotonic() + 60
            while room.link().pending and time.monotonic() < deadline:
                time.sleep(0.1)
            assert console.sync_once().error is None
            same = session.store.head(pc_key.key_id) == room.store.head(pc_key.key_id)
            print(f"after the heal: {room.link().pending} pending on the PC; the console holds the PC's feed up to "
                  f"its last event: {same}; rejections {len(session.state.rejections)}")
        finally:
            room.close()
            console.client.close()
            session.close()
            hub.kill()
        up, down = samples["up"], samples["down"]
        ms = 1000.0
        print(f"keypress -> saved signed event (MemberStation.set_score), {len(up)} + {len(down)} samples, "
              f"{os.cpu_count()} cores:")
        print(f"  hub up (baseline): median {statistics.median(up) * ms:.2f} ms, p95 {pct(up, 0.95) * ms:.2f} ms")
        print(f"  hub down (cut):    median {statistics.median(down) * ms:.2f} ms, p95 {pct(down, 0.95) * ms:.2f} ms")
        print(f"  ratio down/up: median {statistics.median(down) / statistics.median(up):.2f}x, "
              f"p95 {pct(down, 0.95) / pct(up, 0.95):.2f}x (target: about 1, the cut costs the expert nothing)")


if __name__ == "__main__":
    main()
