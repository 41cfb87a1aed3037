"""Versioned document templates (resources/templates): the 承诺书 text an expert signs, and the supervisor's own."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from app.paths import TEMPLATES

COMMITMENT_LETTER = "commitment-letter-v1.txt"
SUPERVISOR_LETTER = "supervisor-commitment-v1.txt"
SUPERVISOR_ROLE = "监督人员"  # the signer_role the room, the supervisor's PC and the report give a supervisor


@dataclass(frozen=True)
class FilledTemplate:
    name: str
    version_sha256: str  # of the template file itself: which wording was signed
    text: str


def commitment_letter(**fields: str) -> FilledTemplate:
    """The commitment letter with the session's fields filled in (comments stripped): a supervisor's
    (``signer_role`` 监督人员) has its own wording, the members' theirs."""
    name = SUPERVISOR_LETTER if fields.get("signer_role") == SUPERVISOR_ROLE else COMMITMENT_LETTER
    raw = (TEMPLATES / name).read_bytes()
    lines = [line for line in raw.decode("utf-8").splitlines() if not line.startswith("#")]
    text = "\n".join(lines).strip("\n").format_map(_Defaults(fields))
    return FilledTemplate(name, hashlib.sha256(raw).hexdigest(), text)


class _Defaults(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "____"
