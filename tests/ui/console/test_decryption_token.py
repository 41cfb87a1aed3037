"""Issue 18 item 2 (GUI) with the bidder's USB key: the console's decryption box offers "USB 密钥" with a PIN field
(echo mode password, cleared after each attempt); the box decrypts a CMS bid on a SoftHSM2 token (a real PKCS#11
module, the console's ``pkcs11_module`` / ``pkcs11_slot`` from the environment's settings) with the right PIN, a
wrong PIN shows the recorded cause (revoked), and a slot holding no token is a notice with nothing recorded. A
picture of the box is kept (EVALROOM_SHOTS/decryption, else the test's folder)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLineEdit

import encbids
from dbops import ask
from opensslpki import make_ca
from softhsm import MODULE, key_with_certificate, needs_softhsm, new_token
from ui.launch import application
from ui.main_window import MainWindow
from ui.room_client import RoomClient
from ui.walkthrough import wait_idle, wait_until

pytestmark = needs_softhsm
PIN = "246810"
WRONG_PIN = "135797"


def _package(folder: Path, crt: Path) -> dict[str, str]:
    """B2 and B3 CMS to the token's certificate, the others plain (small PDFs): the plaintexts' SHA-256."""
    package, work = folder / "package", folder / "work"
    package.mkdir(parents=True)
    work.mkdir()
    document: dict[str, Any] = json.loads(encbids.EXAMPLE.read_text(encoding="utf-8"))
    plain = {}
    for bidder in document["bidders"]:
        bid = bidder["id"]
        data = encbids.long_pdf(bid, 2)
        plain[bid] = hashlib.sha256(data).hexdigest()
        entry: dict[str, Any] = {"part": "technical"}
        if bid in ("B2", "B3"):
            src, out = work / f"{bid}.pdf", work / f"{bid}.p7m"
            src.write_bytes(data)
            subprocess.run(["openssl", "cms", "-encrypt", "-binary", "-outform", "DER", "-aes256", "-in", str(src),
                            "-out", str(out), "-recip", str(crt)], check=True, capture_output=True)
            rel, shipped = f"bids/{bid}/technical.pdf.p7m", out.read_bytes()
            entry["encryption"] = {"scheme": "cms", "plaintext_sha256": plain[bid]}
        else:
            rel, shipped = f"bids/{bid}/technical.pdf", data
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_bytes(shipped)
        bidder["documents"] = [{"path": rel, "sha256": hashlib.sha256(shipped).hexdigest(), **entry}]
    (package / "case.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return plain


def _opened(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slot: int) -> tuple[Any, Any, list[str]]:  # type: ignore[no-untyped-def]
    from app import settings

    assert MODULE is not None
    label = f"bid-key-{slot}"
    real = new_token(label, PIN)
    crt = key_with_certificate(label, PIN, make_ca(tmp_path / "ca", "Bidder CA", "rsa"), "Bidder Token", "rsa")
    _package(tmp_path / "built", crt)
    monkeypatch.setenv("EVALROOM_PKCS11_MODULE", str(MODULE))
    monkeypatch.setenv("EVALROOM_PKCS11_SLOT", str(real if slot == 0 else slot))
    settings.select(None)
    application()
    from ui.i18n import Languages

    client = RoomClient(tmp_path / "room", recording=None, demo=True)
    window = MainWindow(client, Languages(), 60)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    errors: list[str] = []
    client.show_error = lambda _parent, text: errors.append(text)
    ask(qtbot, client, lambda room: room.start(tmp_path / "built" / "package"))
    wait_until(lambda: client.view is not None, "the session did not open")
    window.console.show_page(1)
    page = window.console.opening
    wait_idle(client)
    page.open_button.click()
    wait_idle(client)
    qtbot.waitUntil(lambda: client.view.stage == "opening")
    return client, page.decryption, errors


def _token_chosen(box: Any, bidder: str, pin: str) -> None:
    box.bidder.setCurrentIndex(box.bidder.findData(bidder))
    box.kind.setCurrentIndex(box.kind.findData("token"))
    assert box.pin.isEnabled() and box.pin.isVisible() and not box.key_file.isVisible()
    assert box.pin.echoMode() == QLineEdit.EchoMode.Password
    box.pin.setText(pin)
    box.decrypt_button.click()
    assert box.pin.text() == ""  # typed for the one attempt, never kept


def test_the_box_decrypts_with_the_usb_key_and_its_pin(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    client, box, errors = _opened(qtbot, tmp_path, monkeypatch, 0)
    try:
        assert box.kind.itemText(box.kind.findData("token")) == "USB 密钥（证书在 U 盾/USB Key 中）"
        _token_chosen(box, "B3", WRONG_PIN)
        qtbot.waitUntil(lambda: "B3 解密失败：口令错误；视为撤销投标" in box.message.text(), timeout=30_000)
        wait_idle(client)
        _token_chosen(box, "B2", PIN)
        shots = Path(os.environ.get("EVALROOM_SHOTS", tmp_path)) / "decryption"
        shots.mkdir(parents=True, exist_ok=True)
        qtbot.waitUntil(lambda: "B2 的 1 份投标文件已解密" in box.message.text(), timeout=30_000)
        wait_idle(client)
        rows = {box.files.item(r, 0).text(): box.files.item(r, 3).text() for r in range(box.files.rowCount())}
        assert rows == {"B2": "已解密", "B3": "失败：视为撤销"}
        box.grab().save(str(shots / "decryption-box-usb-key.png"))
        assert errors == []
    finally:
        wait_idle(client)
        client.close()


def test_a_slot_without_the_key_is_a_notice_and_nothing_is_recorded(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    client, box, errors = _opened(qtbot, tmp_path, monkeypatch, 4242)
    try:
        _token_chosen(box, "B2", PIN)
        qtbot.waitUntil(lambda: "未记录 B2 的解密结果，可再次出示密钥" in box.message.text(), timeout=30_000)
        wait_idle(client)
        assert "4242" in box.message.text() and "已记录" not in box.message.text()
        assert box.decrypt_button.isEnabled()  # it may present the key again
        assert [box.files.item(r, 3).text() for r in range(box.files.rowCount())] == ["待解密", "待解密"]
        shots = Path(os.environ.get("EVALROOM_SHOTS", tmp_path)) / "decryption"
        shots.mkdir(parents=True, exist_ok=True)
        box.grab().save(str(shots / "decryption-box-usb-key-missing.png"))
        assert errors == []
    finally:
        wait_idle(client)
        client.close()
