"""The result document's text (``result.json``): as ``evalroom evaluate`` prints it and the archive keeps it, byte
for byte (the archive's verifier compares the two)."""

from __future__ import annotations

import json
from typing import Any


def dump_result(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
