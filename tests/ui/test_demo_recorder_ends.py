"""`evalroom demo` leaves no recorder behind (issue 13, defect 6): a real demo process, offscreen, ended with
SIGTERM (closed in order: the recorder is stopped as on 退出) or SIGKILL of its whole process group (its
recorder sees its console gone and stops on its own)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.recording.feed import read_feed
from app.recording.process import lock_holder, recorder_feed

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="POSIX signals")]


def _wait(predicate, what: str, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _recording(data: Path) -> Path | None:
    for status in data.glob("sessions/*/recording/preview/status.json"):
        try:
            running = json.loads(status.read_text(encoding="utf-8")).get("running")
        except (OSError, ValueError):
            continue
        if running:
            return status.parents[1]
    return None


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_ending_the_demo_ends_its_recorder(how: str, tmp_path: Path) -> None:
    data = tmp_path / "demo"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    demo = subprocess.Popen([sys.executable, "-m", "app", "demo", "--data", str(data)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    out: Path | None = None
    try:
        _wait(lambda: _recording(data) is not None or demo.poll() is not None, "the demo's recorder")
        assert demo.poll() is None, demo.stderr.read() if demo.stderr else ""
        out = _recording(data)
        assert out is not None
        holder = lock_holder(out)
        assert holder is not None and holder.parent == demo.pid
        if how == "SIGTERM":
            demo.send_signal(signal.SIGTERM)
            assert demo.wait(60) == 128 + signal.SIGTERM  # left its event loop and closed in order
        else:
            os.killpg(demo.pid, signal.SIGKILL)  # the demo and all it runs in its group; the recorder has its own
            demo.wait(60)
        _wait(lambda: lock_holder(out) is None, "the recorder to end with the demo")
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait(60)
        if out is not None and (left := lock_holder(out)) is not None and left.verified:
            os.kill(left.pid, signal.SIGKILL)
    assert out is not None
    events = read_feed(recorder_feed(out))  # type: ignore[arg-type]
    assert events[-1].type == "recorder.stopped"
    if how == "SIGTERM":
        assert events[-1].body["reason"] == "stopped"  # asked to stop by the console's orderly close
    else:
        assert "console that started it" in events[-1].body["reason"]
