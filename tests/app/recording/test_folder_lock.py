"""One recorder per folder, and asking who records there never gets in a recorder's way: a console polls
:func:`lock_holder` while its recorder starts (a CI run once lost the recorder this way: the poll held the
lock for an instant, the starting recorder took it for a rival's and exited)."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from app.recording.config import RUN
from app.recording.process import LOCK_FILE, RecorderBusy, _free, _try_lock, exclusive, lock_holder


def test_a_recorder_waits_out_a_console_that_only_asks(tmp_path: Path) -> None:
    out = tmp_path / "rec"
    (out / RUN).mkdir(parents=True)
    asking = (out / RUN / LOCK_FILE).open("a+")
    assert _try_lock(asking)  # the console's look at the lock, made slow
    threading.Timer(0.3, asking.close).start()
    with exclusive(out):
        holder = lock_holder(out)
        assert holder is not None and holder.pid == os.getpid() and holder.verified


def test_a_recorder_that_holds_the_folder_turns_a_second_one_away(tmp_path: Path) -> None:
    out = tmp_path / "rec"
    with exclusive(out):
        started = time.monotonic()
        with pytest.raises(RecorderBusy, match="another recorder"), exclusive(out, wait=0.2):
            pass
        assert time.monotonic() - started >= 0.2


def test_asking_leaves_the_holders_name_as_it_is(tmp_path: Path) -> None:
    out = tmp_path / "rec"
    assert lock_holder(out) is None and not (out / RUN).exists()  # asking creates nothing
    with exclusive(out, parent=1):
        named = (out / RUN / LOCK_FILE).read_text()
        for _ in range(20):
            assert lock_holder(out) is not None
        assert (out / RUN / LOCK_FILE).read_text() == named
    before = (out / RUN / LOCK_FILE).read_text()
    assert lock_holder(out) is None and _free(out)
    assert (out / RUN / LOCK_FILE).read_text() == before  # a free folder's last name is not overwritten
    assert json.loads(before)["parent"] == 1


def test_asking_all_the_time_while_recorders_start_never_loses_one(tmp_path: Path) -> None:
    out = tmp_path / "rec"
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            lock_holder(out)

    askers = [threading.Thread(target=ask) for _ in range(2)]
    for t in askers:
        t.start()
    try:
        for _ in range(50):
            with exclusive(out):
                pass
    finally:
        stop.set()
        for t in askers:
            t.join()
