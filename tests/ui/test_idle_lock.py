"""Idle lock: locks after the idle time, unlocks only with the PIN, input resets the timer."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.widgets.idle_lock import IdleLock


def test_locks_when_idle_and_unlocks_with_pin(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(600, 400)
    window.show()
    lock = IdleLock(window, check_pin=lambda pin: pin == "2468", minutes=0.002)  # 120 ms
    with qtbot.waitSignal(lock.locked, timeout=2000):
        pass
    assert lock.is_locked
    lock.overlay.pin.setText("0000")
    lock.overlay.try_unlock()
    assert lock.is_locked and "不正确" in lock.overlay.hint.text()
    lock.overlay.pin.setText("2468")
    lock.overlay.try_unlock()
    assert not lock.is_locked


def test_activity_resets_the_timer(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(window, check_pin=lambda pin: False, minutes=0.005)  # 300 ms
    for _ in range(5):
        qtbot.wait(100)
        qtbot.keyClick(window, "a")
    assert not lock.is_locked
