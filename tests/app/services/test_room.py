"""The room services the GUI calls, end to end on a real session file (no Qt)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain.errors import CaseError
from app.paths import DEMO_CASE
from app.recording.sources import SyntheticCamera
from app.services.room import DeskError, Room
from app.services.session import ActionRefused


def _package(tmp_path: Path, low: bool = False) -> Path:
    case = json.loads(DEMO_CASE.read_text(encoding="utf-8"))
    if low:
        case["bidders"][2]["price"] = "6000000.00"  # about 40 % below the others' mean (R-LOW-1)
    path = tmp_path / "package.json"
    path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    return path


def _to_scoring(room: Room) -> dict:
    room.open_bids()
    room.advance("checkin")
    stations = {}
    for member in [m.id for m in room.state.base_case.committee]:
        code = room.check_identity(member, room.take_photo().jpeg)
        station = room.login(code, "2468")
        station.sign_letter(b"png", "{}", station.letter().version_sha256)
        station.declare(False, [], "")
        stations[member] = station
    room.advance("committee")
    room.elect_chair("E1")
    room.advance("preliminary")
    for station in stations.values():
        for bidder in ("B1", "B2", "B3", "B4"):
            station.verdict(bidder, True, None)
    room.advance("scoring")
    return stations


def test_a_whole_session_through_the_room_services(tmp_path: Path) -> None:
    room = Room(tmp_path / "home", passphrase=b"pw")
    room.start(_package(tmp_path))
    stations = _to_scoring(room)
    sheets = json.loads(DEMO_CASE.read_text(encoding="utf-8"))["scores"]
    for member, station in stations.items():
        for bidder, row in sheets[member].items():
            for criterion, score in row.items():
                station.set_score(bidder, criterion, score)
        station.submit()
    room.advance("summary")
    view = room.view()
    assert view.result["status"] == "ranked" and view.result["ranking"] == ["B2", "B4", "B1", "B3"]
    assert len(list((tmp_path / "home" / "sessions").rglob("checkin-E1-*.jpg"))) == 1
    room.close()


def test_the_abnormally_low_price_flow(tmp_path: Path) -> None:
    room = Room(tmp_path / "home", passphrase=b"pw")
    room.start(_package(tmp_path, low=True))
    stations = _to_scoring(room)
    flags = [f for f in room.view().result["flags"] if f["kind"] == "abnormally_low_price"]
    assert [f["bidder"] for f in flags] == ["B3"]
    with pytest.raises(ActionRefused, match="no written explanation was requested from B3"):
        room.receive_explanation("B3", "成本构成说明")
    room.request_explanation("B3", minutes=30)
    room.receive_explanation("B3", "提供了主要设备采购合同，但未能说明安装费用的来源")
    with pytest.raises(ActionRefused, match="only the chair records committee decisions"):
        stations["E2"].decide_low_price("B3", "rejected")
    stations["E1"].decide_low_price("B3", "rejected")
    view = room.view()
    assert view.explanations["B3"]["answer"]["summary"].startswith("提供了主要设备采购合同")
    b3 = next(b for b in view.result["bidders"] if b["id"] == "B3")
    assert not b3["valid"] and "R-LOW-1" in b3["reason"]
    room.close()


def test_refusals_at_the_desk_are_clear(tmp_path: Path) -> None:
    room = Room(tmp_path / "home", passphrase=b"pw", camera=SyntheticCamera(faces=2))
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "evalroom-case/1"', encoding="utf-8")
    with pytest.raises(CaseError) as info:
        room.start(bad)
    assert "不是有效的 JSON" in info.value.zh_message() and room.session is None
    room.start(_package(tmp_path))
    room.open_bids()
    room.advance("checkin")
    with pytest.raises(DeskError, match="exactly one face") as photo:
        room.check_identity("E1", room.take_photo().jpeg)
    assert "检测到 2 张人脸" in photo.value.zh
    with pytest.raises(DeskError, match="not on the drawn list"):
        room.check_identity("X9", room.take_photo().jpeg)
    room.camera = SyntheticCamera(faces=1)
    code = room.check_identity("E1", room.take_photo().jpeg)
    with pytest.raises(DeskError, match="PIN must be at least 4 digits"):
        room.login(code, "12")
    station = room.login(code, "2468")
    with pytest.raises(DeskError, match="unknown login code"):
        room.login(code, "2468")  # one-time
    assert station.check_pin("2468") and not station.check_pin("0000")
    with pytest.raises(ActionRefused, match="has not signed the commitment letter"):
        room.advance("committee")
        room.elect_chair("E1")
        room.advance("preliminary")
        station.verdict("B1", True, None)
    room.close()
