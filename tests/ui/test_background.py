"""One background-operation API (ui/ops.py, issue 15 item 1): nothing else in ui/ starts threads, nothing waits
on the GUI thread, answers come back on the GUI thread and database work runs on the database thread."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from app.paths import DEMO_CASE
from dbops import ask
from ui.launch import application
from ui.ops import PDFIUM, DbOp, PoolOp, on_gui_thread
from ui.room_client import RoomClient

UI = Path(__file__).resolve().parents[2] / "ui"
API = "ops.py"
THREADS = re.compile(r"\b(ThreadPoolExecutor|ProcessPoolExecutor|QThreadPool|QRunnable|QThread|threading\.Thread)\b")
#: modules that may start a thread of their own, and why
THREAD_EXCEPTIONS = {
    "lan/agent.py": "the LAN walkthrough's control server: a socket listener for the node's whole life, not an "
                    "operation; each command it reads runs on the GUI thread",
}
WAITS = re.compile(r"processEvents\(|time\.sleep\(|call_sync|\.wait\(\)|\b(?:future|_room|closing)\.result\(")
#: modules that may wait on the GUI thread, and why
WAIT_EXCEPTIONS = {
    "walkthrough.py": "a scripted driver playing a person offscreen: it waits as qtbot.waitUntil does",
    "bench_entry.py": "the benchmark's driver: it times the GUI from outside",
    "lan/node.py": "the LAN walkthrough's node driver (a person's hands on one PC)",
    "lan/station_node.py": "the LAN walkthrough's node driver (a person's hands on one PC)",
    "lan/agent.py": "the control server's thread waits for the GUI thread's answer (not the GUI thread)",
    "lan/launch.py": "the LAN walkthrough's launcher waits for the nodes' processes, before any window",
    "room_client.py": "RoomClient.room: on the database thread, after the opening it queued first (done)",
}


def _sources() -> dict[str, str]:
    return {path.relative_to(UI).as_posix(): path.read_text(encoding="utf-8") for path in UI.rglob("*.py")}


def test_no_thread_or_executor_in_ui_outside_the_api() -> None:
    found = {name for name, text in _sources().items() if name != API and THREADS.search(text)}
    assert found == set(THREAD_EXCEPTIONS), f"threads outside ui/ops.py: {sorted(found - set(THREAD_EXCEPTIONS))}"


def test_nothing_waits_on_the_gui_thread() -> None:
    found = {name for name, text in _sources().items() if name != API and WAITS.search(text)}
    assert found <= set(WAIT_EXCEPTIONS), f"a wait on the GUI thread: {sorted(found - set(WAIT_EXCEPTIONS))}"


def test_a_pool_operation_answers_on_the_gui_thread(qtbot) -> None:
    application()
    answers: list[tuple[str, object, bool]] = []
    worker: list[str] = []

    def work() -> int:
        worker.append(threading.current_thread().name)
        return 42

    def broken() -> None:
        raise ValueError("no")

    PoolOp(work).success(lambda value: answers.append(("ok", value, on_gui_thread()))).run_in_background()
    PoolOp(broken, lane=PDFIUM).failure(
        lambda exc: answers.append(("failed", exc, on_gui_thread()))).run_in_background()
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=10_000)
    assert ("ok", 42, True) in answers
    failed = next(a for a in answers if a[0] == "failed")
    assert isinstance(failed[1], ValueError) and failed[2] is True
    assert worker and worker[0] != threading.current_thread().name


def test_progress_reaches_the_gui_thread_before_the_answer(qtbot) -> None:
    application()
    seen: list[object] = []
    op: PoolOp[str] = PoolOp(lambda: ([op.report(step) for step in range(3)], "done")[1])
    op.with_progress(lambda step: seen.append((step, on_gui_thread()))).success(seen.append).run_in_background()
    qtbot.waitUntil(lambda: "done" in seen, timeout=10_000)
    assert seen == [(0, True), (1, True), (2, True), "done"]


def test_database_work_runs_on_the_database_thread_and_failures_go_to_the_presenter(qtbot, tmp_path: Path) -> None:
    application()
    client = RoomClient(tmp_path / "room", passphrase=b"test-passphrase")
    shown: list[str] = []
    client.show_error = lambda _parent, text: shown.append(text)
    try:
        ask(qtbot, client, lambda room: room.start(DEMO_CASE))
        on_db = ask(qtbot, client, lambda room: (client.db.is_current(), on_gui_thread()))
        assert on_db == (True, False)
        assert not client.db.is_current()
        with pytest.raises(RuntimeError, match="database thread"):
            client.room  # noqa: B018 - the GUI thread may not reach the room
        delivered: list[bool] = []
        DbOp(client, lambda room: room.state.stage).success(lambda _stage: delivered.append(on_gui_thread())) \
            .run_in_background()

        def refused(room: object) -> None:
            raise ValueError("refused here")

        DbOp(client, refused).run_in_background()  # no failure callback: the client's presenter shows it
        qtbot.waitUntil(lambda: bool(delivered and shown), timeout=10_000)
        assert delivered == [True] and "refused here" in shown[0]
        assert client.pending == 0
    finally:
        client.close()


def test_room_work_goes_through_dbop() -> None:
    """The room client runs DbOps only: no ``client.call``, ``call_sync`` or the old ``Operation`` builder."""
    old = re.compile(r"client\.call\(|call_sync|\bOperation\(")
    assert not {name for name, text in _sources().items() if old.search(text)}


def test_a_closed_pages_pool_failure_is_logged_not_shown(qtbot, monkeypatch: pytest.MonkeyPatch,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    """Pool work fetches for its page: when the page closed before the work failed (a hub that did not answer), no
    dialog about a page the person left (offscreen it would wait for ever); the failure is logged."""
    from PySide6.QtWidgets import QWidget

    import ui.ops

    application()
    shown: list[str] = []
    monkeypatch.setattr(ui.ops, "present_error", lambda _parent, exc: shown.append(str(exc)))
    page = QWidget()
    release = threading.Event()

    def fails() -> None:
        release.wait(10)
        raise ConnectionError("no hub answered")

    PoolOp(fails, parent=page).success(lambda _v: shown.append("delivered")).run_in_background()
    page.deleteLater()
    qtbot.waitUntil(lambda: not _alive(page))
    with caplog.at_level("WARNING", logger="ui.ops"):
        release.set()
        qtbot.waitUntil(lambda: "no hub answered" in caplog.text, timeout=10_000)
    assert shown == []
    PoolOp(fails).run_in_background()  # no page, no failure callback: the presenter still shows it
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "no hub answered" in shown[0]


def _alive(widget: object) -> bool:
    from shiboken6 import isValid

    return bool(isValid(widget))
