"""The report's printed numbers against the rule engine, independent of the renderer (``evalroom verify``).

Re-rendering the report and comparing bytes ties verification to one reportlab version. This check
reads the *text* of the signed PDF instead (PDFium's text extraction, ``pypdfium2``) and asks whether
what a reader sees equals what the rule engine recomputes from the ledger:

- every bidder's row of the comparison table: price, evaluated price, detailed-review score, price
  score, total and rank (in that order, in one row);
- the ranking table and the recommended candidates, in order;
- on every page, the ledger checkpoint in the footer (the one ``report.drafted`` names, which must be a
  checkpoint the room signed in the ledger) and "第 X 页 共 Y 页";
- in the final report: the draft's SHA-256 and every dissent's reasons and refusal note.

Table cells wrap and PDFium returns line breaks where the layout put them, so the text is compared with
all white space removed: a row is found when the concatenation of its expected cells occurs in the page.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from app.errors import EvalRoomError
from app.ledger.state import SessionState

_SPACE = re.compile(r"\s+")


class TextUnreadable(EvalRoomError):
    """The PDF cannot be opened or holds no text."""


def compact(value: str) -> str:
    return _SPACE.sub("", value)


def pages_text(pdf: bytes) -> list[str]:
    """The text of every page, in reading order (PDFium)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise TextUnreadable(f"cannot be opened as PDF ({exc})") from exc
    try:
        out = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            out.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return out
    finally:
        document.close()


def _money(value: Any) -> str:
    if value is None:
        return "—"
    sign, digits = ("-", str(value)[1:]) if str(value).startswith("-") else ("", str(value))
    whole, dot, frac = digits.partition(".")
    return f"{sign}{int(whole):,}{dot}{frac}" if whole.isdigit() else f"{sign}{digits}"


def _cell(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)


def expected_rows(state: SessionState) -> dict[str, str]:
    """What the comparison table must print for each bidder (compacted), from the rule engine's result."""
    data = state.result().to_json()
    case = state.base_case
    assert case is not None
    prices = {b.id: b.price for b in case.bidders}
    rows = {}
    for i, b in enumerate(data["bidders"], 1):
        items = sum((Decimal(v) for v in b["item_scores"].values()), Decimal(0)) if b["item_scores"] else None
        rank = ("并列" if b["tied"] else "") + (str(b["rank"]) if b["rank"] else "—")
        cells = [str(i), b["name"], _money(prices.get(b["id"])), _money(b["evaluated_price"]),
                 _cell(None if items is None else f"{items:.2f}"), _cell(b["price_score"]), _cell(b["total"]), rank]
        rows[b["id"]] = compact("".join(cells))
    return rows


def check_report_text(pdf: bytes, state: SessionState, what: str, final: bool) -> list[str]:
    """Problems (``report: …``) where the printed report disagrees with the ledger's rule-engine result.

    ``state`` is the ledger folded up to the report (its ``report`` part names the draft and checkpoint)."""
    try:
        pages = pages_text(pdf)
    except TextUnreadable as exc:
        return [f"report: {what} {exc}"]
    if not pages or not any(p.strip() for p in pages):
        return [f"report: {what} holds no extractable text"]
    flat = [compact(p) for p in pages]
    whole = "".join(flat)
    problems: list[str] = []
    data = state.result().to_json()
    names = {b["id"]: b["name"] for b in data["bidders"]}
    for bidder, row in expected_rows(state).items():
        if row not in whole:
            problems.append(f"report: {what} does not print {bidder}'s row as the rule engine computes it "
                            f"(total {data_total(data, bidder)}, rank {data_rank(data, bidder)})")
    case = state.base_case
    assert case is not None
    frame = [compact(f"{case.project.name}（{case.project.code}）标段（包）{case.lot.code} {case.lot.name}评标报告")]
    ranking = "".join(f"{i}{compact(names[b])}" for i, b in enumerate(data["ranking"], 1))
    if ranking and _table_text(whole, "名次投标人名称", AFTER_RANKING, frame) != ranking:
        problems.append(f"report: {what} does not print the ranking the rule engine computes: "
                        f"{', '.join(data['ranking'])}")
    candidates = "".join(f"{i}{compact(names[b])}" for i, b in enumerate(data["candidates"], 1))
    if candidates and _table_text(whole, "推荐顺序中标候选人", ("签订合同前要处理的事宜",), frame) != candidates:
        problems.append(f"report: {what} does not print the recommended candidates the rule engine computes: "
                        f"{', '.join(data['candidates'])}")
    problems += _footers(flat, state, what)
    if final:
        problems += _signatures(whole, state, what)
    return problems


def _table_text(whole: str, start: str, ends: tuple[str, ...], frame: list[str]) -> str | None:
    """The text of a table between its heading ``start`` and the first of ``ends`` after it, without what
    a page break puts between two rows (the page frame and the repeated heading)."""
    at = whole.find(start)
    found = [i for i in (whole.find(end, at + len(start)) for end in ends) if i >= 0] if at >= 0 else []
    if not found:
        return None
    stop = min(found)
    region = whole[at + len(start):stop]
    region = _FOOTER.sub("", region)
    for noise in (*frame, start):
        region = region.replace(noise, "")
    return region


AFTER_RANKING = ("评标结论：", "并列抽签：", "九、推荐的中标候选人", "推荐顺序中标候选人")  # what report.py prints next
_FOOTER = re.compile(r"账本检查点#\d+[0-9a-f]{64}第\d+页共\d+页")


def data_total(data: dict[str, Any], bidder: str) -> str:
    return next((str(b["total"]) for b in data["bidders"] if b["id"] == bidder), "—")


def data_rank(data: dict[str, Any], bidder: str) -> str:
    return next((str(b["rank"] or "—") for b in data["bidders"] if b["id"] == bidder), "—")


def _footers(flat: list[str], state: SessionState, what: str) -> list[str]:
    mark = state.report.checkpoint
    if not mark:
        return [f"report: the ledger names no checkpoint for {what}"]
    problems = []
    known = {f"#{c.size} {c.root}" for c in state.checkpoints}
    if mark not in known:
        problems.append(f"report: the checkpoint the draft names ({mark[:20]}…) "
                        "is not one the room signed in the ledger")
    footer = compact(f"账本检查点 {mark}")
    bad = [str(i) for i, page in enumerate(flat, 1) if footer not in page or f"第{i}页共{len(flat)}页" not in page]
    if bad:
        problems.append(f"report: {what} page(s) {', '.join(bad)} do not print the ledger checkpoint {mark[:20]}… "
                        "and the page number in the footer")
    return problems


def _signatures(whole: str, state: SessionState, what: str) -> list[str]:
    report = state.report
    problems = []
    if report.draft and compact(report.draft) not in whole:
        problems.append(f"report: {what} does not print the SHA-256 of the draft the members signed")
    for member, reasons in report.dissents.items():
        if compact(reasons) not in whole:
            problems.append(f"report: {what} does not print {member}'s dissent reasons as signed (R-SIG-2)")
    for member, note in report.refusals.items():
        if compact(note) not in whole:
            problems.append(f"report: {what} does not print the committee's note on {member}'s refusal (R-SIG-3)")
    return problems
