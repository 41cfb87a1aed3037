"""The console's report and archive page (评标报告与归档): draft the report after the summary, follow
who has acted (signed, dissented with reasons, refused — R-SIG-1..3), record a refusal's note, finalize
with the room's seal, then close the session and build the signed archive with a progress bar and the
result of verifying it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP, QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ui.common import (
    BAD_COLOUR,
    OK_COLOUR,
    WARN_COLOUR,
    big_button,
    fill,
    follow,
    notice,
    set_notice,
    stage_name,
    table,
    title,
)
from ui.errors import describe
from ui.i18n import one_language, tr
from ui.ops import DbOp
from ui.report.preview import ReportPreview
from ui.room_client import RoomClient

if TYPE_CHECKING:
    from app.services.room_view import RoomView

ACT_NAMES = {"pending": QT_TR_NOOP("待签"), "signed": QT_TR_NOOP("已签字（同意）"),
             "dissent": QT_TR_NOOP("已签字，有不同意见"), "refused": QT_TR_NOOP("拒绝签字，视为同意（R-SIG-3）")}
REFUSAL_NOTE = QT_TR_NOOP("该成员拒绝在评标报告上签字且未说明理由，评标委员会记录在案，视为同意评标结论。")
ACTS = [QT_TR_NOOP("编号"), QT_TR_NOOP("姓名"), QT_TR_NOOP("签字情况"), QT_TR_NOOP("不同意见理由 / 拒签说明")]


class ReportConsolePage(QWidget):
    def __init__(self, client: RoomClient) -> None:
        super().__init__()
        self.client = client
        self.status = notice()
        self.draft_button = big_button("", primary=True)
        self.acts = table([""] * len(ACTS))
        self.refusal_member = QComboBox()
        self.refusal_note = QLineEdit()
        self.refusal_button = big_button("")
        self.final_button = big_button("", primary=True)
        self.archive_button = big_button("", primary=True)
        self.progress = QProgressBar()
        self.progress.setFormat("%p%")
        self.progress.setValue(0)
        self.archive_status = notice()
        self.preview = ReportPreview(page_width=430)
        self.preview.setMinimumWidth(470)
        self._loading: tuple[str, bool] | None = None
        self._notes: tuple[str, ...] = ()  # the default refusal note as last shown
        self._progress: tuple[int, int, str] | None = None  # the archive's last step, drawn again on a switch
        self.archive: Any = None  # app.services.archive.Archived once built

        left = QVBoxLayout()
        self.heading = title("")
        left.addWidget(self.heading)
        buttons = QHBoxLayout()
        buttons.addWidget(self.draft_button)
        buttons.addWidget(self.final_button)
        buttons.addStretch()
        left.addLayout(buttons)
        left.addWidget(self.status)
        left.addWidget(self.acts, 2)
        self.refusal_box = refusal = QGroupBox()
        refusal_layout = QHBoxLayout(refusal)
        refusal_layout.addWidget(self.refusal_member)
        refusal_layout.addWidget(self.refusal_note, 1)
        refusal_layout.addWidget(self.refusal_button)
        left.addWidget(refusal)
        self.archive_box = archive = QGroupBox()
        archive_layout = QVBoxLayout(archive)
        row = QHBoxLayout()
        row.addWidget(self.archive_button)
        row.addWidget(self.progress, 1)
        archive_layout.addLayout(row)
        archive_layout.addWidget(self.archive_status)
        left.addWidget(archive, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(self.preview)

        self.draft_button.clicked.connect(self.draft)
        self.refusal_button.clicked.connect(self._refuse)
        self.final_button.clicked.connect(self.finalize)
        self.archive_button.clicked.connect(self.build_archive)
        follow(self, client)
        self.retranslate()

    def retranslate(self) -> None:
        self.acts.setHorizontalHeaderLabels([tr(h) for h in ACTS])
        if self.refusal_note.text() in ("", REFUSAL_NOTE, *self._notes):  # the default note, not one typed
            self.refusal_note.setText(tr(REFUSAL_NOTE))
            self.refusal_note.setCursorPosition(0)
            self._notes = (tr(REFUSAL_NOTE),)
        self.refusal_button.setText(tr("记录拒签"))
        self.final_button.setText(tr("全部成员已签：定稿并加盖电子印章"))
        self.archive_button.setText(tr("关闭会话并生成归档包"))
        self.heading.setText(tr("评标报告与归档"))
        self.refusal_box.setTitle(tr("成员拒绝签字且不说明理由（R-SIG-3，由评标委员会记录说明）"))
        self.archive_box.setTitle(tr("归档（BagIt 归档包，房间密钥签名，生成后立即校验）"))
        self._draft_text()
        if self._progress is not None:
            self._step(*self._progress)
        if self.archive is not None:
            self._archived(self.archive)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _draft_text(self) -> None:
        view = self.client.view
        report = view.report if view is not None else None
        redraft = report is not None and report.draft is not None and report.final is None
        self.draft_button.setText(tr("重新生成报告草稿") if redraft else tr("生成评标报告草稿"))

    # -- actions (each on the database thread) ------------------------------------------------------
    def draft(self) -> None:
        report = self.client.view.report if self.client.view is not None else None
        if report is not None and report.draft is not None and len(report.waiting) < len(report.acts):
            answer = QMessageBox.question(self, tr("重新生成报告草稿"),
                                          tr("已有成员签署当前草稿。重新生成后，全部成员须重新审阅并签字。是否继续？"))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.draft_button.setEnabled(False)
        set_notice(self.status, tr("正在由账本生成评标报告草稿……"))
        DbOp(self.client, lambda room: room.draft_report(), parent=self).failure(self._failed).run_in_background()

    def _refuse(self) -> None:
        member, note = self.refusal_member.currentData(), self.refusal_note.text()
        if member is not None:
            DbOp(self.client, lambda room: room.record_refusal(member, note), parent=self).failure(
                self._failed).run_in_background()

    def finalize(self) -> None:
        self.final_button.setEnabled(False)
        set_notice(self.status, tr("正在生成定稿（含签字页）……"))
        DbOp(self.client, lambda room: room.finalize_report(), parent=self).failure(self._failed).run_in_background()

    def build_archive(self) -> None:
        self.archive_button.setEnabled(False)
        self.progress.setValue(0)
        set_notice(self.archive_status, tr("正在生成归档包……"))
        # app/ reports progress through a plain callback, called on the database thread
        op: DbOp[Any] = DbOp(self.client, lambda room: room.build_archive(
            lambda step, steps, what: op.report((step, steps, what))), parent=self)
        op.with_progress(lambda progress: self._step(*progress)).success(self._archived).failure(
            self._archive_failed).run_in_background()

    def _step(self, step: int, steps: int, what: str) -> None:
        self._progress = (step, steps, what)
        self.progress.setRange(0, steps)
        self.progress.setValue(step)
        self.progress.setFormat("%p%　" + one_language(what))

    def _archived(self, archived: Any) -> None:
        self.archive = archived
        bag = archived.built.bagdir
        if archived.problems:
            text = (tr("归档包已生成：{bag}").format(bag=bag) + "\n" + tr("校验未通过：") + "\n"
                    + "\n".join(one_language(p) for p in archived.problems[:8]))
            set_notice(self.archive_status, text, BAD_COLOUR)
        else:
            warnings = "".join("\n" + tr("注意：{warning}").format(warning=one_language(w)) for w in archived.warnings)
            built = archived.built
            if built.timestamped:  # a TSA in the settings answered (RFC 3161)
                warnings += "\n" + tr("已加盖可信时间戳（RFC 3161）：报告电子印章为 PAdES B-T。")
            elif built.tsa_configured:
                warnings += "\n" + tr("未取得可信时间戳（{reason}），已记入归档包；交易中心接收时加盖。").format(
                    reason=built.timestamp_missing)
            set_notice(self.archive_status, tr("归档包已生成：{bag}").format(bag=bag) + "\n"
                       + tr("共 {n} 个文件，保存至 {until}。").format(n=archived.built.files,
                                                                   until=archived.built.retention_until)
                       + "\n" + tr("校验通过（固定性、签名、账本、检查点、电子印章、报告数字）。") + warnings,
                       OK_COLOUR)

    def _archive_failed(self, exc: BaseException) -> None:
        set_notice(self.archive_status, describe(exc), BAD_COLOUR)
        self.archive_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        set_notice(self.status, describe(exc), BAD_COLOUR)
        if self.client.view is not None:
            self.show_view(self.client.view)

    # -- the snapshot ---------------------------------------------------------------------------
    def show_view(self, view: RoomView) -> None:
        report = view.report
        ranked = view.result is not None and view.result.get("status") == "ranked"
        has_draft = report is not None and report.draft is not None
        final = report is not None and report.final is not None
        self.draft_button.setEnabled(not final and view.stage in ("summary", "report") and ranked and not view.paused)
        self._draft_text()
        waiting = report.waiting if report is not None else []
        self.final_button.setEnabled(has_draft and not final and not waiting and view.stage == "report")
        self.archive_button.setEnabled(final and view.stage == "report")
        if report is None or not has_draft:
            fill(self.acts, [])
            self._fill_refusals([])
            if view.stage not in ("summary", "report"):
                set_notice(self.status, tr("当前环节：{stage}。汇总完成后在此生成评标报告。").format(
                    stage=stage_name(view)))
            elif not ranked:
                set_notice(self.status, tr("汇总结果未形成排序，不能生成评标报告。"), BAD_COLOUR)
            else:
                set_notice(self.status, tr("汇总已完成：生成评标报告草稿，各成员在工作站审阅并签字。"))
            return
        fill(self.acts, [[a.member, a.name, tr(ACT_NAMES[a.act]) if a.act in ACT_NAMES else a.act, a.detail]
                         for a in report.acts])
        self._fill_refusals([a for a in report.acts if a.act == "pending"] if not final else [])
        acted = len(report.acts) - len(waiting)
        if view.stage == "archived":
            set_notice(self.status, tr("会话已关闭并归档。"), OK_COLOUR)
        elif final:
            set_notice(self.status, tr("评标报告已定稿并加盖评标室电子印章（SHA-256 {sha}…）。可生成归档包。").format(
                sha=report.final[:12]), OK_COLOUR)
        elif waiting:
            set_notice(self.status, tr("报告草稿 {sha}…：{acted}/{members} 名成员已签字或记录，"
                                       "待签：{waiting}。").format(
                sha=report.draft[:12], acted=acted, members=len(report.acts), waiting=tr("、").join(waiting)),
                WARN_COLOUR)
        else:
            set_notice(self.status, tr("全部成员已签字或记录，可以定稿。"), OK_COLOUR)
        sha = report.final if final else report.draft
        assert sha is not None
        if self._loading != (sha, final):
            self._loading = (sha, final)
            DbOp(self.client, lambda room: room.report_pdf(final), parent=self).success(
                lambda pdf: self.preview.show_pdf(pdf, sha)).failure(self._failed).run_in_background()

    def _fill_refusals(self, pending: list[Any]) -> None:
        members = [a.member for a in pending]
        if [self.refusal_member.itemData(i) for i in range(self.refusal_member.count())] != members:
            self.refusal_member.clear()
            for act in pending:
                self.refusal_member.addItem(f"{act.member} {act.name}", act.member)
        self.refusal_button.setEnabled(bool(members))
