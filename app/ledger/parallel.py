"""Ed25519 signature checks of many events in worker processes (``evalroom ledger verify --jobs N``).

Signatures are independent of one another, so the verifier hands them out in batches (one author's key a
batch, so each worker loads a key once) and goes on with its own work meanwhile (``verify.py`` folds the ledger
as if every signature held, then compares). The answers are a pure function of (key, signature, id): which
process computed one does not change it, so the result and its messages are the same with any ``--jobs``.

This module imports only ``cryptography`` at module level: a worker started by ``spawn`` or ``forkserver``
(Windows, macOS, Python 3.14 on Linux) loads nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

CONTEXT = b"evalroom/event/v1\n"  # = events.SIGNING_CONTEXT (a test keeps the two equal)
BATCH = 2500  # signatures a batch at most: enough to make the hand-over cheap, small enough to share the work out

Check = tuple[bytes, str, bytes]  # (public key raw bytes, event id hex, signature)


def default_jobs() -> int:
    """The cores this process may run on."""
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counter is not None:
        return max(1, counter() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def verify_batch(key_raw: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """(in a worker) One byte per (event id, signature) of ``items``: 1 when the signature holds under the key."""
    try:
        public = ed25519.Ed25519PublicKey.from_public_bytes(key_raw)
    except ValueError:
        return bytes(len(items))
    out = bytearray(len(items))
    for index, (event_id, sig) in enumerate(items):
        try:
            public.verify(sig, CONTEXT + bytes.fromhex(event_id))
        except (InvalidSignature, ValueError):
            continue
        out[index] = 1
    return bytes(out)


class SignatureChecks:
    """Signature checks running in a pool of ``jobs`` processes; :meth:`results` waits for them."""

    def __init__(self, checks: Iterable[Check], jobs: int) -> None:
        by_key: dict[bytes, list[tuple[str, bytes]]] = {}
        for key_raw, event_id, sig in dict.fromkeys(checks):
            by_key.setdefault(key_raw, []).append((event_id, sig))
        self._batches: list[tuple[bytes, list[tuple[str, bytes]], Future[bytes]]] = []
        self._pool = ProcessPoolExecutor(max_workers=jobs)
        try:
            for key_raw, items in by_key.items():
                for start in range(0, len(items), BATCH):
                    part = items[start:start + BATCH]
                    self._batches.append((key_raw, part, self._pool.submit(verify_batch, key_raw, part)))
        except BaseException:
            self._pool.shutdown(wait=False, cancel_futures=True)
            raise

    def results(self) -> dict[Check, bool]:
        """Every check's answer (waits for the workers, then stops them)."""
        answers: dict[Check, bool] = {}
        try:
            for key_raw, items, future in self._batches:
                for (event_id, sig), ok in zip(items, future.result(), strict=True):
                    answers[(key_raw, event_id, sig)] = ok == 1
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)
        return answers
