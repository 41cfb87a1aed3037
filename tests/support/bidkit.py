"""Crafted bid files and packages for the tests of the bid files and the collusion screen: small valid PDFs written
byte by byte (so the metadata and the XMP packet are exactly ours), and a package of the engineering example whose
bidders each carry one technical PDF."""

from __future__ import annotations

import hashlib
import json
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "engineering-lowest-price.json"


def crafted_pdf(pages: list[str], author: str, created: str, creator: str = "WPS Office",
                document_id: str | None = None, deflate_xmp: bool = False) -> bytes:
    """A small valid PDF: one text line per page, an Info dictionary and optionally an XMP packet."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: bytes = b"") -> bytes:
        return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), extra, data)

    catalog = add(b"")  # filled below
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for text in pages:
        content = add(stream(b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text.encode("latin-1")))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)))
    metadata = b""
    if document_id is not None:
        xmp = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
               b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
               b'xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"><xmpMM:DocumentID>%s</xmpMM:DocumentID>'
               b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>' % document_id.encode())
        if deflate_xmp:
            meta = add(stream(zlib.compress(xmp), b"/Type /Metadata /Subtype /XML /Filter /FlateDecode "))
        else:
            meta = add(stream(xmp, b"/Type /Metadata /Subtype /XML "))
        metadata = b" /Metadata %d 0 R" % meta
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R%s >>" % (pages_id, metadata)
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info = add(b"<< /Author (%s) /Creator (%s) /Producer (crafted) /CreationDate (%s) >>" % (
        author.encode(), creator.encode(), created.encode()))
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, info, xref)
    return bytes(out)


HONEST_PRICES = ["5000000.00", "5073000.00", "4981000.00", "5212000.00", "5339000.00"]


def package(folder: Path, bids: dict[str, bytes], prices: list[str] = HONEST_PRICES) -> Path:
    document: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    folder.mkdir()
    for index, bidder in enumerate(document["bidders"]):
        bidder["price"] = prices[index % len(prices)]
        data = bids.get(bidder["id"])
        if data is None:
            data = crafted_pdf([f"Technical proposal of {bidder['name'].encode('unicode_escape').decode()} "
                                f"number {index}"], author=f"author {index}", created=f"D:2026112{index}101500+08'00'",
                               creator=f"tool {index}", document_id=f"uuid:{index:08d}-honest")
        rel = f"bids/{bidder['id']}/technical.pdf"
        (folder / rel).parent.mkdir(parents=True)
        (folder / rel).write_bytes(data)
        bidder["documents"] = [{"path": rel, "sha256": hashlib.sha256(data).hexdigest(), "part": "technical"}]
    (folder / "case.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return folder
