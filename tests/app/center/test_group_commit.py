"""The group commit of the center's writes (app/center/storage/group.py): jobs queued while a transaction runs
share the next one; a refused job leaves the others' writes; a failing group is retried job by job."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select
from sqlalchemy.exc import IntegrityError

from app.center.storage.group import GroupCommit

meta = MetaData()
rows = Table("rows", meta, Column("n", Integer, primary_key=True))


class Refusal(Exception):
    pass


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    engine = create_engine(f"sqlite:///{tmp_path / 'g.sqlite'}", connect_args={"check_same_thread": False})
    meta.create_all(engine)
    yield engine
    engine.dispose()


def stored(engine: Any) -> list[int]:
    with engine.connect() as c:
        return sorted(r.n for r in c.execute(select(rows)))


def test_jobs_queued_during_a_transaction_share_the_next_one(engine: Any) -> None:
    group = GroupCommit(engine, (Refusal,))
    started, release = threading.Event(), threading.Event()

    def slow(c: Any) -> int:
        c.execute(insert(rows).values(n=0))
        started.set()
        release.wait(10)
        return 0

    results: dict[int, Any] = {}

    def submit(n: int) -> None:
        def job(c: Any) -> int:
            if n == 3:
                raise Refusal("refused before writing")
            c.execute(insert(rows).values(n=n))
            return n
        try:
            results[n] = group.run(job)
        except Refusal as exc:
            results[n] = exc

    first = threading.Thread(target=lambda: results.__setitem__(0, group.run(slow)))
    first.start()
    assert started.wait(10)
    others = [threading.Thread(target=submit, args=(n,)) for n in range(1, 6)]
    for t in others:
        t.start()
    while len(group._queue) < 5:  # every other job waits for the running transaction
        threading.Event().wait(0.01)
    release.set()
    for t in [first, *others]:
        t.join(10)
    assert results[0] == 0 and [results[n] for n in (1, 2, 4, 5)] == [1, 2, 4, 5]
    assert isinstance(results[3], Refusal)
    assert stored(engine) == [0, 1, 2, 4, 5]
    assert (group.groups, group.jobs) == (2, 6)  # the five queued jobs committed together


def test_a_failing_group_is_run_again_job_by_job(engine: Any) -> None:
    with engine.begin() as c:
        c.execute(insert(rows).values(n=7))  # what another process stored meanwhile
    group = GroupCommit(engine, (Refusal,))
    entries = [_entry(8), _entry(7), _entry(9)]
    group._commit(entries)
    assert [e.result for e in entries] == [8, None, 9]
    assert isinstance(entries[1].error, IntegrityError)
    assert stored(engine) == [7, 8, 9]


def _entry(n: int) -> Any:
    from app.center.storage.group import _Entry

    def job(c: Any) -> int:
        c.execute(insert(rows).values(n=n))
        return n
    return _Entry(job)
