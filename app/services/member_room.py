"""An expert's (or the supervisor's) own PC on its own replica of the session (issue 14 item 3: offline for real).

:class:`MemberRoom` opens the seat's replica ``seat_folder(home, session)/session.sqlite`` (made from the hub's
copy by a first pull when missing: the one time the hub must answer) and keeps it in sync with the room hub in
the background (:class:`app.sync.node.SyncNode`, every request signed by the seat's own key, HTTPS pinned to the
room CA). Every action of :meth:`MemberRoom.workstation` / :meth:`MemberRoom.supervisor` is signed on this PC
with the seat's key and appended to the replica under the node's lock, its outbox row in the same transaction;
it returns once the event is durable here and never waits on the network. :meth:`MemberRoom.link` says, from
the outbox and the node's last exchange (no network either), whether the hub answered, when, and what waits.

The fold on the replica applies the same permission rules (:mod:`app.ledger.permissions`) as the console's: an
event they refuse stays as evidence and the action raises :class:`~app.services.session.ActionRefused` with the
fold's reason; a seat acting for another member, or a key that is not the member's current check-in key, is
refused before anything is signed (:class:`~app.services.desk_actions.DeskError`, Chinese and English).

Threads: the GUI calls one MemberRoom from one thread (its database thread); the node syncs on its own and takes
:attr:`SyncNode.lock` only around reads and writes of the store, which every call here holds as well.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.ledger.events import parse_stamp
from app.ledger.state import MEMBER, SUPERVISOR, SessionState
from app.services.bid_documents import BidFile, bid_files
from app.services.bid_documents import digests as bid_digests
from app.services.desk_actions import (
    DeskError,
    MemberActions,
    SupervisorActions,
    ViewCache,
    desk,
    letter_for,
    media_path,
    save_media,
    session_view,
)
from app.services.paired import EXPERT, Paired, seat_folder
from app.services.room_view import RoomView
from app.services.session import Session
from app.services.templates import FilledTemplate
from app.store.ledger_store import AppendError, StoreError
from app.sync.client import CenterClient, SyncError, member_client
from app.sync.media import MediaFetcher
from app.sync.node import SyncNode
from app.sync.worker import Backoff

if TYPE_CHECKING:
    from app.crypto.certs import CertKey
    from app.services.report import ReportDesk

@dataclass(frozen=True)
class LinkStatus:
    """The seat's link to the room hub, for the status bar: read locally, never waiting on the network.

    ``online``: the last exchange reached the hub; ``last_sync``: when this PC last heard back from it (None
    before the first answer); ``pending``: this replica's events the hub has not acknowledged yet;
    ``last_error``: why the last exchange failed (None when it did not); ``problems``: what the last exchange
    refused on receipt (a fork of a feed, an event stamped ahead), each also recorded as an incident;
    ``pending_media``: signature images and strokes not delivered yet."""

    online: bool
    last_sync: datetime | None
    pending: int
    last_error: str | None
    problems: tuple[str, ...] = ()
    pending_media: int = 0

    def describe(self) -> str:
        """One calm line, Chinese first: the work goes on here whatever the link."""
        at = self.last_sync.astimezone().strftime("%H:%M:%S") if self.last_sync else None
        since = f"，上次同步 {at}" if at else "，尚未同步"
        since_en = f", last sync {at}" if at else ", not synced yet"
        waiting = f"，待发送 {self.pending} 条" if self.pending else "，无待发送"
        waiting_en = f", {self.pending} pending" if self.pending else ", nothing pending"
        if self.online:
            text = f"已连接评标室主机{since}{waiting} / connected to the room hub{since_en}{waiting_en}"
        elif self.last_error is None:  # no exchange tried yet in this program
            text = f"正在连接评标室主机{since}{waiting} / connecting to the room hub{since_en}{waiting_en}"
        else:
            text = (f"未连接评标室主机，评审在本机继续，恢复后自动同步{since}{waiting} / not connected to the room "
                    f"hub: work goes on on this PC and syncs when the link is back{since_en}{waiting_en}")
        if self.problems:
            text += f"\n同步发现异常（已记录为事件）/ refused on receipt (recorded): {self.problems[0]}"
        return text


def hub_client(home: Path, paired: Paired, timeout: float = 5.0) -> CenterClient:
    """A client of the seat's hub signed by the seat's own key: HTTPS pinned to the room CA this PC pinned when
    it paired (``paired.cafile``); plain http only for a hub on a test loopback."""
    verify: Any = True
    if paired.hub_url.startswith("https://"):
        from app.services import hub_network
        from app.sync import pinning

        if pinning.pinned(home) is not None:
            verify = hub_network.hub_context(home, paired.hub_url)
        elif paired.cafile:
            verify = pinning.context_for(paired.cafile)
    return member_client(paired.hub_url, paired.key, verify=verify, timeout=timeout)


class MemberRoom:
    """One paired PC's seat in one session, on the PC's own replica (see the module docstring)."""

    def __init__(self, home: Path, paired: Paired, *, client: CenterClient | None = None,
                 sync_interval: float = 2.0) -> None:
        """Opens the replica (no network) or, the first time, makes it from the hub's copy (DeskError when the
        hub cannot be reached or refuses). :meth:`start` starts the background sync."""
        self.home, self.paired, self.interval = Path(home), paired, sync_interval
        self.folder = seat_folder(self.home, paired.session)
        self.path = self.folder / "session.sqlite"
        self.media = self.folder / "media"
        client = client or hub_client(self.home, paired)
        try:
            self.node = SyncNode.join(client, paired.session, self.path, backoff=Backoff(base=0.5, cap=10.0))
        except SyncError as exc:
            client.close()
            raise DeskError(key="seat.no_replica", session=paired.session, exc=exc) from exc
        except (StoreError, AppendError, ValueError) as exc:
            client.close()
            raise DeskError(key="seat.replica_unopenable", session=paired.session, exc=exc) from exc
        self.store = self.node.store
        # signs with the seat's key only: this PC holds no room key, so no room action can be signed here
        self.session = Session(self.store, paired.key)
        if paired.cert is not None:  # the certificate bound at check-in co-signs the 承诺书, submission, report
            self.session.certified[paired.key.key_id] = paired.cert
        elif paired.cert_subject is not None:  # bound, but not open since a restart: those acts wait for it
            self.session.certificate_missing[paired.key.key_id] = paired.cert_subject
        self._results = ViewCache()
        self._started = False
        self._reopened: CertKey | None = None  # the certificate opened again here (closed with the room)
        # the report's draft and final as the console made them, brought from the hub in the background
        # and the bid files once the bids are opened, read beside the scoring grid (app/services/bid_documents.py)
        self.reports = MediaFetcher(hub_client(self.home, paired), paired.session, sync_interval, reports=True,
                                    bids=bid_digests)

    # -- life -----------------------------------------------------------------------------------------
    def start(self) -> None:
        """Sync with the hub in the background (every ``sync_interval`` s; backing off while it is away)."""
        if not self._started:
            self.node.start(self.interval)
            self.reports.start()
            self._started = True

    def sync_now(self) -> LinkStatus:
        """One exchange with the hub now, on the calling thread (it waits on the network: not the GUI's)."""
        self.node.sync_once()
        return self.link()

    def close(self) -> None:
        self.reports.stop()
        self.node.close()
        self._started = False
        if self._reopened is not None and hasattr(self._reopened, "close"):  # a USB key's session
            self._reopened.close()
        self._reopened = None

    # -- the certificate bound at check-in --------------------------------------------------------------
    def certificate_to_open(self) -> str | None:
        """The subject of the certificate bound at this seat's check-in that this program has not open (after a
        restart), which the 承诺书, the submission and the report signature wait for; None: open, or none bound."""
        return self.session.certificate_missing.get(self.paired.key.key_id)

    def reopen_certificate(self, cert: CertKey) -> str:
        """Open again the certificate bound at check-in (a PKCS#12 file's or a USB key's, opened with its passphrase
        or PIN by the caller, off the GUI thread): it must be that very certificate (its SHA-256 as the seat file
        recorded it at pairing, and as the replica's check-in event recorded it when the replica holds it); then it
        co-signs this seat's certified acts again. No new check-in. Returns its subject. Another certificate is
        refused naming both (``cert.not_bound``) and left to the caller to close."""
        from app.ledger import certified
        from app.ledger.authors import key_from_json
        from app.services.session import CertificateNotOpen

        key_id = self.paired.key.key_id
        bound = self.paired.cert_subject
        if bound is None:
            raise CertificateNotOpen(key="cert.none_bound")
        subject = cert.cert.subject.rfc4514_string()
        wanted = {self.paired.cert_sha256} if self.paired.cert_sha256 else set()
        with self._lock():
            for ev in self.store.events():
                if ev.type == "checkin" and isinstance(ev.body.get("certificate"), dict) and \
                        key_from_json(ev.body.get("key")).key_id == key_id:
                    recorded, _chain, _signature = certified.parse(ev.body["certificate"])
                    wanted.add(certified.cert_sha256(recorded))
        if not wanted or wanted != {certified.cert_sha256(cert.cert)}:
            raise CertificateNotOpen(key="cert.not_bound", subject=subject, bound=bound)
        with self._lock():
            self.session.certified[key_id] = cert
            self.session.certificate_missing.pop(key_id, None)
        self._reopened = cert
        return subject

    def __enter__(self) -> MemberRoom:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _lock(self) -> AbstractContextManager[Any]:
        return self.node.lock

    def seat_lock(self) -> AbstractContextManager[Any]:
        """What a seat's action holds: the node's lock (its background sync ingests under it)."""
        return self.node.lock

    def _session(self) -> Session:
        return self.session

    # -- reading --------------------------------------------------------------------------------------
    @property
    def state(self) -> SessionState:
        with self._lock():
            return self.store.state

    def view(self, recent: int = 200) -> RoomView:
        """A snapshot for the GUI, as :meth:`app.services.room.Room.view` makes it at the console."""
        with self._lock():
            if self.store.state.base_case is None:
                raise DeskError(key="seat.replica_empty")
            return session_view(self.store.state, self.store.events(), recent, self._results)

    def incidents(self) -> list[Any]:
        """What this replica refused on receipt (forks, events stamped ahead), as recorded."""
        with self._lock():
            return self.store.incidents()

    def link(self) -> LinkStatus:
        with self.node.lock:
            self.reports.offer(self.media, self.store.state)  # polled each second: a new draft is fetched at once
        status = self.node.status()
        last = self.node.last
        stamp = status.last_sync
        return LinkStatus(online=last is not None and last.error is None,
                          last_sync=parse_stamp(stamp) if stamp else None, pending=self._own_pending(),
                          pending_media=status.pending_media,
                          last_error=last.error if last is not None else None,
                          problems=tuple(last.problems) if last is not None else ())

    def _own_pending(self) -> int:
        """This seat's own events the hub has not acknowledged: what the expert made here and waits to be sent
        (a replica made before the outbox skipped the events taken in from the hub may still hold those: counted
        by author, they are not the expert's)."""
        from app.store import outbox

        db = outbox.connect(self.path)
        try:
            row = db.execute("SELECT COUNT(*) FROM outbox o JOIN events e ON e.id = o.ref WHERE o.kind = 'event' "
                             "AND o.acked_at IS NULL AND e.author = ?", (self.paired.key.key_id,)).fetchone()
        finally:
            db.close()
        return int(row[0])

    def letter_for(self, signer_name: str, role: str) -> FilledTemplate:
        """The letter as signed here: at the room of the member's venue (a remote venue's, 远程异地评标)."""
        state = self.state
        return letter_for(state, state.remote.venue_of(self.paired.member) or str(state.room), signer_name, role)

    @property
    def report_desk(self) -> ReportDesk:
        """The report as the replica holds it (its PDFs are rendered from the replica's ledger and kept in the
        seat folder); only the members' own acts are signed here."""
        from app.services.report import ReportDesk

        return ReportDesk(self.session, self.folder, self.folder / "keys", b"")

    def report_pdf(self, final: bool = False) -> bytes:
        with self._lock():
            return desk(lambda: self.report_desk.pdf(final))

    def bid_files(self) -> list[BidFile]:
        """The session's bid files and whether this PC has fetched each yet (read them with
        :func:`app.services.bid_documents.read_checked`, off the GUI thread)."""
        with self._lock():
            return bid_files(self.state, None, self.media)

    def save_media(self, name: str, data: bytes) -> str:
        """Keep a medium the seat made (a signature's image or strokes) in the seat's media folder and queue it
        in the outbox for the hub (the console fetches it from there for its session folder and archive)."""
        from app.store import outbox

        digest = save_media(self.media, name, data)
        db = outbox.connect(self.path)
        try:
            outbox.enqueue_media(db, media_path(self.media, name, digest))
        finally:
            db.close()
        return digest

    # -- the seats --------------------------------------------------------------------------------------
    def workstation(self, member: str, pin: str | None = None) -> MemberStation:
        """The member's workstation on this PC: only the member this PC is paired for, with the key the
        session's current check-in binds to that member. ``pin``: sets the PIN that unlocks the screen
        (:mod:`app.services.seat_pin`); without it the one set before (by the pairing page)."""
        paired = self.paired
        if paired.role != EXPERT:
            raise DeskError(key="seat.supervisor_pc")
        if member != paired.member:
            raise DeskError(key="seat.not_this_member", paired=paired.member, member=member)
        with self._lock():
            state = self.store.state
            entry = state.members.get(member)
            author = state.authors.get(paired.key.key_id)
        if entry is None:
            raise DeskError(key="seat.member_not_drawn", member=member)
        if author is None or author.role != MEMBER or author.member != member or author.revoked \
                or entry.author != paired.key.key_id:
            raise DeskError(key="seat.key_not_current", member=member)
        if pin is not None:
            from app.services.seat_pin import pin_problem, save_pin

            problem = pin_problem(pin, pin)
            if problem is not None:
                zh, _, en = problem.partition(" / ")
                raise DeskError(zh, en)
            save_pin(self.home, paired.session, pin)
        return MemberStation(self, member)

    def supervisor(self, name: str) -> MemberSupervisor:
        """The supervisor's desk on this PC (paired as a supervisor registered under ``name``)."""
        paired = self.paired
        if paired.role != SUPERVISOR or name != paired.member:
            raise DeskError(key="seat.not_this_supervisor", name=name)
        with self._lock():
            author = self.store.state.authors.get(paired.key.key_id)
        if author is None or author.role != SUPERVISOR or author.label != f"supervisor {name}":
            raise DeskError(key="seat.supervisor_key_unregistered", name=name)
        return MemberSupervisor(self, name)

    def check_pin(self, pin: str) -> bool:
        """The seat's screen-lock PIN (:mod:`app.services.seat_pin`, as the pairing page set it)."""
        from app.services.seat_pin import PinCheck

        return PinCheck(self.home, self.paired.session)(pin)


class MemberStation(MemberActions):
    """The member's workstation on the member's own PC: :class:`app.services.room.Workstation`'s actions, each
    signed with the seat's key and appended to the replica (outbox row in the same transaction) under the sync
    node's lock; none waits on the network."""

    room: MemberRoom

    def __init__(self, room: MemberRoom, member: str) -> None:
        self.room, self.member, self._key = room, member, room.paired.key

    def check_pin(self, pin: str) -> bool:
        return self.room.check_pin(pin)


class MemberSupervisor(SupervisorActions):
    """The supervisor's desk on the supervisor's own PC (:class:`app.services.room.SupervisorDesk`'s actions)."""

    room: MemberRoom

    def __init__(self, room: MemberRoom, name: str) -> None:
        self.room, self.name, self._key = room, name, room.paired.key


__all__ = ["DeskError", "LinkStatus", "MemberRoom", "MemberStation", "MemberSupervisor", "hub_client"]
