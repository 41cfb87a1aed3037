"""A member's PC as a separate process (tests/app/services/test_member_room.py): opens its seat's replica with
:class:`app.services.member_room.MemberRoom`, syncs in the background and scores forever, printing the id of each
score event once ``set_score`` returned (saved and signed on this PC), until it is killed.

``python tests/support/member_child.py HOME HUB_URL SESSION MEMBER KEY_PASSPHRASE``
"""

from __future__ import annotations

import sys
import time
from itertools import count
from pathlib import Path

from app.crypto.keys import SigningKey
from app.services.member_room import MemberRoom
from app.services.paired import EXPERT, Paired, key_path

CELLS = [(f"B{b}", f"T{c}") for b in range(1, 4) for c in range(1, 5)]


def main(home: str, hub_url: str, session: str, member: str, passphrase: str) -> None:
    key = SigningKey.load(key_path(Path(home), session), passphrase.encode())
    room = MemberRoom(Path(home), Paired(hub_url, session, member, EXPERT, member, key), sync_interval=0.2)
    room.start()
    station = room.workstation(member)
    deadline = time.monotonic() + 60
    while room.state.stage != "scoring" and time.monotonic() < deadline:  # the console opened it: synced here
        time.sleep(0.05)
    print("ready", flush=True)
    for i in count():
        bidder, criterion = CELLS[i % len(CELLS)]
        station.set_score(bidder, criterion, "10.5" if (i // len(CELLS)) % 2 else "10")
        head = room.store.head(key.key_id)
        assert head is not None
        print(head[1], flush=True)  # only after set_score returned: committed, WAL fsynced


if __name__ == "__main__":
    main(*sys.argv[1:6])
