"""The session file (issue #3 §3): migrations, pragmas, appends with projections, rebuild, forks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

import ledgerkit as lk
from app.ledger.events import new_event
from app.store.db import HEAD, MIGRATIONS, session_engine
from app.store.ledger_store import AppendError, ConcurrentAppend, ForkError, LedgerStore, StoreError
from app.store.models import PROJECTIONS, Base


def _dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        return {m.__tablename__: sorted(conn.execute(f"SELECT * FROM {m.__tablename__}").fetchall(), key=repr)
                for m in PROJECTIONS}
    finally:
        conn.close()


def test_the_baseline_migration_matches_the_models_and_head(tmp_path: Path) -> None:
    kit = lk.start(tmp_path, upto="opening")
    kit.session.close()
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD
    engine = session_engine(kit.path)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_projections_follow_appends_and_rebuild_gives_the_same_tables(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    kit.score_all()
    kit.session.write(kit.members["E2"], "score.set", {"expert": "E3", "bidder": "B1", "criterion": "T1", "score": "1"})
    kit.session.decide_low_price(kit.members["E1"], "B2", "accepted")
    kit.session.close()
    incremental = _dump(kit.path)
    assert len(incremental["proj_scores"]) == 15 and len(incremental["proj_rejections"]) == 1
    assert incremental["proj_session"] == [(1, "scoring", 0, 0, "E1")]
    with sqlite3.connect(kit.path) as conn:
        conn.execute("DELETE FROM proj_scores")
        conn.execute("UPDATE proj_session SET stage='archived'")
    conn.close()
    with LedgerStore.open(kit.path) as store:
        store.rebuild()
    assert _dump(kit.path) == incremental


def test_an_append_must_extend_the_feed(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    store, key = kit.session.store, kit.members["E1"]
    first = kit.session.set_score(key, "E1", "B1", "T1", "10")
    gap = new_event(key, store.session_id, first.seq + 2, first.id, kit.session.clock.now(), "score.set", {})
    with pytest.raises(AppendError, match=f"expected seq {first.seq + 1}"):
        store.append(gap)
    twin = new_event(key, store.session_id, 1, None, kit.session.clock.now(), "score.set", {"x": "y"})
    with pytest.raises(ForkError, match="already has seq 1"):
        store.append(twin)
    assert store.count() == len(kit.events())


def test_ingest_is_idempotent_and_records_a_fork_as_an_incident(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    key = kit.members["E1"]
    ev = kit.session.set_score(key, "E1", "B1", "T1", "10")
    store = kit.session.store
    assert store.ingest(ev, key.public) is False  # the same event again: nothing to do
    twin = new_event(key, ev.session, ev.seq, ev.prev, ev.time, ev.type, dict(ev.body, score="11"))
    with pytest.raises(ForkError, match=f"seq {ev.seq} is {ev.short} here and {twin.short} in the import"):
        store.ingest(twin, key.public)
    assert [row.kind for row in store.incidents()] == ["fork"]
    kit.session.close()
    from app.services.ledger_check import verify_path

    assert any(p.startswith("fork: ") and "incident recorded in session.sqlite" in p
               for p in verify_path(kit.path).problems)


def test_a_second_writer_on_the_file_is_read_under_the_write_lock_not_a_crash(tmp_path: Path) -> None:
    """Two stores on one session file (a second connection, as another process has): each append takes its
    pos from the file inside its transaction and first reads what the other wrote (once: UNIQUE events.pos)."""
    kit = lk.start(tmp_path)
    first = kit.session.store
    other = LedgerStore.open(kit.path)
    try:
        e1, e2 = kit.members["E1"], kit.members["E2"]
        mine = kit.session.set_score(e1, "E1", "B1", "T1", "10")  # via the first store: the other does not know it
        head = other.head(e2.key_id)
        assert head is not None and other.head(e1.key_id) != (mine.seq, mine.id)
        theirs = new_event(e2, other.session_id, head[0] + 1, head[1], kit.session.clock.now(), "score.set",
                           {"expert": "E2", "bidder": "B1", "criterion": "T1", "score": "12"})
        other.append(theirs)  # before: sqlite3.IntegrityError UNIQUE constraint failed: events.pos
        assert other.head(e1.key_id) == (mine.seq, mine.id) and other.state.scores["E2"]["B1"]["T1"] == "12"
        assert other.state.scores["E1"]["B1"]["T1"] == "10"
        assert other.ingest_many([(mine, e1.public)]) == ["duplicate"]
        # the same author wrote on through the other store: the stale signature is refused, nothing stored
        stale = kit.session._sign(e2, "score.set", {"expert": "E2", "bidder": "B2", "criterion": "T1", "score": "1"})
        with pytest.raises(ConcurrentAppend, match="appended to by another writer"):
            first.append(stale)
        assert first.head(e2.key_id) == (theirs.seq, theirs.id)  # ... and the first store now knows the file
        again = kit.session.set_score(e2, "E2", "B2", "T1", "1")
        assert again.seq == theirs.seq + 1
        assert other.refresh() and not other.refresh()
        # an import into a store that has not seen the other writer's event at that seq: a fork, recorded
        head = first.head(e2.key_id)
        assert head is not None
        ahead_here = kit.session.set_score(e2, "E2", "B3", "T1", "2")
        twin = new_event(e2, first.session_id, ahead_here.seq, head[1], ahead_here.time, "score.set",
                         {"expert": "E2", "bidder": "B3", "criterion": "T1", "score": "3"})
        outcome = other.ingest_many([(twin, e2.public)])
        assert isinstance(outcome[0], ForkError) and [row.kind for row in other.incidents()] == ["fork"]
        assert other.head(e2.key_id) == (ahead_here.seq, ahead_here.id)
        assert [ev.id for ev in other.events()] == [ev.id for ev in first.events()]
        positions = sqlite3.connect(kit.path).execute("SELECT COUNT(*), COUNT(DISTINCT pos), MAX(pos) FROM events")
        assert positions.fetchone() == (len(first.events()),) * 3
    finally:
        other.close()
    kit.session.close()
    with LedgerStore.open(kit.path) as reopened:
        assert reopened.state.scores == first.state.scores


def test_a_late_event_refolds_in_time_order(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    key, store = kit.members["E2"], kit.session.store
    kit.session.set_score(key, "E2", "B1", "T1", "20")
    head = store.head(key.key_id)
    assert head is not None
    early = new_event(key, store.session_id, head[0] + 1, head[1], "2000-01-01T00:00:00.000000Z", "score.set",
                      {"expert": "E2", "bidder": "B1", "criterion": "T1", "score": "10"})
    store.append(early)  # sorts before the session was created: rejected, whatever order it arrived in
    assert store.state.rejections[-1].message.endswith("the session has not been created yet")
    kit.session.close()
    with LedgerStore.open(kit.path) as again:
        assert [r.message for r in again.state.rejections] == [r.message for r in store.state.rejections]


def test_open_refuses_what_is_not_a_session_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such session file"):
        LedgerStore.open(tmp_path / "missing.sqlite")
    (tmp_path / "x.sqlite").write_text("hello")
    with pytest.raises(StoreError, match="not an SQLite session file"):
        LedgerStore.open(tmp_path / "x.sqlite")
    kit = lk.start(tmp_path, upto="opening")
    kit.session.close()
    with pytest.raises(StoreError, match="already exists"):
        LedgerStore.create(kit.path, "S", "R", kit.room.public)


def test_a_new_file_gets_exactly_the_schema_the_migrations_build(tmp_path: Path) -> None:
    """New session files skip Alembic (create_all + stamp); upgraded files go through the migrations.
    Both must be the same schema, or a later migration would meet two different databases."""
    import re

    from alembic import command
    from alembic.config import Config

    from app.store.db import migrate

    def schema(engine):  # type: ignore[no-untyped-def]
        with engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
            ).fetchall()
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
        def normal(sql: str) -> str:  # layout only: whitespace around brackets and commas
            return re.sub(r"\s*([(),])\s*", r"\1", re.sub(r"\s+", " ", sql)).strip()

        return {(kind, name): normal(sql or "") for kind, name, sql in rows}, version

    fresh = session_engine(tmp_path / "fresh.sqlite")
    migrate(fresh)
    upgraded = session_engine(tmp_path / "upgraded.sqlite")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with upgraded.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    assert schema(fresh) == schema(upgraded)
    assert schema(fresh)[1] == [(HEAD,)]
