"""`evalroom screen PACKAGE`: the collusion screen at opening (办法 §21 围标串标; R-PRE-1(7); docs/bid-package.md).

Each finding is a warning for the committee, never a rejection: ``{"kind", "bidders", "evidence"}``. Kinds:
``identical_file`` (one SHA-256 in two bidders' documents), ``same_author``, ``same_creator_tool``,
``same_creation_time``, ``same_xmp_document_id`` (the PDF's metadata), ``identical_page_text`` (a page whose text
is the same in two bidders' documents), ``identical_text_block`` (a sentence of 40 characters or more shared on pages
that differ), ``identical_price``, ``price_equal_spacing`` (three or more prices equally
apart) and ``price_fixed_ratio`` (three or more prices each one fixed ratio times the previous). Prices are
compared in Decimal arithmetic, exactly."""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

from app.domain.bid_files import listed
from app.domain.case import Case
from app.domain.collusion import KINDS
from app.services.bid_package import BID_FILES, BidDocument, Package, check_documents, open_case
from app.services.session import Session

#: a page's text shorter than this (after collapsing white space) is not compared (a cover, a page number)
MIN_PAGE_TEXT = 30
#: a sentence shorter than this is not compared (a heading, a phrase every bid uses)
MIN_BLOCK_TEXT = 40
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s")
_METADATA = (("Author", "same_author", "author"), ("Creator", "same_creator_tool", "creator tool"),
             ("CreationDate", "same_creation_time", "creation time"))
_XMP_ID = re.compile(rb'xmpMM:DocumentID\s*(?:=\s*"([^"]+)"|>\s*([^<\s]+)\s*<)')
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


@dataclass(frozen=True)
class Finding:
    kind: str
    bidders: tuple[str, ...]
    evidence: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "bidders": list(self.bidders), "evidence": self.evidence}


def xmp_document_id(data: bytes) -> str | None:
    """The XMP ``xmpMM:DocumentID`` of a PDF: in its plain metadata stream, else in a deflated stream."""
    found = _XMP_ID.search(data)
    if found is None:
        for stream in _STREAM.finditer(data):
            try:
                found = _XMP_ID.search(zlib.decompressobj().decompress(stream.group(1), 4 << 20))
            except zlib.error:
                continue
            if found:
                break
    if found is None:
        return None
    return (found.group(1) or found.group(2)).decode("utf-8", "replace").strip() or None


@dataclass
class _Read:
    document: BidDocument
    metadata: dict[str, str]
    xmp_id: str | None
    pages: list[str]


def _read(document: BidDocument) -> _Read:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(document.data)
    try:
        metadata = {k: str(v).strip() for k, v in pdf.get_metadata_dict(skip_empty=True).items() if str(v).strip()}
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            text = page.get_textpage()
            pages.append(" ".join(text.get_text_range().split()))
            text.close()
            page.close()
    finally:
        pdf.close()
    return _Read(document, metadata, xmp_document_id(document.data), pages)


def _shared(kind: str, groups: dict[str, list[tuple[str, str]]], describe: str) -> Iterable[Finding]:
    """One finding per value held by two bidders or more: ``groups`` maps a value to (bidder, where) pairs."""
    for value, holders in sorted(groups.items()):
        bidders = tuple(sorted({b for b, _ in holders}))
        if len(bidders) >= 2:
            places = ", ".join(sorted({w for _, w in holders}))
            yield Finding(kind, bidders, f"{describe} {value}: {places}")


def _block_findings(reads: list[_Read], pages: dict[str, list[tuple[str, str]]]) -> list[Finding]:
    """Sentences of 40 characters or more that two bidders' documents share on pages that are not the same page
    (a page shared whole is its own finding): text copied between bids, or written by one hand."""
    shared_pages = {text for text, holders in pages.items() if len({b for b, _ in holders}) >= 2}
    blocks: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for read in reads:
        for number, text in enumerate(read.pages, 1):
            if text in shared_pages:
                continue
            for sentence in _SENTENCE_END.split(text):
                sentence = sentence.strip()
                if len(sentence) >= MIN_BLOCK_TEXT:
                    blocks[sentence].append((read.document.bidder, f"{read.document.path} p.{number}"))
    return _text_findings("identical_text_block", blocks, "the same sentence")


def _text_findings(kind: str, groups: dict[str, list[tuple[str, str]]], describe: str) -> list[Finding]:
    """One finding per text two bidders or more hold (``groups``: text → (bidder, where)), with an excerpt."""
    out = []
    for text, holders in sorted(groups.items()):
        bidders = tuple(sorted({b for b, _ in holders}))
        if len(bidders) >= 2:
            excerpt = text if len(text) <= 60 else text[:60] + "…"
            places = ", ".join(sorted({w for _, w in holders}))
            out.append(Finding(kind, bidders, f"{describe} {excerpt!r}: {places}"))
    return out


def _show(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _price_findings(prices: dict[str, Decimal]) -> Iterable[Finding]:
    by_price: dict[Decimal, list[str]] = defaultdict(list)
    for bidder, price in prices.items():
        by_price[price].append(bidder)
    for price, holders in sorted(by_price.items()):
        if len(holders) >= 2:
            yield Finding("identical_price", tuple(sorted(holders)), f"the same price {price}")
    values = sorted(by_price)
    present = set(values)

    def ids(chain: list[Decimal]) -> tuple[str, ...]:
        return tuple(sorted(b for p in chain for b in by_price[p]))

    def listing(chain: list[Decimal]) -> str:
        return ", ".join(f"{'/'.join(sorted(by_price[p]))} {p}" for p in chain)

    for i, low in enumerate(values):
        for high in values[i + 1:]:
            step = high - low
            if low - step in present:
                continue  # not the progression's start
            chain = [low, high]
            while chain[-1] + step in present:
                chain.append(chain[-1] + step)
            if len(chain) >= 3:
                yield Finding("price_equal_spacing", ids(chain), f"{listing(chain)}: each {step} apart")
    with localcontext() as ctx:
        ctx.prec = 60
        for i, low in enumerate(values):
            for high in values[i + 1:]:
                if low <= 0:
                    continue
                previous = low * low / high
                if previous * high == low * low and previous in present:
                    continue  # not the progression's start
                chain = [low, high]
                while True:
                    following = chain[-1] * chain[-1] / chain[-2]
                    if following * chain[-2] != chain[-1] * chain[-1] or following not in present:
                        break
                    chain.append(following)
                if len(chain) >= 3:
                    ratio = high / low
                    if ratio * low != high:  # not a finite decimal: shown to six places
                        ratio = ratio.quantize(Decimal("0.000001"))
                    yield Finding("price_fixed_ratio", ids(chain),
                                  f"{listing(chain)}: each {_show(ratio)} times the previous")


def screen_package(package: Package) -> list[Finding]:
    """Every finding of the screen, in a stable order (kind as in KINDS, then bidders)."""
    return screen_bids(package.documents, package.case)


def screen_bids(documents: Sequence[BidDocument], case: Case) -> list[Finding]:
    """The screen of these bid files and the case's prices (:func:`screen_package` of a package read)."""
    # an encrypted file is screened as its plaintext once decrypted (the caller passes that); its ciphertext is not
    reads = [_read(d) for d in documents if not d.encrypted]
    findings: list[Finding] = []
    by_hash: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for read in reads:
        by_hash[read.document.sha256].append((read.document.bidder, read.document.path))
    findings += _shared("identical_file", by_hash, "SHA-256")
    for key, kind, describe in _METADATA:
        groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for read in reads:
            if key in read.metadata:
                groups[repr(read.metadata[key])].append((read.document.bidder, read.document.path))
        findings += _shared(kind, groups, describe)
    xmp: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for read in reads:
        if read.xmp_id:
            xmp[repr(read.xmp_id)].append((read.document.bidder, read.document.path))
    findings += _shared("same_xmp_document_id", xmp, "XMP document id")
    pages: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for read in reads:
        for number, text in enumerate(read.pages, 1):
            if len(text) >= MIN_PAGE_TEXT:
                pages[text].append((read.document.bidder, f"{read.document.path} p.{number}"))
    findings += _text_findings("identical_page_text", pages, "the same page text")
    findings += _block_findings(reads, pages)
    findings += _price_findings({b.id: b.price for b in case.bidders})
    return sorted(findings, key=lambda f: (KINDS.index(f.kind), f.bidders, f.evidence))


def screen(path: str | Path) -> dict[str, Any]:
    """The screen's JSON document for the package (or case file) at ``path``; a bad package is a CaseError."""
    return {"findings": [f.to_json() for f in screen_package(open_case(path))]}


def decrypted_documents(session: Session, folder: Path, key: bytes | None) -> tuple[BidDocument, ...]:
    """The bid files decrypted at opening as the console keeps them sealed (``decrypted/``, under the session's data
    key ``key``), as plaintext documents; none when nothing was decrypted."""
    decrypted = session.state.decrypted()
    if not decrypted or key is None:
        return ()
    from app.services.decryption import plaintexts

    plain = plaintexts(session, folder, key)
    parts = {(b, p): part for b, _n, p, _s, part in listed(session.state.package, decrypted)}
    return tuple(BidDocument(e["bidder"], path, sha, parts.get((e["bidder"], path), "other"), plain[path])
                 for path, sha in decrypted.items() for e in [session.state.decryption[path]])


def record_screen(session: Session, documents: Sequence[BidDocument] | None = None,
                  folder: Path | None = None, data_key: Callable[[], bytes] | None = None) -> bool:
    """Screen the bids just read at opening and record the findings as the room's event (once per session).

    ``documents``: the bid files as read from the package; else those kept in ``folder``'s bid files (a console
    re-opened on its session), checked against the package's hashes again. Nothing is recorded for a case
    without bid files (there is nothing to screen but prices, and the committee would see a screen of none)."""
    state = session.state
    if state.screen is not None or state.opening is None or state.base_case is None:
        return False
    if documents is None:
        if folder is None or not (folder / BID_FILES).is_dir():
            return False
        documents = check_documents(state.package, folder / BID_FILES)
        documents = tuple(d for d in documents if not d.encrypted) + decrypted_documents(
            session, folder, data_key() if data_key is not None and session.state.decrypted() else None)
    if not documents:
        return False
    findings = screen_bids(documents, state.base_case)
    session.record_screen([f.to_json() for f in findings], len(documents))
    return True
