"""Session set-up: import a session package (validated; errors in plain Chinese naming the field)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QEvent
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.common import BAD_COLOUR, OK_COLOUR, big_button, fill, follow, notice, set_notice, stage_name, table, title
from ui.errors import describe
from ui.i18n import tr
from ui.ops import DbOp
from ui.room_client import RoomClient

if TYPE_CHECKING:
    from app.services.room_view import RoomView

PROFILE_NAMES = {"procurement": QT_TR_NOOP("政府采购"), "engineering": QT_TR_NOOP("工程建设")}
METHOD_NAMES = {"comprehensive": QT_TR_NOOP("综合评分法"), "lowest_price": QT_TR_NOOP("最低评标价法")}
GROUPS = {"technical": QT_TR_NOOP("技术"), "commercial": QT_TR_NOOP("商务")}
CRITERIA = (QT_TR_NOOP("编号"), QT_TR_NOOP("评审因素"), QT_TR_NOOP("分组"), QT_TR_NOOP("性质"), QT_TR_NOOP("满分"),
            QT_TR_NOOP("步长"))


class ImportPage(QWidget):
    def __init__(self, client: RoomClient) -> None:
        super().__init__()
        self.client = client
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.message = notice()
        self.import_button = big_button("")
        self.import_button.clicked.connect(self._choose)
        self.criteria = table([""] * len(CRITERIA))
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch()
        layout = QVBoxLayout(self)
        self.heading = title("")
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.criteria_label = QLabel()
        layout.addWidget(self.criteria_label)
        layout.addWidget(self.criteria, 1)
        follow(self, client)
        self.retranslate()

    def retranslate(self) -> None:
        self.import_button.setText(tr("导入会话包…"))
        self.criteria.setHorizontalHeaderLabels([tr(h) for h in CRITERIA])
        self.heading.setText(tr("会话设置 · 导入会话包"))
        self.criteria_label.setText(tr("评审因素及分值"))
        set_notice(self.message, "")  # the last import's outcome, said in the language it was done in

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("选择会话包"), "", tr("会话包 (*.json)"))
        if path:
            self.import_package(Path(path))

    def import_package(self, path: Path) -> None:
        """Validate first (a bad package changes nothing), then start the session from it."""
        def ok(_value: object) -> None:
            set_notice(self.message, tr("已导入：{file}").format(file=path.name), OK_COLOUR)

        def failed(exc: BaseException) -> None:
            set_notice(self.message, tr("会话包有误，未导入：{error}").format(error=describe(exc)), BAD_COLOUR)

        DbOp(self.client, lambda room: room.start(path), parent=self).success(ok).failure(failed).run_in_background()

    def show_view(self, view: RoomView) -> None:
        case = view.case
        method = case.method
        price = method.price
        formula = tr("低价优先法") if price is not None and price.kind == "low_price_first" else tr("基准价偏差法")
        price_text = (tr("，价格分 {points} 分（{formula}）").format(points=price.points, formula=formula)
                      if price else "")
        profile = tr(PROFILE_NAMES[case.profile]) if case.profile in PROFILE_NAMES else case.profile
        kind = tr(METHOD_NAMES[method.kind]) if method.kind in METHOD_NAMES else method.kind
        self.summary.setText(
            f"<b>{case.project.name}</b>（{case.project.code}）<br>"
            + tr("标段：{lot}").format(lot=f"{case.lot.code} {case.lot.name}") + "<br>"
            + tr("规则：{profile}　评标办法：{method}").format(profile=profile, method=kind) + price_text + "<br>"
            + tr("投标截止时间：{deadline}　投标人 {bidders} 家　评标委员会 {members} 人　当前环节：{stage}").format(
                deadline=case.deadline.strftime("%Y-%m-%d %H:%M"), bidders=len(case.bidders),
                members=len(case.committee), stage=stage_name(view)))
        fill(self.criteria, [[c.id, c.name, tr(GROUPS[c.group]) if c.group in GROUPS else c.group,
                              tr("主观") if c.type == "subjective" else tr("客观"), str(c.max), str(c.step or "")]
                             for c in method.criteria])
