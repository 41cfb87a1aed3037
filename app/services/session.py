"""Session use cases: every action of a session becomes a signed event in its author's feed.

One place for each action (DESIGN.md §3): create, advance a stage (with the stage-end checkpoint),
register a supervisor, check an expert in, elect the chair, record verdicts, scores, submissions,
committee decisions, pause/resume/terminate, recordings, report signatures, archive.

Each action appends and folds; when the fold rejects the event, the event stays as evidence and the
action raises :class:`ActionRefused` with the fold's message (so a GUI shows why). ``write`` appends any
event as given, for tools and tests that need to record what the rules refuse.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.crypto.certs import CertKey
from app.crypto.keys import SigningKey, VerifyingKey
from app.errors import Bilingual, EvalRoomError
from app.ledger import certified
from app.ledger.anchoring import Epochs, checkpoint_body, origin_of
from app.ledger.authors import binding_valid, key_to_json, sign_binding
from app.ledger.clock import ahead
from app.ledger.events import SignedEvent, new_event, parse_stamp, utc_stamp
from app.ledger.export import write_feeds
from app.ledger.state import STAGES, SessionState
from app.store.ledger_store import ClockAhead, LedgerStore

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class ActionRefused(EvalRoomError):
    """The fold rejected the event of an action (it is kept as evidence); str() is the fold's message."""

    key = "action.refused"


class CertificateNotOpen(Bilingual):
    """A member's act that the certificate bound at check-in must co-sign, while that certificate is not open."""


class Clock:
    """Ledger time stamps, strictly increasing within this process (so a feed's times never go back)."""

    def __init__(self) -> None:
        self._last: datetime | None = None

    def now(self) -> str:
        moment = datetime.now(UTC)
        if self._last is not None and moment <= self._last:
            moment = self._last + timedelta(microseconds=1)
        self._last = moment
        return utc_stamp(moment)


def check_name(value: str, what: str) -> str:
    """Room and session ids go into checkpoint origins: letters, digits, ``.``, ``_``, ``-``."""
    if not NAME.fullmatch(value):
        raise ValueError(f"{what} {value!r} may hold only letters, digits, '.', '_' and '-'")
    return value


class Session:
    def __init__(self, store: LedgerStore, room_key: SigningKey, clock: Clock | None = None) -> None:
        self.store = store
        self.room_key = room_key
        self.clock = clock or Clock()
        #: session key id → the certificate bound to it at check-in (it co-signs that member's acts)
        self.certified: dict[str, CertKey] = {}
        #: session key id → the subject of the certificate bound to it at check-in that this program has not open
        #: (a paired PC restarted): that member's certified acts are refused rather than signed without it
        self.certificate_missing: dict[str, str] = {}
        if store.witness is None:  # this console records what its session file refuses in its own feed
            store.witness = room_key

    # -- life ------------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, session_id: str, room: str, package: Mapping[str, Any], room_key: SigningKey,
               clock: Clock | None = None, certificate: tuple[CertKey, str] | None = None) -> Session:
        """A new session file whose first event, by the room key, carries the session package. ``certificate``:
        the room's certificate and the SHA-256 of the report seal's CA it vouches for (``app.ledger.certified``)."""
        check_name(session_id, "session id")
        check_name(room, "room id")
        store = LedgerStore.create(path, session_id, room, room_key.public)
        session = cls(store, room_key, clock)
        body: dict[str, Any] = {"room": room, "package": dict(package), "room_key": key_to_json(room_key.public)}
        if certificate is not None:
            cert, seal_ca = certificate
            message = certified.room_message(session_id, room_key.key_id, cert.cert, seal_ca)
            body["certificate"] = {**certified.record(cert, message), "seal_ca_sha256": seal_ca}
        session._act(room_key, "session.created", body)
        return session

    @classmethod
    def open(cls, path: Path, room_key: SigningKey, clock: Clock | None = None) -> Session:
        """An existing session file, run by its room console (the key must be the session's room key)."""
        store = LedgerStore.open(path)
        if store.room_key != room_key.public:
            store.close()
            raise ValueError(f"{path}: the room key given is not the key of this session's room")
        return cls(store, room_key, clock)

    @property
    def state(self) -> SessionState:
        return self.store.state

    def close(self) -> None:
        self.store.close()

    def write(self, key: SigningKey, type_: str, body: Mapping[str, Any]) -> SignedEvent:
        """Sign and append the next event of ``key``'s feed, whatever the rules will say of it. A member's act
        (``certified.CERTIFIED_ACTS``) by a session key bound to a certificate is signed by the certificate too."""
        cert = self.certified.get(key.key_id)
        if cert is None and type_ in certified.CERTIFIED_ACTS and key.key_id in self.certificate_missing:
            raise CertificateNotOpen(key="cert.not_open", subject=self.certificate_missing[key.key_id])
        if cert is not None and type_ in certified.CERTIFIED_ACTS:
            body = {**body, certified.SIGNATURE_FIELD: certified.sign_act(cert, self.store.session_id, key.key_id,
                                                                          type_, body)}
        ev = self._sign(key, type_, body)
        self.store.append(ev)
        return ev

    def _sign(self, key: SigningKey, type_: str, body: Mapping[str, Any],
              after: SignedEvent | None = None) -> SignedEvent:
        """The next event of ``key``'s feed, signed, not appended (``after``: its feed's newest, not yet appended)."""
        head = (after.seq, after.id) if after is not None else self.store.head(key.key_id)
        seq, prev = (head[0] + 1, head[1]) if head else (1, None)
        last = after.time if after is not None else self.store.last_time(key.key_id)
        now = self.clock.now()
        if last > now and after is None:
            problem = ahead(last, parse_stamp(now), "this computer")
            if problem:  # max() below would stamp every later event as far ahead: all refused, forever
                raise ClockAhead(f"the feed of {self.store.state.label(key.key_id)} cannot go on: its last event's "
                                 f"{problem}; set the clock right (an event is never stamped before its feed's "
                                 "last; an expert goes on under a new login code from the check-in desk)")
        # max(): after a restart, or a clock set back a little, the feed's time stays monotone (the verifier checks it)
        return new_event(key, self.store.session_id, seq, prev, max(now, last), type_, body)

    def _act(self, key: SigningKey, type_: str, body: Mapping[str, Any]) -> SignedEvent:
        before = len(self.state.rejections)
        ev = self.write(key, type_, body)
        self._refused(ev, before)
        return ev

    def _refused(self, ev: SignedEvent, before: int) -> None:
        if len(self.state.rejections) > before and any(r.event_id == ev.id for r in self.state.rejections[before:]):
            raise ActionRefused(next(r.message for r in self.state.rejections[before:] if r.event_id == ev.id))

    def _act_sealed(self, type_: str, body: Mapping[str, Any], stage: str) -> SignedEvent:
        """The room's event and a checkpoint (labelled ``stage``) over every event including it, in one
        transaction: the verifier can then require that checkpoint whenever the event is there."""
        before = len(self.state.rejections)
        ev = self._sign(self.room_key, type_, body)
        mark = self._sign(self.room_key, "checkpoint", self._checkpoint_body(stage, ev), after=ev)
        self.store.append_many([ev, mark])
        self._refused(ev, before)
        return ev

    # -- room console ----------------------------------------------------------------------------
    def checkpoint(self) -> SignedEvent:
        """Sign a checkpoint over every event so far (stage end)."""
        return self._act(self.room_key, "checkpoint", self._checkpoint_body(str(self.state.stage)))

    def _checkpoint_body(self, stage: str, pending: SignedEvent | None = None) -> dict[str, object]:
        """A checkpoint over every stored event (and ``pending``, the room's next one, not yet stored)."""
        state = self.state
        assert state.room is not None and state.session is not None
        frontier = self.store.frontier()
        events = self.store.events()
        if pending is not None:
            frontier[pending.author] = pending.seq
            events.append(pending)
        epochs = Epochs.start(_feeds(events))
        for mark in state.checkpoints:
            epochs.extend(mark.frontier)
        epochs.extend(frontier)
        origin = origin_of(state.room, state.session)
        return checkpoint_body(stage, origin, frontier, len(epochs.leaves), epochs.root(), self.room_key)

    def advance(self, to: str) -> SignedEvent:
        """End the current stage (a checkpoint) and move to the next one."""
        if to not in STAGES:
            raise ValueError(f"unknown stage {to!r}")
        self.checkpoint()
        return self._act(self.room_key, "stage.advanced", {"to": to})

    def register_supervisor(self, name: str, key: SigningKey) -> SignedEvent:
        return self.register_supervisor_key(name, key.public)

    def register_supervisor_key(self, name: str, public: VerifyingKey, binding: str | None = None) -> SignedEvent:
        """A supervisor's key made on the supervisor's own PC (only its public half is here). ``binding``: the
        PC's signature of the binding to ``name`` in this session (:func:`sign_binding`), checked first."""
        body: dict[str, Any] = {"name": name, "key": key_to_json(public)}
        if binding is not None:
            if not binding_valid(public, self.store.session_id, name, binding):
                raise ActionRefused(f"the binding is not signed by that key for supervisor {name} in session "
                                    f"{self.store.session_id}")
            body["binding"] = binding
        return self._act(self.room_key, "supervisor.registered", body)

    def register_recorder(self, name: str, key: VerifyingKey) -> SignedEvent:
        """Let a recorder's own key write recording events into this session (its feed is imported)."""
        return self._act(self.room_key, "recorder.registered", {"name": name, "key": key_to_json(key)})

    def check_in(self, member: str, expert_key: SigningKey, desk: SigningKey | None = None,
                 replaces: str | None = None, cert: CertKey | None = None) -> SignedEvent:
        """Bind a fresh session key to a member: the expert key signs the binding, the room (or the console
        of the remote venue the member sits at, ``desk``) the event. ``replaces``: the key id a member
        already checked in holds (a new workstation login); that key is revoked. ``cert``: the member's
        certificate, which signs the binding too and then the member's acts (``app.ledger.certified``)."""
        binding = sign_binding(expert_key, self.store.session_id, member)
        certificate = None
        if cert is not None:
            certificate = certified.record(
                cert, certified.checkin_message(self.store.session_id, member, expert_key.key_id, cert.cert))
        ev = self.check_in_key(member, expert_key.public, binding, desk=desk, replaces=replaces,
                               certificate=certificate)
        if cert is not None:
            self.certified[expert_key.key_id] = cert
        return ev

    def check_in_key(self, member: str, public: VerifyingKey, binding: str, desk: SigningKey | None = None,
                     replaces: str | None = None, certificate: dict[str, Any] | None = None) -> SignedEvent:
        """Bind a session key made elsewhere (on the expert's own PC: only its public half is here) to a member;
        ``binding``: that key's signature of the binding (:func:`sign_binding`), checked before anything is
        written. ``desk`` and ``replaces`` as in :meth:`check_in`."""
        if not binding_valid(public, self.store.session_id, member, binding):
            raise ActionRefused(f"the binding is not signed by that key for member {member} in session "
                                f"{self.store.session_id}")
        body: dict[str, Any] = {"member": member, "key": key_to_json(public), "binding": binding}
        if replaces is not None:
            body["replaces"] = replaces
        if certificate is not None:
            body["certificate"] = certificate
        return self._act(desk or self.room_key, "checkin", body)

    # -- the room around the evaluation (room_fold.py) ---------------------------------------------
    def read_bids(self) -> SignedEvent:
        """唱标: read every bid of the package with its price (the fold decides lateness and R-OPEN-3)."""
        case = self.state.base_case
        assert case is not None
        bids = [{"bidder": b.id, "name": b.name, "price": str(b.price), "submitted_at": b.submitted_at.isoformat()}
                for b in case.bidders]
        return self._act(self.room_key, "opening.read", {"bids": bids})

    def record_objection(self, bidder: str | None, objection: str, answer: str) -> SignedEvent:
        body: dict[str, Any] = {"objection": objection, "answer": answer}
        if bidder:
            body["bidder"] = bidder
        return self._act(self.room_key, "opening.objection", body)

    def record_decrypted(self, bidder: str, path: str, scheme: str, ciphertext_sha256: str,
                         plaintext_sha256: str) -> SignedEvent:
        """R-OPEN-10: one of the bidder's encrypted bid files decrypted at opening (the plaintext's SHA-256)."""
        return self._act(self.room_key, "opening.decrypted",
                         {"bidder": bidder, "path": path, "scheme": scheme, "ciphertext_sha256": ciphertext_sha256,
                          "plaintext_sha256": plaintext_sha256})

    def record_decryption_failed(self, bidder: str, path: str, cause: str, detail: str) -> SignedEvent:
        """R-OPEN-10: a file that could not be decrypted, with its cause (the fold derives revoked / withdrawn)."""
        return self._act(self.room_key, "opening.decryption_failed",
                         {"bidder": bidder, "path": path, "cause": cause, "detail": detail})

    def record_screen(self, findings: list[dict[str, Any]], documents: int) -> SignedEvent:
        """The collusion screen's findings on the bids read (办法 §21): warnings for the committee."""
        return self._act(self.room_key, "screen.findings", {"findings": findings, "documents": documents})

    def decide_finding(self, chair_key: SigningKey, finding: int, collusion: bool, reason: str) -> SignedEvent:
        """The committee's decision on one finding of the screen, recorded by the chair."""
        return self._act(chair_key, "screen.decided",
                         {"finding": finding, "collusion": collusion, "reason": reason})

    def confirm_opening(self, bidder: str, representative: str, image_sha256: str | None = None) -> SignedEvent:
        body: dict[str, Any] = {"bidder": bidder, "representative": representative}
        if image_sha256:
            body["image_sha256"] = image_sha256
        return self._act(self.room_key, "opening.confirmed", body)

    def verify_identity(self, member: str, photo_sha256: str, faces: int, document: str | None = None,
                        desk: SigningKey | None = None) -> SignedEvent:
        body: dict[str, Any] = {"member": member, "photo_sha256": photo_sha256, "faces": faces}
        if document:
            body["document"] = document
        return self._act(desk or self.room_key, "identity.verified", body)

    # -- remote evaluation (venue_fold.py) -----------------------------------------------------------
    def add_venue(self, room: str, name: str, key: VerifyingKey, members: list[str] | None = None) -> SignedEvent:
        """A remote venue (副场) and its console's key; ``members`` reserves the seats drawn to sit there."""
        body: dict[str, Any] = {"room": room, "name": name, "role": "remote", "key": key_to_json(key)}
        if members:
            body["members"] = list(members)
        return self._act(self.room_key, "venue.added", body)

    def link_lost(self, venue: str, at: str) -> SignedEvent:
        return self._act(self.room_key, "venue.link_lost", {"venue": venue, "at": at})

    def link_restored(self, venue: str, at: str) -> SignedEvent:
        return self._act(self.room_key, "venue.link_restored", {"venue": venue, "at": at})

    def venue_outcome(self, venue: str, decision: str, by: str, reason: str = "") -> SignedEvent:
        """R-SUS-6: the tenderer's decision (evaluate | postpone) after a failure before the start."""
        return self._act(self.room_key, "venue.outcome", {"venue": venue, "rule": "R-SUS-6", "decision": decision,
                                                          "by": by, "reason": reason})

    def venue_message(self, to: str, text: str, key: SigningKey | None = None) -> SignedEvent:
        """Text to another venue, from the room (主场) or a remote venue's console (``key``)."""
        return self._act(key or self.room_key, "venue.message", {"to": to, "text": text})

    def sign_letter(self, key: SigningKey, signer: str, template: str, template_sha256: str,
                    image_sha256: str | None = None, strokes_sha256: str | None = None) -> SignedEvent:
        body: dict[str, Any] = {"signer": signer, "template": template, "template_sha256": template_sha256}
        if image_sha256:
            body["image_sha256"] = image_sha256
        if strokes_sha256:
            body["strokes_sha256"] = strokes_sha256
        return self._act(key, "letter.signed", body)

    def declare(self, key: SigningKey, member: str, conflict: bool, grounds: list[str] | None = None,
                statement: str = "", bidders: list[str] | None = None) -> SignedEvent:
        """The conflict-of-interest declaration; ``bidders``: whom a declared conflict is with."""
        body: dict[str, Any] = {"member": member, "conflict": conflict, "grounds": list(grounds or []),
                                "statement": statement}
        if bidders:
            body["bidders"] = list(bidders)
        return self._act(key, "coi.declared", body)

    def request_explanation(self, bidder: str, due: str) -> SignedEvent:
        return self._act(self.room_key, "low_price.explanation_requested", {"bidder": bidder, "due": due})

    def receive_explanation(self, bidder: str, summary: str) -> SignedEvent:
        return self._act(self.room_key, "low_price.explanation_received", {"bidder": bidder, "summary": summary})

    def replace_member(self, withdrawn: str, reserve: str) -> SignedEvent:
        return self._act(self.room_key, "member.added", {"replaces": withdrawn, "member": reserve})

    def record_incident(self, key: SigningKey, text: str) -> SignedEvent:
        return self._act(key, "incident.recorded", {"text": text})

    def sign_off(self, key: SigningKey, note: str = "") -> SignedEvent:
        return self._act(key, "supervision.signed_off", {"note": note})

    def elect_chair(self, member: str) -> SignedEvent:
        return self._act(self.room_key, "chair.elected", {"member": member})

    def record_segment(self, segment: Mapping[str, Any]) -> SignedEvent:
        return self._act(self.room_key, "recording.segment", segment)

    def record_fault(self, fault: Mapping[str, Any]) -> SignedEvent:
        return self._act(self.room_key, "recording.fault", fault)

    def archive(self) -> SignedEvent:
        """Close the session: the archive event and the final checkpoint over everything, in one transaction."""
        return self._act_sealed("session.archived", {}, "archived")

    # -- supervisor ------------------------------------------------------------------------------
    def pause(self, key: SigningKey, reason: str) -> SignedEvent:
        return self._act(key, "session.paused", {"reason": reason})

    def resume(self, key: SigningKey, reason: str = "") -> SignedEvent:
        return self._act(key, "session.resumed", {"reason": reason} if reason else {})

    def terminate(self, key: SigningKey, reason: str) -> SignedEvent:
        return self._act(key, "session.terminated", {"reason": reason})

    # -- committee members -----------------------------------------------------------------------
    def recuse(self, key: SigningKey, member: str, reason: str, bidders: list[str] | None = None) -> SignedEvent:
        body: dict[str, Any] = {"member": member, "reason": reason}
        if bidders:
            body["bidders"] = list(bidders)
        return self._act(key, "recusal", body)

    def verdict(self, key: SigningKey, member: str, bidder: str, passed: bool,
                reason: str | None = None) -> SignedEvent:
        body: dict[str, Any] = {"member": member, "bidder": bidder, "pass": passed}
        if reason is not None:
            body["reason"] = reason
        return self._act(key, "preliminary.verdict", body)

    def set_score(self, key: SigningKey, expert: str, bidder: str, criterion: str, score: str,
                  comment: str | None = None) -> SignedEvent:
        body = {"expert": expert, "bidder": bidder, "criterion": criterion, "score": score}
        if comment:
            body["comment"] = comment
        return self._act(key, "score.set", body)

    def submit(self, key: SigningKey, expert: str) -> SignedEvent:
        return self._act(key, "score.submitted", {"expert": expert})

    def reopen(self, chair_key: SigningKey, expert: str, reason: str) -> SignedEvent:
        return self._act(chair_key, "score.reopened", {"expert": expert, "reason": reason})

    def decide_low_price(self, chair_key: SigningKey, bidder: str, decision: str) -> SignedEvent:
        return self._act(chair_key, "low_price.decided", {"bidder": bidder, "decision": decision})

    def adjust(self, chair_key: SigningKey, bidder: str, amount: str, reason: str) -> SignedEvent:
        return self._act(chair_key, "adjustment.recorded", {"bidder": bidder, "amount": amount, "reason": reason})

    def sign_report(self, key: SigningKey, member: str, sha256: str) -> SignedEvent:
        return self._act(key, "report.signed", {"member": member, "sha256": sha256})

    # -- the evaluation report (report_fold.py; app/services/report.py renders the PDFs) ------------
    def draft_report(self, sha256: str, checkpoint: str, covers: dict[str, int] | None = None) -> SignedEvent:
        """The room records the draft every member signs (a new draft clears the acts on the last one);
        ``covers``: the frontier ({author: last seq}) of the events it was rendered from."""
        body: dict[str, Any] = {"sha256": sha256, "checkpoint": checkpoint}
        if covers is not None:
            body["covers"] = dict(covers)
        return self._act(self.room_key, "report.drafted", body)

    def sign_report_image(self, key: SigningKey, member: str, sha256: str, signature_png: str) -> SignedEvent:
        """A member signs the draft's SHA-256 with the handwritten signature (base64 PNG) inside the event."""
        return self._act(key, "report.signed", {"member": member, "sha256": sha256, "signature_png": signature_png})

    def dissent_report(self, key: SigningKey, member: str, sha256: str, reasons: str,
                       signature_png: str | None = None) -> SignedEvent:
        """R-SIG-2: signs, stating the dissent and its reasons in writing."""
        body = {"member": member, "sha256": sha256, "reasons": reasons}
        if signature_png:
            body["signature_png"] = signature_png
        return self._act(key, "report.dissent", body)

    def note_refusal(self, member: str, note: str, chair_key: SigningKey | None = None) -> SignedEvent:
        """R-SIG-3: a refusal without reasons counts as agreement; the committee's note (chair or room)."""
        return self._act(chair_key or self.room_key, "report.refused_to_sign", {"member": member, "note": note})

    def finalize_report(self, draft: str, sha256: str, size: int, covers: dict[str, int] | None = None) -> SignedEvent:
        """The sealed report recorded with a checkpoint over it, in one transaction (it leaves the room early);
        ``covers``: the frontier of the events it was rendered from."""
        body: dict[str, Any] = {"draft": draft, "sha256": sha256, "bytes": size}
        if covers is not None:
            body["covers"] = dict(covers)
        return self._act_sealed("report.finalized", body, "report")

    def lock_report(self, reason: str, key: SigningKey | None = None) -> SignedEvent:
        """R-SCR-2: an error found after signing locks the report (room or supervisor)."""
        return self._act(key or self.room_key, "report.locked", {"reason": reason})

    def open_reevaluation(self, reason: str) -> SignedEvent:
        """R-SCR-2: the original committee re-evaluates: back to scoring, sheets reopened."""
        return self._act(self.room_key, "reevaluation.opened", {"reason": reason})

    # -- outputs ---------------------------------------------------------------------------------
    def export(self, outdir: Path) -> list[Path]:
        return export_store(self.store, outdir)


def _feeds(events: list[SignedEvent]) -> dict[str, list[SignedEvent]]:
    feeds: dict[str, list[SignedEvent]] = {}
    for ev in sorted(events, key=lambda e: (e.author, e.seq)):
        feeds.setdefault(ev.author, []).append(ev)
    return feeds


def export_store(store: LedgerStore, outdir: Path) -> list[Path]:
    """Write the store's feeds as JSON Lines under ``outdir``."""
    labels = {author: info.label for author, info in store.state.authors.items()}
    return write_feeds(store.events(), labels, outdir)
