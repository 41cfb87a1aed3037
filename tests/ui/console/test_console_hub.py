"""The console GUI runs the room hub (settings ``hub_listen``): the hub child starts once the room is open, the
status bar says where PCs reach it and the room CA's fingerprint, an expert's own PC (a separate process with its
own data folder) pairs with the code of the check-in desk, and the console's pages show that member checked in
with the PC's key; a hub killed with SIGKILL is restarted by the console."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.paths import DEMO_CASE
from dbops import ask
from ui.i18n import Languages
from ui.launch import application
from ui.main_window import MainWindow
from ui.room_client import RoomClient
from ui.walkthrough import wait_until

ROOT = Path(__file__).resolve().parents[3]
PC_PASS = "pc passphrase 1"
pytestmark = pytest.mark.slow

PAIR = f"""
import json, sys
from pathlib import Path
from app.services import hub_network
from app.services.pairing import PairingRefused, pair
home, url, code, fingerprint = sys.argv[1:5]
hub_network.pin(Path(home), url, fingerprint)
try:
    seat = pair(Path(home), url, code, b"{PC_PASS}", timeout=60)
except PairingRefused as exc:
    print(json.dumps({{"zh": exc.zh}}, ensure_ascii=False))
    sys.exit(1)
print(json.dumps({{"member": seat.member, "key_id": seat.key.key_id}}))
"""


def test_the_console_runs_its_hub_and_an_expert_pc_pairs_with_it(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    application()
    client = RoomClient(tmp_path / "console", demo=True, hub_listen="127.0.0.1:0")
    ask(qtbot, client, lambda room: room.start(DEMO_CASE))
    window = MainWindow(client, Languages())
    qtbot.addWidget(window)
    window.show()
    try:
        wait_until(lambda: window.hub.info is not None, "the room hub did not start", 60)
        info = window.hub.info
        assert info["url"].startswith("https://127.0.0.1:") and info["fingerprint"]
        wait_until(lambda: "根证书指纹" in window.hub_status.text(), "the status bar does not show the hub", 10)
        assert info["url"] in window.hub_status.text()

        code = ask(qtbot, client, lambda room: (room.open_bids(), room.advance("checkin"),
                                              room.check_identity("E1", room.take_photo().jpeg))[-1])
        pc = subprocess.Popen([sys.executable, "-c", PAIR, str(tmp_path / "pc-E1"), info["url"], code,
                               info["fingerprint"]], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        wait_until(lambda: pc.poll() is not None, "the PC's pairing did not end", 120)  # the console's loop runs
        out, err = pc.communicate()
        assert pc.returncode == 0, (out, err)
        seat = json.loads(out)
        assert seat["member"] == "E1"
        wait_until(lambda: client.view is not None and client.view.member("E1").checked_in,
                   "the console's pages never showed E1 checked in", 30)
        assert ask(qtbot, client, lambda room: room.state.members["E1"].author) == seat["key_id"]
        console_files = [p for p in (tmp_path / "console").rglob("*") if p.is_file()]
        pc_key = (tmp_path / "pc-E1").rglob("member.p12")
        assert next(pc_key).is_file() and not any(p.name == "member.p12" for p in console_files)

        hub = ask(qtbot, client, lambda room: room.hub.process)
        os.kill(hub.pid, signal.SIGKILL)  # the hub dies: the console restarts it and the status bar says so
        wait_until(lambda: ask(qtbot, client, lambda room: room.hub.restarts) >= 1 and window.hub.last is not None
                   and window.hub.last.alive, "the console did not restart its hub", 60)
    finally:
        client.close()
        window.close()
    assert client.room.hub is not None and not client.room.hub.alive()  # closing the console ended its hub
