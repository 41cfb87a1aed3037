"""Committee formation (组建评标委员会): the composition check with the rule shown, the chair election
(a purchaser representative cannot chair in procurement, R-COM-7), withdrawals and their replacement from
the drawn reserves (R-SUS-1/2): the reserve is then checked in at the desk, which stays open for him, and
the evaluation starts once every member has checked in, signed the letter and declared."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.common import BAD_COLOUR, OK_COLOUR, WARN_COLOUR, big_button, fill, follow, notice, set_notice, table, title
from ui.console.checkin_page import ROLE_NAMES
from ui.errors import describe
from ui.i18n import tr
from ui.ops import DbOp
from ui.room_client import RoomClient

if TYPE_CHECKING:
    from app.services.room_view import RoomView


class CommitteePage(QWidget):
    def __init__(self, client: RoomClient) -> None:
        super().__init__()
        self.client = client
        self.members = table(["编号", "姓名", "身份", "状态", "职务"])
        self.check = notice()
        self.candidate = QComboBox()
        self.elect_button = big_button("确定组长")
        self.message = notice()
        self.next_button = big_button("开始初步评审", primary=True)
        self.withdrawn = QComboBox()
        self.reserve = QComboBox()
        self.replace_button = big_button("从候补专家中补充")
        self.desk_button = big_button("前往签到台办理签到")
        self.desk_button.setVisible(False)
        self.seats = notice()
        row = QHBoxLayout()
        row.addWidget(QLabel("推选组长："))
        row.addWidget(self.candidate, 1)
        row.addWidget(self.elect_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title("组建评标委员会"))
        layout.addWidget(self.members, 1)
        layout.addWidget(self.check)
        layout.addLayout(row)
        replace_row = QHBoxLayout()
        replace_row.addWidget(QLabel("回避成员："))
        replace_row.addWidget(self.withdrawn, 1)
        replace_row.addWidget(QLabel("候补专家："))
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

    def elect(self) -> None:
        member = self.candidate.currentData()
        if member is None:
            return
        DbOp(self.client, lambda room: room.elect_chair(member), parent=self).success(
            lambda _v: set_notice(self.message, f"已确定 {member} 为评标委员会组长。", OK_COLOUR)).failure(
            lambda exc: set_notice(self.message, describe(exc), BAD_COLOUR)).run_in_background()

    def replace(self) -> None:
        withdrawn, reserve = self.withdrawn.currentData(), self.reserve.currentData()
        if withdrawn is None or reserve is None:
            return
        DbOp(self.client, lambda room: room.replace_member(withdrawn, reserve), parent=self).success(
            lambda _v: set_notice(self.message, f"已由候补专家 {reserve} 补充 {withdrawn} 的席位，"
                                  "请在签到台为其办理签到。", OK_COLOUR)).failure(
            lambda exc: set_notice(self.message, describe(exc), BAD_COLOUR)).run_in_background()

    def to_desk(self) -> None:
        """Show the console's check-in desk (the page next to this one in the console's list)."""
        area = self.parent()
        while area is not None and not hasattr(area, "show_page"):
            area = area.parent()
        if area is not None:
            from ui.main_window import CONSOLE_PAGES

            area.show_page(CONSOLE_PAGES.index("专家签到"))

    def show_view(self, view: RoomView) -> None:
        def status(m) -> str:  # type: ignore[no-untyped-def]
            if m.recused:
                seat = view.replacements.get(m.id)
                return f"{tr('已回避')} → {seat['id']}" if seat else "已回避"  # the reserve in the seat
            return "已签到" if m.checked_in else "未签到"

        fill(self.members, [[m.id, m.name, ROLE_NAMES.get(m.role, m.role), status(m), "组长" if m.chair else ""]
                            for m in view.members], [BAD_COLOUR if m.recused else None for m in view.members])
        present = [m for m in view.members if m.checked_in and not m.recused]
        if [self.candidate.itemData(i) for i in range(self.candidate.count())] != [m.id for m in present]:
            self.candidate.clear()
            for m in present:
                self.candidate.addItem(f"{m.id} {m.name}（{ROLE_NAMES.get(m.role, m.role)}）", m.id)
        problems = [f"{r.rule}：{r.message.split(' / ')[0]}" for r in view.composition]
        waiting = [f"{r.rule}：{r.message.split(' / ')[0]}" for r in view.readiness]  # who cannot evaluate yet
        if problems or waiting:
            text = (tr("组成检查未通过：") + "\n" + "\n".join(problems)) if problems else ""
            if waiting:
                text += ("\n" if text else "") + tr("尚未完成签到、承诺书或回避声明：") + "\n" + "\n".join(waiting)
            set_notice(self.check, text, BAD_COLOUR)
        else:
            set_notice(self.check,
                       f"组成检查通过：{len(present)} 人，其中专家 {sum(m.role == 'expert' for m in present)} 人；"
                       f"组长 {view.chair}。", OK_COLOUR)
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
            set_notice(self.seats, tr("候补专家待签到：") + "、".join(f"{m.id} {m.name}" for m in unchecked),
                       WARN_COLOUR)
        elif seating and open_seats and not view.reserves:
            set_notice(self.seats,
                       "回避成员的席位已无候补专家可补充：不能补足时，应停止评标、"
                       "封存资料并重新组建评标委员会（R-SUS-2）。",
                       BAD_COLOUR)
        else:
            set_notice(self.seats, "")
        at_committee = view.stage == "committee"
        self.elect_button.setEnabled(at_committee)
        self.next_button.setEnabled(at_committee and not problems and not waiting)
