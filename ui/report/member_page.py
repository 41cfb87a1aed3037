"""A member's report step on the workstation: the draft's preview, then the signing dialog. The
signature is made with this workstation's member key only (``Workstation.sign_report``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QEvent, QTimer
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget
from shiboken6 import isValid

from ui.common import (
    BAD_COLOUR,
    OK_COLOUR,
    WARN_COLOUR,
    big_button,
    follow,
    notice,
    set_notice,
)
from ui.errors import describe
from ui.i18n import tr
from ui.ops import DbOp
from ui.report.preview import ReportPreview
from ui.report.sign_dialog import SignDialog
from ui.room_client import RoomClient

if TYPE_CHECKING:
    from app.services.room_view import RoomView

RETRY_MS = 2000  # a preview that could not load (the draft still on its way to this PC) is asked for again

ACTS = {"signed": (QT_TR_NOOP("您已签署评标报告（同意）。"), OK_COLOUR),
        "dissent": (QT_TR_NOOP("您已签字并提出不同意见，理由将印入报告。"), OK_COLOUR),
        "refused": (QT_TR_NOOP("评标委员会已记录您拒绝签字且未说明理由，视为同意评标结论（R-SIG-3）。"), WARN_COLOUR)}


class MemberReportPage(QWidget):
    def __init__(self, client: RoomClient, member: str) -> None:
        super().__init__()
        self.client, self.member = client, member
        self.status = notice()
        self.preview = ReportPreview()
        self.sign_button = big_button("", primary=True)
        self.sign_button.setEnabled(False)
        self.sign_button.clicked.connect(self.start_signing)
        self.dialog: SignDialog | None = None
        self._loading: tuple[str, bool] | None = None  # (sha, final) asked of the database thread
        self._wanted: tuple[str, bool] | None = None  # the last one the page wanted shown
        self._draft: str | None = None
        self._name = member
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.preview, 1)
        follow(self, client)  # rendered only while visible: a hidden workstation does not load the PDF
        self.retranslate()

    def retranslate(self) -> None:
        self.sign_button.setText(tr("签署评标报告"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_view(self, view: RoomView) -> None:
        report = view.report
        me = view.member(self.member)
        self._name = me.name
        if report is None or report.draft is None:
            set_notice(self.status, tr("评标报告草稿尚未生成（汇总完成后由主控台生成）。"))
            self.sign_button.setEnabled(False)
            self._draft = None
            self.preview.clear()
            return
        self._draft = report.draft
        act = report.act_of(self.member)
        final = report.final is not None
        if final:
            set_notice(self.status, tr("评标报告已定稿（含签字页）。"), OK_COLOUR)
        elif act is None:
            set_notice(self.status, tr("您不在需签字的成员之列。"))
        elif act.act in ACTS:
            set_notice(self.status, tr(ACTS[act.act][0]), ACTS[act.act][1])
        else:
            set_notice(self.status, tr("请审阅评标报告草稿，确认后签字。"), WARN_COLOUR)
        self.sign_button.setEnabled(not final and act is not None and act.act == "pending")
        self._load(report.final if final else report.draft, final)

    def _load(self, sha: str, final: bool) -> None:
        self._wanted = (sha, final)
        if self._loading == (sha, final):
            return
        self._loading = (sha, final)
        def failed(exc: BaseException) -> None:  # on a member's PC the draft may still be on its way from the hub
            set_notice(self.status, describe(exc), BAD_COLOUR)
            self._loading = None
            QTimer.singleShot(RETRY_MS, lambda: self._load(sha, final)
                              if isValid(self) and self._loading is None and self._wanted == (sha, final) else None)

        DbOp(self.client, lambda room: room.report_pdf(final), parent=self).success(
            lambda pdf: self.preview.show_pdf(pdf, sha)).failure(failed).run_in_background()

    def start_signing(self) -> SignDialog | None:
        """Open the signing dialog (window-modal) over the draft shown in the preview."""
        if self._draft is None or self.preview.shown_sha != self._draft:
            set_notice(self.status, tr("报告草稿的预览尚未显示完毕，请稍候再签。"), WARN_COLOUR)
            return None
        self.dialog = SignDialog(self._name, self._draft, self)
        self.dialog.accepted.connect(self._signed)
        self.dialog.open()
        return self.dialog

    def _signed(self) -> None:
        dialog = self.dialog
        assert dialog is not None and dialog.png is not None
        member, seen, png, reasons = self.member, dialog.draft_sha, dialog.png, dialog.answer_reasons
        self.sign_button.setEnabled(False)
        DbOp(self.client, lambda room: room.workstation(member).sign_report(seen, png, reasons), parent=self).failure(
            self._refused).run_in_background()

    def _refused(self, exc: BaseException) -> None:
        set_notice(self.status, describe(exc), BAD_COLOUR)
        self.sign_button.setEnabled(True)
