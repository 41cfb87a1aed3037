"""The one-window login with a certificate and trust_ocsp on: the OCSP responders are asked on the network lane,
not on the room's database thread, before the login is written (a loopback responder holding its answer while
another database action completes; then answering *revoked*: refused naming the certificate, the code still works)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dbops import ask
from opensslpki import PASSPHRASE, HeldResponder, free_port, make_ca
from ui.launch import application
from ui.ops import DbOp
from ui.room_client import RoomClient
from ui.walkthrough import wait_until
from ui.workstation.login_page import LoginPage

pytestmark = pytest.mark.gui


def test_the_login_asks_ocsp_off_the_database_thread(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.crypto.certs import load_p12
    from app.paths import DEMO_CASE
    from app.services.room import Room
    from app.settings import Settings

    application()
    responder = HeldResponder()
    ca = make_ca(tmp_path / "ca", "OCSP CA", "ecdsa")
    gone = ca.issue_dated("Expert Gone", tmp_path / "gone.p12", "20250101000000Z", "20350101000000Z",
                          ocsp_url=responder.url)
    ca.revoke(tmp_path / "gone.p12")
    settings = Settings(trust_ca_files=(ca.pem,), trust_ocsp=True)
    client = RoomClient(tmp_path / "room", opener=lambda: Room(tmp_path / "room", passphrase=b"test-passphrase",
                                                               settings=settings))
    client.show_error = lambda _parent, text: pytest.fail(text)
    try:
        with ca.ocsp_responder(free_port()) as upstream:
            responder.upstream = upstream
            ask(qtbot, client, lambda room: room.start(DEMO_CASE))
            ask(qtbot, client, lambda room: room.open_bids())
            ask(qtbot, client, lambda room: room.advance("checkin"))
            code = ask(qtbot, client, lambda room: room.check_identity("E1", room.take_photo().jpeg))
            page = LoginPage(client)
            qtbot.addWidget(page)
            page.show()
            page.cert_box.kind.setCurrentIndex(page.cert_box.kind.findData("p12"))
            page.cert_box.opened = load_p12(gone, PASSPHRASE.encode())  # (a new choice forgets the one read)
            page.code.setText(code)
            page.pin.setText("2468")
            page.button.click()
            wait_until(lambda: responder.asked.is_set(), "the OCSP responder was not asked", 60)
            other: dict[str, Any] = {}
            DbOp(client, lambda room: room.state.members["E1"].author).without_snapshot().success(
                lambda author: other.setdefault("author", author)).run_in_background()
            wait_until(lambda: "author" in other, "the database thread was held while OCSP was asked", 60)
            assert other["author"] is None and not responder.release.is_set()
            responder.release.set()
            wait_until(lambda: "revoked" in page.message.text(), f"not refused: {page.message.text()!r}", 60)
        assert "“CN=Expert Gone”" in page.message.text()
        assert ask(qtbot, client, lambda room: room.state.members["E1"].author) is None
        assert ask(qtbot, client, lambda room: room.codes.by_code(code)) is not None  # the code still works
    finally:
        responder.close()
        client.close()
