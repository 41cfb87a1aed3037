"""Issue 18 item 3 (GUI): the bid files beside the scoring grid, read as an expert would: the first page shown, pages
turned and jumped to, text found and its page shown, two bidders side by side; a file changed since the import is
refused by name and never shown. Rendering runs on PDFium's lane: the GUI thread only shows the pictures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bidkit import crafted_pdf, package
from dbops import ask
from ui.launch import application
from ui.ops import PDFIUM
from ui.room_client import RoomClient
from ui.workstation import bid_pages
from ui.workstation.bid_viewer import BidViewer

WAIT = 20_000  # ms: a loaded CI machine renders slowly; nothing here is timed
PAGES = [f"Technical proposal of bidder B2, chapter {n}: the works plan in detail for page {n}" for n in range(1, 41)]


@pytest.fixture
def viewer(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    application()
    folder = package(tmp_path / "pkg", {"B2": crafted_pdf(PAGES, author="B2 author", created="D:20261101")})
    client = RoomClient(tmp_path / "room", passphrase=b"test-passphrase")
    client.show_error = lambda _parent, text: pytest.fail(text)
    ask(qtbot, client, lambda room: room.start(folder))
    widget = BidViewer(client)
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    yield widget
    client.close()
    PDFIUM.submit(bid_pages.close_all).result()


def test_pages_turn_jump_and_search(qtbot, viewer: BidViewer) -> None:  # type: ignore[no-untyped-def]
    pane = viewer.left
    qtbot.waitUntil(lambda: pane.document.count() == 5 and pane.shown[1] == 0, timeout=WAIT)
    assert "B1" in pane.document.itemText(0) and "技术部分" in pane.document.itemText(0)
    pane.show_file(pane.document.itemData(1))  # B2's 40 pages
    qtbot.waitUntil(lambda: pane.opened is not None and pane.opened.pages == 40 and pane.shown == (
        pane.opened.sha256, 0), timeout=WAIT)
    assert pane.of_pages.text() == "/ 40 页" and not pane.previous_button.isEnabled()
    pane.next_button.click()
    qtbot.waitUntil(lambda: pane.shown[1] == 1, timeout=WAIT)
    pane.number.setValue(30)
    pane.number.editingFinished.emit()
    qtbot.waitUntil(lambda: pane.shown[1] == 29 and pane.thumbs.currentRow() == 29, timeout=WAIT)
    width = pane.image.pixmap().width()
    pane.zoom_in.click()
    qtbot.waitUntil(lambda: pane.image.pixmap().width() > width, timeout=WAIT)
    pane.query.setText("PAGE 17")  # case-insensitive
    pane.find()
    qtbot.waitUntil(lambda: pane.shown[1] == 16, timeout=WAIT)
    assert "第 17 页" in pane.found.text() and "共 1 处" in pane.found.text()
    qtbot.waitUntil(lambda: pane.thumbs.item(39) is not None and not pane.thumbs.item(39).icon().isNull(),
                    timeout=20_000)  # every thumbnail, rendered in batches behind the pages shown


def test_two_bidders_side_by_side(qtbot, viewer: BidViewer) -> None:  # type: ignore[no-untyped-def]
    def painted(pane: Any) -> bool:  # the document chosen is open and its first page painted (not one shown before)
        return pane.opened is not None and pane.shown == (pane.opened.sha256, 0)

    qtbot.waitUntil(lambda: painted(viewer.left), timeout=WAIT)
    viewer.compare.setChecked(True)
    qtbot.waitUntil(lambda: viewer.right.isVisible() and painted(viewer.right), timeout=WAIT)
    assert viewer.right.shown[0] != viewer.left.shown[0]  # another bidder's document
    assert viewer.right.document.currentText().startswith("B2")



def test_a_changed_file_is_refused_by_name(qtbot, viewer: BidViewer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = viewer.left
    qtbot.waitUntil(lambda: pane.document.count() == 5, timeout=WAIT)
    kept = next((tmp_path / "room").rglob("bid-files/bids/B4/technical.pdf"))
    kept.write_bytes(kept.read_bytes().replace(b"author 3", b"author X"))
    pane.show_file(pane.document.itemData(3))
    qtbot.waitUntil(lambda: "bids/B4/technical.pdf" in pane.status.text(), timeout=WAIT)
    assert "不予显示" in pane.status.text() and pane.image.pixmap().isNull()
    assert json.loads((tmp_path / "pkg" / "case.json").read_text(encoding="utf-8"))  # the package is untouched
