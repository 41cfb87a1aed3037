"""The crash handler: a crash writes a report (traceback, version, platform, redacted settings) under the
data folder and names it; the dialog comes before the exit."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from app import settings
from ui.crash import EXIT_CRASH, CrashHandler, crash_dialog

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import sys, threading
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from app import settings
    from ui.crash import install

    data, where = Path(sys.argv[1]), sys.argv[2]
    app = QApplication([])
    chosen = settings.with_values(settings.Settings(), room_id="crash-room", center_url="https://room:s3cret@center.example",
                                  data_folder=str(data))
    install("console", data, chosen)

    def boom():
        raise ZeroDivisionError("the slot broke")

    def in_thread():
        threading.Thread(target=boom, name="worker").start()

    QTimer.singleShot(0, boom if where == "slot" else in_thread)
    QTimer.singleShot(20000, app.quit)  # never reached when the handler works
    sys.exit(app.exec())
""")


@pytest.mark.parametrize(("where", "thread"), [("slot", "thread: MainThread"), ("thread", "thread: worker")])
def test_a_crash_in_a_child_process_writes_the_report(tmp_path: Path, where: str, thread: str) -> None:
    data = tmp_path / "data"
    done = subprocess.run([sys.executable, "-c", CHILD, str(data), where], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                                         "HOME": str(tmp_path)})
    assert done.returncode == EXIT_CRASH, done.stderr
    reports = list((data / "crashes").glob("crash-console-*.txt"))
    assert len(reports) == 1
    text = reports[0].read_text(encoding="utf-8")
    assert "ZeroDivisionError: the slot broke" in text and thread in text
    assert "version: EvalRoom " in text and "platform: " in text and "python: 3." in text
    assert 'room_id = "crash-room"' in text
    assert 'center_url = "https://room:***@center.example"' in text and "s3cret" not in text
    assert f"crash report: {reports[0]}" in done.stderr


def test_the_dialog_comes_first_and_is_shown_on_the_gui_thread(qtbot, tmp_path: Path, monkeypatch) -> None:
    events: list[str] = []
    shown: list[tuple[str, bool]] = []

    def fake_exec(box) -> int:  # the real dialog would wait for a click
        shown.append((box.text(), threading.current_thread() is threading.main_thread()))
        events.append("dialog")
        return 0

    monkeypatch.setattr("ui.crash._offscreen", lambda: False)
    monkeypatch.setattr("ui.crash.QMessageBox.exec", fake_exec)
    handler = CrashHandler("workstation", tmp_path, settings.Settings(),
                           exit=lambda code: events.append(f"exit {code}"))

    def fail() -> None:
        try:
            raise RuntimeError("worker failed")
        except RuntimeError as exc:
            handler.crash(RuntimeError, exc, exc.__traceback__, "db")

    worker = threading.Thread(target=fail)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: events == ["dialog", f"exit {EXIT_CRASH}"], timeout=5000)
    text, on_gui_thread = shown[0]
    assert on_gui_thread
    assert str(handler.reports[0]) in text and "崩溃报告已保存到" in text and "The crash report was saved to" in text
    assert handler.reports[0].parent == tmp_path / "crashes"


def test_the_dialog_text(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "crashes" / "crash-console-20261126-101500-4242.txt"
    box = crash_dialog(path)
    qtbot.addWidget(box)
    box.show()
    assert "已记录的数据不会丢失" in box.text() and "Recorded data is not lost" in box.text()
    assert box.text().count(str(path)) == 2


def test_a_fatal_qt_message_writes_the_report_and_warnings_go_to_the_log(tmp_path: Path) -> None:
    child = textwrap.dedent("""
        import logging, sys
        from pathlib import Path
        from PySide6.QtCore import qFatal, qWarning
        from PySide6.QtWidgets import QApplication
        from app import logs
        from ui.crash import install

        data = Path(sys.argv[1])
        app = QApplication([])
        logs.setup("supervisor", data)
        install("supervisor", data)
        qWarning("a Qt warning")
        qFatal("the Qt fatal message")
    """)
    data = tmp_path / "data"
    done = subprocess.run([sys.executable, "-c", child, str(data)], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                                         "HOME": str(tmp_path)})
    assert done.returncode == EXIT_CRASH, done.stderr
    report = next((data / "crashes").glob("crash-supervisor-*.txt")).read_text(encoding="utf-8")
    assert "RuntimeError: Qt fatal: " in report and "qt message: " in report
    assert 'File "<string>", line 14, in <module>' in report  # where the Python code called into the fatal message
    log = (data / "logs" / "evalroom-supervisor.log").read_text(encoding="utf-8")
    assert "WARNING qt" in log and "a Qt warning" in log and "CRITICAL ui.crash" in log
