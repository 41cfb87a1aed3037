"""Issue 18 item 4: the collusion screen's findings as the room's event at opening, and the committee's decision
on each as the chair's event (办法 §21; R-PRE-1(7)): warnings, never rejections; every malformed or misplaced
event is refused with the reason and recorded as evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import ledgerkit as lk
from app.crypto.keys import SigningKey
from app.ledger.fold import fold
from app.services.session import ActionRefused, Session
from app.services.simulate import _package

FINDINGS: list[dict[str, Any]] = [
    {"kind": "same_author", "bidders": ["B1", "B3"], "evidence": "author 'Zhang Wei': bids/B1/t.pdf, bids/B3/t.pdf"},
    {"kind": "price_equal_spacing", "bidders": ["B1", "B2", "B3"], "evidence": "B1 100, B2 110, B3 120: each 10 apart"},
]


def _screened(session: Session) -> None:
    session.record_screen(FINDINGS, 5)


def test_findings_are_recorded_once_after_the_bids_are_read(tmp_path: Path) -> None:
    kit = lk.start(tmp_path, upto="opening", at_opening=_screened)
    screen = kit.session.state.screen
    assert screen is not None and screen["documents"] == 5 and screen["findings"] == FINDINGS
    assert screen["decisions"] == {}
    with pytest.raises(ActionRefused, match="already screened"):
        kit.session.record_screen([], 5)


def test_the_screen_needs_the_bids_read_and_the_room(tmp_path: Path) -> None:
    session = Session.create(tmp_path / "s.sqlite", "T-01", "room", _package(lk.document(), "E1"),
                             SigningKey.generate())
    session.advance("opening")
    with pytest.raises(ActionRefused, match="bids have not been read"):
        session.record_screen(FINDINGS, 5)
    session.read_bids()
    session.advance("checkin")
    member = SigningKey.generate()
    session.check_in("E1", member)
    with pytest.raises(ActionRefused, match="room"):  # a member's key may not write the platform's screen
        session._act(member, "screen.findings", {"findings": FINDINGS, "documents": 5})
    assert session.state.screen is None


@pytest.mark.parametrize(("finding", "reason"), [
    ({"kind": "same_author", "bidders": ["B1", "B9"], "evidence": "x"}, "unknown bidder 'B9'"),
    ({"kind": "same_colour", "bidders": ["B1", "B2"], "evidence": "x"}, "unknown finding kind"),
    ({"kind": "price_fixed_ratio", "bidders": ["B1", "B2"], "evidence": "x"}, "at least 3 different bidders"),
    ({"kind": "same_author", "bidders": ["B1", "B1"], "evidence": "x"}, "at least 2 different bidders"),
    ({"kind": "same_author", "bidders": ["B1", "B2"], "evidence": " "}, "evidence must be"),
    ({"kind": "same_author", "bidders": ["B1", "B2"]}, "exactly kind, bidders and evidence"),
])
def test_a_malformed_finding_is_refused_by_name(tmp_path: Path, finding: dict[str, Any], reason: str) -> None:
    kit = lk.start(tmp_path, upto="opening")
    with pytest.raises(ActionRefused, match=r"findings\[1\]: .*" + reason.replace("(", r"\(")):
        kit.session.record_screen([FINDINGS[0], finding], 5)
    assert kit.session.state.screen is None


def test_the_chair_records_the_committees_decisions(tmp_path: Path) -> None:
    kit = lk.start(tmp_path, upto="preliminary", at_opening=_screened)
    chair = kit.members["E1"]
    kit.session.decide_finding(chair, 0, False, "作者为同一招标代理提供的模板署名，已核实无关联")
    kit.session.decide_finding(chair, 1, True, "报价呈等差且技术文件雷同")
    decisions = kit.session.state.screen["decisions"]
    assert decisions[0]["collusion"] is False and decisions[1]["collusion"] is True
    assert decisions[1]["reason"] == "报价呈等差且技术文件雷同"
    state = fold(kit.session.store.events())  # the same from the ledger alone (a verifier's fold)
    assert state.screen == kit.session.state.screen and not state.rejections


@pytest.mark.parametrize(("who", "body", "reason"), [
    ("E2", {"finding": 0, "collusion": True, "reason": "r"}, "chair"),
    ("E1", {"finding": 2, "collusion": True, "reason": "r"}, "unknown finding 2"),
    ("E1", {"finding": True, "collusion": True, "reason": "r"}, "unknown finding True"),
    ("E1", {"finding": 0, "collusion": "yes", "reason": "r"}, "collusion must be true or false"),
    ("E1", {"finding": 0, "collusion": False, "reason": "  "}, "committee's reasons"),
])
def test_a_wrong_decision_is_refused(tmp_path: Path, who: str, body: dict[str, Any], reason: str) -> None:
    kit = lk.start(tmp_path, upto="preliminary", at_opening=_screened)
    with pytest.raises(ActionRefused, match=reason):
        kit.session._act(kit.members[who], "screen.decided", body)
    assert kit.session.state.screen["decisions"] == {}


def test_no_decision_without_a_screen_nor_once_the_report_is_drafted(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    kit = lk.start(tmp_path / "a", upto="preliminary")
    with pytest.raises(ActionRefused, match="not screened"):
        kit.session.decide_finding(kit.members["E1"], 0, True, "r")
    kit = lk.start(tmp_path / "b", at_opening=_screened)
    kit.score_all()
    kit.session.advance("summary")
    kit.session.advance("report")  # the report is drafted from the decisions made: none after it
    with pytest.raises(ActionRefused, match="preliminary or scoring or summary"):
        kit.session.decide_finding(kit.members["E1"], 0, True, "r")
