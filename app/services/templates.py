"""The document templates as services and the GUI use them (the wording lives in :mod:`app.reports.templates`)."""

from __future__ import annotations

from app.reports.templates import (
    COMMITMENT_LETTER,
    SUPERVISOR_LETTER,
    SUPERVISOR_ROLE,
    FilledTemplate,
    commitment_letter,
)

__all__ = ["COMMITMENT_LETTER", "SUPERVISOR_LETTER", "SUPERVISOR_ROLE", "FilledTemplate", "commitment_letter"]
