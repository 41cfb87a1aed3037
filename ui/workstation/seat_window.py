"""The window of an expert's or the supervisor's own PC (issue 14 items 2–4): the pairing page until the PC
holds a seat, then that one person's steps on the PC's own replica of the session (``MemberRoom``).

Role separation: this window has no role switcher and no console page, kiosk or not; it never builds the
one-window demo's :class:`ui.main_window.MainWindow`. The status bar shows the link with the room hub
(:mod:`ui.widgets.link_status`), calmly, never in a dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP, QEvent, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar, QSizePolicy, QStackedWidget, QWidget
from shiboken6 import isValid

from ui.i18n import Languages, add_language_menu, tr
from ui.ops import DbOp
from ui.widgets.link_status import LinkStatusLabel, LinkStatusPoller

if TYPE_CHECKING:
    from app.services.room_view import RoomView
    from ui.room_client import RoomClient

EXPERT, SUPERVISOR = "expert", "supervisor"
RETRY_MS = 5000
TITLES = {EXPERT: QT_TR_NOOP("EvalRoom 评标室 · 专家评审终端"), SUPERVISOR: QT_TR_NOOP("EvalRoom 评标室 · 监督终端")}


class SeatWindow(QMainWindow):
    """``role``: ``expert`` (an expert's or the purchaser's representative's station) or ``supervisor``."""

    def __init__(self, languages: Languages, role: str = EXPERT, idle_minutes: float = 10) -> None:
        super().__init__()
        if role not in TITLES:
            raise ValueError(f"unknown seat role {role!r}")
        self.languages, self.role, self.idle_minutes = languages, role, idle_minutes
        self.resize(1280, 800)
        self.client: RoomClient | None = None
        self.seat: Any = None  # the PC's Paired seat, once paired
        self.member: str | None = None
        self.page: QWidget | None = None  # the Station or the SupervisorPage, once seated
        self.pairing: QWidget | None = None
        self.on_language: Callable[[str], None] | None = None
        self._check_pin: Callable[[str], bool] | None = None
        self._building = False
        self._cert_opened = False
        self._letter: Any = None
        self.reopening: Any = None  # the dialog opening the bound certificate again (certificate_reopen)
        self.stack = QStackedWidget()
        self.opening = QLabel()
        self.opening.setStyleSheet("QLabel { font-size: 20px; color: #555; qproperty-alignment: AlignCenter; }")
        self.stack.addWidget(self.opening)
        self.setCentralWidget(self.stack)
        self._menus()
        self.stage = QLabel()
        self.stage.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # the link is never cut
        self.link = LinkStatusLabel()
        self.link.setVisible(False)  # until seated: the pairing page says what it is doing itself
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setVisible(False)
        self.clock = QLabel()
        self.statusBar().addWidget(self.stage, 1)
        self.statusBar().addPermanentWidget(self.link)
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.clock)
        timer = QTimer(self)
        timer.timeout.connect(self._tick)
        timer.start(1000)
        self._tick()
        #: the opening line's text in the current language (opening, or why it did not open)
        self.opening_text: Callable[[], str] = lambda: tr("正在打开本机的评审数据…")
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr(TITLES[self.role]))
        self.pair_again_action.setText(tr("重新配对（新的登录码或新的会话）…"))
        self.reopen_cert_action.setText(tr("重新打开数字证书…"))
        self.help_menu.setTitle(tr("帮助"))
        self.about.setText(tr("关于 EvalRoom"))
        self.opening.setText(self.opening_text())
        if self.client is not None and self.client.view is not None:
            self._show_stage(self.client.view)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _menus(self) -> None:
        from ui.widgets.system_menu import add_system_menu

        self.system_menu, self.quit_action = add_system_menu(self)
        self.pair_again_action = QAction(self)
        self.pair_again_action.triggered.connect(self.ask_pair_again)
        self.pair_again_action.setEnabled(False)  # once seated
        self.system_menu.insertAction(self.quit_action, self.pair_again_action)
        self.reopen_cert_action = QAction(self)
        self.reopen_cert_action.triggered.connect(self.ask_certificate)
        self.reopen_cert_action.setEnabled(False)  # once seated with a certificate bound and not open
        self.system_menu.insertAction(self.quit_action, self.reopen_cert_action)
        self.language_actions = add_language_menu(self, self.languages, self.set_language)
        self.help_menu = self.menuBar().addMenu("")
        self.about = QAction(self)
        self.about.triggered.connect(lambda: self.statusBar().showMessage(
            tr("EvalRoom 评标室：本机的每一步都用本机的密钥签名，先保存在本机，再同步到评标室服务器。"), 8000))
        self.help_menu.addAction(self.about)

    def set_language(self, code: str) -> None:
        self.languages.switch(code)
        self.language_actions[code].setChecked(True)
        if self.client is not None:
            self.client.redraw()
        if self.on_language is not None:
            self.on_language(code)

    def show_pairing(self, page: QWidget) -> None:
        """The pairing page (no seat on this PC yet, or pairing again)."""
        self.pairing = page
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)

    def take_seat(self, client: RoomClient, seat: Any, check_pin: Callable[[str], bool] | None = None) -> None:
        """Work on ``client`` (the PC's ``MemberRoom``) as the seat's member (``Paired``: the member id, or the
        supervisor's name): the page is built on the first snapshot, so this returns at once."""
        self.client, self.seat, self.member, self._check_pin = client, seat, str(seat.member), check_pin
        self._cert_opened = False
        self.pair_again_action.setEnabled(True)
        self.stack.setCurrentWidget(self.opening)
        self.link.setVisible(True)
        LinkStatusPoller(client, self.link)
        client.changed.connect(self.show_view)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._reopen)
        if client.view is not None:
            self.show_view(client.view)
        else:
            DbOp(client, lambda room: None).failure(self._open_failed).run_in_background()

    def ask_pair_again(self) -> None:
        """系统 → 重新配对: this PC pairs again with a new code (the next session, or a code re-issued at the
        desk); the seat held now stays on disk, as it was signed."""
        from ui.widgets.confirm import confirm

        text = tr("本机将用签到台发放的新登录码重新配对（新的会话，或签到台重新发放的登录码）。"
                  "本机已签名保存的评审内容保留在本机的数据目录中；重新配对后，原配对不再使用。")
        self.confirmation = confirm(self, tr("重新配对？"), text, tr("重新配对"), self.pair_again, no=tr("取消"))

    def pair_again(self) -> None:
        """Close the seat's replica and show the pairing page (PcWindow fills it in)."""
        client, page = self.client, self.page
        self.client, self.seat, self.member, self.page, self._building = None, None, None, None, False
        self.pair_again_action.setEnabled(False)
        self.reopen_cert_action.setEnabled(False)
        self.link.setVisible(False)
        if client is not None:
            client.changed.disconnect(self.show_view)
            client.close()
        for old in (page, self.pairing):
            if old is not None:
                self.stack.removeWidget(old)
                old.deleteLater()
        self.pairing = None
        self.stack.setCurrentWidget(self.opening)
        self.new_pairing()

    def new_pairing(self) -> None:
        """(PcWindow) Show a fresh pairing page."""

    def _open_failed(self, exc: BaseException) -> None:
        """The replica did not open (the first start after pairing needs the hub once): said calmly, tried again."""
        from ui.errors import describe

        self.show_opening(lambda: describe(exc) + "\n\n" + tr("本机将每隔几秒自动重试。"))
        self._retry.start(RETRY_MS)

    def show_opening(self, text: Callable[[], str]) -> None:
        """The opening line says ``text()`` (again at each language switch)."""
        self.opening_text = text
        self.opening.setWordWrap(True)
        self.opening.setText(text())

    def _reopen(self) -> None:
        if self.client is None or self.page is not None:
            return
        self.client.retry_open()
        DbOp(self.client, lambda room: None).failure(self._open_failed).run_in_background()

    @property
    def station(self) -> Any:
        """The expert's Station (None on a supervisor's PC or before the first snapshot)."""
        return self.page if self.role == EXPERT else None

    @property
    def desk(self) -> Any:
        """The supervisor's page (None on an expert's PC or before the first snapshot)."""
        return self.page if self.role == SUPERVISOR else None

    def _build(self, view: RoomView) -> QWidget:
        assert self.client is not None and self.member is not None
        if self.role == SUPERVISOR:
            from ui.supervisor.supervisor_page import SupervisorPage

            return SupervisorPage(self.client, self.member, letter_first=True)
        from ui.workstation.station import Station

        return Station(self.client, self.member, self.idle_minutes, check_pin=self._check_pin, letter=self._letter)

    def show_view(self, view: RoomView) -> None:
        if self.page is None and not self._building:
            self._building = True
            if self.role == EXPERT:  # the station's letter is read in the background first: no wait here
                member = self.member
                assert self.client is not None and member is not None
                DbOp(self.client, lambda room: room.workstation(member).letter()).without_snapshot().success(
                    self._place).failure(self._not_built).run_in_background()
            else:
                self._place(None)
        self._show_stage(view)

    def _not_built(self, exc: BaseException) -> None:
        self._building = False  # the next snapshot tries again
        self._open_failed(exc)

    def _place(self, letter: Any) -> None:
        assert self.client is not None and self.client.view is not None
        self._letter = letter
        view = self.client.view
        self.page = self._build(view)
        self.stack.addWidget(self.page)
        self.stack.setCurrentWidget(self.page)
        if hasattr(self.page, "show_view"):
            self.page.show_view(view)
        if self.certificate_to_open() is not None:  # restarted: the bound certificate is asked for at once
            self.reopen_cert_action.setEnabled(True)
            self.ask_certificate()

    # -- the certificate bound at check-in ------------------------------------------------------------
    def certificate_to_open(self) -> str | None:
        """The subject of the certificate bound at this seat's check-in that this program has not open (the seat
        file names it; not opened again since the restart), or None."""
        seat = self.seat
        if self.role != EXPERT or seat is None or getattr(seat, "cert", None) is not None or self._cert_opened:
            return None
        subject = getattr(seat, "cert_subject", None)
        return str(subject) if subject else None

    def ask_certificate(self) -> None:
        """系统 → 重新打开数字证书: the passphrase or PIN typed again, checked to be the bound certificate."""
        from ui.workstation.certificate_reopen import ReopenCertificate

        subject = self.certificate_to_open()
        if subject is None or self.client is None:
            return
        if self.reopening is not None and isValid(self.reopening) and self.reopening.isVisible():
            return
        self.reopening = ReopenCertificate(self, self.client, subject, on_open=self._certificate_opened)
        self.reopening.open()

    def _certificate_opened(self, subject: str) -> None:
        self._cert_opened = True
        self.reopen_cert_action.setEnabled(False)
        self.statusBar().showMessage(tr("数字证书“{subject}”已重新打开。").format(subject=subject), 8000)

    def _show_stage(self, view: RoomView) -> None:
        from ui.common import stage_name

        paused = tr("　【已中止】") if view.paused else ""
        self.stage.setText(tr("{project} · 标段 {lot}　当前环节：{stage}").format(
            project=view.case.project.name, lot=view.case.lot.code, stage=stage_name(view)) + paused)

    def _tick(self) -> None:
        self.clock.setText(datetime.now().strftime("%Y-%m-%d %H:%M:%S"))
        self.busy.setVisible(self.client is not None and self.client.pending > 0)
