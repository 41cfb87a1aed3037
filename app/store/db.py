"""SQLite engines for session files: durable pragmas on every connection, schema by Alembic.

``journal_mode=WAL`` + ``synchronous=FULL``: every commit syncs the WAL, so a commit that returned
survives a crash or power loss (engineering-anchors §6). ``foreign_keys=ON`` because SQLite leaves them
off by default; ``busy_timeout`` so a second reader (the verifier, the GUI) waits instead of failing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0002"  # the newest revision in migrations/versions (a test keeps the two in step)
PRAGMAS = ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=5000")


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in PRAGMAS:
        cursor.execute(f"PRAGMA {pragma}")
    if sys.platform == "darwin":  # fsync does not reach the platter on macOS without this
        cursor.execute("PRAGMA fullfsync=ON")
        cursor.execute("PRAGMA checkpoint_fullfsync=ON")
    cursor.close()


def session_engine(path: Path) -> Engine:
    """An engine on one session file. NullPool: a connection is opened and closed with its user."""
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    event.listen(engine, "connect", _on_connect)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the file's schema to the newest revision (creates it for a new file).

    The Alembic configuration is built in code; the migration scripts ship inside this package.
    """
    with engine.connect() as connection:  # the common case, without importing Alembic: already at head
        tables = {row[0] for row in connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" in tables:
            current = [row[0] for row in connection.exec_driver_sql("SELECT version_num FROM alembic_version")]
            if current == [HEAD]:
                return
    if not tables:
        _create_at_head(engine)
        return
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.begin() as connection:
        if MigrationContext.configure(connection).get_current_revision() == head:
            return
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _create_at_head(engine: Engine) -> None:
    """A new, empty file: the models' schema stamped at HEAD, without importing Alembic (37 MB and a
    noticeable start-up time for every new session). A test proves this schema is exactly the one the
    migrations build."""
    from app.store.models import Base

    with engine.begin() as connection:
        Base.metadata.create_all(connection)
        connection.exec_driver_sql(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
            "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")
        connection.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES (?)", (HEAD,))
