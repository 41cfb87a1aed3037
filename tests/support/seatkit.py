"""Stand-ins for the GUI tests of an expert's or supervisor's own PC: a member room with the MemberRoom's calls
over a real console Room where the member is checked in, and a LinkStatus-like value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.paths import DEMO_CASE
from app.services.room import Room


@dataclass
class Link:
    online: bool
    last_sync: Any
    pending: int
    last_error: str | None = None


@dataclass
class Seat:
    member: str
    role: str = "expert"


class StandInMemberRoom:
    """A MemberRoom's calls over a console Room where ``member`` is checked in (the real one replicates)."""

    def __init__(self, home: Path, member: str = "E1") -> None:
        self.room = Room(home, passphrase=b"seat test passphrase")
        self.room.start(DEMO_CASE)
        self.room.open_bids()
        self.room.advance("checkin")
        self.station = self.room.login(self.room.check_identity(member, self.room.take_photo().jpeg), "2468")
        self.member = member
        self.linked = Link(True, datetime.now(UTC), 0)
        self.opened_on: str | None = None

    @property
    def state(self) -> Any:
        return self.room.state

    def view(self) -> Any:
        return self.room.view()

    def workstation(self, member: str) -> Any:
        assert member == self.member, "a PC works only as its own member"
        return self.station

    def supervisor(self, name: str) -> Any:
        return self.room.supervisor(name)

    def letter_for(self, signer: str, role: str) -> Any:
        return self.room.letter_for(signer, role)

    def link(self) -> Link:
        return self.linked

    def close(self) -> None:
        self.room.close()
