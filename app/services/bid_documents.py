"""The bid files (投标文件) an expert reads beside the scoring grid, wherever this PC keeps them.

The session's package names every bid file by path and SHA-256 (:mod:`app.services.bid_package`). The console
keeps the checked files beside its session (``bid-files/<path>``); an expert's or supervisor's own PC gets each
one from the room hub once the bids are opened (:mod:`app.sync.media`: ``media/remote-<sha256>.pdf``). Whatever
the place, a file is read only when it hashes to the SHA-256 the ledger holds: a changed or partial copy is
refused by name, never shown. Reading (and hashing) is file work: callers do it off the GUI thread."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.crypto.bid_crypto import open_at_rest
from app.domain.bid_files import listed, opened_digests
from app.errors import EvalRoomError
from app.services.bid_package import BID_FILES

#: beside a session: the bid files decrypted at opening, each sealed at rest (``<plaintext sha256>.sealed``)
DECRYPTED = "decrypted"


class BidFileError(EvalRoomError):
    """A bid file that is not here yet, or whose bytes are not those the ledger names."""


@dataclass(frozen=True)
class BidFile:
    bidder: str
    bidder_name: str
    path: str  # in the package
    sha256: str
    part: str
    location: Path | None  # where this PC keeps it; None: not here yet (a PC still fetching it)
    #: a decrypted bid file the console keeps sealed at rest: its data key (read lazily), else None
    data_key: Callable[[], bytes] | None = None

    @property
    def available(self) -> bool:
        return self.location is not None


def _decrypted(state: Any) -> dict[str, str]:
    decrypted = getattr(state, "decrypted", None)
    return decrypted() if callable(decrypted) else {}


def digests(state: Any) -> set[str]:
    """The SHA-256 of every bid file of the folded state once the bids are opened (before it: none); an encrypted
    file by its plaintext's, once decrypted (R-OPEN-10); none of a bid excluded at the decryption."""
    failures = getattr(state, "decryption_failures", None)
    excluded = set(failures()) if callable(failures) else set()
    return opened_digests(state.package, getattr(state, "opening", None) is not None, _decrypted(state), excluded)


def bid_files(state: Any, session_folder: Path | None, media: Path | None,
              data_key: Callable[[], bytes] | None = None) -> list[BidFile]:
    """The bid files and where this PC has them: the console's ``bid-files/`` beside its session (a decrypted one
    in ``decrypted/``, sealed under ``data_key``), else a PC's media folder (a fetched copy is named by its
    digest). An encrypted file is listed once decrypted, by its plaintext; no file of a bid excluded at the decryption
    (R-OPEN-10: it is not evaluated, its files reach no workstation), plain or decrypted."""
    failures = getattr(state, "decryption_failures", None)
    excluded = set(failures()) if callable(failures) else set()
    fetched = {}
    if media is not None and media.is_dir():
        fetched = {p.name[len("remote-"):len("remote-") + 64]: p for p in media.glob("remote-*.pdf")}
    decrypted = _decrypted(state)
    out = []
    for bidder, name, path, sha, part in listed(state.package, decrypted):
        if bidder in excluded:
            continue
        location: Path | None = None
        key = None
        if path in decrypted:
            sealed = session_folder / DECRYPTED / f"{sha}.sealed" if session_folder is not None else None
            if sealed is not None and data_key is not None and sealed.is_file():
                location, key = sealed, data_key
            elif sha in fetched and getattr(state, "opening", None) is not None:
                location = fetched[sha]
        elif session_folder is not None and (session_folder / BID_FILES / path).is_file():
            location = session_folder / BID_FILES / path
        elif sha in fetched and getattr(state, "opening", None) is not None:
            location = fetched[sha]
        out.append(BidFile(bidder, name, path, sha, part, location, key))
    return out


def read_checked(file: BidFile) -> bytes:
    """The bytes of ``file``, refused unless they hash to the SHA-256 the ledger names (any thread)."""
    if file.location is None:
        raise BidFileError(key="bid_files.not_here", path=file.path)
    try:
        data = file.location.read_bytes()
    except OSError as exc:
        raise BidFileError(key="bid_files.unreadable", path=file.path, exc=exc) from exc
    if file.data_key is not None:
        try:
            data = open_at_rest(file.data_key(), data, file.sha256)
        except ValueError as exc:
            raise BidFileError(key="bid_files.unreadable", path=file.path, exc=exc) from exc
    actual = hashlib.sha256(data).hexdigest()
    if actual != file.sha256:
        raise BidFileError(key="bid_files.hash_differs", path=file.path, actual=actual[:12], listed=file.sha256[:12])
    return data
