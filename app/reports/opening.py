"""开标记录 (bid-opening record): every bid read, with price, time of submission and lateness (R-OPEN-*)."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from app.domain.opening import is_late
from app.reports.context import Context, money, profile_name
from app.reports.layout import build, fields, frame_width, gap, styles, table, text

TITLE = "开标记录"


def story(ctx: Context) -> list[Flowable]:
    """The opening record's flowables (also printed as a section of the report)."""
    case, st = ctx.case, styles()
    width = frame_width(ctx.meta(TITLE))
    opening = ctx.state.opening or {}
    late = set(opening.get("late", [b.id for b in case.bidders if is_late(b, case.deadline)]))
    rows = [(i, b.name, money(b.price), b.submitted_at.strftime("%Y-%m-%d %H:%M:%S"),
             "逾期，拒收" if b.id in late else "按时", "是" if b.sme else "否") for i, b in enumerate(case.bidders, 1)]
    out: list[Flowable] = [
        table(["序号", "投标人名称", "投标报价（元）", "递交时间", "递交情况", "中小企业"], rows,
              [width * w for w in (0.07, 0.38, 0.17, 0.2, 0.1, 0.08)]),
        gap(),
        Paragraph(text(f"投标截止时间：{case.deadline.strftime('%Y-%m-%d %H:%M:%S')}；按时递交 "
                       f"{len(case.bidders) - len(late)} 家，逾期 {len(late)} 家。"), st["body"]),
    ]
    if opening.get("refused"):
        out.append(Paragraph("按时递交的投标人不足三家，不得开标（R-OPEN-3）。", st["body"]))
    objections = opening.get("objections", [])
    if objections:
        out.append(Paragraph("现场异议及答复", st["h2"]))
        out.append(table(["时间", "投标人", "异议", "答复"],
                         [(o["time"], ctx.bidder_name(o["bidder"]) if o.get("bidder") else "—", o["objection"],
                           o["answer"]) for o in objections], [width * w for w in (0.2, 0.25, 0.28, 0.27)]))
    confirmations = opening.get("confirmations", {})
    if confirmations:
        out.append(Paragraph("投标人代表确认", st["h2"]))
        out.append(table(["投标人", "代表"],
                         [(ctx.bidder_name(b), c["representative"]) for b, c in confirmations.items()],
                         [width * 0.6, width * 0.4]))
    return out


def render(ctx: Context) -> bytes:
    case, st = ctx.case, styles()
    meta = ctx.meta(TITLE)
    head = [Paragraph(TITLE, st["title"]),
            fields([("项目名称", case.project.name), ("项目编号", case.project.code),
                    ("标段（包）", f"{case.lot.code} {case.lot.name}"), ("项目类型", profile_name(case.profile)),
                    ("最高投标限价（元）", money(case.project.max_price)), ("会话", ctx.state.session),
                    ("评标室", ctx.state.room)], frame_width(meta)), gap(4)]
    return build(head + story(ctx), meta)
