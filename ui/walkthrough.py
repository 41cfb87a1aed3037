"""`evalroom demo --walkthrough OUTDIR`: drive the real GUI offscreen through the whole flow on the demo
session and keep a picture of every stage, the case it played and its result (spec/cli.md).

Every step goes through the widgets a person would use (buttons, the grid, the signature pad); the
scores are those of the demo case, so the result can be checked against `evalroom evaluate`.
"""

from __future__ import annotations

import json
import math
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from app.errors import EvalRoomError
from app.paths import DEMO_CASE
from app.services.evaluation import dump_result, evaluate_document
from ui.checkin.commitment_page import CommitmentPage
from ui.launch import demo_window
from ui.main_window import PAGE_INDEX, MainWindow
from ui.ops import DbOp
from ui.room_client import RoomClient

if TYPE_CHECKING:
    from app.services.room import Room

T = TypeVar("T")

REPORT_PAGE = PAGE_INDEX["ReportConsolePage"]


class WalkthroughError(EvalRoomError, RuntimeError):
    pass


def wait_idle(client: RoomClient, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while client.pending:
        QApplication.processEvents()
        if time.monotonic() > deadline:
            raise WalkthroughError("the room services did not answer in time")
        time.sleep(0.002)
    QApplication.processEvents()


def wait_until(condition, what: str, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        QApplication.processEvents()
        if time.monotonic() > deadline:
            raise WalkthroughError(what)
        time.sleep(0.005)


def ask(client: RoomClient, action: Callable[[Room], T], timeout: float = 30.0) -> T:
    """Run ``action(room)`` as a :class:`ui.ops.DbOp` and wait for its answer with the event loop running (the
    walkthrough and the LAN nodes play a person: they wait as ``qtbot.waitUntil`` does); raises its error."""
    box: dict[str, Any] = {}
    DbOp(client, action).success(lambda value: box.setdefault("value", value)).failure(
        lambda exc: box.setdefault("error", exc)).run_in_background()
    wait_until(lambda: box, "the room services did not answer in time", timeout)
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


def sign_by_hand(page: CommitmentPage, seed: int) -> None:
    """Scroll the letter to its end and write a signature on the pad."""
    bar = page.text.verticalScrollBar()
    bar.setValue(bar.maximum())
    pad = page.pad
    for stroke in range(3):
        x0 = 40 + stroke * 120
        pad.begin_stroke(QPointF(x0, 90))
        for step in range(1, 24):
            pad.extend_stroke(QPointF(x0 + step * 4,
                                      90 + 28 * math.sin((step + seed) / 3.5) * (1 if stroke % 2 else -1)))
        pad.end_stroke()


def handwrite(pad, seed: int) -> None:  # type: ignore[no-untyped-def]
    """Write a signature on a pad: a few wavy strokes."""
    for stroke in range(3):
        x0 = 30 + stroke * 110
        pad.begin_stroke(QPointF(x0, 80))
        for step in range(1, 24):
            pad.extend_stroke(QPointF(x0 + step * 4,
                                      80 + 26 * math.sin((step + seed) / 3.5) * (1 if stroke % 2 else -1)))
        pad.end_stroke()


class Walkthrough:
    def __init__(self, outdir: Path, window: MainWindow) -> None:
        self.out, self.window, self.client = outdir, window, window.client
        self.shots: list[Path] = []
        self.errors: list[str] = []
        self.client.show_error = lambda _parent, text: self.errors.append(text)
        self.case = json.loads(DEMO_CASE.read_text(encoding="utf-8"))

    def shot(self, name: str, widget: QWidget | None = None) -> None:
        wait_idle(self.client)
        QApplication.processEvents()
        path = self.out / f"{len(self.shots) + 1:02d}-{name}.png"
        picture = self.window.grab()
        if widget is not None:  # a dialog: drawn over the dimmed window, where it opens
            painter = QPainter(picture)
            painter.fillRect(picture.rect(), QColor(0, 0, 0, 90))
            inner = widget.grab()
            x, y = (picture.width() - inner.width()) // 2, (picture.height() - inner.height()) // 2
            painter.drawPixmap(x, y, inner)
            painter.setPen(QColor("#4b525a"))
            painter.drawRect(x - 1, y - 1, inner.width() + 1, inner.height() + 1)
            painter.end()
        if not picture.save(str(path)):
            raise WalkthroughError(f"cannot write {path}")
        self.shots.append(path)

    def click(self, button) -> None:  # type: ignore[no-untyped-def]
        if not button.isEnabled():
            raise WalkthroughError(f"the button “{button.text()}” is not enabled at this step")
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        wait_idle(self.client)

    def run(self) -> None:
        w = self.window
        wait_until(lambda: self.client.view is not None, "the demo session did not open")
        console = w.console
        console.show_page(0)
        self.shot("import")

        console.show_page(1)
        opening = console.opening
        self.click(opening.open_button)
        opening.objection_bidder.setCurrentIndex(opening.objection_bidder.findData("B2"))
        opening.objection_text.setText("对B1投标报价的大小写一致性有疑问")  # typed (i18n: not a text)
        opening.answer_text.setText("经核对开标一览表，大小写一致，异议不成立，已当场答复")  # typed (i18n: not a text)
        self.click(opening.objection_button)
        opening.representative.setText("李明（B1授权代表）")  # typed (i18n: not a text)
        self.click(opening.confirm_button)
        self.shot("opening")
        self.end_opening()

        members = [m["id"] for m in self.case["committee"]]
        for index, member in enumerate(members):
            self.check_in(member, first=index == 0)
        w.select_role(0)
        console.show_page(2)
        self.click(console.checkin.next_button)

        console.show_page(3)
        committee = console.committee
        committee.candidate.setCurrentIndex(committee.candidate.findData("E7"))
        self.click(committee.elect_button)  # a purchaser representative: refused (R-COM-7), shown on the page
        committee.candidate.setCurrentIndex(committee.candidate.findData("E1"))
        self.click(committee.elect_button)
        self.shot("committee")
        self.click(committee.next_button)

        w.select_role(1)
        for member in members:
            station = w.workstations.show_station(member)
            station.steps.setCurrentIndex(2)
            for bidder in station.preliminary._bidders:
                station.preliminary.set_verdict(bidder, True)
            wait_idle(self.client)
            if member == members[0]:
                self.shot("preliminary")
        w.select_role(0)
        console.show_page(4)
        self.click(console.summary.scoring_button)

        w.select_role(1)
        for index, member in enumerate(members):
            self.score(member, keyboard=index == 0)
            if index == 0:
                self.shot("scoring")
            station = w.workstations.stations[member]
            if not station.scoring.submit(confirm=False):
                raise WalkthroughError(f"{member}: {station.scoring.message.text()}")
            wait_idle(self.client)

        for member in members[:3]:  # 3 of 7 say the time is insufficient: it shall be extended (R-SCR-6)
            self.click(w.workstations.show_station(member).time_button)
        w.select_role(0)
        console.show_page(4)
        reason = "三名成员认为评标时间不足，超过三分之一，依法延长"  # typed (i18n: not a text)
        console.summary.time_reason.setText(reason)
        self.click(console.summary.extend_button)
        self.click(console.summary.summary_button)
        self.shot("summary")

        w.select_role(2)
        supervisor = w.supervisor
        wait_idle(self.client)
        if supervisor.letter is None:
            raise WalkthroughError("the supervisor's commitment letter did not open")
        sign_by_hand(supervisor.letter, 7)
        supervisor.letter.sign_button.click()
        incident = "评标过程中第二评标室空调故障，已由工作人员处理，未影响评审"  # typed (i18n: not a text)
        supervisor.incident.setText(incident)
        self.click(supervisor.incident_button)
        supervisor.tabs.setCurrentIndex(1)
        supervisor.refresh_camera()
        deadline = time.monotonic() + 5
        while supervisor.camera.pixmap().isNull() and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.01)
        self.shot("supervisor")

        w.set_language("en")
        w.select_role(0)
        self.shot("english")
        w.set_language("zh_CN")
        self.report(members)

    def report(self, members: list[str]) -> None:
        """The report: drafted at the console, previewed and signed at each workstation (one dissent with
        reasons, one refusal recorded by the console, R-SIG-1..3), finalized, then the archive."""
        w = self.window
        w.select_role(0)
        page = w.console.report
        w.console.show_page(REPORT_PAGE)
        self.click(page.draft_button)
        wait_until(lambda: self.client.view is not None and self.client.view.report.draft is not None,
                   "no report draft")
        draft = self.client.view.report.draft
        for index, member in enumerate(members):
            if index == 2:
                continue  # refuses without reasons: recorded at the console below
            w.select_role(1)
            station = w.workstations.show_station(member)
            station.steps.setCurrentIndex(5)
            wait_until(lambda s=station: s.report.preview.shown_sha == draft,
                       f"{member}: the report preview did not render")
            if index == 0:
                self.shot("report-preview")
            dialog = station.report.start_signing()
            if dialog is None:
                raise WalkthroughError(f"{member}: {station.report.status.text()}")
            if index == 1:
                dialog.dissent.setChecked(True)
                dialog.reasons.setPlainText("对B2技术方案的评分偏高："  # typed (i18n: not a text)
                                            "其投标文件未响应招标文件第3.2条的交互大屏分辨率要求。")
            handwrite(dialog.pad, index)
            if index == 1:
                self.shot("report-sign", dialog)
            if not dialog.submit():
                raise WalkthroughError(f"{member}: {dialog.message.text()}")
            wait_idle(self.client)
        w.select_role(0)
        w.console.show_page(REPORT_PAGE)
        page.refusal_member.setCurrentIndex(page.refusal_member.findData(members[2]))
        self.click(page.refusal_button)
        wait_until(lambda: not self.client.view.report.waiting, "not every member has acted on the report")
        self.shot("report-console")
        self.click(page.final_button)
        wait_until(lambda: self.client.view.report.final is not None, "the report was not finalized")
        self.click(page.archive_button)
        wait_until(lambda: page.archive is not None, "the archive was not built")
        if page.archive.problems:
            raise WalkthroughError("the archive does not verify: " + "; ".join(page.archive.problems))
        wait_until(lambda: page.preview.shown_sha == self.client.view.report.final,
                   "the final report preview did not render")
        self.shot("archive")

    def end_opening(self) -> None:
        """开标结束, confirmed in its dialog: the console then shows the check-in desk."""
        opening = self.window.console.opening
        self.click(opening.close_button)
        box = opening.confirmation
        if box is None or not box.isVisible():
            raise WalkthroughError("ending the opening asked no confirmation")
        self.click(box.yes)

    def check_in(self, member: str, first: bool) -> None:
        w = self.window
        w.select_role(0)
        w.console.show_page(2)
        desk = w.console.checkin
        desk.member.setCurrentIndex(desk.member.findData(member))
        self.click(desk.photo_button)
        if desk.photo is None or not desk.photo.ok:
            raise WalkthroughError(f"{member}: the check-in photo shows no single face")
        self.click(desk.verify_button)
        code = desk.codes.get(member)
        if code is None:
            raise WalkthroughError(f"{member}: no login code ({desk.message.text()})")
        if first:
            self.shot("checkin")
        w.select_role(1)
        login = w.workstations.login
        w.workstations.picker.setCurrentIndex(0)
        login.code.setText(code)
        login.pin.setText("2468")
        self.click(login.button)
        station = w.workstations.stations.get(member)
        if station is None:
            raise WalkthroughError(f"{member}: login failed ({login.message.text()})")
        station.steps.setCurrentIndex(0)
        QApplication.processEvents()
        sign_by_hand(station.letter, len(w.workstations.stations))
        if first:
            self.shot("letter")
        self.click(station.letter.sign_button)
        station.steps.setCurrentIndex(1)
        declaration = station.declaration
        declaration.no_conflict.setChecked(True)  # nothing is chosen in advance
        self.click(declaration.button)
        box = declaration.confirmation
        if box is None or not box.isVisible():
            raise WalkthroughError(f"{member}: the declaration was not confirmed ({declaration.message.text()})")
        if first:
            self.shot("declaration", box)
        self.click(box.yes)

    def score(self, member: str, keyboard: bool) -> None:
        station = self.window.workstations.show_station(member)
        station.steps.setCurrentIndex(3)
        QApplication.processEvents()
        fill_sheet(station.scoring, self.case["scores"][member], keyboard, lambda: wait_idle(self.client))


def fill_sheet(page, sheet: dict[str, dict[str, str]], keyboard: bool,  # type: ignore[no-untyped-def]
               settle: Callable[[], None]) -> None:
    """Enter an expert's scores on the scoring page as the expert would: the first row typed key by key in the
    grid (Tab to the next cell), the rest through the page; a comment wherever a score is below the maximum.
    ``settle``: waits until the saves are done (the one-window demo's database thread, or a member's PC's)."""
    if page.model is None or page.sheet is None:
        raise WalkthroughError(f"{page.member}: the scoring grid is not open")
    criteria = {c.id: c for c in page.model.criteria}
    for row, bidder in enumerate(page.model.bidders):
        for column, criterion in enumerate(page.model.criteria):
            value = sheet[bidder.id][criterion.id]
            comment = ("" if Decimal(value) >= criteria[criterion.id].max
                       else f"{criterion.name}：与招标文件要求相比有欠缺，酌情扣分")  # typed (i18n: not a text)
            if keyboard and row == 0:
                page.model.cell(row, column).comment = comment
                type_cell(page, row, column, value, settle)
            else:
                page.enter(bidder.id, criterion.id, value, comment)
    settle()


def type_cell(page, row: int, column: int, value: str, settle: Callable[[], None]) -> None:  # type: ignore[no-untyped-def]
    view = page.sheet.view
    view.setFocus()
    if view.currentIndex() != page.model.index(row, column):
        view.setCurrentIndex(page.model.index(row, column))
    editors = [e for e in view.findChildren(QLineEdit) if e.isVisible()]
    rest = value
    if not editors:  # the first key opens the editor; after a Tab the next cell's editor is already open
        QTest.keyClick(view, value[0])
        editors = [e for e in view.findChildren(QLineEdit) if e.isVisible()]
        rest = value[1:]
    if not editors:
        raise WalkthroughError("the grid did not open an editor for typing")
    QTest.keyClicks(editors[0], rest)
    QTest.keyClick(editors[0], Qt.Key.Key_Tab)
    settle()


def run_walkthrough(outdir: Path) -> int:
    outdir.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="evalroom-walkthrough-"))
    window = demo_window(home, idle_minutes=60)
    window.resize(1280, 800)
    window.show()
    walk = Walkthrough(outdir, window)
    try:
        walk.run()
        document = ask(window.client, lambda room: room.state.case_document())
        live = ask(window.client, lambda room: room.state.result().to_json())
    finally:
        window.client.close()
        window.close()
        window.deleteLater()
        QApplication.processEvents()
    (outdir / "case.json").write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    result = evaluate_document(document)
    if result != live:
        raise WalkthroughError("the ledger's result differs from the rule engine on case.json")
    (outdir / "result.json").write_text(dump_result(result), encoding="utf-8")
    print(f"walkthrough: {len(walk.shots)} pictures, case.json and result.json in {outdir}"
          + (f"; {len(walk.errors)} refusals shown on screen" if walk.errors else ""))
    return 0
