"""Fixtures for the center: an in-process center (SQLite, or PostgreSQL when EVALROOM_TEST_PG_URL is set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from centerkit import fresh_pg_url

PG_URL = os.environ.get("EVALROOM_TEST_PG_URL")


NEEDS_PG = pytest.mark.skipif(not PG_URL, reason="EVALROOM_TEST_PG_URL not set (CI sets it)")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=NEEDS_PG)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'center.sqlite'}"
    return fresh_pg_url()


@pytest.fixture
def center(tmp_path: Path, db_url: str) -> Iterator[object]:
    from app.center.service import Center, Config
    from app.crypto.keys import SigningKey

    c = Center(Config.default(tmp_path / "center", db_url=db_url), key=SigningKey.generate())
    yield c
    c.close()
