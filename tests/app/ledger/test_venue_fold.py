"""Remote evaluation (远程异地评标) in the fold: venues and seats, who may write what, link outages with the
R-SUS-6/7 timers (DOMAIN.md S14), the tenderer's decision, messages, determinism, and ledger verify."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import centerkit as ck
from app.crypto.keys import SigningKey
from app.domain.remote import RESUME, STOP, TENDERER_DECIDES, WAITING
from app.ledger.authors import key_to_json
from app.ledger.fold import fold
from app.ledger.state import VENUE as VENUE_ROLE
from app.services.ledger_check import verify_path
from app.services.session import ActionRefused
from venuekit import VENUE, remote_session


def _last_rejection(kit) -> str:  # type: ignore[no-untyped-def]
    return kit.state.rejections[-1].message


def test_venue_added_seats_members_and_declares_the_remote_console(tmp_path: Path) -> None:
    kit = remote_session(tmp_path, upto="checkin")
    remote = kit.state.remote
    assert [(v.room, v.role) for v in remote.venues.values()] == [("main-room", "main"), (VENUE, "remote")]
    assert remote.venues[VENUE].members == ("E4", "E5")
    assert {m: remote.venue_of(m) for m in kit.state.members} == {
        "E1": "main-room", "E2": "main-room", "E3": "main-room", "E4": VENUE, "E5": VENUE}
    author = kit.state.authors[kit.venue.key_id]
    assert (author.role, author.venue, author.label) == (VENUE_ROLE, VENUE, f"venue {VENUE}")
    assert all(kit.state.members[m].author for m in ("E4", "E5")) and kit.state.rejections == []


def test_what_a_remote_console_may_not_write(tmp_path: Path) -> None:
    kit = remote_session(tmp_path, upto="checkin")
    s, venue = kit.session, kit.venue
    cases = [
        (venue, "stage.advanced", {"to": "committee"}, "only the room console may write this"),
        (venue, "venue.added", {"room": "county-9", "name": "x", "role": "remote",
                                "key": key_to_json(SigningKey.generate().public)},
         "only the main venue's console (主场) adds a venue"),
        (venue, "venue.link_lost", {"venue": VENUE, "at": kit.clock.stamp()},
         "only the main venue's console (主场) records link status"),
        (venue, "identity.verified", {"member": "E2", "photo_sha256": "0" * 64, "faces": 1},
         "E2 sits at venue main-room: only that venue's console checks E2 in"),
        (kit.room, "identity.verified", {"member": "E4", "photo_sha256": "0" * 64, "faces": 1},
         "E4 sits at venue county-1: only that venue's console checks E4 in"),
        (venue, "letter.signed", {"signer": "E4", "template": "t", "template_sha256": "0" * 64},
         "only a committee member or a supervisor signs a commitment letter"),
        (venue, "chair.elected", {"member": "E4"}, "only the room console may write this"),
        (kit.members["E4"], "venue.message", {"to": "main-room", "text": "你好"},
         "only a venue's console sends messages"),
        (venue, "venue.message", {"to": VENUE, "text": "自己"}, "is not another venue of this session"),
        (venue, "venue.message", {"from": "main-room", "to": "main-room", "text": "冒名"},
         "is not the author's venue county-1"),
        (kit.room, "venue.added",
         {"room": "county-2", "name": "x", "role": "main", "key": key_to_json(SigningKey.generate().public)},
         'body.role must be "remote"'),
        (kit.room, "venue.added",
         {"room": "county-2", "name": "x", "role": "remote", "key": key_to_json(SigningKey.generate().public),
          "members": ["E5"]}, "E5 already sits at venue county-1"),
    ]
    for key, type_, body, reason in cases:
        before = len(kit.state.rejections)
        with pytest.raises(ActionRefused):
            s._act(key, type_, body)
        assert len(kit.state.rejections) == before + 1 and reason in _last_rejection(kit), (type_, _last_rejection(kit))


def test_no_venue_is_added_once_the_evaluation_started(tmp_path: Path) -> None:
    kit = remote_session(tmp_path, upto="preliminary")
    with pytest.raises(ActionRefused, match="not created or opening or checkin or committee"):
        kit.session.add_venue("county-2", "另一副场", SigningKey.generate().public)


def test_s14_three_hours_during_scoring_resume_and_the_interruption_is_kept(tmp_path: Path) -> None:
    kit = remote_session(tmp_path)
    lost = kit.clock.stamp(seconds=90)  # the last contact, seen 90 s ago
    kit.session.link_lost(VENUE, lost)
    outage = kit.state.remote.outages[0]
    assert (outage.during, outage.rule, outage.outcome) == (True, "R-SUS-7", WAITING)
    assert not kit.state.remote.venues[VENUE].link_up
    kit.score("E1")  # scoring goes on at the main venue
    with pytest.raises(ActionRefused, match="R-SUS-7 decides by itself"):
        kit.session._act(kit.room, "venue.outcome",
                         {"venue": VENUE, "rule": "R-SUS-7", "decision": "evaluate", "by": "x"})
    kit.clock.advance(hours=3)
    kit.session.link_restored(VENUE, kit.clock.stamp(seconds=5))
    assert (outage.outcome, outage.end is not None) == (RESUME, True) and "记入评标报告" in outage.message
    kit.score("E4", submit=True)  # the remote experts' sheets still count
    assert kit.state.members["E4"].submitted and kit.state.remote.stopped is None and not kit.state.terminated


def test_s14_five_hours_stops_the_evaluation_with_materials_sealed(tmp_path: Path) -> None:
    kit = remote_session(tmp_path)
    kit.session.link_lost(VENUE, kit.clock.stamp(seconds=90))
    kit.score("E1")
    kit.clock.advance(hours=5)
    with pytest.raises(ActionRefused,
                       match=r"stopped under R-SUS-7 .* materials sealed at every venue, a new committee"):
        kit.score("E2")
    stop = kit.state.remote.stopped
    outage = kit.state.remote.outages[0]
    assert stop["rule"] == "R-SUS-7" and stop["venue"] == VENUE and stop["at"] == outage.deadline
    assert outage.outcome == STOP and "重新组建评标委员会" in outage.message and kit.state.terminated
    kit.session.link_restored(VENUE, kit.clock.stamp())  # the end of the interruption is still recorded
    kit.session.venue_message(VENUE, "评标已停止，请封存全部资料")
    assert outage.end is not None and outage.outcome == STOP
    with pytest.raises(ActionRefused, match="R-SUS-7"):
        kit.session.advance("summary")
    kit.session.archive()  # the sealed materials go to the archive
    assert kit.state.stage == "archived"


def test_a_restoration_recorded_late_counts_from_when_the_link_came_back(tmp_path: Path) -> None:
    kit = remote_session(tmp_path)
    kit.session.link_lost(VENUE, kit.clock.stamp())
    kit.clock.advance(hours=4, minutes=1)
    kit.session.link_restored(VENUE, kit.clock.stamp(minutes=2))  # back at 3 h 59 min, written a little later
    assert kit.state.remote.outages[0].outcome == RESUME and kit.state.remote.stopped is None


def test_r_sus_6_before_the_start_delays_it_and_the_tenderer_decides_after_2_hours(tmp_path: Path) -> None:
    kit = remote_session(tmp_path, upto="committee")
    kit.session.link_lost(VENUE, kit.clock.stamp())
    outage = kit.state.remote.outages[0]
    assert (outage.during, outage.rule) == (False, "R-SUS-6")
    with pytest.raises(ActionRefused, match=r"the start is delayed \(R-SUS-6\)"):
        kit.session.advance("preliminary")
    with pytest.raises(ActionRefused, match="the tenderer decides only when the failure is not fixed by"):
        kit.session.venue_outcome(VENUE, "evaluate", "采购人代表 张三")
    kit.clock.advance(hours=2, minutes=1)
    kit.session.venue_message(VENUE, "网络仍未恢复")  # any later event: the 2 h have passed
    assert outage.outcome == TENDERER_DECIDES and "招标人决定" in outage.message and kit.state.remote.stopped is None
    kit.session.venue_outcome(VENUE, "evaluate", "采购人代表 张三", "副场专家改为现场评标")
    assert outage.decision["decision"] == "evaluate" and outage.decision["by"] == "采购人代表 张三"
    kit.session.advance("preliminary")  # the tenderer decided to evaluate


def test_r_sus_6_postponed_seals_and_needs_a_new_committee(tmp_path: Path) -> None:
    kit = remote_session(tmp_path / "a", upto="checkin")
    kit.session.link_lost(VENUE, kit.clock.stamp())
    kit.clock.advance(hours=3)
    kit.session.venue_outcome(VENUE, "postpone", "招标人 李四")
    assert kit.state.remote.stopped["rule"] == "R-SUS-6" and kit.state.terminated
    with pytest.raises(ActionRefused, match=r"stopped under R-SUS-6 .* a new committee must be formed"):
        kit.session.advance("committee")


def test_limits_and_scheduled_start_come_from_the_package(tmp_path: Path) -> None:
    kit = remote_session(tmp_path, remote={"during_minutes": 60, "before_start_minutes": 30})
    kit.session.link_lost(VENUE, kit.clock.stamp())
    kit.clock.advance(minutes=90)
    kit.session.link_restored(VENUE, kit.clock.stamp())
    assert kit.state.remote.outages[0].outcome == STOP and kit.state.remote.stopped["rule"] == "R-SUS-7"
    early = remote_session(tmp_path / "b", upto="checkin", remote={"scheduled_start": "2026-11-20T14:00:00+08:00"})
    early.session.link_lost(VENUE, early.clock.stamp())  # 10:00 local: 4 h before the scheduled start
    assert early.state.remote.outages[0].deadline == "2026-11-20T08:00:00.000000Z"  # 2 h after the start (UTC)
    with pytest.raises(ActionRefused, match="package.remote.during_minutes must be a positive whole number"):
        remote_session(tmp_path / "c", remote={"during_minutes": "240"})


def test_messages_between_venues_are_logged(tmp_path: Path) -> None:
    kit = remote_session(tmp_path)
    kit.session.venue_message(VENUE, "请副场专家开始评分")
    kit.session.venue_message("main-room", "副场已收到", key=kit.venue)
    assert [(m["from"], m["to"], m["text"]) for m in kit.state.remote.messages] == [
        ("main-room", VENUE, "请副场专家开始评分"), (VENUE, "main-room", "副场已收到")]


def test_the_fold_is_the_same_in_any_order(tmp_path: Path) -> None:
    kit = remote_session(tmp_path)
    kit.session.link_lost(VENUE, kit.clock.stamp())
    kit.score("E4")
    kit.clock.advance(hours=2)
    kit.session.venue_message("main-room", "恢复中", key=kit.venue)
    kit.clock.advance(hours=3)
    with pytest.raises(ActionRefused):
        kit.score("E5")
    events = kit.session.store.events()
    expected = fold(events, kit.room.key_id)
    for seed in range(5):
        shuffled = list(events)
        random.Random(seed).shuffle(shuffled)
        state = fold(shuffled, kit.room.key_id)
        assert state.remote == expected.remote and state.remote == kit.state.remote
        assert [r.message for r in state.rejections] == [r.message for r in kit.state.rejections]


def test_ledger_verify_accepts_a_session_with_venue_events(tmp_path: Path) -> None:
    kit = remote_session(tmp_path)
    kit.session.venue_message("main-room", "副场就绪", key=kit.venue)
    kit.session.link_lost(VENUE, kit.clock.stamp())
    kit.clock.advance(hours=1)
    kit.session.link_restored(VENUE, kit.clock.stamp())
    for member in kit.members:
        kit.score(member, submit=True)
    kit.session.advance("summary")
    kit.session.export(tmp_path / "ledger")
    outcome = verify_path(tmp_path / "session.sqlite")
    assert outcome.problems == [] and outcome.events == len(kit.session.store.events())
    feeds = verify_path(tmp_path / "ledger")
    assert feeds.problems == []
    pem = tmp_path / "room.pub.pem"
    pem.write_bytes(kit.room.public.to_pem())
    done = ck.run_cli("ledger", "verify", str(tmp_path / "session.sqlite"), "--room-key", str(pem))
    assert done.returncode == 0, done.stdout + done.stderr
