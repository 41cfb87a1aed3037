"""Check-in desk (签到): identity against the drawn list, a camera photo with exactly one face, and a
one-time workstation login code; progress of letters and declarations per member. Until a photo is
taken the picture shows the recorder camera's live preview, so the desk can see the expert framed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.room import Photo
    from app.services.room_view import RoomView
from ui.common import BAD_COLOUR, OK_COLOUR, big_button, fill, follow, notice, set_notice, table, title, yes
from ui.room_client import RoomClient, describe
from ui.widgets.camera_preview import MonitorUpdate, monitor_for

ROLE_NAMES = {"expert": "评审专家", "owner_rep": "采购人/招标人代表"}


class CheckinPage(QWidget):
    def __init__(self, client: RoomClient) -> None:
        super().__init__()
        self.client = client
        self.photo: Photo | None = None
        self.codes: dict[str, str] = {}
        self.members = table(["编号", "姓名", "身份", "身份核验", "签到", "承诺书", "回避声明"])
        self.member = QComboBox()
        self.preview = QLabel("（摄像头画面）")
        self.preview.setFixedSize(320, 240)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("background: #222; color: #ccc;")
        self.photo_button = big_button("拍照")
        self.verify_button = big_button("核验身份并发放登录码", primary=True)
        self.verify_button.setEnabled(False)
        self.photo_status = notice()
        self.code = QLabel()
        self.code.setStyleSheet("font-size: 34px; font-weight: bold; letter-spacing: 6px; color: #1f5fa8;")
        self.message = notice()
        self.next_button = big_button("签到结束，组建评标委员会")

        desk = QGridLayout()
        desk.addWidget(QLabel("专家"), 0, 0)
        desk.addWidget(self.member, 0, 1)
        desk.addWidget(self.preview, 1, 0, 1, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.photo_button)
        buttons.addWidget(self.verify_button)
        desk.addLayout(buttons, 2, 0, 1, 2)
        desk.addWidget(self.photo_status, 3, 0, 1, 2)
        desk.addWidget(QLabel("工作站一次性登录码："), 4, 0)
        desk.addWidget(self.code, 4, 1)
        top = QHBoxLayout()
        top.addLayout(desk)
        top.addWidget(self.members, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title("专家签到"))
        layout.addLayout(top, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.next_button)

        self.photo_button.clicked.connect(self.take_photo)
        self.verify_button.clicked.connect(self.verify)
        self.next_button.clicked.connect(lambda: client.call(lambda room: room.advance("committee"), parent=self))
        self.member.currentIndexChanged.connect(lambda _i: self._show_code())
        monitor_for(client).updated.connect(self._live)
        follow(self, client)

    def _live(self, update: MonitorUpdate) -> None:
        """The recorder's live picture while no photo is held (the photo stays until it is used)."""
        if self.photo is not None or not self.isVisible() or not update.images:
            return
        image = next(iter(update.images.values()))
        self.preview.setPixmap(QPixmap.fromImage(image).scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                               Qt.TransformationMode.SmoothTransformation))

    def take_photo(self) -> None:
        def shown(photo: Photo) -> None:
            self.photo = photo
            pixmap = QPixmap()
            pixmap.loadFromData(photo.jpeg, "JPG")
            self.preview.setPixmap(pixmap.scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation))
            set_notice(self.photo_status, photo.message, OK_COLOUR if photo.ok else BAD_COLOUR)
            self.verify_button.setEnabled(photo.ok)

        self.client.call(lambda room: room.take_photo(), shown, parent=self)

    def verify(self) -> None:
        member, photo = self.member.currentData(), self.photo
        if member is None or photo is None:
            return

        def issued(code: str) -> None:
            self.codes[member] = code
            self.photo = None
            self.verify_button.setEnabled(False)
            self._show_code()
            set_notice(self.message, f"{member} 身份核验通过，请在专家工作站输入登录码。", OK_COLOUR)

        def failed(exc: BaseException) -> None:
            set_notice(self.message, describe(exc), BAD_COLOUR)

        self.client.call(lambda room: room.check_identity(member, photo.jpeg), issued, failed, self)

    def _show_code(self) -> None:
        self.code.setText(self.codes.get(self.member.currentData() or "", ""))

    def show_view(self, view: RoomView) -> None:
        fill(self.members, [[m.id, m.name, ROLE_NAMES.get(m.role, m.role), yes(m.identity), yes(m.checked_in),
                             yes(m.letter), "申请回避" if m.conflict else yes(m.declared)] for m in view.members],
             [BAD_COLOUR if m.recused else None for m in view.members])
        waiting = [m for m in view.members if not m.checked_in and not m.recused]
        current = self.member.currentData()
        if [self.member.itemData(i) for i in range(self.member.count())] != [m.id for m in waiting]:
            self.member.clear()
            for m in waiting:
                self.member.addItem(f"{m.id} {m.name}", m.id)
            index = self.member.findData(current)
            if index >= 0:
                self.member.setCurrentIndex(index)
        at_desk = view.stage == "checkin"
        self.photo_button.setEnabled(at_desk and bool(waiting))
        ready = [m for m in view.active_members if m.checked_in and m.letter and m.declared]
        self.next_button.setEnabled(at_desk and len(ready) == len(view.active_members))
        if at_desk:
            set_notice(self.message, f"已完成签到、承诺书和回避声明：{len(ready)}/{len(view.active_members)} 人。")
