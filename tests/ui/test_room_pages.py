"""The room's pages driven as a person would: refusals are shown with the rule, nothing is lost."""

from __future__ import annotations

import json
from pathlib import Path

from app.recording.sources import SyntheticCamera
from dbops import ask
from ui.walkthrough import wait_idle


def _open(walk) -> None:  # type: ignore[no-untyped-def]
    console = walk.window.console
    console.show_page(1)
    walk.click(console.opening.open_button)


def _check_in_everyone(walk) -> None:  # type: ignore[no-untyped-def]
    _open(walk)
    walk.end_opening()
    for member in ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]:
        walk.check_in(member, first=False)
    walk.window.select_role(0)
    walk.click(walk.window.console.checkin.next_button)


def test_late_bid_refused_at_the_opening_and_the_record_kept(window, walk) -> None:
    _open(walk)
    page = window.console.opening
    assert "迟交 1 家已拒收（R-OPEN-2）" in page.status.text()
    assert page.bids.item(4, 4).text() == "迟交，拒收（R-OPEN-2）" and page.bids.item(4, 2).text() == "—"
    late = window.client.view.case.bidders[4].id  # read at no opening: no representative confirms its reading
    assert page.confirm_bidder.findData(late) == -1 and page.objection_bidder.findData(late) != -1
    page.objection_text.setText("对唱标顺序有异议")
    walk.click(page.objection_button)  # no answer: refused, nothing recorded
    assert walk.errors and "当场答复" in walk.errors[-1]
    assert window.client.view.opening["objections"] == []


def test_ending_the_opening_asks_first_naming_the_unconfirmed_and_moves_on_to_check_in(window, walk) -> None:
    _open(walk)
    console, page = window.console, window.console.opening
    page.confirm_bidder.setCurrentIndex(page.confirm_bidder.findData("B1"))
    page.representative.setText("李明")
    walk.click(page.confirm_button)
    walk.click(page.close_button)
    box = page.confirmation
    assert box is not None and box.isVisible() and window.client.view.stage == "opening"  # nothing ended yet
    text = box.text()
    assert "尚未确认开标记录" in text and "B1" not in text  # B1's representative confirmed
    assert all(f"{b} " in text for b in ("B2", "B3", "B4")) and "B5" not in text  # B5 was late: refused, not read
    walk.click(box.no)  # back to the opening: still open, still on its page
    assert window.client.view.stage == "opening" and console.stack.currentWidget() is page
    walk.click(page.close_button)
    walk.click(page.confirmation.yes)
    assert window.client.view.stage == "checkin"
    assert console.stack.currentWidget() is console.checkin and console.nav.currentRow() == 2


def test_fewer_than_three_bids_refuses_the_opening(window, walk, tmp_path: Path) -> None:
    case = json.loads(Path(walk.case and "examples/procurement-goods-comprehensive.json").read_text(encoding="utf-8"))
    for bidder in case["bidders"][2:]:
        bidder["submitted_at"] = "2026-11-20T10:00:00+08:00"
    package = tmp_path / "two.json"
    package.write_text(json.dumps(dict(case, project=dict(case["project"], code="JLZC-2026-099")), ensure_ascii=False),
                       encoding="utf-8")
    window.console.import_page.import_package(package)
    wait_idle(window.client)
    _open(walk)
    page = window.console.opening
    assert "不足 3 家，不得开标" in page.status.text() and "R-OPEN-3" in page.status.text()
    assert not page.close_button.isEnabled()


def test_a_malformed_package_is_refused_in_chinese_naming_the_field(window, tmp_path: Path) -> None:
    bad = json.loads(Path("examples/procurement-goods-comprehensive.json").read_text(encoding="utf-8"))
    bad["bidders"][1]["price"] = 10280000.0
    package = tmp_path / "bad.json"
    package.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    before = window.client.view.case.project.code
    window.console.import_page.import_package(package)
    wait_idle(window.client)
    message = window.console.import_page.message.text()
    assert "会话包有误，未导入" in message and "投标人 › 第2项 › 投标报价" in message and "带引号的数字" in message
    assert window.client.view.case.project.code == before


def test_check_in_needs_exactly_one_face(qtbot, window, walk) -> None:
    _open(walk)
    walk.end_opening()
    ask(qtbot, window.client, lambda room: setattr(room, "camera", SyntheticCamera(faces=2)))
    desk = window.console.checkin
    window.console.show_page(2)
    walk.click(desk.photo_button)
    assert "检测到2张人脸" in desk.photo_status.text() and not desk.verify_button.isEnabled()
    ask(qtbot, window.client, lambda room: setattr(room, "camera", SyntheticCamera(faces=1)))
    walk.click(desk.photo_button)
    walk.click(desk.verify_button)
    assert len(desk.codes["E1"]) == 6 and desk.code.text() == desk.codes["E1"]


def test_wrong_login_code_is_refused(window, walk) -> None:
    window.select_role(1)
    login = window.workstations.login
    login.code.setText("000000")
    login.pin.setText("1234")
    walk.click(login.button)
    assert "登录码不正确" in login.message.text() and not window.workstations.stations


def test_purchaser_representative_cannot_chair(window, walk) -> None:
    _check_in_everyone(walk)
    page = window.console.committee
    window.console.show_page(3)
    page.candidate.setCurrentIndex(page.candidate.findData("E7"))
    walk.click(page.elect_button)
    assert "R-COM-7" in page.message.text() and "不得担任评标委员会组长" in page.message.text()
    assert "R-COM-6" in page.check.text() and not page.next_button.isEnabled()
    page.candidate.setCurrentIndex(page.candidate.findData("E2"))
    walk.click(page.elect_button)
    assert "组成检查通过" in page.check.text() and page.next_button.isEnabled()


def test_scoring_rules_submit_reopen_and_pause(window, walk) -> None:
    _check_in_everyone(walk)
    console = window.console
    console.show_page(3)
    console.committee.candidate.setCurrentIndex(console.committee.candidate.findData("E1"))
    walk.click(console.committee.elect_button)
    walk.click(console.committee.next_button)
    station = window.workstations.show_station("E2")
    prelim = station.preliminary
    prelim.set_verdict("B1", False, "")
    assert "必须填写理由" in prelim.message.text()
    wait_idle(window.client)
    assert "B1" not in window.client.view.verdicts.get("E2", {})
    for member in ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]:
        page = window.workstations.show_station(member).preliminary
        for bidder in page._bidders:
            page.set_verdict(bidder, True)
    wait_idle(window.client)
    walk.click(console.summary.scoring_button)

    scoring = window.workstations.show_station("E2").scoring
    assert scoring.submit(confirm=False) is False and "未评分" in scoring.message.text()
    scoring.enter("B1", "T1", "20")  # a deduction without its reason
    for bidder in ("B1", "B2", "B3", "B4"):
        for criterion in ("T1", "T2", "T3", "S1", "C1", "C2"):
            if (bidder, criterion) != ("B1", "T1"):
                maxima = {"T1": "25", "T2": "20", "T3": "8", "S1": "7", "C1": "2", "C2": "8"}
                scoring.enter(bidder, criterion, maxima[criterion])
    wait_idle(window.client)
    assert scoring.submit(confirm=False) is False and "扣分须填写理由" in scoring.message.text()
    scoring.enter("B1", "T1", "20", "技术方案缺少应急预案")
    wait_idle(window.client)
    assert scoring.submit(confirm=False)
    wait_idle(window.client)
    assert scoring.model.read_only and not scoring.model.setData(scoring.model.index(0, 0), "21")
    assert window.client.view.comments["E2"]["B1"]["T1"] == "技术方案缺少应急预案"
    walk.click(scoring.documents_button)  # the bid files beside the grid: the demo's case carries none
    assert not scoring.viewer.isHidden() and "无电子投标文件" in scoring.viewer.left.status.text()
    assert scoring.documents_button.text() == "收起投标文件"
    assert scoring.sheet is not None and not scoring.sheet.isHidden()
    walk.click(scoring.documents_button)
    assert scoring.viewer.isHidden() and scoring.documents_button.text() == "投标文件对照"

    chair = window.workstations.show_station("E1").chair
    chair.sheet_owner.setCurrentIndex(chair.sheet_owner.findData("E2"))
    chair.reason.setText("请核对技术方案评分")
    walk.click(chair.reopen_button)
    assert not window.workstations.stations["E2"].scoring.model.read_only

    window.select_role(2)
    supervisor = window.supervisor
    supervisor.reason.setText("监控画面中断，暂停评标")
    walk.click(supervisor.pause_button)
    scoring.enter("B1", "T1", "21", "再次核对")
    wait_idle(window.client)
    assert window.client.view.paused and window.client.view.scores["E2"]["B1"]["T1"] == "20"
    supervisor.reason.setText("画面已恢复")
    walk.click(supervisor.resume_button)
    assert not window.client.view.paused
    stream = [e.name for e in window.client.view.events]
    assert "中止" in stream and "恢复" in stream and "退回评分" in stream


def test_a_declared_conflict_withdraws_the_member_and_a_reserve_takes_the_seat(qtbot, window, walk) -> None:
    _open(walk)
    walk.end_opening()
    for member in ["E1", "E2", "E3", "E5", "E6", "E7"]:
        walk.check_in(member, first=False)
    # E4 checks in but declares a conflict after seeing the bidder list (S5)
    walk.window.select_role(0)
    desk = window.console.checkin
    desk.member.setCurrentIndex(desk.member.findData("E4"))
    walk.click(desk.photo_button)
    walk.click(desk.verify_button)
    window.select_role(1)
    login = window.workstations.login
    window.workstations.picker.setCurrentIndex(0)
    login.code.setText(desk.codes["E4"])
    login.pin.setText("1357")
    walk.click(login.button)
    station = window.workstations.stations["E4"]
    from ui.walkthrough import sign_by_hand

    sign_by_hand(station.letter, 3)
    walk.click(station.letter.sign_button)
    station.steps.setCurrentIndex(1)
    declaration = station.declaration
    declaration.conflict.setChecked(True)
    declaration.grounds["director"].setChecked(True)
    declaration.set_conflict_with("B2")
    declaration.statement.setText("两年前曾任投标人B2董事")
    walk.click(declaration.button)
    walk.click(declaration.confirmation.yes)
    assert window.client.view.member("E4").recused
    window.select_role(0)
    window.console.show_page(3)
    page = window.console.committee
    assert page.withdrawn.currentData() == "E4" and page.reserve.currentData() == "R1"
    walk.click(page.replace_button)
    assert window.client.view.replacements["E4"]["id"] == "R1"
    walk.check_in("R1", first=False)
    window.select_role(0)
    window.console.show_page(2)
    walk.click(window.console.checkin.next_button)
    window.console.show_page(3)
    page.candidate.setCurrentIndex(page.candidate.findData("E1"))
    walk.click(page.elect_button)
    assert "组成检查通过：7 人" in page.check.text()
    document = ask(qtbot, window.client, lambda room: room.state.case_document())
    assert [m["id"] for m in document["committee"]] == ["E1", "E2", "E3", "R1", "E5", "E6", "E7"]
