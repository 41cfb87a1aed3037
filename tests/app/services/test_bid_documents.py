"""Issue 18 item 3 (transport): the bid files reach an expert's own PC through the room hub once the bids are opened,
each checked by its SHA-256; none before the opening; a copy changed on the PC is refused by name, never shown.
Real processes: the console's hub child, and `evalroom pair` run as the PC would."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.services.bid_documents import BidFileError, bid_files, digests, read_checked
from app.services.member_room import MemberRoom
from app.services.pairing import load_seat
from app.services.room import Room
from app.services.room_hub import RoomHub
from bidkit import package

PASS = b"console passphrase"
PC_PASS = "pc passphrase 1"
ROOT = Path(__file__).resolve().parents[3]


def test_the_console_lists_its_kept_files_and_refuses_a_changed_one(tmp_path: Path) -> None:
    room = Room(tmp_path / "console", "bids-room", passphrase=PASS)
    room.start(package(tmp_path / "pkg", {}))
    try:
        assert digests(room.state) == set()  # before the opening a PC is sent none of them
        files = room.bid_files()
        assert [f.bidder for f in files] == ["B1", "B2", "B3", "B4", "B5"] and all(f.available for f in files)
        assert hashlib.sha256(read_checked(files[0])).hexdigest() == files[0].sha256
        room.open_bids()
        assert digests(room.state) == {f.sha256 for f in files}
        assert files[1].location is not None
        files[1].location.write_bytes(b"%PDF-1.7 changed after the import")
        with pytest.raises(BidFileError, match="bids/B2/technical.pdf") as caught:
            read_checked(files[1])
        assert "不予显示" in caught.value.message("zh")
    finally:
        room.close()


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_an_experts_pc_gets_the_bid_files_from_the_hub_after_the_opening(tmp_path: Path) -> None:
    room = Room(tmp_path / "console", "bids-room", passphrase=PASS)
    room.start(package(tmp_path / "pkg", {}))
    hub = RoomHub.for_room(room, "127.0.0.1:0")
    assert hub is not None
    member = None
    try:
        url = hub.start()
        hub.tick(room)
        assert hub._delivered == set()  # not opened yet: nothing sent
        room.open_bids()
        room.advance("checkin")
        code = room.check_identity("E1", room.take_photo().jpeg)
        pc = tmp_path / "pc-E1"
        command = [sys.executable, "-m", "app", "pair", "--hub", url, "--code", code, "--data", str(pc),
                   "--ca-fingerprint", str(room.ca_fingerprint())]
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "EVALROOM_KEY_PASSPHRASE": PC_PASS})
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            hub.tick(room)
            time.sleep(0.1)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, (out, err)
        wanted = {f.sha256 for f in room.bid_files()}
        assert wanted <= hub._delivered
        seat = load_seat(pc, PC_PASS.encode())
        assert seat is not None
        member = MemberRoom(pc, seat, sync_interval=0.2)
        member.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            hub.tick(room)
            member.link()  # what the GUI polls each second: it offers the fetcher what is missing
            if all(f.available for f in member.bid_files()):
                break
            time.sleep(0.2)
        files = member.bid_files()
        assert all(f.available for f in files), files
        assert all(f.location is not None and f.location.is_relative_to(pc) for f in files)  # the PC's own copies
        assert [hashlib.sha256(read_checked(f)).hexdigest() for f in files] == [f.sha256 for f in files]
        hub.stop()  # the LAN cut: the hub is gone, and the PC reads the bids it was sent
        member.link()
        offline = member.bid_files()
        assert all(f.available for f in offline), offline
        assert [hashlib.sha256(read_checked(f)).hexdigest() for f in offline] == [f.sha256 for f in files]
        assert files[2].location is not None
        files[2].location.write_bytes(b"%PDF-1.7 tampered on the PC")
        with pytest.raises(BidFileError, match="bids/B3/technical.pdf"):
            read_checked(files[2])
        assert bid_files(member.state, None, None)[0].location is None  # no folder given: nothing is here
    finally:
        if member is not None:
            member.close()
        hub.stop()
        room.close()


def test_no_file_of_a_bid_excluded_at_the_decryption_is_listed_or_sent(tmp_path: Path) -> None:
    """R-OPEN-10: B2's plain technical part and its encrypted commercial part; B2 presents no key, its bid is deemed
    revoked: neither file is listed (the viewer beside the grid) nor among the files sent to the PCs."""
    import json

    from app.crypto.bid_crypto import seal_passphrase

    folder = package(tmp_path / "pkg", {})
    case = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    sealed = seal_passphrase(b"%PDF-1.7 B2 commercial", b"B2 passphrase")
    (folder / "bids/B2/commercial.pdf.evrbid").write_bytes(sealed)
    b2 = next(b for b in case["bidders"] if b["id"] == "B2")
    b2["documents"].append({"path": "bids/B2/commercial.pdf.evrbid", "sha256": hashlib.sha256(sealed).hexdigest(),
                            "part": "commercial", "encryption": {"scheme": "passphrase"}})
    (folder / "case.json").write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    room = Room(tmp_path / "console", "bids-room", passphrase=PASS)
    room.start(folder)
    try:
        assert room.open_bids() is None  # the opening starts: B2's key is awaited
        room.record_no_key("B2")
        assert room.open_bids() is not None
        files = room.bid_files()
        assert [f.bidder for f in files] == ["B1", "B3", "B4", "B5"]
        b2_plain = next(d["sha256"] for d in b2["documents"] if d["path"] == "bids/B2/technical.pdf")
        assert digests(room.state) == {f.sha256 for f in files} and b2_plain not in digests(room.state)
    finally:
        room.close()
