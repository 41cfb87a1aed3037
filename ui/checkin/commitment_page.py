"""The 承诺书 page: the letter must be scrolled to its end and signed by hand before signing is possible."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from app.services.templates import FilledTemplate
from ui.widgets.signature_pad import SignaturePad


def _as_html(text: str) -> str:
    """The first line as a centred title, the rest as paragraphs, in a comfortable reading size."""
    title, _, body = text.partition("\n")
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in body.split("\n") if line.strip())
    return (f"<div style='font-size:16px; line-height:150%;'><h2 align='center'>{html.escape(title)}</h2>"
            f"{paragraphs}</div>")


class CommitmentPage(QWidget):
    """Emits ``signed(png, strokes_json, template_sha256)`` when the signer agrees."""

    signed = Signal(bytes, str, str)

    def __init__(self, letter: FilledTemplate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.letter = letter
        self.text = QTextBrowser()
        self.text.setHtml(_as_html(letter.text))
        self.text.setMinimumHeight(320)
        self.status = QLabel("请完整阅读承诺书（滚动到末尾），然后在下方手写签名。")
        self.pad = SignaturePad()
        self.clear_button = QPushButton("重写 / Clear")
        self.sign_button = QPushButton("同意并签署 / Agree and sign")
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

    def _scrolled(self, *_args: object) -> None:
        bar = self.text.verticalScrollBar()
        if bar.value() >= bar.maximum():
            self.read_to_end = True
        self._update()

    def _update(self) -> None:
        ready = self.read_to_end and not self.pad.is_empty()
        self.sign_button.setEnabled(ready)
        if not self.read_to_end:
            self.status.setText("请完整阅读承诺书（滚动到末尾），然后在下方手写签名。")
        elif self.pad.is_empty():
            self.status.setText("请在下方签名区手写签名。")
        else:
            self.status.setText("确认无误后，点击“同意并签署”。")

    def _sign(self) -> None:
        if self.sign_button.isEnabled():
            self.signed.emit(self.pad.to_png(), self.pad.strokes_json(), self.letter.version_sha256)
