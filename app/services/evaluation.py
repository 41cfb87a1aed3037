"""Evaluate a case headless (`evalroom evaluate`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.domain.case_parse import parse_case
from app.domain.evaluate import evaluate
from app.reports.result_json import dump_result
from app.services.case_files import load_case

__all__ = ["dump_result", "evaluate_document", "evaluate_file"]


def evaluate_file(path: str | Path) -> dict[str, Any]:
    """The result JSON document for the case file at ``path``."""
    return evaluate(load_case(path)).to_json()


def evaluate_document(document: dict[str, Any]) -> dict[str, Any]:
    """The result JSON document for a case already decoded from JSON (a session's ``case_document()``)."""
    return evaluate(parse_case(document)).to_json()
