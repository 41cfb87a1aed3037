"""Hub → center store-and-forward: what a room hub (``evalroom hub serve --upstream URL``) received from the
room's workstations and console goes on to the center whenever the center can be reached, and what the
center holds of the same sessions (other venues' events, 远程异地评标) comes back to the hub, so the room's
console and workstations see it on their next pull.

Per session of this room (its own, and those it is a venue of): the center's missing events are pulled and
stored with the hub's own checks on receipt (``Center.replicate``: the same verifier as a push), then a
frontier exchange with the center and only the missing events
(in the hub's arrival order, so each author's chain arrives in order); verified archives are re-uploaded
from the hub's blob store (resumable, idempotent by archive id); media (signatures made on a member's own PC)
go up once each, and those the session's letters name come down. Nothing is deleted at the hub.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.center.errors import Declined
from app.center.service import Center, Upstream
from app.center.storage import db
from app.ledger.events import from_stored
from app.sync.client import CenterClient, CenterRefused, SyncError
from app.sync.worker import Backoff

BATCH = 500


@dataclass
class RelayResult:
    sent: int = 0
    pulled: int = 0
    archives: int = 0
    media: int = 0
    problems: list[str] = field(default_factory=list)
    error: str | None = None


def relay_once(hub: Center, client: CenterClient) -> RelayResult:
    """One exchange with the center: pull what the center holds of this room's sessions (its own and those it
    is a venue of), then push what the center lacks, then the verified archives."""
    result = RelayResult()
    try:
        upstream = set(client.sessions())
        with hub.engine.begin() as c:
            local = {r.session for r in c.execute(select(db.venues.c.session).where(db.venues.c.room == client.room))}
        for session in sorted(upstream):
            _pull(hub, client, session, result)
        for session in sorted(local | upstream):
            frontier = client.frontier(session)
            with hub.engine.begin() as c:
                rows = list(c.execute(select(db.events.c.raw, db.events.c.id, db.events.c.alg, db.events.c.sig,
                                             db.events.c.author, db.events.c.seq)
                                      .where(db.events.c.session == session).order_by(db.events.c.pos)))
            missing = [from_stored(bytes(r.raw), r.id, r.alg, bytes(r.sig)).to_record() for r in rows
                       if r.seq > frontier.get(r.author, 0)]
            for start in range(0, len(missing), BATCH):
                answer = client.push_events(session, missing[start:start + BATCH])
                result.sent += len(answer["accepted"])
                result.problems += [f"{session}: {r['reason']}" for r in answer["rejected"]]
        for session in sorted(local | upstream):
            result.media += _relay_media(hub, client, session, result)
        with hub.engine.begin() as c:
            archives = list(c.execute(select(db.archives).where(db.archives.c.status == "verified",
                                                                db.archives.c.room == client.room)))
        for row in archives:
            _relay_archive(hub, client, row)
            result.archives += 1
    except SyncError as exc:
        result.error = str(exc)
    return result


def _pull(hub: Center, client: CenterClient, session: str, result: RelayResult) -> None:
    """The center's events of ``session`` that the hub lacks, stored with the hub's own checks on receipt."""
    while True:
        with hub.engine.begin() as c:
            frontier = Center._frontier(c, session)
        answer = client.pull(session, frontier, limit=BATCH)
        if not answer["records"]:
            return
        try:
            stored = hub.replicate(session, answer["records"], source="upstream")
        except Declined as exc:
            result.problems.append(f"{session}: from the center: {exc.reason}")
            return
        result.pulled += len(stored["accepted"])
        result.problems += [f"{session}: from the center: {r['reason']}" for r in stored["rejected"]]
        if not answer.get("more") or not stored["accepted"]:
            return


RELAYED = "media-relayed"  # a marker blob per medium the center acknowledged (the hub's media are never deleted)


def _bid_files(hub: Center, session: str, result: RelayResult) -> set[str]:
    """The SHA-256 of the session's bid files once its bids are opened: a remote venue's PCs read them beside the
    scoring grid, from the main console through the center (:mod:`app.services.bid_documents`).

    The hub checks each event on receipt (signature, chain), not what it means: a decrypted file (R-OPEN-10) counts
    only by the plaintext SHA-256 the folded ledger records for that bidder's file, decrypted and its bid not
    excluded, and no file of an excluded bid counts. A room-signed ``opening.decrypted`` the fold refuses (a second
    one for a file, one for an excluded bid, after 唱标 or the time limit...) is named in ``result.problems`` and
    its file is not brought down."""
    from app.domain.bid_files import has_encrypted, opened_digests
    from app.ledger.fold import fold
    from app.sync.media import DIGEST

    with hub.engine.begin() as c:
        rows = c.execute(select(db.events.c.raw, db.events.c.id, db.events.c.alg, db.events.c.sig, db.events.c.type)
                         .where(db.events.c.session == session,
                                db.events.c.type.in_(("session.created", "opening.read")))).fetchall()
    events = {r.type: from_stored(bytes(r.raw), r.id, r.alg, bytes(r.sig)) for r in rows}
    if "session.created" not in events or "opening.read" not in events:
        return set()
    package = events["session.created"].body.get("package")
    if not has_encrypted(package):  # plain files only: the package's hashes, once opened
        return {d for d in opened_digests(package, True) if DIGEST.fullmatch(d)}
    with hub.engine.begin() as c:  # encrypted files: what the fold of every stored event makes of them
        stored = [from_stored(bytes(r.raw), r.id, r.alg, bytes(r.sig)) for r in c.execute(
            select(db.events.c.raw, db.events.c.id, db.events.c.alg, db.events.c.sig)
            .where(db.events.c.session == session))]
    state = fold(stored)
    decrypted, excluded = state.decrypted(), set(state.decryption_failures())
    for ev in stored:
        if ev.type != "opening.decrypted" or ev.author != state.room_author:
            continue
        path, bidder, plain = ev.body.get("path"), ev.body.get("bidder"), ev.body.get("plaintext_sha256")
        if state.decryption.get(str(path), {}).get("event") != ev.id:  # the fold refused it
            result.problems.append(
                f"{session}: {bidder}'s decrypted file {path} (SHA-256 {str(plain)[:12]}…) is not the one the "
                f"folded ledger records for it (event {ev.id[:12]}…): not relayed")
    return {d for d in opened_digests(package, state.opening is not None, decrypted, excluded) if DIGEST.fullmatch(d)}


def _relay_media(hub: Center, client: CenterClient, session: str, result: RelayResult) -> int:
    """The session's media both ways (a member PC's signature image and strokes, :mod:`app.center.media`): those
    the room's PCs stored here go up to the center once each; those the session's letters name and the hub lacks
    (a remote venue's PCs stored them at the center) come down. Returns how many moved."""
    from app.center.media import MAX_MEDIA, put_media
    from app.sync.media import DIGEST

    moved = 0
    prefix = f"media/{session}/"
    for key in list(hub.blobs.keys(prefix)):
        digest = key[len(prefix):]
        if not DIGEST.fullmatch(digest) or hub.blobs.exists(f"{RELAYED}/{session}/{digest}"):
            continue
        client.put_media(session, digest, hub.blobs.get(key))
        hub.blobs.put(f"{RELAYED}/{session}/{digest}", b"")
        moved += 1
    with hub.engine.begin() as c:
        naming = [from_stored(bytes(r.raw), r.id, r.alg, bytes(r.sig)) for r in c.execute(
            select(db.events.c.raw, db.events.c.id, db.events.c.alg, db.events.c.sig)
            .where(db.events.c.session == session,
                   db.events.c.type.in_(("letter.signed", "report.drafted", "report.finalized"))))]
    # a letter's image and strokes; the report's draft and final PDFs the main console put at its hub, which a
    # remote venue's PCs show and sign (they reach this hub through the center)
    fields = {"letter.signed": ("image_sha256", "strokes_sha256"), "report.drafted": ("sha256",),
              "report.finalized": ("sha256",)}
    named = {v for ev in naming for v in (ev.body.get(f) for f in fields[ev.type])
             if isinstance(v, str) and DIGEST.fullmatch(v)}
    named |= _bid_files(hub, session, result)
    for digest in sorted(named):
        if hub.blobs.exists(prefix + digest):
            continue
        try:
            data = client.get_media(session, digest)
        except CenterRefused as exc:
            if exc.status != 404:  # 404: its PC has not delivered it yet
                result.problems.append(f"{session}: media {digest[:12]} from the center: {exc.reason}")
            continue
        if len(data) <= MAX_MEDIA:
            put_media(hub, Upstream(), session, digest, data)
            hub.blobs.put(f"{RELAYED}/{session}/{digest}", b"")  # it came from the center: not sent back up
            moved += 1
    return moved


def _relay_archive(hub: Center, client: CenterClient, row: Any) -> None:
    status = None
    with contextlib.suppress(SyncError):
        status = client.request("GET", f"/v1/archives/{row.id}")
    if status and status["status"] == "verified":
        return
    with tempfile.TemporaryDirectory() as tmp:
        bag = Path(tmp) / "bag"
        for entry in json.loads(row.files):
            target = bag.joinpath(*entry["path"].split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            with hub.blobs.open(f"archives/{row.id}/{entry['path']}") as src, target.open("wb") as dst:
                for block in iter(lambda: src.read(1 << 20), b""):
                    dst.write(block)
        client.upload_archive(bag, row.session, chunk_size=row.chunk_size)


class Relay:
    """A background thread relaying every ``interval`` seconds, backing off while the center is down."""

    def __init__(self, hub: Center, client: CenterClient, interval: float = 5.0, backoff: Backoff | None = None,
                 max_wait: float = 300.0) -> None:
        self.hub, self.client, self.interval = hub, client, interval
        self.backoff = backoff or Backoff(base=interval, cap=max(interval, max_wait))
        self.last: RelayResult | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="evalroom-relay", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)

    def _loop(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                self.last = relay_once(self.hub, self.client)
            except Exception as exc:  # storage trouble at the hub: keep the thread alive, report, retry later
                self.last = RelayResult(error=f"relay: {exc.__class__.__name__}: {exc}")
            failures = failures + 1 if self.last.error else 0
            self._stop.wait(self.backoff.delay(failures - 1) if failures else self.interval)
