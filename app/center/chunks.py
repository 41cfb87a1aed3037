"""Receiving one archive chunk as it streams in.

A chunk's request is signed over the SHA-256 its ``X-Chunk-SHA256`` header declares (the client signs the
body's digest), so the room is authenticated before the body is read. The bytes are then hashed and
written in place at the chunk's offset by a writer thread while the event loop goes on receiving: the
network, the hash and the disk overlap instead of taking turns, and nothing is copied twice. Only when
the body hashes to the declared digest is the chunk's row written; bytes of a chunk that fails that check
lie in a region no row vouches for, and are overwritten when the chunk comes again. Only the room that
owns the archive can write there (the signature), and never over a chunk already recorded (the row is
checked first).

Object storage cannot be written in place: there the body is read whole and stored as one object.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request

from app.center import protocol
from app.center.errors import AuthError, Refused
from app.center.storage.blobs import LocalBlobs, open_region, write_region

PIECE = 1 << 20  # bytes handed to the writer thread at a time
BACKLOG = 8  # pieces queued for the writer before the receiver waits (bounds memory: 8 MiB a request)
DRAIN_LIMIT = 64 * 1024 * 1024 + 1  # a refused body is read (so the client sees the answer) up to the largest chunk
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


async def receive_chunk(center: Any, request: Request, target: str, archive: str, file_index: int, chunk: int) -> dict[str, Any]:
    try:
        return await _receive(center, request, target, archive, file_index, chunk)
    except (AuthError, Refused):
        await _drain(request)  # answer after the body: a client still sending would see a reset, not the reason
        raise


async def _receive(center: Any, request: Request, target: str, archive: str, file_index: int, chunk: int) -> dict[str, Any]:
    declared = request.headers.get(protocol.H_CHUNK_SHA) or ""
    if not _HEX64.match(declared):
        raise Refused(460, "chunk checksum missing or malformed (X-Chunk-SHA256: 64 hex digits)")
    declared = declared.lower()
    try:
        who = await run_in_threadpool(center.authenticate, "PUT", target, request.headers, b"", declared)
    except AuthError as exc:
        if exc.status != 403:
            raise
        # not signed over the digest it declares: signed over the body it carries? then the body is damaged
        body = await request.body()
        actual = await run_in_threadpool(lambda: hashlib.sha256(body).hexdigest())
        if actual == declared:
            raise
        await run_in_threadpool(center.authenticate, "PUT", target, request.headers, body, actual)
        raise Refused(460, "chunk checksum mismatch (X-Chunk-SHA256): chunk discarded") from None
    if who.kind == "member":
        raise AuthError(403, "a session member's key may sync its session's ledger only")
    slot = await run_in_threadpool(center.chunk_slot, who, archive, file_index, chunk, declared)
    if slot.answer is not None:
        await _drain(request)
        return slot.answer  # type: ignore[no-any-return]
    length = request.headers.get("content-length")
    if length is not None and length != str(slot.size):
        raise Refused(400, f"chunk {chunk} of file {file_index} must be {slot.size} bytes, got {length}")
    if slot.staged is None or not isinstance(center.blobs, LocalBlobs):
        body = await request.body()
        return await run_in_threadpool(center.archive_chunk, who, archive, file_index, chunk, body, declared)
    writer = _RegionWriter(center.blobs.folder(slot.staged), slot.offset, slot.size)
    try:
        async for block in request.stream():
            writer.feed(block)
            await writer.keep_up()
        digest = await writer.finish()
    except ClientDisconnect:
        raise Refused(400, "the client went away before the chunk was complete: chunk discarded") from None
    except OSError as exc:  # disk full, permissions: the room keeps its copy and sends the chunk again later
        raise Refused(507, f"the center cannot store the chunk ({exc.strerror or exc}): chunk discarded") from None
    finally:
        writer.close()
    if digest != declared:
        raise Refused(460, "chunk checksum mismatch (X-Chunk-SHA256): chunk discarded")
    return await run_in_threadpool(center.chunk_stored, slot, digest)  # type: ignore[no-any-return]


async def _drain(request: Request) -> None:
    read = 0
    try:
        async for block in request.stream():
            read += len(block)
            if read > DRAIN_LIMIT:
                return
    except (ClientDisconnect, RuntimeError):  # RuntimeError: the stream was consumed already
        return


class _RegionWriter:
    """Hashes and writes ``size`` bytes at ``offset`` of ``path`` on one thread, in order, then fsyncs.

    The event loop only collects the blocks it receives; the writer thread hashes them and writes them
    with one vectored write a piece (no copy on the loop)."""

    def __init__(self, path: Path, offset: int, size: int) -> None:
        self.path, self.offset, self.size = path, offset, size
        self.received = 0
        self.hasher = hashlib.sha256()
        self.blocks: list[bytes] = []
        self.collected = 0
        self.pending: deque[Future[None]] = deque()
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="evalroom-chunk")
        self.fd: int | None = None

    def feed(self, block: bytes) -> None:
        self.received += len(block)
        if self.received > self.size:
            raise Refused(400, f"the chunk is longer than its {self.size} bytes: chunk discarded")
        self.blocks.append(block)
        self.collected += len(block)
        if self.collected >= PIECE:
            self._hand_over()

    async def keep_up(self) -> None:
        while len(self.pending) > BACKLOG:
            await asyncio.wrap_future(self.pending.popleft())

    async def finish(self) -> str:
        if self.received != self.size:
            raise Refused(400, f"the chunk must be {self.size} bytes, got {self.received}: chunk discarded")
        if self.blocks or self.fd is None:
            self._hand_over()
        self.pending.append(self.pool.submit(self._sync))
        while self.pending:
            await asyncio.wrap_future(self.pending.popleft())
        return self.hasher.hexdigest()

    def close(self) -> None:
        self.pool.submit(self._close)
        self.pool.shutdown(wait=False)

    def _hand_over(self) -> None:
        blocks, offset = self.blocks, self.offset
        self.offset += self.collected
        self.blocks, self.collected = [], 0
        self.pending.append(self.pool.submit(self._write, blocks, offset))

    # -- on the writer thread (hashlib and os.pwritev release the GIL) --
    def _write(self, blocks: list[bytes], offset: int) -> None:
        if self.fd is None:
            self.fd = open_region(self.path)
        for block in blocks:
            self.hasher.update(block)
        write_region(self.fd, blocks, offset)

    def _sync(self) -> None:
        if self.fd is not None:
            os.fsync(self.fd)

    def _close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
