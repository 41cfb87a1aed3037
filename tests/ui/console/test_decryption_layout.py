"""Issue 18 (R-OPEN-10) on a room's screen: while the bidders decrypt, the console's opening page keeps the bids'
table usable beside the decryption box (every bid's row shown) at 1366×768, 1280×900 and 1920×1080, with the
layout gate's checks (tests/support/layoutkit.py: nothing cut, no peephole list); a picture of each size is kept in
the test's folder (EVALROOM_SHOTS: in that folder instead)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize

import encbids
import layoutkit
from builtonce import built_once
from dbops import ask
from ui.launch import application
from ui.main_window import MainWindow
from ui.room_client import RoomClient
from ui.walkthrough import wait_idle, wait_until

SIZES = (QSize(1366, 768), QSize(1280, 900), QSize(1920, 1080))


@pytest.fixture(scope="session")
def encrypted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return built_once(tmp_path_factory, "encrypted-bids", encbids.build)


def test_the_bids_table_stays_usable_while_the_bidders_decrypt(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                encrypted) -> None:
    folder, _ = encrypted
    application()
    from ui.i18n import Languages

    client = RoomClient(tmp_path / "room", recording=None, demo=True)
    window = MainWindow(client, Languages(), 60)
    qtbot.addWidget(window)
    window.show()
    shots = Path(os.environ.get("EVALROOM_SHOTS", tmp_path)) / "decryption"
    try:
        ask(qtbot, client, lambda room: room.start(folder / "package"))
        wait_until(lambda: client.view is not None, "the session did not open")
        console = window.console
        console.show_page(1)
        page = console.opening
        wait_idle(client)
        page.open_button.click()
        wait_idle(client)
        qtbot.waitUntil(lambda: client.view.stage == "opening")
        assert page.decryption.body.isVisible()  # the bidders are decrypting: the whole box is shown
        found, shown = [], {}
        for size in SIZES:
            window.resize(size)
            layoutkit.settle()
            label = f"{size.width()}x{size.height()}"
            found += layoutkit.problems(window, f"opening while decrypting · {label}", size, must_fit=True)
            shown[label] = (layoutkit.all_rows_shown(page.bids), layoutkit.all_rows_shown(page.decryption.files),
                            page.bids.viewport().height())
            layoutkit.shoot(window, shots, f"{label}-opening-decrypting")
        assert found == [], "\n".join(found)
        assert all(bids and files for bids, files, _h in shown.values()), shown
    finally:
        wait_idle(client)
        client.close()
