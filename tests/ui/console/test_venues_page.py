"""The console's remote-evaluation page driven as the main venue's staff would: add a remote venue, see its
experts, write to it, and watch the R-SUS-6 countdown with the rule's text when its link is down."""

from __future__ import annotations

import os
from datetime import UTC
from pathlib import Path

from app.crypto.keys import SigningKey
from app.ledger.events import utc_stamp
from dbops import ask
from ui.walkthrough import wait_idle, wait_until


def _page(window):  # type: ignore[no-untyped-def]
    console = window.console
    page = console.venues
    console.show_page(console.stack.indexOf(page))
    return page


def test_add_a_venue_message_it_and_see_the_timer(qtbot, window, walk, tmp_path: Path) -> None:
    page = _page(window)
    wait_until(lambda: page.venues_view is not None, "the venues page showed no snapshot")
    assert "尚未添加副场" in page.rule.text() and page.venues.rowCount() == 0
    key = tmp_path / "county.pub.pem"
    key.write_bytes(SigningKey.generate().public.to_pem())
    page.venue_room.setText("county-1")
    page.venue_name.setText("县公共资源交易中心副场")
    page.venue_members.setText("E6，E7")
    walk.click(page.add_button)  # no key file: refused with the reason, nothing written
    assert "请选择副场主控台公钥文件" in page.message.text()
    page.venue_key.setText(str(key))
    walk.click(page.add_button)
    wait_until(lambda: page.venues.rowCount() == 2, "the remote venue is not listed")
    assert page.venues.item(1, 0).text() == "县公共资源交易中心副场（county-1）"
    assert page.venues.item(1, 1).text() == "副场"
    assert page.venues.item(1, 2).text() == "E6 杨志刚  E7 赵敏（采购人代表）"
    assert page.venues.item(1, 3).text().startswith("签到 0/2")
    assert page.venues.item(1, 4).text() == "未知（副场未上报）"
    assert page.venues.item(1, 5).text() == "未知（未配置交易中心）" and "未配置交易中心地址" in page.center.text()
    page.text.setText("请副场做好签到准备")
    walk.click(page.send_button)
    wait_until(lambda: page.messages.rowCount() == 1, "the message is not in the log")
    assert page.messages.item(0, 3).text() == "请副场做好签到准备"
    assert page.messages.item(0, 2).text() == "县公共资源交易中心副场"
    ask(qtbot, window.client, lambda room: room.session.link_lost("county-1", utc_stamp()))
    page.poll()
    wait_until(lambda: "链路中断" in page.rule.text(), "no countdown after the link went down")
    assert page.venues.item(1, 5).text() == "中断" and page.venues.item(1, 6).text().startswith("R-SUS-6 剩余 01:5")
    assert "R-SUS-6: 副场 county-1 中断，计时中" in page.rule.text()  # the rule's own text under the countdown
    wait_idle(window.client)
    if os.environ.get("EVALROOM_SHOTS"):
        window.grab().save(str(Path(os.environ["EVALROOM_SHOTS"]) / "venues.png"))
    window.set_language("en")
    wait_idle(window.client)
    page.poll()
    wait_until(lambda: page.venues.item(1, 1).text() == "Remote venue", "the table did not follow the language")
    headers = [page.venues.horizontalHeaderItem(i).text() for i in range(page.venues.columnCount())]
    assert headers == ["Venue", "Venue kind", "Experts seated", "Check-in progress", "Camera", "Link", "Outage timer"]
    assert page.venues.item(1, 5).text() == "Down" and page.send_button.text() == "Send"
    if os.environ.get("EVALROOM_SHOTS"):
        window.grab().save(str(Path(os.environ["EVALROOM_SHOTS"]) / "venues-en.png"))
    window.set_language("zh_CN")
    assert window.errors == []


def test_the_tenderer_decides_after_two_hours_and_a_postponement_stops_the_session(qtbot, window, walk) -> None:
    from datetime import datetime, timedelta

    page = _page(window)
    key = SigningKey.generate().public
    ask(qtbot, window.client, lambda room: room.session.add_venue("county-2", "二号副场", key, ["E7"]))
    down_since = utc_stamp(datetime.now(UTC) - timedelta(hours=2, minutes=30))  # before the start
    ask(qtbot, window.client, lambda room: room.session.link_lost("county-2", down_since))
    page.poll()
    wait_until(lambda: page.decision_box.isVisible(), "the tenderer's decision is not asked for")
    assert "超时：由招标人决定" in page.venues.item(1, 6).text() and "由招标人决定是否继续评标" in page.rule.text()
    walk.click(page.postpone_button)  # who decides is required
    assert "请填写作出决定的招标人（采购人）代表" in page.message.text()
    page.decider.setText("采购人代表 赵敏")
    if os.environ.get("EVALROOM_SHOTS"):
        window.grab().save(str(Path(os.environ["EVALROOM_SHOTS"]) / "venues-decision.png"))
    walk.click(page.postpone_button)
    wait_until(lambda: "评标已停止（R-SUS-6" in page.stop_banner.text(), "the postponement did not stop the session")
    assert not page.decision_box.isVisible() and not page.add_button.isEnabled()
    decision = ask(qtbot, window.client, lambda room: room.state.remote.outages[0].decision)
    assert decision["decision"] == "postpone" and decision["by"] == "采购人代表 赵敏"
    assert window.errors == []
