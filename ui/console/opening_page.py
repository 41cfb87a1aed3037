"""Bid opening (开标): bids with submission times, late bids refused (R-OPEN-2), fewer than three →
opening refused (R-OPEN-3), the 唱标 list, objections answered on the spot, representatives' confirmations.

开标结束 asks first (stages never go back), naming the bidders whose representative has not confirmed the
opening record; once the opening has ended the console moves on to the check-in desk (``closed``). With encrypted
bids, until 唱标 the page shows the bids and the decryption box only (objections and confirmations come after)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.common import BAD_COLOUR, OK_COLOUR, WARN_COLOUR, big_button, fill, follow, notice, set_notice, table, title
from ui.console.decryption_box import DecryptionBox
from ui.i18n import tr
from ui.ops import DbOp
from ui.room_client import RoomClient
from ui.widgets.confirm import Confirmation, confirm

if TYPE_CHECKING:
    from app.services.room_view import RoomView

BIDS = [QT_TR_NOOP("序号"), QT_TR_NOOP("投标人"), QT_TR_NOOP("投标报价（元）"), QT_TR_NOOP("递交时间"),
        QT_TR_NOOP("状态"), QT_TR_NOOP("代表确认")]
OBJECTIONS = [QT_TR_NOOP("时间"), QT_TR_NOOP("投标人"), QT_TR_NOOP("异议"), QT_TR_NOOP("答复")]


def unconfirmed(view: RoomView) -> list[str]:
    """「id name」 of the bidders whose representative has yet to confirm the record (:meth:`RoomView.unconfirmed`)."""
    names = {b.id: b.name for b in view.case.bidders}
    return [f"{b} {names[b]}" for b in view.unconfirmed()]


def _excluded(view: RoomView) -> dict[str, str]:
    """Bidder → revoked | withdrawn of the bids excluded at the decryption (R-OPEN-10)."""
    if view.decryption is None:
        return {}
    out: dict[str, str] = {}
    for f in view.decryption.files:
        if f.state in ("failed", "excluded") and f.outcome:
            out.setdefault(f.bidder, f.outcome)
    return out


def _limit_passed(view: RoomView) -> bool:
    from datetime import UTC, datetime

    deadline = view.decryption.deadline if view.decryption is not None else None
    return deadline is not None and datetime.now(UTC) > datetime.fromisoformat(deadline)


class OpeningPage(QWidget):
    closed = Signal()  # the opening has ended: the console shows the check-in desk

    def __init__(self, client: RoomClient) -> None:
        super().__init__()
        self.client = client
        self._view: RoomView | None = None
        self.confirmation: Confirmation | None = None
        self.open_button = big_button("", primary=True)
        self.close_button = big_button("")
        self.status = notice()
        self.bids = table([""] * len(BIDS))
        self.objection_bidder = QComboBox()
        self.objection_text = QLineEdit()
        self.answer_text = QLineEdit()
        self.objection_button = big_button("")
        self.confirm_bidder = QComboBox()
        self.representative = QLineEdit()
        self.confirm_button = big_button("")
        self.objections = table([""] * len(OBJECTIONS))
        self.decryption = DecryptionBox(client, self)

        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        actions.addWidget(self.close_button)
        actions.addStretch()
        self.objection_box = objection_box = QGroupBox()
        form = QFormLayout(objection_box)
        self.objection_bidder_label, self.objection_label, self.answer_label = QLabel(), QLabel(), QLabel()
        form.addRow(self.objection_bidder_label, self.objection_bidder)
        form.addRow(self.objection_label, self.objection_text)
        form.addRow(self.answer_label, self.answer_text)
        form.addRow("", self.objection_button)
        self.confirm_box = confirm_box = QGroupBox()
        confirm_form = QFormLayout(confirm_box)
        self.confirm_bidder_label, self.representative_label = QLabel(), QLabel()
        confirm_form.addRow(self.confirm_bidder_label, self.confirm_bidder)
        confirm_form.addRow(self.representative_label, self.representative)
        confirm_form.addRow("", self.confirm_button)
        boxes = QHBoxLayout()
        boxes.addWidget(objection_box, 3)
        boxes.addWidget(confirm_box, 2)

        layout = QVBoxLayout(self)
        self.heading = title("")
        layout.addWidget(self.heading)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(self.bids, 3)
        layout.addWidget(self.decryption, 0)
        layout.addLayout(boxes)
        layout.addWidget(self.objections, 1)

        self.open_button.clicked.connect(lambda: DbOp(
            client, lambda room: room.open_bids(), parent=self).run_in_background())
        self.close_button.clicked.connect(self.close_opening)
        self.objection_button.clicked.connect(self._objection)
        self.confirm_button.clicked.connect(self._confirm)
        follow(self, client)
        self.retranslate()

    def retranslate(self) -> None:
        self.open_button.setText(self._open_label())
        self.close_button.setText(tr("开标结束，进入专家签到"))
        self.bids.setHorizontalHeaderLabels([tr(h) for h in BIDS])
        self.objections.setHorizontalHeaderLabels([tr(h) for h in OBJECTIONS])
        self.objection_text.setPlaceholderText(tr("异议内容"))
        self.answer_text.setPlaceholderText(tr("当场答复"))
        self.objection_button.setText(tr("记录异议及答复"))
        self.representative.setPlaceholderText(tr("投标人代表姓名"))
        self.confirm_button.setText(tr("代表确认开标记录"))
        self.objection_box.setTitle(tr("开标异议（当场提出、当场答复并记录，R-OPEN-6）"))
        self.objection_bidder_label.setText(tr("投标人"))
        self.objection_label.setText(tr("异议"))
        self.answer_label.setText(tr("答复"))
        self.confirm_box.setTitle(tr("投标人代表确认"))
        self.confirm_bidder_label.setText(tr("投标人"))
        self.representative_label.setText(tr("代表"))
        self.heading.setText(tr("开标"))
        if self.objection_bidder.count():
            self.objection_bidder.setItemText(0, tr("（全体/未指明）"))
        self.decryption.retranslate()

    def _open_label(self) -> str:
        """开标 · 唱标; with encrypted bids: first 开标（投标人解密）, then 唱标 once the decryption is done."""
        view = self._view if hasattr(self, "_view") else None
        if view is None or view.decryption is None or view.opening is not None:
            return tr("开标 · 唱标")
        if view.stage == "created":
            return tr("开标 · 投标人解密")
        return tr("唱标") if not view.decryption.pending_bidders() else tr("唱标（待解密）")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def close_opening(self) -> None:
        """开标结束: confirmed first, naming the representatives who have not confirmed the record."""
        view = self._view
        if view is None or not self.close_button.isEnabled():
            return
        missing = unconfirmed(view)
        if missing:
            lines = [tr("以下投标人的代表尚未确认开标记录：") + tr("、").join(missing), "",
                     tr("开标记录的“投标人代表确认”只列出已确认的代表。")]
        else:
            lines = [tr("全部投标人代表已确认开标记录。")]
        lines += ["", tr("开标结束后不能再记录开标异议和代表确认，评标室将进入专家签到。")]
        self.confirmation = confirm(self, tr("结束开标？"), "\n".join(lines), tr("结束开标，进入专家签到"), self._end,
                                    no=tr("返回开标"), warning=bool(missing))

    def _end(self) -> None:
        DbOp(self.client, lambda room: room.advance("checkin"), parent=self).success(
            lambda _v: self.closed.emit()).run_in_background()

    def _objection(self) -> None:
        bidder = self.objection_bidder.currentData()
        objection, answer = self.objection_text.text(), self.answer_text.text()

        def done(_value: object) -> None:
            self.objection_text.clear()
            self.answer_text.clear()

        DbOp(self.client, lambda room: room.record_objection(bidder, objection, answer), parent=self).success(
            done).run_in_background()

    def _confirm(self) -> None:
        bidder, name = self.confirm_bidder.currentData(), self.representative.text()
        DbOp(self.client, lambda room: room.confirm_opening(bidder, name), parent=self).success(
            lambda _v: self.representative.clear()).run_in_background()

    def show_view(self, view: RoomView) -> None:
        self._view = view
        case, opening = view.case, view.opening
        late = set(opening["late"]) if opening else set()
        confirmations = opening["confirmations"] if opening else {}
        excluded = _excluded(view)
        rows, colours = [], []
        for index, b in enumerate(case.bidders, 1):
            state = tr("迟交，拒收（R-OPEN-2）") if b.id in late else (tr("已唱标") if opening else tr("待开标"))
            if b.id in excluded:
                state = (tr("视为撤销（解密失败，R-OPEN-10）") if excluded[b.id] == "revoked"
                         else tr("视为撤回（解密失败，R-OPEN-10）"))
            price = f"{b.price:,.2f}" if opening and b.id not in late else ("—" if b.id in late else tr("（密封）"))
            if b.id in excluded:
                price = "—"
            rows.append([str(index), b.name, price,
                         b.submitted_at.strftime("%Y-%m-%d %H:%M:%S"), state,
                         confirmations.get(b.id, {}).get("representative", "")])
            colours.append(BAD_COLOUR if b.id in late or b.id in excluded else None)
        fill(self.bids, rows, colours)
        # any bidder may object; a representative confirms the reading of a bid read (not a late one, nor one
        # excluded at the decryption, R-OPEN-10)
        read = [b for b in case.bidders if b.id not in late and b.id not in excluded]
        for combo, bidders in ((self.objection_bidder, list(case.bidders)), (self.confirm_bidder, read)):
            head = [None] if combo is self.objection_bidder else []
            if [combo.itemData(i) for i in range(combo.count())] != head + [b.id for b in bidders]:
                chosen = combo.currentData()
                combo.clear()
                if head:
                    combo.addItem(tr("（全体/未指明）"), None)
                for b in bidders:
                    combo.addItem(f"{b.id} {b.name}", b.id)
                combo.setCurrentIndex(max(combo.findData(chosen), 0))
        names = {b.id: b.name for b in case.bidders}
        fill(self.objections, [[o["time"][11:19], names.get(o.get("bidder") or "", "—"), o["objection"], o["answer"]]
                               for o in (opening["objections"] if opening else [])])
        at_opening = view.stage in ("created", "opening")
        self.decryption.show_view(view.decryption, view.stage, read=opening is not None)
        # while the bidders decrypt, objections and confirmations cannot be recorded yet (they follow 唱标): their
        # boxes give the room to the bids' table and the decryption box (a room's 1366×768 screen)
        decrypting = view.decryption is not None and opening is None
        for part in (self.objection_box, self.confirm_box, self.objections):
            part.setVisible(not decrypting)
        self.open_button.setText(self._open_label())
        waiting = bool(view.decryption and view.stage == "opening" and view.decryption.pending_bidders()
                       and not _limit_passed(view))
        self.open_button.setEnabled(at_opening and opening is None and not waiting)
        self.close_button.setEnabled(view.stage == "opening" and bool(opening) and not opening["refused"])
        for widget in (self.objection_button, self.confirm_button):
            widget.setEnabled(view.stage == "opening" and opening is not None)
        if opening is None and view.decryption is not None and view.stage == "opening" and not waiting:
            set_notice(self.status, tr("解密已结束，请唱标（解密失败的投标不唱标、不参加评标）。"), OK_COLOUR)
        elif opening is None and view.decryption is not None and view.stage == "opening":
            set_notice(self.status, tr("开标进行中：投标人正在解密投标文件，解密完成（或时限届满）后唱标。"),
                       WARN_COLOUR)
        elif opening is None:
            set_notice(self.status, tr("投标截止时间 {deadline}，截止后开标。").format(
                deadline=case.deadline.strftime("%Y-%m-%d %H:%M")))
        elif opening["refused"]:
            set_notice(self.status,
                       tr("截止时递交投标文件的投标人仅 {n} 家，不足 3 家，不得开标，"
                          "应依法重新招标（R-OPEN-3）。").format(n=opening["on_time"]),
                       BAD_COLOUR)
        else:
            refused = tr("；迟交 {n} 家已拒收（R-OPEN-2）").format(n=len(late)) if late else ""
            if excluded:
                refused += tr("；解密失败 {n} 家不参加评标（R-OPEN-10）").format(n=len(excluded))
            set_notice(self.status, tr("有效递交 {n} 家，已唱标{refused}。").format(
                n=opening["on_time"], refused=refused), OK_COLOUR)
