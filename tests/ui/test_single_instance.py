"""The single-instance guard: a second process in the same mode and data folder is refused, clearly."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ui.single_instance import AlreadyRunning, acquire, lock_path

ROOT = Path(__file__).resolve().parents[2]
HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from ui.single_instance import acquire
    lock = acquire(sys.argv[1], Path(sys.argv[2]))
    print("locked", flush=True)
    sys.stdin.readline()  # hold until the test says so
""")
TRY = textwrap.dedent("""
    import sys
    from pathlib import Path
    from ui.single_instance import AlreadyRunning, acquire
    try:
        acquire(sys.argv[1], Path(sys.argv[2]))
    except AlreadyRunning as exc:
        print(exc)
        sys.exit(3)
    print("got it")
""")
ENV = {"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"}


def _holder(mode: str, data: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen([sys.executable, "-c", HOLDER, mode, str(data)], cwd=ROOT, env=ENV | {"HOME": str(data)},
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "locked"
    return child


def _try(mode: str, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", TRY, mode, str(data)], cwd=ROOT, env=ENV | {"HOME": str(data)},
                          capture_output=True, text=True, timeout=60)


def test_two_processes_in_one_mode(tmp_path: Path) -> None:
    first = _holder("console", tmp_path)
    try:
        second = _try("console", tmp_path)
        assert second.returncode == 3, second.stderr
        assert f"主控台已在本机运行（进程 {first.pid}）" in second.stdout
        assert f"The console already runs on this computer (process {first.pid})" in second.stdout
        assert _try("workstation", tmp_path).stdout.strip() == "got it"  # another mode is fine
        assert _try("console", tmp_path / "other-room").stdout.strip() == "got it"  # and another data folder
    finally:
        assert first.stdin is not None
        first.stdin.close()
        first.wait(timeout=60)
    assert _try("console", tmp_path).stdout.strip() == "got it"  # released when the first one ends


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    first = _holder("supervisor", tmp_path)
    first.kill()
    first.wait(timeout=60)
    assert lock_path("supervisor", tmp_path).exists()
    assert _try("supervisor", tmp_path).stdout.strip() == "got it"


def test_in_process(tmp_path: Path) -> None:
    lock = acquire("demo", tmp_path)
    with pytest.raises(AlreadyRunning) as info:
        acquire("demo", tmp_path)  # a second QLockFile on the same path, same process: still refused
    assert info.value.pid == os.getpid() and "演示已在本机运行" in str(info.value)
    lock.unlock()
    acquire("demo", tmp_path).unlock()


def test_a_second_demo_on_the_same_folder_says_it_already_runs(tmp_path: Path) -> None:
    import signal
    import time

    env = ENV | {"HOME": str(tmp_path)}
    data = tmp_path / "demo"
    first = subprocess.Popen([sys.executable, "-m", "app", "demo", "--data", str(data)], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        log = data / "logs" / "evalroom-demo.log"
        for _ in range(600):  # the lock is taken before the log file is opened
            if log.exists() or first.poll() is not None:
                break
            time.sleep(0.1)
        assert first.poll() is None and log.exists(), "the first demo did not start"
        second = subprocess.run([sys.executable, "-m", "app", "demo", "--data", str(data)], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120)
        assert second.returncode == 2
        assert f"演示已在本机运行（进程 {first.pid}），数据目录 {data}" in second.stderr
        assert "The demo already runs on this computer" in second.stderr
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=60)
