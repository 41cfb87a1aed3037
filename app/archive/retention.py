"""Retention (DOMAIN.md §5): 15 years from the end of the session by default; deletion before expiry is
refused, and every deletion after it is logged (a destruction log beside the archives).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

from app.archive.bag import read_info
from app.errors import EXIT_INVALID, EvalRoomError

DEFAULT_YEARS = 15
LOG_NAME = "destruction-log.jsonl"


class RetentionError(EvalRoomError):
    """Deleting the archive is not allowed (yet), or the archive states no retention date."""

    exit_code = EXIT_INVALID


def retention_until(session_end: dt.date, years: int = DEFAULT_YEARS) -> dt.date:
    """``years`` after the session's end (29 February falls back to 28 February)."""
    try:
        return session_end.replace(year=session_end.year + years)
    except ValueError:
        return session_end.replace(year=session_end.year + years, day=28)


def delete_archive(bagdir: Path, reason: str, today: dt.date | None = None, log: Path | None = None) -> Path:
    """Delete ``bagdir`` if its retention has expired; log it first. Returns the log file."""
    info = read_info(bagdir)
    stated = info.get("Retention-Until")
    if not stated:
        raise RetentionError(f"{bagdir}: bag-info.txt states no Retention-Until; refusing to delete")
    until = dt.date.fromisoformat(stated)
    today = today or dt.datetime.now(dt.UTC).date()
    if today <= until:
        raise RetentionError(f"{bagdir}: retained until {until.isoformat()} (DOMAIN.md §5); deletion refused")
    if not reason.strip():
        raise RetentionError("a deletion needs a reason for the destruction log")
    log = log or bagdir.parent / LOG_NAME
    tagmanifest = bagdir / "tagmanifest-sha512.txt"
    tag_digest = hashlib.sha256(tagmanifest.read_bytes()).hexdigest() if tagmanifest.is_file() else None
    entry = {"deleted_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "bag": bagdir.name,
             "session": info.get("External-Identifier"), "retention_until": until.isoformat(), "reason": reason,
             "tagmanifest_sha256": tag_digest}
    with log.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
    shutil.rmtree(bagdir)
    return log
