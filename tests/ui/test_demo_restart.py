"""The demo kept in its folder: a console restarted on it goes on where it stopped, offers the last demo
again (继续上次演示 / 新的演示), and the check-in desk issues a checked-in expert a new login code, the old
code and the old session key then refused."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from app.services.demo import LastDemo
from dbops import ask
from ui.launch import CONTINUE, NEW, DemoChoice, application, demo_note, demo_window
from ui.walkthrough import Walkthrough, wait_idle, wait_until


def _window(qtbot, home: Path):  # type: ignore[no-untyped-def]
    application()
    window = demo_window(home, idle_minutes=60, recording=None)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    wait_until(lambda: window.client.view is not None, "the demo session did not open")
    return window


def _log_in(walk: Walkthrough, code: str) -> str:
    w = walk.window
    w.select_role(1)
    w.workstations.picker.setCurrentIndex(0)
    login = w.workstations.login
    login.code.setText(code)
    login.pin.setText("2468")
    walk.click(login.button)
    return login.message.text()


def test_a_restarted_console_goes_on_and_reissues_a_login_code(qtbot, tmp_path: Path) -> None:
    home = tmp_path / "demo"
    first = _window(qtbot, home)
    walk = Walkthrough(tmp_path / "shots", first)
    walk.shot = lambda name, widget=None: None  # type: ignore[method-assign]
    try:
        first.console.show_page(1)
        walk.click(first.console.opening.open_button)
        walk.end_opening()
        walk.check_in("E1", first=False)  # logs in, signs the letter, declares
        old_key = first.client.view.member("E1")
        old_author = ask(qtbot, first.client, lambda room: room.state.members["E1"].author)
        assert old_key.letter and old_key.declared
    finally:
        wait_idle(first.client)
        first.client.close()
        first.close()

    second = _window(qtbot, home)  # the console restarted on the same folder: the session goes on
    walk = Walkthrough(tmp_path / "shots", second)
    walk.shot = lambda name, widget=None: None  # type: ignore[method-assign]
    try:
        view = second.client.view
        assert view.stage == "checkin" and view.member("E1").checked_in and view.member("E1").letter
        assert second.workstations.stations == {}  # the login died with the console
        console = second.console
        console.show_page(2)
        desk = console.checkin
        assert [desk.reissue_member.itemData(i) for i in range(desk.reissue_member.count())] == ["E1"]
        walk.click(desk.reissue_button)
        box = desk.confirmation
        assert box.isVisible() and "E1 王建国" in box.text() and "作废" in box.text()
        walk.click(box.yes)
        first_code = desk.reissue_code.text()
        assert len(first_code) == 6 and "原登录码已作废" in desk.message.text()
        walk.click(desk.reissue_button)  # issued again before use: the code before stops working
        walk.click(desk.confirmation.yes)
        code = desk.reissue_code.text()
        assert code != first_code
        assert "登录码不正确" in _log_in(walk, first_code) and "E1" not in second.workstations.stations
        _log_in(walk, code)
        station = second.workstations.stations["E1"]
        assert station.steps.isTabEnabled(1) and not station.letter.isEnabled()  # the letter stays signed
        state = ask(qtbot, second.client, lambda room: room.state)
        new_author = state.members["E1"].author
        assert new_author != old_author and state.authors[old_author].revoked and state.rejections == []
        console.show_page(2)
        walk.click(desk.reissue_button)  # the new login, lost again on this console: the station is replaced
        walk.click(desk.confirmation.yes)
        _log_in(walk, desk.reissue_code.text())
        assert second.workstations.stations["E1"] is not station
        assert second.workstations.picker.count() == 2  # "＋ 新登录" and E1, once
    finally:
        wait_idle(second.client)
        second.client.close()


def test_the_last_demo_is_offered_again_with_its_folder(qtbot, tmp_path: Path) -> None:
    application()
    last = LastDemo(tmp_path / "demo", "JLZC-2026-017-01", datetime(2026, 12, 2, 20, 4))
    box = DemoChoice(last)
    qtbot.addWidget(box)
    text = box.text()
    assert str(tmp_path / "demo") in text and "JLZC-2026-017-01" in text and "2026-12-02 20:04" in text
    assert box.defaultButton() is box.resume and box.escapeButton() is box.leave
    for button, expected in ((box.resume, CONTINUE), (box.fresh, NEW), (box.leave, None)):
        box.show()
        button.click()
        assert box.choice() == expected
    assert str(tmp_path) in demo_note(tmp_path, kept=True) and "继续" in demo_note(tmp_path, kept=True)
