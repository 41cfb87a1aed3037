"""Remote evaluation (远程异地评标) at the main venue's console: each venue with its experts, check-in progress,
camera and link status, the R-SUS-6/7 countdown with the rule's text while a link is down, a venue to add,
and text messages between venues with their log (every message is a ledger event)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import EvalRoomError
from ui.common import BAD_COLOUR, OK_COLOUR, WARN_COLOUR, big_button, fill, follow, notice, set_notice, table, title
from ui.errors import describe
from ui.i18n import one_language, tr
from ui.ops import NETWORK, DbOp, PoolOp
from ui.room_client import RoomClient

if TYPE_CHECKING:
    from app.services.room_view import RoomView
    from app.services.venues import Timer, VenueDesk, VenuesView

POLL_MS = 3000  # ask the center every 3 s; the countdown itself moves every second
OUTCOMES = {"waiting": QT_TR_NOOP("计时中"), "resume": QT_TR_NOOP("已在时限内恢复"),
            "tenderer_decides": QT_TR_NOOP("超时：由招标人决定"),
            "stop_new_committee": QT_TR_NOOP("超时：停止评标，重新组建评标委员会")}
#: what the ledger says of a venue's recording (app.services.venues.VenueRow.camera)
CAMERAS = {"unknown_remote": QT_TR_NOOP("未知（副场未上报）"), "unknown_recorder": QT_TR_NOOP("未知（未接入录像机）"),
           "fault": QT_TR_NOOP("录像故障"), "ok": QT_TR_NOOP("录像正常")}
VENUES = [QT_TR_NOOP("场地"), QT_TR_NOOP("类型"), QT_TR_NOOP("就座专家"), QT_TR_NOOP("签到进度"), QT_TR_NOOP("摄像头"),
          QT_TR_NOOP("链路"), QT_TR_NOOP("中断计时")]
MESSAGES = [QT_TR_NOOP("时间（UTC）"), QT_TR_NOOP("发自"), QT_TR_NOOP("发往"), QT_TR_NOOP("内容")]
BEFORE_EVALUATION = ("created", "opening", "checkin", "committee")


def _clock(span: timedelta) -> str:
    seconds = max(int(span.total_seconds()), 0)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _stamp(value: str) -> str:
    return f"{value[:19].replace('T', ' ')}"


class LinkWatcher(QObject):
    """The main venue's remote-venue desk, polled in the background whichever page is shown: the center's
    link status becomes link_lost/link_restored events as soon as it changes (app.services.venues)."""

    updated = Signal(object)  # VenuesView
    problem = Signal(str)

    def __init__(self, client: RoomClient) -> None:
        super().__init__(client)
        self.client = client
        self.desk: VenueDesk | None = None
        self.view: VenuesView | None = None
        self._busy = self._closed = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.poll)
        self.timer.start(POLL_MS)
        client.on_close.append(self.close)  # nothing is queued once the database thread is closing

    @classmethod
    def of(cls, client: RoomClient) -> LinkWatcher:
        found = client.findChild(LinkWatcher)
        return found if found is not None else cls(client)

    def desk_of(self, room: Any) -> VenueDesk | None:
        """(database thread) The desk of the room's current session; None before a session is open."""
        from app.services.venues import VenueDesk

        if room.session is None:
            return None
        if self.desk is None or self.desk.session is not room.session:
            self.desk = VenueDesk.for_room(room)
        return self.desk

    def poll(self) -> None:
        """Ask the center on the network's lane, then write what changed and take a snapshot on the
        database thread; one round at a time."""
        if self._busy or self._closed:
            return
        self._busy = True
        desk = self.desk
        PoolOp(lambda: desk.fetch() if desk is not None else (None, None), lane=NETWORK).success(self._apply).failure(
            lambda exc: self._apply((None, str(exc)))).run_in_background()

    def _apply(self, answer: tuple[Any, str | None]) -> None:
        def done(view: VenuesView | None) -> None:
            self._busy = False
            if view is not None:
                self.view = view
                self.updated.emit(view)

        def failed(exc: BaseException) -> None:
            self._busy = False
            self.problem.emit(describe(exc))

        def look(room: Any) -> VenuesView | None:
            desk = self.desk_of(room)
            if desk is None:
                return None
            rows, error = answer if desk is self.desk else (None, None)
            return desk.poll(rows, error)

        if self._closed:
            self._busy = False
            return
        DbOp(self.client, look).without_snapshot().polling().success(done).failure(failed).run_in_background()

    def close(self) -> None:
        self._closed = True
        self.timer.stop()


class VenuesPage(QWidget):
    def __init__(self, client: RoomClient) -> None:
        super().__init__()
        self.client = client
        self.watcher = LinkWatcher.of(client)
        self.venues_view: VenuesView | None = None
        self._stage = "created"
        self.center = notice()
        self.stop_banner = notice()
        self.venues = table([""] * len(VENUES))
        self.venues.setWordWrap(True)
        self.venues.setMinimumHeight(130)
        self.venues.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.venues.horizontalHeader().setStretchLastSection(False)
        self.rule = notice()
        self.decider = QLineEdit()
        self.decision_reason = QLineEdit()
        self.evaluate_button = big_button("")
        self.postpone_button = big_button("")
        self.decision_box = QGroupBox()
        decision_row = QHBoxLayout(self.decision_box)
        decision_row.addWidget(self.decider, 2)
        decision_row.addWidget(self.decision_reason, 2)
        decision_row.addWidget(self.evaluate_button)
        decision_row.addWidget(self.postpone_button)
        self.decision_box.setVisible(False)
        self._deciding: str | None = None  # the venue whose R-SUS-6 failure awaits the tenderer

        self.venue_room = QLineEdit()
        self.venue_name = QLineEdit()
        self.venue_key = QLineEdit()
        self.browse = QPushButton()
        self.venue_members = QLineEdit()
        self.add_button = big_button("")
        self.add_box = add_box = QGroupBox()
        key_row = QHBoxLayout()
        key_row.addWidget(self.venue_key, 1)
        key_row.addWidget(self.browse)
        add_form = QFormLayout(add_box)
        self.add_labels = [QLabel() for _ in range(4)]
        add_form.addRow(self.add_labels[0], self.venue_room)
        add_form.addRow(self.add_labels[1], self.venue_name)
        add_form.addRow(self.add_labels[2], key_row)
        add_form.addRow(self.add_labels[3], self.venue_members)
        add_form.addRow("", self.add_button)

        self.to = QComboBox()
        self.to.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.text = QLineEdit()
        self.send_button = big_button("", primary=True)
        self.messages = table([""] * len(MESSAGES))
        self.message_box = message_box = QGroupBox()
        send_row = QHBoxLayout()
        send_row.addWidget(self.to)
        send_row.addWidget(self.text, 1)
        send_row.addWidget(self.send_button)
        message_layout = QVBoxLayout(message_box)
        message_layout.addLayout(send_row)
        message_layout.addWidget(self.messages, 1)
        self.message = notice()

        lower = QHBoxLayout()
        lower.addWidget(add_box, 2)
        lower.addWidget(message_box, 3)
        layout = QVBoxLayout(self)
        self.heading = title("")
        layout.addWidget(self.heading)
        layout.addWidget(self.stop_banner)
        layout.addWidget(self.center)
        layout.addWidget(self.venues, 2)
        layout.addWidget(self.rule)
        layout.addWidget(self.decision_box)
        layout.addLayout(lower, 2)
        layout.addWidget(self.message)

        self.browse.clicked.connect(self._browse)
        self.add_button.clicked.connect(self._add)
        self.send_button.clicked.connect(self._send)
        self.text.returnPressed.connect(self._send)
        self.evaluate_button.clicked.connect(lambda: self._decide("evaluate"))
        self.postpone_button.clicked.connect(lambda: self._decide("postpone"))
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.timer.start(1000)
        self.watcher.updated.connect(self._updated)
        self.watcher.problem.connect(lambda text: set_notice(self.message, text, BAD_COLOUR))
        follow(self, client)
        self.retranslate()

    def retranslate(self) -> None:
        self.venues.setHorizontalHeaderLabels([tr(h) for h in VENUES])
        self.messages.setHorizontalHeaderLabels([tr(h) for h in MESSAGES])
        self.decider.setPlaceholderText(tr("作出决定的招标人（采购人）代表"))
        self.decision_reason.setPlaceholderText(tr("决定理由"))
        self.evaluate_button.setText(tr("继续组织评标"))
        self.postpone_button.setText(tr("推迟评标：封存资料，重新组建评标委员会"))
        self.decision_box.setTitle(tr("招标人决定（R-SUS-6：计划开始后超过时限仍未排除故障）"))
        self.venue_room.setPlaceholderText(tr("副场编号，如 county-1"))
        self.venue_name.setPlaceholderText(tr("如 县公共资源交易中心副场"))
        self.venue_key.setPlaceholderText(tr("副场公钥 room.pub.pem"))
        self.browse.setText(tr("选择…"))
        self.venue_members.setPlaceholderText(tr("就座专家编号，逗号分隔（可不填）"))
        self.add_button.setText(tr("添加副场"))
        self.add_box.setTitle(tr("添加副场（评标开始前）"))
        for label, text in zip(self.add_labels, (tr("编号"), tr("场地名称"), tr("公钥"), tr("专家")), strict=True):
            label.setText(text)
        self.text.setPlaceholderText(tr("发往该场地的文字消息"))
        self.send_button.setText(tr("发送"))
        self.message_box.setTitle(tr("场地间消息（记入账本）"))
        self.heading.setText(tr("远程异地评标"))
        set_notice(self.message, "")  # the last action's outcome, said in the language it was done in
        if self.venues_view is not None:
            self.show_venues(self.venues_view)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def poll(self) -> None:
        self.watcher.poll()

    def _updated(self, view: VenuesView) -> None:
        self.venues_view = view
        if self.isVisible():
            self.show_venues(view)

    def _act(self, action: Any, success: str) -> None:
        def done(_value: object) -> None:
            set_notice(self.message, success, OK_COLOUR)
            self.poll()

        def failed(exc: BaseException) -> None:
            set_notice(self.message, describe(exc), BAD_COLOUR)

        def run(room: Any) -> None:
            desk = self.watcher.desk_of(room)
            if desk is None:
                raise EvalRoomError(key="room.no_session")
            action(desk)

        DbOp(self.client, run, parent=self).success(done).failure(failed).run_in_background()

    def _add(self) -> None:
        room, name, key = self.venue_room.text(), self.venue_name.text(), self.venue_key.text().strip()
        members = [m.strip() for m in self.venue_members.text().replace("，", ",").split(",") if m.strip()]
        if not key:
            set_notice(self.message, tr("请选择副场主控台公钥文件。"), BAD_COLOUR)
            return
        self._act(lambda desk: desk.add(room, name, key, members),
                  tr("已添加副场 {venue}。").format(venue=room.strip()))

    def _send(self) -> None:
        to, text = self.to.currentData(), self.text.text()
        if to is None:
            set_notice(self.message, tr("尚无副场，无法发送消息。"), BAD_COLOUR)
            return

        def sent(desk: VenueDesk) -> None:
            desk.send(to, text)

        self._act(sent, tr("消息已发往 {venue}。").format(venue=to))
        self.text.clear()

    def _decide(self, decision: str) -> None:
        venue, by, reason = self._deciding, self.decider.text(), self.decision_reason.text()
        if venue is None:
            return
        self._act(lambda desk: desk.decide(venue, decision, by, reason),
                  tr("已记录招标人的决定（R-SUS-6）。"))

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("选择副场主控台公钥"), "", "PEM (*.pem);;*")
        if path:
            self.venue_key.setText(path)

    # -- the GUI thread -----------------------------------------------------------------------------
    def show_view(self, view: RoomView) -> None:
        self._stage = view.stage
        self.poll()

    def _tick(self) -> None:
        if self.isVisible() and self.venues_view is not None:
            self.show_venues(self.venues_view, datetime.now(UTC))

    def _countdown(self, timer: Timer | None, elapsed: timedelta) -> tuple[str, str | None]:
        if timer is None:
            return "—", None
        if timer.end is None and timer.outcome == "waiting":
            left = max(timer.remaining - elapsed, timedelta(0))
            return tr("{rule} 剩余 {left}").format(rule=timer.rule, left=_clock(left)), WARN_COLOUR
        colour = OK_COLOUR if timer.outcome == "resume" else BAD_COLOUR
        state = tr("已恢复") if timer.end is not None else tr("未恢复")
        outcome = tr(OUTCOMES[timer.outcome]) if timer.outcome in OUTCOMES else timer.outcome
        return tr("{rule} {outcome}（{state}）").format(rule=timer.rule, outcome=outcome, state=state), colour

    def show_venues(self, view: VenuesView, now: datetime | None = None) -> None:
        """Draw a snapshot; ``now``: only move the countdowns on from the snapshot's time."""
        self.venues_view = view
        elapsed = (now - view.now) if now is not None else timedelta(0)
        rows, colours, rules = [], [], []
        for v in view.venues:
            names = [f"{e.id} {e.name}{' ✓' if e.checked_in else ''}" for e in v.experts]
            experts = "\n".join("  ".join(names[i:i + 3]) for i in range(0, len(names), 3)) or "—"
            done = sum(1 for e in v.experts if e.checked_in and e.letter and e.declared)
            if v.link_up is None:
                link = tr("未知（未配置交易中心）") if view.center is None else tr("未知（交易中心无应答）")
            else:
                link = tr("正常") if v.link_up else tr("中断")
            countdown, colour = self._countdown(v.timer, elapsed)
            checked = sum(1 for e in v.experts if e.checked_in)
            rows.append([tr("{venue}（{room}）").format(venue=v.name, room=v.room),
                         tr("主场") if v.role == "main" else tr("副场"), experts,
                         tr("签到 {checked}/{n}").format(checked=checked, n=len(v.experts)) + "\n"
                         + tr("承诺书与回避 {done}/{n}").format(done=done, n=len(v.experts)),
                         tr(CAMERAS[v.camera]) if v.camera in CAMERAS else v.camera, link, countdown])
            colours.append(BAD_COLOUR if v.link_up is False or colour == BAD_COLOUR else None)
            if v.timer is not None and v.timer.end is None:
                left = max(v.timer.remaining - elapsed, timedelta(0))
                status = (tr("剩余 {left}").format(left=_clock(left)) if v.timer.outcome == "waiting"
                          else tr("已超过时限"))
                rules.append(tr("{venue}（{room}）链路中断，自 {start} UTC 起计时，"
                                "时限 {deadline} UTC，{status}。").format(
                    venue=v.name, room=v.room, start=v.timer.start.strftime("%H:%M:%S"),
                    deadline=v.timer.deadline.strftime("%Y-%m-%d %H:%M:%S"), status=status)
                    + "\n" + one_language(v.timer.message))
        fill(self.venues, rows, colours)
        self.venues.resizeRowsToContents()
        if not view.venues:
            set_notice(self.rule, tr("本会话尚未添加副场。添加副场后，各场专家、签到、摄像头和链路状态在此显示。"))
        elif rules:
            set_notice(self.rule, "\n".join(rules), BAD_COLOUR)
        else:
            before, during = view.limits
            set_notice(self.rule, tr("各场链路正常。副场中断时按 R-SUS-6（评标开始前，计划开始后 {before} 小时）"
                                     "或 R-SUS-7（评标中，{during} 小时）计时。").format(
                before=f"{before.total_seconds() / 3600:g}", during=f"{during.total_seconds() / 3600:g}"), OK_COLOUR)
        if view.stopped:
            set_notice(self.stop_banner, tr("评标已停止（{rule}，{at} UTC）："
                                            "各场封存资料，须重新组建评标委员会。").format(
                rule=view.stopped["rule"], at=_stamp(view.stopped["at"])), BAD_COLOUR)
        else:
            set_notice(self.stop_banner, "")
        if view.center is None:
            set_notice(self.center, tr("未配置交易中心地址：链路状态未知，中断须人工记录。"), WARN_COLOUR)
        elif view.center_error:
            set_notice(self.center, tr("交易中心 {center} 无应答：{error}").format(
                center=view.center, error=one_language(view.center_error)), BAD_COLOUR)
        else:
            set_notice(self.center, tr("链路状态来自交易中心 {center}。").format(center=view.center), OK_COLOUR)
        if now is not None:
            return  # a countdown tick: the rest is unchanged
        waiting = [v for v in view.venues if v.timer is not None and v.timer.outcome == "tenderer_decides"
                   and v.timer.decision is None]
        self._deciding = waiting[0].room if waiting and not view.stopped else None
        self.decision_box.setVisible(self._deciding is not None)
        names = {v.room: v.name for v in view.venues}
        fill(self.messages,
             [[_stamp(m["time"]), names.get(m["from"], m["from"]), names.get(m["to"], m["to"]), m["text"]]
              for m in reversed(view.messages)])
        remote = [(v.room, v.name) for v in view.venues if v.role == "remote"]
        if [self.to.itemData(i) for i in range(self.to.count())] != [r for r, _ in remote]:
            current = self.to.currentData()
            self.to.clear()
            for room, name in remote:
                self.to.addItem(tr("{venue}（{room}）").format(venue=name, room=room), room)
            index = self.to.findData(current)
            if index >= 0:
                self.to.setCurrentIndex(index)
        adding = self._stage in BEFORE_EVALUATION and not view.stopped
        for widget in (self.add_button, self.browse):
            widget.setEnabled(adding)
        self.send_button.setEnabled(bool(remote))
        self.setToolTip(tr("远程异地评标") if view.venues else "")
