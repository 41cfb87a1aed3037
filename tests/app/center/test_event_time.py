"""Event times far ahead of the receiver's clock at the center and at a room hub, through the real HTTP API of a
`center serve` / `hub serve` process (issue 13, defect 14): an expert's score.set stamped 2099 is refused with the
reason (the tolerance of app/ledger/clock.py), kept as an incident naming the author, seq and time, and has no
effect; a stamp within the tolerance is accepted."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

import centerkit as ck
import ledgerkit as lk
from app.crypto.keys import SigningKey
from app.ledger.events import SignedEvent, new_event, utc_stamp
from app.sync.client import CenterClient, member_client

ENV = {"EVALROOM_CENTER_PASSPHRASE": "event-time-test"}
FAR = "2099-01-01T00:00:00.000000Z"


@dataclass
class Site:
    role: str
    kit: lk.Kit
    room: CenterClient
    observer: CenterClient
    session: str


@pytest.fixture(scope="module", params=["center", pytest.param("hub", marks=pytest.mark.slow)])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    base = tmp_path_factory.mktemp(request.param)
    (base / "room").mkdir()
    kit = lk.start(base / "room")  # scoring is open
    observer = SigningKey.generate()
    for name, key, extra in (("test-room", kit.room, ()), ("platform", observer, ("--observer",))):
        (base / f"{name}.pem").write_bytes(key.public.to_pem())
        done = ck.run_cli("center", "enroll", "--data", str(base / "data"), "--room", name, "--public-key",
                          str(base / f"{name}.pem"), *extra, env=ENV)
        assert done.returncode == 0, done.stderr
    server = ck.start_server(base / "data", role=request.param, env=ENV)
    try:
        with CenterClient(server.url, "test-room", kit.room) as room, \
                CenterClient(server.url, "platform", observer) as platform:
            session = kit.session.store.session_id
            pushed = room.push_events(session, [ev.to_record() for ev in kit.events()])
            assert pushed["rejected"] == []
            yield Site(request.param, kit, room, platform, session)
    finally:
        server.stop()
        kit.session.close()


def _score(site: Site, member: str, time: str, score: str) -> SignedEvent:
    key = site.kit.members[member]
    seq = site.room.frontier(site.session)[key.key_id]
    prev = next(ev.id for ev in site.kit.events() if ev.author == key.key_id and ev.seq == seq) if seq else None
    return new_event(key, site.session, seq + 1, prev, time, "score.set",
                     {"expert": member, "bidder": "B1", "criterion": "T1", "score": score})


def _incidents(site: Site) -> int:
    status = site.observer.request("GET", "/v1/status")
    return int(next(s["incidents"] for s in status["sessions"] if s["id"] == site.session))


def test_a_score_stamped_2099_is_refused_and_recorded_as_an_incident(site: Site) -> None:
    expert = member_client(site.room.url, site.kit.members["E1"])  # the expert's workstation signs with its key
    far = _score(site, "E1", FAR, "31")
    before = _incidents(site)
    answer = expert.push_events(site.session, [far.to_record()])
    assert answer["accepted"] == [] and len(answer["rejected"]) == 1
    reason = answer["rejected"][0]["reason"]
    assert reason.startswith(f"time: {far.author[:8]} seq {far.seq} from key:{far.author}: time {FAR} is 72 years "
                             f"ahead of the {site.role}'s clock (")
    assert reason.endswith("; tolerance 5 min): incident recorded")
    assert site.room.frontier(site.session)[far.author] == far.seq - 1  # not stored: no effect anywhere
    assert _incidents(site) == before + 1
    again = expert.push_events(site.session, [far.to_record()])  # the same event again: one incident
    assert again["rejected"][0]["reason"].split(" clock (")[0] == reason.split(" clock (")[0]
    assert _incidents(site) == before + 1
    expert.close()


def test_a_stamp_within_the_tolerance_is_accepted_and_one_beyond_it_is_not(site: Site) -> None:
    expert = member_client(site.room.url, site.kit.members["E2"])
    now = datetime.now(UTC)
    near = _score(site, "E2", utc_stamp(now + timedelta(minutes=1)), "32")  # clocks of a room's PCs drift
    assert expert.push_events(site.session, [near.to_record()])["accepted"] == [near.id]
    site.kit.session.store.ingest(near, site.kit.members["E2"].public)  # the room's copy follows (its pull)
    late = _score(site, "E2", utc_stamp(now + timedelta(minutes=10)), "33")
    rejected = expert.push_events(site.session, [late.to_record()])["rejected"]
    assert len(rejected) == 1 and "min ahead of the" in rejected[0]["reason"]
    expert.close()
