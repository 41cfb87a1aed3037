"""The wire contract between rooms and the center, free of any web framework (the client imports it too).

Request signing (every room request):

    X-EvalRoom-Room:      the room id, or ``key:KEY_ID`` for a key the session declared (an expert's check-in
                          key on a workstation): such a request is accepted for that key's sessions only
    X-EvalRoom-Time:      UTC seconds since the epoch (integer, as text)
    X-EvalRoom-Nonce:     16+ random bytes, hex (never reused: the center keeps them for the skew window)
    X-EvalRoom-Signature: base64 Ed25519 over REQUEST_CONTEXT + "METHOD\\nPATH?QUERY\\nsha256(body) hex\\nTIME\\nNONCE"

Receipts: canonical JSON ``{center, kind, time, ...}`` signed by the center key over RECEIPT_CONTEXT +
sha256(canonical bytes); the client keeps ``{"receipt": {...}, "alg", "sig"}``.
"""

from __future__ import annotations

import base64
import hashlib
import os
import time as _time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.crypto.keys import SigningKey, VerifyingKey
from app.ledger.canonical import canonical, decode

REQUEST_CONTEXT = b"evalroom/request/v1\n"
RECEIPT_CONTEXT = b"evalroom/receipt/v1\n"
H_ROOM, H_TIME, H_NONCE, H_SIG = "X-EvalRoom-Room", "X-EvalRoom-Time", "X-EvalRoom-Nonce", "X-EvalRoom-Signature"
H_CHUNK_SHA = "X-Chunk-SHA256"
MEMBER_PREFIX = "key:"  # X-EvalRoom-Room of a session member (expert workstation): "key:" + its key id
SKEW_SECONDS = 300


def request_message(method: str, target: str, body: bytes, stamp: str, nonce: str,
                    body_sha256: str | None = None) -> bytes:
    """``body_sha256``: the body's SHA-256 (hex) when the caller has already computed it from ``body``."""
    digest = body_sha256 or hashlib.sha256(body).hexdigest()
    return REQUEST_CONTEXT + f"{method.upper()}\n{target}\n{digest}\n{stamp}\n{nonce}".encode()


def sign_request(key: SigningKey, room: str, method: str, target: str, body: bytes = b"",
                 now: float | None = None, nonce: str | None = None, body_sha256: str | None = None) -> dict[str, str]:
    """The auth headers for one request. ``target`` = the path with its query string, as sent."""
    stamp = str(int(now if now is not None else _time.time()))
    nonce = nonce or os.urandom(16).hex()
    sig = key.sign(request_message(method, target, body, stamp, nonce, body_sha256))
    return {H_ROOM: room, H_TIME: stamp, H_NONCE: nonce, H_SIG: base64.b64encode(sig).decode("ascii")}


# -- receipts ---------------------------------------------------------------------------------------
def sign_receipt(key: SigningKey, fields: Mapping[str, Any]) -> dict[str, Any]:
    body = dict(fields)
    body["center"] = key.key_id
    raw = canonical(body)
    sig = key.sign(RECEIPT_CONTEXT + hashlib.sha256(raw).digest())
    return {"receipt": body, "alg": key.alg, "sig": base64.b64encode(sig).decode("ascii")}


def receipt_valid(signed: Any, center_key: VerifyingKey) -> bool:
    """True when ``signed`` is a receipt signed by ``center_key``."""
    try:
        body = signed["receipt"]
        if body.get("center") != center_key.key_id or signed["alg"] != center_key.alg:
            return False
        raw = canonical(body)
        return center_key.verify(base64.b64decode(signed["sig"], validate=True),
                                 RECEIPT_CONTEXT + hashlib.sha256(raw).digest())
    except (KeyError, TypeError, ValueError, AttributeError):
        return False


def loads(data: bytes) -> Any:
    return decode(data)


# -- BagIt -------------------------------------------------------------------------------------------
CHUNK_SIZE = 16 * 1024 * 1024  # fewer requests (each is signed, audited and committed); a cut re-sends at most 3


def bag_files(bag: Path) -> list[dict[str, Any]]:
    """Every file of a bag (sorted relative POSIX paths) with its size and SHA-256.

    The payload's SHA-256 comes from the bag's own manifest-sha256.txt, written when the bag was built:
    reading a gigabyte of recordings once more would double the upload's work, and the center hashes
    every byte it receives anyway (a file changed since the bag was built is refused there). Every other
    file (tag files, a payload file the manifest lacks) is hashed here."""
    manifest_path = bag / "manifest-sha256.txt"
    try:
        manifest = parse_manifest(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    except (ValueError, UnicodeDecodeError):
        manifest = {}
    files = []
    links = sorted(p.relative_to(bag).as_posix() for p in bag.rglob("*") if p.is_symlink())
    if links:  # a link would send (and the receipt vouch for) a file from outside the bag: bagit refuses them too
        raise ValueError(f"{bag}: the bag holds symbolic links ({', '.join(links[:3])}): refused")
    for path in sorted(p for p in bag.rglob("*") if p.is_file()):
        name = path.relative_to(bag).as_posix()
        known = manifest.get(name) if name.startswith("data/") else None
        if known is None or len(known) != 64:
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            known = digest.hexdigest()
        files.append({"path": name, "size": path.stat().st_size, "sha256": known})
    return files


def archive_id(bag: Path) -> str:
    """The archive id: SHA-256 of the bag's ``tagmanifest-sha256.txt``."""
    tag = bag / "tagmanifest-sha256.txt"
    if not tag.is_file():
        raise ValueError(f"{bag}: not a BagIt bag with SHA-256 manifests (no tagmanifest-sha256.txt)")
    return hashlib.sha256(tag.read_bytes()).hexdigest()


def parse_manifest(text: str) -> dict[str, str]:
    """``{path: sha256}`` of a BagIt manifest (``HASH  PATH`` lines; %0A/%0D/%25 decoded in paths)."""
    entries: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split(None, 1)
        if len(parts) != 2:
            raise ValueError(f"manifest line {number} is not 'HASH PATH'")
        digest, path = parts[0].lower(), parts[1].strip()
        path = path.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
        entries[path] = digest
    return entries


def check_bag_listing(files: Mapping[str, str], read_text: Any) -> list[str]:
    """Problems of a bag given ``{path: sha256 of its bytes}`` of every file and a reader of small files.

    Checks bagit.txt, that every manifest-sha256.txt entry exists with that hash, that every payload file
    (under data/) is listed, and the tag manifest's entries.
    """
    problems: list[str] = []
    for required in ("bagit.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt"):
        if required not in files:
            problems.append(f"bag: {required} is missing")
    if problems:
        return problems
    for name, what in (("manifest-sha256.txt", "payload"), ("tagmanifest-sha256.txt", "tag")):
        try:
            manifest = parse_manifest(read_text(name))
        except (ValueError, UnicodeDecodeError) as exc:
            problems.append(f"bag: {name}: {exc}")
            continue
        for path, digest in sorted(manifest.items()):
            if path not in files:
                problems.append(f"bag: {what} file {path} listed in {name} is missing")
            elif files[path] != digest:
                problems.append(f"bag: {what} file {path} does not match {name} (sha256 differs)")
        if what == "payload":
            for path in sorted(files):
                if path.startswith("data/") and path not in manifest:
                    problems.append(f"bag: payload file {path} is not listed in {name}")
    return problems
