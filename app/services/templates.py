"""Versioned document templates (resources/templates): the 承诺书 text an expert signs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from app.paths import TEMPLATES

COMMITMENT_LETTER = "commitment-letter-v1.txt"


@dataclass(frozen=True)
class FilledTemplate:
    name: str
    version_sha256: str  # of the template file itself: which wording was signed
    text: str


def commitment_letter(**fields: str) -> FilledTemplate:
    """The commitment letter with the session's fields filled in (comments stripped)."""
    raw = (TEMPLATES / COMMITMENT_LETTER).read_bytes()
    lines = [line for line in raw.decode("utf-8").splitlines() if not line.startswith("#")]
    text = "\n".join(lines).strip("\n").format_map(_Defaults(fields))
    return FilledTemplate(COMMITMENT_LETTER, hashlib.sha256(raw).hexdigest(), text)


class _Defaults(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "____"
