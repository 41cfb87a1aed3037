"""Receiving one archive chunk as it streams in.

A chunk's request is signed over the SHA-256 its ``X-Chunk-SHA256`` header declares (the client signs the
body's digest), so the room can be authenticated before the body is read. The body keeps arriving while
that check runs: a hashing thread hashes it at once while it is held; once the request is admitted, a
writing thread writes it in place at the chunk's offset and goes on with the rest while the event loop
receives. The network, the hash and the disk overlap instead of taking turns, and nothing is copied.

Only when the body hashes to the declared digest is the chunk's row written, with the request's nonce in
the same commit. The bytes are not synced here: the file is, once it is whole, on a background thread, and
the completion waits for that before it signs (:mod:`app.center.arrivals`, which also carries the file's
SHA-256 on from this chunk's hash). Bytes of a chunk that fails that check lie in a region no row vouches
for, and are overwritten when the chunk comes again. Only the room that owns the archive can write there
(the signature), and never over a chunk already recorded (the row is checked first).

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
from typing import Any, NoReturn

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request

from app.center import protocol
from app.center.errors import AuthError, Declined
from app.center.storage.blobs import LocalBlobs, open_region, write_region

PIECE = 1 << 20  # bytes handed to the hashing and the writing thread at a time
BACKLOG = 16  # hash and write tasks queued before the receiver waits (at most 16 MiB a request)
HOLD_LIMIT = 16 * 1024 * 1024  # bytes received while the request is being admitted (then the receiver waits)
DRAIN_LIMIT = 64 * 1024 * 1024 + 1  # a refused body is read (so the client sees the answer) up to the largest chunk
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


async def receive_chunk(center: Any, request: Request, target: str, archive: str, file_index: int,
                        chunk: int) -> dict[str, Any]:
    try:
        return await _receive(center, request, target, archive, file_index, chunk)
    except ClientDisconnect:
        raise Declined(400, "the client went away before the chunk was complete: chunk discarded") from None
    except (AuthError, Declined):
        await _drain(request)  # answer after the body: a client still sending would see a reset, not the reason
        raise


async def _receive(center: Any, request: Request, target: str, archive: str, file_index: int,
                   chunk: int) -> dict[str, Any]:
    declared = request.headers.get(protocol.H_CHUNK_SHA) or ""
    if not _HEX64.match(declared):
        raise Declined(460, "chunk checksum missing or malformed (X-Chunk-SHA256: 64 hex digits)")
    declared = declared.lower()

    def admit() -> tuple[Any, Any]:
        who = center.authenticate("PUT", target, request.headers, b"", declared, record_nonce=False)
        if who.kind == "member":
            raise AuthError(403, "a session member's key may sync its session's ledger only")
        return who, center.chunk_slot(who, archive, file_index, chunk, declared)

    if not isinstance(center.blobs, LocalBlobs):
        try:
            who, slot = await run_in_threadpool(admit)
        except AuthError as exc:
            if exc.status != 403:
                raise
            await _refuse_unverified(center, request, target, declared, await request.body(), exc)
        data = await request.body()
        if slot.answer is not None:
            return slot.answer  # type: ignore[no-any-return]
        return await run_in_threadpool(center.archive_chunk, who, archive, file_index, chunk, data, declared,
                                       None, (who.id, request.headers))

    body = request.stream().__aiter__()
    writer = _RegionWriter()
    try:
        admission = asyncio.ensure_future(run_in_threadpool(admit))
        while not admission.done() and writer.received <= HOLD_LIMIT:
            block = await _next(body)
            if block is None:
                break
            writer.feed(block)  # hashed now, written once the request is admitted
        try:
            who, slot = await admission
        except AuthError as exc:
            if exc.status != 403:
                raise
            while (block := await _next(body)) is not None:
                writer.feed(block, limit=DRAIN_LIMIT)
            await _refuse_unverified(center, request, target, declared, b"".join(writer.held), exc)
        if slot.answer is not None:  # nothing to store: the rest of the body is read and dropped
            while await _next(body) is not None:
                pass
            return slot.answer  # type: ignore[no-any-return]
        length = request.headers.get("content-length")
        if length is not None and length != str(slot.size):
            raise Declined(400, f"chunk {chunk} of file {file_index} must be {slot.size} bytes, got {length}")
        writer.admit(center.blobs.folder(slot.staged), slot.offset, slot.size)
        while (block := await _next(body)) is not None:
            writer.feed(block)
            await writer.keep_up()
        digest = await writer.finish()
    except OSError as exc:  # disk full, permissions: the room keeps its copy and sends the chunk again later
        raise Declined(507, f"the center cannot store the chunk ({exc.strerror or exc}): chunk discarded") from None
    finally:
        writer.close()
    if digest != declared:
        raise Declined(460, "chunk checksum mismatch (X-Chunk-SHA256): chunk discarded")
    return await run_in_threadpool(center.chunk_stored, slot, digest, (who.id, request.headers), writer.hasher)


async def _refuse_unverified(center: Any, request: Request, target: str, declared: str, whole: bytes,
                             refusal: AuthError) -> NoReturn:
    """A request not signed over the digest it declares: signed over the body it carries? Then the body is
    not what the room hashed (460, sent again); otherwise the signature is simply wrong (``refusal``)."""
    actual = await run_in_threadpool(lambda: hashlib.sha256(whole).hexdigest())
    if actual == declared:
        raise refusal
    await run_in_threadpool(center.authenticate, "PUT", target, request.headers, whole, actual)
    raise Declined(460, "chunk checksum mismatch (X-Chunk-SHA256): chunk discarded")


async def _next(blocks: Any) -> bytes | None:
    try:
        while not (block := await blocks.__anext__()):
            pass  # Starlette ends the stream with an empty block
        return block  # type: ignore[no-any-return]
    except StopAsyncIteration:
        return None


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
    """Hashes a chunk's blocks as they come (one thread) and writes them at the chunk's offset once the
    request is admitted (:meth:`admit`; another thread, so the disk and the hash run side by side). Blocks
    are handed over in pieces, never copied on the event loop (one vectored write a piece)."""

    def __init__(self) -> None:
        self.received = 0
        self.size: int | None = None
        self.hasher = hashlib.sha256()
        self.held: list[bytes] = []  # received before admission (hashed, not yet written)
        self.blocks: list[bytes] = []  # the piece being collected
        self.collected = 0
        self.pending: deque[Future[None]] = deque()
        self.hashing = ThreadPoolExecutor(1, thread_name_prefix="evalroom-chunk-hash")
        self.writing = ThreadPoolExecutor(1, thread_name_prefix="evalroom-chunk-write")
        self.admitted = False
        self.fd: int | None = None  # opened on the writing thread

    def feed(self, block: bytes, limit: int | None = None) -> None:
        self.received += len(block)
        bound = self.size if limit is None else limit
        if bound is not None and self.received > bound:
            raise Declined(400 if limit is None else 413,
                           f"the chunk is longer than its {bound} bytes: chunk discarded")
        if not self.admitted:
            self.held.append(block)
        self.blocks.append(block)
        self.collected += len(block)
        if self.collected >= PIECE:
            self._hand_over()

    def admit(self, path: Path, offset: int, size: int) -> None:
        if self.received > size:
            raise Declined(400, f"the chunk is longer than its {size} bytes: chunk discarded")
        if self.blocks:
            self._hand_over()  # the piece collected so far: hashed only, it is among the held blocks
        self.size, self.admitted = size, True
        held, self.held = self.held, []
        self.pending.append(self.writing.submit(self._open_and_write, path, held, offset))
        self.offset = offset + sum(map(len, held))

    async def keep_up(self) -> None:
        while len(self.pending) > BACKLOG:
            await asyncio.wrap_future(self.pending.popleft())

    async def finish(self) -> str:
        if self.received != self.size:
            raise Declined(400, f"the chunk must be {self.size} bytes, got {self.received}: chunk discarded")
        if self.blocks:
            self._hand_over()
        while self.pending:
            await asyncio.wrap_future(self.pending.popleft())
        return self.hasher.hexdigest()

    def close(self) -> None:
        self.writing.submit(self._close)
        self.hashing.shutdown(wait=False)
        self.writing.shutdown(wait=False)

    def _hand_over(self) -> None:
        blocks, self.blocks, self.collected = self.blocks, [], 0
        self.pending.append(self.hashing.submit(self._hash, blocks))
        if self.admitted:  # before that the blocks are held, and written at admission
            self.pending.append(self.writing.submit(self._write, blocks, self.offset))
            self.offset += sum(map(len, blocks))

    # -- on the hashing and the writing thread, each in order (hashlib and os.pwritev release the GIL) --
    def _hash(self, blocks: list[bytes]) -> None:
        for block in blocks:
            self.hasher.update(block)

    def _open_and_write(self, path: Path, held: list[bytes], offset: int) -> None:
        self.fd = open_region(path)
        self._write(held, offset)

    def _write(self, blocks: list[bytes], offset: int) -> None:
        assert self.fd is not None  # opened by the first task on this thread
        write_region(self.fd, blocks, offset)

    def _close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
