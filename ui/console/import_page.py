"""Session set-up: import a session package (validated; errors in plain Chinese naming the field)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.common import BAD_COLOUR, OK_COLOUR, big_button, fill, follow, notice, set_notice, table, title
from ui.errors import describe
from ui.ops import DbOp
from ui.room_client import RoomClient

if TYPE_CHECKING:
    from app.services.room_view import RoomView

PROFILE_NAMES = {"procurement": "政府采购", "engineering": "工程建设"}
METHOD_NAMES = {"comprehensive": "综合评分法", "lowest_price": "最低评标价法"}


class ImportPage(QWidget):
    def __init__(self, client: RoomClient) -> None:
        super().__init__()
        self.client = client
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.message = notice()
        self.import_button = big_button("导入会话包…")
        self.import_button.clicked.connect(self._choose)
        self.criteria = table(["编号", "评审因素", "分组", "性质", "满分", "步长"])
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(title("会话设置 · 导入会话包"))
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(QLabel("评审因素及分值"))
        layout.addWidget(self.criteria, 1)
        follow(self, client)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择会话包", "", "会话包 (*.json)")
        if path:
            self.import_package(Path(path))

    def import_package(self, path: Path) -> None:
        """Validate first (a bad package changes nothing), then start the session from it."""
        def ok(_value: object) -> None:
            set_notice(self.message, f"已导入：{path.name}", OK_COLOUR)

        def failed(exc: BaseException) -> None:
            set_notice(self.message, f"会话包有误，未导入：{describe(exc)}", BAD_COLOUR)

        DbOp(self.client, lambda room: room.start(path), parent=self).success(ok).failure(failed).run_in_background()

    def show_view(self, view: RoomView) -> None:
        case = view.case
        method = case.method
        price = method.price
        formula = "低价优先法" if price is not None and price.kind == "low_price_first" else "基准价偏差法"
        price_text = f"，价格分 {price.points} 分（{formula}）" if price else ""
        self.summary.setText(
            f"<b>{case.project.name}</b>（{case.project.code}）<br>标段：{case.lot.code} {case.lot.name}<br>"
            f"规则：{PROFILE_NAMES[case.profile]}　评标办法：{METHOD_NAMES[method.kind]}{price_text}<br>"
            f"投标截止时间：{case.deadline.strftime('%Y-%m-%d %H:%M')}　投标人 {len(case.bidders)} 家　"
            f"评标委员会 {len(case.committee)} 人　当前环节：{view.stage_name}")
        fill(self.criteria, [[c.id, c.name, {"technical": "技术", "commercial": "商务"}.get(c.group, c.group),
                              "主观" if c.type == "subjective" else "客观", str(c.max), str(c.step or "")]
                             for c in method.criteria])
