"""A BagIt 1.0 bag (RFC 8493), written by hand: bagit-python 1.9 still writes ``BagIt-Version: 0.97``.

Layout: ``bagit.txt``, ``bag-info.txt``, ``data/…``, ``manifest-sha256.txt`` and ``manifest-sha512.txt``
(every payload file), ``tagmanifest-sha256.txt`` and ``tagmanifest-sha512.txt`` (the tag files above),
and ``tagmanifest-sha512.txt.sig``: the room key's detached Ed25519 signature over the SHA-512 tag
manifest, which covers the manifests and so the payload. The signature file is a tag file that no tag
manifest lists (a file cannot list its own hash); bagit-python accepts it.

Trusted time (RFC 3161): the signature's envelope says whether its signature value was timestamped. With a TSA that
answered, ``timestamp`` is ``{"token": "tagmanifest-sha512.txt.sig.tst", "imprint": "sha256", "tsa": URL}`` and
that file, beside it, holds the DER TimeStampToken over SHA-256 of the signature bytes (as a CAdES signature
timestamp covers the signature value; ``openssl ts -verify -digest … -in … -token_in`` checks it). Without one,
``timestamp`` is ``{"none": REASON}`` (no TSA configured, the room offline, the TSA unreachable or refusing): the
build goes on, and the center stamps the signature on receipt (its receipt carries the token).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509

from app.archive.names import case_clashes, path_problem
from app.crypto import tsa
from app.crypto.keys import SigningKey, VerifyingKey
from app.errors import EvalRoomError

ALGORITHMS = ("sha256", "sha512")
SIGNATURE = "tagmanifest-sha512.txt.sig"
TOKEN = SIGNATURE + ".tst"  # the RFC 3161 timestamp token over the signature value (DER), when one was had
NO_TSA = "no TSA configured (tsa_url in the settings, or --tsa URL)"
CHUNK = 4 * 1024 * 1024


class BagError(EvalRoomError, ValueError):
    """The bag cannot be written (a bad payload path, an existing target)."""


def digest_file(path: Path, algorithms: Iterable[str] = ALGORITHMS) -> dict[str, str]:
    """Hash one file with every algorithm in a single read (hashlib releases the GIL on large blocks)."""
    hashers = {a: hashlib.new(a) for a in algorithms}
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            for h in hashers.values():
                h.update(block)
    return {a: h.hexdigest() for a, h in hashers.items()}


def digest_many(paths: list[Path], algorithms: Iterable[str] = ALGORITHMS) -> list[dict[str, str]]:
    """Digests of many files, in parallel threads (large recordings dominate an archive)."""
    algos = tuple(algorithms)
    workers = min(8, (os.cpu_count() or 2), max(1, len(paths)))
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda p: digest_file(p, algos), paths))


def encode_path(path: str) -> str:
    """RFC 8493 §2.1.3: CR, LF and % in a manifest path are percent-encoded."""
    return path.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D")


def decode_path(path: str) -> str:
    return path.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


@dataclass
class Payload:
    """What goes under ``data/``: bytes made here or files copied (hard-linked when possible)."""

    blobs: dict[str, bytes]
    files: dict[str, Path]

    def names(self) -> list[str]:
        return sorted({*self.blobs, *self.files})


def _safe(name: str) -> str:
    """A payload name that is a portable path (``app.archive.names``), as the center's listing check wants."""
    problem = path_problem(f"data/{name}")
    if problem:
        raise BagError(f"payload path {name[:80]!r}: {problem}")
    return name


def _one_pass(source: Path, target: Path | None) -> tuple[dict[str, str], int]:
    """Read ``source`` once, hashing every block with both algorithms (and writing it to ``target``)."""
    hashers = {a: hashlib.new(a) for a in ALGORITHMS}
    size = 0
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    with source.open("rb", buffering=0) as src, ExitStack() as stack:
        dst = stack.enter_context(target.open("wb", buffering=0)) if target is not None else None
        while n := src.readinto(buffer):
            block = view[:n]
            for h in hashers.values():
                h.update(block)
            if dst is not None:
                written = 0
                while written < n:
                    written += dst.write(block[written:])
            size += n
    return {a: h.hexdigest() for a, h in hashers.items()}, size


def _place(source: Path, target: Path, link: bool) -> tuple[dict[str, str], int]:
    """Put ``source`` at ``target`` and return its digests and size, reading every byte once.

    On the same file system the file is hard-linked (a 1 GB recording is not stored twice) and the shared
    inode is hashed in one read; otherwise (another file system, or ``link`` off) each block read from the
    source is hashed with both algorithms as it is copied, so nothing is read back from the copy.
    """
    if link:
        try:
            os.link(source, target)
        except OSError:
            pass
        else:
            return _one_pass(target, None)
    return _one_pass(source, target)


@dataclass(frozen=True)
class Stamp:
    """What became of the bag signature's timestamp: ``token`` (DER) when had, else ``missing`` says why."""

    token: bytes | None
    missing: str | None


def write_bag(bagdir: Path, payload: Payload, info: Mapping[str, str], room_key: SigningKey, link: bool = True,
              tsa_url: str | None = None, tsa_missing: str | None = None,
              tsa_timeout: float = tsa.DEFAULT_TIMEOUT) -> Stamp:
    """Write a complete, valid, signed bag at ``bagdir`` (which must not exist or be empty).

    With ``tsa_url`` the signature value is timestamped (RFC 3161) unless ``tsa_missing`` already says why no
    timestamp can be had (the report seal's attempt failed just before: not asked twice).

    Each payload byte is read once: the bytes made here are hashed in memory as they are written, and each
    file is hashed while it is copied or in one read once it is hard-linked (``link``, when on the same file
    system), several files in parallel threads (hashlib releases the GIL). Nothing re-reads the payload.
    """
    if bagdir.exists() and any(bagdir.iterdir()):
        raise BagError(f"{bagdir}: already exists and is not empty")
    names = [_safe(name) for name in payload.names()]  # every name checked before anything is written
    clash = case_clashes(names)
    if clash:
        raise BagError(f"payload paths {clash[0]!r} and {clash[1]!r} differ only by case (one file on Windows)")
    data = bagdir / "data"
    data.mkdir(parents=True, exist_ok=True)
    found: dict[str, tuple[dict[str, str], int]] = {}
    for name in names:
        target = data / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name in payload.blobs:
            blob = payload.blobs[name]
            target.write_bytes(blob)
            found[name] = ({a: hashlib.new(a, blob).hexdigest() for a in ALGORITHMS}, len(blob))
    files = [n for n in names if n not in found]
    workers = min(8, (os.cpu_count() or 2), max(1, len(files)))
    with ThreadPoolExecutor(workers) as pool:
        placed = pool.map(lambda n: _place(payload.files[n], data / n, link), files)
        found.update(zip(files, placed, strict=True))
    digests = [found[n][0] for n in names]
    octets = sum(found[n][1] for n in names)
    (bagdir / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8")
    lines = [f"{k}: {v}" for k, v in info.items()] + [f"Payload-Oxum: {octets}.{len(names)}"]
    (bagdir / "bag-info.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for algo in ALGORITHMS:
        text = "".join(f"{d[algo]}  {encode_path('data/' + n)}\n" for n, d in zip(names, digests, strict=True))
        (bagdir / f"manifest-{algo}.txt").write_text(text, encoding="utf-8")
    tags = ["bagit.txt", "bag-info.txt", *(f"manifest-{a}.txt" for a in ALGORITHMS)]
    for algo in ALGORITHMS:
        text = "".join(f"{hashlib.new(algo, (bagdir / t).read_bytes()).hexdigest()}  {t}\n" for t in tags)
        (bagdir / f"tagmanifest-{algo}.txt").write_text(text, encoding="utf-8")
    signed = (bagdir / "tagmanifest-sha512.txt").read_bytes()
    signature = room_key.sign(signed)
    stamp = _stamp(signature, tsa_url, tsa_missing, tsa_timeout)
    envelope: dict[str, object] = {"alg": room_key.public.alg, "key_id": room_key.key_id,
                                   "file": "tagmanifest-sha512.txt", "sig": base64.b64encode(signature).decode("ascii")}
    if stamp.token is not None:
        (bagdir / TOKEN).write_bytes(stamp.token)
        envelope["timestamp"] = {"token": TOKEN, "imprint": tsa.DIGEST, "tsa": tsa_url}
    else:
        envelope["timestamp"] = {"none": stamp.missing}
    (bagdir / SIGNATURE).write_text(json.dumps(envelope, indent=1) + "\n", encoding="utf-8")
    return stamp


def _stamp(signature: bytes, url: str | None, missing: str | None, timeout: float) -> Stamp:
    if not url:
        return Stamp(None, NO_TSA)
    if missing:
        return Stamp(None, missing)
    try:
        return Stamp(tsa.stamp(url, signature, timeout), None)
    except tsa.TimestampUnavailable as exc:
        return Stamp(None, exc.reason)


def read_envelope(bagdir: Path) -> dict[str, Any] | None:
    """The signature's envelope (None: missing or unreadable)."""
    try:
        envelope = json.loads((bagdir / SIGNATURE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return envelope if isinstance(envelope, dict) else None


def signature_bytes(envelope: Mapping[str, Any]) -> bytes | None:
    try:
        return base64.b64decode(str(envelope["sig"]), validate=True)
    except (KeyError, ValueError):
        return None


def check_timestamp(bagdir: Path, roots: list[x509.Certificate] | None) -> tuple[list[str], list[str], bool]:
    """(problems, notes, stamped) of the bag signature's timestamp: the token's imprint over the signature value, the
    TSA's signature, and with ``roots`` (``verify --trust``) the TSA's path to one of them; the time it vouches for is
    a note. No timestamp is a note saying why (the center stamps it on receipt). ``stamped``: a token without a
    problem (its TSA trusted, when ``roots`` are given)."""
    envelope = read_envelope(bagdir)
    if envelope is None:
        return [], [], False  # check_signature reports it
    stamp = envelope.get("timestamp")
    token_file = bagdir / TOKEN
    if not isinstance(stamp, dict) or "token" not in stamp:
        if token_file.exists():
            return [f"bag: {TOKEN} is present but {SIGNATURE} records no timestamp"], [], False
        why = stamp.get("none") if isinstance(stamp, dict) else "the archive records none (an earlier version)"
        return [], [f"timestamp: the bag signature carries no RFC 3161 timestamp ({why}); the center stamps it on "
                    "receipt"], False
    if stamp.get("token") != TOKEN:
        return [f"bag: {SIGNATURE} names the timestamp token {str(stamp.get('token'))[:60]!r}, not {TOKEN}"], [], False
    signature = signature_bytes(envelope)
    try:
        token = token_file.read_bytes()
    except OSError:
        return [f"bag: {TOKEN} is missing (the signature's envelope records a timestamp)"], [], False
    if signature is None:
        return [], [], False  # check_signature reports it
    checked = tsa.check_token(token, signature, roots, f"timestamp: {TOKEN}")
    notes = []
    if not checked.problems and checked.time is not None:
        pinned = "" if checked.trusted else " (TSA not checked: pass --trust with the TSA's CA)"
        notes.append(f"timestamp: the bag signature was stamped {checked.time:%Y-%m-%d %H:%M:%S} UTC by "
                     f"{checked.tsa!r} (RFC 3161){pinned}")
    return checked.problems, notes, not checked.problems and checked.time is not None


def check_signature(bagdir: Path, room: VerifyingKey) -> list[str]:
    path = bagdir / SIGNATURE
    try:
        envelope = json.loads(path.read_text(encoding="utf-8"))
        sig = base64.b64decode(envelope["sig"])
    except (OSError, ValueError, KeyError, TypeError):
        return [f"bag: {SIGNATURE} is missing or unreadable"]
    if envelope.get("key_id") != room.key_id:
        return [f"bag: {SIGNATURE} is signed by key {str(envelope.get('key_id'))[:8]}, not the room key "
                f"{room.key_id[:8]}"]
    try:
        manifest = (bagdir / "tagmanifest-sha512.txt").read_bytes()
    except OSError:
        return ["bag: tagmanifest-sha512.txt is missing"]
    return [] if room.verify(sig, manifest) else [f"bag: {SIGNATURE} does not verify over tagmanifest-sha512.txt"]


def read_info(bagdir: Path) -> dict[str, str]:
    """bag-info.txt's fields. Bytes that are not UTF-8 (a damaged file, reported by the tag manifest's
    check) are read as U+FFFD, never raised."""
    info: dict[str, str] = {}
    try:
        lines = (bagdir / "bag-info.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return info
    for line in lines:
        key, sep, value = line.partition(":")
        if sep:
            info[key.strip()] = value.strip()
    return info


def check_fixity(bagdir: Path, full: bool = False,
                 known: Mapping[str, str] | None = None) -> tuple[list[str], dict[str, str]]:
    """BagIt validity: tag manifests and manifest entries present and matching, no unlisted payload file.

    The payload is read once and hashed with SHA-256 (``full``: SHA-512 too). SHA-256 alone suffices
    for tamper evidence: manifest-sha256.txt is covered by the signed SHA-512 tag manifest. Returns the
    problems and the payload's SHA-256 by path (reused for the recordings, so nothing is read twice).
    ``known``: payload files' SHA-256 the caller took from their bytes as it wrote them (the center, as an
    upload's chunks arrive): those are checked against the manifest without being read again (not with ``full``).
    """
    regular, links, problems = walk_bag(bagdir)
    try:
        declared = (bagdir / "bagit.txt").read_text(encoding="utf-8", errors="replace")
    except OSError:
        declared = ""
    if not declared.startswith("BagIt-Version: 1.0"):
        problems.append("bag: bagit.txt does not declare BagIt-Version 1.0")
    for algo in ALGORITHMS:
        problems += _check_manifest(bagdir, f"tagmanifest-{algo}.txt", algo, regular, links)
    entries = _entries(bagdir, "manifest-sha256.txt", problems)
    other = _entries(bagdir, "manifest-sha512.txt", problems)
    listed = set(entries) | set(other)
    present = {name for name in regular if name.startswith("data/")}
    problems += [f"bag: {name} is in data/ but in no manifest" for name in sorted(present - listed)]
    tags = {"bagit.txt", "bag-info.txt", SIGNATURE, TOKEN, *(f"{kind}-{a}.txt" for kind in ("manifest", "tagmanifest")
                                                        for a in ALGORITHMS)}
    problems += [f"bag: {p.name} is not a file of the archive (added)" for p in sorted(bagdir.iterdir())
                 if p.name not in tags and p.name != "data"]
    problems += [f"bag: {name} is listed but missing" for name in sorted(listed - present - links)]
    names = sorted(n for n in listed if n in present)
    given = {} if full or not known else {n: {"sha256": known[n]} for n in names if n in known}
    read = digest_many([bagdir / n for n in names if n not in given], ALGORITHMS if full else ("sha256",))
    fresh = iter(read)
    results = [given[n] if n in given else next(fresh) for n in names]
    for name, got in zip(names, results, strict=True):
        if got["sha256"] != entries.get(name) or (full and got["sha512"] != other.get(name)):
            problems.append(f"bag: {name}: checksum differs from the manifest (altered)")
    info = read_info(bagdir)
    oxum = f"{sum((bagdir / n).stat().st_size for n in present)}.{len(present)}"
    if info.get("Payload-Oxum") != oxum:
        problems.append(f"bag: Payload-Oxum {info.get('Payload-Oxum')} differs from the payload ({oxum})")
    return problems, {n: r["sha256"] for n, r in zip(names, results, strict=True)}


_REPARSE_LINKS = (0xA000000C, 0xA0000003)  # Windows IO_REPARSE_TAG_SYMLINK, IO_REPARSE_TAG_MOUNT_POINT (junction)


def _link_kind(st: os.stat_result) -> str | None:
    """"a symbolic link" / "a junction" when ``st`` (from lstat) is one, else None."""
    if stat.S_ISLNK(st.st_mode):
        return "a symbolic link"
    tag = getattr(st, "st_reparse_tag", 0)  # Windows only
    if tag in _REPARSE_LINKS:
        return "a symbolic link" if tag == _REPARSE_LINKS[0] else "a junction"
    return None


def walk_bag(bagdir: Path) -> tuple[set[str], set[str], list[str]]:
    """The regular files under ``bagdir`` (bag-relative, ``/``-separated), the links, and the problems of every
    entry that is not a regular file or folder: a symbolic link or junction (to a file or a folder, never
    followed) or another kind of file.

    A bag holds its own bytes: a link would let a checksum pass on bytes kept elsewhere, and bagit-python
    refuses a link that leads out of the bag. Hard links are plain directory entries of the bag's own: the
    builder hard-links recording segments on purpose, and what is read is still what the bag holds (an
    alteration through the other name alters the bag, and the checksums report it)."""
    files: set[str] = set()
    links: set[str] = set()
    problems: list[str] = []
    for top, dirs, names in os.walk(bagdir, followlinks=False):
        base = Path(top)
        for name in sorted(dirs) + sorted(names):
            path = base / name
            rel = path.relative_to(bagdir).as_posix()
            try:
                st = path.lstat()
            except OSError as exc:
                problems.append(f"bag: {rel} cannot be read ({exc.strerror})")
                continue
            kind = _link_kind(st)
            if kind is not None:
                links.add(rel)
                problems.append(f"bag: {rel} is {kind}: links are refused, a bag must hold its own files")
            elif name in names and not stat.S_ISREG(st.st_mode):
                problems.append(f"bag: {rel} is not a regular file")
            elif name in names:
                files.add(rel)
        dirs[:] = [d for d in dirs if (base / d).relative_to(bagdir).as_posix() not in links]  # never through a link
    return files, links, problems


def _entries(bagdir: Path, manifest: str, problems: list[str]) -> dict[str, str]:
    try:  # bytes that are not UTF-8 (a damaged manifest) become U+FFFD: the entry then matches no file
        lines = (bagdir / manifest).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        problems.append(f"bag: {manifest} is missing")
        return {}
    out = {}
    for line in lines:
        digest, _, name = line.partition("  ")
        if name:
            out[decode_path(name)] = digest
    return out


def _check_manifest(bagdir: Path, manifest: str, algo: str, regular: set[str], links: set[str]) -> list[str]:
    problems: list[str] = []
    entries = _entries(bagdir, manifest, problems)
    if manifest.startswith("tagmanifest-") and (bagdir / manifest).is_file():
        # a tag manifest lists every tag file the bag is written with: one cut short is damage too
        wanted = ["bagit.txt", "bag-info.txt", *(f"manifest-{a}.txt" for a in ALGORITHMS)]
        problems += [f"bag: {manifest} does not list {name} (cut short or edited)" for name in wanted
                     if name not in entries]
    for name, digest in entries.items():
        path = bagdir / name
        if name not in regular:
            if name not in links:  # a link is reported once, by walk_bag
                problems.append(f"bag: {name} (in {manifest}) is missing")
        elif hashlib.new(algo, path.read_bytes()).hexdigest() != digest:
            problems.append(f"bag: {name}: {algo} differs from {manifest} (altered)")
    return problems
