"""A recusal through the real pages (issue 13, defects 3 and 4): the bidder list comes before the letter,
the declaration is chosen explicitly, names its bidder and is confirmed; closing check-in short says which
rule will fail; the reserve seated at the committee stage is checked in there and the evaluation starts."""

from __future__ import annotations

from ui.walkthrough import sign_by_hand, wait_idle

B2 = "长春博远教育装备有限公司"
OTHERS = ["E1", "E2", "E4", "E5", "E6", "E7"]


def _log_in(walk, member: str):  # type: ignore[no-untyped-def]
    """The check-in desk (photo, identity, code), then the workstation login with the code."""
    window = walk.window
    window.select_role(0)
    window.console.show_page(2)
    desk = window.console.checkin
    desk.member.setCurrentIndex(desk.member.findData(member))
    walk.click(desk.photo_button)
    walk.click(desk.verify_button)
    window.select_role(1)
    window.workstations.picker.setCurrentIndex(0)
    login = window.workstations.login
    login.code.setText(desk.codes[member])
    login.pin.setText("1357")
    walk.click(login.button)
    return window.workstations.stations[member]


def test_a_recusal_names_its_bidder_and_the_reserve_checks_in_after_check_in_closed(window, walk) -> None:
    console = window.console
    console.show_page(1)
    walk.click(console.opening.open_button)
    walk.end_opening()

    station = _log_in(walk, "E3")
    text = station.letter.text.toPlainText()  # the bidders first, then the letter that says they were read
    assert "投标人名单（共 4 家）" in text and text.index(B2) < text.index("已阅读投标人名单")
    assert "沈阳东方数码设备有限公司" not in text  # B5 was late and refused (R-OPEN-2)
    sign_by_hand(station.letter, 3)
    walk.click(station.letter.sign_button)
    station.steps.setCurrentIndex(1)
    page = station.declaration
    assert not page.no_conflict.isChecked() and not page.conflict.isChecked() and not page.button.isEnabled()
    page.conflict.setChecked(True)
    page.grounds["director"].setChecked(True)
    page.statement.setText("两年前曾任投标人B2董事")
    walk.click(page.button)
    assert "勾选与您存在利害关系的投标人" in page.message.text() and page.confirmation is None
    page.set_conflict_with("B2")
    walk.click(page.button)
    box = page.confirmation
    assert box.isVisible() and B2 in box.text() and "不能撤销" in box.text()
    walk.click(box.no)  # 返回修改: nothing is recorded
    assert not window.client.view.member("E3").declared and page.button.isEnabled()
    walk.click(page.button)
    walk.click(page.confirmation.yes)
    assert window.client.view.member("E3").recused and window.client.view.member("E3").conflict_with == ("B2",)
    assert "您已申请回避" in page.message.text() and B2 in page.message.text()
    assert not page.button.isEnabled() and not page.no_conflict.isEnabled()

    for member in OTHERS:
        walk.check_in(member, first=False)
    window.select_role(0)
    console.show_page(2)
    desk = console.checkin
    assert "6/6" in desk.message.text() and "R-COM-4" in desk.message.text()
    walk.click(desk.next_button)  # closing short asks first, naming the rule and the count
    box = desk.confirmation
    assert box.isVisible() and "R-COM-4" in box.text() and "应不少于7人" in box.text() and "现为6人" in box.text()
    assert "R1 孙建华" in box.text()
    walk.click(box.no)
    assert window.client.view.stage == "checkin"
    walk.click(desk.next_button)
    walk.click(desk.confirmation.yes)
    assert window.client.view.stage == "committee"
    assert not desk.photo_button.isEnabled()  # no vacancy is being filled: the desk is closed

    console.show_page(3)
    committee = console.committee
    assert "R-COM-4" in committee.check.text() and not committee.next_button.isEnabled()
    assert committee.withdrawn.currentData() == "E3" and committee.reserve.currentData() == "R1"
    walk.click(committee.replace_button)
    assert "请在签到台为其办理签到" in committee.message.text()
    assert "R-CHK-1" in committee.check.text() and committee.desk_button.isVisible()
    walk.click(committee.desk_button)
    assert console.stack.currentWidget() is desk
    assert desk.photo_button.isEnabled() and desk.member.currentData() == "R1" and "R1 孙建华" in desk.message.text()
    walk.check_in("R1", first=False)  # desk, workstation login, letter and declaration at the committee stage

    window.select_role(0)
    console.show_page(3)
    assert not committee.desk_button.isVisible()
    committee.candidate.setCurrentIndex(committee.candidate.findData("E1"))
    walk.click(committee.elect_button)
    assert "组成检查通过：7 人" in committee.check.text() and committee.next_button.isEnabled()
    walk.click(committee.next_button)
    assert window.client.view.stage == "preliminary" and not walk.errors
    reserve = window.workstations.show_station("R1")
    assert reserve.steps.isTabEnabled(2)
    reserve.steps.setCurrentIndex(2)
    reserve.preliminary.set_verdict("B1", True)
    wait_idle(window.client)
    assert window.client.view.verdicts["R1"]["B1"]["pass"] is True
