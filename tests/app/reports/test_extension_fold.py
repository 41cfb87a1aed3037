"""R-SCR-6: more evaluation time — who may ask, who decides, and the more-than-a-third rule in the fold."""

from __future__ import annotations

from pathlib import Path

import pytest

import casebuilder as cb
import ledgerkit
from app.ledger.fold import fold
from app.ledger.report_fold import extension_required
from app.services.report import decide_extension, request_extension
from app.services.session import ActionRefused


def test_more_than_a_third_is_exact() -> None:
    assert [extension_required(k, 7) for k in range(5)] == [False, False, False, True, True]  # 3 of 7 forces it
    assert [extension_required(k, 5) for k in range(4)] == [False, False, True, True]  # 2 of 5 (6 > 5)
    # 3 of 9 is a third, not more
    assert [extension_required(k, 9) for k in range(5)] == [False, False, False, False, True]
    assert not extension_required(0, 0)


def test_in_a_committee_of_seven_two_requests_may_be_refused_three_may_not(tmp_path: Path) -> None:
    kit = ledgerkit.start(tmp_path, ledgerkit.document(members=cb.committee(experts=7)))
    members = list(kit.members)
    n = len(members)
    assert n == 7
    session = kit.session
    asked = members[:2]  # 2 of 7: at most a third, the tenderer may refuse
    for m in asked:
        request_extension(session, kit.members[m], m, "技术部分资料较多，时间不足")
    assert sorted(kit.state.extension_requests) == sorted(asked)
    decide_extension(session, False, 0, "评标时间已按项目规模合理设定")
    first = kit.state.extensions[-1]
    assert first["granted"] is False and first["required"] is False and first["requesters"] == sorted(asked)
    assert kit.state.extension_requests == {}  # a new round of requests

    more = members[:3]  # 3 of 7: more than a third, the time shall be extended
    for m in more:
        request_extension(session, kit.members[m], m)
    with pytest.raises(ActionRefused, match="R-SCR-6"):
        decide_extension(session, False, 0, "不同意延长")
    with pytest.raises(ActionRefused, match="minutes"):
        decide_extension(session, True, 0, "延长")
    decide_extension(session, True, 60, "超过三分之一成员认为时间不足，延长 60 分钟")
    last = kit.state.extensions[-1]
    assert last == {**last, "granted": True, "minutes": 60, "required": True, "requesters": sorted(more), "members": n}
    # the fold of the stored events says the same (the refused attempts are evidence, not state)
    again = fold(kit.events(), kit.session.state.room_author)
    assert again.extensions == kit.state.extensions
    assert sum("R-SCR-6" in r.message for r in again.rejections) == 1


def test_who_may_ask_and_who_decides(tmp_path: Path) -> None:
    kit = ledgerkit.start(tmp_path)
    session = kit.session
    first, second = list(kit.members)[:2]
    with pytest.raises(ActionRefused, match="only his own"):  # an expert asks only for himself
        request_extension(session, kit.members[first], second)
    request_extension(session, kit.members[first], first)
    with pytest.raises(ActionRefused, match="already asked"):
        request_extension(session, kit.members[first], first)
    with pytest.raises(ActionRefused, match="room console"):  # a member cannot decide
        session._act(kit.members[first], "time.extension_decided", {"granted": True, "minutes": 30, "reason": "x"})
    with pytest.raises(ActionRefused, match="room console"):  # nor the supervisor
        session._act(kit.supervisor, "time.extension_decided", {"granted": True, "minutes": 30, "reason": "x"})
    with pytest.raises(ActionRefused, match="reason"):
        decide_extension(session, True, 30, " ")
    assert kit.state.extensions == []


def test_time_is_asked_only_while_evaluating(tmp_path: Path) -> None:
    kit = ledgerkit.start(tmp_path, upto="committee")
    member = next(iter(kit.members))
    with pytest.raises(ActionRefused, match="stage"):
        request_extension(kit.session, kit.members[member], member)
    with pytest.raises(ActionRefused, match="stage"):
        decide_extension(kit.session, True, 30, "延长")


def test_the_report_prints_the_requests_and_the_decision(tmp_path: Path) -> None:
    from app.archive.textcheck import compact, pages_text
    from app.services.report import sign_all

    kit = ledgerkit.start(tmp_path, ledgerkit.document(members=cb.committee(experts=7)))
    for m in ("E1", "E2", "E3"):
        request_extension(kit.session, kit.members[m], m, "资料较多")
    decide_extension(kit.session, True, 45, "三名成员认为时间不足，依法延长")
    request_extension(kit.session, kit.members["E4"], "E4")  # still pending when the report is drafted
    kit.score_all()
    kit.session.advance("summary")
    kit.session.advance("report")
    draft, final = sign_all(kit.session, kit.members)
    for pdf in (draft, final):
        text = compact("".join(pages_text(pdf)))
        assert compact("延长 45 分钟（超过三分之一成员认为时间不足，应当延长，R-SCR-6）") in text
        assert compact("专家1（E1）、专家2（E2）、专家3（E3）（3/7 人）") in text
        assert compact("三名成员认为时间不足，依法延长") in text
        assert compact("尚未决定的延长申请：专家4（E4）") in text
        assert "无评标时间延长" not in text
