"""The window paints its frame first and builds its pages right after: nothing is lost by that."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from ui.launch import application, demo_window
from ui.walkthrough import wait_idle, wait_until


def test_high_dpi_scales_by_the_exact_factor() -> None:
    application()
    assert QGuiApplication.highDpiScaleFactorRoundingPolicy() == Qt.HighDpiScaleFactorRoundingPolicy.PassThrough


def test_the_pages_are_built_after_the_first_paint(qtbot, tmp_path: Path) -> None:
    application()
    window = demo_window(tmp_path / "room", recording=None)
    qtbot.addWidget(window)
    try:
        assert window.__dict__["_built"] is False and window.centralWidget().text() == "正在打开评标室…"
        window.show()
        window.grab()  # the first paint
        assert window.__dict__["_built"] is False  # the build waits for the next turn of the event loop
        wait_until(lambda: window.__dict__["_built"], "the pages were not built after the first paint")
        assert window.console.nav.count() == 8 and window.role_buttons.button(0).isChecked()
        console = window.console  # the console opens on its first page, selected in the list
        assert console.stack.currentWidget() is console.import_page and console.nav.currentRow() == 0
    finally:
        wait_idle(window.client)
        window.client.close()


def test_asking_for_a_part_builds_the_window_at_once(qtbot, tmp_path: Path) -> None:
    application()
    window = demo_window(tmp_path / "room", recording=None)
    qtbot.addWidget(window)
    try:
        assert window.console.import_page is not None  # built on the spot, before any paint
        assert window.__dict__["_built"] is True
        window.select_role(2)
        assert window.areas.currentIndex() == 2
        try:
            window.no_such_part  # noqa: B018 - a real missing attribute is still an AttributeError
        except AttributeError:
            pass
        else:
            raise AssertionError("a missing attribute must raise AttributeError")
    finally:
        wait_idle(window.client)
        window.client.close()


def test_work_after_the_pages_waits_for_their_paint(qtbot, tmp_path: Path) -> None:
    """The demo's session opening (its imports compete with the pages for the interpreter) runs once the built
    pages have painted; a window never shown still runs it, after the latest delay; later work runs at once."""
    application()
    window = demo_window(tmp_path / "room", recording=None)
    qtbot.addWidget(window)
    ran: list[str] = []
    try:
        window.after_pages(lambda: ran.append("after"))
        window.show()
        window.grab()  # the frame's paint: the pages are built on the next turn, painted on the one after
        assert ran == []
        qtbot.waitUntil(lambda: ran == ["after"])
        assert window.__dict__["_built"] is True
        window.after_pages(lambda: ran.append("later"))
        qtbot.waitUntil(lambda: ran == ["after", "later"])
        unseen = demo_window(tmp_path / "unseen", recording=None)  # never shown: nothing paints
        qtbot.addWidget(unseen)
        unseen.after_pages(lambda: ran.append("unseen"), latest_ms=50)
        qtbot.waitUntil(lambda: "unseen" in ran)
        wait_until(lambda: unseen.client.view is not None, "the unseen window's session did not open")
        wait_idle(unseen.client)
        unseen.client.close()
        wait_until(lambda: window.client.view is not None, "the demo session did not open")
    finally:
        wait_idle(window.client)
        window.client.close()


START_PATH = r"""
import sys
from pathlib import Path
from ui.launch import application, demo_window
from ui.start_screen import StartScreen
heavy = {"reportlab", "sqlalchemy", "PIL"}
application()
StartScreen().grab()
window = demo_window(Path(sys.argv[1]), recording=None)
window.build()
window.grab()
print(" ".join(sorted(heavy & set(sys.modules))) or "-")
import app.services.report, app.services.room  # what the database thread loads to open the room and snapshot it
print(" ".join(sorted(heavy & set(sys.modules))) or "-")
"""


def test_the_start_path_loads_no_report_stack(tmp_path: Path) -> None:
    """The start screen and the demo window's pages load neither reportlab nor SQLAlchemy before they paint
    (the room opens on the database thread after that), and the services the room opens with do not load the
    report's renderer: reportlab (0.3 s) loads when a report is rendered."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    run = subprocess.run([sys.executable, "-c", START_PATH, str(tmp_path / "room")], env=env, cwd=root,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    painted, opened = run.stdout.split("\n")[:2]
    assert painted == "-", f"loaded before the pages painted: {painted}"
    assert "reportlab" not in opened and "PIL" not in opened, f"the room's services load the report stack: {opened}"
