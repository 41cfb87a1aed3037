"""Alembic environment: runs on the connection :func:`app.store.db.migrate` passes in.

Importing this module outside an Alembic run (the import-contract test imports every module) does
nothing: there is no migration context then.
"""

from __future__ import annotations

from alembic import context

from app.store.models import Base


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("session-file migrations run through app.store.db.migrate(engine)")
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def _running() -> bool:
    try:
        context.config  # noqa: B018 - a proxy: only set while Alembic runs this file
    except (NameError, AttributeError):  # imported, not run by Alembic
        return False
    return True


if _running():
    run_migrations()
