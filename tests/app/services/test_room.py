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
    with pytest.raises(DeskError, match="has been used already"):
        room.login(code, "2468")  # one-time
    assert station.check_pin("2468") and not station.check_pin("0000")
    with pytest.raises(ActionRefused, match="has not signed the commitment letter"):
        room.advance("committee")
        room.elect_chair("E1")
        room.advance("preliminary")
        station.verdict("B1", True, None)
    room.close()


def test_a_recusal_at_check_in_is_filled_from_the_reserves_after_check_in_closed(tmp_path: Path) -> None:
    """Issue 13 defect 3 through the room services: E3 signs and withdraws naming B2; closing check-in at 6
    says R-COM-4 will fail; the reserve seated at the committee stage checks in, signs and declares there,
    and the evaluation can start."""
    room = Room(tmp_path / "home", passphrase=b"pw")
    room.start(_package(tmp_path))
    room.open_bids()
    room.advance("checkin")
    stations = {}
    for member in [m.id for m in room.state.base_case.committee]:
        station = room.login(room.check_identity(member, room.take_photo().jpeg), "2468")
        station.sign_letter(b"png", "{}", station.letter().version_sha256)
        stations[member] = station
    with pytest.raises(DeskError, match="name the bidder") as unnamed:
        stations["E3"].declare(True, ["director"], "两年前曾任投标人B2董事")
    assert "请勾选与您存在利害关系的投标人" in unnamed.value.zh
    with pytest.raises(DeskError, match="unknown bidder B9"):
        stations["E3"].declare(True, ["director"], "两年前曾任投标人B2董事", ["B9"])
    stations["E3"].declare(True, ["director"], "两年前曾任投标人B2董事", ["B2"])
    for member, station in stations.items():
        if member != "E3":
            station.declare(False, [], "")
    view = room.view()
    assert view.member("E3").recused and view.member("E3").conflict_with == ("B2",)
    assert [r.rule for r in view.make_up] == ["R-COM-4", "R-COM-4"]  # fewer than 7, and even
    assert "应不少于7人" in view.make_up[0].message and "现为6人" in view.make_up[0].message
    assert view.readiness == ()
    room.advance("committee")

    room.replace_member("E3", "R1")
    view = room.view()
    assert [r.rule for r in view.readiness] == ["R-CHK-1"] and "R1" in view.readiness[0].message
    reserve = room.login(room.check_identity("R1", room.take_photo().jpeg), "1357")  # the desk, at the committee stage
    assert [r.rule for r in room.view().readiness] == ["R-CHK-3"]
    reserve.sign_letter(b"png", "{}", reserve.letter().version_sha256)
    assert [r.rule for r in room.view().readiness] == ["R-COI-1/2"]
    reserve.declare(False, [], "")
    room.elect_chair("E1")
    view = room.view()
    assert view.readiness == () and view.make_up == () and view.composition == ()
    room.advance("preliminary")
    reserve.verdict("B1", True, None)
    assert room.state.verdicts["R1"]["B1"]["pass"] is True and room.state.rejections == []
    room.close()


def test_the_console_starts_a_session_from_a_package_folder(tmp_path: Path) -> None:
    """Issue 18: the session set-up accepts a package (a folder with case.json and its bid files), checked first."""
    import hashlib

    folder = tmp_path / "pkg"
    folder.mkdir()
    case = json.loads(DEMO_CASE.read_text(encoding="utf-8"))
    from reportlab.pdfgen import canvas

    data_path = folder / "bids" / "B1.pdf"
    data_path.parent.mkdir()
    page = canvas.Canvas(str(data_path))
    page.drawString(72, 720, "bid of B1")
    page.save()
    case["bidders"][0]["documents"] = [{"path": "bids/B1.pdf", "part": "commercial",
                                        "sha256": hashlib.sha256(data_path.read_bytes()).hexdigest()}]
    (folder / "case.json").write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    room = Room(tmp_path / "home", passphrase=b"pw", camera=SyntheticCamera(faces=1))
    data_path.write_bytes(data_path.read_bytes() + b"\n")
    with pytest.raises(CaseError) as info:
        room.start(folder)
    assert "bids/B1.pdf" in str(info.value) and "SHA-256" in info.value.zh_message() and room.session is None
    case["bidders"][0]["documents"][0]["sha256"] = hashlib.sha256(data_path.read_bytes()).hexdigest()
    (folder / "case.json").write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    session = room.start(folder)
    assert session is not None and room.session is not None
    kept = list((tmp_path / "home" / "sessions").glob("*/bid-files/bids/B1.pdf"))  # for the session's archive
    assert [k.read_bytes() for k in kept] == [data_path.read_bytes()]
