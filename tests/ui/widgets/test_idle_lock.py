"""Idle lock: locks after the idle time, unlocks only with the PIN, input resets the timer."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
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
    """Each kind of input starts the idle time again (told by the timer's remaining time, not by how long the
    test's own waits took on a loaded machine); while locked, input does not."""
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(window, check_pin=lambda pin: pin == "2468", minutes=1)
    lock.timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse minute rounds its end to the second: a restart
    lock.timer.start()  # 20 ms later would show the same remaining time
    full = lock.timer.interval()
    inputs = (lambda: qtbot.keyClick(window, "a"), lambda: qtbot.mouseClick(window, Qt.MouseButton.LeftButton),
              lambda: qtbot.mouseMove(window, QPoint(10, 10)))
    for give_input in inputs:
        qtbot.waitUntil(lambda: lock.timer.remainingTime() < full - 20, timeout=5000)
        before = lock.timer.remainingTime()
        give_input()
        assert lock.timer.isActive() and lock.timer.remainingTime() > before
        assert not lock.is_locked
    lock.lock()
    lock.timer.stop()
    qtbot.keyClick(window, "a")
    assert lock.is_locked and not lock.timer.isActive()  # typing on the lock screen is no activity
    lock.overlay.pin.setText("2468")
    lock.overlay.try_unlock()
    assert not lock.is_locked and lock.timer.isActive()  # unlocking starts the idle time again
