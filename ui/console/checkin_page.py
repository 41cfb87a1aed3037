"""Check-in desk (签到): identity against the drawn list, a camera photo with exactly one face, and a
one-time workstation login code; progress of letters and declarations per member. Until a photo is
taken the picture shows the recorder camera's live preview, so the desk can see the expert framed.

After the check-in stage the desk stays open for a reserve seated in a withdrawn member's place
(R-SUS-1/2), and closing check-in with a committee that breaks a composition rule asks first, naming the
rule and the count.

A member already checked in whose workstation login is lost (the console or the workstation restarted, another
PC) gets a new one-time code at 重新发放登录码: the code issued before stops working, and the new login binds a
new session key that replaces the old one (a check-in event naming the key it replaces)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QEvent, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from app.services.room import Photo
    from app.services.room_view import RoomView
from ui.common import (
    BAD_COLOUR,
    OK_COLOUR,
    WARN_COLOUR,
    big_button,
    fill,
    follow,
    notice,
    set_notice,
    table,
    title,
    yes,
)
from ui.errors import describe
from ui.i18n import one_language, tr
from ui.ops import DbOp
from ui.room_client import RoomClient
from ui.widgets.camera_preview import MonitorUpdate, monitor_for
from ui.widgets.confirm import Confirmation, confirm

ROLE_NAMES = {"expert": QT_TR_NOOP("评审专家"), "owner_rep": QT_TR_NOOP("采购人/招标人代表")}
HEADERS = (QT_TR_NOOP("编号"), QT_TR_NOOP("姓名"), QT_TR_NOOP("身份"), QT_TR_NOOP("身份核验"), QT_TR_NOOP("签到"),
           QT_TR_NOOP("承诺书"), QT_TR_NOOP("回避声明"))


def certificate_name(subject: str) -> str:
    """The certificate bound at check-in as the desk reads it: its common name (else the whole subject)."""
    common = next((part[3:] for part in subject.split(",") if part.startswith("CN=")), None)
    return common or subject


def face_text(faces: int) -> str:
    """What the face check found in a check-in photo (it is usable with exactly one face)."""
    if faces == 1:
        return tr("已检测到一张人脸，照片可用。")
    if faces == 0:
        return tr("未检测到人脸，请正对摄像头重新拍照。")
    return tr("检测到{n}张人脸，请确保画面中只有签到专家本人。").format(n=faces)


def hub_note_text(info: dict | None) -> str:  # type: ignore[type-arg]
    """Beside a check-in desk's code (the main console's, a remote venue's): where the PCs reach the hub
    (``hub_info()``) and the room CA's fingerprint they compare; None: the hub is starting."""
    if not info:
        return tr("评标室服务器正在启动…")
    urls = info.get("lan_urls") or [info.get("url")]
    return "\n".join([tr("在专家评审终端输入此码"),
                      tr("评标室服务器：") + "  ".join(str(u) for u in urls if u),
                      tr("评标室根证书指纹：") + str(info.get("fingerprint") or "—")])


class CheckinPage(QWidget):
    def __init__(self, client: RoomClient) -> None:
        super().__init__()
        self.client = client
        self.photo: Photo | None = None
        self.codes: dict[str, str] = {}
        self.members = table(HEADERS)
        self.member = QComboBox()
        self.preview = QLabel()
        self.preview.setFixedSize(320, 240)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("background: #222; color: #ccc;")
        self.photo_button = big_button("")
        self.verify_button = big_button("", primary=True)
        self.verify_button.setEnabled(False)
        self.photo_status = notice()
        self.code = QLabel()
        self.code.setStyleSheet("font-size: 34px; font-weight: bold; letter-spacing: 6px; color: #1f5fa8;")
        self.message = notice()
        self.next_button = big_button("")
        self.reissue_member = QComboBox()
        self.reissue_button = big_button("")
        self.reissue_code = QLabel()
        self.reissue_code.setStyleSheet("font-size: 26px; font-weight: bold; letter-spacing: 4px; color: #1f5fa8;")
        # the supervisor's own PC pairs with the room hub too (its key made there, 细则 §43)
        self.supervisor_codes: dict[str, str] = {}
        self.supervisor_name = QLineEdit()
        self.supervisor_button = big_button("")
        self.supervisor_code = QLabel()
        self.supervisor_code.setStyleSheet(self.reissue_code.styleSheet())

        desk = QGridLayout()
        self.member_label = QLabel()
        desk.addWidget(self.member_label, 0, 0)
        desk.addWidget(self.member, 0, 1)
        desk.addWidget(self.preview, 1, 0, 1, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.photo_button)
        buttons.addWidget(self.verify_button)
        desk.addLayout(buttons, 2, 0, 1, 2)
        desk.addWidget(self.photo_status, 3, 0, 1, 2)
        self.code_label = QLabel()
        desk.addWidget(self.code_label, 4, 0)
        desk.addWidget(self.code, 4, 1)
        # the room hub on: the code is typed on the expert's own PC, which compares the room CA's fingerprint
        self.hub_note = QLabel()
        self.hub_note.setWordWrap(True)
        self.hub_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hub_note.setStyleSheet("color: #333; padding: 4px; background: #eef3f9;")
        self.hub_note.setVisible(False)
        desk.addWidget(self.hub_note, 5, 0, 1, 2)
        self._hub: object | None = None
        self.reissue_box = reissue = QGroupBox()
        reissue_row = QHBoxLayout(reissue)
        reissue_row.addWidget(self.reissue_member, 1)
        reissue_row.addWidget(self.reissue_button)
        reissue_row.addWidget(self.reissue_code)
        self.supervisor_box = supervisor = QGroupBox()
        supervisor_row = QHBoxLayout(supervisor)
        supervisor_row.addWidget(self.supervisor_name, 1)
        supervisor_row.addWidget(self.supervisor_button)
        supervisor_row.addWidget(self.supervisor_code)
        side = QVBoxLayout()
        side.addWidget(self.members, 1)
        side.addWidget(reissue)
        side.addWidget(supervisor)
        top = QHBoxLayout()
        top.addLayout(desk)
        top.addLayout(side, 1)
        layout = QVBoxLayout(self)
        self.heading = title("")
        layout.addWidget(self.heading)
        layout.addLayout(top, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.next_button)

        self.photo_button.clicked.connect(self.take_photo)
        self.verify_button.clicked.connect(self.verify)
        self.confirmation: Confirmation | None = None
        self._view: RoomView | None = None
        self.next_button.clicked.connect(self.close_checkin)
        self.reissue_button.clicked.connect(self.ask_reissue)
        self.supervisor_button.clicked.connect(self.issue_supervisor_code)
        self.member.currentIndexChanged.connect(lambda _i: self._show_code())
        monitor_for(client).updated.connect(self._live)
        follow(self, client)
        self._attach_hub()
        self.retranslate()

    def retranslate(self) -> None:
        self.members.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        if self.preview.pixmap().isNull():
            self.preview.setText(tr("（摄像头画面）"))
        self.photo_button.setText(tr("拍照"))
        self.verify_button.setText(tr("核验身份并发放登录码"))
        self.next_button.setText(tr("签到结束，组建评标委员会"))
        self.reissue_button.setText(tr("重新发放登录码"))
        self.supervisor_name.setPlaceholderText(tr("监督人员姓名"))
        self.supervisor_button.setText(tr("发放监督终端配对码"))
        self.member_label.setText(tr("专家"))
        self.code_label.setText(tr("工作站一次性登录码："))
        self.reissue_box.setTitle(tr("重新发放登录码（已签到专家的工作站登录丢失时）"))
        self.supervisor_box.setTitle(tr("监督人员终端配对（监督人员在本人的监督终端输入此码）"))
        self.heading.setText(tr("专家签到"))
        if self._hub is not None:
            self.show_hub(self._hub.info)  # type: ignore[attr-defined]

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _attach_hub(self) -> None:
        """Follow the console's room hub (ui.console.hub_poller), once the window has started it."""
        poller = getattr(self.client, "hub_poller", None)
        if poller is None or poller is self._hub:
            return
        self._hub = poller
        poller.ticked.connect(lambda _tick: self.show_hub(poller.info))
        self.show_hub(poller.info)

    def show_hub(self, info: dict | None) -> None:  # type: ignore[type-arg]
        """Beside the code: where the PCs reach the hub and the room CA's fingerprint they compare."""
        self.hub_note.setText(hub_note_text(info))
        self.hub_note.setVisible(True)

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
            set_notice(self.photo_status, face_text(photo.faces), OK_COLOUR if photo.ok else BAD_COLOUR)
            self.verify_button.setEnabled(photo.ok)

        DbOp(self.client, lambda room: room.take_photo(), parent=self).success(shown).run_in_background()

    def verify(self) -> None:
        member, photo = self.member.currentData(), self.photo
        if member is None or photo is None:
            return

        def issued(code: str) -> None:
            self.codes[member] = code
            self.photo = None
            self.verify_button.setEnabled(False)
            self._show_code()
            set_notice(self.message, tr("{member} 身份核验通过，请在专家工作站输入登录码。").format(member=member),
                       OK_COLOUR)

        def failed(exc: BaseException) -> None:
            set_notice(self.message, describe(exc), BAD_COLOUR)

        DbOp(self.client, lambda room: room.check_identity(member, photo.jpeg), parent=self).success(issued).failure(
            failed).run_in_background()

    def ask_reissue(self) -> None:
        """重新发放登录码, confirmed first: what happens to the old code and the old workstation."""
        member = self.reissue_member.currentData()
        if member is None:
            return
        text = "\n".join([tr("为以下专家重新发放工作站一次性登录码：") + self.reissue_member.currentText(), "",
                          tr("请先核对专家本人身份。此前发放的登录码随即作废；专家用新登录码登录后，"
                             "原工作站的签名密钥作废（记入账本），已记录的评审内容不受影响。")])
        self.confirmation = confirm(self, tr("重新发放登录码？"), text, tr("重新发放"), lambda: self.reissue(member),
                                    no=tr("取消"))

    def reissue(self, member: str) -> None:
        def issued(code: str) -> None:
            self.codes[member] = code
            self.reissue_code.setText(code)
            issued_text = tr("的新登录码已发放（30 分钟内有效），原登录码已作废；请在专家工作站输入新登录码。")
            set_notice(self.message, f"{member}{issued_text}", OK_COLOUR)

        def failed(exc: BaseException) -> None:
            set_notice(self.message, describe(exc), BAD_COLOUR)

        DbOp(self.client, lambda room: room.reissue_code(member), parent=self).success(issued).failure(
            failed).run_in_background()

    def issue_supervisor_code(self) -> None:
        name = self.supervisor_name.text().strip()

        def issued(code: str) -> None:
            self.supervisor_codes[name] = code
            self.supervisor_code.setText(code)
            set_notice(self.message, f"{name}" + tr("：监督终端配对码已发放，30 分钟内有效（一次性）。"), OK_COLOUR)

        def failed(exc: BaseException) -> None:
            set_notice(self.message, describe(exc), BAD_COLOUR)

        DbOp(self.client, lambda room: room.issue_supervisor_code(name), parent=self).success(issued).failure(
            failed).run_in_background()

    def close_checkin(self) -> None:
        """签到结束: straight on when the committee as checked in can be formed; else ask first, naming the
        rules that will fail and the count, and what can still be done (R-SUS-2)."""
        view = self._view

        def advance() -> None:
            DbOp(self.client, lambda room: room.advance("committee"), parent=self).run_in_background()

        if view is None or not view.make_up:
            advance()
            return
        present = [m for m in view.active_members if m.checked_in]
        withdrawn = [f"{m.id} {m.name}" for m in view.members if m.recused and m.id not in view.replacements]
        lines = [tr("已完成签到、承诺书和回避声明：") + f"{len(present)} " + tr("人。"),
                 tr("现在结束签到，评标委员会组成检查将不通过："),
                 *(f"{r.rule}：{one_language(r.message)}" for r in view.make_up)]
        if withdrawn:
            lines.append(tr("已回避：") + "、".join(withdrawn))
        lines += ["", tr("在补足之前不能开始初步评审。")]
        if view.reserves:
            lines.append(tr("结束签到后，可在“评标委员会”页从候补专家中补充（R-SUS-2），并在签到台为候补专家办理签到。")
                         + "（" + "、".join(f"{r['id']} {r['name']}" for r in view.reserves) + "）")
        else:
            lines.append(tr("本项目已无候补专家：不能补足时，应停止评标、封存资料并重新组建评标委员会（R-SUS-2）。"))
        self.confirmation = confirm(self, tr("结束签到？"), "\n".join(lines), tr("仍然结束签到"), advance,
                                    no=tr("返回签到"), warning=True)

    def _show_code(self) -> None:
        self.code.setText(self.codes.get(self.member.currentData() or "", ""))

    def show_view(self, view: RoomView) -> None:
        self._view = view
        self._attach_hub()

        def declared(m) -> str:  # type: ignore[no-untyped-def]
            if m.conflict:
                return tr("申请回避") + (f"（{'、'.join(m.conflict_with)}）" if m.conflict_with else "")
            return yes(m.declared)

        def checked_in(m) -> str:  # type: ignore[no-untyped-def]
            if m.certificate is None:
                return yes(m.checked_in)
            return tr("{yes}（证书 {name}）").format(yes=yes(m.checked_in), name=certificate_name(m.certificate))

        fill(self.members, [[m.id, m.name, tr(ROLE_NAMES.get(m.role, m.role)), yes(m.identity), checked_in(m),
                             yes(m.letter), declared(m)] for m in view.members],
             [BAD_COLOUR if m.recused else None for m in view.members])
        seated = {seat["id"]: out for out, seat in view.replacements.items()}  # reserve → the withdrawn member
        waiting = [m for m in view.members if not m.checked_in and not m.recused]
        if view.stage != "checkin":  # after the check-in stage: only a reserve filling a vacancy (R-SUS-1/2)
            waiting = [m for m in waiting if m.id in seated and view.stage == "committee"]
        current = self.member.currentData()
        if [self.member.itemData(i) for i in range(self.member.count())] != [m.id for m in waiting]:
            self.member.clear()
            for m in waiting:
                self.member.addItem(f"{m.id} {m.name}", m.id)
            index = self.member.findData(current)
            if index >= 0:
                self.member.setCurrentIndex(index)
        checked_in = [m for m in view.active_members if m.checked_in] if view.stage != "archived" else []
        current = self.reissue_member.currentData()
        if [self.reissue_member.itemData(i) for i in range(self.reissue_member.count())] != [m.id for m in checked_in]:
            self.reissue_member.clear()
            for m in checked_in:
                self.reissue_member.addItem(f"{m.id} {m.name}", m.id)
            index = self.reissue_member.findData(current)
            if index >= 0:
                self.reissue_member.setCurrentIndex(index)
        self.reissue_button.setEnabled(bool(checked_in))
        at_desk = view.stage == "checkin" or bool(waiting)
        self.photo_button.setEnabled(at_desk and bool(waiting))
        if not at_desk:
            self.verify_button.setEnabled(False)
        ready = [m for m in view.active_members if m.checked_in and m.letter and m.declared]
        self.next_button.setEnabled(view.stage == "checkin" and len(ready) == len(view.active_members))
        if view.stage == "checkin":
            text = tr("已完成签到、承诺书和回避声明：") + f"{len(ready)}/{len(view.active_members)} " + tr("人。")
            if view.make_up:
                text += "\n" + tr("按现有人数，评标委员会组成检查将不通过：") + "；".join(
                    f"{r.rule}：{one_language(r.message)}" for r in view.make_up)
            set_notice(self.message, text, WARN_COLOUR if view.make_up else "#333333")
        elif waiting:
            fills, verified = tr("补充"), tr("已核验身份")
            names = "、".join(f"{m.id} {m.name}（{fills} {seated[m.id]}" + (f"，{verified}" if m.identity else "")
                             + "）" for m in waiting)
            set_notice(self.message, tr("签到已结束；请为补充席位的候补专家办理签到：") + names
                       + "\n" + tr("核验身份并发放登录码后，候补专家须在工作站签署承诺书并作出回避声明。"), WARN_COLOUR)
        else:
            set_notice(self.message, tr("签到已结束。"))
