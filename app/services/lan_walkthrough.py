"""`evalroom demo --lan-walkthrough OUTDIR`: the demo case played by real, separate processes on 127.0.0.1, as a
room of several PCs plays it (README, "CLI contract"): the console with its room hub (``OUTDIR/console``), one
workstation per member of the committee (``OUTDIR/ws-<member>``) and the supervisor's PC (``OUTDIR/supervisor``),
each a real window offscreen with its own data folder and its own keys.

This process runs no window: it starts the nodes, tells each over its control channel (:mod:`app.services.node_control`)
what its person does, and puts a relay (:class:`app.sync.linkcut.LinkCut`) between every PC and the hub. During
scoring it pulls one workstation's cable for at least :data:`CUT_SECONDS`: that expert goes on scoring and
submits during the cut, and the link heals. At the end it writes ``cut.json``, ``case.json`` and ``result.json``
(equal to ``evalroom evaluate case.json``) and prints the console's session file last.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from app.errors import EvalRoomError
from app.paths import DEMO_CASE
from app.services.evaluation import dump_result, evaluate_document
from app.services.node_control import AgentError, Remote
from app.sync.linkcut import LinkCut

CUT_SECONDS = 12.0
CUT_MEMBER_INDEX = 1  # the second member's cable is pulled during scoring
SIGNING_CUT_INDEX = 3  # the fourth member's during report signing
PIN = "2468"
# the demo PCs' own key passphrase (each PC's key is made and kept in its folder); a real PC asks its own
PC_PASSPHRASE = b"evalroom-demo-pc"
SUPERVISOR = "监督员"


class LanWalkthroughError(EvalRoomError, RuntimeError):
    pass


@dataclass
class Process:
    name: str
    folder: Path
    proc: subprocess.Popen[bytes]
    remote: Remote | None = None

    def __call__(self, do: str, **args: Any) -> Any:
        if self.remote is None:
            raise LanWalkthroughError(f"{self.name}: not connected")
        if self.proc.poll() is not None:
            raise LanWalkthroughError(f"{self.name} exited {self.proc.returncode}: {self.log_tail()}")
        try:
            return self.remote(do, **args)
        except AgentError as exc:
            raise LanWalkthroughError(str(exc)) from exc

    def log_tail(self) -> str:
        log = self.folder / "node.log"
        return log.read_text(errors="replace")[-1500:] if log.is_file() else ""


@dataclass
class Room:
    out: Path
    nodes: dict[str, Process] = field(default_factory=dict)
    relays: dict[str, LinkCut] = field(default_factory=dict)

    offscreen: bool = True
    hub: dict[str, Any] = field(default_factory=dict)
    stations: dict[str, Process] = field(default_factory=dict)

    def start(self, name: str, role: str, *extra: str) -> Process:
        folder = self.out / name
        folder.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        if self.offscreen:
            env["QT_QPA_PLATFORM"] = "offscreen"
        log = (folder / "node.log").open("wb")
        command = [sys.executable, "-m", "app", "demo", "--lan-node", role, "--data", str(folder), *extra]
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        node = Process(name, folder, proc)
        self.nodes[name] = node
        return node

    def connect(self, node: Process, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if node.proc.poll() is not None:
                raise LanWalkthroughError(f"{node.name} exited {node.proc.returncode} at start: {node.log_tail()}")
            try:
                node.remote = Remote(node.name, node.folder, timeout=2.0)
                return
            except (AgentError, OSError):
                if time.monotonic() > deadline:
                    raise LanWalkthroughError(f"{node.name} opened no control channel: {node.log_tail()}") from None
                time.sleep(0.2)

    def wait(self) -> None:
        """Until every node's window is closed (the ``--room`` demo)."""
        for node in self.nodes.values():
            node.proc.wait()

    def close(self) -> None:
        for node in reversed(list(self.nodes.values())):
            if node.remote is not None and node.proc.poll() is None:
                with contextlib.suppress(AgentError, OSError):
                    node.remote("quit")
                node.remote.close()
        for node in self.nodes.values():
            try:
                node.proc.wait(30)
            except subprocess.TimeoutExpired:
                node.proc.terminate()
                try:
                    node.proc.wait(10)
                except subprocess.TimeoutExpired:
                    node.proc.kill()
        for relay in self.relays.values():
            relay.close()


def _until(what: str, check: Callable[[], Any], timeout: float = 120.0, every: float = 0.3) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise LanWalkthroughError(f"timed out waiting for {what}")
        time.sleep(every)


def _side_by_side(work: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run each node's step at once (the PCs of a room act in parallel), raising the first failure."""
    with ThreadPoolExecutor(max(1, len(work))) as pool:
        futures = {name: pool.submit(step) for name, step in work.items()}
    return {name: future.result() for name, future in futures.items()}


def open_room(out: Path, members: list[str] | int, offscreen: bool = True) -> Room:
    """Start the console (with its hub), a workstation per member (``members``: their ids, or how many of the
    demo case's first ones) and the supervisor's PC, each PC behind its own :class:`LinkCut`; return once every
    node's control channel answers."""
    if isinstance(members, int):
        case = json.loads(DEMO_CASE.read_text(encoding="utf-8"))
        members = [m["id"] for m in case["committee"]][:members]
    room = Room(Path(out), offscreen=offscreen)
    try:
        console = room.start("console", "console")
        room.connect(console)
        room.hub = console("hub_info", wait=60)  # the console's hub is up: its address and room-CA fingerprint
        target = (str(room.hub["host"]), int(room.hub["port"]))
        for member in [*members, SUPERVISOR]:
            relay = LinkCut(target)
            room.relays[member] = relay
            url = f"{room.hub['scheme']}://{relay.url_host}"
            if member == SUPERVISOR:
                room.start("supervisor", "supervisor", "--hub", url)
            else:
                room.stations[member] = room.start(f"ws-{member}", "workstation", "--hub", url)
        for node in room.nodes.values():
            if node.remote is None:
                room.connect(node)
    except BaseException:
        room.close()
        raise
    return room


def run_lan_walkthrough(outdir: Path) -> int:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    case = json.loads(DEMO_CASE.read_text(encoding="utf-8"))
    members = [m["id"] for m in case["committee"]]
    room = open_room(outdir, members)
    console, stations, supervisor, hub = room.nodes["console"], room.stations, room.nodes["supervisor"], room.hub
    try:
        console("shot", name="import")

        # 开标
        console("open_bids")
        console("objection", bidder="B2", text="对B1投标报价的大小写一致性有疑问",
                answer="经核对开标一览表，大小写一致，异议不成立，已当场答复")
        console("confirm_opening", representative="李明（B1授权代表）")
        console("shot", name="opening")
        console("end_opening")

        # 签到: identity at the desk, the code typed on the member's own PC, its key made there
        for index, member in enumerate(members):
            ws = stations[member]
            console("photo", member=member)
            code = console("verify", member=member)["code"]
            if index == 0:
                console("shot", name="checkin")
            ws("pair", code=code, pin=PIN, fingerprint=hub["fingerprint"], shot="pairing" if index == 0 else None)
            ws("sign_letter", seed=index)
            if index == 0:
                ws("shot", name="letter")
            ws("declare_none")
            ws("shot", name="declared")
        code = console("supervisor_code", name=SUPERVISOR)["code"]
        supervisor("pair", code=code, pin=PIN, fingerprint=hub["fingerprint"], shot="pairing")
        supervisor("sign_letter", seed=9)
        supervisor("shot", name="letter")
        _until("the console to see every check-in, letter and declaration", lambda: all(
            m["checked_in"] and m["letter"] and m["declared"] for m in console("view")["members"].values()))
        console("close_checkin")
        console("elect_chair", member=members[0])
        console("shot", name="committee")
        console("start_preliminary")

        # 初步评审, on every PC at once
        _until("every workstation to reach the preliminary review",
               lambda: all(ws("view")["stage"] == "preliminary" for ws in stations.values()))
        _side_by_side({m: partial(ws, "preliminary_pass_all") for m, ws in stations.items()})
        stations[members[0]]("shot", name="preliminary")
        console("start_scoring")
        _until("every workstation to reach scoring",
               lambda: all(ws("view")["stage"] == "scoring" for ws in stations.values()))

        # 详细评审: one cable pulled while that expert scores and submits
        cut_member = members[CUT_MEMBER_INDEX]
        cut_start = room.relays[cut_member].cut()
        cut_station = stations[cut_member]

        def score(member: str) -> None:
            ws = stations[member]
            ws("score", sheet=case["scores"][member], keyboard=member == members[0])
            if member in (members[0], cut_member):
                ws("shot", name="scoring")
            ws("submit")

        _side_by_side({m: partial(score, m) for m in members})
        _until(f"{cut_member}'s workstation to notice its cut link (its status bar)",
               lambda: not cut_station("link").get("online"), 60)
        cut_station("shot_when", name="offline", text="离线")
        remaining = CUT_SECONDS - (time.monotonic() - _monotonic_of(cut_start))
        if remaining > 0:
            time.sleep(remaining)
        cut_end = room.relays[cut_member].heal()
        (outdir / "cut.json").write_text(json.dumps({"member": cut_member, "start": cut_start.isoformat(),
                                                     "end": cut_end.isoformat()}, indent=2) + "\n")
        _until(f"{cut_member}'s workstation to sync after the cut",
               lambda: cut_station("link").get("pending") == 0 and cut_station("link").get("online"), 120)
        _until("the console to hold every submission",
               lambda: all(m["submitted"] for m in console("view")["members"].values()))
        console("shot", name="progress")
        console("close_scoring")
        console("shot", name="summary")

        supervisor("incident", text="评标过程中第二评标室空调故障，已由工作人员处理，未影响评审")
        supervisor("shot", name="supervision")

        # 评标报告: drafted at the console, previewed and signed on each PC
        draft = console("draft_report")
        _until("every workstation to show the draft",
               lambda: all(ws("view").get("draft") == draft for ws in stations.values()))
        signing_cut = members[SIGNING_CUT_INDEX]  # another cable pulled while that member signs the report
        for index, member in enumerate(members):
            ws = stations[member]
            reasons = ("对B2技术方案的评分偏高：其投标文件未响应招标文件第3.2条的交互大屏分辨率要求。"
                       if index == 1 else None)
            if member == signing_cut:
                ws("preview_ready")  # the draft reached this PC before its cable is pulled
                room.relays[member].cut()
            ws("sign_report", seed=index, dissent=reasons)
            if index in (0, 1):
                ws("shot", name="report-signed")
            if member == signing_cut:
                _until(f"{member}'s workstation to keep its signature while cut", partial(_held_offline, ws), 60)
                ws("shot_when", name="signed-offline", text="离线")
                room.relays[member].heal()
        _until("the console to hold every signature", lambda: not console("view")["report"]["waiting"], 120)
        supervisor("sign_off", note="评标过程符合规定，监督签字")
        _until("the console to hold the supervisor's sign-off", lambda: console("view")["signed_off"], 120)
        console("shot", name="report")
        console("finalize")
        console("archive")
        console("shot", name="archive")
        played = console("case_and_result")
        session_file = console("session_file")
    except BaseException:
        for node in room.nodes.values():
            tail = node.log_tail()
            if tail:
                print(f"--- {node.name} ---\n{tail}", file=sys.stderr)
        room.close()
        raise
    room.close()
    document = played["case"]
    (outdir / "case.json").write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    result = evaluate_document(document)
    if result != played["result"]:
        raise LanWalkthroughError("the ledger's result differs from the rule engine on case.json")
    (outdir / "result.json").write_text(dump_result(result), encoding="utf-8")
    shots = sum(len(list(n.folder.glob("[0-9][0-9]-*.png"))) for n in room.nodes.values())
    print(f"lan walkthrough: {len(room.nodes)} nodes, {shots} pictures, cut {cut_member} "
          f"{cut_start:%H:%M:%S}–{cut_end:%H:%M:%S}; case.json, result.json and cut.json in {outdir}")
    print(session_file)
    return 0


def _held_offline(ws: Process) -> bool:
    """The PC keeps what its person did (pending, unsent) and says it is offline."""
    link = ws("link")
    return int(link["pending"]) >= 1 and not link["online"]


def _monotonic_of(moment: Any) -> float:
    """The monotonic clock reading of a wall-clock moment taken just now (for the cut's length)."""
    from datetime import UTC, datetime

    return time.monotonic() - float((datetime.now(UTC) - moment).total_seconds())


__all__ = ["run_lan_walkthrough", "LanWalkthroughError", "CUT_SECONDS"]
