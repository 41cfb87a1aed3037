"""`evalroom demo --room`: the console with its hub, two expert workstations and the supervisor's PC as separate
processes, each with its own data folder and window; the PCs show their pairing page with the console hub's
address; SIGTERM closes every node."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.services.node_control import Remote

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def test_the_room_demo_starts_the_pcs_as_separate_processes(tmp_path: Path) -> None:
    out = tmp_path / "room"
    proc = subprocess.Popen([sys.executable, "-m", "app", "demo", "--room", "--data", str(out)], cwd=ROOT,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        nodes = ["console", "ws-E1", "ws-E2", "supervisor"]
        while not all((out / n / "agent.json").is_file() for n in nodes):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the room's nodes did not start"
            time.sleep(0.5)
        console = Remote("console", out / "console")
        hub = console("hub_info", wait=60)
        assert hub["url"].startswith("https://127.0.0.1:") and hub["fingerprint"]
        for name in ("ws-E1", "ws-E2", "supervisor"):
            pc = Remote(name, out / name)
            assert pc("view") == {"stage": None}  # not paired yet: its pairing page is shown
            pc.close()
        console.close()
        pids = {n: int((out / n / "node.pid").read_text()) for n in nodes}
    finally:
        proc.send_signal(signal.SIGTERM)
        outs = proc.communicate(timeout=120)
    assert proc.returncode == 0, outs
    for name, pid in pids.items():
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # every node ended with the demo
            pytest.fail(f"{name} is still running")
