"""simulate → archive → verify for every example case (the report's printed numbers included)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.archive.verify import verify_archive
from app.services.archive import build_archive
from app.services.simulate import simulate

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


@pytest.mark.parametrize("case", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_archives_and_verifies(case: Path, tmp_path: Path) -> None:
    simulate(case, tmp_path / "sim", passphrase=b"pw", kdf_rounds=1000)
    build_archive(tmp_path / "sim", tmp_path / "bag", b"pw")
    keys = tmp_path / "sim" / "keys"
    verdict = verify_archive(tmp_path / "bag", room_key=keys / "room.pub.pem", trust=[keys / "room-ca.pem"])
    assert verdict.problems == [] and verdict.warnings == []
