"""The commitment letter cannot be signed unread or without a handwritten signature."""

from __future__ import annotations

from PySide6.QtCore import QPointF

from app.services.templates import commitment_letter
from ui.checkin.commitment_page import CommitmentPage

CLAUSES = ["利害关系", "独立、客观、公正", "不私下接触投标人", "保密", "通讯工具", "违法行为", "终身负责", "承诺人"]


def _page(qtbot) -> CommitmentPage:
    letter = commitment_letter(project_name="智慧教室设备采购", project_code="JLZC-2026-017", signer_name="王建国")
    page = CommitmentPage(letter)
    qtbot.addWidget(page)
    page.resize(800, 600)
    page.show()
    return page


def _sign_by_hand(page: CommitmentPage) -> None:
    page.pad.begin_stroke(QPointF(20, 60))
    for x in range(30, 200, 10):
        page.pad.extend_stroke(QPointF(x, 60 + (x % 30)))
    page.pad.end_stroke()


def test_letter_has_every_clause_and_the_session_fields() -> None:
    letter = commitment_letter(project_name="智慧教室设备采购", project_code="JLZC-2026-017")
    for clause in CLAUSES:
        assert clause in letter.text
    assert "JLZC-2026-017" in letter.text and "{" not in letter.text
    assert len(letter.version_sha256) == 64


def test_signing_needs_reading_to_the_end_and_a_signature(qtbot) -> None:
    page = _page(qtbot)
    bar = page.text.verticalScrollBar()
    assert bar.maximum() > 0, "the letter must be long enough to need scrolling at this size"
    _sign_by_hand(page)
    assert not page.sign_button.isEnabled()  # not read yet
    bar.setValue(bar.maximum())
    assert page.sign_button.isEnabled()
    with qtbot.waitSignal(page.signed) as signal:
        page.sign_button.click()
    png, strokes, version = signal.args
    assert png.startswith(b"\x89PNG") and '"strokes"' in strokes and version == page.letter.version_sha256


def test_a_stray_click_is_not_a_signature(qtbot) -> None:
    page = _page(qtbot)
    page.text.verticalScrollBar().setValue(page.text.verticalScrollBar().maximum())
    page.pad.begin_stroke(QPointF(10, 10))
    page.pad.end_stroke()
    assert not page.sign_button.isEnabled()
    _sign_by_hand(page)
    assert page.sign_button.isEnabled()
    page.clear_button.click()
    assert not page.sign_button.isEnabled()


def test_the_bidder_list_comes_before_the_letter_that_says_it_was_read(qtbot) -> None:
    letter = commitment_letter(project_name="智慧教室设备采购", project_code="JLZC-2026-017", signer_name="王建国")
    page = CommitmentPage(letter, bidders=["吉林省华信科技有限公司", "长春博远教育装备有限公司"])
    qtbot.addWidget(page)
    page.resize(800, 600)
    page.show()
    text = page.text.toPlainText()
    assert "投标人名单（共 2 家）" in text
    assert text.index("长春博远教育装备有限公司") < text.index("已阅读投标人名单") < text.index("承诺人")
    assert "核对投标人名单" in page.status.text()
    bar = page.text.verticalScrollBar()
    bar.setValue(bar.maximum())
    _sign_by_hand(page)
    assert page.sign_button.isEnabled()
    page.set_bidders(["吉林省华信科技有限公司"])  # another list: read it again
    assert "投标人名单（共 1 家）" in page.text.toPlainText() and not page.sign_button.isEnabled()
