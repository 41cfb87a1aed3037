"""Pairing at the room hub: an expert's or supervisor's PC meets the console through the hub (``pairing_protocol``).

The hub only keeps pending requests in memory (bounded, 30 minutes each, at most ``PER_CODE`` a code id); it
never sees a code and decides nothing: the console, which issued the code, answers.

- PC: ``POST /v1/pairing/requests`` (the request with its proof) → ``{"request_id"}``
- PC: ``GET /v1/pairing/requests/{id}`` → ``status``: ``pending`` | ``refused`` (``refusal``: reason_zh,
  reason_en) | ``offered`` (``offer``: signed by the room key; ``room_key``: the key of the room that answered)
  | ``countersigned`` | ``recording`` (the console wrote the check-in; the hub does not hold it yet) | ``bound``
  (``event``: the check-in event the hub holds)
- PC: ``POST /v1/pairing/requests/{id}/binding`` ``{"binding"}``: the PC's countersignature of the offer
- console (signed as an enrolled room): ``GET /v1/pairing/pending`` (requests to answer, bindings to record);
  ``POST /v1/pairing/answers/{id}`` with one of ``offer`` (signed), ``refusal`` or ``event`` (the check-in's id)
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from app.center import pairing_protocol as wire
from app.center.errors import AuthError, Declined
from app.center.storage import db
from app.ledger.authors import key_from_json, key_to_json

PER_CODE = 5  # requests a code id may make while its requests live (a code is tried at most this often here)
MAX_LIVE = 500  # requests held at once (bounded memory); more are refused with 503 until some expire
PER_SOURCE = 50  # requests held at once from one address (one device on the LAN cannot fill the board)
MAX_CERTIFICATE = 64 * 1024  # a member's certificate with its chain, base64 (real ones are a few KiB)
REFUSED_KEPT = 120  # seconds a refused request stays to be polled (then only its code id's count remains)


class KeyBody(BaseModel):
    alg: str = Field(max_length=32)
    public: str = Field(max_length=200)


class PairingRequestBody(BaseModel):
    code_id: str = Field(pattern=r"^[0-9a-f]{8}$")
    role: str = Field(pattern=r"^(expert|supervisor)$")
    key: KeyBody
    nonce: str = Field(min_length=16, max_length=128)
    time: int = Field(ge=0, le=2**53 - 1)
    name: str | None = Field(None, max_length=100)
    proof: str = Field(pattern=r"^[0-9a-f]{64}$")


class BindingBody(BaseModel):
    binding: str = Field(max_length=200)
    #: the member's certificate (``app.ledger.certified``: cert, chain, signature; base64 DER), passed to the console
    certificate: dict[str, Any] | None = Field(None, description="{cert, chain, signature}: the member's certificate")


class Refusal(BaseModel):
    reason_zh: str = Field(max_length=500)
    reason_en: str = Field(max_length=500)


class AnswerBody(BaseModel):
    offer: dict[str, Any] | None = Field(None, description="{offer, alg, sig}: the offer signed by the room key")
    refusal: Refusal | None = None
    event: str | None = Field(None, pattern=r"^[0-9a-f]{64}$", description="the id of the check-in event written")


@dataclass
class Pending:
    id: str
    request: dict[str, Any]
    created: float
    source: str = ""  # the client address
    refused_at: float | None = None
    status: str = "pending"  # pending | offered | refused | countersigned | recorded
    offer: dict[str, Any] | None = None
    room: str | None = None
    room_key: dict[str, str] | None = None
    refusal: dict[str, str] | None = None
    binding: str | None = None
    certificate: dict[str, Any] | None = None
    event: str | None = None


@dataclass
class Board:
    """The hub's pending pairings (memory only: a restarted hub forgets them, the PC asks again)."""

    clock: Callable[[], float] = time.monotonic
    requests: dict[str, Pending] = field(default_factory=dict)
    tries: dict[str, list[float]] = field(default_factory=dict)  # code id -> times of its requests

    def expire(self) -> None:
        now = self.clock()
        for rid in [r.id for r in self.requests.values() if now - r.created > wire.EXPIRY_SECONDS
                    or (r.refused_at is not None and now - r.refused_at > REFUSED_KEPT)]:
            del self.requests[rid]
        for cid in list(self.tries):
            self.tries[cid] = [t for t in self.tries[cid] if now - t <= wire.EXPIRY_SECONDS]
            if not self.tries[cid]:
                del self.tries[cid]

    def add(self, request: dict[str, Any], source: str = "") -> Pending:
        self.expire()
        cid = request["code_id"]
        if len(self.tries.get(cid, ())) >= PER_CODE:
            raise Declined(429, f"code {cid}: {PER_CODE} pairing requests already; the desk issues a new code",
                           {"reason_zh": "此登录码的配对尝试次数过多，请到签到台重新获取登录码",
                            "reason_en": "too many pairing attempts with this code: ask the check-in desk "
                                         "for a new one"})
        if len(self.requests) >= MAX_LIVE or len(self.tries) >= MAX_LIVE:
            raise Declined(503, "too many pairing requests are pending: try again in a few minutes")
        if source and sum(1 for r in self.requests.values() if r.source == source) >= PER_SOURCE:
            raise Declined(429, f"{PER_SOURCE} pairing requests from {source} are pending already: try again later")
        if any(r.request["nonce"] == request["nonce"] for r in self.requests.values()):
            raise Declined(409, "replayed pairing request (nonce already used)")
        entry = Pending(secrets.token_hex(16), request, self.clock(), source)
        self.requests[entry.id] = entry
        self.tries.setdefault(cid, []).append(entry.created)
        return entry

    def get(self, request_id: str) -> Pending:
        self.expire()
        entry = self.requests.get(request_id)
        if entry is None:
            raise Declined(404, f"no pairing request {request_id[:16]} here "
                                f"(expired, or the hub restarted: pair again)")
        return entry


def register(app: FastAPI, center: Any) -> Board:
    board = Board()
    app.state.pairing = board

    async def console(request: Request) -> Any:
        body = await request.body()
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        who = await run_in_threadpool(center.authenticate, request.method, target, request.headers, body)
        if getattr(who, "kind", None) != "room":
            raise AuthError(403, "pairings are answered by an enrolled room console only")
        return who

    @app.post("/v1/pairing/requests", tags=["pairing"])
    async def post_request(body: PairingRequestBody, http: Request) -> dict[str, Any]:
        """A PC asks to pair (nothing is authenticated here: the console checks the proof)."""
        request = body.model_dump(exclude_none=True)
        try:
            key_from_json(request["key"])
        except ValueError as exc:
            raise Declined(422, f"key: {exc}") from None
        entry = board.add(request, http.client.host if http.client else "")
        return {"request_id": entry.id, "status": entry.status}

    @app.get("/v1/pairing/requests/{request_id}", tags=["pairing"])
    async def poll(request_id: str) -> dict[str, Any]:
        entry = board.get(request_id)
        out: dict[str, Any] = {"request_id": entry.id, "status": entry.status}
        if entry.status == "refused":
            out["refusal"] = entry.refusal
        if entry.offer is not None:
            out.update(offer=entry.offer, room=entry.room, room_key=entry.room_key)
        if entry.status == "recorded":
            held = await run_in_threadpool(_holds, center, entry.event)
            out.update(status="bound" if held else "recording", event=entry.event)
        return out

    @app.post("/v1/pairing/requests/{request_id}/binding", tags=["pairing"])
    async def binding(request_id: str, body: BindingBody) -> dict[str, Any]:
        entry = board.get(request_id)
        if entry.status != "offered":
            raise Declined(409, f"pairing request {request_id[:16]} is {entry.status}, not offered")
        if body.certificate is not None and len(json.dumps(body.certificate)) > MAX_CERTIFICATE:
            raise Declined(413, f"the certificate is larger than {MAX_CERTIFICATE} bytes")
        entry.binding, entry.certificate, entry.status = body.binding, body.certificate, "countersigned"
        return {"request_id": entry.id, "status": entry.status}

    @app.get("/v1/pairing/pending", tags=["pairing"])
    async def pending(who: Any = Depends(console)) -> dict[str, Any]:
        """What the console has to do: requests to answer (``pending``), bindings to record (``countersigned``)."""
        board.expire()
        now = board.clock()
        return {"requests": [
            {"request_id": r.id, "status": r.status, "request": r.request, "binding": r.binding,
             "age": int(now - r.created), **({"certificate": r.certificate} if r.certificate is not None else {})}
            for r in board.requests.values()
            if r.status == "pending" or (r.status == "countersigned" and r.room == who.id)]}

    @app.post("/v1/pairing/answers/{request_id}", tags=["pairing"])
    async def answer(request_id: str, body: AnswerBody, who: Any = Depends(console)) -> dict[str, Any]:
        entry = board.get(request_id)
        given = [x for x in (body.offer, body.refusal, body.event) if x is not None]
        if len(given) != 1:
            raise Declined(422, "answer with exactly one of offer, refusal or event")
        if entry.room is not None and entry.room != who.id:
            raise Declined(403, f"pairing request {request_id[:16]} is answered by room {entry.room}")
        if body.refusal is not None:
            if entry.status in ("refused", "recorded"):
                raise Declined(409, f"pairing request {request_id[:16]} is {entry.status} already")
            entry.status, entry.refusal, entry.room = "refused", body.refusal.model_dump(), who.id
            entry.refused_at = board.clock()
        elif body.offer is not None:
            if entry.status != "pending":
                raise Declined(409, f"pairing request {request_id[:16]} is {entry.status}, not pending")
            from app.crypto.keys import VerifyingKey

            room_key = VerifyingKey(who.alg, who.public_key)
            offer = body.offer.get("offer") if isinstance(body.offer.get("offer"), dict) else None
            if not wire.offer_valid(body.offer, room_key) or offer is None:
                raise Declined(422, "the offer is not signed by this room's enrolled key")
            if offer.get("request_id") != entry.id or offer.get("nonce") != entry.request["nonce"]:
                raise Declined(422, "the offer answers another pairing request")
            owner = await run_in_threadpool(_session_room, center, str(offer.get("session")), who.id)
            if owner is not None and owner != who.id:
                raise Declined(403, f"session {offer.get('session')} belongs to room {owner}, not {who.id}")
            entry.status, entry.offer, entry.room, entry.room_key = "offered", body.offer, who.id, key_to_json(room_key)
        else:
            if entry.status != "countersigned":
                raise Declined(409, f"pairing request {request_id[:16]} is {entry.status}, not countersigned")
            entry.status, entry.event = "recorded", body.event
        return {"request_id": entry.id, "status": entry.status}

    return board


def _holds(center: Any, event_id: str | None) -> bool:
    if not event_id:
        return False
    with db.reading(center.engine) as c:
        return c.execute(select(db.events.c.id).where(db.events.c.id == event_id).limit(1)).first() is not None


def _session_room(center: Any, session: str, room: str) -> str | None:
    """The room that owns ``session`` here, or ``room`` itself when it is one of the session's venues (a remote
    venue's console pairs the PCs of the members seated there); None: the session is not held here."""
    with db.reading(center.engine) as c:
        row = c.execute(select(db.sessions.c.room).where(db.sessions.c.id == session)).first()
        venue = c.execute(select(db.venues.c.room).where(db.venues.c.session == session,
                                                         db.venues.c.room == room)).first()
    return None if row is None else room if venue is not None else str(row.room)


__all__ = ["Board", "MAX_LIVE", "PER_CODE", "Pending", "register"]
