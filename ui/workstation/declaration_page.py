"""Conflict-of-interest declaration (回避声明), made after the bidder list is shown (R-COI-1/2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QLineEdit, QRadioButton, QVBoxLayout, QWidget

from ui.common import BAD_COLOUR, OK_COLOUR, big_button, fill, follow, notice, set_notice, table, title
from ui.room_client import RoomClient, describe

if TYPE_CHECKING:
    from app.services.room_view import RoomView

GROUNDS = {
    "near_relative": "与投标人或其主要负责人为近亲属", "employment": "近三年内与投标人存在劳动关系",
    "director": "近三年内担任投标人的董事、监事", "shareholder": "近三年内是投标人的控股股东或实际控制人",
    "supervising_staff": "项目主管部门或行政监督部门人员", "interest": "与投标人有其他经济利益关系",
    "sanctioned": "曾因违法行为受过行政处罚或刑事处罚", "other": "其他可能影响公正评审的情形",
}


class DeclarationPage(QWidget):
    def __init__(self, client: RoomClient, member: str) -> None:
        super().__init__()
        self.client, self.member = client, member
        self.bidders = table(["序号", "投标人名称"])
        self.no_conflict = QRadioButton("本人与上述投标人均无利害关系，不需回避")
        self.conflict = QRadioButton("本人存在以下情形，申请回避")
        self.no_conflict.setChecked(True)
        self.grounds = {key: QCheckBox(text) for key, text in GROUNDS.items()}
        self.statement = QLineEdit()
        self.statement.setPlaceholderText("说明（申请回避时必填，例如“两年前曾任投标人B2董事”）")
        self.statement.setMaxLength(200)
        self.button = big_button("提交回避声明", primary=True)
        self.message = notice()
        box = QGroupBox("回避情形")
        grid = QGridLayout(box)
        for index, check in enumerate(self.grounds.values()):
            grid.addWidget(check, index // 2, index % 2)
        layout = QVBoxLayout(self)
        layout.addWidget(title("回避声明"))
        layout.addWidget(self.bidders, 1)
        layout.addWidget(self.no_conflict)
        layout.addWidget(self.conflict)
        layout.addWidget(box)
        layout.addWidget(self.statement)
        layout.addWidget(self.button)
        layout.addWidget(self.message)
        self.button.clicked.connect(self.submit)
        follow(self, client)

    def submit(self) -> None:
        conflict = self.conflict.isChecked()
        grounds = [key for key, check in self.grounds.items() if check.isChecked()] if conflict else []
        statement = self.statement.text().strip()
        if conflict and (not grounds or not statement):
            set_notice(self.message, "申请回避时，请勾选回避情形并填写说明。", BAD_COLOUR)
            return
        member = self.member
        self.client.call(lambda room: room.workstation(member).declare(conflict, grounds, statement), None,
                         lambda exc: set_notice(self.message, describe(exc), BAD_COLOUR), self)

    def show_view(self, view: RoomView) -> None:
        late = set(view.opening["late"]) if view.opening else set()
        fill(self.bidders, [[str(i), b.name] for i, b in enumerate((b for b in view.case.bidders if b.id not in late), 1)])
        me = view.member(self.member)
        done = me.declared
        for widget in (self.button, self.no_conflict, self.conflict, self.statement, *self.grounds.values()):
            widget.setEnabled(not done and me.letter)
        if me.conflict:
            set_notice(self.message, "您已申请回避，不再参加本项目评审。请告知现场工作人员。", BAD_COLOUR)
        elif done:
            set_notice(self.message, "回避声明已提交：不需回避。", OK_COLOUR)
        elif not me.letter:
            set_notice(self.message, "请先签署承诺书。")
        else:
            set_notice(self.message, "")
