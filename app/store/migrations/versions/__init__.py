"""Alembic revisions (Alembic loads them by file; this marker keeps them inside the package)."""
