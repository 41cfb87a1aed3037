"""The FastAPI application of the center (and of the room hub: the same service, ``role="hub"``).

Routes (OpenAPI at ``/openapi.json``, docs at ``/docs``):

- public: ``GET /healthz``, ``GET /v1/center`` (the center's public key), ``GET /`` (status page, read
  only), ``GET /v1/status`` (the same as JSON)
- signed by an enrolled room (``protocol.py``): ledger frontier, push and pull; resumable archive upload
  (begin, status, chunks with SHA-256, complete); ``GET /v1/stream`` (server-sent events of session progress)
- signed by a session member's key (``key:KEY_ID``, an expert workstation at the room hub, declared by the
  session's check-in): frontier, push and pull of that session only
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

from app.center import protocol
from app.center.chunks import receive_chunk
from app.center.service import AuthError, Center, Refused
from app.ledger.canonical import MAX_INT

# A count or sequence number within the ledger's whole numbers (canonical JSON: 0 to 2**53 - 1). Larger ones
# used to fail in SQLite (OverflowError past 64 bits) or canonical JSON (CanonicalError) with a 500: now a 422.
Count = Annotated[int, Field(ge=0, le=MAX_INT)]


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
                              "/v1/center and /v1/status is signed by an enrolled room key.")
    app.state.center = center

    @app.exception_handler(AuthError)
    async def _auth_error(request: Request, exc: AuthError) -> JSONResponse:
        await run_in_threadpool(center.audit, request.headers.get(protocol.H_ROOM), request.method, _target(request),
                                exc.status, exc.reason)
        return JSONResponse({"error": exc.reason}, status_code=exc.status)

    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused) -> JSONResponse:
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

        return await run_in_threadpool(check)

    @app.get("/healthz", tags=["public"])
    async def healthz() -> dict[str, Any]:
        return {"ok": True, "role": role}

    @app.get("/v1/center", tags=["public"])
    async def center_info() -> dict[str, Any]:
        return {"role": role, "key_id": center.key.key_id, "alg": center.key.alg,
                "public_key": center.key.public.to_pem().decode("ascii")}

    @app.get("/v1/status", tags=["public"])
    async def status_json() -> dict[str, Any]:
        return await run_in_threadpool(center.overview)

    @app.get("/", response_class=HTMLResponse, tags=["public"])
    async def status_page() -> str:
        return _status_html(await run_in_threadpool(center.overview))

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
    async def push(session: str, body: PushBody, who: Any = Depends(room)) -> dict[str, Any]:
        return await run_in_threadpool(center.push, who, session, body.records)

    @app.get("/v1/sessions/{session}/venues", tags=["remote evaluation"])
    async def venues(session: str, who: Any = Depends(room)) -> dict[str, Any]:
        """主场 and 副场 of a session with each venue's last contact and link status (R-SUS-6/7 timers start on a down link)."""
        return {"session": session, "venues": await run_in_threadpool(center.venues, who, session)}

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
             openapi_extra={"requestBody": {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
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


def _status_html(view: dict[str, Any]) -> str:
    def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(r.get(c)))}</td>" for c in columns) + "</tr>" for r in rows)
        return f"<table><tr>{head}</tr>{body or '<tr><td colspan=9>none</td></tr>'}</table>"

    return (
        "<!doctype html><html lang=zh-CN><head><meta charset=utf-8><title>EvalRoom 交易中心 status</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}"
        "td,th{border:1px solid #999;padding:.3em .6em;font-size:90%}</style></head><body>"
        f"<h1>EvalRoom {html.escape(view['role'])} — 状态 status</h1>"
        f"<p>center key {html.escape(view['center_key'][:16])}…; refused requests (audited): {view['refused_requests']}</p>"
        "<h2>评标会话 Sessions</h2>" + table(view["sessions"], ["id", "room", "venues", "events", "incidents", "last_received"]) +
        "<h2>评标室 Rooms</h2>" + table(view["rooms"], ["id", "kind", "key_id", "enrolled_at", "last_contact"]) +
        "<h2>归档 Archives</h2>" + table(view["archives"], ["id", "session", "room", "status", "files", "completed_at"]) +
        "</body></html>"
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, int) and value > 1_000_000_000:
        return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(value))
    return str(value)

