"""Resumable, verified archive upload at the center: begin, chunks with their SHA-256, status, and the
completion that reassembles the files, checks them against the BagIt manifests and the full offline
verification, then signs a receipt. Mixed into :class:`app.center.service.Center`."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.center import protocol
from app.center.errors import Refused
from app.center.storage import db
from app.center.storage.blobs import LocalBlobs
from app.crypto.keys import VerifyingKey
from app.ledger.canonical import canonical

if TYPE_CHECKING:
    from app.center.service import Center


class ArchiveUploads:
    def archive_begin(self, room: Any, archive: str, session: str, files: list[Any], chunk_size: int) -> dict[str, Any]:
        if not (len(archive) == 64 and all(ch in "0123456789abcdef" for ch in archive)):
            raise Refused(400, "archive id must be the tag manifest's SHA-256 (64 hex digits)")
        if not (64 * 1024 <= chunk_size <= 64 * 1024 * 1024):
            raise Refused(400, "chunk_size must be 64 KiB to 64 MiB")
        listing = _clean_listing(files)
        tag = [f for f in listing if f["path"] == "tagmanifest-sha256.txt"]
        if not tag or tag[0]["sha256"] != archive:
            raise Refused(422, "the listing's tagmanifest-sha256.txt does not hash to the archive id")
        encoded = canonical(listing).decode()
        with self.engine.begin() as c:
            row = c.execute(select(db.archives).where(db.archives.c.id == archive)).first()
            if row is None:
                self._may_write(c, room, session)
                try:
                    with c.begin_nested():
                        c.execute(insert(db.archives).values(id=archive, session=session, room=room.id, status="uploading",
                                                             chunk_size=chunk_size, files=encoded, problems="", created_at=db.now()))
                except IntegrityError:
                    pass
        return self.archive_status(room, archive)

    def archive_status(self, room: Any, archive: str) -> dict[str, Any]:
        with self.engine.begin() as c:
            row = c.execute(select(db.archives).where(db.archives.c.id == archive)).first()
            if row is None:
                raise Refused(404, f"no archive {archive[:16]}")
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
                      data_sha256: str | None = None) -> dict[str, Any]:
        """``data_sha256``: the SHA-256 of ``data`` when the caller has computed it (the request signature's)."""
        digest = data_sha256 or hashlib.sha256(data).hexdigest()
        if not sha or sha.lower() != digest:
            raise Refused(460, "chunk checksum mismatch (X-Chunk-SHA256): chunk discarded")
        with self.engine.begin() as c:
            row = c.execute(select(db.archives).where(db.archives.c.id == archive)).first()
            if row is None:
                raise Refused(404, f"no archive {archive[:16]}: begin the upload first")
            if row.room != room.id:
                raise Refused(403, f"archive {archive[:16]} is uploaded by room {row.room}")
            if row.status == "verified":
                return {"stored": False, "status": row.status}
            files = json.loads(row.files)
            if not 0 <= file_index < len(files):
                raise Refused(400, f"no file {file_index} in archive {archive[:16]}")
            size = files[file_index]["size"]
            count = max(1, -(-size // row.chunk_size))
            if not 0 <= chunk < count:
                raise Refused(400, f"file {file_index} has chunks 0..{count - 1}")
            expected = min(row.chunk_size, size - chunk * row.chunk_size)
            if len(data) != expected:
                raise Refused(400, f"chunk {chunk} of file {file_index} must be {expected} bytes, got {len(data)}")
            old = c.execute(select(db.chunks.c.sha256).where(db.chunks.c.archive == archive, db.chunks.c.file == file_index,
                                                             db.chunks.c.chunk == chunk)).scalar()
        if old is not None:
            if old != digest:
                raise Refused(409, f"chunk {chunk} of file {file_index} was already received with other content")
            return {"stored": False, "status": "uploading"}
        self.blobs.put(f"uploads/{archive}/{file_index}/{chunk}", data)  # blob first, then the row that says it exists
        try:
            with self.engine.begin() as c:
                c.execute(insert(db.chunks).values(archive=archive, file=file_index, chunk=chunk, size=len(data), sha256=digest))
        except IntegrityError:
            pass  # the same chunk from a retry racing on another process
        return {"stored": True, "status": "uploading"}

    def archive_complete(self, room: Any, archive: str) -> dict[str, Any]:
        status = self.archive_status(room, archive)
        if status["status"] == "verified":
            return status
        files, size = status["files"], status["chunk_size"]
        missing = []
        for index, entry in enumerate(files):
            count = max(1, -(-entry["size"] // size))
            have = set(status["received"].get(str(index), []))
            missing.extend(f"{entry['path']} chunk {n}" for n in range(count) if n not in have)
        if missing:
            raise Refused(409, f"{len(missing)} chunks missing", {"missing": missing[:50]})
        problems: list[str] = []
        actual: dict[str, str] = {}
        for index, entry in enumerate(files):
            count = max(1, -(-entry["size"] // size))
            # one pass: the chunks are read once, hashed on the way and written straight to the stored file
            parts = _Concatenated(self.blobs, [f"uploads/{archive}/{index}/{n}" for n in range(count)])
            self.blobs.put_file(f"archives/{archive}/{entry['path']}", parts)
            actual[entry["path"]] = parts.digest.hexdigest()
            if actual[entry["path"]] != entry["sha256"]:
                problems.append(f"upload: {entry['path']} does not match its declared sha256")
        if not problems:
            problems = self.verify_archive_blobs(archive, files, actual)
        with self.engine.begin() as c:
            row = c.execute(select(db.archives).where(db.archives.c.id == archive)).first()
            if row.status == "verified":
                return self.archive_status(room, archive)
            if problems:
                c.execute(update(db.archives).where(db.archives.c.id == archive).values(
                    status="rejected", problems="\n".join(problems), completed_at=db.now()))
            else:
                receipt = protocol.sign_receipt(self.key, {"kind": "archive", "archive": archive, "session": row.session,
                                                           "room": row.room, "files": len(files), "time": db.now()})
                c.execute(update(db.archives).where(db.archives.c.id == archive).values(
                    status="verified", receipt=json.dumps(receipt, sort_keys=True), completed_at=db.now()))
        if problems:
            raise Refused(422, "archive refused: " + "; ".join(problems[:3]), {"problems": problems})
        self.blobs.delete_prefix(f"uploads/{archive}")
        return self.archive_status(room, archive)

    def verify_archive_blobs(self, archive: str, files: list[dict[str, Any]], actual: dict[str, str] | None = None) -> list[str]:
        """BagIt fixity of a stored archive (+ ``app.archive.verify``, when present). ``actual``: the stored
        files' SHA-256 when the caller has just computed them while writing them (not read again here)."""
        if actual is None:
            actual = {}
            for entry in files:
                digest = hashlib.sha256()
                with self.blobs.open(f"archives/{archive}/{entry['path']}") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(block)
                actual[entry["path"]] = digest.hexdigest()
        problems = [f"stored: {p} differs from its upload" for p, d in actual.items()
                    if d != next(e["sha256"] for e in files if e["path"] == p)]
        if hashlib.sha256(self.blobs.get(f"archives/{archive}/tagmanifest-sha256.txt")).hexdigest() != archive:
            problems.append("bag: tagmanifest-sha256.txt does not hash to the archive id")
        problems += protocol.check_bag_listing(actual, lambda name: self.blobs.get(f"archives/{archive}/{name}").decode("utf-8"))
        if not problems:
            problems += _archive_verify_hook(self, archive, files)
        return problems

    # -- status and re-verification -------------------------------------------------------------


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


def _clean_listing(files: Iterable[Any]) -> list[dict[str, Any]]:
    listing = []
    seen = set()
    for entry in files:
        if not isinstance(entry, dict) or set(entry) != {"path", "size", "sha256"}:
            raise Refused(400, "each file is {path, size, sha256}")
        path, size, sha = entry["path"], entry["size"], entry["sha256"]
        if not isinstance(path, str) or not path or path.startswith("/") or any(p in ("", ".", "..") for p in path.split("/")):
            raise Refused(400, f"bad file path {path!r}")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise Refused(400, f"bad size for {path}")
        if not isinstance(sha, str) or len(sha) != 64:
            raise Refused(400, f"bad sha256 for {path}")
        if path in seen:
            raise Refused(400, f"{path} listed twice")
        seen.add(path)
        listing.append({"path": path, "size": size, "sha256": sha.lower()})
    if not listing:
        raise Refused(400, "an archive has files")
    return sorted(listing, key=lambda e: e["path"])


def _archive_verify_hook(center: Center, archive: str, files: list[dict[str, Any]]) -> list[str]:
    """The archive's full offline verification (#6: ``app.archive.verify.verify_archive``: fixity, room
    signature, ledger, checkpoint, PDF seal, recomputed report and result) on a materialised copy, with the
    room key the center holds for the session as the trust anchor (not the copy inside the bag)."""
    try:
        from app.archive.verify import ArchiveInputError, verify_archive
    except ImportError:  # the archive module is not installed: the BagIt checks above are all there is
        return []
    with center.engine.begin() as c:
        row = c.execute(select(db.sessions).join(db.archives, db.archives.c.session == db.sessions.c.id)
                        .where(db.archives.c.id == archive)).first()
    if row is None:
        return ["archive: its session is unknown at the center (push the ledger first)"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "bag"
        stored = center.blobs.folder(f"archives/{archive}") if isinstance(center.blobs, LocalBlobs) else None
        if stored is not None and {p.relative_to(stored).as_posix() for p in stored.rglob("*") if p.is_file()} == {
                e["path"] for e in files}:
            root = stored  # a local blob folder is the bag itself: verified where it is stored, no copy
        for entry in files if root != stored else []:
            target = root.joinpath(*entry["path"].split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            with center.blobs.open(f"archives/{archive}/{entry['path']}") as src, target.open("wb") as dst:
                for block in iter(lambda: src.read(1 << 20), b""):
                    dst.write(block)
        pem = Path(tmp) / "room.pub.pem"
        pem.write_bytes(VerifyingKey(row.room_key_alg, row.room_key).to_pem())
        try:
            verdict = verify_archive(root, room_key=pem)
        except ArchiveInputError as exc:
            return [f"archive: {exc}"]
        return [f"archive verify: {p}" for p in verdict.problems]
