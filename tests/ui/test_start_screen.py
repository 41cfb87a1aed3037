"""The start screen of `evalroom`: the machine's role first; the console then picks a package."""

from __future__ import annotations

from ui.start_screen import StartScreen


def test_choosing_a_workstation_needs_no_package(qtbot) -> None:
    screen = StartScreen()
    qtbot.addWidget(screen)
    screen.choose(1)
    assert screen.result() == StartScreen.DialogCode.Accepted and screen.role == 1 and screen.package is None


def test_the_console_without_a_package_stays_on_the_start_screen(qtbot, monkeypatch) -> None:
    screen = StartScreen()
    qtbot.addWidget(screen)
    monkeypatch.setattr("ui.start_screen.QFileDialog.getOpenFileName", lambda *a, **k: ("", ""))
    screen.choose(0)
    assert screen.result() != StartScreen.DialogCode.Accepted and screen.package is None
