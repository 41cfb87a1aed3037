"""The center's archive receipt beside an archive (``evalroom verify BAG --receipt receipt.json``).

The receipt (``sync push`` writes ``DIR/receipt.json``; a single receipt file does too) must be the center's signed
receipt of *this* bag (its archive id is the SHA-256 of the bag's ``tagmanifest-sha256.txt``), signed by the center
key given (``--center-key``; without it the receipt's signature is not checked, and a note says so). When the archive
arrived without a timestamp of its own, the receipt's ``timestamp.token`` is the center's RFC 3161 token over the
SHA-256 of the bag signature's value: checked as the bag's own token is (imprint, the TSA's signature, with trust
roots its path), and its time reported.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509

from app.archive.bag import read_envelope, signature_bytes
from app.center.protocol import receipt_valid
from app.crypto import tsa
from app.crypto.keys import VerifyingKey


@dataclass
class ReceiptCheck:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stamped: bool = False  # the center's token is sound (its TSA trusted, when roots are given)


def _receipts(document: Any) -> list[Any]:
    if isinstance(document, dict) and isinstance(document.get("archives"), list):
        return list(document["archives"])  # sync push's receipt.json
    return [document]


def check_receipt(bag: Path, document: Any, center_key: VerifyingKey | None,
                  roots: list[x509.Certificate] | None) -> ReceiptCheck:
    out = ReceiptCheck()
    try:
        archive = hashlib.sha256((bag / "tagmanifest-sha256.txt").read_bytes()).hexdigest()
    except OSError:
        out.problems.append("receipt: the bag has no tagmanifest-sha256.txt (no archive id to match)")
        return out
    mine = [r for r in _receipts(document) if isinstance(r, dict) and isinstance(r.get("receipt"), dict)
            and r["receipt"].get("kind") == "archive" and r["receipt"].get("archive") == archive]
    if not mine:
        out.problems.append(f"receipt: no archive receipt for this bag (archive {archive[:12]}…)")
        return out
    signed = mine[-1]
    body = signed["receipt"]
    if center_key is None:
        out.notes.append("receipt: its signature is not checked (pass --center-key center.pub.pem)")
    elif not receipt_valid(signed, center_key):
        out.problems.append(f"receipt: not signed by the center key {center_key.key_id[:8]}")
        return out
    stamp = body.get("timestamp")
    if not isinstance(stamp, dict):
        out.notes.append("receipt: carries no timestamp (a center of an earlier version)")
        return out
    if "in_archive" in stamp:
        out.notes.append("receipt: the archive carried its own timestamp; the center added none")
        return out
    if "token" not in stamp:
        out.notes.append(f"receipt: the center had no timestamp either ({stamp.get('none')})")
        return out
    envelope = read_envelope(bag)
    signature = signature_bytes(envelope) if envelope is not None else None
    try:
        token = base64.b64decode(str(stamp["token"]), validate=True)
    except (binascii.Error, ValueError):
        out.problems.append("receipt: its timestamp token is not base64")
        return out
    if signature is None:
        out.problems.append("receipt: the bag's signature cannot be read to check the timestamp against")
        return out
    checked = tsa.check_token(token, signature, roots, "receipt: the center's timestamp")
    out.problems += checked.problems
    out.stamped = not checked.problems and checked.time is not None
    if out.stamped:
        pinned = "" if checked.trusted else " (TSA not checked: pass --trust with the TSA's CA)"
        out.notes.append(f"receipt: the center stamped the bag signature {checked.time:%Y-%m-%d %H:%M:%S} UTC by "
                         f"{checked.tsa!r} (RFC 3161){pinned}")
    return out


def load_receipt(path: Path) -> Any:
    """The JSON of a receipt file; ValueError with one line when it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"{path}: cannot be read ({exc.strerror})") from exc
    except ValueError as exc:
        raise ValueError(f"{path}: not JSON ({exc})") from exc
