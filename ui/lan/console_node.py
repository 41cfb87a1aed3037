"""The console node of the LAN walkthrough: the room console's own window (its pages, its buttons), told by the
walkthrough what the room staff would do at the desk, stage by stage."""

from __future__ import annotations

from typing import Any

from ui.lan.agent import Later
from ui.lan.node import Node, NodeError
from ui.main_window import PAGE_INDEX, MainWindow
from ui.walkthrough import ask


class ConsoleNode(Node):
    def __init__(self, folder: Any, window: MainWindow) -> None:
        super().__init__(folder, window)
        self.main = window
        self.client = window.client
        self.errors: list[str] = []
        self.client.show_error = lambda _parent, text: self.errors.append(text)

    # -- waiting for the database thread ------------------------------------------------------------
    def _settled(self, value: Any = True) -> Later:
        """The answer once the database thread has done what was asked and published its view."""
        return Later(lambda: value if not self.client.pending else None, "the console's database thread")

    def _page(self, name: str) -> Any:
        self.main.select_role(0)
        self.main.console.show_page(PAGE_INDEX[name])
        return self.main.console

    def idle(self) -> Later:
        return self._settled()

    def hub_info(self, wait: float = 60) -> Later:
        """The room hub's address and the room CA's fingerprint, once the console's hub answers."""
        hub = self.main.hub
        if hub is None:
            raise NodeError("this console runs no room hub (hub_listen)")

        def ready() -> dict[str, Any] | None:
            info = hub.info
            if info is None:
                return None
            url = str(info["url"])
            scheme, _, rest = url.partition("://")
            host, _, port = rest.rpartition(":")
            return {"url": url, "scheme": scheme, "host": host.strip("[]"), "port": int(port),
                    "fingerprint": info["fingerprint"]}

        return Later(ready, "the console's room hub", wait)

    def quit(self) -> bool:
        from PySide6.QtWidgets import QApplication

        QApplication.quit()
        return True

    def supervisor_code(self, name: str) -> Later:
        """监督人员配对码: the one-time code the desk gives the supervisor's PC."""
        desk = self._page("CheckinPage").checkin
        button = getattr(desk, "supervisor_button", None)
        if button is None:
            raise NodeError("the check-in desk offers no supervisor pairing code")
        desk.supervisor_name.setText(name)
        self.click(button)

        def issued() -> dict[str, Any] | None:
            if self.client.pending:
                return None
            code = desk.supervisor_codes.get(name)
            if code is None:
                raise NodeError(f"no supervisor code ({desk.message.text()})")
            return {"code": code}

        return Later(issued, "the supervisor's code")

    def view(self) -> dict[str, Any] | None:
        """What the console shows now (for the walkthrough's waits)."""
        view = self.client.view
        if view is None:
            return None
        return {"stage": view.stage, "members": {m.id: {"checked_in": m.checked_in, "letter": m.letter,
                                                         "declared": m.declared, "submitted": m.submitted}
                                                  for m in view.members},
                "report": None if view.report is None else {"draft": view.report.draft, "final": view.report.final,
                                                           "waiting": list(view.report.waiting)},
                "signed_off": any(e.type == "supervision.signed_off" for e in view.events),
                "errors": list(self.errors)}

    def show(self, page: str) -> Later:
        self._page(page)
        return self._settled()

    # -- 开标 ----------------------------------------------------------------------------------------
    def open_bids(self) -> Later:
        opening = self._page("OpeningPage").opening
        self.click(opening.open_button)
        return self._settled()

    def objection(self, bidder: str, text: str, answer: str) -> Later:
        opening = self.main.console.opening
        opening.objection_bidder.setCurrentIndex(opening.objection_bidder.findData(bidder))
        opening.objection_text.setText(text)
        opening.answer_text.setText(answer)
        self.click(opening.objection_button)
        return self._settled()

    def confirm_opening(self, representative: str) -> Later:
        opening = self.main.console.opening
        opening.representative.setText(representative)
        self.click(opening.confirm_button)
        return self._settled()

    def end_opening(self) -> Later:
        opening = self.main.console.opening
        self.click(opening.close_button)
        box = opening.confirmation
        if box is None or not box.isVisible():
            raise NodeError("ending the opening asked no confirmation")
        self.click(box.yes)
        return self._settled()

    # -- 签到 ----------------------------------------------------------------------------------------
    def photo(self, member: str) -> Later:
        desk = self._page("CheckinPage").checkin
        desk.member.setCurrentIndex(desk.member.findData(member))
        if desk.member.currentData() != member:
            raise NodeError(f"{member} is not offered at the check-in desk")
        self.click(desk.photo_button)

        def taken() -> bool | None:
            if self.client.pending or desk.photo is None:
                return None
            if not desk.photo.ok:
                raise NodeError(f"{member}: the check-in photo shows no single face ({desk.photo_status.text()})")
            return True

        return Later(taken, f"{member}'s check-in photo")

    def verify(self, member: str) -> Later:
        """核验身份并发放登录码: the one-time code the desk shows for the member's own PC."""
        desk = self.main.console.checkin
        self.click(desk.verify_button)

        def issued() -> dict[str, Any] | None:
            if self.client.pending:
                return None
            code = desk.codes.get(member)
            if code is None:
                raise NodeError(f"{member}: no login code ({desk.message.text()})")
            return {"code": code}

        return Later(issued, f"{member}'s login code")

    def close_checkin(self) -> Later:
        desk = self._page("CheckinPage").checkin
        self.click(desk.next_button)
        box = getattr(desk, "confirmation", None)
        if box is not None and box.isVisible():
            raise NodeError("closing check-in asked a confirmation: the committee cannot be formed as checked in")
        return self._settled()

    # -- 评标委员会 -----------------------------------------------------------------------------------
    def elect_chair(self, member: str) -> Later:
        committee = self._page("CommitteePage").committee
        committee.candidate.setCurrentIndex(committee.candidate.findData(member))
        self.click(committee.elect_button)
        return self._settled()

    def start_preliminary(self) -> Later:
        self.click(self.main.console.committee.next_button)
        return self._settled()

    # -- 评审与汇总 ------------------------------------------------------------------------------------
    def start_scoring(self) -> Later:
        summary = self._page("SummaryPage").summary
        self.click(summary.scoring_button)
        return self._settled()

    def close_scoring(self) -> Later:
        summary = self._page("SummaryPage").summary
        self.click(summary.summary_button)
        return self._settled()

    # -- 评标报告 ---------------------------------------------------------------------------------------
    def draft_report(self) -> Later:
        page = self._page("ReportConsolePage").report
        self.click(page.draft_button)
        return Later(lambda: (self.client.view.report.draft if self.client.view is not None
                              and self.client.view.report is not None and not self.client.pending else None),
                     "the report draft")

    def record_refusal(self, member: str) -> Later:
        page = self._page("ReportConsolePage").report
        page.refusal_member.setCurrentIndex(page.refusal_member.findData(member))
        self.click(page.refusal_button)
        return self._settled()

    def finalize(self) -> Later:
        page = self._page("ReportConsolePage").report
        self.click(page.final_button)
        return Later(lambda: (self.client.view.report.final if self.client.view is not None
                              and self.client.view.report is not None and not self.client.pending else None),
                     "the final report")

    def archive(self) -> Later:
        page = self._page("ReportConsolePage").report
        self.click(page.archive_button)

        def built() -> dict[str, Any] | None:
            archive = page.archive
            if archive is None or self.client.pending:
                return None
            if archive.problems:
                raise NodeError("the archive does not verify: " + "; ".join(archive.problems))
            return {"path": str(getattr(archive, "path", ""))}

        return Later(built, "the archive", timeout=300)

    def session_file(self) -> str:
        return str(ask(self.client, lambda room: room.session.store.path))

    def case_and_result(self) -> dict[str, Any]:
        document = ask(self.client, lambda room: room.state.case_document())
        live = ask(self.client, lambda room: room.state.result().to_json())
        return {"case": document, "result": live}


__all__ = ["ConsoleNode"]
