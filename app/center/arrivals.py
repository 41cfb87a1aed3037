"""What this process received of the archive files being uploaded to a local folder: each file's SHA-256 as
its chunks arrive, and each file made durable once it is whole.

A chunk is acknowledged once its bytes are written (not yet synced) and its row is committed: the network
never waits for the disk. A file of one chunk has that chunk's SHA-256 (taken from the bytes as they came);
a longer one is hashed in order on a background thread, the first chunk's running hash handed over by the
receiver, the next ones read back from the page cache right after they are written. A file whose chunks
are all here is fsynced on that thread, so the disk works while the next files arrive; the completion
waits for it and syncs whatever this process did not (``settle``) before it signs a receipt.

Only this process's own arrivals count, and only for its lifetime: after a restart (or on another worker)
nothing is known, and the completion reads the files again as before. A row may say a chunk is here before
its bytes are synced; if power is lost the process is gone too, and the completion that follows reads every
file, finds the chunk that was lost, and asks for it again.
"""

from __future__ import annotations

import hashlib
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_READ = 1 << 20


def fsync_path(path: Path) -> None:
    """fsync a file (or, not on Windows, a folder) by its path (Windows syncs only what is open for writing)."""
    fd = os.open(path, os.O_RDWR if os.name == "nt" else os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class _File:
    path: Path
    size: int
    chunk_size: int
    count: int
    digests: dict[int, str] = field(default_factory=dict)  # chunk -> SHA-256, stored by this process
    hasher: Any = None  # the running SHA-256 of chunks 0 .. next-1
    next: int = 0
    sha256: str | None = None
    synced: bool = False


class Arrivals:
    def __init__(self) -> None:
        self._files: dict[tuple[str, int], _File] = {}
        self._work: dict[str, list[Future[None]]] = {}
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None  # started on first use (a forked worker starts its own)

    def stored(self, archive: str, index: int, path: Path, size: int, chunk_size: int, chunk: int, digest: str,
               running: Any = None) -> None:
        """Chunk ``chunk`` of file ``index`` (at ``path``, ``size`` bytes) is written and recorded.
        ``running``: a SHA-256 object fed with exactly this chunk's bytes (for chunk 0: the file's own start)."""
        with self._lock:
            key = (archive, index)
            entry = self._files.get(key)
            if entry is None or entry.path != path:
                entry = self._files[key] = _File(path, size, chunk_size, max(1, -(-size // chunk_size)))
            entry.digests[chunk] = digest
            if entry.count == 1:
                entry.sha256 = digest
            elif chunk == 0 and entry.next == 0 and running is not None:
                entry.hasher, entry.next = running, 1
            if self._pool is None:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="evalroom-archive-files")
            self._work.setdefault(archive, []).append(self._pool.submit(self._advance, entry))

    def _advance(self, entry: _File) -> None:
        """(on the one background thread, in order) Hash on as far as the chunks go, then sync a whole file."""
        while entry.sha256 is None and entry.next in entry.digests:
            if entry.hasher is None:
                entry.hasher = hashlib.sha256()
            start = entry.next * entry.chunk_size
            left = min(entry.chunk_size, entry.size - start)
            with entry.path.open("rb") as handle:
                handle.seek(start)
                while left > 0 and (block := handle.read(min(_READ, left))):
                    entry.hasher.update(block)
                    left -= len(block)
            entry.next += 1
            if entry.next == entry.count:
                entry.sha256 = entry.hasher.hexdigest()
        if entry.sha256 is not None and not entry.synced and len(entry.digests) == entry.count:
            fsync_path(entry.path)
            entry.synced = True

    def settle(self, archive: str) -> tuple[dict[int, str], set[int]]:
        """Wait for this archive's background work; the SHA-256 of each whole file this process received (by
        file index) and the files it has synced."""
        with self._lock:
            work = self._work.pop(archive, [])
        for done in work:
            done.exception()  # a file that could not be read back or synced is simply not known: read at completion
        with self._lock:
            entries = {index: e for (a, index), e in self._files.items() if a == archive}
        return ({i: e.sha256 for i, e in entries.items() if e.sha256 is not None and len(e.digests) == e.count},
                {i for i, e in entries.items() if e.synced})

    def forget(self, archive: str) -> None:
        with self._lock:
            for key in [k for k in self._files if k[0] == archive]:
                del self._files[key]
            work = self._work.pop(archive, [])
        for done in work:
            done.exception()  # let a running read finish before its file moves

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
