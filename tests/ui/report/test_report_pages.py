"""The report in the GUI: the console drafts it, each workstation previews and signs its own member's
act (dissent with reasons, refusal recorded by the console), finalize, the archive with its progress."""

from __future__ import annotations

import base64
import json

import pytest

from app.paths import DEMO_CASE
from app.services.report import demo_signature
from app.services.session import ActionRefused
from dbops import ask
from ui.report.preview import render_pages
from ui.walkthrough import REPORT_PAGE, handwrite, wait_idle, wait_until

CASE = json.loads(DEMO_CASE.read_text(encoding="utf-8"))
MEMBERS = [m["id"] for m in CASE["committee"]]


def _to_summary(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The session played through the room services up to the summary; a station per member."""

    def play(room) -> None:  # type: ignore[no-untyped-def]
        room.open_bids()
        room.advance("checkin")
        for member in MEMBERS:
            station = room.login(room.check_identity(member, room.take_photo().jpeg), "2468")
            station.sign_letter(demo_signature(member), "{}", station.letter().version_sha256)
            station.declare(False, [], "")
        room.advance("committee")
        room.elect_chair("E1")
        room.advance("preliminary")
        for member in MEMBERS:
            for bidder in ("B1", "B2", "B3", "B4"):
                room.workstation(member).verdict(bidder, True, None)
        room.advance("scoring")
        for member in MEMBERS:
            for bidder, row in CASE["scores"][member].items():
                for criterion, score in row.items():
                    room.workstation(member).set_score(bidder, criterion, score)
            room.workstation(member).submit()
        room.advance("summary")

    ask(qtbot, window.client, play)
    for member in MEMBERS:
        window.workstations.add_station(member)
    wait_idle(window.client)


def _station_page(window, member: str):  # type: ignore[no-untyped-def]
    window.select_role(1)
    station = window.workstations.show_station(member)
    station.steps.setCurrentIndex(5)
    return station.report


def test_draft_preview_sign_dissent_refuse_finalize_and_archive(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _to_summary(qtbot, window)
    window.select_role(0)
    window.console.show_page(REPORT_PAGE)
    page = window.console.report
    assert page.draft_button.isEnabled() and not page.final_button.isEnabled() and not page.archive_button.isEnabled()
    page.draft_button.click()
    wait_until(lambda: window.client.view.report.draft is not None, "no draft")
    draft = window.client.view.report.draft
    wait_until(lambda: page.preview.shown_sha == draft, "the console preview did not render")
    assert len(page.preview.pages) >= 3 and not page.preview.pages[0].pixmap().isNull()
    assert page.acts.rowCount() == len(MEMBERS) and page.acts.item(0, 2).text() == "待签"

    e1 = _station_page(window, "E1")
    wait_until(lambda: e1.preview.shown_sha == draft, "the workstation preview did not render")
    assert e1.sign_button.isEnabled()
    dialog = e1.start_signing()
    assert dialog is not None and dialog.draft_sha == draft
    assert not dialog.submit() and "手写签名" in dialog.message.text()  # nothing written on the pad
    handwrite(dialog.pad, 1)
    assert dialog.submit()
    wait_idle(window.client)
    assert window.client.view.report.act_of("E1").act == "signed"
    assert window.client.view.report.act_of("E2").act == "pending"  # E1's signature is his own only
    assert not e1.sign_button.isEnabled() and "已签署" in e1.status.text()

    e2 = _station_page(window, "E2")
    wait_until(lambda: e2.preview.shown_sha == draft, "E2's preview did not render")
    dialog = e2.start_signing()
    dialog.dissent.setChecked(True)
    handwrite(dialog.pad, 2)
    assert not dialog.submit() and "R-SIG-2" in dialog.message.text()  # a dissent without reasons
    dialog.reasons.setPlainText("B2 的技术方案评分偏高：未响应第3.2条。")
    assert dialog.submit()
    wait_idle(window.client)
    assert window.client.view.report.act_of("E2").act == "dissent"

    window.select_role(0)
    window.console.show_page(REPORT_PAGE)
    page.refusal_member.setCurrentIndex(page.refusal_member.findData("E3"))
    page.refusal_button.click()
    wait_idle(window.client)
    assert window.client.view.report.act_of("E3").act == "refused"
    assert not page.final_button.isEnabled()  # E4..E7 have not acted (R-SIG-1)
    for member in MEMBERS[3:]:
        station_page = _station_page(window, member)
        wait_until(lambda p=station_page: p.preview.shown_sha == draft, f"{member}: no preview")
        dialog = station_page.start_signing()
        handwrite(dialog.pad, 3)
        assert dialog.submit()
        wait_idle(window.client)
    window.select_role(0)
    window.console.show_page(REPORT_PAGE)
    wait_idle(window.client)
    assert [page.acts.item(r, 2).text() for r in range(3)] == ["已签字（同意）", "已签字，有不同意见",
                                                               "拒绝签字，视为同意（R-SIG-3）"]
    assert page.final_button.isEnabled()
    page.final_button.click()
    wait_until(lambda: window.client.view.report.final is not None, "not finalized")
    assert page.archive_button.isEnabled() and not page.draft_button.isEnabled()
    page.archive_button.click()
    wait_until(lambda: page.archive is not None, "the archive was not built", timeout=120)
    assert page.archive.problems == []
    assert page.progress.value() == page.progress.maximum() > 0
    assert str(page.archive.built.bagdir) in page.archive_status.text().replace("\n", "")
    assert (page.archive.built.bagdir / "data" / "documents" / "report.pdf").is_file()
    assert window.client.view.stage == "archived" and window.errors == []


def test_an_expert_cannot_sign_for_another(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _to_summary(qtbot, window)
    draft = ask(qtbot, window.client, lambda room: room.draft_report())
    png = base64.b64encode(demo_signature("王建国")).decode()
    with pytest.raises(ActionRefused, match="only his own"):
        ask(qtbot, window.client, 
            lambda room: room.session.sign_report_image(room.workstation("E1")._key, "E2", draft, png))
    assert window.client.view.report.act_of("E2").act == "pending"
    # a workstation's page signs for its own member only, with that member's key
    e2 = _station_page(window, "E2")
    wait_until(lambda: e2.preview.shown_sha == draft, "E2's preview did not render")
    dialog = e2.start_signing()
    handwrite(dialog.pad, 4)
    assert dialog.submit()
    wait_idle(window.client)
    assert window.client.view.report.act_of("E2").act == "signed"
    assert window.client.view.report.act_of("E1").act == "pending"


def test_pages_render_to_images_of_the_asked_width(window) -> None:  # type: ignore[no-untyped-def]
    import io

    import pypdfium2
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for _ in range(2):
        pdf.drawString(100, 700, "page")
        pdf.showPage()
    pdf.save()
    images = render_pages(out.getvalue(), 300)
    assert [i.width() for i in images] == [300, 300] and images[0].height() > 300
    with pytest.raises(pypdfium2.PdfiumError):
        render_pages(b"not a pdf", 300)


def test_more_time_asked_at_the_workstations_and_decided_on_the_summary_page(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _to_summary(qtbot, window)
    window.select_role(1)
    for member in MEMBERS[:2]:
        station = window.workstations.show_station(member)
        assert station.time_button.isEnabled()
        station.time_button.click()
        wait_idle(window.client)
        assert not station.time_button.isEnabled() and "已申请" in station.time_button.text()
    window.select_role(0)
    window.console.show_page(4)
    summary = window.console.summary
    wait_idle(window.client)
    assert "2/7" in summary.time_status.text() and "由招标人决定" in summary.time_status.text()
    assert summary.deny_button.isEnabled()  # 2 of 7: not more than a third
    window.select_role(1)
    window.workstations.show_station(MEMBERS[2]).time_button.click()
    wait_idle(window.client)
    window.select_role(0)
    window.console.show_page(4)
    wait_idle(window.client)
    assert "3/7" in summary.time_status.text() and "应当延长" in summary.time_status.text()
    assert not summary.deny_button.isEnabled()  # 3 of 7: the time shall be extended (R-SCR-6)
    summary.extend_button.click()  # no reason: refused with a message
    wait_idle(window.client)
    assert window.errors and "理由" in window.errors[-1]
    summary.time_minutes.setValue(40)
    summary.time_reason.setText("三名成员认为时间不足，依法延长")
    summary.extend_button.click()
    wait_idle(window.client)
    assert "延长 40 分钟（3/7 名成员申请）" in summary.time_status.text()
    assert window.client.view.report.time_requests == ()


def test_the_archive_outcome_says_whether_a_trusted_timestamp_was_had(window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.services.archive import Archived, Built

    page = window.console.report
    stamped = Built(tmp_path / "bag", 12, "2041-12-04", timestamped=True, tsa_configured=True)
    page._archived(Archived(stamped, [], []))
    assert "已加盖可信时间戳（RFC 3161）：报告电子印章为 PAdES B-T。" in page.archive_status.text()
    missing = Built(tmp_path / "bag", 12, "2041-12-04", timestamp_missing="TSA http://tsa: refused",
                    tsa_configured=True)
    page._archived(Archived(missing, [], []))
    said = page.archive_status.text()
    assert "未取得可信时间戳（TSA http://tsa: refused），已记入归档包；交易中心接收时加盖。" in said
    page._archived(Archived(Built(tmp_path / "bag", 12, "2041-12-04", timestamp_missing="no TSA configured"), [], []))
    assert "时间戳" not in page.archive_status.text()  # no TSA in the settings: nothing to say
