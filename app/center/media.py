"""Media a session's events name by SHA-256 (a handwritten signature's image and strokes, issue 14): the member's
own PC sends them through its outbox, the console fetches them for its session folder and the archive.

``PUT /v1/sessions/{session}/media/{sha256}`` stores the body (at most :data:`MAX_MEDIA` bytes, hashing to the
SHA-256 in the path) for a caller that may write the session (its room, a venue, a member key the session
declared) and answers a signed receipt; storing it again is a no-op. ``GET`` the same path returns the bytes to a
caller that may read the session. The blobs are kept in the service's blob store under ``media/SESSION/SHA256``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app.center import protocol
from app.center.errors import Declined
from app.center.storage import db

# a signature's PNG is tens of kB, its strokes a few; a report PDF (members' PCs show it) a few MB; a bid file (the
# experts' PCs read it beside the grid) up to tens of MB for a scanned 300-page bid
MAX_MEDIA = 64 * 1024 * 1024
DIGEST = re.compile(r"[0-9a-f]{64}")


def _key(session: str, digest: str) -> str:
    if not DIGEST.fullmatch(digest):
        raise Declined(400, "the media's name must be its SHA-256 (64 lowercase hex digits)")
    return f"media/{session}/{digest}"


def put_media(center: Any, who: Any, session: str, digest: str, data: bytes) -> dict[str, Any]:
    key = _key(session, digest)
    if len(data) > MAX_MEDIA:
        raise Declined(413, f"media of {len(data)} bytes: at most {MAX_MEDIA} bytes")
    if hashlib.sha256(data).hexdigest() != digest:
        raise Declined(400, "the body does not hash to the SHA-256 in the path")
    with db.reading(center.engine) as c:
        if center._may_write(c, who, session) is None:
            raise Declined(404, f"no session {session} here (its events come first)")
    if not center.blobs.exists(key):
        center.blobs.put(key, data)
    receipt = protocol.sign_receipt(center.key, {"kind": "media", "session": session, "sha256": digest,
                                                 "bytes": len(data)})
    return {"stored": len(data), "receipt": receipt}


def get_media(center: Any, who: Any, session: str, digest: str) -> bytes:
    key = _key(session, digest)
    center._may_read_session(who, session)
    if not center.blobs.exists(key):
        raise Declined(404, f"no media {digest[:12]} of session {session} here")
    data: bytes = center.blobs.get(key)
    return data


async def bounded(request: Request) -> None:
    """Refuse a body declared larger than :data:`MAX_MEDIA` before it is read (the signature check reads it)."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_MEDIA):
        raise Declined(413, f"media of {length} bytes: at most {MAX_MEDIA} bytes")


def register(app: FastAPI, center: Any, room: Callable[..., Any]) -> None:
    """The two routes, authenticated by ``room`` (the application's signed-request dependency)."""

    @app.put("/v1/sessions/{session}/media/{digest}", tags=["ledger"],
             openapi_extra={"requestBody": {"content": {"application/octet-stream": {
                 "schema": {"type": "string", "format": "binary"}}}}})
    async def media_put(session: str, digest: str, request: Request, _: None = Depends(bounded),
                        who: Any = Depends(room)) -> dict[str, Any]:
        """Store a medium a session's event names by SHA-256 (signed like every call; at most MAX_MEDIA bytes)."""
        body = await request.body()  # read once already by the signature check: cached
        return await run_in_threadpool(put_media, center, who, session, digest, body)

    @app.get("/v1/sessions/{session}/media/{digest}", tags=["ledger"], response_class=Response)
    async def media_get(session: str, digest: str, who: Any = Depends(room)) -> Response:
        """The medium of that SHA-256, for a caller that may read the session."""
        data = await run_in_threadpool(get_media, center, who, session, digest)
        return Response(data, media_type="application/octet-stream")
