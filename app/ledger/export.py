"""Feeds as JSON Lines: one file per author, one canonical record per line, in seq order.

File names are ``<label>-<first 12 hex of the key id>.jsonl`` (``room-…``, ``E1-…``, ``supervisor-…``)
for people; the verifier ignores the names and reads every ``*.jsonl``. Files are published safely:
written to a temporary name, fsynced, renamed, and the folder fsynced.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from app.durable import fsync_dir
from app.ledger.events import SignedEvent

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def feed_name(author: str, label: str) -> str:
    stem = _UNSAFE.sub("_", label.split(" ")[0]).strip("._") or "key"
    return f"{stem}-{author[:12]}.jsonl"


def write_feeds(events: Iterable[SignedEvent], labels: Mapping[str, str], outdir: Path) -> list[Path]:
    """Write every feed under ``outdir`` (created if needed); return the files written."""
    outdir.mkdir(parents=True, exist_ok=True)
    feeds: dict[str, list[SignedEvent]] = {}
    for ev in events:
        feeds.setdefault(ev.author, []).append(ev)
    written = []
    for author, feed in sorted(feeds.items()):
        feed.sort(key=lambda ev: ev.seq)
        target = outdir / feed_name(author, labels.get(author, "key"))
        temp = target.with_name(target.name + ".tmp")
        with temp.open("w", encoding="utf-8", newline="\n") as handle:
            for ev in feed:
                handle.write(ev.to_line())
                handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
        written.append(target)
    fsync_dir(outdir)
    return written
