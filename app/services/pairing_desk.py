"""The console's half of pairing: it answers the pairing requests a PC left at the room hub.

The check-in desk issues a one-time code (:class:`Codes`: :meth:`app.services.room.Room.check_identity`,
``reissue_code``, ``issue_supervisor_code``; a remote venue's console, :meth:`app.services.venues.VenueConsole.
check_in`, for the members seated there); the console keeps SHA-256 of it, which is the HMAC key of the PC's proof
(``app.center.pairing_protocol``). :meth:`PairingDesk.answer` runs once over what the hub holds:

- a new request: its code is checked (known, not expired, not used, not replaced, the proof right; after
  ``MAX_ATTEMPTS`` wrong proofs the code is void), its key must be new to the session; then the code is
  spent and the console sends an offer signed by the room key, or a refusal in Chinese and English;
- a countersigned offer: the PC's binding must be for the member offered; a certificate the PC sent with it
  (``app.ledger.certified``: its signature of the binding of this session key to this member) must verify and be
  accepted by the console's trust store (``app.services.certificates``: chain to a trusted CA, valid now, key
  usage, not revoked), else the pairing is refused naming the certificate and the reason; the console writes the
  check-in (``Session.check_in_key``, with the certificate) or the supervisor's registration with the PC's public
  key, and tells the hub the event's id. The pairing is complete when the hub holds that event (the console's
  sync delivers it).

One desk for both consoles (:class:`PairingHost`): the main venue's Room signs the check-in with the room key, a
remote venue's console with its venue key (``desk``), which the fold accepts for the members seated there only.

All calls on the console's database thread (the session file has one connection); the hub calls block (time-outs of the
client), so the GUI calls this from its database worker, never the GUI thread.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.center import pairing_protocol as wire
from app.crypto.keys import SigningKey, VerifyingKey
from app.crypto.truststore import CertificateTrust
from app.errors import Bilingual, EvalRoomError
from app.ledger import certified
from app.ledger.authors import binding_valid, key_from_json, key_to_json
from app.ledger.events import utc_stamp
from app.services.session import ActionRefused, Session
from app.sync.client import CenterClient, CenterRefused, SyncError

MAX_ATTEMPTS = 5  # wrong proofs for one code before it is void
CODE_MINUTES = 30  # a code's life


@dataclass
class Ticket:
    member: str  # a member id of the drawn list, or a supervisor's name (``role == "supervisor"``)
    code_hash: bytes  # SHA-256 of the code: the HMAC key of a pairing PC's proof (app.center.pairing_protocol)
    expires: float  # on Codes.clock
    code_id: str = ""
    role: str = "expert"
    attempts: int = 0  # wrong pairing proofs


@dataclass
class Codes:
    """The one-time codes of a check-in desk: live by seat (a member id, ``supervisor:NAME``), and why each
    spent one no longer works (used, replaced, locked, expired). ``clock``: monotonic seconds (tests move it)."""

    clock: Callable[[], float] = time.monotonic
    live: dict[str, Ticket] = field(default_factory=dict)
    spent: dict[str, str] = field(default_factory=dict)  # code id -> why

    def issue(self, member: str, role: str = "expert") -> str:
        """A code for ``member`` valid for 30 minutes; the member's earlier code stops working."""
        slot = member if role == "expert" else f"supervisor:{member}"
        earlier = self.live.pop(slot, None)
        if earlier is not None:
            self.spent[earlier.code_id] = "replaced"
        taken = {t.code_id for t in self.live.values()}
        while True:  # a code whose id is live or spent would be taken for that one
            code = f"{secrets.randbelow(10**6):06d}"
            ident = wire.code_id(code)
            if ident not in taken and ident not in self.spent:
                break
        self.live[slot] = Ticket(member, wire.code_key(code), self.clock() + CODE_MINUTES * 60, ident, role)
        return code

    def by_code_id(self, code_id: str) -> Ticket | None:
        return next((t for t in self.live.values() if t.code_id == code_id), None)

    def by_code(self, code: str, role: str = "expert") -> Ticket | None:
        """The live ticket of the code typed (the one-window login), or None."""
        digest = wire.code_key(code)
        return next((t for t in self.live.values() if t.role == role and hmac.compare_digest(t.code_hash, digest)),
                    None)

    def restore(self, ticket: Ticket) -> bool:
        """The code of ``ticket``, spent by an offer whose check-in was then refused (a certificate the console does
        not accept), works again, unless it expired or the member was given another code meanwhile."""
        slot = ticket.member if ticket.role == "expert" else f"supervisor:{ticket.member}"
        if slot in self.live or self.clock() > ticket.expires or self.spent.get(ticket.code_id) != "used":
            return False
        del self.spent[ticket.code_id]
        self.live[slot] = ticket
        return True

    def void(self, ticket: Ticket, why: str) -> None:
        """The code of ``ticket`` no longer works (``why``: used, locked, expired)."""
        self.live = {slot: t for slot, t in self.live.items() if t is not ticket}
        self.spent[ticket.code_id] = why


class PairingHost(Protocol):
    """What the desk needs of a console: the key that signs its offers (the room's, a remote venue's), its room
    id, its codes, its open session, the lock its session's writers share, the room CA it shows."""

    key: SigningKey
    room_id: str
    codes: Codes

    def pairing_session(self) -> Session | None: ...

    def seat_lock(self) -> AbstractContextManager[Any]: ...

    def ca_fingerprint(self) -> str | None: ...

    def certificate_trust(self) -> CertificateTrust:
        """The trust store a member's certificate must satisfy (the console's settings)."""
        ...


@dataclass(frozen=True)
class PairingOutcome:
    """What the console did with one request at the hub: ``offered``, ``refused`` or ``checked_in``."""

    request_id: str
    status: str
    member: str | None = None
    role: str | None = None
    reason_zh: str = ""
    reason_en: str = ""
    event: str | None = None
    key_id: str | None = None


@dataclass
class _Offer:
    member: str
    role: str
    name: str
    key: VerifyingKey
    session: str
    made: float
    code_id: str = ""
    nonce: str = ""
    hmac_key: bytes = b""  # SHA-256 of the spent code: a request posted again after a hub restart still proves it
    event: str | None = None  # the check-in written for it
    ticket: Ticket | None = None  # the code it spent (working again if the check-in is refused for its certificate)


class Refusal(Bilingual):
    """The check-in desk refuses a pairing request (``zh`` and ``en`` travel to the pairing PC)."""


class _Pending(EvalRoomError):  # noqa: N818 (not an error: the request is answered at a later round)
    """A countersigned request whose certificate's OCSP answer is still being fetched (off this thread); never
    leaves :meth:`PairingDesk.answer`."""

    key = "pairing_desk.ocsp_pending"


OCSP_THREADS = 2


#: the refusal of a code spent before (the reasons of ``codes.spent``), by its catalogue key
SPENT = {"used": "pairing_desk.code_used", "replaced": "pairing_desk.code_replaced",
         "locked": "pairing_desk.code_locked", "expired": "pairing_desk.code_expired"}


class PairingDesk:
    """``host``: the console; ``desk``: the key that signs the check-ins (None: the session's own, the room's;
    a remote venue's console key for the members seated there). Supervisors pair with the main venue only."""

    def __init__(self, host: PairingHost, desk: SigningKey | None = None) -> None:
        self.room, self.desk = host, desk
        self._offers: dict[str, _Offer] = {}
        #: request id → the OCSP lookup of its certificate (``trust_ocsp``), run on a pool of its own: the desk is
        #: called on the console's database thread, which must not wait on a responder (up to 3 s a link)
        self._ocsp: dict[str, Future[None]] = {}
        self._ocsp_pool: ThreadPoolExecutor | None = None

    def answer(self, client: CenterClient) -> list[PairingOutcome]:
        """Answer every request the hub holds for this console, once; :class:`SyncError` when the hub cannot
        be reached or refuses the console."""
        if self.room.pairing_session() is None:
            return []
        now = self.room.codes.clock()
        for rid in [r for r, o in self._offers.items() if now - o.made > wire.EXPIRY_SECONDS]:
            del self._offers[rid]
        for rid in [r for r in self._ocsp if r not in self._offers]:
            del self._ocsp[rid]
        listing = client.request("GET", "/v1/pairing/pending")["requests"]
        out: list[PairingOutcome] = []
        for item in listing:
            rid = str(item.get("request_id"))
            try:
                if item.get("status") == "countersigned":
                    outcome = self._record(client, rid, item)
                else:
                    outcome = self._offer(client, rid, item.get("request") or {})
            except _Pending:  # asked again at the next round, once its OCSP answer is in
                continue
            except Refusal as refusal:
                self._ocsp.pop(rid, None)
                offer = self._offers.pop(rid, None)
                outcome = PairingOutcome(rid, "refused", offer.member if offer else None, offer.role if offer else None,
                                         refusal.zh, refusal.en)
                self._post(client, rid, {"refusal": {"reason_zh": refusal.zh, "reason_en": refusal.en}})
            if outcome is not None:
                out.append(outcome)
        return out

    @staticmethod
    def _post(client: CenterClient, rid: str, body: dict[str, Any]) -> bool:
        try:
            client.request("POST", f"/v1/pairing/answers/{rid}", body)
        except CenterRefused:  # answered already, or expired at the hub meanwhile
            return False
        return True

    # -- a new request ------------------------------------------------------------------------------
    def _offer(self, client: CenterClient, rid: str, request: dict[str, Any]) -> PairingOutcome | None:
        room, codes = self.room, self.room.codes
        session = room.pairing_session()
        assert session is not None
        state = session.state
        code_id = str(request.get("code_id", ""))
        resumed = self._resumed(request)
        if resumed is not None:  # the same request posted again (the hub restarted and forgot it): same offer
            offer = self._offers.pop(resumed)
            if not self._send(client, rid, offer):
                self._offers[resumed] = offer
                return None
            self._offers[rid] = offer
            return PairingOutcome(rid, "offered", offer.member, offer.role, key_id=offer.key.key_id)
        ticket = codes.by_code_id(code_id)
        if ticket is None:
            spent = codes.spent.get(code_id)
            if spent:
                raise Refusal(key=SPENT[spent])
            raise Refusal(key="pairing_desk.wrong_code")
        if codes.clock() > ticket.expires:
            codes.void(ticket, "expired")
            raise Refusal(key=SPENT["expired"])
        if not wire.proof_valid(ticket.code_hash, request):
            ticket.attempts += 1
            if ticket.attempts >= MAX_ATTEMPTS:
                codes.void(ticket, "locked")
                raise Refusal(key=SPENT["locked"])
            left = MAX_ATTEMPTS - ticket.attempts
            raise Refusal(key="pairing_desk.wrong_code_left", left=left)
        role = str(request.get("role"))
        if role != ticket.role:
            if ticket.role == "supervisor":
                raise Refusal(key="pairing_desk.code_for_supervisor", issued=ticket.role, role=role)
            raise Refusal(key="pairing_desk.code_for_expert", issued=ticket.role, role=role)
        stamp = request.get("time")
        if not isinstance(stamp, int) or abs(time.time() - stamp) > wire.EXPIRY_SECONDS:
            raise Refusal(key="pairing_desk.clock_off")
        try:
            key = key_from_json(request.get("key"))
        except ValueError as exc:
            raise Refusal(key="pairing_desk.bad_key", exc=exc) from None
        with room.seat_lock():
            holder = state.authors.get(key.key_id)
            name = ticket.member if role == "supervisor" else state.members[ticket.member].name
        if holder is not None or any(o.key == key for o in self._offers.values()):
            who = holder.label if holder is not None else "another pairing"
            raise Refusal(key="pairing_desk.key_bound", who=who)
        member = ticket.member
        made = _Offer(member, role, name, key, session.store.session_id, codes.clock(), code_id,
                      str(request.get("nonce")), ticket.code_hash, ticket=ticket)
        if not self._send(client, rid, made):  # the hub forgot the request meanwhile: the code still works
            return None
        codes.void(ticket, "used")  # spent: one offer per code
        self._offers[rid] = made
        return PairingOutcome(rid, "offered", member, role, key_id=key.key_id)

    def _resumed(self, request: dict[str, Any]) -> str | None:
        """The request id of the offer made for this very request (same code, key, nonce and proof), if any."""
        for rid, offer in self._offers.items():
            if (offer.nonce == request.get("nonce") and offer.code_id == request.get("code_id")
                    and request.get("key") == key_to_json(offer.key) and wire.proof_valid(offer.hmac_key, request)):
                return rid
        return None

    def _send(self, client: CenterClient, rid: str, made: _Offer) -> bool:
        """Post the offer for ``made`` to request ``rid``, signed by the room key."""
        room = self.room
        offer: dict[str, Any] = {"request_id": rid, "code_id": made.code_id, "nonce": made.nonce,
                                 "key": key_to_json(made.key), "role": made.role, "session": made.session,
                                 "member": made.member, "name": made.name, "room": room.room_id, "time": utc_stamp()}
        fingerprint = room.ca_fingerprint()
        if fingerprint:
            offer["ca_fingerprint"] = fingerprint
        return self._post(client, rid, {"offer": wire.sign_offer(room.key, offer)})

    # -- a countersigned offer ----------------------------------------------------------------------
    def _record(self, client: CenterClient, rid: str, item: dict[str, Any]) -> PairingOutcome | None:
        offer = self._offers.get(rid)
        if offer is None:
            raise Refusal(key="pairing_desk.expired")
        binding = item.get("binding")
        session = self.room.pairing_session()
        assert session is not None
        if not binding_valid(offer.key, offer.session, offer.member, binding):
            raise Refusal(key="pairing_desk.binding_not_for_member", member=offer.member)
        assert isinstance(binding, str)
        certificate = None
        if offer.role != "supervisor" and offer.event is None:
            try:
                certificate = self._certificate(rid, offer, item.get("certificate"))
            except Refusal:
                if offer.ticket is not None:
                    self.room.codes.restore(offer.ticket)  # the same code, with another certificate or none
                raise
        if offer.event is not None:  # written already (the hub restarted before it learnt the event): say it again
            self._post(client, rid, {"event": offer.event})
            return PairingOutcome(rid, "checked_in", offer.member, offer.role, event=offer.event,
                                  key_id=offer.key.key_id)
        try:
            with self.room.seat_lock():
                if offer.role == "supervisor":
                    ev = session.register_supervisor_key(offer.name, offer.key, binding)
                else:
                    current = session.state.members[offer.member].author  # a new pairing replaces the key held now
                    ev = session.check_in_key(offer.member, offer.key, binding, desk=self.desk, replaces=current,
                                              certificate=certificate)
        except ActionRefused as exc:
            raise Refusal(key="pairing_desk.checkin_refused", exc=exc) from None
        offer.event = ev.id  # kept (30 min): the same request posted again after a hub restart is answered again
        self._post(client, rid, {"event": ev.id})
        return PairingOutcome(rid, "checked_in", offer.member, offer.role, event=ev.id, key_id=offer.key.key_id)


    def _certificate(self, rid: str, offer: _Offer, value: Any) -> dict[str, Any] | None:
        """The certificate the PC sent with its binding (None: none), checked: it signs the binding of this session
        key to this member, and the console's trust store accepts it now. A :class:`Refusal` names it otherwise.
        With ``trust_ocsp`` the responders are asked on the desk's OCSP pool: :class:`_Pending` until they answered
        (this round returns at once; the request is taken up again at a later one), nothing written before."""
        if value is None:
            return None
        try:
            cert, chain, signature = certified.parse(value)
        except ValueError as exc:
            raise Refusal(key="pairing_desk.cert_unreadable", exc=exc) from None
        message = certified.checkin_message(offer.session, offer.member, offer.key.key_id, cert)
        if not certified.signature_valid(cert, signature, message):
            raise Refusal(key="pairing_desk.cert_signature", name=cert.subject.rfc4514_string())
        from app.services.certificates import CertificateRefused, TrustStoreError, check_certificate, check_ocsp

        try:
            trust = self.room.certificate_trust()
            check_certificate(trust, cert, chain, online=False)
            if trust.ocsp:
                lookup = self._ocsp.get(rid)
                if lookup is None:
                    if self._ocsp_pool is None:
                        self._ocsp_pool = ThreadPoolExecutor(OCSP_THREADS, thread_name_prefix="checkin-ocsp")
                    self._ocsp[rid] = self._ocsp_pool.submit(check_ocsp, trust, cert, chain)
                    raise _Pending(key="pairing_desk.ocsp_pending")
                if not lookup.done():
                    raise _Pending(key="pairing_desk.ocsp_pending")
                del self._ocsp[rid]
                lookup.result()
        except (CertificateRefused, TrustStoreError) as exc:
            raise Refusal.recast(exc) from None
        return {"cert": value["cert"], "chain": list(value.get("chain", [])), "signature": value["signature"]}


__all__ = ["CODE_MINUTES", "MAX_ATTEMPTS", "Codes", "PairingDesk", "PairingHost", "PairingOutcome", "SyncError",
           "Ticket"]
