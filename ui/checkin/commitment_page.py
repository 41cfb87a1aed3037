"""The 承诺书 page: the letter must be scrolled to its end and signed by hand before signing is possible.

The letter says the signer has read the bidder list, so the list is shown first, above the letter in the
same scrolled text (read to the end means past it)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from app.services.templates import FilledTemplate
from ui.i18n import tr
from ui.widgets.signature_pad import SignaturePad

if TYPE_CHECKING:
    from app.services.room_view import RoomView


def bidder_names(view: RoomView) -> list[str]:
    """The bids opened on time (a late bid was refused, R-OPEN-2), as read at the opening."""
    late = set(view.opening["late"]) if view.opening else set()
    return [b.name for b in view.case.bidders if b.id not in late]


def _bidders_html(bidders: Sequence[str]) -> str:
    """The bidder list the letter refers to (投标人名单), numbered, before the letter."""
    if not bidders:
        return ""
    rows = "".join(f"<tr><td align='center'>{i}</td><td>{html.escape(name)}</td></tr>"
                   for i, name in enumerate(bidders, 1))
    heading = tr("投标人名单（共 {count} 家）").format(count=len(bidders))
    check = tr("请先核对投标人名单：签署承诺书即表示已阅读本名单；与名单中的投标人存在利害关系的，"
               "须在“回避声明”中申请回避。")
    number, name = html.escape(tr("序号")), html.escape(tr("投标人名称"))
    return (f"<h3>{html.escape(heading)}</h3><p>{html.escape(check)}</p>"
            "<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
            f"<tr><th width='12%'>{number}</th><th>{name}</th></tr>{rows}</table><hr/>")


def _as_html(text: str, bidders: Sequence[str] = ()) -> str:
    """The bidder list, then the letter: the first line as a centred title, the rest as paragraphs, in a
    comfortable reading size."""
    title, _, body = text.partition("\n")
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in body.split("\n") if line.strip())
    return (f"<div style='font-size:16px; line-height:150%;'>{_bidders_html(bidders)}"
            f"<h2 align='center'>{html.escape(title)}</h2>{paragraphs}</div>")


class CommitmentPage(QWidget):
    """Emits ``signed(png, strokes_json, template_sha256)`` when the signer agrees."""

    signed = Signal(bytes, str, str)

    def __init__(self, letter: FilledTemplate | None, parent: QWidget | None = None,
                 bidders: Sequence[str] = ()) -> None:
        """``letter``: None while it is read in the background (:meth:`set_letter` shows it)."""
        super().__init__(parent)
        self.letter = letter
        self.bidders: tuple[str, ...] = tuple(bidders)  # names, in the opening's order
        self.text = QTextBrowser()
        self._show_text()
        self.text.setMinimumHeight(200)  # it scrolls (to its end before signing); with the pad it fits 768 px
        self.status = QLabel(self._read_hint())
        self.pad = SignaturePad()
        self.clear_button = QPushButton(tr("重写"))
        self.sign_button = QPushButton(tr("同意并签署"))
        self.sign_button.setEnabled(False)
        self.read_to_end = False

        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.pad)
        layout.addLayout(buttons)

        self.text.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.text.verticalScrollBar().rangeChanged.connect(lambda *_: self._scrolled())
        self.pad.changed.connect(self._update)
        self.clear_button.clicked.connect(self.pad.clear)
        self.sign_button.clicked.connect(self._sign)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:  # the letter itself is the signed Chinese template
            self.clear_button.setText(tr("重写"))
            self.sign_button.setText(tr("同意并签署"))
            bar = self.text.verticalScrollBar()
            read, position = self.read_to_end, bar.value()
            self._show_text()
            bar.setValue(position)
            self.read_to_end = read
            self._update()
        super().changeEvent(event)

    def _read_hint(self) -> str:
        if self.bidders:
            return tr("请先核对投标人名单，再完整阅读承诺书（滚动到末尾），然后在下方手写签名。")
        return tr("请完整阅读承诺书（滚动到末尾），然后在下方手写签名。")

    def set_bidders(self, bidders: Sequence[str]) -> None:
        """Show (another) bidder list above the letter; it must then be read to the end again."""
        if tuple(bidders) == self.bidders:
            return
        self.bidders = tuple(bidders)
        self._show_text()
        self.read_to_end = False
        self._update()

    def set_letter(self, letter: FilledTemplate) -> None:
        """Show the letter read in the background; it must be read to the end."""
        self.letter = letter
        self._show_text()
        self.read_to_end = False
        self._update()

    def _show_text(self) -> None:
        self.text.setHtml(_as_html(self.letter.text, self.bidders) if self.letter is not None
                             else tr("正在读取承诺书……"))

    def _scrolled(self, *_args: object) -> None:
        bar = self.text.verticalScrollBar()
        # not a hidden page's empty range
        if bar.value() >= bar.maximum() and (bar.maximum() > 0 or self.text.isVisible()):
            self.read_to_end = True
        self._update()

    def _update(self) -> None:
        ready = self.letter is not None and self.read_to_end and not self.pad.is_empty()
        self.sign_button.setEnabled(ready)
        if not self.read_to_end:
            self.status.setText(self._read_hint())
        elif self.pad.is_empty():
            self.status.setText(tr("请在下方签名区手写签名。"))
        else:
            self.status.setText(tr("确认无误后，点击“同意并签署”。"))

    def _sign(self) -> None:
        if self.sign_button.isEnabled() and self.letter is not None:
            self.signed.emit(self.pad.to_png(), self.pad.strokes_json(), self.letter.version_sha256)
