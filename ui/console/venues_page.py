"""Remote evaluation (远程异地评标) at the main venue's console: each venue with its experts, check-in progress,
camera and link status, the R-SUS-6/7 countdown with the rule's text while a link is down, a venue to add,
and text messages between venues with their log (every message is a ledger event)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.common import BAD_COLOUR, OK_COLOUR, WARN_COLOUR, big_button, fill, follow, notice, set_notice, table, title
from ui.errors import bilingual, describe
from ui.i18n import tr
from ui.ops import NETWORK, DbOp, PoolOp
from ui.room_client import RoomClient

if TYPE_CHECKING:
    from app.services.room_view import RoomView
    from app.services.venues import Timer, VenueDesk, VenuesView

POLL_MS = 3000  # ask the center every 3 s; the countdown itself moves every second
OUTCOMES = {"waiting": "计时中", "resume": "已在时限内恢复", "tenderer_decides": "超时：由招标人决定",
            "stop_new_committee": "超时：停止评标，重新组建评标委员会"}
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
        self.venues = table(["场地", "类型", "就座专家", "签到进度", "摄像头", "链路", "中断计时"])
        self.venues.setWordWrap(True)
        self.venues.setMinimumHeight(130)
        self.venues.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.venues.horizontalHeader().setStretchLastSection(False)
        self.rule = notice()
        self.decider = QLineEdit()
        self.decider.setPlaceholderText("作出决定的招标人（采购人）代表")
        self.decision_reason = QLineEdit()
        self.decision_reason.setPlaceholderText("决定理由")
        self.evaluate_button = big_button("继续组织评标")
        self.postpone_button = big_button("推迟评标：封存资料，重新组建评标委员会")
        self.decision_box = QGroupBox("招标人决定（R-SUS-6：计划开始后超过时限仍未排除故障）")
        decision_row = QHBoxLayout(self.decision_box)
        decision_row.addWidget(self.decider, 2)
        decision_row.addWidget(self.decision_reason, 2)
        decision_row.addWidget(self.evaluate_button)
        decision_row.addWidget(self.postpone_button)
        self.decision_box.setVisible(False)
        self._deciding: str | None = None  # the venue whose R-SUS-6 failure awaits the tenderer

        self.venue_room = QLineEdit()
        self.venue_room.setPlaceholderText("副场编号，如 county-1")
        self.venue_name = QLineEdit()
        self.venue_name.setPlaceholderText("如 县公共资源交易中心副场")
        self.venue_key = QLineEdit()
        self.venue_key.setPlaceholderText("副场公钥 room.pub.pem")
        self.browse = QPushButton("选择…")
        self.venue_members = QLineEdit()
        self.venue_members.setPlaceholderText("就座专家编号，逗号分隔（可不填）")
        self.add_button = big_button("添加副场")
        add_box = QGroupBox("添加副场（评标开始前）")
        key_row = QHBoxLayout()
        key_row.addWidget(self.venue_key, 1)
        key_row.addWidget(self.browse)
        add_form = QFormLayout(add_box)
        add_form.addRow("编号", self.venue_room)
        add_form.addRow("场地名称", self.venue_name)
        add_form.addRow("公钥", key_row)
        add_form.addRow("专家", self.venue_members)
        add_form.addRow("", self.add_button)

        self.to = QComboBox()
        self.to.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.text = QLineEdit()
        self.text.setPlaceholderText("发往该场地的文字消息")
        self.send_button = big_button("发送", primary=True)
        self.messages = table(["时间（UTC）", "发自", "发往", "内容"])
        message_box = QGroupBox("场地间消息（记入账本）")
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
        layout.addWidget(title("远程异地评标"))
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
            set_notice(self.message, bilingual(exc), BAD_COLOUR)

        def run(room: Any) -> None:
            desk = self.watcher.desk_of(room)
            if desk is None:
                raise ValueError("尚未导入会话包 / no session has been started")
            action(desk)

        DbOp(self.client, run, parent=self).success(done).failure(failed).run_in_background()

    def _add(self) -> None:
        room, name, key = self.venue_room.text(), self.venue_name.text(), self.venue_key.text().strip()
        members = [m.strip() for m in self.venue_members.text().replace("，", ",").split(",") if m.strip()]
        if not key:
            set_notice(self.message, "请选择副场主控台公钥文件 / choose the venue console's public key file",
                       BAD_COLOUR)
            return
        self._act(lambda desk: desk.add(room, name, key, members),
                  f"已添加副场 {room.strip()} / remote venue {room.strip()} added")

    def _send(self) -> None:
        to, text = self.to.currentData(), self.text.text()
        if to is None:
            set_notice(self.message, "尚无副场，无法发送消息 / no remote venue to write to", BAD_COLOUR)
            return

        def sent(desk: VenueDesk) -> None:
            desk.send(to, text)

        self._act(sent, f"消息已发往 {to} / message sent to {to}")
        self.text.clear()

    def _decide(self, decision: str) -> None:
        venue, by, reason = self._deciding, self.decider.text(), self.decision_reason.text()
        if venue is None:
            return
        self._act(lambda desk: desk.decide(venue, decision, by, reason),
                  "已记录招标人的决定（R-SUS-6） / the tenderer's decision is recorded (R-SUS-6)")

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择副场主控台公钥", "", "PEM (*.pem);;*")
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
            return f"{timer.rule} {tr('剩余')} {_clock(left)}", WARN_COLOUR
        colour = OK_COLOUR if timer.outcome == "resume" else BAD_COLOUR
        state = "已恢复" if timer.end is not None else "未恢复"
        return f"{timer.rule} {OUTCOMES.get(timer.outcome, timer.outcome)}（{state}）", colour

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
                link = "未知（未配置交易中心）" if view.center is None else "未知（交易中心无应答）"
            else:
                link = "正常" if v.link_up else "中断"
            countdown, colour = self._countdown(v.timer, elapsed)
            rows.append([f"{v.name}（{v.room}）", "主场" if v.role == "main" else "副场", experts,
                         f"{tr('签到')} {sum(1 for e in v.experts if e.checked_in)}/{len(v.experts)}\n"
                         f"{tr('承诺书与回避')} {done}/{len(v.experts)}",
                         v.camera, link, countdown])
            colours.append(BAD_COLOUR if v.link_up is False or colour == BAD_COLOUR else None)
            if v.timer is not None and v.timer.end is None:
                left = max(v.timer.remaining - elapsed, timedelta(0))
                status = f"剩余 {_clock(left)}" if v.timer.outcome == "waiting" else "已超过时限"
                rules.append(f"{v.name}（{v.room}）链路中断，自 {v.timer.start.strftime('%H:%M:%S')} UTC 起计时，"
                             f"时限 {v.timer.deadline.strftime('%Y-%m-%d %H:%M:%S')} UTC，{status}。"
                             f"\n{v.timer.message}")
        fill(self.venues, rows, colours)
        self.venues.resizeRowsToContents()
        if not view.venues:
            set_notice(self.rule, "本会话尚未添加副场。添加副场后，各场专家、签到、摄像头和链路状态在此显示。")
        elif rules:
            set_notice(self.rule, "\n".join(rules), BAD_COLOUR)
        else:
            before, during = view.limits
            set_notice(self.rule,
                       f"各场链路正常。副场中断时按 R-SUS-6"
                       f"（评标开始前，计划开始后 {before.total_seconds() / 3600:g} 小时）"
                       f"或 R-SUS-7（评标中，{during.total_seconds() / 3600:g} 小时）计时。", OK_COLOUR)
        if view.stopped:
            set_notice(self.stop_banner, f"评标已停止（{view.stopped['rule']}，{_stamp(view.stopped['at'])} UTC）："
                                         f"各场封存资料，须重新组建评标委员会。", BAD_COLOUR)
        else:
            set_notice(self.stop_banner, "")
        if view.center is None:
            set_notice(self.center, "未配置交易中心地址：链路状态未知，中断须人工记录。", WARN_COLOUR)
        elif view.center_error:
            set_notice(self.center, f"交易中心 {view.center} 无应答：{view.center_error}", BAD_COLOUR)
        else:
            set_notice(self.center, f"链路状态来自交易中心 {view.center}。", OK_COLOUR)
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
                self.to.addItem(f"{name}（{room}）", room)
            index = self.to.findData(current)
            if index >= 0:
                self.to.setCurrentIndex(index)
        adding = self._stage in BEFORE_EVALUATION and not view.stopped
        for widget in (self.add_button, self.browse):
            widget.setEnabled(adding)
        self.send_button.setEnabled(bool(remote))
        self.setToolTip(tr("远程异地评标") if view.venues else "")
