"""The pairing page of an expert's own PC against a REAL room hub (``hub serve`` over HTTPS with the console's room
CA, a process of its own on 127.0.0.1) and the console's Room in this process answering pairings: the room CA's
fingerprint shown as the desk shows it, refusals (a wrong code, an unreachable hub) said in Chinese and English on
the page, and a right code pairing the PC (its key made here), whose next start goes straight to the station."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import centerkit as ck
from app.paths import DEMO_CASE
from app.services import hub_network
from app.services.paired import key_path
from app.services.room import Room
from ui.i18n import Languages
from ui.launch import application
from ui.walkthrough import sign_by_hand, wait_until
from ui.workstation.pairing_page import PairingPage
from ui.workstation.seat_pin import pin_file

PASS = b"console passphrase"
PC_PASS = b"pc passphrase 1"
SHOTS = Path(os.environ.get("EVALROOM_SHOTS") or "/tmp/evalroom-shots")
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("pairing-page")]


class Console:
    """The console: its Room and its room hub as a child process (``RoomHub``: HTTPS from the room's LAN CA, the
    session synced both ways and pairings answered at each tick, as the console's database thread does)."""

    def __init__(self, home: Path, settings: Any = None) -> None:
        from app.services.room_hub import RoomHub

        tag = uuid.uuid4().hex[:8]
        self.room_id = f"room-{tag}"
        self.home = home
        self.room = Room(home, self.room_id, passphrase=PASS, settings=settings)
        case = json.loads(DEMO_CASE.read_text(encoding="utf-8"))
        case["project"]["code"] = f"{case['project']['code']}-{tag}"
        package = home.parent / f"package-{tag}.json"
        package.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
        self.room.start(package)
        self.room.open_bids()
        self.room.advance("checkin")
        self.hub = RoomHub(home, PASS, self.room_id, "127.0.0.1:0", advertise=False, restart_wait=0.2)
        self.url = self.hub.start()

    def code(self, member: str) -> str:
        return self.room.check_identity(member, self.room.take_photo().jpeg)

    def tick(self) -> None:
        self.hub.tick(self.room)

    def close(self) -> None:
        self.hub.stop()
        self.room.close()


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("room")
    made = Console(folder / "console")
    yield made
    made.close()


def _serve(console: Console, until: Callable[[], Any], what: str, timeout: float = 90) -> None:
    """Pump the GUI and let the console answer the hub, as its own timer would, until ``until()``."""
    def ticked() -> Any:
        console.tick()
        return until()

    wait_until(ticked, what, timeout)


def _page(qtbot, home: Path, url: str | None) -> PairingPage:
    application()
    page = PairingPage(home, PC_PASS, hub_url=url, discover=False, timeout=30)
    qtbot.addWidget(page)
    page.resize(900, 640)
    page.show()
    return page


def test_the_page_shows_the_hubs_room_ca_fingerprint_as_the_desk_does(qtbot, console: Console,
                                                                       tmp_path: Path) -> None:
    page = _page(qtbot, tmp_path / "pc", console.url)
    desk = hub_network.room_ca_fingerprint(console.home)
    assert desk is not None
    wait_until(lambda: page.fingerprint_text() == desk, f"the fingerprint shown is {page.fingerprint_text()!r}")


def test_a_wrong_code_is_refused_on_the_page_in_chinese_and_english(qtbot, console: Console, tmp_path: Path) -> None:
    console.code("E3")  # a live code exists, but not this one
    page = _page(qtbot, tmp_path / "pc", console.url)
    wait_until(lambda: page.offered is not None, "the hub's CA was not fetched")
    page.code.setText("000001")
    page.pin.setText("2468")
    page.pin_again.setText("2468")
    page.button.click()
    _serve(console, lambda: page.failed, "the wrong code was not refused")
    text = page.message.text()
    assert "登录码" in text and any(word in text for word in ("code", "Code")), text
    assert page.button.isEnabled()
    assert not (tmp_path / "pc" / "seats").exists() or not list((tmp_path / "pc" / "seats").glob("*/member.p12"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.grab().save(str(SHOTS / "pairing-refused.png"))


def test_an_unreachable_hub_is_said_calmly(qtbot, tmp_path: Path) -> None:
    url = f"https://127.0.0.1:{ck.free_port()}"
    page = _page(qtbot, tmp_path / "pc", url)
    wait_until(lambda: "无法连接评标室服务器" in page.message.text(), "the unreachable hub was not said")
    page.code.setText("123456")
    page.pin.setText("2468")
    page.pin_again.setText("2468")
    page.button.click()
    wait_until(lambda: page.failed, "pairing with an unreachable hub did not fail")
    assert "无法连接评标室服务器" in page.message.text() and "cannot reach" in page.message.text()


def test_two_pins_that_differ_are_refused_before_any_network(qtbot, tmp_path: Path) -> None:
    page = _page(qtbot, tmp_path / "pc", "https://127.0.0.1:9")
    page.code.setText("123456")
    page.pin.setText("2468")
    page.pin_again.setText("2469")
    page.button.click()
    assert page.failed and "PIN" in page.message.text()


def test_a_right_code_pairs_the_pc_and_its_next_start_opens_the_station(qtbot, console: Console,
                                                                       tmp_path: Path) -> None:
    from ui.workstation.seat import seat_window

    application()  # with its CJK font
    home = tmp_path / "pc"
    code = console.code("E2")
    window = seat_window(home, PC_PASS, Languages(), hub_url=console.url, idle_minutes=60, discover=False)
    qtbot.addWidget(window)
    window.show()
    wait_until(lambda: window.pairing is not None, "the pairing page was not shown (no seat yet)")
    page = window.pairing
    assert isinstance(page, PairingPage)
    wait_until(lambda: page.fingerprint_text() == hub_network.room_ca_fingerprint(console.home), "no fingerprint")
    page.code.setText(code[:3] + " " + code[3:])  # as people type it
    page.pin.setText("2468")
    page.pin_again.setText("2468")
    window.resize(1280, 800)
    page.button.click()
    _serve(console, lambda: window.seat is not None or page.failed, "the pairing did not finish", 120)
    assert not page.failed, page.message.text()
    seat = window.seat
    assert seat.member == "E2" and seat.role == "expert"
    assert key_path(home, seat.session).is_file() and pin_file(home, seat.session).is_file()
    state = console.room.state
    assert state.members["E2"].author == seat.key.key_id  # the console bound the key made on this PC
    assert not list((console.home).rglob("*E2*.p12"))  # the console holds no key of E2's
    wait_until(lambda: window.station is not None, "the station did not open after pairing")
    _serve(console, lambda: window.link.text().startswith("已连接评标室服务器"), "the link is not shown online")

    # the LAN cut (the hub killed, the console not restarting it yet): the expert signs on, offline, calmly
    hub = console.hub.process
    assert hub is not None
    hub.kill()
    hub.wait(10)
    wait_until(lambda: window.link.text().startswith("离线"), f"the cut is not shown: {window.link.text()}", 30)
    station = window.station
    station.steps.setCurrentIndex(0)
    sign_by_hand(station.letter, 0)
    station.letter.sign_button.click()
    wait_until(lambda: window.client.view.member("E2").letter, "the letter was not signed on the PC")
    wait_until(lambda: "待同步 0 条" not in window.link.text(), f"nothing pending: {window.link.text()}")
    assert window.link.text().startswith("离线：评分保存在本机，恢复连接后自动同步（待同步 ")
    qtbot.wait(200)
    window.grab().save(str(SHOTS / "station-offline-letter-signed.png"))
    assert not console.room.view().member("E2").letter
    # healed: the console restarts its hub; the letter reaches the console, nothing waits on the PC
    _serve(console, lambda: console.room.view().member("E2").letter, "the letter did not reach the console", 90)
    _serve(console, lambda: window.link.text().startswith("已连接评标室服务器") and "待同步" not in window.link.text(),
           f"the link did not heal: {window.link.text()}", 60)
    window.grab().save(str(SHOTS / "pairing-then-station.png"))
    window.client.close()
    window.close()

    again = seat_window(home, PC_PASS, Languages(), hub_url=console.url, idle_minutes=60, discover=False)
    qtbot.addWidget(again)
    again.show()
    wait_until(lambda: again.station is not None, "a PC with a seat did not go straight to its station")
    assert again.pairing is None and again.seat.member == "E2"
    assert again.station._check_pin("2468") and not again.station._check_pin("0000")
    again.client.close()
    again.close()


def test_the_supervisor_pairs_and_signs_the_supervisors_own_letter_on_the_pc(qtbot, console: Console,
                                                                            tmp_path: Path) -> None:
    from ui.workstation.pc_window import PcWindow
    from ui.workstation.seat_window import SUPERVISOR

    application()
    code = console.room.issue_supervisor_code("张监督")
    window = PcWindow(tmp_path / "supervisor-pc", SUPERVISOR, hub_url=console.url, passphrase=PC_PASS,
                      idle_minutes=60, discover=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    try:
        wait_until(lambda: window.pairing is not None, "the supervisor's pairing page was not shown")
        page = window.pairing
        assert page.findChild(type(page.progress)) is not None
        assert "监督终端" in window.windowTitle()
        page.code.setText(code)
        page.pin.setText("1357")
        page.pin_again.setText("1357")
        page.button.click()
        _serve(console, lambda: window.seat is not None or page.failed, "the supervisor's pairing did not finish", 120)
        assert not page.failed, page.message.text()
        assert window.seat.role == "supervisor" and window.seat.member == "张监督"
        wait_until(lambda: window.desk is not None and window.desk.letter is not None,
                   "the supervisor's page and letter did not open")
        desk = window.desk
        assert window.station is None
        letter = desk.letter.text.toPlainText()
        assert "评标活动监督人员承诺书" in letter and "不参与评审" in letter and "承诺人（签字）：张监督" in letter
        assert "评标（评审）专家信用承诺书" not in letter
        desk.tabs.setCurrentIndex(2)  # 监督人员承诺书
        qtbot.wait(100)  # laid out: the letter can be scrolled to its end
        sign_by_hand(desk.letter, 1)
        assert desk.letter.sign_button.isEnabled()
        desk.letter.sign_button.click()
        wait_until(lambda: "supervisor 张监督" in window.client.view.letters,
                   f"the letter was not signed on the PC: {desk.message.text()}")
        qtbot.wait(200)
        window.grab().save(str(SHOTS / "supervisor-pc-letter.png"))
        _serve(console, lambda: "supervisor 张监督" in console.room.view().letters,
               "the supervisor's letter did not reach the console", 60)
        signed = console.room.state.letters["supervisor 张监督"]
        assert signed["template"] == "supervisor-commitment-v1.txt"
    finally:
        window.close_seat()
        window.close()


def test_a_seat_whose_replica_needs_the_hub_says_so_and_opens_once_the_hub_is_back(qtbot, console: Console,
                                                                                   tmp_path: Path) -> None:
    import subprocess
    import sys

    from ui.workstation.pc_window import PcWindow

    application()
    home = tmp_path / "pc-E4"
    code = console.code("E4")
    pairing = subprocess.Popen([sys.executable, "-m", "app", "pair", "--hub", console.url, "--code", code, "--data",
                                str(home)], cwd=Path(__file__).resolve().parents[3], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "EVALROOM_KEY_PASSPHRASE": PC_PASS.decode()})
    _serve(console, lambda: pairing.poll() is not None, "the PC's pairing did not end", 120)
    out, err = pairing.communicate()
    assert pairing.returncode == 0, (out, err)
    hub = console.hub.process
    assert hub is not None
    hub.kill()  # the LAN is down before this PC ever made its copy of the session
    hub.wait(10)
    window = PcWindow(home, "workstation", hub_url=console.url, passphrase=PC_PASS, idle_minutes=60, discover=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    try:
        wait_until(lambda: "须先连接评标室主机一次" in window.opening.text(),
                   f"the missing replica is not said: {window.opening.text()!r}", 60)
        assert window.pairing is None and window.station is None  # a seat: no pairing page, and no dialog
        assert "自动重试" in window.opening.text()
        qtbot.wait(100)
        window.grab().save(str(SHOTS / "seat-needs-hub-once.png"))
        _serve(console, lambda: window.station is not None, "the station did not open once the hub was back", 90)
        assert window.station.member == "E4"
        # 系统 → 重新配对 (the next session, or a code re-issued at the desk): confirmed, then the pairing page
        assert window.pair_again_action.isEnabled()
        window.pair_again_action.trigger()
        window.confirmation.yes.click()
        wait_until(lambda: window.pairing is not None, "pairing again did not show the pairing page")
        assert window.station is None and window.client is None and not window.pair_again_action.isEnabled()
        assert window.stack.currentWidget() is window.pairing
        assert window.pairing.url() == console.url  # the hub this PC was paired with
    finally:
        window.close_seat()
        window.close()


def test_after_a_restart_the_station_asks_for_the_bound_certificate_and_takes_no_other(qtbot,
                                                                                     tmp_path: Path) -> None:
    """Paired with a PKCS#12 certificate by ``evalroom pair --cert`` (a process that ended: the program restarted),
    the PC's window asks for that certificate once the station is up; another certificate is refused on the dialog
    naming both, the bound one opened again (read off the GUI thread) co-signs the 承诺书 the console receives."""
    import subprocess
    import sys

    from app.ledger import certified
    from app.settings import Settings
    from opensslpki import PASSPHRASE, make_ca
    from ui.checkin.certificate_box import P12
    from ui.workstation.pc_window import PcWindow

    application()
    ca = make_ca(tmp_path / "ca", "Seat CA", "ecdsa")
    good, other = ca.issue("Expert Seat", tmp_path / "good.p12"), ca.issue("Expert Other", tmp_path / "other.p12")
    console = Console(tmp_path / "console", Settings(trust_ca_files=(ca.pem,)))
    home = tmp_path / "pc-E5"
    window = None
    try:
        code = console.code("E5")
        pairing = subprocess.Popen([sys.executable, "-m", "app", "pair", "--hub", console.url, "--code", code,
                                    "--data", str(home), "--cert", str(good)], cwd=Path(__file__).resolve().parents[3],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "EVALROOM_KEY_PASSPHRASE": PC_PASS.decode(),
                                        "EVALROOM_CERT_PASSPHRASE": PASSPHRASE})
        _serve(console, lambda: pairing.poll() is not None, "the PC's pairing did not end", 120)
        out, err = pairing.communicate()
        assert pairing.returncode == 0, (out, err)
        window = PcWindow(home, "workstation", hub_url=console.url, passphrase=PC_PASS, idle_minutes=60,
                          discover=False)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        _serve(console, lambda: window.reopening is not None, "the bound certificate was not asked for", 90)
        dialog = window.reopening
        assert "CN=Expert Seat" in dialog.text.text() and window.reopen_cert_action.isEnabled()
        box = dialog.box
        assert box.mode() == P12
        box.file.setText(str(other))
        box.passphrase.setText(PASSPHRASE)
        box.read_button.click()
        wait_until(lambda: box.opened is not None, "the other certificate was not read")
        dialog.use.click()
        wait_until(lambda: "不是本次签到绑定的证书" in box.message.text(), f"not refused: {box.message.text()!r}")
        assert "“CN=Expert Other”" in box.message.text() and "“CN=Expert Seat”" in box.message.text()
        assert box.opened is None and dialog.isVisible() and window.certificate_to_open() == "CN=Expert Seat"
        window.grab().save(str(SHOTS / "seat-reopen-certificate-refused.png"))
        box.file.setText(str(good))
        box.passphrase.setText(PASSPHRASE)
        box.read_button.click()
        wait_until(lambda: box.opened is not None, "the bound certificate was not read")
        dialog.use.click()
        wait_until(lambda: dialog.reopened and not dialog.isVisible(), "the bound certificate was not opened")
        assert window.certificate_to_open() is None and not window.reopen_cert_action.isEnabled()
        station = window.station
        station.steps.setCurrentIndex(0)
        sign_by_hand(station.letter, 0)
        station.letter.sign_button.click()
        _serve(console, lambda: console.room.view().member("E5").letter, "the letter did not reach the console", 90)
        letter = next(ev for ev in console.room.session.store.events() if ev.type == "letter.signed")
        checkin = next(ev for ev in console.room.session.store.events() if ev.type == "checkin"
                       and ev.body.get("member") == "E5")
        cert, _chain, _sig = certified.parse(checkin.body["certificate"])
        assert certified.signature_valid(cert, letter.body[certified.SIGNATURE_FIELD],
                                         certified.act_message(letter.session, letter.author, letter.type, letter.body))
    finally:
        if window is not None:
            window.close_seat()
            window.close()
        console.close()


def test_evalroom_mode_workstation_in_a_process_of_its_own_opens_the_seat_and_syncs(console: Console,
                                                                                    tmp_path: Path) -> None:
    """`evalroom --mode workstation` outside the demo, a separate process (offscreen) with its own data folder:
    the PC paired before goes straight to its station on its replica, which syncs with the hub (the hub hears
    from it); SIGTERM ends it in order."""
    import signal
    import subprocess
    import sys
    import time

    root = Path(__file__).resolve().parents[3]
    home = tmp_path / "pc-E5"
    env = {**os.environ, "EVALROOM_KEY_PASSPHRASE": PC_PASS.decode(), "EVALROOM_DATA_FOLDER": str(home),
           "EVALROOM_HUB_URL": console.url, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("EVALROOM_SETTINGS", None)
    code = console.code("E5")
    pairing = subprocess.Popen([sys.executable, "-m", "app", "pair", "--hub", console.url, "--code", code, "--data",
                                str(home)], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env)
    deadline = time.monotonic() + 120
    while pairing.poll() is None and time.monotonic() < deadline:
        console.tick()
        time.sleep(0.2)
    out, err = pairing.communicate(timeout=30)
    assert pairing.returncode == 0, (out, err)
    key = console.room.state.members["E5"].author
    session = str(console.room.state.session)
    since = time.time()
    log = (tmp_path / "workstation.out").open("wb")
    pc = subprocess.Popen([sys.executable, "-m", "app", "--mode", "workstation"], cwd=root, env=env, stdout=log,
                          stderr=subprocess.STDOUT)
    try:
        heard = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and pc.poll() is None:
            console.tick()
            rows = console.hub.client(console.room.key).links(session)
            heard = next((r for r in rows if r.get("key_id") == key and (r.get("last_heard") or 0) >= since), None)
            if heard is not None:
                break
            time.sleep(0.5)
        assert pc.poll() is None, (tmp_path / "workstation.out").read_text(errors="replace")[-3000:]
        assert heard is not None, "the hub never heard from the workstation's own process"
        assert "mode workstation" in (home / "logs" / "evalroom-workstation.log").read_text(encoding="utf-8")
        pc.send_signal(signal.SIGTERM)
        assert pc.wait(30) == 128 + signal.SIGTERM  # the event loop left in order (ui.signals), then closed
        output = (tmp_path / "workstation.out").read_text(errors="replace")
        assert "Traceback" not in output, output[-3000:]
        from ui.single_instance import acquire

        acquire("workstation", home).unlock()  # its lock was released
    finally:
        if pc.poll() is None:
            pc.kill()
            pc.wait(10)
        log.close()


def test_hubs_found_on_the_lan_are_listed_and_the_first_ones_fingerprint_shown(qtbot, console: Console,
                                                                              tmp_path: Path, monkeypatch) -> None:
    """No hub_url in the settings: the page looks on the LAN (mDNS; here its answer is given, the real browse
    is tested in tests/app/sync/test_room_network.py) and lists what answered with the room's name."""
    application()
    found = [hub_network.HubChoice(console.url, "mdns", console.room_id)]
    monkeypatch.setattr(hub_network, "find_hubs", lambda hub_url, timeout=3.0, room=None: found)
    page = PairingPage(tmp_path / "pc", PC_PASS, discover=True)
    qtbot.addWidget(page)
    page.show()
    wait_until(lambda: page.hub.count() == 1, "the hub found was not listed")
    assert page.hub.itemText(0) == f"{console.url}（{console.room_id}）" and page._address() == console.url
    wait_until(lambda: page.fingerprint_text() == hub_network.room_ca_fingerprint(console.home),
               f"the fingerprint shown is {page.fingerprint_text()!r}")
    assert "找到评标室服务器" in page.progress.text()

    monkeypatch.setattr(hub_network, "find_hubs", lambda hub_url, timeout=3.0, room=None: [])
    page.find_button.click()
    wait_until(lambda: "未在本机网络上找到评标室服务器" in page.progress.text(), "no hub found was not said")
    assert "no room hub answered" in page.progress.text()



def test_a_seat_under_another_passphrase_is_said_and_not_paired_over(qtbot, console: Console, tmp_path: Path) -> None:
    """A PC started with a wrong passphrase: its seat's key does not open; the window says so and offers no
    pairing (which would make a second seat under the mistyped passphrase)."""
    from ui.workstation.pc_window import PcWindow

    application()
    home = tmp_path / "pc-E6"
    window = PcWindow(home, "workstation", hub_url=console.url, passphrase=PC_PASS, idle_minutes=60, discover=False)
    qtbot.addWidget(window)
    window.show()
    wait_until(lambda: window.pairing is not None, "no pairing page")
    page = window.pairing
    page.code.setText(console.code("E6"))
    page.pin.setText("2468")
    page.pin_again.setText("2468")
    page.button.click()
    _serve(console, lambda: window.station is not None or page.failed, "the pairing did not finish", 120)
    assert not page.failed, page.message.text()
    window.close_seat()
    window.close()

    wrong = PcWindow(home, "workstation", hub_url=console.url, passphrase=b"not this one", idle_minutes=60,
                     discover=False)
    qtbot.addWidget(wrong)
    wrong.show()
    wait_until(lambda: "无法打开本机的签名密钥" in wrong.opening.text(), "the wrong passphrase was not said")
    assert wrong.pairing is None and wrong.client is None
    wrong.close()


def test_a_certificate_the_console_does_not_trust_is_refused_on_the_page(qtbot, console: Console,
                                                                          tmp_path: Path) -> None:
    """The certificate chosen on the page travels with the pairing; this console trusts no CA, so it refuses it naming
    the certificate, binds nothing, and the same code then pairs without a certificate."""
    from opensslpki import PASSPHRASE, make_ca
    from ui.checkin.certificate_box import NONE, P12

    p12 = make_ca(tmp_path / "ca", "Some CA", "ecdsa").issue("Expert Page", tmp_path / "page.p12")
    code = console.code("E7")
    page = _page(qtbot, tmp_path / "pc", console.url)
    wait_until(lambda: page.offered is not None, "the hub's CA was not fetched")
    box = page.cert_box
    box.kind.setCurrentIndex(box.kind.findData(P12))
    box.file.setText(str(p12))
    box.passphrase.setText(PASSPHRASE)
    box.read_button.click()
    wait_until(lambda: box.opened is not None, "the certificate was not read")
    page.code.setText(code)
    page.pin.setText("2468")
    page.pin_again.setText("2468")
    page.button.click()
    _serve(console, lambda: page.failed, "the untrusted certificate was not refused")
    text = page.message.text()
    assert "证书“CN=Expert Page”不被接受" in text and "no trusted CA is configured" in text, text
    assert console.room.state.members["E7"].author is None
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.grab().save(str(SHOTS / "pairing-certificate-refused.png"))
    box.kind.setCurrentIndex(box.kind.findData(NONE))
    page.button.click()
    _serve(console, lambda: console.room.state.members["E7"].author is not None, "the same code did not pair")
