"""The room around the evaluation, folded: opening (唱标, R-OPEN-3, objections), identity photo,
commitment letters (R-CHK-3), conflict-of-interest declarations (R-COI), incidents, sign-off."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import casebuilder as cb
import ledgerkit as lk
from app.crypto.keys import SigningKey
from app.services.session import ActionRefused, Session
from app.services.simulate import _package
from app.services.templates import commitment_letter

SHA = hashlib.sha256(b"photo").hexdigest()


def _at_checkin(tmp_path: Path) -> tuple[Session, dict[str, SigningKey], SigningKey]:
    """A session at check-in, with every member checked in but nothing signed yet."""
    doc = cb.case()
    room = SigningKey.generate()
    session = Session.create(tmp_path / "s.sqlite", "TEST-001-01", "test-room", _package(doc, "E1"), room)
    supervisor = SigningKey.generate()
    session.register_supervisor("监督员", supervisor)
    session.advance("opening")
    session.read_bids()
    session.advance("checkin")
    keys = {m["id"]: SigningKey.generate() for m in doc["committee"]}
    for member, key in keys.items():
        session.check_in(member, key)
    return session, keys, supervisor


def _sign_all(session: Session, keys: dict[str, SigningKey], except_: str | None = None) -> None:
    letter = commitment_letter()
    for member, key in keys.items():
        if member != except_:
            session.sign_letter(key, member, letter.name, letter.version_sha256)
            session.declare(key, member, conflict=False)


def test_the_opening_reads_the_package_and_refuses_fewer_than_three(tmp_path: Path) -> None:
    doc = cb.case(prices={"B1": "100.00", "B2": "110.00", "B3": "120.00"})
    doc["bidders"][2]["submitted_at"] = cb.at(1)  # one minute late (R-OPEN-2)
    session = Session.create(tmp_path / "s.sqlite", "T-01", "room", _package(doc, "E1"), SigningKey.generate())
    session.advance("opening")
    with pytest.raises(ActionRefused, match="the bids have not been read"):
        session.advance("checkin")
    session.read_bids()
    opening = session.state.opening
    assert opening["late"] == ["B3"] and opening["on_time"] == 2 and opening["refused"]
    with pytest.raises(ActionRefused, match=r"fewer than 3 bids .*\(2\).*R-OPEN-3"):
        session.advance("checkin")
    with pytest.raises(ActionRefused, match="B3's bid was late and not read"):  # nothing read to confirm
        session.confirm_opening("B3", "王五")
    session.confirm_opening("B1", "张三")
    assert session.state.stage == "opening"


def test_an_altered_bid_list_is_refused(tmp_path: Path) -> None:
    session = Session.create(tmp_path / "s.sqlite", "T-01", "room", _package(cb.case(), "E1"), SigningKey.generate())
    session.advance("opening")
    bids = [{"bidder": "B1", "price": "1.00"}]
    with pytest.raises(ActionRefused, match="must list every bid of the package"):
        session._act(session.room_key, "opening.read", {"bids": bids})


def test_objections_and_confirmations_are_recorded_on_the_spot(tmp_path: Path) -> None:
    kit = lk.start(tmp_path, upto="opening")
    kit.session.record_objection("B2", "B1 的报价大写与小写不一致", "以开标一览表大写金额为准，已当场记录")
    kit.session.confirm_opening("B1", "张三（授权代表）")
    opening = kit.state.opening
    assert opening["objections"][0]["answer"].startswith("以开标一览表")
    assert opening["confirmations"]["B1"]["representative"] == "张三（授权代表）"
    with pytest.raises(ActionRefused, match="unknown bidder"):
        kit.session.confirm_opening("B9", "李四")


def test_the_identity_photo_must_show_exactly_one_face(tmp_path: Path) -> None:
    session, _keys, _sup = _at_checkin(tmp_path)
    with pytest.raises(ActionRefused, match="exactly one face, it shows 2"):
        session.verify_identity("E1", SHA, 2)
    session.verify_identity("E1", SHA, 1, document="身份证")
    assert session.state.identities["E1"]["photo_sha256"] == SHA


def test_no_evaluation_without_a_signed_letter_and_a_declaration(tmp_path: Path) -> None:
    session, keys, _sup = _at_checkin(tmp_path)
    _sign_all(session, keys, except_="E2")
    session.advance("committee")
    session.elect_chair("E1")
    session.advance("preliminary")
    with pytest.raises(ActionRefused, match=r"E2 has not signed the commitment letter \(R-CHK-3\)"):
        session.verdict(keys["E2"], "E2", "B1", True)
    session.verdict(keys["E1"], "E1", "B1", True)


def test_a_letter_is_signed_only_by_its_own_signer(tmp_path: Path) -> None:
    session, keys, supervisor = _at_checkin(tmp_path)
    letter = commitment_letter()
    with pytest.raises(ActionRefused, match="an expert writes only his own commitment letter"):
        session.sign_letter(keys["E2"], "E3", letter.name, letter.version_sha256)
    session.sign_letter(supervisor, "supervisor 监督员", letter.name, letter.version_sha256)  # 细则 §43
    with pytest.raises(ActionRefused, match="already signed"):
        session.sign_letter(supervisor, "supervisor 监督员", letter.name, letter.version_sha256)
    with pytest.raises(ActionRefused, match="must sign the commitment letter before declaring"):
        session.declare(keys["E3"], "E3", conflict=False)


def test_a_declared_conflict_keeps_the_member_out(tmp_path: Path) -> None:
    session, keys, _sup = _at_checkin(tmp_path)
    letter = commitment_letter()
    session.sign_letter(keys["E4"], "E4", letter.name, letter.version_sha256)
    with pytest.raises(ActionRefused, match="needs at least one ground"):
        session.declare(keys["E4"], "E4", conflict=True)
    session.declare(keys["E4"], "E4", conflict=True, grounds=["director"], statement="两年前任投标人B2董事")
    _sign_all(session, {k: v for k, v in keys.items() if k != "E4"})
    session.advance("committee")
    session.elect_chair("E1")
    session.advance("preliminary")
    with pytest.raises(ActionRefused, match="declared a conflict of interest and must withdraw"):
        session.verdict(keys["E4"], "E4", "B1", True)


def test_incidents_and_sign_off_are_the_supervisor_s_even_while_paused(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    kit.session.pause(kit.supervisor, "监控画面中断")
    kit.session.record_incident(kit.supervisor, "14:05 第二评标室摄像头画面中断 2 分钟，已恢复")
    with pytest.raises(ActionRefused, match="only a supervisor may record an incident"):
        kit.session.record_incident(kit.members["E1"], "我要报告")
    kit.session.resume(kit.supervisor)
    kit.session.sign_off(kit.supervisor, "评标过程符合规定")
    assert [i["text"][:5] for i in kit.state.incidents] == ["14:05"]
    assert kit.state.sign_offs[0]["note"] == "评标过程符合规定"


def test_a_deduction_keeps_its_comment(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    kit.session.set_score(kit.members["E1"], "E1", "B1", "T1", "35", comment="技术方案缺少应急预案，扣5分")
    assert kit.state.score_comments["E1"]["B1"]["T1"] == "技术方案缺少应急预案，扣5分"
    kit.session.set_score(kit.members["E1"], "E1", "B1", "T1", "40")
    assert "T1" not in kit.state.score_comments["E1"]["B1"]


def test_a_reserve_takes_only_a_withdrawn_seat(tmp_path: Path) -> None:
    doc = cb.case()
    doc["reserves"] = [{"id": "R9", "name": "候补专家", "role": "expert"}]
    room = SigningKey.generate()
    session = Session.create(tmp_path / "s.sqlite", "TEST-001-01", "test-room", _package(doc, "E1"), room)
    session.advance("opening")
    session.read_bids()
    session.advance("checkin")
    keys = {m["id"]: SigningKey.generate() for m in doc["committee"]}
    for member, key in keys.items():
        session.check_in(member, key)
    with pytest.raises(ActionRefused, match="E3 has not withdrawn"):
        session.replace_member("E3", "R9")
    letter = commitment_letter()
    session.sign_letter(keys["E3"], "E3", letter.name, letter.version_sha256)
    session.declare(keys["E3"], "E3", conflict=True, grounds=["employment"], statement="曾在投标人B1任职")
    session.recuse(keys["E3"], "E3", "曾在投标人B1任职")
    with pytest.raises(ActionRefused, match="R7 is not among the drawn reserves"):
        session.replace_member("E3", "R7")
    session.replace_member("E3", "R9")
    with pytest.raises(ActionRefused, match="already replaced by R9"):
        session.replace_member("E3", "R9")
    committee = [m["id"] for m in session.state.case_document()["committee"]]
    assert committee == ["E1", "E2", "R9", "E4", "E5"]


def _recused_at_checkin(tmp_path: Path) -> tuple[Session, dict[str, SigningKey]]:
    """A committee of five with one reserve: E3 signs, declares a conflict with B2 and withdraws; the
    other four check in, sign and declare; check-in closes one short."""
    doc = cb.case()
    doc["reserves"] = [{"id": "R9", "name": "候补专家", "role": "expert"},
                       {"id": "R8", "name": "候补专家二", "role": "expert"}]
    session = Session.create(tmp_path / "s.sqlite", "TEST-001-01", "test-room", _package(doc, None),
                             SigningKey.generate())
    session.advance("opening")
    session.read_bids()
    session.advance("checkin")
    keys = {m["id"]: SigningKey.generate() for m in doc["committee"]}
    letter = commitment_letter()
    for member, key in keys.items():
        session.verify_identity(member, SHA, 1)
        session.check_in(member, key)
        session.sign_letter(key, member, letter.name, letter.version_sha256)
        if member == "E3":
            session.declare(key, member, conflict=True, grounds=["director"], statement="两年前任投标人B2董事")
            session.recuse(key, member, "两年前任投标人B2董事")
        else:
            session.declare(key, member, conflict=False)
    session.advance("committee")
    return session, keys


def test_a_reserve_checks_in_after_check_in_closed_short(tmp_path: Path) -> None:
    """Issue 13 defect 3: the reserve seated at the committee stage can still be checked in, sign, declare
    and evaluate; the withdrawn member's seat is his."""
    session, keys = _recused_at_checkin(tmp_path)
    assert session.state.stage == "committee"
    session.replace_member("E3", "R9")
    reserve = SigningKey.generate()
    session.verify_identity("R9", SHA, 1)  # the desk after the check-in stage: allowed for the vacancy
    session.check_in("R9", reserve)
    letter = commitment_letter()
    session.sign_letter(reserve, "R9", letter.name, letter.version_sha256)
    session.declare(reserve, "R9", conflict=False)
    assert session.state.members["R9"].author == reserve.key_id and "R9" in session.state.identities
    assert session.state.rejections == []
    session.elect_chair("R9")
    session.advance("preliminary")
    session.verdict(reserve, "R9", "B1", True)
    with pytest.raises(ActionRefused, match="key of E3 was revoked"):
        session.verdict(keys["E3"], "E3", "B1", True)  # the withdrawn member writes nothing more
    assert [m["id"] for m in session.state.case_document()["committee"]] == ["E1", "E2", "R9", "E4", "E5"]


def test_a_reserve_who_withdraws_too_is_replaced_by_the_next(tmp_path: Path) -> None:
    session, _keys = _recused_at_checkin(tmp_path)
    session.replace_member("E3", "R9")
    first = SigningKey.generate()
    session.check_in("R9", first)
    letter = commitment_letter()
    session.sign_letter(first, "R9", letter.name, letter.version_sha256)
    session.declare(first, "R9", conflict=True, grounds=["near_relative"], statement="B1法定代表人之子", bidders=["B1"])
    session.recuse(first, "R9", "B1法定代表人之子", bidders=["B1"])
    session.replace_member("R9", "R8")
    session.check_in("R8", SigningKey.generate())
    assert session.state.rejections == []
    assert [m["id"] for m in session.state.case_document()["committee"]] == ["E1", "E2", "R8", "E4", "E5"]


def test_after_check_in_the_desk_is_open_only_for_a_vacancy(tmp_path: Path) -> None:
    session, _keys = _recused_at_checkin(tmp_path)
    with pytest.raises(ActionRefused, match=r"only a reserve seated in a withdrawn member's place"):
        session.verify_identity("R9", SHA, 1)  # not seated yet: no vacancy filled
    session.replace_member("E3", "R9")
    session.advance("preliminary")  # the fold lets the stage go on (the console shows R9 is not checked in)
    with pytest.raises(ActionRefused, match="at stage preliminary: check-in is closed"):
        session.check_in("R9", SigningKey.generate())
    with pytest.raises(ActionRefused, match="at stage preliminary: check-in is closed"):
        session.verify_identity("R9", SHA, 1)


def test_an_absent_member_cannot_check_in_after_the_stage(tmp_path: Path) -> None:
    """No vacancy, no desk: a member who never came to the desk is not checked in once the stage closed."""
    session = Session.create(tmp_path / "s.sqlite", "TEST-001-01", "test-room", _package(cb.case(), "E1"),
                             SigningKey.generate())
    session.advance("opening")
    session.read_bids()
    session.advance("checkin")
    for member in ("E1", "E2", "E3", "E4"):
        session.check_in(member, SigningKey.generate())
    session.advance("committee")
    with pytest.raises(ActionRefused, match=r"check-in closed with the check-in stage: at stage committee"):
        session.check_in("E5", SigningKey.generate())
    with pytest.raises(ActionRefused, match=r"check-in closed with the check-in stage: at stage committee"):
        session.verify_identity("E5", SHA, 1)
    assert session.state.members["E5"].author is None and "E5" not in session.state.identities


def test_a_declared_conflict_names_its_bidders_and_old_declarations_still_fold(tmp_path: Path) -> None:
    """Issue 13 defect 4: the bidders of a conflict are recorded in the event and folded; a declaration
    or recusal written before they existed (no ``bidders``) still folds."""
    session, keys, _sup = _at_checkin(tmp_path)
    letter = commitment_letter()
    for member in ("E2", "E3", "E4"):
        session.sign_letter(keys[member], member, letter.name, letter.version_sha256)
    with pytest.raises(ActionRefused, match="body.bidders must be a list of distinct bidders of the package"):
        session.declare(keys["E2"], "E2", conflict=True, grounds=["director"], bidders=["B9"])
    with pytest.raises(ActionRefused, match="body.bidders must be a list of distinct bidders"):
        session._act(keys["E2"], "coi.declared", {"member": "E2", "conflict": True, "grounds": ["director"],
                                                 "bidders": [{"id": "B1"}]})
    with pytest.raises(ActionRefused, match="names the bidders of a declared conflict: there is none"):
        session.declare(keys["E2"], "E2", conflict=False, bidders=["B1"])
    session.declare(keys["E2"], "E2", conflict=True, grounds=["director", "interest"], statement="任B1、B3董事",
                    bidders=["B1", "B3"])
    assert session.state.declarations["E2"]["bidders"] == ["B1", "B3"]
    with pytest.raises(ActionRefused, match="body.bidders must be a list"):
        session.recuse(keys["E2"], "E2", "任B1董事", bidders=["B1", "B1"])
    session.recuse(keys["E2"], "E2", "任B1、B3董事", bidders=["B1", "B3"])
    # the format before bidders were named: no "bidders" key in either event
    session._act(keys["E3"], "coi.declared",
                 {"member": "E3", "conflict": True, "grounds": ["employment"], "statement": "曾任职"})
    session._act(keys["E3"], "recusal", {"member": "E3", "reason": "曾任职"})
    assert session.state.members["E3"].recused and session.state.declarations["E3"]["bidders"] == []
    session._act(keys["E4"], "coi.declared", {"member": "E4", "conflict": False, "grounds": [], "statement": ""})
    assert session.state.declarations["E4"] == {**session.state.declarations["E4"], "conflict": False, "bidders": []}


def test_a_new_login_replaces_the_session_key_only_when_it_names_the_old_one(tmp_path: Path) -> None:
    """A workstation login lost (console restarted): the desk binds a new key that names the key it replaces;
    the old key is revoked. A second check-in that names no key, or another key, changes nothing."""
    session, keys, _supervisor = _at_checkin(tmp_path)
    _sign_all(session, keys)
    session.advance("committee")
    session.elect_chair("E1")
    session.advance("preliminary")
    old = keys["E2"]
    session.verdict(old, "E2", "B1", True)
    with pytest.raises(ActionRefused, match="at stage preliminary: check-in is closed"):  # names no key
        session.check_in("E2", SigningKey.generate())
    with pytest.raises(ActionRefused, match="body.replaces is not the session key E2 holds now"):
        session.check_in("E2", SigningKey.generate(), replaces=keys["E3"].key_id)
    assert session.state.members["E2"].author == old.key_id
    new = SigningKey.generate()
    session.check_in("E2", new, replaces=old.key_id)
    state = session.state
    assert state.members["E2"].author == new.key_id and state.authors[old.key_id].revoked
    assert state.verdicts["E2"]["B1"]["pass"] is True  # what the old key wrote stands
    with pytest.raises(ActionRefused, match="was revoked"):
        session.verdict(old, "E2", "B2", True)
    session.verdict(new, "E2", "B2", True)
    assert set(session.state.verdicts["E2"]) == {"B1", "B2"}
    with pytest.raises(ActionRefused, match="check-in is closed"):  # no member E9: nothing to replace
        session.check_in("E9", SigningKey.generate(), replaces=old.key_id)


def test_a_key_is_not_replaced_for_a_member_never_checked_in_or_withdrawn(tmp_path: Path) -> None:
    session, keys = _recused_at_checkin(tmp_path)
    with pytest.raises(ActionRefused, match="E3 has recused"):
        session.check_in("E3", SigningKey.generate(), replaces=session.state.members["E3"].author)
    session.replace_member("E3", "R9")
    with pytest.raises(ActionRefused, match="R9 is not checked in: there is no session key to replace"):
        session.check_in("R9", SigningKey.generate(), replaces=keys["E1"].key_id)


def test_a_replaced_key_verifies_from_the_exported_events(tmp_path: Path) -> None:
    """Both keys of the member are declared by the room: the whole ledger verifies, signatures and rules."""
    from app.ledger.verify import verify_events

    session, keys, _supervisor = _at_checkin(tmp_path)
    new = SigningKey.generate()
    session.check_in("E2", new, replaces=keys["E2"].key_id)
    keys["E2"] = new
    _sign_all(session, keys)
    report = verify_events([(ev, f"s.sqlite:{ev.seq}") for ev in session.store.events()], session.room_key.public)
    assert [p for p in report.problems if p.startswith(("rule:", "signature:", "chain:"))] == []
    assert report.state is not None and report.state.members["E2"].author == new.key_id
