"""The fold and its permission rules (issue #3 §4): rejected events stay, are reported, have no effect."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import ledgerkit as lk
from app.crypto.keys import SigningKey
from app.domain.case_parse import parse_case
from app.domain.evaluate import evaluate
from app.ledger.authors import key_to_json, sign_binding
from app.ledger.fold import fold
from app.services.session import ActionRefused


def _rejected(kit: lk.Kit) -> list[str]:
    return [r.message for r in kit.state.rejections]


def test_a_played_session_folds_to_the_rule_engine_result(tmp_path: Path) -> None:
    kit = lk.played(tmp_path)
    assert kit.state.stage == "archived" and not kit.state.rejections
    assert kit.state.result().to_json() == evaluate(parse_case(kit.document)).to_json()


def test_fold_is_independent_of_the_order_events_arrive_in(tmp_path: Path) -> None:
    kit = lk.played(tmp_path)
    events = kit.events()
    reference = fold(events, kit.room.key_id)
    for seed in range(5):
        shuffled = events[:]
        random.Random(seed).shuffle(shuffled)
        state = fold(shuffled, kit.room.key_id)
        assert state.scores == reference.scores and state.stage == reference.stage
        assert state.result().to_json() == reference.result().to_json()


def test_an_expert_writes_only_his_own_scores(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    with pytest.raises(ActionRefused) as refused:
        kit.session.set_score(kit.members["E2"], "E3", "B1", "T1", "10")
    message = str(refused.value)
    assert message.startswith("event ") and " by E2: score.set refused: E2 wrote scores for E3: " in message
    assert "an expert writes only his own scores (DESIGN §2)" in message
    assert "E3" not in kit.state.scores
    assert _rejected(kit) == [message]  # kept as evidence and listed


def test_no_score_after_submission_until_the_chair_reopens(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    kit.score_all()
    with pytest.raises(ActionRefused, match="E2 has already submitted the score sheet; only the chair can reopen it"):
        kit.session.set_score(kit.members["E2"], "E2", "B1", "T1", "12")
    assert kit.state.scores["E2"]["B1"]["T1"] == "30"
    with pytest.raises(ActionRefused, match=r"only the chair records committee decisions \(the chair is E1\)"):
        kit.session.reopen(kit.members["E3"], "E2", "typo")
    kit.session.reopen(kit.members["E1"], "E2", "typo in B1")
    kit.session.set_score(kit.members["E2"], "E2", "B1", "T1", "12")
    kit.session.submit(kit.members["E2"], "E2")
    assert kit.state.scores["E2"]["B1"]["T1"] == "12"


def test_scores_only_while_scoring_is_open(tmp_path: Path) -> None:
    kit = lk.start(tmp_path, upto="preliminary")
    with pytest.raises(ActionRefused, match=r"scoring is not open \(stage preliminary\)"):
        kit.session.set_score(kit.members["E1"], "E1", "B1", "T1", "10")


def test_pause_only_by_a_supervisor_and_nothing_moves_while_paused(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    with pytest.raises(ActionRefused, match=r"only a supervisor may pause the session \(DESIGN §2\)"):
        kit.session.pause(kit.room, "fire drill")
    with pytest.raises(ActionRefused, match="only a supervisor may pause"):
        kit.session.pause(kit.members["E1"], "break")
    assert not kit.state.paused
    kit.session.pause(kit.supervisor, "camera lost")
    with pytest.raises(ActionRefused, match="the session is paused"):
        kit.session.set_score(kit.members["E1"], "E1", "B1", "T1", "10")
    kit.session.record_fault({"at": "2026-11-20T02:00:00Z", "kind": "camera_lost"})  # recording goes on
    with pytest.raises(ActionRefused, match="only a supervisor may resume"):
        kit.session.resume(kit.members["E1"])
    kit.session.resume(kit.supervisor)
    kit.session.set_score(kit.members["E1"], "E1", "B1", "T1", "10")
    assert kit.state.scores["E1"]["B1"]["T1"] == "10" and len(kit.state.faults) == 1


def test_committee_decisions_are_chair_only(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    with pytest.raises(ActionRefused, match="only the chair records committee decisions"):
        kit.session.decide_low_price(kit.members["E2"], "B1", "rejected")
    with pytest.raises(ActionRefused, match="only the chair"):
        kit.session.decide_low_price(kit.room, "B1", "rejected")
    kit.session.decide_low_price(kit.members["E1"], "B1", "accepted")
    assert kit.state.low_price_decisions == {"B1": "accepted"}


def test_stages_only_forward_and_only_by_the_room(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    with pytest.raises(ActionRefused, match=r"scoring cannot close: E1, E2, E3, E4, E5 not submitted"):
        kit.session.advance("summary")
    with pytest.raises(ActionRefused, match="stage report cannot follow scoring"):
        kit.session.advance("report")
    with pytest.raises(ActionRefused, match="only the room console may write this"):
        kit.session._act(kit.members["E1"], "stage.advanced", {"to": "summary"})


def test_scores_are_checked_by_the_rule_engine_s_own_rules(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    with pytest.raises(ActionRefused, match=r'scores\.E1\.B1\.T1: "41" is above the maximum 40'):
        kit.session.set_score(kit.members["E1"], "E1", "B1", "T1", "41")
    with pytest.raises(ActionRefused, match="is not a multiple of the step"):
        kit.session.set_score(kit.members["E1"], "E1", "B1", "T1", "10.25")
    with pytest.raises(ActionRefused, match="unknown bidder 'B9'"):
        kit.session.set_score(kit.members["E1"], "E1", "B9", "T1", "10")


def test_unknown_keys_and_recused_members_write_nothing(tmp_path: Path) -> None:
    kit = lk.start(tmp_path, upto="committee")
    stranger = SigningKey.generate()
    with pytest.raises(ActionRefused, match="its author is not a key registered in this session"):
        kit.session.recuse(stranger, "E1", "x")
    kit.session.recuse(kit.members["E5"], "E5", "近亲属")
    assert kit.state.members["E5"].recused
    with pytest.raises(ActionRefused, match="the key of E5 was revoked"):
        kit.session.recuse(kit.members["E5"], "E5", "again")
    assert "E5" not in [m["id"] for m in kit.state.case_document()["committee"]]


def test_check_in_needs_the_expert_key_s_binding(tmp_path: Path) -> None:
    kit = lk.start(tmp_path, upto="checkin")
    key, other = SigningKey.generate(), SigningKey.generate()
    forged = {"member": "E1", "key": key_to_json(key.public), "binding": sign_binding(other, "TEST-001-01", "E1")}
    with pytest.raises(ActionRefused, match="checkin refused: the binding is not signed by E1's session key"):
        kit.session._act(kit.room, "checkin", forged)
    kit.session.check_in("E1", key)
    with pytest.raises(ActionRefused, match="E1 is already checked in"):
        kit.session.check_in("E1", other)
    with pytest.raises(ActionRefused, match="E9 is not a member of the committee"):
        kit.session.check_in("E9", other)


def test_drafts_do_not_count_until_submitted(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    kit.score_all(submit=False)
    result = kit.state.result().to_json()
    assert result["status"] == "blocked"


def test_the_whole_life_of_a_session_folds_into_the_projections(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    s = kit.session
    s.record_segment({"start": "2026-11-20T01:00:00Z", "end": "2026-11-20T01:01:00Z", "frames": 1500,
                      "sha256": "ab" * 32})
    kit.score_all()
    s.advance("summary")
    s.advance("report")
    with pytest.raises(ActionRefused, match="E2 wrote report signature for E3"):
        s.sign_report(kit.members["E2"], "E3", "cd" * 32)
    for member, key in kit.members.items():
        s.sign_report(key, member, "cd" * 32)
    s.archive()
    with pytest.raises(ActionRefused, match="the session is archived"):
        s.record_fault({"kind": "late"})
    state = kit.state
    assert state.stage == "archived" and len(state.recordings) == 1 and len(state.report_signatures) == 5
    assert [c.stage for c in state.checkpoints][-2:] == ["summary", "archived"]
    s.close()
    import sqlite3

    conn = sqlite3.connect(kit.path)
    try:
        assert conn.execute("SELECT stage, chair FROM proj_session").fetchall() == [("archived", "E1")]
        assert conn.execute("SELECT count(*) FROM proj_signatures").fetchone() == (5,)
        assert conn.execute("SELECT kind, body FROM proj_recordings").fetchone()[0] == "segment"
        assert conn.execute("SELECT count(*) FROM proj_rejections").fetchone() == (2,)
    finally:
        conn.close()


def test_a_terminated_session_can_only_be_archived(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    with pytest.raises(ActionRefused, match="only a supervisor may terminate the session"):
        kit.session.terminate(kit.room, "x")
    kit.session.terminate(kit.supervisor, "投标人串通 / collusion found")
    with pytest.raises(ActionRefused, match="the session was terminated"):
        kit.session.set_score(kit.members["E1"], "E1", "B1", "T1", "10")
    with pytest.raises(ActionRefused, match="the session was terminated"):
        kit.session.advance("summary")
    kit.session.archive()
    assert kit.state.stage == "archived" and kit.state.terminated


def test_a_registered_recorder_key_records_and_nothing_else(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    recorder = SigningKey.generate()
    with pytest.raises(ActionRefused, match="its author is not a key registered in this session"):
        kit.session._act(recorder, "recording.segment", {"sha256": "ab" * 32})
    kit.session.register_recorder("camera-1", recorder.public)
    kit.session._act(recorder, "recorder.started", {"source": "synthetic"})
    kit.session._act(recorder, "recording.segment", {"sha256": "ab" * 32, "frames": 1500})
    with pytest.raises(ActionRefused, match="only a committee member's session key may write scores"):
        kit.session.set_score(recorder, "E1", "B1", "T1", "10")
    with pytest.raises(ActionRefused, match="only the room console or its registered recorder may record this"):
        kit.session._act(kit.members["E1"], "recording.fault", {"kind": "x"})
    assert len(kit.state.recordings) == 1 and kit.state.recorder_log[0]["type"] == "recorder.started"
    assert kit.state.authors[recorder.key_id].label == "recorder camera-1"
    kit.session.close()
    from app.services.ledger_check import verify_path

    found = verify_path(kit.path).problems
    assert len(found) == 3 and all(p.startswith("rule: ") for p in found)
