"""A package of five bidders with long bid PDFs (50–300 pages, reportlab), some of them encrypted (issue 18 item 2):

- B1 plain, 50 pages;
- B2 CMS EnvelopedData to its certificate (made with ``openssl``, encrypted with ``openssl cms``), 300 pages;
- B3 a passphrase container, 120 pages;
- B4 a passphrase container; its representative presents a wrong passphrase → revoked;
- B5 CMS to its certificate, the file damaged in the platform's keeping (its registered hash is of the damaged
  bytes) → withdrawn.

:func:`build` writes the package and the bidders' key folder (``keys/<id>.p12``, ``keys/<id>.passphrase``, as
``--bidder-keys`` reads it); the PDFs are generated once per test run (``built_once``)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
from pathlib import Path
from typing import Any

from reportlab.pdfgen import canvas

from app.crypto.bid_crypto import seal_passphrase

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "engineering-lowest-price.json"
PAGES = {"B1": 50, "B2": 300, "B3": 120, "B4": 80, "B5": 60}
P12_PASS = "bidder-p12-pass"
PASSPHRASES = {"B3": "B3 opens its bid", "B4": "B4 opens its bid"}
WRONG = {"B4": "not B4's passphrase"}
#: the page of each bidder's technical bid that the criteria's page references point at (评分索引)
REFERENCES = {"B1": 7, "B2": 123, "B3": 42}


def long_pdf(bidder: str, pages: int) -> bytes:
    out = io.BytesIO()
    doc = canvas.Canvas(out)
    doc.setAuthor(f"author of {bidder}")
    doc.setTitle(f"technical bid {bidder}")
    for number in range(1, pages + 1):
        doc.drawString(72, 760, f"Technical bid of {bidder}, page {number} of {pages}")
        for line in range(30):
            doc.drawString(72, 730 - 20 * line, f"{bidder} section {number}.{line}: construction method and "
                                                f"schedule details, item {number * 100 + line}")
        doc.showPage()
    doc.save()
    return out.getvalue()


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "PW": P12_PASS})


def bidder_certificate(folder: Path, bidder: str) -> tuple[Path, Path]:
    """A self-signed RSA certificate and its PKCS#12 file for ``bidder``, made by ``openssl`` (the CA-issued
    certificate of a real bidder is the same to CMS)."""
    key, crt, p12 = folder / f"{bidder}.key", folder / f"{bidder}.crt", folder / f"{bidder}.p12"
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(crt), "-days", "30",
             "-subj", f"/CN=bidder {bidder}", cwd=folder)
    _openssl("pkcs12", "-export", "-inkey", str(key), "-in", str(crt), "-passout", "env:PW", "-out", str(p12),
             cwd=folder)
    return crt, p12


def cms_encrypt(folder: Path, plaintext: bytes, crt: Path, name: str) -> bytes:
    """``openssl cms -encrypt`` (DER, AES-256-CBC) of ``plaintext`` to the certificate ``crt``."""
    src, out = folder / f"{name}.plain", folder / f"{name}.p7m"
    src.write_bytes(plaintext)
    _openssl("cms", "-encrypt", "-binary", "-aes256", "-outform", "DER", "-in", str(src), "-out", str(out), str(crt),
             cwd=folder)
    src.unlink()
    return out.read_bytes()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build(folder: Path) -> dict[str, Any]:
    """The package in ``folder/package`` and the keys in ``folder/keys`` (B4's passphrase file is the wrong one)."""
    package, keys, work = folder / "package", folder / "keys", folder / "work"
    for made in (package, keys, work):
        made.mkdir(parents=True)
    document: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    plain_sha = {}
    for bidder in document["bidders"]:
        bid = bidder["id"]
        data = long_pdf(bid, PAGES[bid])
        plain_sha[bid] = _sha(data)
        entry: dict[str, Any] = {"part": "technical"}
        if bid == "B1":
            rel, shipped = f"bids/{bid}/technical.pdf", data
        elif bid in ("B2", "B5"):
            crt, p12 = bidder_certificate(work, bid)
            (keys / f"{bid}.p12").write_bytes(p12.read_bytes())
            (keys / f"{bid}.passphrase").write_text(P12_PASS + "\n", encoding="utf-8")
            rel, shipped = f"bids/{bid}/technical.pdf.p7m", cms_encrypt(work, data, crt, bid)
            if bid == "B5":  # damaged in the platform's keeping before its hash was registered: cut short
                shipped = shipped[: len(shipped) // 2]
            entry["encryption"] = {"scheme": "cms", "plaintext_sha256": plain_sha[bid]}
        else:
            rel, shipped = f"bids/{bid}/technical.pdf.evrbid", seal_passphrase(data, PASSPHRASES[bid].encode())
            (keys / f"{bid}.passphrase").write_text(WRONG.get(bid, PASSPHRASES[bid]) + "\n", encoding="utf-8")
            entry["encryption"] = {"scheme": "passphrase"}
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_bytes(shipped)
        bidder["documents"] = [{"path": rel, "sha256": _sha(shipped), **entry}]
    (package / "case.json").write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return {"plaintext_sha256": plain_sha}


DEMO = ROOT / "examples" / "procurement-goods-comprehensive.json"


def referenced(folder: Path) -> dict[str, Any]:
    """The demo's comprehensive case as a package whose B1 (plain, 60 pages) and B2 (passphrase-encrypted, 150 pages)
    give criteria page references (评分索引): B1 T1 → p. 7; B2 T1 → p. 123, T2 → pp. 5 and 88."""
    package, keys = folder / "package", folder / "keys"
    package.mkdir(parents=True)
    keys.mkdir()
    document: dict[str, Any] = json.loads(DEMO.read_text(encoding="utf-8"))
    b1, b2 = long_pdf("B1", 60), long_pdf("B2", 150)
    (package / "bids/B1").mkdir(parents=True)
    (package / "bids/B2").mkdir(parents=True)
    (package / "bids/B1/technical.pdf").write_bytes(b1)
    shipped = seal_passphrase(b2, PASSPHRASES["B3"].encode())
    (package / "bids/B2/technical.pdf.evrbid").write_bytes(shipped)
    (keys / "B2.passphrase").write_text(PASSPHRASES["B3"], encoding="utf-8")
    bidders = {b["id"]: b for b in document["bidders"]}
    bidders["B1"]["documents"] = [{"path": "bids/B1/technical.pdf", "sha256": _sha(b1), "part": "technical"}]
    bidders["B1"]["references"] = {"T1": [{"path": "bids/B1/technical.pdf", "page": 7, "note": "施工组织设计"}]}
    bidders["B2"]["documents"] = [{"path": "bids/B2/technical.pdf.evrbid", "sha256": _sha(shipped),
                                   "part": "technical", "encryption": {"scheme": "passphrase",
                                                                       "plaintext_sha256": _sha(b2)}}]
    bidders["B2"]["references"] = {"T1": [{"path": "bids/B2/technical.pdf.evrbid", "page": 123}],
                                   "T2": [{"path": "bids/B2/technical.pdf.evrbid", "page": 5, "note": "质量保证"},
                                          {"path": "bids/B2/technical.pdf.evrbid", "page": 88}]}
    (package / "case.json").write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return {"B2": _sha(b2)}
