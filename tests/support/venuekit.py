"""Remote evaluation sessions for the tests: a main venue (the room) and a remote venue (副场) whose console
checks in the members seated there, played through the real services with ledger time under the test's
control (the fold reads only event times)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import casebuilder as cb
from app.crypto.keys import SigningKey
from app.ledger.events import utc_stamp
from app.services.session import Session
from app.services.simulate import _package
from app.services.templates import commitment_letter

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
VENUE = "county-1"
REMOTE_MEMBERS = ("E4", "E5")


class StepClock:
    """Ledger stamps from a moment the test moves on; each stamp 1 ms after the last."""

    def __init__(self, start: datetime = T0) -> None:
        self.moment = start

    def now(self) -> str:
        self.moment += timedelta(milliseconds=1)
        return utc_stamp(self.moment)

    def advance(self, **span: float) -> str:
        self.moment += timedelta(**span)
        return utc_stamp(self.moment)

    def stamp(self, **back: float) -> str:
        """The stamp of a moment ``back`` before now."""
        return utc_stamp(self.moment - timedelta(**back))


@dataclass
class RemoteKit:
    session: Session
    clock: StepClock
    room: SigningKey
    venue: SigningKey
    supervisor: SigningKey
    members: dict[str, SigningKey]
    document: dict[str, Any]

    @property
    def state(self) -> Any:
        return self.session.state

    def score(self, member: str, submit: bool = False) -> None:
        key = self.members[member]
        for bidder, row in self.document["scores"].get(member, {}).items():
            for criterion, score in row.items():
                self.session.set_score(key, member, bidder, criterion, score)
        if submit:
            self.session.submit(key, member)


def remote_session(tmp_path: Path, upto: str = "scoring", remote: dict[str, Any] | None = None,
                   name: str = "session.sqlite", clock: Any = None, seat_remote: bool = True) -> RemoteKit:
    """A session with the remote venue county-1 (members E4, E5 seated there) played up to ``upto``
    (checkin, committee, preliminary or scoring); ``clock``: the session's (default a StepClock);
    ``seat_remote=False``: stop at check-in with E4, E5 not yet checked in (their venue's desk does it)."""
    doc = copy.deepcopy(cb.case())
    package = _package(doc, "E1")
    if remote is not None:
        package["remote"] = remote
    clock = clock or StepClock()
    tmp_path.mkdir(parents=True, exist_ok=True)
    room, venue, supervisor = SigningKey.generate(), SigningKey.generate(), SigningKey.generate()
    session = Session.create(tmp_path / name, "REMOTE-001-01", "main-room", package, room, clock)  # type: ignore[arg-type]
    session.register_supervisor("监督员", supervisor)
    session.advance("opening")
    session.read_bids()
    session.advance("checkin")
    session.add_venue(VENUE, "县公共资源交易中心副场", venue.public, list(REMOTE_MEMBERS))
    members = {m["id"]: SigningKey.generate() for m in doc["committee"]}
    letter = commitment_letter()
    for member, key in members.items():
        if member in REMOTE_MEMBERS and not seat_remote:
            continue
        desk = venue if member in REMOTE_MEMBERS else None
        session.verify_identity(member, "0" * 64, 1, desk=desk)
        session.check_in(member, key, desk=desk)
        session.sign_letter(key, member, letter.name, letter.version_sha256)
        session.declare(key, member, conflict=False)
    kit = RemoteKit(session, clock, room, venue, supervisor, members, doc)
    if upto == "checkin" or not seat_remote:
        return kit
    session.advance("committee")
    session.elect_chair("E1")
    for stage in ("preliminary", "scoring"):
        if upto == "committee":
            return kit
        session.advance(stage)
        if stage == upto:
            return kit
    return kit
