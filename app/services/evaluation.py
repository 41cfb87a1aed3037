"""Evaluate a case headless (`evalroom evaluate`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.domain.case_parse import parse_case
from app.domain.evaluate import evaluate
from app.reports.result_json import dump_result

__all__ = ["dump_result", "evaluate_document", "evaluate_file"]


def evaluate_file(path: str | Path, bidder_keys: Path | None = None) -> dict[str, Any]:
    """The result JSON document for the case file (or package) at ``path``. A package with encrypted bid files is
    decrypted in memory with the bidders' keys in ``bidder_keys`` (R-OPEN-10, as `simulate` plays it), unless its
    case already carries the ``decryption`` record."""
    from app.services.bid_package import open_case
    from app.services.decryption import headless_outcomes, keys_needed

    package = open_case(path)  # a case file or a package, its listed files checked (as load_case)
    keys = keys_needed(package, bidder_keys, "evaluate")
    if keys is None:
        return evaluate(package.case).to_json()
    failures, _plain = headless_outcomes(package, keys)
    document = dict(package.document)
    if failures:
        document["decryption"] = failures
    return evaluate(parse_case(document)).to_json()


def evaluate_document(document: dict[str, Any]) -> dict[str, Any]:
    """The result JSON document for a case already decoded from JSON (a session's ``case_document()``)."""
    return evaluate(parse_case(document)).to_json()
