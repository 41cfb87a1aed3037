"""replica.ingest_events: a pulled set of events, keys declared inside it, ingested in a few transactions."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import ledgerkit as lk
from app.crypto.keys import SigningKey
from app.ledger.events import SignedEvent, new_event
from app.store.ledger_store import LedgerStore
from app.sync import replica


def test_a_pull_with_its_own_key_declarations_is_ingested_in_one_pass_of_few_transactions(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    kit.score_all()
    events = kit.events()
    kit.session.close()
    with LedgerStore.open(kit.path) as source:
        session, room = source.session_id, source.room
    node = LedgerStore.create(tmp_path / "node.sqlite", session, room, kit.room.public)
    stranger = new_event(SigningKey.generate(), session, 1, None, events[-1].time, "score.set", {})
    pulled = [*events, stranger]
    random.Random(7).shuffle(pulled)  # the center's order does not matter
    commits: list[str] = []
    node._db.set_trace_callback(lambda sql: commits.append(sql) if sql == "COMMIT" else None)
    result = replica.PullResult()
    replica.ingest_events(node, pulled, result)
    assert (result.ingested, result.duplicates) == (len(events), 0)
    assert result.problems == [f"event {stranger.short}: its author's key is not declared in this session"]
    # the members' keys are declared by check-ins in the same pull: a batch is ingested before each first use
    assert len(commits) <= 2 + len(kit.members)
    assert [ev.id for ev in node.events()] == [ev.id for ev in sorted(events, key=SignedEvent.order_key)]
    assert not node.state.rejections
    again = replica.PullResult()
    replica.ingest_events(node, events, again)
    assert (again.ingested, again.duplicates, again.problems) == (0, len(events), [])
    node.close()
    conn = sqlite3.connect(tmp_path / "node.sqlite")
    try:
        assert conn.execute("SELECT count(*) FROM outbox WHERE kind = 'event'").fetchone() == (len(events),)
    finally:
        conn.close()
