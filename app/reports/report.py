"""评标报告: every section DOMAIN.md §4 requires for the session's profile, plus the §4.3 additions.

Two renderings of one function: the *draft* (``final=False``) is what every member signs by SHA-256;
the *final* adds the signature page (handwritten images, dissents with reasons, the committee's note on
a refusal without reasons) and prints the draft's SHA-256 so paper shows what was signed. Both are
deterministic functions of the ledger (see ``layout.build``).
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, PageBreak, Paragraph, Table, TableStyle

from app.domain.collusion import KIND_NAMES
from app.ledger.events import SignedEvent
from app.reports import opening, sheets
from app.reports.context import (
    GROUPS,
    ROLES,
    STAGE_NAMES,
    TYPES,
    Context,
    money,
    profile_name,
)
from app.reports.fonts import BODY
from app.reports.layout import build, fields, frame_width, gap, styles, table, text
from app.reports.letters import signature_image

TITLE = "评标报告"
NUMERALS = "一二三四五六七八九十"
ENGINEERING = ("基本情况和数据表", "评标委员会成员名单", "开标记录", "符合要求的投标一览表", "否决投标的情况说明",
               "评标标准、评标方法或者评标因素一览表", "经评审的价格或者评分比较一览表", "经评审的投标人排序",
               "推荐的中标候选人名单与签订合同前要处理的事宜", "澄清、说明、补正事项纪要")
PROCUREMENT = ("采购项目基本情况（公告媒体，开标日期和地点）", "投标人名单和评标委员会成员名单", "评标方法和标准",
               "开标记录和评标情况及说明（含无效投标人名单及原因）", "评标结果（推荐中标候选人排序）",
               "其他事项（澄清、说明、补正；评标委员会成员变更）")
ADDITIONS = ("签到记录、承诺书与回避", "组长推选", "评分检查与更正", "异常低价的询问与决定",
             "围标串标预警及评标委员会认定（办法第二十一条）", "暂停、中断与现场事件",
             "评标时间延长", "远程异地评标：场地、各场专家与网络中断（R-SUS-6/7）")
OUTCOMES = {"waiting": "尚未恢复", "resume": "时限内恢复，继续评标", "tenderer_decides": "超过时限，由招标人决定",
            "stop_new_committee": "超过时限，停止评标，各场封存资料，重新组建评标委员会"}


def _heading(index: int, title: str) -> Paragraph:
    return Paragraph(text(f"{NUMERALS[index] if index < 10 else index + 1}、{title}"), styles()["h1"])


def _flag(flag: dict[str, Any]) -> str:
    details = "，".join(f"{k}={v}" for k, v in flag.items() if k != "kind")
    return f"{flag['kind']}：{details}"


class _Report:
    def __init__(self, ctx: Context, events: list[SignedEvent], final: bool) -> None:
        self.ctx, self.events, self.final = ctx, events, final
        self.st = styles()
        self.meta = ctx.meta(TITLE)
        self.width = frame_width(self.meta)
        self.data = ctx.result.to_json()

    def p(self, value: str, style: str = "body") -> Paragraph:
        return Paragraph(text(value), self.st[style])

    # -- sections shared by both profiles ----------------------------------------------------------
    def basics(self) -> list[Flowable]:
        case, state = self.ctx.case, self.ctx.state
        times = [ev.time for ev in self.events]
        pairs = [("项目名称", case.project.name), ("项目编号", case.project.code),
                 ("标段（包）", f"{case.lot.code} {case.lot.name}"),
                 ("项目类型", profile_name(case.profile) + (f"（{case.overlay}）" if case.overlay else "")),
                 ("预算金额（元）", money(case.project.budget)), ("最高投标限价（元）", money(case.project.max_price)),
                 ("投标截止（开标）时间", case.deadline.strftime("%Y-%m-%d %H:%M")),
                 ("开标、评标地点", f"评标室 {state.room}"),
                 ("公告媒体", self.ctx.state.package.get("notice_media") or "见招标（采购）文件"),
                 ("评标方法", "综合评估法" if case.method.kind == "comprehensive" else "经评审的最低投标价法"),
                 ("评标起止（账本时间）", f"{min(times)} 至 {max(times)}" if times else "—"),
                 ("投标人数量", f"{len(case.bidders)} 家"), ("会话编号", state.session)]
        return [fields(pairs, self.width)]

    def committee(self) -> list[Flowable]:
        rows = [(i, m.name, ROLES.get(m.role, m.role), "组长" if m.chair else "成员",
                 "已回避" if m.recused else ("已签到" if m.author else "未签到"))
                for i, m in enumerate(self.ctx.committee(), 1)]
        return [table(["序号", "姓名", "身份", "职务", "状态"], rows,
                      [self.width * w for w in (0.08, 0.22, 0.3, 0.15, 0.25)])]

    def conforming(self) -> list[Flowable]:
        rows = [(i, b["name"], money(b["evaluated_price"]))
                for i, b in enumerate((b for b in self.data["bidders"] if b["valid"]), 1)]
        return [table(["序号", "投标人名称", "评审价格（元）"], rows, [self.width * w for w in (0.1, 0.6, 0.3)])]

    def rejected(self) -> list[Flowable]:
        rows = [(b["name"], b["reason"]) for b in self.data["bidders"] if not b["valid"]]
        if not rows:
            return [self.p("无否决（无效）投标。")]
        out: list[Flowable] = [table(["否决（无效）投标的投标人名称", "原因"], rows,
                                     [self.width * 0.45, self.width * 0.55])]
        if len(rows) == len(self.data["bidders"]):
            out.append(self.p("全部投标被否决，原因如上表逐一列明。"))
        return out

    def method(self) -> list[Flowable]:
        m = self.ctx.case.method
        rows = [(c.id, c.name, GROUPS.get(c.group, c.group), TYPES.get(c.type, c.type), str(c.max), str(c.step or "—"))
                for c in m.criteria]
        out: list[Flowable] = [table(["编号", "评审因素", "类别", "类型", "分值", "步长"], rows,
                                     [self.width * w for w in (0.08, 0.42, 0.12, 0.12, 0.13, 0.13)])]
        if m.price is not None:
            out.append(gap(2))
            out.append(self.p(f"价格分：{m.price.kind}，满分 {m.price.points}。推荐中标候选人数量：{m.candidates}。"))
        return out

    def comparison(self) -> list[Flowable]:
        label = "综合评估比较表" if self.ctx.case.method.kind == "comprehensive" else "标价比较表"
        return [self.p(label, "h2"), *sheets.summary_story(self.ctx, self.width)]

    def ranking(self) -> list[Flowable]:
        names = {b["id"]: b["name"] for b in self.data["bidders"]}
        rows = [(i, names.get(b, b)) for i, b in enumerate(self.data["ranking"], 1)]
        out: list[Flowable] = ([table(["名次", "投标人名称"], rows, [self.width * 0.15, self.width * 0.85])] if rows
                               else [self.p("无排序。")])
        for reason in self.data["reasons"]:
            out.append(self.p(f"评标结论：{reason['message']}（{reason['rule']}）"))
        for draw in self.data["draws"]:
            out.append(self.p(f"并列抽签：{'、'.join(draw['tied'])} → {'、'.join(draw['order'])}"
                              f"（种子 {draw['seed']}）"))
        return out

    def candidates(self) -> list[Flowable]:
        names = {b["id"]: b["name"] for b in self.data["bidders"]}
        rows = [(i, names.get(b, b)) for i, b in enumerate(self.data["candidates"], 1)]
        out: list[Flowable] = ([table(["推荐顺序", "中标候选人"], rows, [self.width * 0.2, self.width * 0.8])]
                               if rows else [self.p("无推荐的中标候选人。")])
        out.append(gap(2))
        out.append(self.p("签订合同前要处理的事宜：无（如有，由评标委员会在此说明）。"))
        return out

    def corrections(self) -> list[Flowable]:
        out: list[Flowable] = []
        adjustments = self.ctx.state.adjustments
        if adjustments:
            out.append(table(["投标人", "修正金额（元）", "原因"],
                             [(self.ctx.bidder_name(b), money(a["amount"]), a["reason"])
                              for b, items in adjustments.items()
                              for a in items], [self.width * w for w in (0.35, 0.2, 0.45)]))
        comments = [(self.ctx.member_name(m), self.ctx.bidder_name(b), c, note)
                    for m, sheet in self.ctx.state.score_comments.items() for b, row in sheet.items()
                    for c, note in row.items()]
        if comments:
            out.append(table(["专家", "投标人", "因素", "说明"], comments,
                             [self.width * w for w in (0.2, 0.3, 0.1, 0.4)]))
        return out or [self.p("无澄清、说明、补正事项。")]

    # -- §4.3 additions ---------------------------------------------------------------------------
    def checkin(self) -> list[Flowable]:
        state = self.ctx.state

        def declared(member_id: str) -> str:
            declaration = state.declarations.get(member_id)
            if declaration is None:
                return "—"
            if not declaration.get("conflict"):
                return "无利害关系"
            named = "、".join(self.ctx.bidder_name(b) for b in declaration.get("bidders", []))  # none in older ledgers
            return f"有利害关系，回避（{named}）" if named else "有利害关系，回避"

        def withdrawn(m: Any) -> str:
            seat = state.replacements.get(m.id)
            return f"已回避，由{seat['name']}补充" if m.recused and seat else ("已回避" if m.recused else "—")

        rows = [(m.name, "是" if m.id in state.identities else "—", "已签署" if m.id in state.letters else "—",
                 declared(m.id), withdrawn(m)) for m in self.ctx.committee()]
        return [table(["姓名", "身份核验（照片）", "承诺书", "回避声明", "回避"], rows,
                      [self.width * w for w in (0.16, 0.16, 0.12, 0.32, 0.24)]), *self.changes()]

    def changes(self) -> list[Flowable]:
        """评标委员会成员变更 (R-SUS-1, DOMAIN §4.2 item 6): who withdrew, with whom the conflict was, who took
        the seat."""
        state = self.ctx.state
        out: list[Flowable] = []
        for member_id, seat in state.replacements.items():
            named = "、".join(self.ctx.bidder_name(b) for b in state.declarations.get(member_id, {}).get("bidders", []))
            why = f"因与{named}存在利害关系回避" if named else "回避"
            out.append(self.p(f"评标委员会成员变更：{self.ctx.member_name(member_id)}{why}，由候补专家"
                              f"{self.ctx.member_name(seat['id'])}补充（R-SUS-1），其签到、"
                              "承诺书和回避声明见“签到记录、承诺书与回避”。"))
        return out

    def chair(self) -> list[Flowable]:
        chair = self.ctx.state.chair
        return [self.p(f"评标委员会推选 {self.ctx.member_name(chair)} 为组长（负责人）。" if chair else
                       "组长按评标委员会名单确定，未另行推选。")]

    def checks(self) -> list[Flowable]:
        flags = [f for f in self.data["flags"] if not f["kind"].startswith("low_price")]
        out: list[Flowable] = ([self.p(_flag(f)) for f in flags]
                               or [self.p("客观评审因素一致性、评分偏差检查未发现问题。")])
        reopened = [ev for ev in self.events if ev.type == "score.reopened"]
        out += [self.p(f"{ev.time} 组长退回 {ev.body.get('expert')} 的评分表：{ev.body.get('reason', '')}")
                for ev in reopened]
        return out

    def low_price(self) -> list[Flowable]:
        flags = [f for f in self.data["flags"] if f["kind"].startswith("low_price")]
        out: list[Flowable] = [self.p(_flag(f)) for f in flags]
        decisions = {"rejected": "否决", "accepted": "接受"}
        out += [self.p(f"{self.ctx.bidder_name(b)}：评标委员会决定{decisions.get(d, d)}。") for b, d in
                self.ctx.state.low_price_decisions.items()]
        return out or [self.p("无异常低价情形。")]

    def collusion(self) -> list[Flowable]:
        """The screen's warnings at opening (办法 §21), each with its evidence and the committee's decision."""
        screen = self.ctx.state.screen
        if screen is None:
            return [self.p("本项目无电子投标文件，开标时未进行围标串标筛查。")]
        if not screen["findings"]:
            return [self.p(f"开标时对 {screen['documents']} 份投标文件及投标报价进行了围标串标筛查，未发现预警情形。")]
        rows = []
        for index, finding in enumerate(screen["findings"]):
            decision = screen["decisions"].get(index)
            if decision is None:
                verdict = "尚未认定"
            else:
                verdict = ("认定构成串通投标，按 R-PRE-1(7) 否决" if decision["collusion"] else "认定不构成串通投标")
                verdict += f"：{decision['reason']}"
            rows.append((KIND_NAMES.get(finding["kind"], finding["kind"]),
                         "、".join(self.ctx.bidder_name(b) for b in finding["bidders"]), finding["evidence"], verdict))
        intro = (f"开标时筛查了 {screen['documents']} 份投标文件及投标报价，"
                 "预警如下（预警不等于否决，由评标委员会认定）：")
        return [self.p(intro),
                table(["预警", "投标人", "证据", "评标委员会认定"], rows,
                      [self.width * w for w in (0.16, 0.2, 0.42, 0.22)])]

    def interruptions(self) -> list[Flowable]:
        kinds = {"session.paused": "暂停", "session.resumed": "恢复", "session.terminated": "终止"}
        rows = [(ev.time, kinds[ev.type], ev.body.get("reason", "")) for ev in self.events if ev.type in kinds]
        rows += [(i.get("time", ""), "现场事件", i.get("text", "")) for i in self.ctx.state.incidents]
        rows += [(f.get("start", ""), "录像故障", f.get("reason", f.get("kind", ""))) for f in self.ctx.state.faults]
        if not rows:
            return [self.p("评标过程无暂停、中断或现场事件。")]
        return [table(["时间", "事项", "说明"], sorted(rows, key=lambda r: str(r[0])),
                      [self.width * w for w in (0.3, 0.15, 0.55)])]

    def extensions(self) -> list[Flowable]:
        """R-SCR-6: who said the time was insufficient, the tenderer's decision and its reason."""
        state = self.ctx.state
        rows = []
        for item in state.extensions:
            who = "、".join(self.ctx.member_name(m) for m in item["requesters"]) or "—"
            asked = f"{who}（{len(item['requesters'])}/{item['members']} 人）"
            decision = f"延长 {item['minutes']} 分钟" if item["granted"] else "不予延长"
            if item["required"]:
                decision += "（超过三分之一成员认为时间不足，应当延长，R-SCR-6）"
            rows.append((item["time"][:16].replace("T", " "), asked, decision, item["reason"]))
        pending = [f"{self.ctx.member_name(m)}（{r['time'][:16].replace('T', ' ')}）"
                   for m, r in state.extension_requests.items()]
        out: list[Flowable] = []
        if rows:
            out.append(table(["决定时间", "认为时间不足的成员", "决定", "理由"], rows,
                             [self.width * w for w in (0.17, 0.33, 0.25, 0.25)]))
        if pending:
            out.append(self.p("尚未决定的延长申请：" + "、".join(pending)))
        return out or [self.p("无评标时间延长。")]

    def remote(self) -> list[Flowable]:
        """DOMAIN §4.3: venues, experts per venue, interruptions with start/end time and outcome."""
        remote, members = self.ctx.state.remote, self.ctx.committee()
        if not remote.venues:
            return [self.p("本项目未采用远程异地评标。")]

        def stamp(value: str | None) -> str:
            return f"{value[:19].replace('T', ' ')} UTC" if value else "未恢复"

        rows = []
        for v in remote.venues.values():
            seated = [m for m in members if remote.venue_of(m.id) == v.room]
            rows.append((f"{v.name}（{v.room}）", "主场" if v.role == "main" else "副场",
                         "、".join(self.ctx.member_name(m.id) for m in seated) or "—",
                         f"{sum(1 for m in seated if m.author)}/{len(seated)}"))
        out: list[Flowable] = [table(["场地", "类型", "就座专家", "已签到"], rows,
                                     [self.width * w for w in (0.3, 0.1, 0.45, 0.15)])]
        if remote.outages:
            decisions = {"evaluate": "继续评标", "postpone": "推迟评标"}
            out.append(gap(2))
            out.append(table(["场地", "中断开始", "恢复", "阶段", "结果", "招标人决定"], [
                (o.venue, stamp(o.start), stamp(o.end), ("评标中" if o.during else "评标开始前") + f"（{o.rule}）",
                 OUTCOMES.get(o.outcome, o.outcome),
                 f"{o.decision['by']}：{decisions.get(o.decision['decision'], o.decision['decision'])}"
                 if o.decision else "—")
                for o in remote.outages], [self.width * w for w in (0.12, 0.17, 0.17, 0.16, 0.24, 0.14)]))
        else:
            out.append(self.p("评标过程中各场网络未中断。"))
        if remote.stopped:
            out.append(self.p(f"{remote.stopped['rule']}：评标于 {stamp(remote.stopped['at'])} 停止，各场封存资料，"
                              f"须重新组建评标委员会；原评标委员会成员对评审情况保密。"))
        if remote.messages:
            out.append(self.p(f"场地间文字消息 {len(remote.messages)} 条，均记录在账本中。"))
        out.append(self.p("副场的纸质原件、电子文件和音视频资料应于评标结束后 5 个工作日内移交主场，"
                          "由主场代理机构统一归档（LJ Art 18）。"))
        return out

    # -- signatures ---------------------------------------------------------------------------------
    def signatures(self) -> list[Flowable]:
        report = self.ctx.state.report
        out: list[Flowable] = [PageBreak(), Paragraph("评标委员会成员签字", self.st["h1"])]
        if report.draft and self.final:
            out.append(self.p(f"各成员签署的报告文本（草稿）SHA-256：{report.draft}", "small"))
        rows: list[list[Any]] = [[self.p("姓名", "cell"), self.p("签字", "cell"), self.p("意见", "cell")]]
        for m in self.ctx.active():
            image = signature_image(self.ctx.signature_png(m.id)) if self.final else None
            if not self.final:
                opinion = "待签"
            elif m.id in report.dissents:
                opinion = "有不同意见（理由见下）"
            elif m.id in report.refusals:
                opinion = "拒绝签字且未说明理由，视为同意评标结论（R-SIG-3）"
            elif m.id in report.signed:
                opinion = "同意"
            else:
                opinion = "未签"
            rows.append([self.p(m.name, "cell"), image or self.p("", "cell"), self.p(opinion, "cell")])
        t = Table(rows, colWidths=[self.width * 0.2, self.width * 0.35, self.width * 0.45],
                  rowHeights=[None] + [18 * 2.83] * (len(rows) - 1))
        t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), BODY, 9), ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        out.append(t)
        if self.final:
            for member, reasons in report.dissents.items():
                out += [gap(2), self.p(f"{self.ctx.member_name(member)} 的不同意见及理由：", "h2"), self.p(reasons)]
            for member, note in report.refusals.items():
                out += [gap(2), self.p(f"评标委员会关于 {self.ctx.member_name(member)} 拒绝签字的说明：", "h2"),
                        self.p(note)]
        out.append(gap(4))
        out.append(self.p("监督人员：____________    日期：____________"))
        return out

    def story(self) -> list[Flowable]:
        ctx = self.ctx
        out: list[Flowable] = [Paragraph(TITLE, self.st["title"]),
                               self.p(f"{ctx.case.project.name}  标段（包）{ctx.case.lot.code}", "center"), gap(4)]
        if ctx.case.profile == "engineering":
            parts = [self.basics, self.committee, lambda: opening.story(ctx), self.conforming, self.rejected,
                     self.method, self.comparison, self.ranking, self.candidates, self.corrections]
            titles: tuple[str, ...] = ENGINEERING
        else:
            parts = [self.basics,
                     lambda: [self.p("评标委员会成员名单", "h2"), *self.committee(), self.p("有效投标人一览", "h2"),
                              *self.conforming()], self.method,
                     lambda: [self.p("开标记录", "h2"), *opening.story(ctx), self.p("无效投标人名单及原因", "h2"),
                              *self.rejected(), *self.comparison()],
                     lambda: self.ranking() + self.candidates(), lambda: self.corrections() + self.changes()]
            titles = PROCUREMENT
        for i, (title, part) in enumerate(zip(titles, parts, strict=True)):
            out += [_heading(i, title), *part()]
        out.append(Paragraph("附：合规过程记录", self.st["h1"]))
        additions = (self.checkin, self.chair, self.checks, self.low_price, self.collusion, self.interruptions,
                     self.extensions, self.remote)
        for title, part in zip(ADDITIONS, additions, strict=True):
            out += [Paragraph(text(title), self.st["h2"]), *part()]
        if ctx.state.report.history:
            out.append(Paragraph("重新评审记录（R-SCR-2）", self.st["h2"]))
            out += [self.p(f"原报告 {h.get('final')} 因「{h.get('locked')}」锁定；重新评审：{h.get('reevaluation')}")
                    for h in ctx.state.report.history]
        out.append(self.p(f"本报告由账本（会话 {ctx.state.session}）生成，阶段："
                          f"{STAGE_NAMES.get(str(ctx.state.stage), ctx.state.stage)}。", "small"))
        return out + self.signatures()


def render(ctx: Context, events: list[SignedEvent], final: bool) -> bytes:
    """The report PDF; ``events``: the folded events (for pauses and reopened sheets)."""
    job = _Report(ctx, events, final)
    return build(job.story(), job.meta)
