"""The remote venue's console (副场主控台) window against a real center process on 127.0.0.1: it joins the
session the main venue pushed, runs its own room hub relaying to the center, verifies its seated experts'
identity (photo from the camera and from a file) and issues each a one-time code, with which the expert's own PC
(``pair``, its key made there) checks in at the venue's hub; the main console's replica sees the check-in, a
message goes each way; an unreachable center and a room that is no venue are told in the window, and retried
in the background."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

import centerkit as ck
from app.recording.faces import encode_jpeg
from app.recording.sources import SyntheticCamera
from app.services.pairing import pair
from app.services.session import Clock
from app.settings import Settings
from app.sync.client import CenterClient
from app.sync.replica import pull_into
from dbops import ask
from ui.i18n import Languages
from ui.launch import application
from ui.venue.client import VenueClient
from ui.venue.window import VenueWindow
from ui.walkthrough import wait_until
from venuekit import VENUE, remote_session

PASSPHRASE = b"venue-test-passphrase"


def _window(qtbot, home: Path, center_url: str | None, room: str = VENUE,  # type: ignore[no-untyped-def]
            hub_listen: str | None = None) -> VenueWindow:
    application()
    client = VenueClient(Settings(room_id=room, room_name="县副场", center_url=center_url, data_folder=home,
                                  hub_listen=hub_listen), passphrase=PASSPHRASE, interval=0.3)
    window = VenueWindow(client, Languages())
    qtbot.addWidget(window)
    window.resize(1366, 720)
    window.show()
    client.start()
    return window


def _shot(window: VenueWindow, name: str) -> None:
    folder = os.environ.get("EVALROOM_SHOTS")
    if folder:
        QApplication.processEvents()  # the layout follows the last texts before the picture
        Path(folder).mkdir(parents=True, exist_ok=True)
        window.grab().save(str(Path(folder) / name))


def _pair(window: VenueWindow, pc: Path, member: str) -> dict[str, Any]:
    """The expert's own PC pairs with the venue's hub by the code the window shows (in a thread: the window's
    database thread answers meanwhile); what came of it (``seat`` or ``error``)."""
    code, hub = window.code.text(), window.view.hub if window.view else None
    assert len(code) == 6 and hub is not None and hub["fingerprint"] in window.hub_note.text()
    assert hub["url"].split("//")[1].split(":")[0] in window.hub_note.text()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["seat"] = pair(pc, hub["url"], code, b"pc passphrase", ca_fingerprint=hub["fingerprint"],
                                   timeout=60)
        except Exception as exc:  # told to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, name=f"pair-{member}", daemon=True)
    thread.start()
    wait_until(lambda: not thread.is_alive(), f"{member}'s PC did not pair", 90)
    assert "error" not in outcome, outcome
    assert outcome["seat"].member == member
    return outcome


def _cell(table, row: int, column: int) -> str:  # type: ignore[no-untyped-def]
    item = table.item(row, column)
    return item.text() if item is not None else ""


@pytest.fixture
def center(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A center with the main room and the remote venue enrolled, holding the main venue's session (at
    check-in, E4 and E5 seated at the remote venue and not yet checked in)."""
    kit = remote_session(tmp_path / "main", upto="checkin", clock=Clock(), seat_remote=False)
    data = tmp_path / "center"
    for room, key in (("main-room", kit.room), (VENUE, kit.venue)):
        pem = tmp_path / f"{room}.pub.pem"
        pem.write_bytes(key.public.to_pem())
        done = ck.run_cli("center", "enroll", "--data", str(data), "--room", room, "--public-key", str(pem))
        assert done.returncode == 0, done.stderr
    server = ck.start_server(data)
    main = CenterClient(server.url, "main-room", kit.room)
    main.push_events(kit.session.store.session_id, [ev.to_record() for ev in kit.session.store.events()])
    home = tmp_path / "county"
    (home / "keys").mkdir(parents=True)
    kit.venue.save(home / "keys" / "room.p12", PASSPHRASE)  # the key the main venue added is this PC's room key
    yield kit, server, main, home
    main.close()
    server.stop()


def test_the_remote_console_joins_checks_in_and_talks_with_the_main_venue(qtbot, center, tmp_path: Path) -> None:
    kit, server, main, home = center
    session_id = kit.session.store.session_id
    window = _window(qtbot, home, server.url, hub_listen="127.0.0.1:0")
    client = window.client
    try:
        wait_until(lambda: window.view is not None and [s.id for s in window.view.seats] == ["E4", "E5"],
                   "the remote console did not join the session", 60)
        assert client.joined == session_id and "已加入会话 REMOTE-001-01" in window.join_status.text()
        assert window.stage.text() == "专家签到" and "县公共资源交易中心副场" in window.room.text()
        assert [window.member.itemData(i) for i in range(window.member.count())] == ["E4", "E5"]
        assert not window.checkin_button.isEnabled()  # no photo yet

        window.photo_button.click()  # this room's camera (synthetic in the settings): exactly one face
        wait_until(lambda: window.checkin_button.isEnabled(), "no photo with one face", 60)
        window.checkin_button.click()
        wait_until(lambda: len(window.code.text()) == 6 and window.view.seats[0].identity, "no code for E4", 30)
        assert not window.view.seats[0].checked_in  # until the expert's own PC pairs
        wait_until(lambda: window.view.hub is not None, "the venue's hub did not start", 60)
        assert "本副场评标室服务器" not in window.link.text()  # said in the link box only when in trouble
        _pair(window, tmp_path / "pc-E4", "E4")
        wait_until(lambda: window.view.seats[0].checked_in, "E4 was not checked in", 30)
        assert _cell(window.seats, 0, 4) == "✓" and window.code.text() == ""  # the code is spent
        assert not [p for p in home.rglob("E*.p12")]  # the expert's key is on his PC only
        first = ask(qtbot, window.client.rooms, lambda console: console.desk.session.state.members["E4"].author)
        window.seats.selectRow(0)  # E4's PC lost its seat: a new code, a new PC, a new key replacing the first
        wait_until(lambda: window.reissue_button.isEnabled(), "no 重新发放登录码 for E4", 10)
        window.reissue_button.click()
        wait_until(lambda: len(window.code.text()) == 6, "no new code for E4", 30)
        again = _pair(window, tmp_path / "pc-E4-again", "E4")["seat"]
        wait_until(lambda: ask(qtbot, window.client.rooms,
                               lambda console: console.desk.session.state.members["E4"].author) == again.key.key_id,
                   "the new PC's key did not replace E4's", 30)
        assert first != again.key.key_id
        window.seats.clearSelection()
        wait_until(lambda: window.code.text() == "", "the spent code is still shown", 10)

        photo = tmp_path / "e5.jpg"  # a photo from a file, as when the camera is broken
        photo.write_bytes(encode_jpeg(SyntheticCamera().read()))
        window.member.setCurrentIndex(window.member.findData("E5"))
        window.photo_from(str(photo))
        wait_until(lambda: window.checkin_button.isEnabled(), "the file photo was not accepted", 60)
        window.checkin_button.click()
        wait_until(lambda: len(window.code.text()) == 6, "no code for E5", 30)
        _pair(window, tmp_path / "pc-E5", "E5")
        wait_until(lambda: all(s.checked_in for s in window.view.seats), "E5 was not checked in", 30)
        assert window.member.count() == 0 and not window.photo_button.isEnabled()

        window.text.setText("副场两位专家已签到")
        window.send_button.click()
        wait_until(lambda: window.messages.rowCount() == 1, "the message is not in the log", 30)

        def main_sees() -> bool:  # the main console's replica, through the center
            pull_into(kit.session.store, main)
            state = kit.state
            return all(state.members[m].author for m in ("E4", "E5")) and bool(state.remote.messages)

        wait_until(main_sees, "the main venue did not see the check-ins and the message", 60)
        state = kit.state
        assert state.rejections == [] and set(state.identities) >= {"E4", "E5"}
        assert state.remote.messages[-1]["from"] == VENUE and state.remote.messages[-1]["text"] == "副场两位专家已签到"

        kit.session.venue_message(VENUE, "主场收到，请准备评审")  # and back
        main.push_events(session_id, [ev.to_record() for ev in kit.session.store.events()])
        wait_until(lambda: window.messages.rowCount() == 2, "the main venue's message did not arrive", 60)
        assert _cell(window.messages, 0, 3) == "主场收到，请准备评审"
        assert _cell(window.messages, 0, 2) == "县公共资源交易中心副场"
        assert "链路正常" in window.link.text() and "无中断" in window.rule.text()

        # the main venue saw this venue's link go down: R-SUS-6 before the start
        kit.session.link_lost(VENUE, kit.clock.now())
        main.push_events(session_id, [ev.to_record() for ev in kit.session.store.events()])
        wait_until(lambda: "主场记录本副场链路中断" in window.rule.text(), "the outage's timer is not shown", 60)
        assert "R-SUS-6" in window.rule.text() and "剩余 0" in window.rule.text()
        _shot(window, "venue-zh.png")
        window.set_language("en")
        assert window.checkin_button.text() == "Verify identity and issue login code"
        assert "Link up" in window.link.text()
        _shot(window, "venue-en.png")
        window.set_language("zh_CN")
        assert window.checkin_button.text() == "核验身份并发放登录码"

        kit.session.link_restored(VENUE, kit.clock.now())
        main.push_events(session_id, [ev.to_record() for ev in kit.session.store.events()])
        wait_until(lambda: "已恢复" in window.rule.text(), "the restored link is not shown", 60)
        server.stop()  # the center goes away: the console says so and works on
        wait_until(lambda: "链路中断" in window.link.text(), "the lost link to the center is not shown", 60)
        window.text.setText("中心断开期间的消息")
        window.send_button.click()
        wait_until(lambda: window.messages.rowCount() == 3, "the message was not kept locally", 30)
        wait_until(lambda: "待发送 1" in window.link.text(), "the message is not pending", 30)
        _shot(window, "venue-link-down.png")
    finally:
        client.close()


def test_an_unreachable_center_is_told_and_retried(qtbot, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{ck.free_port()}"  # nothing listens there
    window = _window(qtbot, tmp_path / "county", url)
    try:
        wait_until(lambda: "重试" in window.join_status.text() and window.client.failures >= 1, "no retry message", 30)
        assert "无法连接交易中心" in window.join_status.text() and url in window.join_status.text()
        assert window.client.joined is None
        assert window.view is None and not window.send_button.isEnabled()
        _shot(window, "venue-unreachable.png")
    finally:
        window.client.close()


def test_a_room_that_is_no_venue_waits_for_the_main_venue(qtbot, center, tmp_path: Path) -> None:
    _kit, server, _main, _home = center
    other = tmp_path / "other"
    window = _window(qtbot, other, server.url, room="county-9")  # its own new key: enrolled, but no venue
    pem = other / "keys" / "room.pub.pem"
    try:
        wait_until(lambda: pem.exists(), "the console wrote no public key", 30)
        wait_until(lambda: "重试" in window.join_status.text(), "no message", 30)
        assert "拒绝了本评标室 county-9" in window.join_status.text()  # not enrolled at the center
        done = ck.run_cli("center", "enroll", "--data", str(tmp_path / "center"), "--room", "county-9", "--public-key",
                          str(pem))
        assert done.returncode == 0, done.stderr
        wait_until(lambda: "尚不是任何会话的副场" in window.join_status.text(), "no 'not a venue' message", 60)
        assert window.client.joined is None
    finally:
        window.client.close()


def test_without_a_center_the_console_says_so(qtbot, tmp_path: Path) -> None:
    window = _window(qtbot, tmp_path / "county", None)
    try:
        assert "未配置交易中心地址" in window.join_status.text() and window.client.joined is None
    finally:
        window.client.close()


def test_with_the_center_away_the_console_opens_its_replica_and_syncs_later(qtbot, center) -> None:
    kit, server, main, home = center
    session_id = kit.session.store.session_id
    window = _window(qtbot, home, server.url)
    wait_until(lambda: window.view is not None, "the remote console did not join the session", 60)
    window.client.close()
    # closed for real: no sync node of the first console writes on beside the next one's store
    assert not [t for t in threading.enumerate() if t.name == "evalroom-node-sync"]
    port = server.port
    server.stop()
    window = _window(qtbot, home, server.url)  # the next start, the center away: this PC's replica
    try:
        wait_until(lambda: window.view is not None and window.view.session == session_id, "the replica was not opened",
                   60)
        assert "先在本机副本上工作" in window.join_status.text()
        window.text.setText("本机副本上的消息")
        window.send_button.click()
        wait_until(lambda: window.messages.rowCount() == 1 and "待发送 1" in window.link.text(), "not kept locally", 30)
        restarted = ck.start_server(server.log.parent, port=port)  # the center is back, on its data folder
        try:
            wait_until(lambda: "链路正常" in window.link.text() and "待发送 0" in window.link.text(),
                       "not sent after the heal", 60)
            pull_into(kit.session.store, main)
            assert kit.state.remote.messages[-1]["text"] == "本机副本上的消息"
        finally:
            restarted.stop()
    finally:
        window.client.close()


def test_a_room_that_is_the_venue_of_two_sessions_chooses_one(qtbot, center, tmp_path: Path) -> None:
    from app.services.session import Session

    kit, server, main, home = center
    other = Session.create(tmp_path / "other.sqlite", "REMOTE-002-01", "main-room", kit.state.package, kit.room,
                           Clock())
    other.add_venue(VENUE, "县公共资源交易中心副场", kit.venue.public)
    main.push_events("REMOTE-002-01", [ev.to_record() for ev in other.store.events()])
    window = _window(qtbot, home, server.url)
    try:
        wait_until(lambda: window.choose_box.isVisible(), "no choice of sessions", 60)
        assert [window.sessions.itemData(i) for i in range(window.sessions.count())] == ["REMOTE-001-01",
                                                                                         "REMOTE-002-01"]
        assert window.client.joined is None and "多个会话" in window.join_status.text()
        window.sessions.setCurrentIndex(1)
        window.join_button.click()
        wait_until(lambda: window.view is not None and window.view.session == "REMOTE-002-01",
                   "the chosen session was not joined", 60)
        assert not window.choose_box.isVisible() and window.view.seats == ()
    finally:
        window.client.close()
        other.close()
