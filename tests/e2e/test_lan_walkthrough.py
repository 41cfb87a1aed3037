"""`evalroom demo --lan-walkthrough OUTDIR`, the contract of the README: the demo case played by real, separate
processes offscreen on 127.0.0.1 (the console with its hub, a workstation per member, the supervisor's PC), one
workstation's link cut for at least 10 s during scoring; every private key where it belongs; the result equal to
`evalroom evaluate OUTDIR/case.json`; the console's ledger verifies (its path the last line printed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from app.paths import DEMO_CASE

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]

# the console's own private keys: the room's (its signing key, the LAN CA and the hub's TLS key it issued, the
# hub's receipt key) and the recorder's; nothing of any member or the supervisor
CONSOLE_KEYS = {"keys/room.p12", "keys/lan-ca.p12", "keys/hub-tls.key", "hub/center-key.p12",
                "keys/room-pades.p12"}


def _private_keys(folder: Path) -> set[str]:
    found = set()
    for path in folder.rglob("*"):
        if not path.is_file() or "/media/" in path.as_posix():
            continue
        if path.suffix in (".p12", ".key") or (path.suffix == ".pem" and b"PRIVATE KEY" in path.read_bytes()):
            found.add(path.relative_to(folder).as_posix())
    return found


def test_the_lan_walkthrough_plays_the_room_on_separate_processes(tmp_path: Path) -> None:
    out = tmp_path / "walk"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "app", "demo", "--lan-walkthrough", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1400)
    assert done.returncode == 0, done.stderr[-4000:]
    case = json.loads(DEMO_CASE.read_text(encoding="utf-8"))
    members = [m["id"] for m in case["committee"]]
    nodes = ["console", "supervisor", *(f"ws-{m}" for m in members)]
    for node in nodes:
        pictures = sorted(p.name for p in (out / node).glob("[0-9][0-9]-*.png"))
        assert pictures and pictures[0].startswith("01-"), (node, pictures)

    cut = json.loads((out / "cut.json").read_text())
    assert cut["member"] in members
    seconds = (datetime.fromisoformat(cut["end"]) - datetime.fromisoformat(cut["start"])).total_seconds()
    assert seconds >= 10, cut
    assert (out / f"ws-{cut['member']}").glob("*-offline.png")

    evaluated = subprocess.run([sys.executable, "-m", "app", "evaluate", str(out / "case.json")], cwd=ROOT,
                               capture_output=True, text=True, timeout=120)
    assert evaluated.returncode == 0, evaluated.stderr
    assert json.loads(evaluated.stdout) == json.loads((out / "result.json").read_text(encoding="utf-8"))

    console_keys = _private_keys(out / "console")
    recorder = {k for k in console_keys if k.endswith("recording/keys/recorder.p12")}
    assert recorder and console_keys - recorder <= CONSOLE_KEYS, console_keys
    for member in members:
        held = _private_keys(out / f"ws-{member}")
        assert len(held) == 1 and held.pop().endswith("/member.p12"), (member, held)
        seat = json.loads(next((out / f"ws-{member}" / "seats").glob("*/seat.json")).read_text(encoding="utf-8"))
        assert seat["member"] == member
    assert len([k for k in _private_keys(out / "supervisor") if k.endswith("/member.p12")]) == 1

    last = done.stdout.strip().splitlines()[-1]
    assert last.endswith("session.sqlite") and Path(last).is_file() and Path(last).is_relative_to(out / "console")
    verified = subprocess.run([sys.executable, "-m", "app", "ledger", "verify", last], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
    assert verified.returncode == 0, verified.stdout + verified.stderr
