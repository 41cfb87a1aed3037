"""Storage: one SQLite file per session (WAL, synchronous=FULL), SQLAlchemy 2 models, Alembic migrations."""
