"""Event times ahead of the receiver's clock, at the node level (issue 13, defect 14): a workstation's sync node
and the session file itself refuse an event stamped beyond the tolerance (app/ledger/clock.py), record it as an
incident and as a `clock.refused` event in their own feed, which syncs on; a feed whose last event is ahead does
not stamp its next events as far ahead; and the fold refuses an event stamped far after the checkpoint that
already covers it, so it cannot reach an R-SUS-7 deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import ledgerkit as lk
from app.center.app import create_app
from app.center.service import Center, Config
from app.crypto.keys import SigningKey
from app.ledger.clock import TOLERANCE
from app.ledger.events import SignedEvent, new_event, utc_stamp
from app.ledger.verify import verify_events
from app.services.ledger_check import verify_path
from app.services.session import Session
from app.store.ledger_store import AppendError
from app.sync import replica
from app.sync.client import CenterClient, member_client
from app.sync.node import SyncNode
from venuekit import VENUE, remote_session

FAR = "2099-01-01T00:00:00.000000Z"


@pytest.fixture
def hub(tmp_path: Path) -> Any:
    c = Center(Config.default(tmp_path / "hub", role="hub"), key=SigningKey.generate())
    yield c
    c.close()


def _score(kit: lk.Kit, store: Any, member: str, time: str, score: str = "31") -> SignedEvent:
    """A score.set by ``member`` extending his feed in ``store``, stamped ``time`` (its author's clock)."""
    key = kit.members[member]
    seq, prev = store.head(key.key_id)
    return new_event(key, store.session_id, seq + 1, prev, time, "score.set",
                     {"expert": member, "bidder": "B1", "criterion": "T1", "score": score})


def _scores(store: Any, member: str) -> dict[str, Any]:
    return dict(store.state.scores.get(member, {}))


def test_a_workstation_refuses_a_far_future_event_and_records_it_in_its_own_feed(tmp_path: Path, hub: Center) -> None:
    (tmp_path / "console").mkdir()
    kit = lk.start(tmp_path / "console")
    hub.enroll("test-room", kit.room.public)
    http = TestClient(create_app(hub), base_url="http://testserver")
    console = SyncNode(kit.session.store, CenterClient("http://testserver", "test-room", kit.room, http=http))
    assert console.sync_once().ok
    session = kit.session.store.session_id
    workstation = member_client("http://testserver", kit.members["E3"], http=http)
    node = SyncNode.join(workstation, session, tmp_path / "ws.sqlite")
    before = _scores(node.store, "E1")
    future = _score(kit, node.store, "E1", FAR)
    result = replica.PullResult()
    replica.ingest_events(node.store, [future], result)  # what a pull from a hub that holds it would hand over
    assert result.ingested == 0 and len(result.problems) == 1, result.problems
    assert f"(E1 seq {future.seq}) refused: time {FAR} is 72 years ahead of this computer's clock" in result.problems[0]
    assert future.id not in {ev.id for ev in node.store.events()} and _scores(node.store, "E1") == before
    [incident] = node.store.incidents()
    assert (incident.kind, incident.author, incident.seq, incident.event_id) == ("clock", future.author, future.seq,
                                                                                 future.id)
    [refusal] = node.store.state.clock_refusals  # an event in the node's own feed: E3's key
    assert (refusal["by"], refusal["author"], refusal["seq"], refusal["time"]) == ("E3", future.author, future.seq, FAR)
    mine = [ev for ev in node.store.events() if ev.type == "clock.refused"]
    assert [ev.author for ev in mine] == [kit.members["E3"].key_id] and mine[0].body["event"] == future.id
    replica.ingest_events(node.store, [future], replica.PullResult())  # pulled again: no second incident or event
    assert len(node.store.incidents()) == 1 and len(node.store.state.clock_refusals) == 1
    assert node.sync_once().error is None and console.sync_once().error is None
    assert [r["time"] for r in kit.state.clock_refusals] == [FAR]  # the room sees the incident through the hub
    outcome = verify_path(node.store.path)
    assert outcome.problems == [] and any("refused on receipt for a time ahead" in n for n in outcome.notes)


def test_a_local_append_is_bounded_by_this_computers_clock(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    store = kit.session.store
    now = datetime.now(UTC)
    store.append(_score(kit, store, "E1", utc_stamp(now + timedelta(minutes=1)), "31"))  # drift within tolerance
    assert kit.state.scores["E1"]["B1"]["T1"] == "31"
    for ahead, what in ((TOLERANCE + timedelta(minutes=5), "(9|10) min"), (timedelta(days=365 * 73), "7[23] years")):
        late = _score(kit, store, "E1", utc_stamp(now + ahead), "32")
        with pytest.raises(AppendError, match=f"event {late.short} \\(E1 seq {late.seq}\\): time .* is {what} ahead of "
                                              "this computer's clock .*tolerance 5 min"):
            store.append(late)
        assert kit.state.scores["E1"]["B1"]["T1"] == "31" and late.id not in {ev.id for ev in store.events()}
    assert [(i.kind, i.author) for i in store.incidents()] == [("clock", kit.members["E1"].key_id)] * 2
    assert [r["by"] for r in kit.state.clock_refusals] == ["room", "room"]  # the room console's own feed
    assert verify_path(store.path).problems == []


def test_a_feed_whose_last_event_is_ahead_is_not_stamped_ahead_again(tmp_path: Path) -> None:
    """This PC's clock read 2099 for a while (the store accepted E1's events: its clock said so), then was set right:
    the next event of E1's feed would be stamped 2099 too by max(now, last); it is refused instead."""

    class Wrong:
        def now(self) -> str:
            return FAR

    kit = lk.start(tmp_path)
    store = kit.session.store
    store.clock = lambda: datetime(2099, 1, 1, 0, 1, tzinfo=UTC)
    Session(store, kit.room, Wrong()).set_score(kit.members["E1"], "E1", "B1", "T1", "31")  # type: ignore[arg-type]
    store.clock = lambda: datetime.now(UTC)  # the clock set right
    count = store.count()
    with pytest.raises(AppendError, match="the feed of E1 cannot go on: its last event's time 2099-01-01T00:00:00"):
        kit.session.set_score(kit.members["E1"], "E1", "B1", "T1", "32")
    assert store.count() == count and max(ev.time for ev in store.events() if ev.author == kit.room.key_id) < FAR
    kit.session.set_score(kit.members["E2"], "E2", "B1", "T1", "33")  # other feeds go on, at the right time
    assert kit.state.scores["E2"]["B1"]["T1"] == "33"


def test_the_fold_refuses_an_event_far_after_the_checkpoint_that_covers_it(tmp_path: Path) -> None:
    """A remote venue's console stamps a message 5 h ahead during an outage: folded by its time it would pass the
    R-SUS-7 deadline (4 h) and stop the evaluation. The room's checkpoint, signed when the room held it, covers it:
    the fold refuses it as a clock ahead, and the evaluation goes on."""
    kit = remote_session(tmp_path)
    kit.session.link_lost(VENUE, kit.clock.stamp(seconds=90))
    store = kit.session.store
    head = store.head(kit.venue.key_id)
    assert head is not None
    stamp = utc_stamp(kit.clock.moment + timedelta(hours=5))
    ahead = new_event(kit.venue, store.session_id, head[0] + 1, head[1], stamp, "venue.message",
                      {"to": "main-room", "text": "时钟超前的消息"})
    store.append(ahead)  # received: the wall clock of this test machine is later than the session's time
    assert kit.state.remote.stopped is not None  # no checkpoint covers it yet: its time alone reaches the deadline
    kit.session.checkpoint()  # the room signs, holding the message, at the room's time (5 h before the stamp)
    assert kit.state.remote.stopped is None and not kit.state.terminated
    refusal = [r.message for r in kit.state.rejections if r.event_id == ahead.id]
    assert len(refusal) == 1 and " after checkpoint " in refusal[0] and "clock ran ahead" in refusal[0]
    kit.score("E1")  # scoring goes on
    report = verify_events([(ev, "db") for ev in store.events()], kit.room.public)
    assert [p for p in report.problems if "clock ran ahead" in p] == [f"rule: {refusal[0]}"]  # kept as evidence
