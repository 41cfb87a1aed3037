"""The member's signing dialog for the evaluation report: agree and sign, or sign with a dissent and its
written reasons (R-SIG-2); the signature is handwritten on the pad (mouse, pen or touch)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
)

from ui.common import BAD_COLOUR, big_button, notice, set_notice
from ui.i18n import tr
from ui.widgets.signature_pad import SignaturePad


class SignDialog(QDialog):
    """``submit()`` checks and accepts; then ``png`` and ``reasons`` (None when agreeing) are the answer."""

    def __init__(self, member_name: str, draft_sha: str, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.setWindowTitle(tr("签署评标报告"))
        self.setMinimumWidth(640)
        self.draft_sha = draft_sha
        heading = QLabel(tr("<b>{member}</b>：请确认已审阅评标报告草稿，然后签字。").format(member=member_name))
        heading.setStyleSheet("font-size: 16px;")
        digest = QLabel(tr("所签报告草稿的 SHA-256：{sha}").format(sha=f"{draft_sha[:16]}…{draft_sha[-8:]}"))
        digest.setStyleSheet("color: #555; font-family: monospace;")
        self.agree = QRadioButton(tr("同意评标结论，签字"))
        self.dissent = QRadioButton(tr("有不同意见：签字并书面说明理由（R-SIG-2，理由印入报告）"))
        group = QButtonGroup(self)
        group.addButton(self.agree)
        group.addButton(self.dissent)
        self.agree.setChecked(True)
        self.reasons = QPlainTextEdit()
        self.reasons.setPlaceholderText(tr("不同意见的具体理由"))
        self.reasons.setFixedHeight(80)
        self.reasons.setEnabled(False)
        self.dissent.toggled.connect(self.reasons.setEnabled)
        self.pad = SignaturePad()
        self.pad.setMinimumHeight(160)
        self.clear_button = big_button(tr("重写"))
        self.clear_button.clicked.connect(self.pad.clear)
        self.message = notice()
        self.sign_button = big_button(tr("签署"), primary=True)
        self.cancel_button = big_button(tr("取消"))
        self.sign_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        pad_row = QHBoxLayout()
        pad_row.addWidget(QLabel(tr("手写签名：")))
        pad_row.addWidget(self.clear_button)
        pad_row.addStretch()
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(digest)
        layout.addWidget(self.agree)
        layout.addWidget(self.dissent)
        layout.addWidget(self.reasons)
        layout.addLayout(pad_row)
        layout.addWidget(self.pad, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.png: bytes | None = None
        self.answer_reasons: str | None = None

    def submit(self) -> bool:
        if self.pad.is_empty():
            set_notice(self.message, tr("请先在签名区手写签名。"), BAD_COLOUR)
            return False
        reasons = self.reasons.toPlainText().strip() if self.dissent.isChecked() else None
        if reasons is not None and not reasons:
            set_notice(self.message, tr("有不同意见须书面说明理由（R-SIG-2）。"), BAD_COLOUR)
            return False
        self.png, self.answer_reasons = self.pad.to_png(), reasons
        self.accept()
        return True
