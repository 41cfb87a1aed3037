"""评分表 (each member's score sheet) and 评标得分汇总表 (summary). Wide tables split bidders into blocks of
seven per table, as room clients do (notes/room-workflow.md §3), each block repeating the criteria.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.platypus import Flowable, PageBreak, Paragraph

from app.reports.context import GROUPS, TYPES, Context, money
from app.reports.layout import build, frame_width, gap, styles, table, text

SHEET_TITLE = "详细评审专家个人评分表"
SUMMARY_TITLE = "评标得分汇总表"
BLOCK = 7


def _sheet(ctx: Context, member_id: str, width: float) -> list[Flowable]:
    st, case = styles(), ctx.case
    sheet = ctx.state.scores.get(member_id, {})
    member = ctx.state.members[member_id]
    out: list[Flowable] = [Paragraph(text(f"{SHEET_TITLE}：{ctx.member_name(member_id)}"), st["h1"])]
    state = "已提交" if member.submitted else "未提交（草稿，不计入结果）"
    out.append(Paragraph(text(f"评分状态：{state}"), st["small"]))
    bidders = list(case.bidders)
    for start in range(0, len(bidders), BLOCK):
        block = bidders[start:start + BLOCK]
        header = ["评审因素", "类型", "分值", *[f"{b.id} {b.name}" for b in block]]
        rows = []
        for c in case.method.criteria:
            rows.append([c.name, f"{GROUPS.get(c.group, c.group)}/{TYPES.get(c.type, c.type)}", str(c.max),
                         *[sheet.get(b.id, {}).get(c.id) for b in block]])
        totals = [sum((Decimal(v) for v in sheet.get(b.id, {}).values()), Decimal(0)) if sheet.get(b.id) else None
                  for b in block]
        rows.append(["得分合计", "", "", *[None if t is None else f"{t:.2f}" for t in totals]])
        fixed = [0.24, 0.1, 0.06]
        each = (1 - sum(fixed)) / len(block)
        out.append(table(header, rows, [width * w for w in fixed] + [width * each] * len(block), font_size=8))
        out.append(gap(2))
    out.append(Paragraph(text(f"评审专家签字：{member.name}（见评标报告签字页）        监标人：__________"),
                         st["body"]))
    return out


def render_sheets(ctx: Context) -> bytes:
    meta = ctx.meta("评分表", landscape=True)
    width = frame_width(meta)
    story: list[Flowable] = []
    for member in ctx.active():
        if member.role == "expert" or member.id in ctx.state.scores:
            story += _sheet(ctx, member.id, width)
            story.append(PageBreak())
    story = story[:-1] if story else [Paragraph("本项目无详细评审评分。", styles()["body"])]
    return build(story, meta)




def summary_story(ctx: Context, width: float, wrap: bool = True) -> list[Flowable]:
    """The summary table; the figures are the rule engine's (money() of exact fractions, as in result JSON)."""
    data = ctx.result.to_json()
    rows = []
    for i, (b, bid) in enumerate(zip(data["bidders"], ctx.case.bidders, strict=True), 1):
        items = sum((Decimal(v) for v in b["item_scores"].values()), Decimal(0)) if b["item_scores"] else None
        rank = ("并列" if b["tied"] else "") + (str(b["rank"]) if b["rank"] else "—")
        rows.append([i, b["name"], money(bid.price), money(b["evaluated_price"]),
                     None if items is None else f"{items:.2f}",
                     b["price_score"], b["total"], rank, "有效" if b["valid"] else f"无效：{b['reason'] or ''}"])
    header = ["序号", "投标人名称", "投标报价（元）", "评审价格（元）", "详细评审得分", "投标报价得分", "总得分",
              "名次", "有效性"]
    widths = [0.05, 0.25, 0.12, 0.12, 0.09, 0.09, 0.08, 0.06, 0.14]
    return [table(header, rows, [width * w for w in widths], wrap=wrap, font_size=8)]


def render_summary(ctx: Context) -> bytes:
    meta = ctx.meta(SUMMARY_TITLE, landscape=True)
    st = styles()
    story: list[Flowable] = [Paragraph(SUMMARY_TITLE, st["title"])]
    story += summary_story(ctx, frame_width(meta))
    story.append(gap())
    if ctx.result.benchmark_price is not None:
        story.append(Paragraph(text(f"评标基准价：{money(ctx.result.to_json()['benchmark_price'])} 元"), st["body"]))
    candidates = "、".join(ctx.bidder_name(b) for b in ctx.result.candidates) or "无"
    story.append(Paragraph(text("推荐中标候选人（按排序）：" + candidates), st["body"]))
    return build(story, meta)
