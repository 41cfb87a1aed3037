"""The main venue's remote-evaluation services: add a venue, messages, the timers, and LinkWatch against a
real center process on 127.0.0.1 (each link transition written once)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

import centerkit as ck
from app.crypto.keys import SigningKey
from app.domain.remote import RESUME, STOP, WAITING
from app.ledger.events import parse_stamp
from app.services.session import Clock
from app.services.venues import LinkWatch, RemoteDesk, VenueDesk, VenueError, add_venue, send_message, timers
from app.settings import Settings
from app.sync.client import CenterClient
from venuekit import VENUE, remote_session


def test_add_venue_and_messages_check_their_input(tmp_path: Path) -> None:
    kit = remote_session(tmp_path, upto="checkin")
    with pytest.raises(VenueError) as bad_key:
        add_venue(kit.session, "county-2", "二号副场", b"not a key")
    assert "副场主控台公钥不是有效的 PEM 公钥 / the venue console key" in bad_key.value.zh
    with pytest.raises(VenueError, match="required"):
        add_venue(kit.session, " ", "二号副场", SigningKey.generate().public.to_pem())
    add_venue(kit.session, "county-2", "二号副场", SigningKey.generate().public.to_pem())
    assert list(kit.state.remote.venues) == ["main-room", VENUE, "county-2"]
    with pytest.raises(VenueError, match="empty"):
        send_message(kit.session, VENUE, "  ")
    with pytest.raises(VenueError, match="not a remote venue"):
        send_message(kit.session, "main-room", "给自己")
    send_message(kit.session, "county-2", "请准备签到")
    assert kit.state.remote.messages[-1]["text"] == "请准备签到"


def test_timers_count_down_from_the_ledger_and_keep_its_decision(tmp_path: Path) -> None:
    kit = remote_session(tmp_path)
    kit.session.link_lost(VENUE, kit.clock.stamp())
    start = parse_stamp(kit.state.remote.outages[0].start)
    (timer,) = timers(kit.state, start + timedelta(hours=1))
    assert (timer.rule, timer.outcome, timer.remaining, timer.during) == ("R-SUS-7", WAITING, timedelta(hours=3), True)
    assert timers(kit.state, start + timedelta(hours=5))[0].outcome == STOP  # the GUI shows it before any event
    kit.clock.advance(hours=2)
    kit.session.link_restored(VENUE, kit.clock.stamp())
    (closed,) = timers(kit.state, start + timedelta(hours=9))
    assert closed.outcome == RESUME and closed.remaining == timedelta(0) and closed.end is not None


def test_link_watch_writes_each_transition_once_against_a_real_center(tmp_path: Path) -> None:
    kit = remote_session(tmp_path, clock=Clock())  # the center's link status is wall-clock time
    data = tmp_path / "center"
    for room, key in (("main-room", kit.room), (VENUE, kit.venue)):
        pem = tmp_path / f"{room}.pub.pem"
        pem.write_bytes(key.public.to_pem())
        done = ck.run_cli("center", "enroll", "--data", str(data), "--room", room, "--public-key", str(pem))
        assert done.returncode == 0, done.stderr
    server = ck.start_server(data)
    try:
        main = CenterClient(server.url, "main-room", kit.room)
        remote = CenterClient(server.url, VENUE, kit.venue)
        session_id = kit.session.store.session_id
        main.push_events(session_id, [ev.to_record() for ev in kit.session.store.events()])
        watch = LinkWatch(kit.session, main)
        assert watch.status()[VENUE]["link_up"] is False  # the remote venue never reached the center
        lost = watch.poll()
        assert [ev.type for ev in lost] == ["venue.link_lost"] and watch.poll() == []
        assert not kit.state.remote.venues[VENUE].link_up and kit.state.remote.outages[0].rule == "R-SUS-7"
        remote.frontier(session_id)  # the remote venue's console reaches the center
        restored = watch.poll()
        assert [ev.type for ev in restored] == ["venue.link_restored"] and watch.poll() == []
        outage = kit.state.remote.outages[0]
        assert kit.state.remote.venues[VENUE].link_up and outage.end is not None and outage.outcome == RESUME
        assert kit.state.rejections == []
        desk = VenueDesk(kit.session, main, server.url)  # what the console page shows
        view = desk.poll(*desk.fetch())
        assert [(v.room, v.role, v.link_up, [e.id for e in v.experts]) for v in view.venues] == [
            ("main-room", "main", True, ["E1", "E2", "E3"]), (VENUE, "remote", True, ["E4", "E5"])]
        assert view.venues[1].timer is not None and view.venues[1].timer.outcome == RESUME and view.center_error is None
        server.stop()
        rows, error = desk.fetch()  # the center is gone: the link status is unknown, nothing is written
        view = desk.poll(rows, error)
        assert rows is None and error and view.center_error == error and view.venues[1].link_up is None
        assert len(kit.state.remote.outages) == 1
        main.close()
        remote.close()
    finally:
        server.stop()


def test_the_remote_console_checks_in_its_experts_through_a_real_center(tmp_path: Path) -> None:
    from app.services.session import ActionRefused, Session
    from app.services.templates import commitment_letter
    from app.sync.replica import join_session, pull_into

    kit = remote_session(tmp_path, clock=Clock(), seat_remote=False)  # E4, E5 wait for their venue's desk
    data = tmp_path / "center"
    for room, key in (("main-room", kit.room), (VENUE, kit.venue)):
        pem = tmp_path / f"{room}.pub.pem"
        pem.write_bytes(key.public.to_pem())
        done = ck.run_cli("center", "enroll", "--data", str(data), "--room", room, "--public-key", str(pem))
        assert done.returncode == 0, done.stderr
    server = ck.start_server(data)
    try:
        main = CenterClient(server.url, "main-room", kit.room)
        remote = CenterClient(server.url, VENUE, kit.venue)
        session_id = kit.session.store.session_id
        main.push_events(session_id, [ev.to_record() for ev in kit.session.store.events()])
        (tmp_path / "county").mkdir()
        replica, joined = join_session(remote, session_id, tmp_path / "county" / "session.sqlite")
        assert joined.problems == []
        desk = RemoteDesk(replica, kit.venue)
        assert desk.venue == VENUE
        with pytest.raises(ActionRefused, match="E2 sits at venue main-room: only that venue's console checks E2 in"):
            desk.verify_identity("E2", "0" * 64, 1)
        letter = commitment_letter()
        for member in ("E4", "E5"):
            desk.verify_identity(member, "1" * 64, 1, "身份证")
            desk.check_in(member, kit.members[member])
            expert = Session(replica, kit.members[member])  # the expert's workstation signs his own letter
            expert.sign_letter(kit.members[member], member, letter.name, letter.version_sha256)
            expert.declare(kit.members[member], member, conflict=False)
        desk.send("main-room", "副场两位专家已签到")
        with pytest.raises(VenueError):
            RemoteDesk(replica, SigningKey.generate())
        answer = remote.push_events(session_id, [ev.to_record() for ev in replica.events()])
        assert answer["rejected"] == []
        pulled = pull_into(kit.session.store, main)
        assert pulled.problems == [] and pulled.ingested == 10  # the refused attempt travels too, as evidence
        state = kit.state
        assert [r.type for r in state.rejections] == ["identity.verified"]
        assert "E2 sits at venue main-room" in state.rejections[0].message
        assert all(state.members[m].author for m in ("E4", "E5"))
        assert state.remote.seats["E4"] == VENUE and state.remote.messages[-1]["text"] == "副场两位专家已签到"
        kit.session.advance("committee")  # every member is checked in, has signed and declared
        replica.close()
        main.close()
        remote.close()
    finally:
        server.stop()


def test_the_main_venue_desk_reaches_the_center_with_the_settings_ca_file(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    import app.sync.client as sync_client

    kit = remote_session(tmp_path, upto="checkin")
    made: list[dict[str, object]] = []

    class Recorded:
        def __init__(self, url: str, room: str, key: object, **options: object) -> None:
            made.append({"url": url, "room": room, **options})

    monkeypatch.setattr(sync_client, "CenterClient", Recorded)
    chosen = Settings(center_url="https://center.example:8470", center_cafile=Path("/etc/evalroom/center-ca.pem"))
    room = types.SimpleNamespace(room_id="main-room", key=SigningKey.generate(), _session=lambda: kit.session,
                                 settings=chosen)
    desk = VenueDesk.for_room(room)
    assert desk.center_url == "https://center.example:8470"
    assert made == [{"url": "https://center.example:8470", "room": "main-room", "verify": "/etc/evalroom/center-ca.pem",
                     "timeout": 5.0}]
    room.settings = Settings()  # no center configured
    assert VenueDesk.for_room(room).center is None
