"""Make a session database in the schema of an earlier Alembic revision, for the upgrade test.

    .venv/bin/python tests/support/make_schema_fixture.py REVISION [OUTDIR]

Plays a small whole session with today's code (`evalroom simulate`, a 3-bidder, 5-expert case), then
builds a new file by running the migrations only up to REVISION and copying every row into exactly
that schema with raw SQL (columns the revision does not have are left out; a revision that needs a
column today's rows do not have fails loudly). The events are copied byte for byte, so their ids and
signatures stay valid. The file is vacuumed and left in rollback-journal mode, so it is one
self-contained file: ``OUTDIR/session-REVISION.sqlite`` (default OUTDIR: tests/app/store/fixtures).

Each release that adds a migration runs this for its previous head and commits the file;
tests/app/store/test_upgrade.py picks up every ``session-*.sqlite`` there.
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

import casebuilder as cb  # noqa: E402
from app.cli import main as evalroom  # noqa: E402
from app.store.db import MIGRATIONS, session_engine  # noqa: E402

FIXTURES = ROOT / "tests" / "app" / "store" / "fixtures"


def schema_at(path: Path, revision: str) -> None:
    """An empty session file with the migrations run up to ``revision`` (and no further)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = session_engine(path)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def columns(db: sqlite3.Connection, table: str) -> list[tuple[str, bool, object]]:
    """(name, not null, default) of each column."""
    return [(row[1], bool(row[3]), row[4]) for row in db.execute(f'PRAGMA table_info("{table}")')]


def copy_rows(source: Path, target: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        source_tables = {row[0] for row in src.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        tables = [row[0] for row in dst.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY rowid")]
        dst.execute("PRAGMA foreign_keys=OFF")
        for table in tables:
            if table in ("alembic_version", "sqlite_sequence") or table not in source_tables:
                continue
            have = {name for name, _, _ in columns(src, table)}
            wanted = columns(dst, table)
            missing = [name for name, not_null, default in wanted if name not in have and not_null and default is None]
            if missing:
                raise SystemExit(f"{table}: the revision needs {', '.join(missing)}, which today's rows do not have")
            names = [name for name, _, _ in wanted if name in have]
            quoted = ", ".join(f'"{name}"' for name in names)
            rows = src.execute(f'SELECT {quoted} FROM "{table}"').fetchall()
            dst.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" * len(names))})', rows)
            counts[table] = len(rows)
        dst.commit()
        dst.execute("PRAGMA journal_mode=DELETE")
        dst.execute("VACUUM")
    finally:
        src.close()
        dst.close()
    return counts


def make(revision: str, outdir: Path = FIXTURES) -> Path:
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / f"session-{revision}.sqlite"
    if target.exists():
        target.unlink()
    with tempfile.TemporaryDirectory(prefix="evalroom-fixture-") as tmp:
        case = Path(tmp) / "case.json"
        case.write_text(json.dumps(cb.case(), ensure_ascii=False), encoding="utf-8")
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = evalroom(["simulate", "--case", str(case), "--out", f"{tmp}/sim", "--room", "fixture-room"])
        if code != 0:
            raise SystemExit(f"evalroom simulate failed with exit {code}")
        schema_at(target, revision)
        counts = copy_rows(Path(tmp) / "sim" / "session.sqlite", target)
    version = sqlite3.connect(target).execute("SELECT version_num FROM alembic_version").fetchall()
    if version != [(revision,)]:
        raise SystemExit(f"{target}: at {version}, not {revision}")
    print(f"{target}: revision {revision}, {counts.get('events', 0)} events, {target.stat().st_size} bytes")
    return target


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    make(sys.argv[1], Path(sys.argv[2]) if len(sys.argv) == 3 else FIXTURES)
