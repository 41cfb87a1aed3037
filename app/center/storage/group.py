"""Group commit: the write transactions of concurrent requests of one process joined into one.

Every push of every room used to take the write lock, write and fsync on its own: on SQLite one writer at a
time, the others sleeping in the busy handler (1, 2, 5, 10 … ms) until the lock was free again, and on both
back-ends one durable commit per request. Here the first request that finds no transaction running leads:
it takes every job queued so far, runs them one after another in one transaction and commits once; the
requests that arrived meanwhile wait for that commit and find their results, or lead the next group.

A job is a function of the open connection. It may raise one of the ``local`` exceptions (a refusal of that
request) only *before* it writes anything, so the others' writes stand; any other exception (a database
error, an IntegrityError from another process racing on the same rows) rolls the group back and every job
of it runs again alone, so one request's failure is never another's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

Job = Callable[[Any], Any]


class _Entry:
    __slots__ = ("job", "done", "result", "error")

    def __init__(self, job: Job) -> None:
        self.job = job
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None


class GroupCommit:
    def __init__(self, engine: Engine, local: tuple[type[BaseException], ...],
                 prologue: Callable[[Any], None] | None = None, max_jobs: int = 64) -> None:
        """``prologue(c)``: run once at the start of each group's transaction (housekeeping)."""
        self.engine = engine
        self.local = local
        self.prologue = prologue
        self.max_jobs = max_jobs
        self._cv = threading.Condition()
        self._queue: list[_Entry] = []
        self._leading = False
        self.groups = 0  # transactions committed (for tests and benchmarks)
        self.jobs = 0

    def run(self, job: Job) -> Any:
        """``job(connection)`` inside a transaction, committed before this returns (its result) or raises."""
        entry = _Entry(job)
        with self._cv:
            self._queue.append(entry)
        while True:
            with self._cv:
                while not entry.done and self._leading:
                    self._cv.wait()
                if entry.done:
                    break
                self._leading = True  # lead the next group: what is queued so far, oldest first
                group, self._queue = self._queue[:self.max_jobs], self._queue[self.max_jobs:]
            try:
                self._commit(group)
            finally:
                with self._cv:
                    self._leading = False
                    self._cv.notify_all()
        if entry.error is not None:
            raise entry.error
        return entry.result

    def _commit(self, group: list[_Entry]) -> None:
        try:
            self._transaction(group)
        except BaseException as exc:
            if len(group) == 1:
                group[0].error, group[0].done = exc, True
                return
            for entry in group:  # one job's failure is not the others': each runs again alone
                try:
                    self._transaction([entry])
                except BaseException as alone:
                    entry.error = alone
                entry.done = True
            return
        for entry in group:
            entry.done = True

    def _transaction(self, group: list[_Entry]) -> None:
        results: list[tuple[Any, BaseException | None]] = []
        with self.engine.begin() as c:
            if self.prologue is not None:
                self.prologue(c)
            for entry in group:
                try:
                    results.append((entry.job(c), None))
                except self.local as exc:  # refused before it wrote anything: the group goes on
                    results.append((None, exc))
        self.groups += 1
        self.jobs += len(group)
        for entry, (result, error) in zip(group, results, strict=True):
            entry.result, entry.error = result, error
