"""``GET /v1/room-ca``: the room's LAN CA certificate, public, for a PC pairing with the hub the first time.

The PC fetches it over the hub's TLS connection before it trusts anything, shows its fingerprint for a person
to compare with the check-in desk's, and pins it (``app.sync.pinning``). The hub serves the file given as
``hub serve --room-ca PEM`` (``app.state.room_ca``: its bytes); without one the route answers 404.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from app.crypto.room_ca import fingerprint, sha256_hex

ROUTE = "/v1/room-ca"


def register(app: FastAPI) -> None:
    app.state.room_ca = None

    @app.get(ROUTE, tags=["public"])
    async def room_ca() -> Any:
        """The room's LAN CA certificate (PEM), its SHA-256 and the short fingerprint people compare."""
        pem: bytes | None = app.state.room_ca
        if pem is None:
            return JSONResponse({"error": "this hub publishes no room CA (hub serve --room-ca PEM)"}, status_code=404)
        return {"pem": pem.decode("ascii"), "sha256": sha256_hex(pem), "fingerprint": fingerprint(pem)}
