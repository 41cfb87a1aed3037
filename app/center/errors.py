"""How the center refuses a request: an HTTP status and a one-line reason."""

from __future__ import annotations

from typing import Any


class AuthError(Exception):
    """A request that is not authenticated (401) or not allowed (403/409)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class Refused(Exception):
    """A request the center refuses (status, one-line reason)."""

    def __init__(self, status: int, reason: str, detail: Any = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.detail = status, reason, detail
