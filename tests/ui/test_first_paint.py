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
