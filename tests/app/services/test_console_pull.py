"""The main venue's console pulls from the center as well as pushing (issue 14 item 5): what a remote venue's
console writes at the center (its experts' identity checks, a message) reaches the main console's own session file
through :class:`app.services.sync.ConsoleSync`, against a real center process on 127.0.0.1; with the center
gone the console keeps what it holds and names the failure."""

from __future__ import annotations

from pathlib import Path

import pytest

import centerkit as ck
from app.recording.faces import encode_jpeg
from app.recording.sources import SyntheticCamera
from app.services.session import Clock
from app.services.sync import ConsoleSync
from app.services.venues import VenueConsole
from ui.walkthrough import wait_until
from venuekit import VENUE, remote_session

PASSPHRASE = b"venue-test-passphrase"


@pytest.fixture
def rooms(tmp_path: Path):  # type: ignore[no-untyped-def]
    kit = remote_session(tmp_path / "main", upto="checkin", clock=Clock(), seat_remote=False)
    data = tmp_path / "center"
    for room, key in (("main-room", kit.room), (VENUE, kit.venue)):
        pem = tmp_path / f"{room}.pub.pem"
        pem.write_bytes(key.public.to_pem())
        done = ck.run_cli("center", "enroll", "--data", str(data), "--room", room, "--public-key", str(pem))
        assert done.returncode == 0, done.stderr
    server = ck.start_server(data)
    home = tmp_path / "county"
    (home / "keys").mkdir(parents=True)
    kit.venue.save(home / "keys" / "room.p12", PASSPHRASE)
    yield kit, server, home
    server.stop()


def test_the_main_console_sees_the_remote_venues_check_ins_and_messages(rooms) -> None:  # type: ignore[no-untyped-def]
    kit, server, home = rooms
    store = kit.session.store
    sync = ConsoleSync(configured=lambda: (server.url, None), idle=0.2)
    try:
        def pushed() -> bool:  # the main console delivers its session first (the venue joins from it)
            status = sync.poll_store(store, "main-room", kit.room)
            return status is not None and status.pending_events == 0 and status.last_sync is not None

        wait_until(pushed, "the main console did not deliver its session", 60)
        venue = VenueConsole(home, VENUE, server.url, passphrase=PASSPHRASE, interval=0.2)
        try:
            venue.join(store.session_id)
            photo = encode_jpeg(SyntheticCamera().read())
            code = venue.check_in("E4", photo)  # identity signed by the venue; E4's own PC pairs with this code
            assert len(code) == 6 and code.isdigit()
            venue.send("副场 E4 已签到")
            venue.sync_now()
        finally:
            venue.close()

        def sees() -> bool:  # the console's own thread ingests what its puller fetched
            sync.poll_store(store, "main-room", kit.room)
            state = kit.state
            return "E4" in state.identities and bool(state.remote.messages)

        wait_until(sees, "the main console never saw the remote identity check and message", 60)
        state = kit.state
        assert state.rejections == [] and state.members["E4"].author is None  # checked in once E4's PC pairs
        assert state.remote.messages[-1]["from"] == VENUE and state.remote.messages[-1]["text"] == "副场 E4 已签到"
        assert sync.pulled.ingested >= 2 and sync.pulled.problems == []
        held = len(list(store.events()))

        # pulling again brings nothing twice; the center gone, the console keeps its file and says why
        server.stop()
        kit.session.advance("committee")  # the console goes on working with the center down

        def names_failure() -> bool:
            status = sync.poll_store(store, "main-room", kit.room)
            return status is not None and bool(status.last_error)

        wait_until(names_failure, "the unreachable center was not reported", 60)
        assert len(list(store.events())) > held and kit.state.stage == "committee"  # nothing lost, work went on
        assert sync.puller is not None and not sync.puller.take()  # nothing fetched twice waits to be ingested
    finally:
        sync.stop()
