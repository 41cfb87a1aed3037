"""The report's life in the fold: draft, signatures over it, dissent, refusal, final, lock, re-evaluation."""

from __future__ import annotations

from pathlib import Path

import pytest

import ledgerkit as lk
from app.services.session import ActionRefused

DRAFT, OTHER = "ab" * 32, "cd" * 32
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="


def _at_report(tmp_path: Path) -> lk.Kit:
    kit = lk.start(tmp_path)
    kit.score_all()
    kit.session.advance("summary")
    kit.session.advance("report")
    kit.session.draft_report(DRAFT, "#1 00")
    return kit


def test_members_sign_the_current_draft_and_the_report_is_final_only_when_all_acted(tmp_path: Path) -> None:
    kit = _at_report(tmp_path)
    s, members = kit.session, list(kit.members.items())
    with pytest.raises(ActionRefused, match="not the current draft"):
        s.sign_report_image(members[0][1], members[0][0], OTHER, PNG)
    with pytest.raises(ActionRefused, match="not a PNG"):
        s.sign_report_image(members[0][1], members[0][0], DRAFT, "aGVsbG8=")
    s.sign_report_image(members[0][1], members[0][0], DRAFT, PNG)
    with pytest.raises(ActionRefused, match="already acted"):
        s.sign_report_image(members[0][1], members[0][0], DRAFT, PNG)
    with pytest.raises(ActionRefused, match="needs written reasons|body.reasons"):
        s.dissent_report(members[1][1], members[1][0], DRAFT, "   ")
    s.dissent_report(members[1][1], members[1][0], DRAFT, "价格分计算有误", PNG)
    with pytest.raises(ActionRefused, match="only the chair or the room console"):
        s.note_refusal(members[2][0], "拒签", chair_key=members[3][1])
    s.note_refusal(members[2][0], "拒绝签字且未说明理由，视为同意")
    with pytest.raises(ActionRefused, match="not every member has acted"):
        s.finalize_report(DRAFT, OTHER, 1000)
    for member, key in members[3:]:
        s.sign_report(key, member, DRAFT)
    s.finalize_report(DRAFT, OTHER, 1000)
    report = kit.state.report
    assert report.final == OTHER and report.dissents == {members[1][0]: "价格分计算有误"}
    assert set(report.refusals) == {members[2][0]} and set(report.images) == {members[0][0], members[1][0]}
    with pytest.raises(ActionRefused, match="the report is final"):
        s.draft_report(OTHER, "#1 00")
    s.close()


def test_a_new_draft_clears_the_acts_on_the_old_one(tmp_path: Path) -> None:
    kit = _at_report(tmp_path)
    member, key = next(iter(kit.members.items()))
    kit.session.sign_report(key, member, DRAFT)
    kit.session.draft_report(OTHER, "#2 00")
    assert kit.state.report.signed == {} and kit.state.report.draft == OTHER
    kit.session.close()


def test_an_error_after_signing_locks_the_report_and_the_committee_re_evaluates(tmp_path: Path) -> None:
    kit = _at_report(tmp_path)
    s = kit.session
    with pytest.raises(ActionRefused, match="only a final report is locked"):
        s.lock_report("汇总错误")
    for member, key in kit.members.items():
        s.sign_report(key, member, DRAFT)
    s.finalize_report(DRAFT, OTHER, 10)
    with pytest.raises(ActionRefused, match="follows a locked report"):
        s.open_reevaluation("复核")
    s.lock_report("汇总计算错误（R-SCR-2）", key=kit.supervisor)
    with pytest.raises(ActionRefused, match="locked"):
        s.finalize_report(DRAFT, OTHER, 10)
    s.open_reevaluation("原评标委员会重新评审")
    state = kit.state
    assert state.stage == "scoring" and not any(m.submitted for m in state.members.values())
    assert state.report.final is None and state.report.history[0]["locked"] == "汇总计算错误（R-SCR-2）"
    kit.score_all()
    s.advance("summary")
    s.advance("report")
    s.draft_report(DRAFT, "#3 00")
    s.close()
