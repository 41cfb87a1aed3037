"""Upgrades (issue #8 §5): a session file made by an earlier schema opens, migrates to the head, verifies,
and rebuilds the same state. The fixtures are made by tests/support/make_schema_fixture.py."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.cli import main
from app.store.db import HEAD, MIGRATIONS, session_engine
from app.store.ledger_store import LedgerStore
from app.store.models import PROJECTIONS, Base

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MADE = sorted(FIXTURES.glob("session-*.sqlite"))


def _revisions() -> list[str]:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return sorted(script.revision for script in ScriptDirectory.from_config(config).walk_revisions())


def _query(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _projections(path: Path) -> dict[str, list[tuple[object, ...]]]:
    return {m.__tablename__: sorted(_query(path, f"SELECT * FROM {m.__tablename__}"), key=repr) for m in PROJECTIONS}


def test_every_revision_has_a_fixture() -> None:
    """The next release adds its migration and runs the generator for it: the test then covers it too."""
    assert [path.stem.removeprefix("session-") for path in MADE] == _revisions()
    assert _revisions()[-1] == HEAD


@pytest.mark.parametrize("fixture", MADE, ids=[path.stem for path in MADE])
def test_a_file_from_an_earlier_schema_opens_migrates_verifies_and_rebuilds(
        fixture: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    revision = fixture.stem.removeprefix("session-")
    path = tmp_path / "session.sqlite"
    shutil.copyfile(fixture, path)
    assert _query(path, "SELECT version_num FROM alembic_version") == [(revision,)]
    events_before = _query(path, "SELECT pos, id, raw, sig FROM events ORDER BY pos")
    projections_before = _projections(path)
    tables_before = {row[0] for row in _query(path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert len(events_before) > 50 and projections_before["proj_scores"]

    with LedgerStore.open(path) as store:  # migrates to the head
        assert store.room == "fixture-room"
        assert [ev.id for ev in store.events()] == [row[1] for row in events_before]
        assert store.state.stage == "archived"
    assert _query(path, "SELECT version_num FROM alembic_version") == [(HEAD,)]
    engine = session_engine(path)
    with engine.connect() as conn:  # exactly the head schema, as a new file gets it
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    engine.dispose()
    assert _query(path, "SELECT pos, id, raw, sig FROM events ORDER BY pos") == events_before
    if "outbox" not in tables_before:  # the outbox migration queues every existing event for the center
        queued = _query(path, "SELECT ref FROM outbox WHERE kind = 'event' ORDER BY id")
        assert queued == [(row[1],) for row in events_before]
        assert _query(path, "SELECT count(*) FROM outbox WHERE acked_at IS NOT NULL") == [(0,)]

    capsys.readouterr()
    assert main(["ledger", "verify", str(path)]) == 0, capsys.readouterr()
    assert main(["rebuild", str(path)]) == 0
    assert f"from {len(events_before)} events (stage archived, 0 rejected)" in capsys.readouterr().out
    assert _projections(path) == projections_before


def test_the_fixture_files_are_left_as_committed(tmp_path: Path) -> None:
    for fixture in MADE:
        assert _query(fixture, "PRAGMA journal_mode") == [("delete",)]
        assert not fixture.with_name(fixture.name + "-wal").exists()
