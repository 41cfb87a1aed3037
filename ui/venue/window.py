"""The remote venue's console window (副场主控台): the session's project, lot and stage, the experts seated
at this venue with the check-in desk (identity, a photo from this room's camera or a file with exactly one
face; then the one-time code the expert types on his own PC, with this venue's hub address and the room CA's
fingerprint to compare there, as on the main console's check-in desk), the link to the center, the R-SUS-6/7
countdown while the main venue records this venue's link as down, and the messages between venues (each
a ledger event)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QEvent, Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.common import (
    BAD_COLOUR,
    OK_COLOUR,
    STAGES,
    WARN_COLOUR,
    big_button,
    fill,
    notice,
    set_notice,
    table,
    title,
    yes,
)
from ui.console.checkin_page import HEADERS, ROLE_NAMES, face_text, hub_note_text
from ui.console.venues_page import OUTCOMES, _clock, _stamp
from ui.i18n import Languages, add_language_menu, one_language, tr
from ui.venue.client import VenueClient, reason

if TYPE_CHECKING:
    from app.services.venues import RemoteView

DOCUMENTS = (QT_TR_NOOP("身份证"), QT_TR_NOOP("护照"), QT_TR_NOOP("其他有效证件"))
INFO = (QT_TR_NOOP("本副场"), QT_TR_NOOP("会话"), QT_TR_NOOP("项目"), QT_TR_NOOP("标段（包）"), QT_TR_NOOP("当前环节"))
MESSAGES = (QT_TR_NOOP("时间（UTC）"), QT_TR_NOOP("发自"), QT_TR_NOOP("发往"), QT_TR_NOOP("内容"))


class VenueWindow(QMainWindow):
    def __init__(self, client: VenueClient, languages: Languages) -> None:
        super().__init__()
        self.client, self.languages = client, languages
        self.view: RemoteView | None = None
        #: called with the language code after the menu switch (the launcher keeps it in the settings)
        self.on_language: Callable[[str], None] | None = None
        self.photo: tuple[bytes, int, str] | None = None

        self.join_status = notice()
        self.sessions = QComboBox()
        self.join_button = QPushButton()
        choose = QHBoxLayout()
        choose.addWidget(self.sessions, 1)
        choose.addWidget(self.join_button)
        self.choose_box = QWidget()
        self.choose_box.setLayout(choose)
        self.choose_box.setVisible(False)

        self.room = QLabel()
        self.session = QLabel("—")
        self.project = QLabel("—")
        self.project.setWordWrap(True)
        self.lot = QLabel("—")
        self.lot.setWordWrap(True)
        self.stage = QLabel("—")
        self.link = notice()
        self.rule = notice()
        self.stop_banner = notice()
        info = QGridLayout()
        self.info_labels = [QLabel() for _ in INFO]
        for row, value in enumerate((self.room, self.session, self.project, self.lot, self.stage)):
            info.addWidget(self.info_labels[row], row, 0)
            info.addWidget(value, row, 1)
        info.setColumnStretch(1, 1)
        self.info_box = info_box = QGroupBox()
        info_box.setLayout(info)

        self.seats = table([""] * len(HEADERS))
        self.member = QComboBox()
        self.document = QComboBox()
        for document in DOCUMENTS:
            self.document.addItem("", document)  # the document's Chinese name is recorded
        self.preview = QLabel()
        self.preview.setFixedSize(256, 192)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("background: #222; color: #ccc;")
        self.photo_button = big_button("")
        self.file_button = big_button("")
        self.checkin_button = big_button("", primary=True)
        self.checkin_button.setEnabled(False)
        self.photo_status = notice()
        self.code = QLabel()
        self.code.setStyleSheet("font-size: 30px; font-weight: bold; letter-spacing: 6px; color: #1f5fa8;")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hub_note = QLabel()  # the code is typed on the expert's own PC, which pairs with this venue's hub
        self.hub_note.setWordWrap(True)
        self.hub_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hub_note.setStyleSheet("color: #333; padding: 4px; background: #eef3f9;")
        self.hub_note.setVisible(False)
        self.issued: dict[str, str] = {}  # the codes issued here, by member (until the member is checked in)
        desk = QGridLayout()
        self.member_label, self.document_label = QLabel(), QLabel()
        desk.addWidget(self.member_label, 0, 0)
        desk.addWidget(self.member, 0, 1)
        desk.addWidget(self.document_label, 1, 0)
        desk.addWidget(self.document, 1, 1)
        desk.addWidget(self.preview, 2, 0, 1, 2)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photo_button)
        photo_row.addWidget(self.file_button)
        desk.addLayout(photo_row, 3, 0, 1, 2)
        desk.addWidget(self.checkin_button, 4, 0, 1, 2)
        desk.addWidget(self.photo_status, 5, 0, 1, 2)
        desk.setRowStretch(6, 1)
        self.checkin_box = checkin_box = QGroupBox()
        checkin_row = QHBoxLayout(checkin_box)
        checkin_row.addLayout(desk)
        seated = QVBoxLayout()  # the seats, and under them the code for the expert's own PC with the hub to use
        seated.addWidget(self.seats, 1)
        code_row = QHBoxLayout()
        self.code_label = QLabel()
        code_row.addWidget(self.code_label)
        code_row.addWidget(self.code, 1)
        self.reissue_button = QPushButton()  # for the checked-in expert chosen in the table
        self.reissue_button.setEnabled(False)
        code_row.addWidget(self.reissue_button)
        seated.addLayout(code_row)
        seated.addWidget(self.hub_note)
        checkin_row.addLayout(seated, 1)

        self.text = QLineEdit()
        self.send_button = big_button("", primary=True)
        self.messages = table([""] * len(MESSAGES))
        self.messages.setWordWrap(True)
        header = self.messages.horizontalHeader()
        for column in (1, 2):  # venue names are long: a fixed width, the text itself wraps below
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.messages.setColumnWidth(column, 120)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.message_box = message_box = QGroupBox()
        send_row = QHBoxLayout()
        send_row.addWidget(self.text, 1)
        send_row.addWidget(self.send_button)
        message_layout = QVBoxLayout(message_box)
        message_layout.addLayout(send_row)
        message_layout.addWidget(self.messages, 1)
        self.message = notice()

        upper = QHBoxLayout()
        upper.addWidget(info_box, 2)
        self.link_box = link_box = QGroupBox()
        link_layout = QVBoxLayout(link_box)
        link_layout.addWidget(self.link)
        link_layout.addWidget(self.rule)
        link_layout.addStretch(1)
        upper.addWidget(link_box, 3)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.heading = title("")
        layout.addWidget(self.heading)
        layout.addWidget(self.join_status)
        layout.addWidget(self.choose_box)
        layout.addWidget(self.stop_banner)
        layout.addLayout(upper)
        lower = QHBoxLayout()  # side by side: the window fits a 1366 × 768 screen
        lower.addWidget(checkin_box, 5)
        lower.addWidget(message_box, 4)
        layout.addLayout(lower, 1)
        layout.addWidget(self.message)
        self.setCentralWidget(body)
        self._menus()

        self.join_button.clicked.connect(self._join_chosen)
        self.photo_button.clicked.connect(self.take_photo)
        self.file_button.clicked.connect(self._photo_file)
        self.checkin_button.clicked.connect(self.check_in)
        self.reissue_button.clicked.connect(self.reissue)
        self.seats.itemSelectionChanged.connect(self._enable)
        self.send_button.clicked.connect(self.send)
        self.text.returnPressed.connect(self.send)
        client.joining.connect(self._joining)
        client.sessions_found.connect(self._choose)
        client.updated.connect(self.show_view)
        self.ticker = QTimer(self)
        self.ticker.timeout.connect(self._tick)
        self.ticker.start(1000)
        self._enable()
        self.retranslate()

    def retranslate(self) -> None:
        settings = self.client.settings
        self.setWindowTitle(tr("EvalRoom 评标室 · 副场主控台"))
        self.join_button.setText(tr("加入所选会话"))
        if self.view is None:
            self.room.setText(tr("{venue}（{room}）").format(venue=settings.room_id, room=settings.room_name)
                              if settings.room_name else settings.room_id)
        for label, text in zip(self.info_labels, INFO, strict=True):
            label.setText(tr(text))
        self.info_box.setTitle(tr("会话"))
        self.seats.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        for index, document in enumerate(DOCUMENTS):
            self.document.setItemText(index, tr(document))
        if self.preview.pixmap().isNull():
            self.preview.setText(tr("（摄像头画面）"))
        self.photo_button.setText(tr("拍照"))
        self.file_button.setText(tr("从文件选择照片"))
        self.checkin_button.setText(tr("核验身份并发放登录码"))
        self.member_label.setText(tr("专家"))
        self.document_label.setText(tr("证件"))
        self.checkin_box.setTitle(tr("本副场专家签到"))
        self.code_label.setText(tr("工作站一次性登录码："))
        self.reissue_button.setText(tr("重新发放登录码"))
        self.text.setPlaceholderText(tr("发往主场的文字消息"))
        self.send_button.setText(tr("发送"))
        self.messages.setHorizontalHeaderLabels([tr(h) for h in MESSAGES])
        self.message_box.setTitle(tr("场地间消息（记入账本）"))
        self.link_box.setTitle(tr("与交易中心的链路"))
        self.heading.setText(tr("副场主控台 · 远程异地评标"))
        set_notice(self.message, "")  # the last action's outcome, said in the language it was done in
        if self.client.joined is not None and not getattr(self, "_join_problem", True):
            set_notice(self.join_status, tr("已加入会话 {session}").format(session=self.client.joined), OK_COLOUR)
        if self.view is not None:
            self.show_view(self.view)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _menus(self) -> None:
        from ui.widgets.system_menu import add_system_menu

        self.system_menu, self.quit_action = add_system_menu(self)  # 系统 → 退出 (Ctrl+Q; kiosk mode: 授权退出)
        self.language_actions = add_language_menu(self, self.languages, self.set_language)

    def set_language(self, code: str) -> None:
        self.languages.switch(code)
        self.language_actions[code].setChecked(True)
        if self.on_language is not None:
            self.on_language(code)

    # -- joining --------------------------------------------------------------------------------------
    def _joining(self, text: str, problem: bool) -> None:
        self._join_problem = problem
        set_notice(self.join_status, text, BAD_COLOUR if problem else OK_COLOUR)
        if self.client.joined is not None:
            self.choose_box.setVisible(False)

    def _choose(self, sessions: list[str]) -> None:
        self.sessions.clear()
        for session in sessions:
            self.sessions.addItem(session, session)
        self.choose_box.setVisible(True)

    def _join_chosen(self) -> None:
        session = self.sessions.currentData()
        if session:
            self.client.attempt(session)

    # -- the desk ------------------------------------------------------------------------------------
    def _say(self, text: str, colour: str) -> None:
        set_notice(self.message, text, colour)

    def _failed(self, exc: BaseException) -> None:
        self._say(reason(exc), BAD_COLOUR)

    def _show_photo(self, photo: tuple[bytes, int, str]) -> None:
        self.photo = photo
        pixmap = QPixmap()
        pixmap.loadFromData(photo[0])
        self.preview.setPixmap(pixmap.scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))
        ok = photo[1] == 1
        set_notice(self.photo_status, face_text(photo[1]), OK_COLOUR if ok else BAD_COLOUR)
        self._enable()

    def take_photo(self) -> None:
        self.client.run(lambda console: console.take_photo(), self._show_photo, self._failed)

    def _photo_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("选择签到照片"), "", tr("照片 (*.jpg *.jpeg *.png)"))
        if path:
            self.photo_from(path)

    def photo_from(self, path: str) -> None:
        self.client.run(lambda console: console.photo_from_file(path), self._show_photo, self._failed)

    def check_in(self) -> None:
        member, photo, document = self.member.currentData(), self.photo, self.document.currentData()
        if member is None or photo is None:
            return

        def done(code: str) -> None:
            self.photo = None
            self.preview.clear()
            self.preview.setText(tr("（摄像头画面）"))
            set_notice(self.photo_status, "")
            self.issued = {member: code}  # one code shown at a time: the member's earlier one no longer works
            self.code.setText(code)
            self._draw_hub(self.view)
            self._say(tr("{member} 身份核验通过，请在专家本人的评审终端输入登录码完成签到（30 分钟内有效）。").format(
                member=member), OK_COLOUR)
            self.client.poll()

        self.checkin_button.setEnabled(False)
        self.client.run(lambda console: console.check_in(member, photo[0], document), done, self._failed)

    def _chosen_seat(self) -> str | None:
        """The checked-in, not recused expert chosen in the seats table (a code may be issued again for him)."""
        rows = {index.row() for index in self.seats.selectedIndexes()}
        seats = self.view.seats if self.view else ()
        chosen = [seats[r] for r in rows if r < len(seats)]
        return chosen[0].id if len(chosen) == 1 and chosen[0].checked_in and not chosen[0].recused else None

    def reissue(self) -> None:
        """重新发放登录码 for the expert chosen in the table whose own PC lost its seat: pairing with the new code
        binds a new key there, which replaces his current one."""
        member = self._chosen_seat()
        if member is None:
            return

        def done(code: str) -> None:
            self.issued = {member: code}
            self.code.setText(code)
            self._draw_hub(self.view)
            self._say(tr("{member} 的新登录码已发放（30 分钟内有效），原登录码已作废；专家在本人评审终端用新登录码"
                         "配对后，原终端的密钥即被替换。").format(member=member), OK_COLOUR)

        self.client.run(lambda console: console.reissue_code(member), done, self._failed)

    def send(self) -> None:
        text = self.text.text()

        def done(_value: object) -> None:
            self.text.clear()
            self._say(tr("消息已记入账本，经交易中心发往主场。"), OK_COLOUR)
            self.client.poll()

        self.client.run(lambda console: console.send(text), done, self._failed)

    def _enable(self) -> None:
        view = self.view
        waiting = [s for s in view.seats if not s.checked_in and not s.recused] if view else []
        stopped = bool(view and view.stopped)
        self.photo_button.setEnabled(bool(waiting) and not stopped)
        self.file_button.setEnabled(bool(waiting) and not stopped)
        self.checkin_button.setEnabled(bool(waiting) and not stopped and self.photo is not None and self.photo[1] == 1)
        self.send_button.setEnabled(view is not None)
        self.reissue_button.setEnabled(not stopped and self._chosen_seat() is not None)

    # -- drawing -------------------------------------------------------------------------------------
    def _tick(self) -> None:
        if self.view is not None:
            self._draw_link(self.view, datetime.now(UTC))

    def _draw_link(self, view: RemoteView, now: datetime) -> None:
        status = view.link
        last = (tr("上次同步 {time} UTC").format(time=status.last_sync[:19].replace("T", " ")) if status.last_sync
                else tr("尚未同步"))
        state = tr("{last}，待发送 {n}").format(last=last, n=status.pending_events)
        # this venue's room hub (its experts' PCs pair and sync there; it relays to the center): said when in trouble
        hub = ("\n" + tr("本副场评标室服务器：{error}").format(error=one_language(view.hub_error))
               if view.hub_error else "")
        if status.last_error:
            offline = tr("中断期间的签到和消息保存在本机，链路恢复后自动发送；主场按 R-SUS-6/R-SUS-7 计时。")
            set_notice(self.link, tr("链路中断：{error}").format(error=one_language(status.last_error))
                       + f"\n{state}\n{offline}{hub}", BAD_COLOUR)
        else:
            set_notice(self.link, tr("链路正常（{center}）").format(center=self.client.settings.center_url)
                       + f"\n{state}{hub}", WARN_COLOUR if view.hub_error else OK_COLOUR)
        timer = view.timer
        if timer is None:
            set_notice(self.rule, tr("主场记录的本副场链路无中断。"))
            return
        elapsed = now - view.now
        if timer.end is None and timer.outcome == "waiting":
            left = max(timer.remaining - elapsed, timedelta(0))
            set_notice(self.rule, tr("主场记录本副场链路中断（{rule}，自 {start} UTC）：剩余 {left}").format(
                rule=timer.rule, start=timer.start.strftime("%H:%M:%S"), left=_clock(left))
                + "\n" + one_language(timer.message), WARN_COLOUR)
        else:
            state = tr("已恢复") if timer.end is not None else tr("未恢复")
            colour = OK_COLOUR if timer.outcome == "resume" else BAD_COLOUR
            outcome = tr(OUTCOMES[timer.outcome]) if timer.outcome in OUTCOMES else timer.outcome
            set_notice(self.rule, tr("{rule} {outcome}（{state}）").format(
                rule=timer.rule, outcome=outcome, state=state) + "\n" + one_language(timer.message), colour)

    def _draw_hub(self, view: RemoteView | None) -> None:
        if not self.issued:
            self.hub_note.setVisible(False)
            return
        if view is not None and view.hub is None and view.hub_error is None and not self.client.settings.hub_listen:
            text = tr("本副场未启动评标室服务器（设置 hub_listen），专家评审终端无法配对")
        else:
            text = hub_note_text(view.hub if view is not None else None)
            if view is not None and view.hub_error:
                text += "\n" + one_language(view.hub_error)
        self.hub_note.setText(text)
        self.hub_note.setVisible(True)

    def show_view(self, view: RemoteView) -> None:
        self.view = view
        if self.issued and not set(self.issued) & set(view.live_codes):  # a PC paired with it: the code is spent
            self.issued = {}
            self.code.clear()
        self._draw_hub(view)
        self.session.setText(view.session)
        self.project.setText(view.project)
        self.lot.setText(view.lot)
        self.stage.setText(tr(STAGES[view.stage]) if view.stage in STAGES else view.stage)
        self.room.setText(tr("{venue}（{room}）").format(venue=view.venue_name, room=view.venue))
        fill(self.seats,
             [[s.id, s.name, tr(ROLE_NAMES[s.role]) if s.role in ROLE_NAMES else s.role, yes(s.identity),
               yes(s.checked_in), yes(s.letter), yes(s.declared)] for s in view.seats],
             [BAD_COLOUR if s.recused else None for s in view.seats])
        waiting = [s for s in view.seats if not s.checked_in and not s.recused]
        current = self.member.currentData()
        if [self.member.itemData(i) for i in range(self.member.count())] != [s.id for s in waiting]:
            self.member.clear()
            for s in waiting:
                self.member.addItem(f"{s.id} {s.name}", s.id)
            index = self.member.findData(current)
            if index >= 0:
                self.member.setCurrentIndex(index)
        names = view.names
        fill(self.messages,
             [[_stamp(m["time"]), names.get(m["from"], m["from"]), names.get(m["to"], m["to"]), m["text"]]
              for m in reversed(view.messages)])
        self.messages.resizeRowsToContents()
        if view.stopped:
            set_notice(self.stop_banner, tr("评标已停止（{rule}，{at} UTC）："
                                            "各场封存资料，须重新组建评标委员会。").format(
                rule=view.stopped["rule"], at=_stamp(view.stopped["at"])), BAD_COLOUR)
        else:
            set_notice(self.stop_banner, "")
        self._draw_link(view, view.now)
        self._enable()
