"""Each paired PC's link at the room hub (issue 14 item 3): a real hub process on 127.0.0.1; a workstation syncs
with its check-in key and says what waits in its outbox; the room reads the links (a member's key may not);
the console names whom closing scoring waits for, with that member's link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import casebuilder as cb
import centerkit as ck
import ledgerkit as lk
from app.center.service import Center, Config, load_center_key
from app.services.links import LinkWatcher, closing_waits, member_links
from app.services.session import Session
from app.sync.client import CenterClient, CenterRefused, member_client
from app.sync.node import SyncNode

pytestmark = pytest.mark.slow

PASSPHRASE = b"links test passphrase"
ENV = {"EVALROOM_KEY_PASSPHRASE": PASSPHRASE.decode()}


def test_the_room_sees_each_workstations_link_and_whom_closing_waits_for(tmp_path: Path) -> None:
    (tmp_path / "console").mkdir()
    kit = lk.start(tmp_path / "console", cb.case(), upto="scoring")
    store = kit.session.store
    session, room = store.session_id, str(kit.state.room)
    hub_data = tmp_path / "hub"
    center = Center(Config.default(hub_data), key=load_center_key(hub_data.resolve(), rounds=1000))
    center.enroll(room, kit.room.public)
    center.close()
    keys = tmp_path / "keys"
    keys.mkdir()
    kit.room.save(keys / "room.p12", PASSPHRASE, rounds=1000)
    hub = ck.start_server(hub_data, "--room", room, "--room-key", str(keys / "room.p12"), role="hub", env=ENV,
                          timeout=90)
    console = SyncNode(store, CenterClient(hub.url, room, kit.room, timeout=10))
    node = None
    try:
        assert console.sync_once().ok
        e1 = kit.members["E1"]
        node = SyncNode.join(member_client(hub.url, e1, timeout=10), session, tmp_path / "ws-E1" / "session.sqlite")
        assert node.sync_once().ok  # what the join copied is acked: nothing waits
        station = Session(node.store, e1)
        criterion = next(c.id for c in kit.state.base_case.method.criteria if c.type == "subjective")
        station.set_score(e1, "E1", "B1", criterion, "10")
        assert node.sync_once().ok  # the pull said 1 pending, then the push delivered it

        watcher = LinkWatcher(CenterClient(hub.url, room, kit.room, timeout=10), session)
        assert watcher.poll_once(), watcher.error
        links = member_links(kit.state, watcher.rows())
        assert links["E1"].online and links["E1"].pending == 1 and links["E1"].last_heard is not None
        assert links["E2"].last_heard is None and not links["E2"].online
        assert "尚未连接" in links["E2"].describe(datetime.now(UTC))
        assert node.sync_once().ok  # now nothing waits
        watcher.poll_once()
        assert member_links(kit.state, watcher.rows())["E1"].pending == 0

        later = datetime.now(UTC) + timedelta(minutes=3)  # E1's PC not heard for three minutes: offline
        stale = member_links(kit.state, watcher.rows(), now=later)
        assert not stale["E1"].online and "离线 3 分钟" in stale["E1"].describe(later)
        waits = closing_waits(kit.state, stale, now=later)
        assert any(w.startswith("E1 ") and "离线 3 分钟" in w for w in waits)
        assert len(waits) == len([m for m in kit.state.members.values() if not m.recused and m.author])

        with pytest.raises(CenterRefused) as refused:  # a member's key syncs its ledger, it does not watch the room
            member_client(hub.url, e1, timeout=10).links(session)
        assert refused.value.status == 403
        watcher.client.close()
    finally:
        if node is not None:
            node.close()
        console.client.close()
        hub.stop()
