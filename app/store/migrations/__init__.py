"""Alembic migrations of a session file; run from code by :func:`app.store.db.migrate`."""
