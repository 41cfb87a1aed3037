"""Errors of the rule engine that a user can act on."""

from __future__ import annotations


class CaseError(ValueError):
    """Malformed case input. ``path`` names the field (``scores.E3.B2.T1``); str() is one line."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message
