"""Archives built once per module: a simulated example, and a session with a dissent, a refusal and a recording."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

import ledgerkit
from app.services.archive import build_archive
from app.services.report import sign_all
from app.services.simulate import simulate

ROOT = Path(__file__).resolve().parents[3]
PASS = b"pw"


@pytest.fixture(scope="session")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("sim")
    simulate(ROOT / "examples" / "procurement-goods-comprehensive.json", base / "sim", passphrase=PASS, kdf_rounds=1000)
    build_archive(base / "sim", base / "bag", PASS)
    return base / "sim", base / "bag"


@pytest.fixture(scope="session")
def dissenting(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """A session where one member dissents with reasons, one refuses to sign, and a segment is recorded."""
    base = tmp_path_factory.mktemp("dis")
    folder = base / "session"
    folder.mkdir()
    kit = ledgerkit.start(folder)
    kit.score_all()
    segment = os.urandom(200_000)
    (folder / "segments").mkdir()
    (folder / "segments" / "seg-000001.ts").write_bytes(segment)
    kit.session.record_segment({"file": "seg-000001.ts", "sha256": hashlib.sha256(segment).hexdigest(), "bytes": len(segment),
                                "start": "2026-01-01T00:00:00.000000Z", "end": "2026-01-01T00:00:04.000000Z", "frames": 100})
    kit.session.advance("summary")
    kit.session.advance("report")
    members = list(kit.members)
    who = {"dissent": members[1], "refuse": members[2]}
    sign_all(kit.session, kit.members, dissent={who["dissent"]: "技术方案评分过高，理由：未响应第3.2条。"},
             refuse={who["refuse"]: "该成员拒绝签字且未说明理由，视为同意评标结论。"})
    kit.session.archive()
    (folder / "keys").mkdir()
    kit.room.save(folder / "keys" / "room.p12", PASS, rounds=1000)
    kit.session.close()
    build_archive(folder, base / "bag", PASS)
    return folder, base / "bag", who
