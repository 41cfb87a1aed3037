"""Remote cross-region evaluation (远程异地评标) at the main venue's console (主场): add a remote venue (副场),
send a text to a venue, watch the venues' links through the center, and the current R-SUS-6/7 timers.

- :func:`add_venue` and :func:`send_message` append ``venue.added`` / ``venue.message`` (venue_fold.py).
- :class:`LinkWatch` polls the center's ``GET /v1/sessions/{id}/venues`` (each venue's last contact and
  link status) and turns each *change* of a remote venue's link into ``venue.link_lost`` /
  ``venue.link_restored``. It compares with the link status the ledger already holds, so every transition
  is written exactly once, also across restarts of the console and whatever the polling rate.
- :class:`RemoteDesk` is the remote venue's console (副场) on its replica of the session: the check-in desk
  of the members seated there, and messages.
- :class:`VenueConsole` is that console on a room PC: its replica synced with the center, and its own room hub
  (``hub serve --upstream CENTER``, :class:`app.services.room_hub.RoomHub`) on the venue's LAN, where the members'
  own PCs pair (:class:`app.services.pairing_desk.PairingDesk`, the check-ins signed by the venue key) and sync.
  The hub relays the PCs' events and media to the center (and brings down the session); the console exchanges
  its replica with the hub both ways (:class:`app.services.room_hub.HubLink`), as the main console does.
- :func:`timers` judges every outage at ``now`` (the wall clock of the GUI's countdown; the fold itself only
  reads event times) with the session's limits: remaining time, outcome and the rule's message.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from app.crypto.keys import KeyFileError, SigningKey, VerifyingKey
from app.crypto.truststore import CertificateTrust
from app.domain.remote import Outage, judge
from app.durable import write_private
from app.errors import Bilingual
from app.ledger.events import SignedEvent, parse_stamp, utc_stamp
from app.ledger.state import VENUE, SessionState
from app.services.session import Session
from app.settings import Settings
from app.store.ledger_store import LedgerStore


class VenueError(Bilingual, ValueError):
    """Bad input for a venue action: ``message("zh")`` for the GUI, ``str()`` in English."""

    def __init__(self, zh: str | None = None, en: str | None = None, *, key: str | None = None,
                 **params: Any) -> None:
        super().__init__(zh, en, key=key, **params)
        self.chinese = self.zh
        self.zh = f"{self.zh} / {self.en}"  # the older two-language text, for readers of ``.zh``

    def message(self, lang: str = "en") -> str:
        return self.en if lang == "en" else self.chinese


class VenueSource(Protocol):
    """What LinkWatch needs of :class:`app.sync.client.CenterClient`."""

    def request(self, method: str, path: str, payload: Any = None) -> Any: ...


@dataclass(frozen=True)
class Timer:
    """One outage judged at ``now``: R-SUS-6 or R-SUS-7, the deadline, what follows, the time left."""

    venue: str
    rule: str
    start: datetime
    end: datetime | None
    deadline: datetime
    outcome: str
    remaining: timedelta
    message: str
    during: bool
    decision: dict[str, Any] | None


def add_venue(session: Session, room: str, name: str, public_key_pem: bytes,
              members: list[str] | None = None) -> SignedEvent:
    """Add a remote venue with its console's public key (PEM, as ``room.pub.pem``)."""
    room, name = room.strip(), name.strip()
    if not room or not name:
        raise VenueError(key="venue.id_and_name_missing")
    try:
        key = VerifyingKey.from_pem(public_key_pem)
    except (KeyFileError, ValueError) as exc:
        raise VenueError(key="venue.bad_console_key", exc=exc) from exc
    return session.add_venue(room, name, key, members)


def send_message(session: Session, to: str, text: str) -> SignedEvent:
    """A text from the main venue to a remote venue, kept in the ledger."""
    text = text.strip()
    if not text:
        raise VenueError(key="venue.message_empty")
    if to not in session.state.remote.venues or to == session.state.room:
        raise VenueError(key="venue.not_a_venue", to=to)
    return session.venue_message(to, text)


def timers(state: SessionState, now: datetime) -> list[Timer]:
    """Every outage of the session judged at ``now`` (the ledger's decision, if any, beside it)."""
    remote = state.remote
    start = parse_stamp(remote.scheduled_start) if remote.scheduled_start else None
    out = []
    for o in remote.outages:
        end = parse_stamp(o.end) if o.end else None
        verdict = judge(Outage(o.venue, parse_stamp(o.start), end, o.during), max(now, end or now), start,
                        remote.limits)
        outcome, message = verdict.outcome, verdict.message
        if o.outcome != "waiting" and o.outcome != outcome:  # the ledger already decided (e.g. a stop): it stands
            outcome, message = o.outcome, o.message
        out.append(Timer(o.venue, verdict.rule, parse_stamp(o.start), end, verdict.deadline, outcome,
                         verdict.remaining if end is None else timedelta(0), message, o.during, o.decision))
    return out


class LinkWatch:
    """Turns the center's link status of the remote venues into ledger events, once per transition."""

    def __init__(self, session: Session, center: VenueSource,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.session, self.center, self.now = session, center, now

    def status(self) -> dict[str, dict[str, Any]]:
        """The center's view of each venue of this session, by room id."""
        answer = self.center.request("GET", f"/v1/sessions/{self.session.store.session_id}/venues")
        return {row["room"]: row for row in answer.get("venues", []) if isinstance(row, dict) and "room" in row}

    def poll(self, rows: dict[str, dict[str, Any]] | None = None) -> list[SignedEvent]:
        """One look at the center (or its answer ``rows``); returns the events written (none when nothing
        changed)."""
        rows = self.status() if rows is None else rows
        now = self.now()
        written: list[SignedEvent] = []
        state = self.session.state
        for venue in list(state.remote.venues.values()):
            row = rows.get(venue.room)
            if venue.role != "remote" or row is None:
                continue  # the center does not know this venue yet: nothing observed
            up = bool(row.get("link_up"))
            if up == venue.link_up:
                continue
            contact = row.get("last_contact")
            seen = datetime.fromtimestamp(contact, UTC) if isinstance(contact, (int, float)) else now
            at = utc_stamp(min(seen, now))
            if up:
                outage = state.remote.open_outage(venue.room)
                at = max(at, outage.start) if outage else at
                written.append(self.session.link_restored(venue.room, at))
            else:
                last_end = max((o.end for o in state.remote.outages if o.venue == venue.room and o.end), default="")
                written.append(self.session.link_lost(venue.room, max(at, last_end)))
        return written


# -- the console's venues page ---------------------------------------------------------------------
@dataclass(frozen=True)
class ExpertSeat:
    id: str
    name: str
    checked_in: bool
    letter: bool
    declared: bool
    recused: bool


@dataclass(frozen=True)
class VenueRow:
    room: str
    name: str
    role: str  # main | remote
    experts: tuple[ExpertSeat, ...]
    link_up: bool | None  # None: unknown (no center to ask)
    last_contact: datetime | None
    camera: str  # what the ledger says of the venue's recording: ok, fault, unknown_remote, unknown_recorder
    timer: Timer | None  # the open (or last) outage's timer


@dataclass(frozen=True)
class VenuesView:
    """A copy for the GUI: venues with their experts, link and timer; the message log; the stop."""

    venues: tuple[VenueRow, ...]
    messages: tuple[dict[str, Any], ...]
    stopped: dict[str, Any] | None
    limits: tuple[timedelta, timedelta]  # R-SUS-6, R-SUS-7
    center: str | None  # the center asked for link status, or None
    center_error: str | None
    now: datetime


def _camera(state: SessionState, main: bool) -> str:
    if not main:
        return "unknown_remote"  # a remote venue does not report its recording
    log = [(f.get("start") or f.get("time") or "", "fault") for f in state.faults]
    log += [(r.get("time") or r.get("at") or "", r.get("type", "")) for r in state.recorder_log]
    if not log and not state.recordings:
        return "unknown_recorder"  # no recorder attached
    last = max(log, default=("", ""))
    return "fault" if last[1] == "fault" else "ok"


def snapshot(state: SessionState, now: datetime, status: dict[str, dict[str, Any]] | None = None,
             center: str | None = None, center_error: str | None = None) -> VenuesView:
    """The venues page's snapshot (``status``: the center's last answer, by room id)."""
    remote = state.remote
    all_timers = timers(state, now)
    rows = []
    for v in remote.venues.values():
        seated = [m for m in state.members.values() if remote.venue_of(m.id) == v.room]
        experts = tuple(ExpertSeat(m.id, m.name, m.author is not None, m.id in state.letters,
                                   m.id in state.declarations, m.recused) for m in seated)
        row = (status or {}).get(v.room)
        contact = row.get("last_contact") if row else None
        mine = [t for t in all_timers if t.venue == v.room]
        open_ = [t for t in mine if t.end is None]
        if v.role == "main":
            link: bool | None = True  # this console
        elif row is not None:
            link = bool(row.get("link_up"))  # the center's view
        else:
            link = False if open_ else None  # no center answer: a down link the ledger recorded, else unknown
        rows.append(VenueRow(v.room, v.name, v.role, experts, link,
                             datetime.fromtimestamp(contact, UTC) if isinstance(contact, (int, float)) else None,
                             _camera(state, v.role == "main"), (open_ or mine)[-1] if open_ or mine else None))
    return VenuesView(tuple(rows), tuple(dict(m) for m in remote.messages),
                      dict(remote.stopped) if remote.stopped else None,
                      (remote.limits.before_start, remote.limits.during), center, center_error, now)


class VenueDesk:
    """The main venue's remote-evaluation desk for the GUI. :meth:`fetch` only talks to the center (run it
    off the database thread: an unreachable center must not hold up the room's actions); everything else
    runs on the database thread."""

    def __init__(self, session: Session, center: VenueSource | None = None, center_url: str | None = None,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.session, self.center, self.center_url, self.now = session, center, center_url, now
        self.session_id = session.store.session_id
        self.watch = LinkWatch(session, center, now) if center is not None else None

    @classmethod
    def for_room(cls, room: Any) -> VenueDesk:
        """The desk of a room console (``app.services.room.Room``): the center of the settings (with their CA
        file for a center on HTTPS with its own CA), if any."""
        from app.services.sync import center_of

        url, cafile = center_of(room.settings)
        center = None
        if url:
            from app.sync.client import CenterClient

            center = CenterClient(url, room.room_id, room.key, verify=cafile or True, timeout=5.0)
        return cls(room._session(), center, url)

    def add(self, room: str, name: str, key_file: str, members: list[str] | None = None) -> None:
        try:
            pem = Path(key_file).read_bytes()
        except OSError as exc:
            raise VenueError(key="venue.key_file_unreadable", key_file=key_file, strerror=exc.strerror) from exc
        add_venue(self.session, room, name, pem, members)

    def send(self, to: str, text: str) -> None:
        send_message(self.session, to, text)

    def decide(self, venue: str, decision: str, by: str, reason: str = "") -> None:
        """R-SUS-6: record the tenderer's decision (evaluate | postpone) once the 2 h have passed."""
        if not by.strip():
            raise VenueError(key="venue.decided_by_missing")
        self.session.venue_outcome(venue, decision, by.strip(), reason.strip())

    def fetch(self) -> tuple[dict[str, dict[str, Any]] | None, str | None]:
        """(any thread but the database's) The center's link status by venue, or the reason it is unknown."""
        if self.center is None:
            return None, None
        from app.sync.client import SyncError

        try:
            answer = self.center.request("GET", f"/v1/sessions/{self.session_id}/venues")
        except SyncError as exc:
            return None, str(exc)
        return {row["room"]: row for row in answer.get("venues", []) if isinstance(row, dict) and "room" in row}, None

    def poll(self, rows: dict[str, dict[str, Any]] | None = None, error: str | None = None) -> VenuesView:
        """Write the link transitions the center's answer ``rows`` shows; return the page's snapshot."""
        if self.watch is not None and rows is not None:
            self.watch.poll(rows)
        return snapshot(self.session.state, self.now(), rows, self.center_url, error)


class RemoteDesk:
    """A remote venue's console (副场) on its replica of the session (``app.sync.replica.join_session``):
    its key checks in the members seated at its venue (identity photo, then the expert's session key) and
    writes messages; the fold refuses it anything else. Its events reach the main venue through the center."""

    def __init__(self, store: LedgerStore, key: SigningKey, clock: Any = None) -> None:
        author = store.state.authors.get(key.key_id)
        if author is None or author.role != VENUE or author.venue is None:
            raise VenueError(key="venue.key_not_a_venue")
        self.venue: str = author.venue
        self.key = key
        self.session = Session(store, key, clock)

    def verify_identity(self, member: str, photo_sha256: str, faces: int, document: str | None = None) -> SignedEvent:
        return self.session.verify_identity(member, photo_sha256, faces, document, desk=self.key)

    def check_in(self, member: str, expert_key: SigningKey) -> SignedEvent:
        return self.session.check_in(member, expert_key, desk=self.key)

    def send(self, to: str, text: str) -> SignedEvent:
        text = text.strip()
        if not text:
            raise VenueError(key="venue.message_empty")
        return self.session.venue_message(to, text, key=self.key)


# -- the remote venue's console of a room PC (副场主控台) ---------------------------------------------
@dataclass(frozen=True)
class SeatRow:
    id: str
    name: str
    role: str
    identity: bool
    checked_in: bool
    letter: bool
    declared: bool
    recused: bool


@dataclass(frozen=True)
class RemoteView:
    """A copy for the remote console's window, made on its database thread."""

    session: str
    project: str
    lot: str
    stage: str
    venue: str
    venue_name: str
    names: dict[str, str]  # every venue's name by room id
    seats: tuple[SeatRow, ...]
    messages: tuple[dict[str, Any], ...]
    timer: Timer | None  # this venue's open (or last) outage, as the main venue recorded it
    stopped: dict[str, Any] | None
    link: Any  # app.sync.worker.SyncStatus: last exchange with the center, pending, last error
    now: datetime
    hub: dict[str, Any] | None = None  # this venue's room hub (url, lan_urls, fingerprint), None: not running
    hub_error: str | None = None  # the last exchange with it went wrong
    live_codes: tuple[str, ...] = ()  # the members whose one-time code still works (not yet used by a PC)


class VenueConsole:
    """The remote venue's console (副场主控台) of a room PC: the room key of its data folder (the key the main
    venue adds as the venue's console key), the center of the settings, and, once joined, the replica of the
    session in ``home/venue-sessions/<session>/`` kept in sync by a :class:`app.sync.node.SyncNode` in the
    background. Every call but :meth:`discover` and :meth:`join` runs on one database thread; the node takes
    its lock around its own reads and writes of the store, and so do the desk's actions here."""

    session = None  # not a room session: the GUI's database thread publishes no room snapshot of it

    def __init__(self, home: Path, room_id: str, center_url: str | None, cafile: Path | None = None,
                 passphrase: bytes | None = None, camera: str | None = None, interval: float = 2.0,
                 hub_listen: str | None = None, passphrase_file: Path | None = None,
                 settings: Settings | None = None) -> None:
        """``hub_listen``: HOST:PORT of this venue's room hub for the members' own PCs (None: no hub, no pairing);
        ``passphrase_file``: the settings' file holding the room key's passphrase; ``settings``: for the trust
        store members' certificates are checked against (None: the defaults, no trusted CA)."""
        from app.services.passphrase import PassphraseError, open_room_key
        from app.services.recording import FaceChecker
        from app.services.session import check_name

        self.home = Path(home)
        self.settings = settings if settings is not None else Settings()
        self.room_id = check_name(room_id, "room id")
        self.center_url = (center_url or "").strip() or None
        self.cafile = str(cafile) if cafile else None
        self.camera_source = camera
        self.interval = interval
        keys = self.home / "keys"
        key_file = keys / "room.p12"
        try:  # never the demo passphrase: a remote venue is a real room
            opened = open_room_key(self.home, passphrase, file=passphrase_file)
        except PassphraseError as exc:  # none set, or its file cannot be read
            raise VenueError(key="venue.no_passphrase", exc=exc) from exc
        except (KeyFileError, ValueError) as exc:
            raise VenueError(key="venue.room_key_unopenable", key_file=key_file, exc=exc) from exc
        self.key, self.passphrase = opened.key, opened.passphrase.secret
        self.public_key = keys / "room.pub.pem"  # what the main venue adds and the center enrolls
        if not self.public_key.exists() or self.public_key.read_bytes() != self.key.public.to_pem():
            write_private(self.public_key, self.key.public.to_pem())
        self.faces = FaceChecker()
        self.node: Any = None  # app.sync.node.SyncNode once joined
        self.desk: RemoteDesk | None = None
        from app.services.pairing_desk import Codes, PairingDesk

        self.codes = Codes()  # the one-time codes of this venue's check-in desk
        self.hub_listen = (hub_listen or "").strip() or None
        self.hub: Any = None  # app.services.room_hub.RoomHub once joined (with hub_listen)
        self.hub_error: str | None = None
        self._pairing: PairingDesk | None = None

    # -- joining (network: not on the GUI thread) ------------------------------------------------
    def client(self, timeout: float = 10.0) -> Any:
        if self.center_url is None:
            raise VenueError(key="venue.no_center")
        from app.sync.client import CenterClient

        return CenterClient(self.center_url, self.room_id, self.key, verify=self.cafile or True, timeout=timeout)

    def folder(self, session: str) -> Path:
        return self.home / "venue-sessions" / session

    def local_sessions(self) -> list[str]:
        """Sessions this PC already holds a replica of (it works on them offline)."""
        root = self.home / "venue-sessions"
        return sorted(p.name for p in root.iterdir() if (p / "session.sqlite").is_file()) if root.is_dir() else []

    def discover(self) -> list[str]:
        """The sessions at the center of which this room is a remote venue (副场). VenueError with the reason
        when the center cannot be asked."""
        from app.sync.client import CenterRefused, SyncError

        try:
            with self.client() as center:
                found = []
                for session in center.sessions():
                    rows = center.request("GET", f"/v1/sessions/{session}/venues").get("venues", [])
                    if any(r.get("room") == self.room_id and r.get("role") == "remote"
                           for r in rows if isinstance(r, dict)):
                        found.append(session)
                return found
        except CenterRefused as exc:
            if exc.status in (401, 403):
                raise VenueError(key="venue.not_enrolled", room=self.room_id, reason=exc.reason) from exc
            raise VenueError(key="venue.center_refused", exc=exc) from exc
        except SyncError as exc:
            raise VenueError(key="venue.center_unreachable", exc=exc) from exc

    def join(self, session: str) -> None:
        """Open this PC's replica of ``session`` (made from the center's copy the first time) and sync it in
        the background."""
        from app.store.ledger_store import StoreError
        from app.sync.client import SyncError
        from app.sync.node import SyncNode

        if self.node is not None:
            if self.node.store.session_id == session:
                return
            self.close_session()
        client = self.client()
        try:
            node = SyncNode.join(client, session, self.folder(session) / "session.sqlite")
        except (SyncError, StoreError, ValueError) as exc:
            client.close()
            raise VenueError(key="venue.join_failed", session=session, exc=exc) from exc
        try:
            self.desk = RemoteDesk(node.store, self.key)
        except VenueError:
            node.close()
            raise
        (self.folder(session) / "media").mkdir(exist_ok=True)
        self.node = node
        node.start(self.interval)
        self.start_hub()

    def close_session(self) -> None:
        if self.hub is not None and self.hub.link is not None:  # the replica's exchange with the hub ends with it
            self.hub.link.stop()
            self.hub.link = None
        if self.node is not None:
            self.node.close()
        self.node, self.desk, self._pairing = None, None, None

    def close(self) -> None:
        self.close_session()
        if self.hub is not None:
            self.hub.stop()
        self.faces.close()

    # -- this venue's room hub (the members' own PCs pair and sync there) -----------------------------
    def start_hub(self) -> str | None:
        """Start the hub on ``hub_listen`` (relaying to the center); its URL, or None (no hub_listen, or it did
        not start: :attr:`hub_error` says why and :meth:`tick_hub` tries again)."""
        from app.services.room_hub import RoomHub, RoomHubError

        if self.hub_listen is None:
            return None
        if self.hub is None:
            upstream = (self.center_url, self.cafile) if self.center_url else None
            self.hub = RoomHub(self.home, self.passphrase, self.room_id, self.hub_listen, upstream=upstream)
        try:
            url: str = self.hub.start()
        except RoomHubError as exc:
            self.hub_error = str(exc)
            return None
        self.hub_error = None
        return url

    def pairing_session(self) -> Session | None:
        return self.desk.session if self.desk is not None else None

    def seat_lock(self) -> AbstractContextManager[Any]:
        """The sync node's lock: its thread ingests into the replica the desk writes."""
        return self.node.lock if self.node is not None else nullcontext()

    def ca_fingerprint(self) -> str | None:
        from app.services.hub_network import room_ca_fingerprint

        return room_ca_fingerprint(self.home)

    def certificate_trust(self) -> CertificateTrust:
        from app.services.certificates import trust_from_settings

        return trust_from_settings(self.settings)

    def hub_info(self) -> dict[str, Any] | None:
        return self.hub.info() if self.hub is not None else None

    def tick_hub(self) -> Any:
        """(database thread, every second or so) Restart a hub that died, exchange the replica with it both ways
        and answer the pairing requests waiting there: an ``app.services.room_hub.HubTick``, or None (no hub)."""
        from app.services.pairing_desk import PairingDesk
        from app.services.room_hub import HubTick
        from app.sync.client import SyncError

        if self.hub is None or self.desk is None:
            return None
        revived = self.hub.revive()
        if isinstance(revived, HubTick):
            self.hub_error = revived.error
            return revived
        result = HubTick(True, bool(revived), self.hub.exchange(self.node.store, self.key, self.node.lock))
        if self._pairing is None:
            self._pairing = PairingDesk(self, desk=self.key)  # the check-ins signed by this venue's key
        try:
            result.pairings = self._pairing.answer(self.hub.client(self.key))
        except SyncError as exc:
            result.error = f"无法连接本副场评标室服务器：{exc} / cannot reach this venue's room hub: {exc}"
        self.hub_error = result.error or (result.sync.error if result.sync else None)
        return result

    # -- the desk (database thread) ----------------------------------------------------------------
    def _desk(self) -> RemoteDesk:
        if self.desk is None:
            raise VenueError(key="venue.not_joined")
        return self.desk

    def take_photo(self) -> tuple[bytes, int, str]:
        """A check-in photo from this room's camera (the settings' first camera; synthetic when none), with the
        face count and the desk's message."""
        from app.recording.faces import encode_jpeg
        from app.recording.sources import CameraError, open_camera_or_synthetic

        camera, problem = open_camera_or_synthetic(self.camera_source)
        try:
            data = encode_jpeg(camera.read())
        except (CameraError, ValueError) as exc:
            raise VenueError(key="venue.camera_no_picture", exc=exc) from exc
        finally:
            close = getattr(camera, "close", None)
            if close:
                close()
        faces, message = self.faces.check(data)
        if problem:
            message = f"{message}（摄像头不可用，使用模拟画面：{problem}）"
        return data, faces, message

    def photo_from_file(self, path: str) -> tuple[bytes, int, str]:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise VenueError(key="venue.photo_unreadable", path=path, strerror=exc.strerror) from exc
        try:
            faces, message = self.faces.check(data)
        except ValueError:
            raise VenueError(key="venue.not_a_picture", path=path) from None
        return data, faces, message

    def check_in(self, member: str, photo: bytes, document: str = "身份证") -> str:
        """R-CHK-1 at this venue: the member sits here and the photo shows exactly one face; the identity is
        signed by this venue's key. Returns the one-time code (30 minutes) the member types on his own PC, which
        pairs with this venue's hub: its key is made there, and the check-in binding it is signed here
        (:meth:`tick_hub`). A code asked for again replaces the earlier one."""
        import hashlib

        from app.services.checkin import check_identity

        desk = self._desk()
        with self.node.lock:
            state = desk.session.state
            faces = check_identity(state, member, photo, self.faces, VenueError, venue=desk.venue)
            digest = hashlib.sha256(photo).hexdigest()
            folder = self.folder(state.session or "")
            (folder / "media" / f"checkin-{member}-{digest[:12]}.jpg").write_bytes(photo)
            if member not in state.identities:
                desk.verify_identity(member, digest, faces, document)
        return self.codes.issue(member)

    def reissue_code(self, member: str) -> str:
        """A new one-time code for a member seated here and checked in whose own PC lost its seat (another PC,
        its data folder gone): the code issued before stops working, and the pairing with this one binds a new
        key on that PC, which replaces (revokes) the member's current one."""
        from app.services.checkin import check_reissue

        desk = self._desk()
        with self.node.lock:
            check_reissue(desk.session.state, member, VenueError, venue=desk.venue)
        return self.codes.issue(member)

    def send(self, text: str, to: str | None = None) -> None:
        """A text to the main venue (or ``to``), kept in the ledger."""
        desk = self._desk()
        remote = desk.session.state.remote
        target = to or next((v.room for v in remote.venues.values() if v.role == "main"), None)
        if target is None:
            raise VenueError(key="venue.no_main_venue")
        with self.node.lock:
            desk.send(target, text)

    def sync_now(self) -> None:
        """(any thread) One exchange with the center now, beside the background one."""
        if self.node is not None:
            self.node.sync_once()

    def view(self, now: datetime | None = None) -> RemoteView | None:
        if self.desk is None:
            return None
        now = now or datetime.now(UTC)
        with self.node.lock:
            state = self.desk.session.state
            remote = state.remote
            venue = remote.venues.get(self.desk.venue)
            seats = tuple(SeatRow(m.id, m.name, m.role, m.id in state.identities, m.author is not None,
                                  m.id in state.letters, m.id in state.declarations, m.recused)
                          for m in state.members.values() if remote.venue_of(m.id) == self.desk.venue)
            mine = [t for t in timers(state, now) if t.venue == self.desk.venue]
            open_ = [t for t in mine if t.end is None]
            case = state.base_case
            return RemoteView(
                str(state.session), f"{case.project.name}（{case.project.code}）" if case else "",
                f"{case.lot.name}（{case.lot.code}）" if case else "", str(state.stage), self.desk.venue,
                venue.name if venue else self.desk.venue, {v.room: v.name for v in remote.venues.values()}, seats,
                tuple(dict(m) for m in remote.messages), (open_ or mine)[-1] if (open_ or mine) else None,
                dict(remote.stopped) if remote.stopped else None, self.node.status(), now, self.hub_info(),
                self.hub_error, tuple(t.member for t in self.codes.live.values()))
