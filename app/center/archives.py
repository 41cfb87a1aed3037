"""Resumable, verified archive upload at the center: begin, chunks with their SHA-256, status, and the
completion that reassembles the files, checks them against the BagIt manifests and the full offline
verification, makes them durable, then signs a receipt. Mixed into :class:`app.center.service.Center`.

On a local folder the chunks land in place and each file's SHA-256 is taken as they arrive
(:mod:`app.center.arrivals`): the completion reads again only the files the verification opens anyway (the
report, the ledger, the manifests); the recording segments, which it only hashes, are checked by the
digests of the bytes received, against the bag's manifest."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.archive import names
from app.center import protocol
from app.center.arrivals import Arrivals, fsync_path
from app.center.errors import AuthError, Declined
from app.center.storage import db
from app.center.storage.blobs import BlobError, Blobs, LocalBlobs
from app.crypto.keys import SigningKey, VerifyingKey
from app.crypto.truststore import CertificateTrust
from app.ledger.canonical import canonical


class ArchiveUploads:
    # provided by Center (app/center/service.py)
    engine: Engine
    blobs: Blobs
    key: SigningKey
    arrivals: Arrivals
    trust: CertificateTrust | None
    tsa_url: str | None = None  # the center's RFC 3161 TSA: stamps an archive that arrives without a timestamp

    def _may_write(self, c: Any, room: Any, session: str) -> Any: ...

    @staticmethod
    def record_nonce(c: Any, room: str, headers: Any) -> None: ...

    def archive_begin(self, room: Any, archive: str, session: str, files: list[Any], chunk_size: int) -> dict[str, Any]:
        if not (len(archive) == 64 and all(ch in "0123456789abcdef" for ch in archive)):
            raise Declined(400, "archive id must be the tag manifest's SHA-256 (64 hex digits)")
        if not (64 * 1024 <= chunk_size <= 64 * 1024 * 1024):
            raise Declined(400, "chunk_size must be 64 KiB to 64 MiB")
        listing = _clean_listing(files)
        tag = [f for f in listing if f["path"] == "tagmanifest-sha256.txt"]
        if not tag or tag[0]["sha256"] != archive:
            raise Declined(422, "the listing's tagmanifest-sha256.txt does not hash to the archive id")
        encoded = canonical(listing).decode()
        with self.engine.begin() as c:
            row = c.execute(select(db.archives).where(db.archives.c.id == archive)).first()
            if row is None:
                self._may_write(c, room, session)
                try:
                    with c.begin_nested():
                        c.execute(insert(db.archives).values(id=archive, session=session, room=room.id,
                                                             status="uploading", chunk_size=chunk_size, files=encoded,
                                                             problems="", created_at=db.now()))
                except IntegrityError:
                    pass
        return self.archive_status(room, archive)

    def archive_status(self, room: Any, archive: str) -> dict[str, Any]:
        with db.reading(self.engine) as c:
            row = c.execute(select(db.archives).where(db.archives.c.id == archive)).first()
            if row is None:
                raise Declined(404, f"no archive {archive[:16]}")
            if getattr(room, "kind", "room") == "room" and row.room != room.id:
                raise Declined(403, f"archive {archive[:16]} is uploaded by room {row.room}")
            have = [(r.file, r.chunk) for r in c.execute(select(db.chunks.c.file, db.chunks.c.chunk)
                                                          .where(db.chunks.c.archive == archive))]
        received: dict[str, list[int]] = {}
        for file_index, chunk in sorted(have):
            received.setdefault(str(file_index), []).append(chunk)
        return {"id": archive, "session": row.session, "status": row.status, "chunk_size": row.chunk_size,
                "files": json.loads(row.files), "received": received,
                "problems": [p for p in row.problems.split("\n") if p],
                "receipt": json.loads(row.receipt) if row.receipt else None}

    def archive_chunk(self, room: Any, archive: str, file_index: int, chunk: int, data: bytes, sha: str | None,
                      data_sha256: str | None = None, request: tuple[str, Any] | None = None) -> dict[str, Any]:
        """One chunk received whole (``data``). ``data_sha256``: its SHA-256 when the caller has computed
        it; ``request``: see :meth:`chunk_stored`. The streaming route (``app.center.chunks``) uses the
        same steps."""
        digest = data_sha256 or hashlib.sha256(data).hexdigest()
        if not sha or sha.lower() != digest:
            raise Declined(460, "chunk checksum mismatch (X-Chunk-SHA256): chunk discarded")
        slot = self.chunk_slot(room, archive, file_index, chunk, digest)
        if slot.answer is not None:
            return slot.answer
        if len(data) != slot.size:
            raise Declined(400, f"chunk {chunk} of file {file_index} must be {slot.size} bytes, got {len(data)}")
        if slot.staged is not None:
            self.blobs.write_at(slot.staged, slot.offset, data)  # type: ignore[union-attr]
        else:
            self.blobs.put(f"uploads/{archive}/{file_index}/{chunk}", data)
        return self.chunk_stored(slot, digest, request)

    def chunk_slot(self, room: Any, archive: str, file_index: int, chunk: int, sha: str) -> ChunkSlot:
        """Where chunk ``chunk`` of file ``file_index`` goes, checked before any byte of it is stored: the
        archive is this room's and still uploading, the indices exist. ``answer`` is set when nothing is to
        be stored (the archive is verified, or this very chunk is already here)."""
        with db.reading(self.engine) as c:
            row = c.execute(select(db.archives).where(db.archives.c.id == archive)).first()
            if row is None:
                raise Declined(404, f"no archive {archive[:16]}: begin the upload first")
            if row.room != room.id:
                raise Declined(403, f"archive {archive[:16]} is uploaded by room {row.room}")
            files = json.loads(row.files)
            if row.status == "verified":
                return ChunkSlot(archive, file_index, chunk, 0, 0, None, {"stored": False, "status": row.status})
            if not 0 <= file_index < len(files):
                raise Declined(400, f"no file {file_index} in archive {archive[:16]}")
            size = files[file_index]["size"]
            count = max(1, -(-size // row.chunk_size))
            if not 0 <= chunk < count:
                raise Declined(400, f"file {file_index} has chunks 0..{count - 1}")
            old = c.execute(select(db.chunks.c.sha256).where(db.chunks.c.archive == archive,
                                                             db.chunks.c.file == file_index,
                                                             db.chunks.c.chunk == chunk)).scalar()
        expected = min(row.chunk_size, size - chunk * row.chunk_size)
        if old is not None:
            if old != sha.lower():
                raise Declined(409, f"chunk {chunk} of file {file_index} was already received with other content")
            return ChunkSlot(archive, file_index, chunk, expected, 0, None, {"stored": False, "status": "uploading"})
        # in place, at its offset in the file, on a local folder: nothing to reassemble at completion
        staged = f"uploads/{archive}/bag/{files[file_index]['path']}" if isinstance(self.blobs, LocalBlobs) else None
        return ChunkSlot(archive, file_index, chunk, expected, chunk * row.chunk_size, staged, None, size,
                         row.chunk_size)

    def chunk_stored(self, slot: ChunkSlot, digest: str, request: tuple[str, Any] | None = None,
                     running: Any = None) -> dict[str, Any]:
        """The row that says the chunk's bytes (written before; synced with their file, see
        :mod:`app.center.arrivals`) are here. ``request``: (room id, headers) of a request authenticated
        without recording its nonce: recorded in the same commit. ``running``: a SHA-256 object fed with the
        chunk's bytes, when the receiver has one (it starts the file's own hash)."""
        with self.engine.begin() as c:
            if request is not None:
                try:
                    with c.begin_nested():
                        self.record_nonce(c, request[0], request[1])
                except IntegrityError:
                    raise AuthError(409, "replayed request (nonce already used): nothing changed") from None
            try:
                with c.begin_nested():
                    c.execute(insert(db.chunks).values(archive=slot.archive, file=slot.file_index, chunk=slot.chunk,
                                                       size=slot.size, sha256=digest))
            except IntegrityError:
                pass  # the same chunk from a retry racing on another process
        if slot.staged is not None and isinstance(self.blobs, LocalBlobs):
            self.arrivals.stored(slot.archive, slot.file_index, self.blobs.folder(slot.staged), slot.file_size,
                                 slot.chunk_size, slot.chunk, digest, running if slot.chunk == 0 else None)
        return {"stored": True, "status": "uploading"}

    def archive_complete(self, room: Any, archive: str) -> dict[str, Any]:
        status = self.archive_status(room, archive)
        if status["status"] == "verified":
            return status
        files, size = status["files"], status["chunk_size"]
        missing: list[str] = []  # the first 50 named; counted without listing them all
        lacking = 0
        for index, entry in enumerate(files):
            count = max(1, -(-entry["size"] // size))
            have = set(status["received"].get(str(index), []))
            lacking += count - len(have)
            for n in range(count):
                if len(missing) >= 50 or len(have) == count:
                    break
                if n not in have:
                    missing.append(f"{entry['path']} chunk {n}")
        if lacking:
            raise Declined(409, f"{lacking} chunks missing", {"missing": missing})
        if isinstance(self.blobs, LocalBlobs):
            # the staged bag becomes the stored one by a rename, made durable; the verification reads the files
            # it opens and trusts the digests taken as the segments arrived (checked against the manifest)
            known, synced = self.arrivals.settle(archive)
            self.blobs.move(f"uploads/{archive}/bag", f"archives/{archive}")
            stored = self.blobs.folder(f"archives/{archive}")
            _make_durable(stored, [stored.joinpath(*e["path"].split("/")) for i, e in enumerate(files)
                                   if i not in synced])
            problems = self.verify_archive_blobs(archive, files, known={
                files[i]["path"]: d for i, d in known.items() if files[i]["path"].startswith(ONLY_HASHED)})
            if problems:
                self.arrivals.forget(archive)
                self._resend_damaged(archive, files, size)
        else:
            problems = []
            actual: dict[str, str] = {}
            for index, entry in enumerate(files):
                count = max(1, -(-entry["size"] // size))
                # one pass: the chunks are read once, hashed on the way and written straight to the stored file
                parts = _Concatenated(self.blobs, [f"uploads/{archive}/{index}/{n}" for n in range(count)])
                self.blobs.put_file(f"archives/{archive}/{entry['path']}", parts)  # type: ignore[arg-type]
                actual[entry["path"]] = parts.digest.hexdigest()
                if actual[entry["path"]] != entry["sha256"]:
                    problems.append(f"upload: {entry['path']} does not match its declared sha256")
            if not problems:
                problems = self.verify_archive_blobs(archive, files, actual)
        stamp = self._stamp_on_receipt(archive) if not problems else {}  # the TSA asked before the write lock
        with self.engine.begin() as c:
            row = c.execute(select(db.archives).where(db.archives.c.id == archive)).first()
            assert row is not None  # archives are never deleted
            if row.status == "verified":
                return self.archive_status(room, archive)
            if problems:
                c.execute(update(db.archives).where(db.archives.c.id == archive).values(
                    status="rejected", problems="\n".join(problems), completed_at=db.now()))
            else:
                receipt = protocol.sign_receipt(self.key,
                                                {"kind": "archive", "archive": archive, "session": row.session,
                                                 "room": row.room, "files": len(files), "time": db.now(), **stamp})
                c.execute(update(db.archives).where(db.archives.c.id == archive).values(
                    status="verified", receipt=json.dumps(receipt, sort_keys=True), completed_at=db.now()))
        if problems:
            raise Declined(422, "archive refused: " + "; ".join(problems[:3]), {"problems": problems})
        self.arrivals.forget(archive)
        self.blobs.delete_prefix(f"uploads/{archive}")
        return self.archive_status(room, archive)

    def _stamp_on_receipt(self, archive: str) -> dict[str, Any]:
        """The receipt's ``timestamp`` for a verified archive whose bag signature carries none (the room was
        offline, or its TSA did not answer): an RFC 3161 token from the center's TSA over the SHA-256 of the
        signature value, as the room would have had it (``{"token": base64 DER, "imprint": "sha256", "over":
        SIGNATURE, "tsa": URL}``), or ``{"none": REASON}``. Nothing when the archive has its own token."""
        from app.archive.bag import SIGNATURE, TOKEN, signature_bytes
        from app.crypto import tsa

        try:
            envelope = json.loads(self.blobs.get(f"archives/{archive}/{SIGNATURE}"))
        except (BlobError, ValueError):
            return {}  # the verification has said so already
        stamped = envelope.get("timestamp") if isinstance(envelope, dict) else None
        if isinstance(stamped, dict) and stamped.get("token") == TOKEN:
            return {"timestamp": {"in_archive": TOKEN}}
        signature = signature_bytes(envelope) if isinstance(envelope, dict) else None
        if signature is None:
            return {}
        if not self.tsa_url:
            return {"timestamp": {"none": "the center has no TSA configured (tsa_url, center serve --tsa URL)"}}
        try:
            token = tsa.stamp(self.tsa_url, signature)
        except tsa.TimestampUnavailable as exc:
            return {"timestamp": {"none": exc.reason}}
        return {"timestamp": {"token": base64.b64encode(token).decode("ascii"), "imprint": tsa.DIGEST,
                              "over": SIGNATURE, "tsa": self.tsa_url}}

    def _resend_damaged(self, archive: str, files: list[dict[str, Any]], size: int) -> None:
        """After a failed verification of a local upload: chunks whose stored bytes no longer hash to what
        was recorded on receipt (a file removed or damaged at the center, a write lost) are not the room's
        fault. Their rows are dropped and the bag goes back to staging, so the room sends just those again
        (409 with the list); only when every chunk is intact is the room's archive itself refused."""
        with self.engine.begin() as c:
            rows = {(r.file, r.chunk): r.sha256 for r in c.execute(
                select(db.chunks.c.file, db.chunks.c.chunk, db.chunks.c.sha256).where(db.chunks.c.archive == archive))}
        folder = self.blobs.folder(f"archives/{archive}")  # type: ignore[union-attr]
        damaged: list[tuple[int, int]] = []
        for index, entry in enumerate(files):
            count = max(1, -(-entry["size"] // size))
            try:
                with folder.joinpath(*entry["path"].split("/")).open("rb") as handle:
                    for n in range(count):
                        data = handle.read(min(size, entry["size"] - n * size))
                        if hashlib.sha256(data).hexdigest() != rows.get((index, n)):
                            damaged.append((index, n))
            except OSError:
                damaged.extend((index, n) for n in range(count))
        if not damaged:
            return
        self.blobs.delete_prefix(f"uploads/{archive}/bag")
        self.blobs.move(f"archives/{archive}", f"uploads/{archive}/bag")  # type: ignore[union-attr]
        with self.engine.begin() as c:
            for index, n in dict.fromkeys(damaged):
                c.execute(delete(db.chunks).where(db.chunks.c.archive == archive, db.chunks.c.file == index,
                                                  db.chunks.c.chunk == n))
        missing = [f"{files[index]['path']} chunk {n}" for index, n in dict.fromkeys(damaged)]
        raise Declined(409, f"{len(missing)} chunks were damaged at the center and must be sent again",
                       {"missing": missing[:50]})

    def verify_archive_blobs(self, archive: str, files: list[dict[str, Any]],
                             actual: dict[str, str] | None = None, known: dict[str, str] | None = None) -> list[str]:
        """BagIt fixity of a stored archive and its full offline verification (``app.archive.verify``).
        ``actual``: the stored files' SHA-256 when the caller has just computed them while writing them;
        otherwise the payload digests come from the verification's own single read of the files, but for
        those in ``known`` (digests of the bytes as they were received), which it checks without reading."""
        found, hashed = _archive_verify_hook(self, archive, files, known)
        if actual is None:
            actual = {}
            for entry in files:
                if entry["path"] in hashed:
                    actual[entry["path"]] = hashed[entry["path"]]
                    continue
                digest = hashlib.sha256()
                try:
                    with self.blobs.open(f"archives/{archive}/{entry['path']}") as handle:
                        for block in iter(lambda: handle.read(1 << 20), b""):
                            digest.update(block)
                except BlobError:
                    continue  # reported below as missing from the bag
                actual[entry["path"]] = digest.hexdigest()
        listed = {e["path"]: e["sha256"] for e in files}
        problems = [f"stored: {p} is missing" for p in listed if p not in actual]
        problems += [f"stored: {p} differs from its upload" for p, d in actual.items() if d != listed.get(p)]
        if "tagmanifest-sha256.txt" not in actual:
            return problems
        if hashlib.sha256(self.blobs.get(f"archives/{archive}/tagmanifest-sha256.txt")).hexdigest() != archive:
            problems.append("bag: tagmanifest-sha256.txt does not hash to the archive id")
        problems += protocol.check_bag_listing(
            actual, lambda name: self.blobs.get(f"archives/{archive}/{name}").decode("utf-8"))
        return problems + [p for p in found if p not in problems]

    # -- status and re-verification -------------------------------------------------------------


MAX_FILE_SIZE = 1 << 40  # 1 TiB: far above a day's recordings, and chunk numbers stay 32-bit at 64 KiB chunks
MAX_FILES = 20_000  # a long day of 1-minute segments from several cameras is a few thousand
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ChunkSlot:
    archive: str
    file_index: int
    chunk: int
    size: int  # the chunk's length in bytes
    offset: int  # its offset in the file
    staged: str | None  # the blob key of the staged file it is written into (local folders), else None
    answer: dict[str, Any] | None  # set when nothing is to be stored
    file_size: int = 0  # the size of its file, and the archive's chunk size (set with ``staged``)
    chunk_size: int = 0


ONLY_HASHED = "data/recording/segments/"  # payload the verification only hashes (it opens everything else)


def _make_durable(folder: Path, files: list[Path]) -> None:
    """fsync ``files`` (those not synced already) and every folder of ``folder``'s tree and its parent, so the
    stored bag and its renaming survive a power loss before the receipt is signed."""
    paths = [p for p in files if p.is_file()]
    if os.name != "nt":  # Windows opens no folder to sync (NTFS makes the rename itself durable)
        paths += [folder.parent, folder, *(p for p in folder.rglob("*") if p.is_dir())]
    for path in paths:
        fsync_path(path)


class _Concatenated:
    """A read-only file over several blobs in order, hashing (SHA-256) what it hands out."""

    def __init__(self, blobs: Any, keys: list[str]) -> None:
        self.blobs, self.keys = blobs, list(keys)
        self.digest = hashlib.sha256()
        self._current: Any = None

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (everything left when ``size`` < 0); short only at the end."""
        out = bytearray()
        while size < 0 or len(out) < size:
            if self._current is None:
                if not self.keys:
                    break
                self._current = self.blobs.open(self.keys.pop(0))
            data = self._current.read(1 << 20 if size < 0 else size - len(out))
            if not data:
                self._current.close()
                self._current = None
                continue
            out += data
        self.digest.update(out)
        return bytes(out)


def _shown(path: object) -> str:
    text = repr(path[:80] + "…" if isinstance(path, str) and len(path) > 80 else path)
    return text if len(text) <= 120 else text[:120] + "…"


def _clean_listing(files: Iterable[Any]) -> list[dict[str, Any]]:
    """The listing of an archive, checked whole before anything is stored: every path portable
    (:mod:`app.archive.names`: what a Windows room PC can write), unique also by case, never both a file and a
    folder; sizes within :data:`MAX_FILE_SIZE`; SHA-256 exactly 64 lowercase hex; at most :data:`MAX_FILES`.
    A refusal (400) names the offending entry."""
    files = list(files)
    if len(files) > MAX_FILES:
        raise Declined(400, f"the listing has {len(files)} files, more than an archive may hold ({MAX_FILES})")
    listing = []
    seen = set()
    for index, entry in enumerate(files):
        if not isinstance(entry, dict) or set(entry) != {"path", "size", "sha256"}:
            raise Declined(400, f"files[{index}]: each file is {{path, size, sha256}}")
        path, size, sha = entry["path"], entry["size"], entry["sha256"]
        problem = names.path_problem(path)
        if problem:
            raise Declined(400, f"files[{index}] {_shown(path)}: {problem}")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise Declined(400, f"files[{index}] {_shown(path)}: bad size {size!r}")
        if size > MAX_FILE_SIZE:
            raise Declined(400, f"files[{index}] {_shown(path)}: {size} bytes, more than a file may hold (1 TiB)")
        if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
            raise Declined(400, f"files[{index}] {_shown(path)}: sha256 {_shown(sha)} is not 64 lowercase hex digits")
        if path in seen:
            raise Declined(400, f"files[{index}] {_shown(path)}: listed twice")
        seen.add(path)
        listing.append({"path": path, "size": size, "sha256": sha})
    if not listing:
        raise Declined(400, "an archive has files")
    folders = {"/".join(p.split("/")[:n]) for p in seen for n in range(1, p.count("/") + 1)}
    if folders & seen:
        raise Declined(400, f"{sorted(folders & seen)[0]} is listed as a file and as a folder")
    clash = names.case_clashes(sorted(seen))
    if clash:
        raise Declined(400, f"{_shown(clash[0])} and {_shown(clash[1])} differ only by case (one file on Windows)")
    return sorted(listing, key=lambda e: e["path"])


def _archive_verify_hook(center: ArchiveUploads, archive: str, files: list[dict[str, Any]],
                         known: dict[str, str] | None = None) -> tuple[list[str], dict[str, str]]:
    """The archive's full offline verification (#6: ``app.archive.verify.verify_archive``: fixity, room
    signature, ledger, checkpoint, PDF seal, printed report against the rule engine, result) on the stored
    bag, with the room key the center holds for the session as the trust anchor (not the copy inside the
    bag). Returns its problems and the SHA-256 of the payload files it read (reused by the caller)."""
    try:
        from app.archive.verify import ArchiveInputError, verify_archive
    except ImportError:  # the archive module is not installed: the BagIt checks are all there is
        return [], {}
    with db.reading(center.engine) as c:
        row = c.execute(select(db.sessions).join(db.archives, db.archives.c.session == db.sessions.c.id)
                        .where(db.archives.c.id == archive)).first()
    if row is None:
        return ["archive: its session is unknown at the center (push the ledger first)"], {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "bag"
        stored = center.blobs.folder(f"archives/{archive}") if isinstance(center.blobs, LocalBlobs) else None
        if stored is not None and stored.is_dir():
            root = stored  # a local blob folder is the bag itself: verified where it is stored, no copy
        for entry in files if root != stored else []:
            target = root.joinpath(*entry["path"].split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with center.blobs.open(f"archives/{archive}/{entry['path']}") as src, target.open("wb") as dst:
                    for block in iter(lambda: src.read(1 << 20), b""):
                        dst.write(block)
            except BlobError:
                continue
        pem = Path(tmp) / "room.pub.pem"
        pem.write_bytes(VerifyingKey(row.room_key_alg, row.room_key).to_pem())
        try:
            # no re-render: with the printed text checked against the rule engine it changes no verdict
            verdict = verify_archive(root, room_key=pem, rerender=False,
                                     known_sha256=known if root == stored else None,
                                     cert_trust=center.trust)
        except ArchiveInputError as exc:
            return [f"archive: {exc}"], {}
        problems = [f"archive verify: {p}" for p in verdict.problems]
        data = getattr(getattr(center, "config", None), "data", None)
        if data is not None:
            problems += _enrolled_seal(Path(data), str(row.room), root / "data" / "documents" / "report.pdf")
        return problems, verdict.sha256


def _enrolled_seal(data: Path, room: str, report: Path) -> list[str]:
    """A room with seal certificates enrolled (``app.center.ca``): its archive's report must be sealed by one."""
    from cryptography.x509.oid import NameOID

    from app.center.ca import fingerprint, room_certificates, seal_certificate
    from app.crypto.trust import describe

    kept = room_certificates(data, room)
    if not kept or not report.is_file():  # no certificate enrolled; a session terminated without a report
        return []
    sealed = seal_certificate(report.read_bytes())
    if sealed is not None and fingerprint(sealed) in {fingerprint(c) for c in kept}:
        return []
    enrolled = kept[-1]
    def named(cert: Any) -> str:
        issuer = [a.value for a in cert.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)]
        return f"{describe(cert)!r} (issued by {(issuer[0] if issuer else cert.issuer.rfc4514_string())!r})"

    by = named(sealed) if sealed is not None else "no readable certificate"
    return [f"archive: the report is sealed by {by}, not by room {room}'s enrolled certificate {named(enrolled)}, "
            f"SHA-256 {fingerprint(enrolled)[:16]}…"]
