"""The result notice (中标候选人公示; 细则 §22, 办法 §26), as JSON and as a PDF, from the folded ledger only.

Engineering (L2 Art 54, R-RNK-8): the candidates in order with their prices and the evaluation's figures, published
within 3 days of the report, for at least 3 days; an objection during it is answered within 3 days and the tendering
waits for the answer. Procurement (R87 Art 69): the result notice names the evaluation committee's experts, so this
one does; the engineering notice does not name them (no rule asks it, and the names stay confidential). Bids
rejected are listed with their reasons, as notices do."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph

from app.reports.context import Context, money, profile_name
from app.reports.layout import build, fields, frame_width, gap, styles, table, text

FORMAT = "evalroom-notice/1"
TITLES = {"engineering": "中标候选人公示", "procurement": "评审结果（中标、成交候选人）公示"}
PERIOD_DAYS = {"engineering": 3, "procurement": 1}  # at least (L2 Art 54; R87: the result notice, 1 working day)
PERIOD_TEXT = {"engineering": "公示期不少于 3 日。", "procurement": "公告期限为 1 个工作日。"}
OBJECTION = {
    "engineering": "投标人或者其他利害关系人对评标结果有异议的，应当在中标候选人公示期间提出；"
                   "招标人应当自收到异议之日起3日内作出答复，作出答复前，应当暂停招标投标活动（《招标投标法实施条例》第五十四条）。",
    "procurement": "供应商认为采购过程、中标或者成交结果使自己的权益受到损害的，可以在知道或者应知其权益受到损害之日起"
                   "7个工作日内，以书面形式向采购人或者采购代理机构提出质疑。",
}


def _chinese(reason: str | None) -> str | None:
    """The rule engine's reason "中文 / English" as a Chinese notice prints it (its Chinese half)."""
    return reason.split(" / ")[0].strip() if reason else reason


def notice(ctx: Context, report_sha256: str | None) -> dict[str, Any]:
    """The notice's content (the JSON published beside the PDF): the candidates in order, rejected bids, the
    committee where the rules publish it, the period and how to object."""
    case, result = ctx.case, ctx.result.to_json()
    bidders = {b["id"]: b for b in result["bidders"]}
    candidates = []
    for rank, bidder_id in enumerate(result.get("candidates") or [], 1):
        row = bidders[bidder_id]
        price = next(b.price for b in case.bidders if b.id == bidder_id)
        candidates.append({"order": rank, "bidder": bidder_id, "name": row["name"], "price": str(price),
                           "evaluated_price": row.get("evaluated_price"), "total": row.get("total"),
                           "tied": bool(row.get("tied"))})
    rejected = [{"bidder": b["id"], "name": b["name"], "reason": _chinese(b.get("reason"))}
                for b in result["bidders"] if not b.get("valid")]
    committee = ([{"name": m.name, "role": m.role} for m in ctx.active()]
                 if case.profile == "procurement" else None)
    return {
        "format": FORMAT, "title": TITLES.get(case.profile, TITLES["engineering"]), "profile": case.profile,
        "project": {"code": case.project.code, "name": case.project.name},
        "lot": {"code": case.lot.code, "name": case.lot.name},
        "session": ctx.state.session, "status": result["status"], "report_sha256": report_sha256,
        "candidates": candidates, "rejected": rejected, "committee": committee,
        "period_days": PERIOD_DAYS.get(case.profile, 3), "objection": OBJECTION.get(case.profile, ""),
    }


def render(ctx: Context, content: dict[str, Any]) -> bytes:
    """The notice as the trading center publishes it (A4, the candidates' table, the objection clause)."""
    st = styles()
    meta = ctx.meta(content["title"])
    width = frame_width(meta)
    lowest = any(c["total"] is None for c in content["candidates"])
    out = [Paragraph(text(content["title"]), st["title"]),
           fields([("项目名称", content["project"]["name"]), ("项目编号", content["project"]["code"]),
                   ("标段（包）", f"{content['lot']['code']} {content['lot']['name']}"),
                   ("项目类型", profile_name(content["profile"])),
                   ("评标报告", (content["report_sha256"] or "—")[:16] + "…（SHA-256）")], width), gap(4),
           Paragraph("一、中标候选人", st["h2"])]
    if content["candidates"]:
        header = ["排序", "投标人名称", "投标报价（元）", "评标价（元）" if lowest else "综合得分"]
        rows = [(c["order"], c["name"] + ("（并列）" if c["tied"] else ""), money(c["price"]),
                 money(c["evaluated_price"]) if lowest else c["total"]) for c in content["candidates"]]
        out.append(table(header, rows, [width * w for w in (0.1, 0.46, 0.22, 0.22)]))
    else:
        out.append(Paragraph(text("评标委员会未推荐中标候选人。"), st["body"]))
    out.append(Paragraph("二、被否决的投标", st["h2"]))
    if content["rejected"]:
        out.append(table(["投标人名称", "否决理由"], [(r["name"], r["reason"] or "—") for r in content["rejected"]],
                         [width * 0.45, width * 0.55]))
    else:
        out.append(Paragraph("无。", st["body"]))
    if content["committee"] is not None:
        out.append(Paragraph("三、评审委员会成员", st["h2"]))
        out.append(Paragraph(text("、".join(m["name"] for m in content["committee"])), st["body"]))
    out += [Paragraph("公示期与异议", st["h2"]),
            Paragraph(text(PERIOD_TEXT.get(content["profile"], PERIOD_TEXT["engineering"]) + content["objection"]),
                      st["body"])]
    return build(out, meta)
