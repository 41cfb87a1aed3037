"""The FastAPI application of the center (and of the room hub: the same service, ``role="hub"``).

Routes (OpenAPI at ``/openapi.json``, docs at ``/docs``):

- public: ``GET /healthz``, ``GET /v1/center`` (the center's public key), ``GET /v1/room-ca`` (a hub's LAN
  CA certificate, ``app/center/room_ca.py``), ``GET /`` (a page with the service's
  health only: what the center holds is not shown to anyone who can reach it)
- signed by an enrolled observer (the supervision platform, ``center enroll --observer``): ``GET /v1/status``
  (sessions, rooms, archives, refused requests)
- signed by an enrolled room (``protocol.py``): ledger frontier, push and pull; resumable archive upload
  (begin, status, chunks with SHA-256, complete); ``GET /v1/stream`` (server-sent events of session progress)
- signed by a session member's key (``key:KEY_ID``, an expert workstation at the room hub, declared by the
  session's check-in): frontier, push and pull of that session only
- the room hub only: ``/v1/pairing/*`` (``app/center/pairing.py``), where an expert's or supervisor's PC
  pairs with the console by the one-time code of the check-in desk
- optionally mutual TLS underneath (``center serve --client-ca``): the TLS layer refuses clients without a
  certificate from the configured CA before any of this runs

A refused request (401 unsigned/unenrolled/stale, 403 wrong key, 409 replayed nonce, …) gets a one-line
``{"error": ...}`` and an audit row.
"""

from __future__ import annotations

import asyncio
import html
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from app.center import links, media, pairing, protocol, room_ca
from app.center.chunks import receive_chunk
from app.center.service import AuthError, Center, Declined
from app.ledger.canonical import MAX_INT

# A count or sequence number within the ledger's whole numbers (canonical JSON: 0 to 2**53 - 1). Larger ones
# used to fail in SQLite (OverflowError past 64 bits) or canonical JSON (CanonicalError) with a 500: now a 422.
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
BINARY_BODY = {"schema": {"type": "string", "format": "binary"}}  # an archive chunk's body, in the OpenAPI


class PushBody(BaseModel):
    records: list[dict[str, Any]] = Field(description="event records {alg, event, id, sig} as in an exported feed")


class PullBody(BaseModel):
    frontier: dict[str, Count] = Field(default_factory=dict, description="{author key id: last seq held}")
    limit: int = Field(1000, ge=1, le=5000)


class FileEntry(BaseModel):
    path: str
    size: Count
    sha256: str


class ArchiveBegin(BaseModel):
    session: str
    chunk_size: int = protocol.CHUNK_SIZE
    files: list[FileEntry]


def create_app(center: Center) -> FastAPI:
    role = center.config.role
    app = FastAPI(title=f"EvalRoom {role}", version="1",
                  description="Store-and-forward of session ledgers and archives (issue #7). Every /v1 call but "
                              "/v1/center is signed by an enrolled key (/v1/status: an observer's).")
    app.state.center = center

    @app.exception_handler(AuthError)
    async def _auth_error(request: Request, exc: AuthError) -> JSONResponse:
        await run_in_threadpool(center.audit, request.headers.get(protocol.H_ROOM), request.method, _target(request),
                                exc.status, exc.reason)
        return JSONResponse({"error": exc.reason}, status_code=exc.status)

    @app.exception_handler(Declined)
    async def _refused(request: Request, exc: Declined) -> JSONResponse:
        await run_in_threadpool(center.audit, request.headers.get(protocol.H_ROOM), request.method, _target(request),
                                exc.status, exc.reason)
        body: dict[str, Any] = {"error": exc.reason}
        if exc.detail:
            body.update(exc.detail)
        return JSONResponse(body, status_code=exc.status)

    async def room(request: Request) -> Any:
        body = await request.body()

        def check() -> Any:
            return center.authenticate(request.method, _target(request), request.headers, body)

        who = await run_in_threadpool(check)
        if getattr(who, "kind", None) == "member":
            center.pending.report(who.id, request.headers.get(links.H_PENDING))
        return who

    async def room_unrecorded(request: Request) -> tuple[Any, tuple[str, Any]]:
        """Like ``room``, but the nonce is only checked here: the call records it in its own write (one commit)."""
        body = await request.body()

        def check() -> Any:
            return center.authenticate(request.method, _target(request), request.headers, body, record_nonce=False)

        who = await run_in_threadpool(check)
        if getattr(who, "kind", None) == "member":
            center.pending.report(who.id, request.headers.get(links.H_PENDING))
        return who, (who.id, request.headers)

    room_ca.register(app)  # GET /v1/room-ca: the LAN CA a pairing PC pins
    media.register(app, center, room)  # PUT/GET /v1/sessions/{s}/media/{sha256}: what events name by SHA-256
    if role == "hub":  # /v1/pairing/*: an expert's or supervisor's PC meets the console (app/center/pairing.py)
        pairing.register(app, center)

    @app.get("/healthz", tags=["public"])
    async def healthz() -> dict[str, Any]:
        return {"ok": True, "role": role}

    @app.get("/v1/center", tags=["public"])
    async def center_info() -> dict[str, Any]:
        return {"role": role, "key_id": center.key.key_id, "alg": center.key.alg,
                "public_key": center.key.public.to_pem().decode("ascii")}

    @app.get("/", response_class=HTMLResponse, tags=["public"])
    async def status_page() -> str:
        return _health_html(role)

    @app.get("/v1/status", tags=["supervision"])
    async def status_json(who: Any = Depends(room)) -> dict[str, Any]:
        """Sessions, rooms, archives and the count of refused requests: for an enrolled observer only."""
        if who.kind != "observer":
            raise AuthError(403, "the center's status is shown to an enrolled observer only (center enroll --observer)")
        return await run_in_threadpool(center.overview)

    async def room_only(who: Any = Depends(room)) -> Any:
        if who.kind == "member":
            raise AuthError(403, "a session member's key may sync its session's ledger only")
        return who

    @app.get("/v1/sessions", tags=["ledger"])
    async def sessions(who: Any = Depends(room)) -> dict[str, Any]:
        """The sessions the caller may sync: a room's own and those it is a venue (副场) of; a member key's own."""
        return {"sessions": await run_in_threadpool(center.sessions_of, who)}

    @app.get("/v1/sessions/{session}/frontier", tags=["ledger"])
    async def frontier(session: str, who: Any = Depends(room)) -> dict[str, Any]:
        return {"session": session, "frontier": await run_in_threadpool(center.frontier, who, session)}

    @app.post("/v1/sessions/{session}/events", tags=["ledger"])
    async def push(session: str, body: PushBody,
                   signed: tuple[Any, tuple[str, Any]] = Depends(room_unrecorded)) -> dict[str, Any]:
        return await run_in_threadpool(center.push, signed[0], session, body.records, signed[1])

    @app.get("/v1/sessions/{session}/venues", tags=["remote evaluation"])
    async def venues(session: str, who: Any = Depends(room)) -> dict[str, Any]:
        """主场 and 副场 of a session with each venue's last contact and link status (R-SUS-6/7 timers start on a
        down link)."""
        return {"session": session, "venues": await run_in_threadpool(center.venues, who, session)}

    @app.get("/v1/sessions/{session}/links", tags=["ledger"])
    async def member_links(session: str, who: Any = Depends(room)) -> dict[str, Any]:
        """Each paired PC of the session (its check-in key): when the hub last heard from it and how many of its
        events it said were waiting to be sent (for the console's progress page)."""
        return {"session": session, "links": await run_in_threadpool(center.links, who, session)}

    @app.post("/v1/sessions/{session}/pull", tags=["ledger"])
    async def pull(session: str, body: PullBody, who: Any = Depends(room)) -> dict[str, Any]:
        return await run_in_threadpool(center.pull, who, session, body.frontier, body.limit)

    @app.post("/v1/archives/{archive}", tags=["archives"])
    async def archive_begin(archive: str, body: ArchiveBegin, who: Any = Depends(room_only)) -> dict[str, Any]:
        files = [f.model_dump() for f in body.files]
        return await run_in_threadpool(center.archive_begin, who, archive, body.session, files, body.chunk_size)

    @app.get("/v1/archives/{archive}", tags=["archives"])
    async def archive_status(archive: str, who: Any = Depends(room_only)) -> dict[str, Any]:
        return await run_in_threadpool(center.archive_status, who, archive)

    @app.put("/v1/archives/{archive}/files/{file_index}/chunks/{chunk}", tags=["archives"],
             openapi_extra={"requestBody": {"content": {"application/octet-stream": BINARY_BODY}}})
    async def archive_chunk(archive: str, file_index: int, chunk: int, request: Request) -> dict[str, Any]:
        """Signed like every call, over the SHA-256 in X-Chunk-SHA256; the body is written as it arrives."""
        return await receive_chunk(center, request, _target(request), archive, file_index, chunk)

    @app.post("/v1/archives/{archive}/complete", tags=["archives"])
    async def archive_complete(archive: str, who: Any = Depends(room_only)) -> dict[str, Any]:
        return await run_in_threadpool(center.archive_complete, who, archive)

    @app.get("/v1/stream", tags=["supervision"], response_class=StreamingResponse)
    async def stream(request: Request, session: str | None = None, after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
                     seconds: float = 3600.0, who: Any = Depends(room)) -> StreamingResponse:
        """Server-sent events: one ``ledger`` event per stored event (session, author, seq, type, time, id)."""
        if session:
            await run_in_threadpool(center._may_read_session, who, session)
        elif who.kind == "member":
            raise AuthError(403, "a session member's key may follow its own session only (?session=…)")

        async def events() -> AsyncIterator[bytes]:
            position, deadline = after, time.monotonic() + seconds
            yield b": evalroom stream\n\n"
            while time.monotonic() < deadline and not await request.is_disconnected():
                rows = await run_in_threadpool(center.events_after, session, position)
                for row in rows:
                    position = row["pos"]
                    yield f"id: {position}\nevent: ledger\ndata: {json.dumps(row, sort_keys=True)}\n\n".encode()
                if not rows:
                    await asyncio.sleep(0.3)

        return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    return app


def _target(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def _health_html(role: str) -> str:
    """The public page: that the service runs, and where its status is for those allowed to see it."""
    return (
        "<!doctype html><html lang=zh-CN><head><meta charset=utf-8><title>EvalRoom 交易中心</title>"
        "<style>body{font-family:sans-serif;margin:2em}</style></head><body>"
        f"<h1>EvalRoom {html.escape(role)} — 运行正常 / running</h1>"
        "<p>会话、评标室和归档的状态仅向已登记的监督方提供（已签名的 GET /v1/status）。 / "
        "The status of sessions, rooms and archives is given to an enrolled observer only (a signed GET "
        "/v1/status).</p>"
        "</body></html>"
    )
