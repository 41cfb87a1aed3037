"""Media the session's events name by SHA-256 but this node's session folder lacks (a handwritten signature's image
and strokes made on an expert's or supervisor's own PC), fetched from the hub (or the center) off the thread that
owns the session file.

The owning thread :meth:`offers <MediaFetcher.offer>` what the folded state names (:func:`named`) and what its
``media/`` folder lacks (:func:`missing`); a background thread fetches each (``GET /v1/sessions/{s}/media/{sha}``,
the bytes checked against the SHA-256) and writes it into the folder as ``remote-<sha256>.<png|jpg|json|bin>`` (the
archive finds images there by their content). A medium the hub does not hold yet is asked for again later.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.sync.background import Rounds
from app.sync.client import CenterClient, CenterRefused, SyncError

DIGEST = re.compile(r"[0-9a-f]{64}")


def named(state: Any, reports: bool = False, bids: frozenset[str] | set[str] = frozenset()) -> set[str]:
    """The SHA-256 of every medium a letter of the folded state names (images and strokes); ``reports``: also the
    report's draft and final PDFs the ledger names (a member's own PC shows the very draft the console made);
    ``bids``: the bid files' (an expert's own PC reads them beside the scoring grid, once the bids are opened)."""
    out: set[str] = set(bids)
    if reports:
        out.update(d for d in (state.report.draft, state.report.final) if isinstance(d, str) and DIGEST.fullmatch(d))
    for letter in state.letters.values():
        for field in ("image_sha256", "strokes_sha256"):
            value = letter.get(field)
            if isinstance(value, str) and DIGEST.fullmatch(value):
                out.add(value)
    return out


def missing(folder: Path, digests: set[str]) -> list[str]:
    """Those of ``digests`` with no file in ``folder`` (the names carry the digest or its first 12 digits)."""
    if not digests:
        return []
    names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    return sorted(d for d in digests if not any(d[:12] in name for name in names))


def suffix(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return ".pdf"
    if data.startswith(b"\x89PNG"):
        return ".png"
    if data.startswith(b"\xff\xd8"):
        return ".jpg"
    return ".json" if data[:1] in (b"[", b"{") else ".bin"


def store(folder: Path, digest: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"remote-{digest}{suffix(data)}"
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return path


class MediaFetcher(Rounds):
    """``client``: the node's own client of the hub (the fetcher closes it)."""

    def __init__(self, client: CenterClient, session: str, interval: float = 2.0, reports: bool = False,
                 bids: Callable[[Any], set[str]] | None = None) -> None:
        """``bids``: the bid files' SHA-256 a state names (a PC's fetcher; the console keeps its own copies)."""
        super().__init__(client, interval)
        self.session, self.reports, self.bids = session, reports, bids
        self.fetched = 0
        self._wanted: tuple[Path, list[str]] | None = None
        self._guard = threading.Lock()

    def offer(self, folder: Path, state: Any) -> None:
        """(owning thread) What the state names and ``folder`` lacks: fetched by the next round."""
        wanted = missing(folder, named(state, self.reports, self.bids(state) if self.bids else frozenset()))
        with self._guard:
            self._wanted = (folder, wanted)
        if wanted:
            self.wake()

    def fetch_once(self) -> int:
        """One round (never on the owning thread: it waits on the network); how many media were stored."""
        with self._guard:
            folder, wanted = self._wanted or (Path(), [])
        done = 0
        for digest in wanted:
            if self.stopping:
                break
            try:
                data = self.client.get_media(self.session, digest)
            except CenterRefused as exc:
                if exc.status != 404:  # 404: the member's PC has not delivered it yet
                    self.last_error = str(exc)
                continue
            except SyncError as exc:
                self.last_error = str(exc)
                break
            store(folder, digest, data)
            done += 1
        if done:
            self.last_error = None
            with self._guard:
                if self._wanted is not None and self._wanted[0] == folder:
                    self._wanted = (folder, missing(folder, set(self._wanted[1])))
        self.fetched += done
        return done

    thread_name = "evalroom-media"

    def round(self) -> bool:
        self.fetch_once()  # what the hub does not hold yet is asked for again next round
        return True


__all__ = ["MediaFetcher", "missing", "named", "store"]
