"""The check-in desk's identity rule (R-CHK-1), the same at the main console and a remote venue's console."""

from __future__ import annotations

from typing import Any, Protocol

from app.ledger.state import SessionState


class FaceCheck(Protocol):
    def check(self, photo: bytes) -> tuple[int, str]: ...


def check_identity(state: SessionState, member: str, photo: bytes, faces: FaceCheck, error: type[Any],
                   venue: str | None = None) -> int:
    """The member is on the drawn list, sits at ``venue`` (a remote venue's desk), is not checked in yet,
    and the photo shows exactly one face; returns the face count. Otherwise raises ``error(key=…)``."""
    if member not in state.members:
        raise error(key="checkin.not_drawn", member=member)
    if venue is not None and state.remote.venue_of(member) != venue:
        raise error(key="checkin.not_seated_here", member=member)
    if state.members[member].author is not None:
        raise error(key="checkin.already_checked_in", member=member)
    try:
        count = faces.check(photo)[0]
    except ValueError:
        raise error(key="checkin.photo_unreadable") from None
    if count != 1:
        raise error(key="checkin.faces", count=count)
    return count


def check_reissue(state: SessionState, member: str, error: type[Any], venue: str | None = None) -> None:
    """A new one-time code for ``member`` (his PC or login is lost): on the drawn list, seated at ``venue`` (a
    remote venue's desk), not recused, checked in already, the session not archived. Otherwise ``error(key=…)``."""
    entry = state.members.get(member)
    if entry is None:
        raise error(key="checkin.not_drawn", member=member)
    if venue is not None and state.remote.venue_of(member) != venue:
        raise error(key="checkin.not_seated_here", member=member)
    if entry.recused:
        raise error(key="checkin.recused", member=member)
    if entry.author is None:
        raise error(key="checkin.not_checked_in", member=member)
    if state.stage == "archived":
        raise error(key="checkin.session_archived")
