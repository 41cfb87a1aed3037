"""The bid files a session's package lists (its case's ``bidders[].documents``, docs/bid-package.md), as every layer
reads them: the hub and relay that carry them, the services that show them."""

from __future__ import annotations

from typing import Any

PARTS = ("commercial", "technical", "qualification", "other")


def listed(package: Any) -> list[tuple[str, str, str, str, str]]:
    """(bidder, name, path, sha256, part) of every bid file ``package`` lists, in package order; what is malformed
    is skipped (the package was checked on import)."""
    out = []
    bidders = package.get("bidders", []) if isinstance(package, dict) else []
    for bidder in bidders if isinstance(bidders, list) else []:
        if not isinstance(bidder, dict):
            continue
        items = bidder.get("documents") or []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("path"), str) and isinstance(item.get("sha256"), str):
                part = item.get("part", "other")
                out.append((str(bidder.get("id", "")), str(bidder.get("name", "")), item["path"],
                            item["sha256"].lower(), part if part in PARTS else "other"))
    return out


def opened_digests(package: Any, opened: bool) -> set[str]:
    """The SHA-256 of every bid file once the bids are opened; none before (a PC is sent no bid before the opening)."""
    return {sha for _b, _n, _p, sha, _part in listed(package)} if opened else set()
