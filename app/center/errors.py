"""How the center refuses a request: an HTTP status and a one-line reason."""

from __future__ import annotations

from typing import Any

from app.errors import EvalRoomError


class AuthError(EvalRoomError):
    """A request that is not authenticated (401) or not allowed (403/409)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class Declined(EvalRoomError):
    """A request the center declines (status, one-line reason). Not :class:`app.ledger.refusal.Refused`, a fold's
    refusal of an event; the client sees it as :class:`app.sync.client.CenterRefused`."""

    def __init__(self, status: int, reason: str, detail: Any = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.detail = status, reason, detail
