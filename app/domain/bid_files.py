"""The bid files a session's package lists (its case's ``bidders[].documents``, docs/bid-package.md), as every layer
reads them: the hub and relay that carry them, the services that show them."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

PARTS = ("commercial", "technical", "qualification", "other")


def document_entries(package: Any) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(bidder, document entry) of every well-formed entry (a ``path`` and a ``sha256``) ``package`` lists, in package
    order; what is malformed is skipped (the package was checked on import)."""
    bidders = package.get("bidders", []) if isinstance(package, dict) else []
    for bidder in bidders if isinstance(bidders, list) else []:
        if not isinstance(bidder, dict):
            continue
        items = bidder.get("documents") or []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("path"), str) and isinstance(item.get("sha256"), str):
                yield bidder, item


def listed(package: Any, decrypted: dict[str, str] | None = None) -> list[tuple[str, str, str, str, str]]:
    """(bidder, name, path, sha256, part) of every bid file ``package`` lists, in package order. An encrypted file
    (R-OPEN-10) is listed only once it is decrypted, with the SHA-256 of its plaintext (``decrypted``: path →
    plaintext SHA-256, from the ledger)."""
    out = []
    for bidder, item in document_entries(package):
        part = item.get("part", "other")
        sha = item["sha256"].lower()
        if "encryption" in item:
            plain = (decrypted or {}).get(item["path"])
            if plain is None:
                continue  # not decrypted (yet, or ever): nothing to show
            sha = plain
        out.append((str(bidder.get("id", "")), str(bidder.get("name", "")), item["path"],
                    sha, part if part in PARTS else "other"))
    return out


def opened_digests(package: Any, opened: bool, decrypted: dict[str, str] | None = None,
                   excluded: Collection[str] = ()) -> set[str]:
    """The SHA-256 of every bid file once the bids are opened; none before (a PC is sent no bid before the opening).
    An encrypted file counts by its plaintext's SHA-256 once decrypted (``decrypted``, as in :func:`listed`); no file
    of a bid ``excluded`` at the decryption (R-OPEN-10: bidder ids) counts, plain or decrypted."""
    if not opened:
        return set()
    return {sha for bidder, _n, _p, sha, _part in listed(package, decrypted) if bidder not in excluded}


def has_encrypted(package: Any) -> bool:
    """Whether ``package`` lists an encrypted bid file (one with ``encryption``)."""
    bidders = package.get("bidders", []) if isinstance(package, dict) else []
    return any(isinstance(item, dict) and "encryption" in item
               for bidder in (bidders if isinstance(bidders, list) else []) if isinstance(bidder, dict)
               for item in (bidder.get("documents") or [] if isinstance(bidder.get("documents"), list) else []))


def references(package: Any) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """评分索引: bidder → criterion → [{"path", "page", "note", "part"}] of every bidder's ``references``
    (docs/bid-package.md), in package order (``part``: the referenced document's); what is malformed is skipped (the
    package was checked on import)."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    bidders = package.get("bidders", []) if isinstance(package, dict) else []
    for bidder in bidders if isinstance(bidders, list) else []:
        refs = bidder.get("references") if isinstance(bidder, dict) else None
        if not isinstance(refs, dict):
            continue
        docs = bidder.get("documents") or []
        parts = {d.get("path"): d.get("part", "other") for d in docs if isinstance(d, dict)} \
            if isinstance(docs, list) else {}
        for criterion, items in refs.items():
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and isinstance(item.get("path"), str) and isinstance(item.get("page"), int):
                    note, part = item.get("note"), parts.get(item["path"], "other")
                    out.setdefault(str(bidder.get("id", "")), {}).setdefault(str(criterion), []).append(
                        {"path": item["path"], "page": item["page"], "note": note if isinstance(note, str) else "",
                         "part": part if part in PARTS else "other"})
    return out
