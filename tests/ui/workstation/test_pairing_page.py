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
from app.center.service import Center, Config
from app.paths import DEMO_CASE
from app.services import hub_network
from app.services.paired import key_path
from app.services.room import Room
from app.sync.client import CenterClient
from ui.i18n import Languages
from ui.launch import application
from ui.walkthrough import wait_until
from ui.workstation.pairing_page import PairingPage
from ui.workstation.seat_pin import pin_file

PASS = b"console passphrase"
PC_PASS = b"pc passphrase 1"
SHOTS = Path(os.environ.get("EVALROOM_SHOTS") or "/tmp/evalroom-shots")
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("pairing-page")]


class Console:
    """The console: its room CA issues the hub's certificate; its Room answers the hub's pairing requests."""

    def __init__(self, home: Path, hub_data: Path) -> None:
        tag = uuid.uuid4().hex[:8]
        self.room_id = f"room-{tag}"
        self.home = home
        options = hub_network.hub_serve_options(home, PASS, self.room_id)
        self.ca = options[options.index("--room-ca") + 1]
        self.hub = ck.start_server(hub_data, *options, role="hub", scheme="https", cafile=self.ca)
        self.room = Room(home, self.room_id, passphrase=PASS)
        case = json.loads(DEMO_CASE.read_text(encoding="utf-8"))
        case["project"]["code"] = f"{case['project']['code']}-{tag}"
        package = home.parent / f"package-{tag}.json"
        package.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
        center = Center(Config.default(hub_data, role="hub"))
        try:
            center.enroll(self.room_id, self.room.key.public)
        finally:
            center.close()
        self.room.start(package)
        self.room.open_bids()
        self.room.advance("checkin")
        self.client = CenterClient(self.hub.url, self.room_id, self.room.key, verify=self.ca, timeout=10)
        self.room.hub_client = self.client
        from app.sync.worker import SyncWorker

        assert self.room.session is not None
        self.worker = SyncWorker(self.room.session.store.path, self.client, self.room.session.store.session_id)

    def code(self, member: str) -> str:
        return self.room.check_identity(member, self.room.take_photo().jpeg)

    def tick(self) -> None:
        self.room.answer_pairings()
        self.worker.run_once(force=True)

    def close(self) -> None:
        self.client.close()
        self.room.close()
        self.hub.stop()


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("room")
    made = Console(folder / "console", folder / "hub")
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
    page = _page(qtbot, tmp_path / "pc", console.hub.url)
    desk = hub_network.room_ca_fingerprint(console.home)
    assert desk is not None
    wait_until(lambda: page.fingerprint_text() == desk, f"the fingerprint shown is {page.fingerprint_text()!r}")


def test_a_wrong_code_is_refused_on_the_page_in_chinese_and_english(qtbot, console: Console, tmp_path: Path) -> None:
    console.code("E3")  # a live code exists, but not this one
    page = _page(qtbot, tmp_path / "pc", console.hub.url)
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

    home = tmp_path / "pc"
    code = console.code("E2")
    window = seat_window(home, PC_PASS, Languages(), hub_url=console.hub.url, idle_minutes=60, discover=False,
                         opener=_stand_in(tmp_path))
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
    window.grab().save(str(SHOTS / "pairing-then-station.png"))
    window.client.close()
    window.close()

    again = seat_window(home, PC_PASS, Languages(), hub_url=console.hub.url, idle_minutes=60, discover=False,
                        opener=_stand_in(tmp_path / "again"))
    qtbot.addWidget(again)
    again.show()
    wait_until(lambda: again.station is not None, "a PC with a seat did not go straight to its station")
    assert again.pairing is None and again.seat.member == "E2"
    assert again.station._check_pin("2468") and not again.station._check_pin("0000")
    again.client.close()


def _stand_in(folder: Path) -> Callable[[Any], Any]:
    """Until the member's replica (``MemberRoom``) is in: a stand-in opened on the database thread."""
    def opener(seat: Any) -> Any:
        from seatkit import StandInMemberRoom

        return StandInMemberRoom(folder / "replica", seat.member)

    return opener
