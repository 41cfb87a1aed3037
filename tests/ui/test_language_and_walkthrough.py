"""Language switch (Chinese first, English catalogue) and the walkthrough of the whole flow."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from ui.i18n import load_catalogue
from ui.walkthrough import run_walkthrough

CJK = re.compile(r"[\u4e00-\u9fff]")
DYNAMIC = re.compile(r"[0-9<]|：.+")  # counts, ids, HTML and "label：value" lines are built at run time


def _static_texts(root: QWidget) -> set[str]:
    texts: set[str] = set()
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.add(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.add(widget.title())
        elif isinstance(widget, QLineEdit):
            texts.add(widget.placeholderText())
        if isinstance(widget, QTabWidget):
            texts.update(widget.tabText(i) for i in range(widget.count()))
        elif isinstance(widget, QTableWidget):
            texts.update(widget.horizontalHeaderItem(i).text()
                         for i in range(widget.columnCount()) if widget.horizontalHeaderItem(i))
        elif isinstance(widget, QListWidget):
            texts.update(widget.item(i).text() for i in range(widget.count()))
    return {t for t in texts if t and CJK.search(t) and not DYNAMIC.search(t)}


def test_every_static_text_has_an_english_translation(window) -> None:
    catalogue = load_catalogue("en")
    missing = sorted(t for t in _static_texts(window) if t not in catalogue)
    assert missing == []


def test_the_language_switch_changes_the_screens_and_back(window) -> None:
    buttons = [window.role_buttons.button(i) for i in range(3)]
    assert [b.text() for b in buttons] == ["主控台", "专家工作站", "监督"]
    window.set_language("en")
    assert [b.text() for b in buttons] == ["Console", "Expert workstation", "Supervisor"]
    assert window.console.nav.item(1).text() == "Bid opening"
    assert window.console.opening.open_button.text() == "Open and read the bids"
    window.set_language("zh_CN")
    assert [b.text() for b in buttons] == ["主控台", "专家工作站", "监督"]
    assert window.console.opening.open_button.text() == "开标 · 唱标"


def _looks_drawn(path: Path) -> bool:
    image = QImage(str(path))
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 29)}
    return image.width() >= 1200 and len(colours) > 20


@pytest.mark.slow  # the whole demo through the GUI (about 20 s of CPU)
def test_the_walkthrough_plays_the_whole_flow(qtbot, tmp_path: Path) -> None:
    out = tmp_path / "walk"
    assert run_walkthrough(out) == 0
    pictures = sorted(p.name for p in out.glob("*.png"))
    assert pictures[:10] == ["01-import.png", "02-opening.png", "03-checkin.png", "04-letter.png", "05-declaration.png",
                             "06-committee.png", "07-preliminary.png", "08-scoring.png", "09-summary.png",
                             "10-supervisor.png"]
    assert all(_looks_drawn(out / name) for name in pictures)
    evaluated = subprocess.run([sys.executable, "-m", "app", "evaluate", str(out / "case.json")], capture_output=True,
                               text=True, check=True)
    assert evaluated.stdout == (out / "result.json").read_text(encoding="utf-8")
    result = json.loads(evaluated.stdout)
    evaluate_demo = [sys.executable, "-m", "app", "evaluate", "examples/procurement-goods-comprehensive.json"]
    demo = json.loads(subprocess.run(evaluate_demo, capture_output=True, text=True, check=True).stdout)
    assert result["status"] == "ranked" and result["ranking"] == demo["ranking"]
    assert [b["total"] for b in result["bidders"]] == [b["total"] for b in demo["bidders"]]
