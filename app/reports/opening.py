"""开标记录 (bid-opening record): every bid read, with price, time of submission and lateness (R-OPEN-*)."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from app.domain.decryption import CAUSE_ZH
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
    excluded = ctx.state.decryption_failures()
    deemed = {"revoked": "解密失败，视为撤销", "withdrawn": "解密失败，视为撤回"}
    rows = [(i, b.name, "—" if b.id in excluded else money(b.price), b.submitted_at.strftime("%Y-%m-%d %H:%M:%S"),
             "逾期，拒收" if b.id in late else deemed[excluded[b.id]["outcome"]] if b.id in excluded else "按时",
             "是" if b.sme else "否") for i, b in enumerate(case.bidders, 1)]
    out: list[Flowable] = [
        table(["序号", "投标人名称", "投标报价（元）", "递交时间", "递交情况", "中小企业"], rows,
              [width * w for w in (0.07, 0.38, 0.17, 0.2, 0.1, 0.08)]),
        gap(),
        Paragraph(text(f"投标截止时间：{case.deadline.strftime('%Y-%m-%d %H:%M:%S')}；按时递交 "
                       f"{len(case.bidders) - len(late)} 家，逾期 {len(late)} 家。"), st["body"]),
    ]
    if opening.get("refused"):
        out.append(Paragraph("按时递交的投标人不足三家，不得开标（R-OPEN-3）。", st["body"]))
    if ctx.state.decryption:
        out += _decryption(ctx, width)
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


def _decryption(ctx: Context, width: float) -> list[Flowable]:
    """R-OPEN-10: every encrypted bid file's decryption, from the ledger (the plaintext's SHA-256, or the cause)."""
    st = styles()
    rows = []
    for path, entry in ctx.state.decryption.items():
        if entry["ok"]:
            result = f"已解密，明文 SHA-256 {entry['plaintext_sha256']}"
        else:
            deemed = "视为撤销（投标人原因）" if entry["outcome"] == "revoked" else "视为撤回（非投标人原因）"
            result = f"解密失败：{CAUSE_ZH.get(entry['cause'], entry['cause'])}，{deemed}"
        rows.append((ctx.bidder_name(entry["bidder"]), path, entry["time"][:19].replace("T", " "), result))
    return [Paragraph("投标文件解密（R-OPEN-10）", st["h2"]),
            table(["投标人", "投标文件", "时间（UTC）", "结果"], rows, [width * w for w in (0.22, 0.25, 0.16, 0.37)]),
            Paragraph(text("投标人原因导致解密失败的，视为撤销其投标；因其他原因解密失败的，视为撤回其投标；"
                           "解密失败的投标不参加评标，开标继续进行。"), st["body"])]


def render(ctx: Context) -> bytes:
    case, st = ctx.case, styles()
    meta = ctx.meta(TITLE)
    head = [Paragraph(TITLE, st["title"]),
            fields([("项目名称", case.project.name), ("项目编号", case.project.code),
                    ("标段（包）", f"{case.lot.code} {case.lot.name}"), ("项目类型", profile_name(case.profile)),
                    ("最高投标限价（元）", money(case.project.max_price)), ("会话", ctx.state.session),
                    ("评标室", ctx.state.room)], frame_width(meta)), gap(4)]
    return build(head + story(ctx), meta)
