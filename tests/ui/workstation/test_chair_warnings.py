"""Issue 18 item 4 (GUI): the chair sees each warning of the collusion screen with its evidence, and records the
committee's decision on it with the reasons; a decision without reasons is refused and nothing is recorded."""

from __future__ import annotations

from typing import Any

from dbops import ask
from ui.walkthrough import wait_idle

FINDINGS: list[dict[str, Any]] = [
    {"kind": "same_author", "bidders": ["B1", "B3"], "evidence": "author 'Zhang Wei': bids/B1/t.pdf, bids/B3/t.pdf"},
    {"kind": "identical_price", "bidders": ["B2", "B4"], "evidence": "the same price 5000000.00"},
]


def test_the_chair_decides_each_warning_with_its_reasons(qtbot, window, walk) -> None:  # type: ignore[no-untyped-def]
    console = window.console
    console.show_page(1)
    walk.click(console.opening.open_button)
    wait_idle(window.client)  # the demo's bids are read; its case has no bid files, so the screen is ours
    ask(qtbot, window.client, lambda room: room.session.record_screen(FINDINGS, 4))
    walk.end_opening()
    for member in ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]:
        walk.check_in(member, first=False)
    window.select_role(0)
    walk.click(console.checkin.next_button)
    console.show_page(3)
    console.committee.candidate.setCurrentIndex(console.committee.candidate.findData("E1"))
    walk.click(console.committee.elect_button)
    walk.click(console.committee.next_button)
    wait_idle(window.client)
    assert window.client.view.stage == "preliminary"

    window.select_role(1)  # the workstations
    preliminary = window.workstations.show_station("E2").preliminary
    wait_idle(window.client)
    assert "2 条围标串标预警待评标委员会认定" in preliminary.warnings.text()
    preliminary.beside.button.click()  # the bid files beside the verdicts (the demo's case carries none)
    qtbot.waitUntil(lambda: not preliminary.beside.viewer.isHidden())
    assert "无电子投标文件" in preliminary.beside.viewer.left.status.text()
    preliminary.beside.button.click()
    chair = window.workstations.show_station("E1").chair
    wait_idle(window.client)
    assert chair.warning.count() == 2 and chair.collusion_button.isEnabled()
    assert "文件作者相同" in chair.warning.itemText(0) and "尚未认定" in chair.warning.itemText(0)
    assert "Zhang Wei" in chair.evidence.text() and "B3 " in chair.evidence.text()
    walk.click(chair.no_collusion_button)  # no reasons: refused
    wait_idle(window.client)
    assert "须说明理由" in chair.message.text() and window.client.view.screen["decisions"] == {}

    chair.warning.setCurrentIndex(1)
    assert "5000000.00" in chair.evidence.text()
    chair.warning_reason.setText("两家报价均为最高投标限价，已核实无关联")
    walk.click(chair.no_collusion_button)
    wait_idle(window.client)
    decision = window.client.view.screen["decisions"][1]
    assert decision["collusion"] is False and decision["reason"] == "两家报价均为最高投标限价，已核实无关联"
    assert chair.warning.currentIndex() == 1 and "已认定：不构成串通投标" in chair.warning.itemText(1)
    assert "认定理由" in chair.evidence.text() and chair.warning_reason.text() == ""
    assert "预警认定" in [e.name for e in window.client.view.events]

    chair.warning.setCurrentIndex(0)
    chair.warning_reason.setText("作者相同且技术方案雷同，经询问不能作出合理解释")
    walk.click(chair.collusion_button)
    wait_idle(window.client)
    assert window.client.view.screen["decisions"][0]["collusion"] is True
    preliminary = window.workstations.show_station("E2").preliminary
    window.workstations.stations["E2"].steps.setCurrentIndex(2)  # the member opens the preliminary review's tab
    qtbot.waitUntil(lambda: "构成串通投标" in preliminary.warnings.text())
    text = preliminary.warnings.text()
    assert "待评标委员会认定" not in text and "认定 B1、B3 构成串通投标" in text and "R-PRE-1(7)" in text
