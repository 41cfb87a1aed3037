"""Issue 18 item 3 (GUI): the criteria page references (评分索引) beside the scoring grid: the selected cell's
references in the bidder's documents, one click opening the viewer at that page (a decrypted 150-page bid too)."""

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
from ui.ops import PDFIUM
from ui.room_client import RoomClient
from ui.walkthrough import wait_idle
from ui.workstation import bid_pages

WAIT = 30_000  # ms: a loaded machine renders slowly; nothing here is timed
MEMBERS = ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]


@pytest.fixture(scope="session")
def referenced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return built_once(tmp_path_factory, "referenced-bids", encbids.referenced)


def _to_scoring(room: Any) -> None:
    assert room.open_bids() is None  # B2's file waits for its key
    [outcome] = room.decrypt_bid("B2", None, encbids.PASSPHRASES["B3"])
    assert outcome.ok
    room.open_bids()
    room.advance("checkin")
    for member in MEMBERS:
        station = room.login(room.check_identity(member, room.take_photo().jpeg), "2468")
        station.sign_letter(b"png", "{}", station.letter().version_sha256)
        station.declare(False, [], "")
    room.advance("committee")
    room.elect_chair("E1")
    room.advance("preliminary")
    for member in MEMBERS:
        for bidder in ("B1", "B2", "B3", "B4"):
            room.workstation(member).verdict(bidder, True, None)
    room.advance("scoring")


def test_a_reference_opens_the_viewer_at_its_page(qtbot, tmp_path: Path, referenced) -> None:  # type: ignore[no-untyped-def]
    folder, _ = referenced
    application()
    from ui.i18n import Languages

    client = RoomClient(tmp_path / "room", recording=None, demo=True)
    window = MainWindow(client, Languages(), 60)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    errors: list[str] = []
    client.show_error = lambda _parent, text: errors.append(text)
    try:
        ask(qtbot, client, lambda room: room.start(folder / "package"))
        ask(qtbot, client, _to_scoring)
        window.workstations.add_station("E2")
        wait_idle(client)
        window.select_role(1)
        station = window.workstations.show_station("E2")
        station.steps.setCurrentIndex(3)
        page = station.scoring
        qtbot.waitUntil(lambda: page.sheet is not None, timeout=WAIT)
        assert page.references_label.isVisible() and "选中评分单元格" in page.references_label.text()
        model, view = page.model, page.sheet.view
        row = [b.id for b in model.bidders].index("B2")
        view.setCurrentIndex(model.index(row, [c.id for c in model.criteria].index("T2")))
        assert [b.text() for b in page.reference_buttons] == ["技术部分 第 5 页 · 质量保证", "技术部分 第 88 页"]
        view.setCurrentIndex(model.index(row, [c.id for c in model.criteria].index("S1")))
        assert page.reference_buttons == [] and "投标文件未给出页码" in page.references_label.text()
        view.setCurrentIndex(model.index(row, [c.id for c in model.criteria].index("T1")))
        [button] = page.reference_buttons
        button.click()
        pane = page.viewer.left
        qtbot.waitUntil(lambda: page.viewer.isVisible() and pane.opened is not None, timeout=WAIT)
        assert pane.file is not None and pane.file.bidder == "B2" and pane.opened.pages == 150
        qtbot.waitUntil(lambda: pane.page == 122 and pane.number.value() == 123, timeout=WAIT)
        qtbot.waitUntil(lambda: pane.image.pixmap() is not None and not pane.image.pixmap().isNull(), timeout=WAIT)
        shots = Path(os.environ.get("EVALROOM_SHOTS", tmp_path))
        window.grab().save(str(shots / "scoring-reference.png"))

        view.setCurrentIndex(model.index([b.id for b in model.bidders].index("B1"), 0))  # T1 of B1: p. 7
        page.reference_buttons[0].click()
        qtbot.waitUntil(lambda: pane.file is not None and pane.file.bidder == "B1" and pane.page == 6, timeout=WAIT)
        assert errors == []
    finally:
        wait_idle(client)
        client.close()
        PDFIUM.submit(bid_pages.close_all).result()
