"""Committee formation (组建评标委员会): the composition check with the rule shown, the chair election
(a purchaser representative cannot chair in procurement, R-COM-7), withdrawals and their replacement from
the drawn reserves (R-SUS-1/2): the reserve is then checked in at the desk, which stays open for him, and
the evaluation starts once every member has checked in, signed the letter and declared."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.common import BAD_COLOUR, OK_COLOUR, WARN_COLOUR, big_button, fill, follow, notice, set_notice, table, title
from ui.console.checkin_page import ROLE_NAMES
from ui.errors import describe
from ui.i18n import one_language, tr
from ui.ops import DbOp
from ui.room_client import RoomClient

if TYPE_CHECKING:
    from app.services.room_view import RoomView


MEMBERS = (QT_TR_NOOP("编号"), QT_TR_NOOP("姓名"), QT_TR_NOOP("身份"), QT_TR_NOOP("状态"), QT_TR_NOOP("职务"))


class CommitteePage(QWidget):
    def __init__(self, client: RoomClient) -> None:
        super().__init__()
        self.client = client
        self.members = table([""] * len(MEMBERS))
        self.check = notice()
        self.candidate = QComboBox()
        self.elect_button = big_button("")
        self.message = notice()
        self.next_button = big_button("", primary=True)
        self.withdrawn = QComboBox()
        self.reserve = QComboBox()
        self.replace_button = big_button("")
        self.desk_button = big_button("")
        self.desk_button.setVisible(False)
        self.seats = notice()
        row = QHBoxLayout()
        self.chair_label, self.withdrawn_label, self.reserve_label = QLabel(), QLabel(), QLabel()
        row.addWidget(self.chair_label)
        row.addWidget(self.candidate, 1)
        row.addWidget(self.elect_button)
        layout = QVBoxLayout(self)
        self.heading = title("")
        layout.addWidget(self.heading)
        layout.addWidget(self.members, 1)
        layout.addWidget(self.check)
        layout.addLayout(row)
        replace_row = QHBoxLayout()
        replace_row.addWidget(self.withdrawn_label)
        replace_row.addWidget(self.withdrawn, 1)
        replace_row.addWidget(self.reserve_label)
        replace_row.addWidget(self.reserve, 1)
        replace_row.addWidget(self.replace_button)
        layout.addLayout(replace_row)
        seats_row = QHBoxLayout()
        seats_row.addWidget(self.seats, 1)
        seats_row.addWidget(self.desk_button)
        layout.addLayout(seats_row)
        layout.addWidget(self.message)
        layout.addWidget(self.next_button)
        self.elect_button.clicked.connect(self.elect)
        self.replace_button.clicked.connect(self.replace)
        self.desk_button.clicked.connect(self.to_desk)
        self.next_button.clicked.connect(lambda: DbOp(
            client, lambda room: room.advance("preliminary"), parent=self).run_in_background())
        follow(self, client)
        self.retranslate()

    def retranslate(self) -> None:
        self.members.setHorizontalHeaderLabels([tr(h) for h in MEMBERS])
        self.elect_button.setText(tr("确定组长"))
        self.next_button.setText(tr("开始初步评审"))
        self.replace_button.setText(tr("从候补专家中补充"))
        self.desk_button.setText(tr("前往签到台办理签到"))
        self.chair_label.setText(tr("推选组长："))
        self.withdrawn_label.setText(tr("回避成员："))
        self.reserve_label.setText(tr("候补专家："))
        self.heading.setText(tr("组建评标委员会"))
        set_notice(self.message, "")  # the last action's outcome, said in the language it was done in
        view = self.client.view
        if view is not None:  # the candidates' roles in the new language, the one chosen kept
            members = {m.id: m for m in view.members}
            for index in range(self.candidate.count()):
                m = members.get(self.candidate.itemData(index))
                if m is not None:
                    role = tr(ROLE_NAMES[m.role]) if m.role in ROLE_NAMES else m.role
                    self.candidate.setItemText(index, tr("{member}（{role}）").format(member=f"{m.id} {m.name}",
                                                                                      role=role))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def elect(self) -> None:
        member = self.candidate.currentData()
        if member is None:
            return
        done = tr("已确定 {member} 为评标委员会组长。").format(member=member)
        DbOp(self.client, lambda room: room.elect_chair(member), parent=self).success(
            lambda _v: set_notice(self.message, done, OK_COLOUR)).failure(
            lambda exc: set_notice(self.message, describe(exc), BAD_COLOUR)).run_in_background()

    def replace(self) -> None:
        withdrawn, reserve = self.withdrawn.currentData(), self.reserve.currentData()
        if withdrawn is None or reserve is None:
            return
        done = tr("已由候补专家 {reserve} 补充 {withdrawn} 的席位，请在签到台为其办理签到。").format(
            reserve=reserve, withdrawn=withdrawn)
        DbOp(self.client, lambda room: room.replace_member(withdrawn, reserve), parent=self).success(
            lambda _v: set_notice(self.message, done, OK_COLOUR)).failure(
            lambda exc: set_notice(self.message, describe(exc), BAD_COLOUR)).run_in_background()

    def to_desk(self) -> None:
        """Show the console's check-in desk (the page next to this one in the console's list)."""
        area = self.parent()
        while area is not None and not hasattr(area, "show_page"):
            area = area.parent()
        if area is not None:
            from ui.main_window import PAGE_INDEX

            area.show_page(PAGE_INDEX["CheckinPage"])

    def show_view(self, view: RoomView) -> None:
        def status(m) -> str:  # type: ignore[no-untyped-def]
            if m.recused:
                seat = view.replacements.get(m.id)
                return tr("已回避") + f" → {seat['id']}" if seat else tr("已回避")  # the reserve in the seat
            return tr("已签到") if m.checked_in else tr("未签到")

        def role(m) -> str:  # type: ignore[no-untyped-def]
            return tr(ROLE_NAMES[m.role]) if m.role in ROLE_NAMES else m.role

        fill(self.members, [[m.id, m.name, role(m), status(m), tr("组长") if m.chair else ""]
                            for m in view.members], [BAD_COLOUR if m.recused else None for m in view.members])
        present = [m for m in view.members if m.checked_in and not m.recused]
        if [self.candidate.itemData(i) for i in range(self.candidate.count())] != [m.id for m in present]:
            self.candidate.clear()
            for m in present:
                self.candidate.addItem(tr("{member}（{role}）").format(member=f"{m.id} {m.name}", role=role(m)), m.id)
        problems = [tr("{rule}：{message}").format(rule=r.rule, message=one_language(r.message))
                    for r in view.composition]
        waiting = [tr("{rule}：{message}").format(rule=r.rule, message=one_language(r.message))
                   for r in view.readiness]  # who cannot evaluate yet
        if problems or waiting:
            text = (tr("组成检查未通过：") + "\n" + "\n".join(problems)) if problems else ""
            if waiting:
                text += ("\n" if text else "") + tr("尚未完成签到、承诺书或回避声明：") + "\n" + "\n".join(waiting)
            set_notice(self.check, text, BAD_COLOUR)
        else:
            set_notice(self.check, tr("组成检查通过：{n} 人，其中专家 {experts} 人；组长 {chair}。").format(
                n=len(present), experts=sum(m.role == "expert" for m in present), chair=view.chair), OK_COLOUR)
        open_seats = [m for m in view.members if m.recused and m.id not in view.replacements]
        if [self.withdrawn.itemData(i) for i in range(self.withdrawn.count())] != [m.id for m in open_seats]:
            self.withdrawn.clear()
            for m in open_seats:
                self.withdrawn.addItem(f"{m.id} {m.name}", m.id)
        if [self.reserve.itemData(i) for i in range(self.reserve.count())] != [r["id"] for r in view.reserves]:
            self.reserve.clear()
            for r in view.reserves:
                self.reserve.addItem(f"{r['id']} {r['name']}", r["id"])
        seating = view.stage in ("checkin", "committee")
        self.replace_button.setEnabled(seating and bool(open_seats) and bool(view.reserves))
        unchecked = [m for m in view.members if not m.recused and not m.checked_in and
                     any(seat["id"] == m.id for seat in view.replacements.values())]
        self.desk_button.setVisible(seating and bool(unchecked))
        if seating and unchecked:
            set_notice(self.seats, tr("候补专家待签到：") + tr("、").join(f"{m.id} {m.name}" for m in unchecked),
                       WARN_COLOUR)
        elif seating and open_seats and not view.reserves:
            set_notice(self.seats, tr("回避成员的席位已无候补专家可补充：不能补足时，应停止评标、"
                                      "封存资料并重新组建评标委员会（R-SUS-2）。"), BAD_COLOUR)
        else:
            set_notice(self.seats, "")
        at_committee = view.stage == "committee"
        self.elect_button.setEnabled(at_committee)
        self.next_button.setEnabled(at_committee and not problems and not waiting)
