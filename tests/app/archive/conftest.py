"""Archives built once per test run: a simulated example, and a session with a dissent, a refusal and a recording.

Both are shared by every test (and every xdist worker): a test that changes one works on a copy."""

from __future__ import annotations

from pathlib import Path

import pytest

import ledgerkit
from app.recording.process import chain_to_session
from app.services.archive import build_archive
from app.services.report import sign_all
from app.services.simulate import simulate
from builtonce import built_once
from recordkit import record

ROOT = Path(__file__).resolve().parents[3]
PASS = b"pw"


def _simulated(base: Path) -> None:
    simulate(ROOT / "examples" / "procurement-goods-comprehensive.json", base / "sim", passphrase=PASS, kdf_rounds=1000)
    build_archive(base / "sim", base / "bag", PASS)


@pytest.fixture(scope="session")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base, _ = built_once(tmp_path_factory, "sim", _simulated)
    return base / "sim", base / "bag"


@pytest.fixture(scope="session")
def dissenting(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """A session where one member dissents with reasons, one refuses to sign, and two cameras are recorded."""
    base, who = built_once(tmp_path_factory, "dis", _dissenting)
    return base / "session", base / "bag", who


def _dissenting(base: Path) -> dict[str, str]:
    folder = base / "session"
    folder.mkdir()
    kit = ledgerkit.start(folder)
    kit.score_all()
    # recorded as the console records: the recorder's own folder `recording/` beside the session file, every
    # event of its signed feed chained into the session (app.services.recording.RoomRecorder.sync)
    recorder = record(folder / "recording", 1.3, cameras=("cam1", "门口"))
    for ev in recorder.feed.events:
        chain_to_session(kit.session, ev)
    assert len(kit.state.recordings) >= 4
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
    return who
