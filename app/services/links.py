"""The room's view of each paired PC's link (issue 14 item 3): online or not, when last heard, what it said
waits in its outbox, and what a stage change that needs everyone (closing scoring) is waiting for.

:class:`LinkWatcher` asks the hub (``GET /v1/sessions/{s}/links``) on its own thread, never the GUI's or the
database thread's; :func:`member_links` and :func:`closing_waits` are pure and read the folded state.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.ledger.state import SessionState
from app.sync.background import Rounds
from app.sync.client import CenterClient, SyncError

STALE_SECONDS = 10.0  # a PC syncs every 2 s when it can: not heard for 10 s is a link down


@dataclass(frozen=True)
class MemberLink:
    member: str
    name: str
    online: bool
    last_heard: datetime | None
    pending: int | None

    def describe(self, now: datetime) -> str:
        """One line for the progress page, Chinese first."""
        if self.last_heard is None:
            return "评审终端尚未连接 / workstation not connected yet"
        at = self.last_heard.astimezone().strftime("%H:%M:%S")
        waiting = f"，待同步 {self.pending} 条 / {self.pending} pending" if self.pending else ""
        if self.online:
            return f"在线（{at}）{waiting} / online"
        minutes = int((now - self.last_heard).total_seconds() // 60)
        return f"离线 {minutes} 分钟（最后联系 {at}）{waiting} / offline since {at}"


def member_links(state: SessionState, rows: list[dict[str, Any]], now: datetime | None = None,
                 stale: float = STALE_SECONDS) -> dict[str, MemberLink]:
    """Each checked-in member's link, by member id, from the hub's rows (matched by the member's current
    check-in key: a key replaced by a new pairing is not the member's PC any more)."""
    now = now or datetime.now(UTC)
    by_key = {str(r.get("key_id")): r for r in rows if isinstance(r, dict)}
    out: dict[str, MemberLink] = {}
    for member in state.members.values():
        if member.author is None or member.recused:
            continue
        row = by_key.get(member.author, {})
        heard = row.get("last_heard")
        last = datetime.fromtimestamp(heard, UTC) if isinstance(heard, int | float) else None
        pending = row.get("pending") if isinstance(row.get("pending"), int) else None
        online = last is not None and (now - last).total_seconds() <= stale
        out[member.id] = MemberLink(member.id, member.name, online, last, pending)
    return out


def closing_waits(state: SessionState, links: dict[str, MemberLink], now: datetime | None = None) -> list[str]:
    """Why scoring cannot close yet, member by member: each active member who has not submitted, with the
    state of that member's link (offline, pending events still to arrive) so the room knows whom it waits for."""
    now = now or datetime.now(UTC)
    waits = []
    for member in state.members.values():
        if member.recused or member.author is None or member.submitted:
            continue
        link = links.get(member.id)
        where = link.describe(now) if link is not None else "链路状态未知 / link state unknown"
        waits.append(f"{member.id} {member.name} 尚未提交评分（{where}）/ {member.id} has not submitted")
    return waits


class LinkWatcher(Rounds):
    """Polls the hub for the session's link rows every ``interval`` seconds on a background thread."""

    def __init__(self, client: CenterClient, session: str, interval: float = 2.0) -> None:
        super().__init__(client, interval)
        self.session = session
        self._rows: list[dict[str, Any]] = []
        self._guard = threading.Lock()

    @property
    def error(self) -> str | None:
        return self.last_error

    def rows(self) -> list[dict[str, Any]]:
        with self._guard:
            return list(self._rows)

    def poll_once(self) -> bool:
        try:
            rows = self.client.links(self.session)
        except SyncError as exc:
            self.last_error = str(exc)
            return False
        with self._guard:
            self._rows = [r for r in rows if isinstance(r, dict)]
        self.last_error = None
        return True

    thread_name = "evalroom-link-watch"

    def round(self) -> bool:
        return self.poll_once()


__all__ = ["MemberLink", "member_links", "closing_waits", "LinkWatcher", "STALE_SECONDS"]
