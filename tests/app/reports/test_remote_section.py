"""The evaluation report's remote-evaluation section (DOMAIN.md §4.3): venues, experts per venue,
interruptions with start/end time and outcome; S14's 3 h case signed and archived, the 5 h case stopped."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from app.reports import report
from app.reports.reproduce import context
from app.services.ledger_check import verify_path
from app.services.report import sign_all
from venuekit import VENUE, remote_session


def _text(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_three_hour_interruption_is_in_the_signed_report_and_the_ledger_verifies(tmp_path: Path) -> None:
    kit = remote_session(tmp_path)
    kit.session.link_lost(VENUE, kit.clock.stamp())
    kit.clock.advance(hours=3)
    kit.session.link_restored(VENUE, kit.clock.stamp())
    kit.session.venue_message(VENUE, "网络已恢复，请继续评分")
    for member in kit.members:
        kit.score(member, submit=True)
    kit.session.advance("summary")
    kit.session.advance("report")
    sign_all(kit.session, kit.members)
    kit.session.archive()
    state = kit.state
    outage = state.remote.outages[0]
    text = _text(report.render(context(state), kit.session.store.events(), final=True), tmp_path)
    flat = "".join(text.split())
    assert "远程异地评标：场地、各场专家与网络中断（R-SUS-6/7）" in flat
    assert "县公共资源交易中心副场（county-1）" in flat and "主场" in flat and "副场" in flat
    assert "专家4（E4）、专家5（E5）" in flat and "专家1（E1）、专家2（E2）、专家3（E3）" in flat
    assert f"{outage.start[:10]}{outage.start[11:19]}UTC" in flat and f"{outage.end[11:19]}UTC" in flat
    assert "评标中（R-SUS-7）" in flat and "时限内恢复，继续评标" in flat and "场地间文字消息1条" in flat
    assert "5个工作日内移交主场，由主场代理机构统一归档" in flat  # the archive rule for remote materials
    assert verify_path(tmp_path / "session.sqlite").problems == []


def test_five_hour_interruption_prints_the_stop(tmp_path: Path) -> None:
    kit = remote_session(tmp_path)
    kit.session.link_lost(VENUE, kit.clock.stamp())
    kit.clock.advance(hours=5)
    kit.session.link_restored(VENUE, kit.clock.stamp())
    flat = "".join(_text(report.render(context(kit.state), kit.session.store.events(), final=False), tmp_path).split())
    assert "超过时限，停止评标" in flat  # the table cell wraps; the paragraph below says it whole
    assert "R-SUS-7：评标于" in flat and "停止，各场封存资料，须重新组建评标委员会" in flat


def test_a_session_without_remote_venues_says_so(tmp_path: Path) -> None:
    import ledgerkit as lk

    kit = lk.start(tmp_path)
    flat = "".join(_text(report.render(context(kit.state), kit.events(), final=False), tmp_path).split())
    assert "本项目未采用远程异地评标。" in flat
