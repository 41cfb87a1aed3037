"""The main window showing a loaded session: project, lot, bidders, committee and the result."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.case import Case

STATUS_TEXT = {
    "ranked": "评审完成，已排序",
    "opening_refused": "不得开标",
    "committee_invalid": "评标委员会组成不合法",
    "insufficient_bidders": "有效投标人不足三家",
    "blocked": "汇总受阻，待更正",
}


def _table(headers: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c and text.replace(".", "", 1).replace("-", "", 1).isdigit():
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class SessionWindow(QMainWindow):
    """Read-only view of one session and its evaluation result."""

    def __init__(self, case: Case, result: dict[str, Any]) -> None:
        super().__init__()
        self.setWindowTitle(f"EvalRoom 评标室 — {case.project.name}")
        self.resize(1200, 760)
        body = QWidget()
        layout = QVBoxLayout(body)
        heading = QLabel(f"<b>{case.project.name}</b>　项目编号 {case.project.code}　标段 {case.lot.code} {case.lot.name}")
        heading.setObjectName("heading")
        layout.addWidget(heading)
        status = QLabel(f"评审状态：{STATUS_TEXT.get(result['status'], result['status'])}")
        status.setObjectName("status")
        layout.addWidget(status)
        tabs = QTabWidget()
        tabs.addTab(self._bidders(case), "投标人")
        tabs.addTab(self._committee(case), "评标委员会")
        tabs.addTab(self._result(result), "评审结果")
        layout.addWidget(tabs)
        self.setCentralWidget(body)
        self.tabs = tabs

    @staticmethod
    def _bidders(case: Case) -> QTableWidget:
        rows = [[b.id, b.name, str(b.price), b.submitted_at.strftime("%Y-%m-%d %H:%M:%S"), "是" if b.sme else "否"] for b in case.bidders]
        return _table(["编号", "投标人名称", "投标报价（元）", "递交时间", "中小企业"], rows)

    @staticmethod
    def _committee(case: Case) -> QTableWidget:
        roles = {"expert": "评审专家", "owner_rep": "采购人/招标人代表"}
        rows = [[m.id, m.name, roles[m.role], "组长" if m.chair else ""] for m in case.committee]
        return _table(["编号", "姓名", "身份", "职务"], rows)

    @staticmethod
    def _result(result: dict[str, Any]) -> QTableWidget:
        rows = [
            [b["id"], b["name"], "有效" if b["valid"] else "无效", b["evaluated_price"] or "", b["price_score"] or "",
             b["total"] or "", "" if b["rank"] is None else str(b["rank"]), b["reason"] or ""]
            for b in sorted(result["bidders"], key=lambda b: (b["rank"] is None, b["rank"] or 0))
        ]
        return _table(["编号", "投标人", "有效性", "评标价（元）", "价格得分", "总得分", "排名", "说明"], rows)
