"""Evaluation progress and the summary (汇总与排序): who has finished each round, the result computed by
the rule engine from the ledger, the flags the committee must look at, and the ranking."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP, QEvent, Qt
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from ui.common import (
    BAD_COLOUR,
    OK_COLOUR,
    WARN_COLOUR,
    big_button,
    fill,
    fit_rows,
    follow,
    notice,
    set_notice,
    stage_name,
    table,
    title,
    yes,
)
from ui.i18n import one_language, tr
from ui.ops import DbOp
from ui.room_client import RoomClient

if TYPE_CHECKING:
    from app.services.room_view import RoomView

STATUS = {"ranked": QT_TR_NOOP("评审完成，已排序"), "opening_refused": QT_TR_NOOP("不得开标"),
          "committee_invalid": QT_TR_NOOP("评标委员会组成不合法"),
          "insufficient_bidders": QT_TR_NOOP("有效投标人不足三家，不得评标"), "blocked": QT_TR_NOOP("汇总受阻，待更正")}
PROGRESS = [QT_TR_NOOP("编号"), QT_TR_NOOP("姓名"), QT_TR_NOOP("初步评审"), QT_TR_NOOP("详细评分"), QT_TR_NOOP("提交")]
LINK = QT_TR_NOOP("终端链路")
RESULT = [QT_TR_NOOP("排名"), QT_TR_NOOP("投标人"), QT_TR_NOOP("有效性"), QT_TR_NOOP("评标价（元）"),
          QT_TR_NOOP("技术/商务得分"), QT_TR_NOOP("价格得分"), QT_TR_NOOP("总得分"), QT_TR_NOOP("说明")]


def flag_text(flag: dict[str, Any], names: dict[str, str]) -> str:
    kind = flag["kind"]
    bidder = names.get(flag.get("bidder", ""), flag.get("bidder", ""))
    if kind == "score_deviation":
        return tr("评分偏离：{expert} 对 {bidder} 的评分偏离平均值 {pct}%，须书面说明（R-SCR-4）").format(
            expert=flag["expert"], bidder=bidder, pct=flag["deviation_pct"])
    if kind == "objective_inconsistent":
        scores = tr("、").join(f"{e} {s}" for e, s in flag["scores"].items())
        return tr("客观评审因素评分不一致：{bidder} {criterion}（{scores}），更正前不得汇总（R-SCR-2）").format(
            bidder=bidder, criterion=flag["criterion"], scores=scores)
    if kind == "abnormally_low_price":
        return tr("报价明显偏低：{bidder} 低于其他有效报价平均值 {pct}%，应要求书面说明（{rule}）").format(
            bidder=bidder, pct=flag["below_pct"], rule=flag["rule"])
    if kind == "insufficient_competition":
        return tr("有效投标不足三家（{n} 家），评标委员会可否决全部投标（R-PRE-3）").format(n=flag["valid_count"])
    return kind


def _progress(view: RoomView) -> list[list[str]]:
    bidders = [b.id for b in view.case.bidders if not view.opening or b.id not in view.opening["late"]]
    criteria = [c.id for c in view.case.method.criteria]
    rows = []
    for m in view.active_members:
        verdicts = len(view.verdicts.get(m.id, {}))
        filled = sum(len(row) for row in view.scores.get(m.id, {}).values())
        rows.append([m.id, m.name, f"{verdicts}/{len(bidders)}", f"{filled}/{len(bidders) * len(criteria)}",
                     yes(m.submitted, tr("已提交"), "—")])
    return rows


class SummaryPage(QWidget):
    def __init__(self, client: RoomClient) -> None:
        super().__init__()
        self.client = client
        self.hub_on = bool(getattr(client, "hub_listen", None))  # PCs of their own: a column with each one's link
        self.progress = table(["", "", "", "", "", *([""] if self.hub_on else [])])
        self._view: RoomView | None = None
        self._links: Any = None  # ui.console.member_links.LinkReport
        self.status = notice()
        self.flags = QLabel()
        self.flags.setWordWrap(True)
        self.result = table([""] * len(RESULT))
        self.low_bidder = QComboBox()
        self.request_button = big_button("")
        self.explanation = QLineEdit()
        self.receive_button = big_button("")
        self.low_status = notice()
        self.time_status = notice()
        self.time_minutes = QSpinBox()
        self.time_minutes.setRange(10, 480)
        self.time_minutes.setSingleStep(10)
        self.time_minutes.setValue(60)
        self.time_reason = QLineEdit()
        self.extend_button = big_button("")
        self.deny_button = big_button("")
        self.scoring_button = big_button("")
        self.summary_button = big_button("", primary=True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.scoring_button)
        buttons.addWidget(self.summary_button)
        buttons.addStretch()
        self.low_box = low = QGroupBox()
        low_layout = QHBoxLayout(low)
        low_layout.addWidget(self.low_bidder, 1)
        low_layout.addWidget(self.request_button)
        low_layout.addWidget(self.explanation, 2)
        low_layout.addWidget(self.receive_button)
        self.timing_box = timing = QGroupBox()
        timing_layout = QVBoxLayout(timing)
        timing_layout.addWidget(self.time_status)
        timing_row = QHBoxLayout()
        timing_row.addWidget(self.time_minutes)
        timing_row.addWidget(self.time_reason, 1)
        timing_row.addWidget(self.extend_button)
        timing_row.addWidget(self.deny_button)
        timing_layout.addLayout(timing_row)
        # the progress (every member's row, no scroll bar of its own) beside the stage's actions, then the result:
        # the page fits a 1366 × 768 room screen
        actions = QVBoxLayout()
        actions.addLayout(buttons)
        self.waiting = notice()  # whom closing scoring waits for, with each one's link (the room hub's PCs)
        self.waiting.setVisible(False)
        actions.addWidget(self.waiting)
        actions.addWidget(self.status)
        actions.addWidget(self.flags)
        actions.addWidget(low)
        actions.addWidget(self.low_status)
        actions.addWidget(timing)
        actions.addStretch()
        upper = QHBoxLayout()
        upper.addWidget(self.progress, 2, Qt.AlignmentFlag.AlignTop)
        upper.addLayout(actions, 3)
        layout = QVBoxLayout(self)
        self.heading = title("")
        layout.addWidget(self.heading)
        layout.addLayout(upper)
        layout.addWidget(self.result, 1)
        self.scoring_button.clicked.connect(lambda: DbOp(
            client, lambda room: room.advance("scoring"), parent=self).run_in_background())
        self.summary_button.clicked.connect(lambda: DbOp(
            client, lambda room: room.advance("summary"), parent=self).run_in_background())
        self.request_button.clicked.connect(self._request)
        self.receive_button.clicked.connect(self._receive)
        self.extend_button.clicked.connect(lambda: self._decide(True))
        self.deny_button.clicked.connect(lambda: self._decide(False))
        follow(self, client)
        if self.hub_on:
            from ui.console.member_links import MemberLinks

            MemberLinks.of(client).updated.connect(self.show_links)
        self.retranslate()

    def retranslate(self) -> None:
        self.progress.setHorizontalHeaderLabels([tr(h) for h in PROGRESS] + ([tr(LINK)] if self.hub_on else []))
        self.result.setHorizontalHeaderLabels([tr(h) for h in RESULT])
        self.request_button.setText(tr("要求书面说明"))
        self.explanation.setPlaceholderText(tr("投标人书面说明的要点（收到后录入）"))
        self.receive_button.setText(tr("录入说明"))
        self.time_minutes.setSuffix(tr(" 分钟"))
        self.time_reason.setPlaceholderText(tr("招标人（采购人）的决定理由"))
        self.extend_button.setText(tr("延长评标时间"))
        self.deny_button.setText(tr("不予延长"))
        self.scoring_button.setText(tr("初步评审结束，开始详细评审"))
        self.summary_button.setText(tr("评分结束，进入汇总"))
        self.low_box.setTitle(tr("异常低价：书面说明（由组长记录评标委员会认定）"))
        self.timing_box.setTitle(tr("评标时间：成员认为时间不足的申请与招标人的决定（R-SCR-6）"))
        self.heading.setText(tr("评审进度与汇总"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_links(self, report: Any) -> None:
        """The PCs' links (ui.console.member_links): the progress table's last column, and whom closing waits for."""
        self._links = report
        if self._view is not None:
            self._show_progress(self._view)

    def _show_progress(self, view: RoomView) -> None:
        rows = _progress(view)
        if self.hub_on:
            from ui.console.member_links import short_line

            links = self._links.links if self._links is not None else {}
            rows = [[*row, short_line(links.get(row[0]))] for row in rows]
        fill(self.progress, rows)
        waits = self._links.waits if self._links is not None and view.stage == "scoring" else []
        self.summary_button.setToolTip((tr("评分结束须等待：") + "\n" + "\n".join(waits)) if waits else "")
        self.waiting.setVisible(bool(waits))
        if waits:
            from ui.console.member_links import short_line

            links = self._links.links
            who = [tr("{member}（{link}）").format(member=f"{m.id} {m.name}", link=short_line(links.get(m.id)))
                   for m in view.active_members if not m.submitted]
            set_notice(self.waiting, tr("评分结束须等待以下成员提交：") + tr("；").join(who), WARN_COLOUR)

    def _request(self) -> None:
        bidder = self.low_bidder.currentData()
        if bidder is not None:
            DbOp(self.client, lambda room: room.request_explanation(bidder), parent=self).run_in_background()

    def _receive(self) -> None:
        bidder, summary = self.low_bidder.currentData(), self.explanation.text()
        if bidder is not None:
            DbOp(self.client, lambda room: room.receive_explanation(bidder, summary), parent=self).success(
                lambda _v: self.explanation.clear()).run_in_background()

    def _decide(self, granted: bool) -> None:
        minutes, reason = self.time_minutes.value(), self.time_reason.text()
        DbOp(self.client, lambda room: room.decide_extension(granted, minutes, reason), parent=self).success(
            lambda _v: self.time_reason.clear()).run_in_background()

    def _show_time(self, view: RoomView) -> None:
        """R-SCR-6: pending requests (more than a third of the members: the time shall be extended) and decisions."""
        report = view.report
        evaluating = view.stage in ("preliminary", "scoring", "summary")
        lines = []
        if report is not None:
            for d in report.time_decisions:
                line = (tr("{time} 决定延长 {n} 分钟（{asked}/{members} 名成员申请）：{reason}") if d["granted"]
                        else tr("{time} 决定不予延长（{asked}/{members} 名成员申请）：{reason}"))
                lines.append(line.format(time=d["time"][11:16], n=d["minutes"], asked=len(d["requesters"]),
                                         members=d["members"], reason=d["reason"]))
            if report.time_requests:
                who = tr("、").join(f"{name}（{m}）" for m, name, _t, _r in report.time_requests)
                must = (tr("，超过三分之一，应当延长") if report.extension_required
                        else tr("，未超过三分之一，由招标人决定"))
                lines.append(tr("认为评标时间不足：{who}（{asked}/{members} 人{must}）").format(
                    who=who, asked=len(report.time_requests), members=report.members, must=must))
        colour = WARN_COLOUR if report is not None and report.time_requests else "#333333"
        set_notice(self.time_status, "\n".join(lines) or tr("尚无成员申请延长评标时间。"), colour)
        pending = report is not None and bool(report.time_requests)
        self.extend_button.setEnabled(evaluating)
        self.deny_button.setEnabled(evaluating and pending and not report.extension_required)

    def _show_low_prices(self, view: RoomView, names: dict[str, str]) -> None:
        flagged = [f["bidder"] for f in (view.result or {}).get("flags", []) if f["kind"] == "abnormally_low_price"]
        pending = sorted(set(flagged) | set(view.explanations))
        if [self.low_bidder.itemData(i) for i in range(self.low_bidder.count())] != pending:
            self.low_bidder.clear()
            for bidder in pending:
                self.low_bidder.addItem(f"{bidder} {names[bidder]}", bidder)
        lines = []
        for bidder in pending:
            entry = view.explanations.get(bidder)
            decision = view.low_price_decisions.get(bidder, "")
            decided = (tr("评标委员会认定：说明合理") if decision == "accepted" else
                       tr("评标委员会认定：投标无效") if decision == "rejected" else tr("待认定"))
            if entry is None:
                lines.append(tr("{bidder}：报价明显偏低，尚未要求书面说明").format(bidder=names[bidder]))
            elif entry["answer"] is None:
                lines.append(tr("{bidder}：已要求书面说明，期限 {due}；{decided}").format(
                    bidder=names[bidder], due=entry["due"], decided=decided))
            else:
                lines.append(tr("{bidder}：说明已收到（{summary}）；{decided}").format(
                    bidder=names[bidder], summary=entry["answer"]["summary"], decided=decided))
        set_notice(self.low_status, "\n".join(lines))
        deciding = view.stage in ("preliminary", "scoring", "summary")
        selected = self.low_bidder.currentData()
        self.request_button.setEnabled(deciding and selected is not None and selected not in view.explanations)
        self.receive_button.setEnabled(deciding and selected in view.explanations)

    def show_view(self, view: RoomView) -> None:
        self._view = view
        self._show_progress(view)
        fit_rows(self.progress)
        self.scoring_button.setEnabled(view.stage == "preliminary")
        self.summary_button.setEnabled(view.stage == "scoring" and all(m.submitted for m in view.active_members))
        result = view.result
        names = {b.id: b.name for b in view.case.bidders}
        self._show_low_prices(view, names)
        self._show_time(view)
        if result is None:
            set_notice(self.status, tr("当前环节：{stage}。汇总在详细评审开始后显示。").format(stage=stage_name(view)))
            self.flags.setText("")
            fill(self.result, [])
            return
        reasons = tr("；").join(one_language(r["message"]) for r in result["reasons"][:6])
        more = tr("（另有 {n} 条）").format(n=len(result["reasons"]) - 6) if len(result["reasons"]) > 6 else ""
        colour = OK_COLOUR if result["status"] == "ranked" else (WARN_COLOUR if view.stage == "scoring" else BAD_COLOUR)
        draft = tr("（评分尚未全部提交，以下为已提交评分的结果）") if view.stage == "scoring" else ""
        status = tr(STATUS[result["status"]]) if result["status"] in STATUS else result["status"]
        set_notice(self.status, tr("评审状态：{status}").format(status=status) + draft
                   + (tr("：") + reasons + more if reasons else ""), colour)
        self.flags.setText("\n".join("⚠ " + flag_text(f, names) for f in result["flags"]))
        rows, colours = [], []
        for b in sorted(result["bidders"], key=lambda b: (b["rank"] is None, b["rank"] or 0, b["id"])):
            # the printed item scores' sum, for reading only; the total comes exact from the rule engine
            item_total = (str(sum((Decimal(v) for v in b["item_scores"].values()), Decimal(0)))
                          if b["item_scores"] else "")
            rank = "" if b["rank"] is None else (tr("{rank}（并列）").format(rank=b["rank"]) if b["tied"]
                                                 else str(b["rank"]))
            rows.append([rank, names[b["id"]], tr("有效") if b["valid"] else tr("无效"), b["evaluated_price"] or "",
                         item_total, b["price_score"] or "", b["total"] or "", one_language(b["reason"] or "")])
            colours.append(None if b["valid"] else BAD_COLOUR)
        fill(self.result, rows, colours)
