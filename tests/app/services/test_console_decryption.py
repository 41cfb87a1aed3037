"""Issue 18 item 2 on the console (R-OPEN-10): each bidder presents its key at opening; every result is an event;
the bids are read once each encrypted bid is decrypted or excluded; decrypted files are kept sealed beside the
session and reach an expert's own PC through the room hub exactly as plain bid files (real processes: the
console's hub child and `evalroom pair`)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import encbids
from app.ledger.events import parse_stamp, utc_stamp
from app.services.bid_documents import DECRYPTED, digests, read_checked
from app.services.desk_actions import DeskError
from app.services.member_room import MemberRoom
from app.services.pairing import load_seat
from app.services.room import Room
from app.services.room_hub import RoomHub
from app.services.session import ActionRefused, Clock
from builtonce import built_once

PASS = b"console passphrase"
PC_PASS = "pc passphrase 1"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def encrypted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return built_once(tmp_path_factory, "encrypted-bids", encbids.build)


def _present_all(room: Room, keys: Path) -> None:
    """B2 its p12 and passphrase, B3 its passphrase, B4 a wrong passphrase, B5 its p12 (the file is damaged)."""
    p12_pass = encbids.P12_PASS
    room.decrypt_bid("B2", keys / "B2.p12", p12_pass)
    room.decrypt_bid("B3", None, encbids.PASSPHRASES["B3"])
    room.decrypt_bid("B4", None, encbids.WRONG["B4"])
    room.decrypt_bid("B5", keys / "B5.p12", p12_pass)


def test_console_decrypts_each_bidder_and_reads_after(encrypted: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    folder, built = encrypted
    room = Room(tmp_path / "console", "enc-room", passphrase=PASS)
    room.start(folder / "package")
    try:
        assert room.open_bids() is None  # the opening starts; nothing is read while keys are awaited
        view = room.view()
        assert view.decryption is not None and view.decryption.pending_bidders() == ["B2", "B3", "B4", "B5"]
        assert view.decryption.deadline is not None and view.decryption.minutes == 30
        with pytest.raises(DeskError) as nothing:
            room.decrypt_bid("B3", None, "")
        assert "B3" in nothing.value.message("zh")
        _present_all(room, folder / "keys")
        with pytest.raises(DeskError):  # decided once: a second key is not tried
            room.decrypt_bid("B4", None, encbids.PASSPHRASES["B4"])
        states = {f.bidder: f for f in room.view().decryption.files}  # type: ignore[union-attr]
        assert states["B2"].state == "decrypted" and states["B3"].state == "decrypted"
        assert (states["B4"].cause, states["B4"].outcome) == ("wrong_passphrase", "revoked")
        assert (states["B5"].cause, states["B5"].outcome) == ("damaged", "withdrawn")
        opening = room.open_bids()
        assert opening is not None and set(opening["excluded"]) == {"B4", "B5"}
        # an excluded bid's representative has no price reading to confirm (R-OPEN-10): not awaited at 开标结束
        assert room.view().unconfirmed() == ["B1", "B2", "B3"]
        room.confirm_opening("B2", "王芳")
        assert room.view().unconfirmed() == ["B1", "B3"]
        with pytest.raises(ActionRefused, match="B4's bid was excluded at the decryption"):  # by the ledger itself,
            room.confirm_opening("B4", "赵六")  # not only by the console's list
        events = [e.type for e in room.view().events]
        assert events.count("opening.decrypted") == 2 and events.count("opening.decryption_failed") == 2

        files = room.bid_files()
        assert [f.bidder for f in files] == ["B1", "B2", "B3"]  # the excluded bids' files are shown nowhere
        for file in files[1:]:
            assert file.sha256 == built["plaintext_sha256"][file.bidder]
            assert hashlib.sha256(read_checked(file)).hexdigest() == file.sha256
            assert file.location is not None and file.location.parent.name == DECRYPTED
            assert b"Technical bid" not in file.location.read_bytes()  # sealed at rest
        assert digests(room.state) == {f.sha256 for f in files}
        assert room.state.screen is not None and room.state.screen["documents"] == 3
    finally:
        room.close()


def test_a_file_changed_in_the_consoles_keeping_is_withdrawn(encrypted: tuple[Path, dict[str, Any]],
                                                             tmp_path: Path) -> None:
    folder, _ = encrypted
    room = Room(tmp_path / "console", "enc-room", passphrase=PASS)
    room.start(folder / "package")
    try:
        room.open_bids()
        kept = tmp_path / "console" / "sessions"
        [cipher] = list(kept.rglob("bid-files/bids/B3/technical.pdf.evrbid"))
        cipher.write_bytes(cipher.read_bytes()[:-1] + b"!")  # changed after the import, in the platform's keeping
        [outcome] = room.decrypt_bid("B3", None, encbids.PASSPHRASES["B3"])  # the right passphrase
        assert (outcome.cause, outcome.outcome) == ("ciphertext_differs", "withdrawn")
        room.record_no_key("B2")  # B2's representative has no key: revoked
        failures = room.state.decryption_failures()
        assert failures["B2"] == {"outcome": "revoked", "cause": "no_key"}
        assert failures["B3"] == {"outcome": "withdrawn", "cause": "ciphertext_differs"}
        assert room.open_bids() is None  # B4 and B5 still wait for their keys within the time limit
    finally:
        room.close()


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_an_experts_pc_gets_the_decrypted_files_from_the_hub(encrypted: tuple[Path, dict[str, Any]],
                                                             tmp_path: Path) -> None:
    folder, built = encrypted
    package = tmp_path / "package"
    shutil.copytree(folder / "package", package)
    room = Room(tmp_path / "console", "enc-room", passphrase=PASS)
    room.start(package)
    hub = RoomHub.for_room(room, "127.0.0.1:0")
    assert hub is not None
    member = None
    try:
        url = hub.start()
        room.open_bids()
        _present_all(room, folder / "keys")
        hub.tick(room)
        assert hub._delivered == set()  # decrypted, but the bids are not read yet: nothing sent
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
        seat = load_seat(pc, PC_PASS.encode())
        assert seat is not None
        member = MemberRoom(pc, seat, sync_interval=0.2)
        member.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            hub.tick(room)
            member.link()
            if all(f.available for f in member.bid_files()):
                break
            time.sleep(0.2)
        files = member.bid_files()
        assert [f.bidder for f in files] == ["B1", "B2", "B3"] and all(f.available for f in files), files
        for file in files[1:]:
            assert file.sha256 == built["plaintext_sha256"][file.bidder]
            assert read_checked(file).startswith(b"%PDF")  # the PC's own plaintext copy, checked by hash
    finally:
        if member is not None:
            member.close()
        hub.stop()
        room.close()


def test_the_fold_refuses_what_r_open_10_forbids(encrypted: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    folder, built = encrypted
    room = Room(tmp_path / "console", "enc-room", passphrase=PASS)
    room.start(folder / "package")
    session = room.session
    assert session is not None
    try:
        with pytest.raises(ActionRefused, match="opening"):  # not before the opening
            session.record_decryption_failed("B2", "bids/B2/technical.pdf.p7m", "no_key", "")
        room.open_bids()
        with pytest.raises(ActionRefused, match="every encrypted bid file"):  # no 唱标 while a bid awaits its key
            session.read_bids()
        with pytest.raises(ActionRefused, match="no encrypted bid file"):  # B1's file is plain
            session.record_decryption_failed("B1", "bids/B1/technical.pdf", "no_key", "")
        with pytest.raises(ActionRefused, match="unknown decryption failure cause"):
            session.record_decryption_failed("B2", "bids/B2/technical.pdf.p7m", "bad luck", "")
        cipher = next(d["sha256"] for b in room.state.package["bidders"] for d in b.get("documents", [])
                      if d["path"] == "bids/B2/technical.pdf.p7m")
        with pytest.raises(ActionRefused, match="plaintext SHA-256 the package declares"):
            session.record_decrypted("B2", "bids/B2/technical.pdf.p7m", "cms", cipher, "0" * 64)
        with pytest.raises(ActionRefused, match="ciphertext_sha256"):
            session.record_decrypted("B2", "bids/B2/technical.pdf.p7m", "cms", "1" * 64,
                                     built["plaintext_sha256"]["B2"])
        for bidder in ("B2", "B3", "B4", "B5"):
            room.record_no_key(bidder)
        room.open_bids()
        with pytest.raises(ActionRefused, match="already read"):  # decryption comes before 唱标
            session.record_decryption_failed("B3", "bids/B3/technical.pdf.evrbid", "no_key", "")
        assert set(room.state.opening["excluded"]) == {"B2", "B3", "B4", "B5"}
        assert room.state.rejections  # the refused attempts stay in the ledger as evidence
    finally:
        room.close()


class _Earlier(Clock):
    """A clock ``minutes`` behind the wall clock: the opening started that long ago (the store refuses times ahead
    of this computer's clock, so the past is moved, not the present)."""

    def __init__(self, minutes: float) -> None:
        super().__init__()
        self.behind = timedelta(minutes=minutes)

    def now(self) -> str:
        return utc_stamp(parse_stamp(super().now()) - self.behind)


def test_after_the_time_limit_a_key_counts_as_none(encrypted: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    folder, _ = encrypted
    room = Room(tmp_path / "console", "enc-room", passphrase=PASS)
    room.start(folder / "package", clock=_Earlier(40))
    session = room.session
    assert session is not None
    try:
        assert room.open_bids() is None  # the opening started 40 minutes ago
        room.decrypt_bid("B3", None, encbids.PASSPHRASES["B3"])  # in time
        session.clock = Clock()  # now: the limit was 30 minutes from the start of the opening
        cipher = next(d["sha256"] for b in room.state.package["bidders"] for d in b.get("documents", [])
                      if d["path"] == "bids/B2/technical.pdf.p7m")
        with pytest.raises(ActionRefused, match="after the decryption time limit"):  # the fold's own check
            session.record_decrypted("B2", "bids/B2/technical.pdf.p7m", "cms", cipher,
                                     encrypted[1]["plaintext_sha256"]["B2"])
        [late] = room.decrypt_bid("B2", folder / "keys" / "B2.p12", encbids.P12_PASS)  # the right key, too late
        assert (late.cause, late.outcome) == ("no_key", "revoked") and "time limit" in late.detail
        opening = room.open_bids()  # B4 and B5 never came: no key presented, revoked; the bids are read
        assert opening is not None
        assert {b: f["cause"] for b, f in opening["excluded"].items()} == {"B2": "no_key", "B4": "no_key",
                                                                            "B5": "no_key"}
        assert room.state.decrypted() == {"bids/B3/technical.pdf.evrbid": encrypted[1]["plaintext_sha256"]["B3"]}
    finally:
        room.close()
