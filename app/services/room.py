"""The room console's use cases for the GUI (console, check-in desk, workstation, supervisor).

The GUI never touches keys, SQL or files: it calls these services, which hold the keys, append the
events through :class:`app.services.session.Session` and return plain snapshots. All calls on one
:class:`Room` must come from one thread (the GUI's database worker): the session file has one
connection.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.center import pairing_protocol
from app.crypto.certs import CertKey
from app.crypto.keys import SigningKey
from app.crypto.truststore import CertificateTrust
from app.domain.case import Case
from app.domain.profiles import profile_for
from app.domain.result import Reason
from app.ledger.state import RECORD_FIELDS, SessionState
from app.services.bid_documents import BidFile, bid_files
from app.services.bid_package import BID_FILES, open_case
from app.services.case_files import load_case
from app.services.desk_actions import (
    BIDDER_GROUNDS,
    DeskError,
    MemberActions,
    SupervisorActions,
    ViewCache,
    composition_problems,
    desk,
    letter_for,
    make_up_problems,
    pin_hash,
    readiness_problems,
    save_media,
    session_view,
)
from app.services.pairing_desk import CODE_MINUTES, Codes
from app.services.passphrase import open_room_key
from app.services.recording import FaceChecker, RecordingSettings, RecordingStatus, RoomRecorder, stop_orphans
from app.services.room_view import RoomView
from app.services.session import ActionRefused, Clock, Session, check_name
from app.services.templates import FilledTemplate
from app.settings import Settings
from app.sync.client import CenterClient, SyncError

if TYPE_CHECKING:  # the camera sources load OpenCV: only a room given a camera (tests) loads them
    from app.recording.sources import Camera
    from app.services.pairing_desk import PairingDesk, PairingOutcome
    from app.services.report import ReportDesk  # loaded on first use: reportlab
    from app.services.room_hub import HubTick, RoomHub


LOGIN_CODE_MINUTES = CODE_MINUTES


@dataclass(frozen=True)
class Photo:
    jpeg: bytes
    faces: int
    message: str

    @property
    def ok(self) -> bool:
        return self.faces == 1


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Room:
    """One room console with its key, its data folder and (after :meth:`start`) one session."""

    def __init__(self, home: Path, room_id: str = "demo-room", passphrase: bytes | None = None,
                 camera: Camera | None = None, recording: RecordingSettings | None = None, demo: bool = False,
                 settings: Settings | None = None) -> None:
        """``passphrase``: the room key's (else as ``app.crypto.passphrases`` finds it; none found:
        ``PassphraseMissing``, saying how to set it). ``demo``: ``evalroom demo``, which alone may keep its
        key under the public demo passphrase. ``settings``: the room PC's (the caller read them; None: the
        defaults), for the passphrase file, the hub address, the center and the retention."""
        self.home = Path(home)
        self.settings = settings if settings is not None else Settings()
        self.room_id = check_name(room_id, "room id")
        self.demo = demo
        opened = open_room_key(self.home, passphrase, demo=demo, file=self.settings.key_passphrase_file)
        self.key = opened.key
        self.key_note = opened.note  # a key of an earlier version, re-encrypted under the passphrase given
        self.passphrase = opened.passphrase.secret  # the archive's PAdES certificate is kept under it too
        # the check-in photo comes from the recorder's camera; a camera given here (tests) replaces it
        self._camera = camera
        self.recording_settings = recording  # None: no recorder (headless tests and tools)
        self.recording: RoomRecorder | None = None
        self.faces = FaceChecker()  # the one-face check, in its own process (OpenCV stays out of the console)
        self.session: Session | None = None
        self.media: Path | None = None
        self.clock: Callable[[], float] = time.monotonic  # the codes' 30 minutes (tests move it on)
        self.codes = Codes(lambda: self.clock())  # the check-in desk's one-time codes (pairing_desk.py)
        self.hub_client: CenterClient | None = None  # the room hub pairings are answered at (RoomHub sets it)
        self._pairing: PairingDesk | None = None
        self.hub: RoomHub | None = None  # the room hub child of this console (start_hub), None: no hub
        self.hub_tick: HubTick | None = None  # the last exchange with it
        self._supervisors: dict[str, SigningKey] = {}
        self._workstations: dict[str, Workstation] = {}
        self._results = ViewCache()
        self._bid_key: bytes | None = None  # the session's key of its decrypted bid files (bid_data_key)

    # -- session set-up ---------------------------------------------------------------------------
    @staticmethod
    def validate_package(path: Path) -> Case:
        """Read and validate a session package (a CaseError names the field, in Chinese too)."""
        return load_case(path)

    def start(self, package_path: Path, clock: Clock | None = None) -> Session:
        """Create the session from a package: its first event carries the package (no recorded fields).
        ``clock``: the session's time stamps (default: this computer's)."""
        read = open_case(package_path)  # a case file, or a package (folder or .zip) with its bid files, checked
        case, document = read.case, read.document
        package = {k: v for k, v in document.items() if k not in RECORD_FIELDS}
        package["committee"] = [{k: v for k, v in m.items() if k != "chair"} for m in document["committee"]]
        session_id = "".join(ch if ch.isalnum() or ch in "._-" else "_"
                             for ch in f"{case.project.code}-{case.lot.code}")
        folder = self.home / "sessions" / session_id
        folder.mkdir(parents=True, exist_ok=True)
        for bid in read.documents:  # the checked bid files beside the session, for its archive (bids/ in the bag)
            target = folder / BID_FILES / bid.path
            if not target.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(bid.data)
        path = folder / "session.sqlite"
        self._bid_key = None  # another session's folder, another data key
        if path.exists():
            self.session = Session.open(path, self.key, clock)
        else:
            from app.archive.pades import installed_room_certificate  # `evalroom room-cert install`

            certificate = installed_room_certificate(self.home / "keys", self.passphrase)
            self.session = Session.create(path, session_id, self.room_id, package, self.key, clock,
                                          certificate=certificate)
        self.media = folder / "media"
        self.media.mkdir(exist_ok=True)
        if self.recording_settings is not None and (self.recording is None
                                                    or self.recording.out != folder / "recording"):
            if self.recording is not None:  # another session was open: its recording ends with it
                self.recording.stop()
            # one console records one session: a recorder a crashed console left for another session is stopped
            stop_orphans(self.home / "sessions", keep=folder / "recording")
            self.recording = RoomRecorder(folder / "recording", self.recording_settings, room=self.room_id,
                                          session=session_id)
            self.recording.start()  # or re-attach to the recorder a crashed console left running
            self.recording.sync(self.session)
        return self.session

    @property
    def camera(self) -> Camera:
        """The camera the check-in photo is taken with when the room records nothing (synthetic when none)."""
        if self._camera is None:
            from app.recording.sources import SyntheticCamera

            self._camera = SyntheticCamera()
        return self._camera

    @camera.setter
    def camera(self, camera: Camera) -> None:
        self._camera = camera

    # -- recording (电子监控) -----------------------------------------------------------------------
    def recording_tick(self) -> RecordingStatus | None:
        """Chain the recorder's new events into the session (database thread); the recorder's health."""
        if self.recording is None or self.session is None:
            return None
        self.recording.sync(self.session)
        return self.recording.status()

    def end_recording(self) -> None:
        """Stop the recorder and chain its last segments (before the session is archived)."""
        if self.recording is not None:
            self.recording.stop(self.session)

    @property
    def state(self) -> SessionState:
        return self._session().state

    def seat_lock(self) -> AbstractContextManager[Any]:
        """The seats' actions need no lock here: every call on a Room comes from its one database thread."""
        return nullcontext()

    def _session(self) -> Session:
        if self.session is None:
            raise DeskError(key="room.no_session")
        return self.session

    def start_hub(self, listen: str) -> str:
        """Run the room hub (``evalroom hub serve``) as this console's child on ``listen`` (HOST:PORT, the settings'
        ``hub_listen``); its URL. :meth:`tick_hub` then keeps it alive, synced and answering pairings."""
        from app.services.room_hub import RoomHub, RoomHubError

        if self.hub is None:
            self.hub = RoomHub(self.home, self.passphrase, self.room_id, listen, demo=self.demo)
        try:
            return self.hub.start()
        except RoomHubError as exc:
            raise DeskError.recast(exc) from exc

    def tick_hub(self) -> HubTick | None:
        """(the database thread, every second or two) One exchange with the room hub: restart it if it died,
        sync the session both ways, answer the pairing requests waiting there."""
        if self.hub is None:
            return None
        self.hub_tick = self.hub.tick(self)
        return self.hub_tick

    def hub_info(self) -> dict[str, Any] | None:
        """What the check-in desk shows a PC's person: the hub's addresses on the room LAN and the room CA's
        fingerprint to compare on the PC's pairing page."""
        return self.hub.info() if self.hub is not None else None

    def close(self) -> None:
        """An orderly close of the console ends its recording (a crash does not: the recorder goes on) and its
        room hub (which would end with it anyway: ``--exit-with-parent``)."""
        if self.hub is not None:
            self.hub.stop()
        if self.recording is not None and not self.recording.stopped:
            self.recording.stop(self.session)
        self.faces.close()
        if self.session is not None:
            self.session.close()

    def view(self, recent: int = 200) -> RoomView:
        """A snapshot for the GUI (built on the database thread)."""
        session = self._session()
        return session_view(session.state, session.store.events(), recent, self._results)

    # -- stages -----------------------------------------------------------------------------------
    def advance(self, to: str) -> None:
        self._session().advance(to)

    # -- bid opening (开标) ----------------------------------------------------------------------
    def open_bids(self) -> dict[str, Any] | None:
        """Open the bids at the deadline and read them out (唱标); R-OPEN-2/3 are decided by the fold.

        A package with encrypted bid files (R-OPEN-10): the first call starts the opening and its decryption time
        limit, and reads nothing while a bid's file waits for its bidder's key (None); once every such bid is
        decrypted or excluded, or the time limit has passed (each bidder still waiting then presented no key:
        revoked), the bids are read."""
        from app.services import decryption

        session = self._session()
        if session.state.stage == "created":
            session.advance("opening")
        if session.state.opening is None:
            waiting = decryption.pending(session)
            if waiting:
                if not decryption.past_limit(session):
                    return None
                for bidder in waiting:
                    decryption.record_no_key(session, bidder, "no key presented within the time limit")
            session.read_bids()
        if self.media is not None:  # the collusion screen of the bid files kept beside the session (办法 §21)
            from app.services.screen import record_screen

            record_screen(session, folder=self.media.parent, data_key=self.bid_data_key)
        assert session.state.opening is not None
        return session.state.opening

    # -- decryption at opening (R-OPEN-10) -----------------------------------------------------------
    def bid_data_key(self) -> bytes:
        """The session's key for its decrypted bid files at rest (under the room key's passphrase)."""
        from app.services import decryption

        if self._bid_key is None:
            assert self.media is not None
            self._bid_key = decryption.data_key(self.media.parent, self.passphrase)
        return self._bid_key

    def decrypt_bid(self, bidder: str, p12: Path | None, passphrase: str, *, token_pin: str | None = None) -> list[Any]:
        """The bidder presents its key on the console: its PKCS#12 file (and passphrase), its USB key in the
        settings' PKCS#11 module (``token_pin`` typed; ``passphrase`` then only for its passphrase files) or its
        passphrase. Each of its pending files is decrypted and the result recorded (the first failure excludes the
        bid)."""
        from app.services import decryption

        session = self._session()
        if session.state.stage != "opening":
            raise DeskError(key="decrypt.not_opening")
        if bidder not in decryption.pending(session):
            raise DeskError(key="decrypt.nothing_pending", bidder=bidder)
        if token_pin is not None:
            if not token_pin:
                raise DeskError(key="decrypt.no_key_given", bidder=bidder)
            assert self.media is not None
            key = decryption.token_key(self.settings, token_pin, passphrase.encode("utf-8") if passphrase else None)
            return decryption.decrypt_bid(session, self.media.parent, self.bid_data_key(), bidder, key)
        if p12 is None and not passphrase:
            raise DeskError(key="decrypt.no_key_given", bidder=bidder)
        data = None
        if p12 is not None:
            try:
                data = p12.read_bytes()
            except OSError as exc:
                raise DeskError(key="decrypt.key_file_unreadable", path=str(p12), exc=exc) from exc
        assert self.media is not None
        key = decryption.BidderKey(data, passphrase.encode("utf-8") if passphrase else None)
        return decryption.decrypt_bid(session, self.media.parent, self.bid_data_key(), bidder, key)

    def record_no_key(self, bidder: str) -> list[Any]:
        """The bidder presents no key (it says it has none, or the time limit passed): its bid is deemed revoked."""
        from app.services import decryption

        session = self._session()
        if session.state.stage != "opening":
            raise DeskError(key="decrypt.not_opening")
        if bidder not in decryption.pending(session):
            raise DeskError(key="decrypt.nothing_pending", bidder=bidder)
        return decryption.record_no_key(session, bidder)

    def record_objection(self, bidder: str | None, objection: str, answer: str) -> None:
        if not objection.strip() or not answer.strip():
            raise DeskError(key="room.objection_incomplete")
        self._session().record_objection(bidder, objection.strip(), answer.strip())

    def confirm_opening(self, bidder: str, representative: str) -> None:
        if not representative.strip():
            raise DeskError(key="room.representative_missing")
        self._session().confirm_opening(bidder, representative.strip())

    # -- check-in desk (签到) ---------------------------------------------------------------------
    def take_photo(self) -> Photo:
        """A check-in photo from the room camera (the recorder's latest picture; synthetic when none),
        with the face count."""
        if self._camera is None and self.recording is not None:
            data = self.recording.latest_photo()
            deadline = time.monotonic() + 10
            while data is None and self.recording.alive() and time.monotonic() < deadline:  # the recorder is starting
                time.sleep(0.1)
                data = self.recording.latest_photo()
            if data is None:
                raise DeskError(key="room.camera_no_picture")
        else:
            from app.recording.faces import encode_jpeg

            try:
                data = encode_jpeg(self.camera.read())
            except ValueError as exc:
                raise DeskError(key="room.photo_unencodable") from exc
        faces, message = self.faces.check(data)
        return Photo(data, faces, message)

    def check_identity(self, member: str, photo: bytes, document: str = "身份证") -> str:
        """R-CHK-1: the member is on the drawn list and the photo shows exactly one face; returns the
        one-time login code for the workstation (valid for 30 minutes)."""
        from app.services.checkin import check_identity

        state = self.state
        faces = check_identity(state, member, photo, self.faces, DeskError)
        assert self.media is not None
        digest = _sha256(photo)
        (self.media / f"checkin-{member}-{digest[:12]}.jpg").write_bytes(photo)
        if member not in state.identities:
            self._session().verify_identity(member, digest, faces, document=document)
        return self._ticket(member)

    def reissue_code(self, member: str) -> str:
        """A new one-time login code for a member already checked in whose workstation login is lost (the
        console or the workstation restarted, another PC): any code issued before stops working, and the
        login with this one binds a new session key that replaces (revokes) the member's current one."""
        from app.services.checkin import check_reissue

        check_reissue(self.state, member, DeskError)
        return self._ticket(member)

    def _ticket(self, member: str, role: str = "expert") -> str:
        """A one-time login code for ``member`` (valid for 30 minutes); the member's earlier code stops working.
        The code works once, for the one-window login (:meth:`login`) or a PC's pairing (:meth:`answer_pairings`)."""
        return self.codes.issue(member, role)

    def issue_supervisor_code(self, name: str) -> str:
        """A one-time code (30 minutes) for the supervisor ``name`` to pair the supervisor's own PC with: its
        key is made there and registered here by its public half (``supervisor.registered``)."""
        name = name.strip()
        if not name:
            raise DeskError(key="room.supervisor_missing")
        if self._session().state.stage == "archived":
            raise DeskError(key="room.session_archived")
        return self._ticket(name, "supervisor")

    # -- pairing of an expert's or supervisor's own PC (app/services/pairing_desk.py) ------------------
    def answer_pairings(self, client: CenterClient | None = None) -> list[PairingOutcome]:
        """Answer the pairing requests the room hub holds, once (a GUI timer on the database thread, or the
        walkthrough): offers for right codes, refusals (zh/en) for the rest, the check-in of each PC whose
        countersignature arrived. ``client``: the hub (default :attr:`hub_client`). Raises :class:`DeskError`
        when the hub cannot be reached."""
        from app.services.pairing_desk import PairingDesk

        client = client or self.hub_client
        if client is None:
            raise DeskError(key="room.no_hub")
        if self._pairing is None:
            self._pairing = PairingDesk(self)  # the check-ins signed by the room key
        try:
            return self._pairing.answer(client)
        except SyncError as exc:
            raise DeskError(key="room.hub_unreachable", url=client.url, exc=exc) from exc

    def pairing_session(self) -> Session | None:
        return self.session

    def ca_fingerprint(self) -> str | None:
        """The room CA's fingerprint the check-in desk shows and a pairing PC compares (None: no CA yet)."""
        from app.services.hub_network import room_ca_fingerprint

        return room_ca_fingerprint(self.home)

    def certificate_trust(self) -> CertificateTrust:
        """The trust store of this console's settings (read at each check-in: a CRL copied in counts at once)."""
        from app.services.certificates import trust_from_settings

        return trust_from_settings(self.settings)

    def login(self, code: str, pin: str, cert: CertKey | None = None, *, ocsp_checked: bool = False) -> Workstation:
        """The expert types the one-time code on the workstation: a fresh session key is created there
        and bound to the expert by the check-in event (signed by both keys). ``cert``: the member's certificate
        (a PKCS#12 file or a token's), checked against the settings' trust store first (``CertificateRefused``
        naming it and the reason; the code stays usable); it signs the binding and then the member's 承诺书,
        submission and report signature. ``ocsp_checked``: the caller asked the OCSP responders already, off the
        database thread (:func:`app.services.certificates.check_ocsp` with :meth:`certificate_trust`), so only the
        chain and the CRLs are checked here."""
        ticket = self.codes.by_code(code.strip())
        if ticket is None:
            if self.codes.spent.get(pairing_protocol.code_id(code.strip())) == "used":
                raise DeskError(key="room.login_code_used")
            raise DeskError(key="room.login_code_unknown")
        if self.clock() > ticket.expires:
            self.codes.void(ticket, "expired")
            raise DeskError(key="room.login_code_expired")
        if len(pin) < 4 or not pin.isdigit():
            raise DeskError(key="room.pin_too_short")
        if cert is not None:
            from app.services.certificates import check_certificate

            check_certificate(self.certificate_trust(), cert.cert, cert.chain, online=not ocsp_checked)
        self.codes.void(ticket, "used")  # one-time
        key = SigningKey.generate()
        current = self.state.members[ticket.member].author  # a login issued again replaces the key held now
        self._session().check_in(ticket.member, key, replaces=current, cert=cert)
        station = Workstation(self, ticket.member, key, pin)
        self._workstations[ticket.member] = station
        return station

    def workstation(self, member: str) -> Workstation:
        return self._workstations[member]

    # -- committee (组建评标委员会) ----------------------------------------------------------------
    def composition_problems(self) -> list[Reason]:
        """R-COM-*: the committee as it now stands (checked in, not withdrawn), with the chair."""
        return composition_problems(self.state)

    def make_up_problems(self) -> list[Reason]:
        """R-COM-1/4/8 of the members checked in, whoever chairs: what closing check-in leaves to fill."""
        return make_up_problems(self.state)

    def readiness_problems(self) -> list[Reason]:
        """Members who cannot evaluate yet: not checked in, the letter unsigned, no declaration."""
        return readiness_problems(self.state)

    def request_explanation(self, bidder: str, minutes: int = 30) -> None:
        """R-LOW-1/2: require the bidder's written explanation, with evidence, at the site within ``minutes``."""
        due = time.strftime("%Y-%m-%d %H:%M", time.localtime(time.time() + minutes * 60))
        self._session().request_explanation(bidder, due)

    def receive_explanation(self, bidder: str, summary: str) -> None:
        if not summary.strip():
            raise DeskError(key="room.explanation_empty")
        self._session().receive_explanation(bidder, summary.strip())

    def replace_member(self, withdrawn: str, reserve: str) -> None:
        """Fill a withdrawn member's seat from the drawn reserves (R-SUS-1); the reserve then checks in at
        the desk, signs the commitment letter and declares, even after the check-in stage has closed."""
        self._session().replace_member(withdrawn, reserve)

    def elect_chair(self, member: str) -> None:
        state = self.state
        case = state.base_case
        assert case is not None
        entry = next((m for m in case.committee if m.id == member), None)
        profile = profile_for(case.profile, case.overlay)
        if entry is not None and not entry.is_expert and not profile.owner_rep_may_chair:
            raise DeskError(key="room.representative_may_not_chair", name=entry.name, member=member)
        self._session().elect_chair(member)

    # -- supervisor -------------------------------------------------------------------------------
    def supervisor(self, name: str) -> SupervisorDesk:
        if name not in self._supervisors:
            key = SigningKey.generate()
            self._session().register_supervisor(name, key)
            self._supervisors[name] = key
        return SupervisorDesk(self, name, self._supervisors[name])

    def letter_for(self, signer_name: str, role: str) -> FilledTemplate:
        return letter_for(self.state, self.room_id, signer_name, role)

    def save_media(self, name: str, data: bytes) -> str:
        assert self.media is not None
        return save_media(self.media, name, data)

    def bid_files(self) -> list[BidFile]:
        """The session's bid files, kept beside it since the import (read them with
        :func:`app.services.bid_documents.read_checked`, off the GUI thread)."""
        return bid_files(self.state, self.media.parent if self.media is not None else None, None,
                         data_key=self.bid_data_key if self.media is not None else None)

    # -- the evaluation report and the archive (app/services/report.py, app/services/archive.py) ------
    @property
    def report_desk(self) -> ReportDesk:
        from app.services.report import ReportDesk

        session = self._session()
        assert self.media is not None
        return ReportDesk(session, self.media.parent, self.home / "keys", self.passphrase)

    def draft_report(self) -> str:
        """After the summary: the report stage and the draft every member signs (its SHA-256)."""
        return desk(lambda: self.report_desk.draft())

    def report_pdf(self, final: bool = False) -> bytes:
        return desk(lambda: self.report_desk.pdf(final))

    def record_refusal(self, member: str, note: str) -> None:
        """R-SIG-3: a member refused to sign without reasons; the committee's note."""
        desk(lambda: self.report_desk.refuse(member, note))

    def finalize_report(self) -> str:
        """Every member has acted: the final report (with the signature page) is recorded."""
        return desk(lambda: self.report_desk.finalize())

    def decide_extension(self, granted: bool, minutes: int, reason: str) -> None:
        """R-SCR-6: the tenderer's decision on more evaluation time (refusing is refused when more than
        a third of the members asked)."""
        from app.services.report import decide_extension

        if not reason.strip():
            raise DeskError(key="room.time_decision_needs_reason")
        decide_extension(self._session(), granted, minutes, reason)

    def build_archive(self, progress: Any = None) -> Any:
        """Close the session, build the signed BagIt archive under ``archives/`` and verify it (an
        ``app.services.archive.Archived``); ``progress(step, steps, what)`` is called on this thread."""
        from app.services.archive import ArchiveError, close_and_archive
        years = self.settings.retention_years  # 15 years by default (DOMAIN.md §5)
        session = self._session()
        base = self.home / "archives" / str(session.state.session)
        out, n = base, 1
        while out.exists():
            n += 1
            out = base.with_name(f"{base.name}-{n}")
        if session.state.stage != "archived":
            self.end_recording()  # the recorder's last segments are chained before the session closes
        try:
            return close_and_archive(session, self.report_desk.folder, self.home / "keys", self.passphrase, out,
                                     progress, years=years, tsa_url=self.settings.tsa_url,
                                     cert_trust=self.certificate_trust())
        except ArchiveError as exc:
            raise DeskError(key="room.archive_not_built", problems="；".join(exc.problems), exc=exc) from exc


class Workstation(MemberActions):
    """One expert's workstation after login: every action is signed by the expert's own session key."""

    room: Room

    def __init__(self, room: Room, member: str, key: SigningKey, pin: str) -> None:
        self.room, self.member, self._key = room, member, key
        self._pin_hash = pin_hash(pin)


class SupervisorDesk(SupervisorActions):
    """The on-site supervisor at the console: pause and resume (中止/恢复), incidents, the letter, the sign-off."""

    room: Room

    def __init__(self, room: Room, name: str, key: SigningKey) -> None:
        self.room, self.name, self._key = room, name, key


__all__ = ["ActionRefused", "BIDDER_GROUNDS", "DeskError", "Photo", "Room", "SupervisorDesk", "Workstation"]
