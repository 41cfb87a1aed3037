"""The collusion screen's findings (办法 §21 围标串标预警; R-PRE-1(7)) as the ledger and the report know them.

A finding is a warning for the committee, never a rejection: the committee decides on each one (an event of
the chair's), and a bid it finds collusive is then rejected in the preliminary review on ground (7). The
screen itself (reading the bid files) is :mod:`app.services.screen`."""

from __future__ import annotations

from typing import Any

KINDS = ("identical_file", "same_author", "same_creator_tool", "same_creation_time", "same_xmp_document_id",
         "identical_page_text", "identical_text_block", "identical_price", "price_equal_spacing", "price_fixed_ratio")
#: what each kind is called in the report and on the chair's page
KIND_NAMES = {
    "identical_file": "投标文件完全相同（SHA-256 一致）",
    "same_author": "文件作者相同",
    "same_creator_tool": "文件制作工具相同",
    "same_creation_time": "文件创建时间相同",
    "same_xmp_document_id": "文件 XMP 文档标识相同",
    "identical_page_text": "页面内容相同",
    "identical_text_block": "段落文字相同",
    "identical_price": "投标报价相同",
    "price_equal_spacing": "投标报价呈等差排列",
    "price_fixed_ratio": "投标报价呈固定比例排列",
}
#: the fewest bidders a finding of this kind names (a pattern of prices needs three)
MIN_BIDDERS = {"price_equal_spacing": 3, "price_fixed_ratio": 3}


def finding_problem(item: Any, bidders: frozenset[str]) -> str | None:
    """Why ``item`` is not a finding of the screen (``{"kind", "bidders", "evidence"}``), or None."""
    if not isinstance(item, dict) or set(item) != {"kind", "bidders", "evidence"}:
        return "a finding must be an object with exactly kind, bidders and evidence"
    kind, named, evidence = item["kind"], item["bidders"], item["evidence"]
    if kind not in KINDS:
        return f"unknown finding kind {kind!r}"
    if not isinstance(named, list) or not all(isinstance(b, str) for b in named):
        return "bidders must be a list of bidder ids"
    unknown = sorted(set(named) - bidders)
    if unknown:
        return f"unknown bidder {unknown[0]!r}"
    if len(set(named)) != len(named) or len(named) < MIN_BIDDERS.get(kind, 2):
        return f"a {kind} finding names at least {MIN_BIDDERS.get(kind, 2)} different bidders"
    if not isinstance(evidence, str) or not evidence.strip():
        return "evidence must be a non-empty string"
    return None
