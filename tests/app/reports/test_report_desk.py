"""The report desk the GUI calls: draft after the summary, each member's own act, finalize, archive (no Qt)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.archive.verify import verify_archive
from app.paths import DEMO_CASE
from app.reports.reproduce import sha256
from app.services.recording import RecordingSettings
from app.services.report import demo_signature
from app.services.room import DeskError, Room, Workstation
from app.services.session import ActionRefused


def _to_summary(tmp_path: Path) -> tuple[Room, dict[str, Workstation]]:
    case = json.loads(DEMO_CASE.read_text(encoding="utf-8"))
    package = tmp_path / "package.json"
    package.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    # recorded as in the room: the recorder process on the synthetic camera (320x240: the stand-in face is found)
    room = Room(tmp_path / "home", passphrase=b"pw", recording=RecordingSettings(size=(320, 240), fps=5, segment_s=1))
    room.start(package)
    room.open_bids()
    room.advance("checkin")
    stations = {}
    for member in [m["id"] for m in case["committee"]]:
        code = room.check_identity(member, room.take_photo().jpeg)
        station = room.login(code, "2468")
        station.sign_letter(demo_signature(member), "{}", station.letter().version_sha256)
        station.declare(False, [], "")
        stations[member] = station
    room.advance("committee")
    room.elect_chair("E1")
    room.advance("preliminary")
    for station in stations.values():
        for bidder in ("B1", "B2", "B3", "B4"):
            station.verdict(bidder, True, None)
    room.advance("scoring")
    for member, station in stations.items():
        for bidder, row in case["scores"][member].items():
            for criterion, score in row.items():
                station.set_score(bidder, criterion, score)
        station.submit()
    room.advance("summary")
    return room, stations


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[Room, dict[str, Workstation], Path]:
    base = tmp_path_factory.mktemp("desk")
    room, stations = _to_summary(base)
    try:
        yield room, stations, base
    finally:
        room.close()
        assert room.recording is not None and not room.recording.alive()


def test_draft_sign_dissent_refuse_finalize_and_archive(played: tuple[Room, dict[str, Workstation], Path]) -> None:
    room, stations, _ = played
    digest = room.draft_report()
    view = room.view()
    assert view.stage == "report" and view.report.draft == digest
    assert [a.act for a in view.report.acts] == ["pending"] * 7
    pdf = room.report_pdf()
    assert pdf.startswith(b"%PDF") and sha256(pdf) == digest
    png = demo_signature("王建国")

    # an expert cannot sign for another: his key signing E2's name is refused by the fold (and kept as evidence)
    with pytest.raises(ActionRefused):
        room.session.sign_report_image(stations["E1"]._key, "E2", digest, "")
    assert room.view().report.act_of("E2").act == "pending"
    # what was not shown cannot be signed; a dissent needs reasons; a signature needs the handwriting
    with pytest.raises(ActionRefused, match="not the current draft"):
        stations["E1"].sign_report("0" * 64, png)
    with pytest.raises(DeskError, match="R-SIG-2"):
        stations["E2"].sign_report(digest, png, "   ")
    with pytest.raises(DeskError):
        stations["E1"].sign_report(digest, b"not a png")
    with pytest.raises(ActionRefused, match="R-SIG-1"):
        room.finalize_report()

    stations["E1"].sign_report(digest, png)
    stations["E2"].sign_report(digest, png, "技术方案评分偏高：B2 未响应第3.2条。")
    with pytest.raises(ActionRefused, match="already acted"):
        stations["E1"].sign_report(digest, png)
    with pytest.raises(DeskError):
        room.record_refusal("E3", " ")
    room.record_refusal("E3", "E3 拒绝签字且未说明理由，视为同意评标结论。")
    for member in ("E4", "E5", "E6", "E7"):
        stations[member].sign_report(digest, png)
    acts = {a.member: a.act for a in room.view().report.acts}
    assert acts == {"E1": "signed", "E2": "dissent", "E3": "refused", "E4": "signed", "E5": "signed", "E6": "signed",
                    "E7": "signed"}
    final = room.finalize_report()
    assert room.view().report.final == final and sha256(room.report_pdf(final=True)) == final

    steps: list[tuple[int, int, str]] = []
    archived = room.build_archive(lambda step, steps_, what: steps.append((step, steps_, what)))
    assert archived.problems == [], archived.problems
    assert [s for s, _, _ in steps] == sorted(s for s, _, _ in steps) and steps[-1][0] == steps[-1][1]
    bag = archived.built.bagdir
    assert bag.parent == room.home / "archives" and (bag / "data" / "documents" / "report.pdf").is_file()
    keys = room.home / "keys"
    verdict = verify_archive(bag, room_key=keys / "room.pub.pem", trust=[keys / "room-ca.pem"])
    assert verdict.problems == [] and not [n for n in verdict.notes if "segment" in n]
    # the console's video is in the archive (issue 13, defect 13): every segment the recorder wrote and chained
    recording = room.recording.out  # type: ignore[union-attr]
    assert recording == room.report_desk.folder / "recording"
    chained = sorted(str(r["file"]) for r in room.state.recordings)
    written = sorted(p.relative_to(recording).as_posix() for p in recording.glob("segments/*/*.ts"))
    archived = sorted(p.relative_to(bag / "data" / "recording").as_posix()
                      for p in bag.glob("data/recording/segments/*/*.ts"))
    assert len(chained) >= 2 and chained == written == archived
    assert room.view().report.archived and room.view().stage == "archived"
