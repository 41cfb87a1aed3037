"""Issue 18 item 2 (GUI): the console's opening page shows each encrypted bid's decryption state, lets staff present
the bidder's key (PKCS#12 file + passphrase, or the passphrase), shows the failure's cause and what the bid is
deemed; 唱标 waits for the decryption; the decryption runs off the GUI thread (a DbOp)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import encbids
from builtonce import built_once
from dbops import ask
from ui.launch import application
from ui.main_window import MainWindow
from ui.room_client import RoomClient
from ui.walkthrough import wait_idle, wait_until


@pytest.fixture(scope="session")
def encrypted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return built_once(tmp_path_factory, "encrypted-bids", encbids.build)


def _cells(table: Any) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_opening_page_decrypts_each_bidder(qtbot, tmp_path: Path, encrypted) -> None:  # type: ignore[no-untyped-def]
    folder, _ = encrypted
    application()
    from ui.i18n import Languages

    client = RoomClient(tmp_path / "room", recording=None, demo=True)
    window = MainWindow(client, Languages(), 60)
    qtbot.addWidget(window)
    window.resize(1280, 900)
    window.show()
    errors: list[str] = []
    client.show_error = lambda _parent, text: errors.append(text)
    try:
        ask(qtbot, client, lambda room: room.start(folder / "package"))
        wait_until(lambda: client.view is not None, "the session did not open")
        console = window.console
        console.show_page(1)
        page = console.opening
        box = page.decryption
        wait_idle(client)
        assert box.isVisible() and page.open_button.text() == "开标 · 投标人解密"
        page.open_button.click()
        wait_idle(client)
        qtbot.waitUntil(lambda: client.view.stage == "opening")
        assert not page.open_button.isEnabled() and "待解密" in page.open_button.text()
        assert [row[3] for row in _cells(box.files)] == ["待解密"] * 4
        assert "解密时限至" in box.deadline.text() and "B2、B3、B4、B5" in box.deadline.text()

        box.bidder.setCurrentIndex(box.bidder.findData("B2"))
        assert box.key_file.isEnabled()  # a CMS file: the certificate file is asked for
        box.key_file.setText(str(folder / "keys" / "B2.p12"))
        box.passphrase.setText(encbids.P12_PASS)
        box.decrypt_button.click()
        qtbot.waitUntil(lambda: "已解密" in box.message.text(), timeout=30_000)
        wait_idle(client)
        box.bidder.setCurrentIndex(box.bidder.findData("B3"))
        assert not box.key_file.isEnabled()  # a passphrase container: the passphrase alone
        box.passphrase.setText("")
        box.decrypt_button.click()  # nothing presented: refused with the reason, nothing recorded
        qtbot.waitUntil(lambda: "选择" in box.message.text() and "B3" in box.message.text())
        box.passphrase.setText(encbids.PASSPHRASES["B3"])
        box.decrypt_button.click()
        qtbot.waitUntil(lambda: "B3 的 1 份投标文件已解密" in box.message.text(), timeout=30_000)
        wait_idle(client)
        box.bidder.setCurrentIndex(box.bidder.findData("B4"))
        box.passphrase.setText(encbids.WRONG["B4"])
        box.decrypt_button.click()
        qtbot.waitUntil(lambda: "B4 解密失败：口令错误" in box.message.text(), timeout=30_000)
        wait_idle(client)
        box.bidder.setCurrentIndex(box.bidder.findData("B5"))
        box.ask_no_key()
        box.confirmation.yes.click()  # type: ignore[union-attr]
        wait_idle(client)
        rows = {row[0]: row for row in _cells(box.files)}
        assert rows["B2"][3] == "已解密" and rows["B3"][3] == "已解密"
        assert rows["B4"][3] == "失败：视为撤销" and rows["B4"][4] == "口令错误"
        assert rows["B5"][3] == "失败：视为撤销" and rows["B5"][4] == "解密时限内未出示密钥"
        assert "请唱标" in page.status.text()
        assert "解密完成：已解密 2 份，失败 2 份" in box.deadline.text()
        assert page.open_button.isEnabled() and page.open_button.text() == "唱标"
        shots = Path(os.environ.get("EVALROOM_SHOTS", tmp_path))
        window.grab().save(str(shots / "opening-decryption.png"))

        page.open_button.click()
        wait_idle(client)
        qtbot.waitUntil(lambda: client.view.opening is not None)
        bids = {row[1]: row for row in _cells(page.bids)}
        states = [row[4] for row in _cells(page.bids)]
        assert states.count("视为撤销（解密失败，R-OPEN-10）") == 2 and states.count("已唱标") == 3
        assert "解密失败 2 家不参加评标" in page.status.text()
        assert all(row[2] == "—" for row in bids.values() if "R-OPEN-10" in row[4])
        assert not box.decrypt_button.isEnabled() and not box.body.isVisible()  # the summary line stays
        assert "已解密 2 份，失败 2 份" in box.deadline.text()
        window.grab().save(str(shots / "opening-read.png"))
        page.close_button.click()  # 开标结束 names the unconfirmed: not B4 and B5, excluded at the decryption
        assert page.confirmation is not None
        awaited = page.confirmation.text()
        assert "尚未确认开标记录" in awaited and all(b in awaited for b in ("B1", "B2", "B3"))
        assert "B4" not in awaited and "B5" not in awaited
        page.confirmation.no.click()  # type: ignore[union-attr]
        combo = page.confirm_bidder  # a representative confirms the reading of a bid read: not B4's, nor B5's
        assert [combo.itemData(i) for i in range(combo.count())] == ["B1", "B2", "B3"]
        assert page.objection_bidder.count() == 6  # anyone may object (all five, or none named)
        assert errors == []
    finally:
        wait_idle(client)
        client.close()
