"""The expert's and the supervisor's PCs in the LAN walkthrough: their own windows, told by the walkthrough what
the person at that PC does (type the code from the desk, sign, declare, score, sign the report)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication

from ui.lan.agent import Later
from ui.lan.node import Node, NodeError
from ui.walkthrough import ask, fill_sheet, handwrite, sign_by_hand

SCORING_TAB, REPORT_TAB = 3, 5


class PcNode(Node):
    """``window``: the PC's window; it shows its pairing page (``window.pairing``) until the seat is paired,
    then the seat's page (``window.station`` for an expert, ``window.desk`` for the supervisor) on
    ``window.client``, the PC's own replica of the session."""

    def __init__(self, folder: Any, window: Any) -> None:
        super().__init__(folder, window)
        self.pc = window

    @property
    def client(self) -> Any:
        client = getattr(self.pc, "client", None)
        if client is None:
            raise NodeError("this PC is not paired yet")
        return client

    def _settle(self, timeout: float = 60.0) -> None:
        """Pump the event loop until the PC's own database thread has saved what was asked (local: no network)."""
        deadline = time.monotonic() + timeout
        while self.client.pending:
            QApplication.processEvents()
            if time.monotonic() > deadline:
                raise NodeError("the PC's database thread did not finish")
            time.sleep(0.005)
        QApplication.processEvents()

    def _me(self) -> Any:
        view = self.client.view
        return None if view is None else view.member(self.member)

    @property
    def member(self) -> str:
        return str(self.pc.seat.member)

    def _later(self, ready: Callable[[], Any], what: str, timeout: float = 60.0) -> Later:
        return Later(lambda: ready() if not self.client.pending else None, what, timeout)

    # -- pairing ------------------------------------------------------------------------------------
    def pair(self, code: str, pin: str, fingerprint: str | None = None, shot: str | None = None) -> Later:
        """The person compares the fingerprint the page fetched with the desk's, types the code and a PIN
        (``shot``: a picture of the filled page first), then pairs."""
        page = self.pc.pairing
        if page is None:
            raise NodeError("this PC shows no pairing page")
        state = {"clicked": False}

        def step() -> bool | None:
            if not state["clicked"]:
                shown = page.fingerprint_text()
                if fingerprint and fingerprint not in shown:
                    if "…" in shown or not shown.strip("—"):
                        return None  # still fetching the hub's CA
                    raise NodeError(f"the pairing page shows another room CA fingerprint: {shown}")
                page.code.setText(code)
                page.pin.setText(pin)
                page.pin_again.setText(pin)
                if shot:
                    self.shot(shot)
                self.click(page.button)
                state["clicked"] = True
                return None
            return paired()

        def paired() -> bool | None:
            if (getattr(self.pc, "client", None) is not None and self.client.view is not None
                    and getattr(self.pc, "page", None) is not None):  # the seat's page is built, as a person sees it
                return True
            problem = page.message.text() if page.failed else ""
            if problem:
                raise NodeError(f"pairing refused: {problem}")
            return None

        return Later(step, "the pairing with the room hub", 120)

    def view(self) -> dict[str, Any]:
        client = getattr(self.pc, "client", None)
        view = None if client is None else client.view
        if view is None:
            return {"stage": None}
        report = view.report
        return {"stage": view.stage, "draft": None if report is None else report.draft,
                "final": None if report is None else report.final}

    def link(self) -> dict[str, Any]:
        status = ask(self.client, lambda room: room.link())
        return {"online": bool(status.online), "pending": int(status.pending),
                "last_sync": None if status.last_sync is None else str(status.last_sync),
                "last_error": status.last_error}

    def shot_when(self, name: str, text: str, timeout: float = 60.0) -> Later:
        """A picture once the status bar's link line says ``text`` (it is polled, so it follows the link)."""
        label = self.pc.link
        return Later(lambda: self.shot(name) if text in label.text() else None,
                     f"the status bar to say {text!r} (it says {label.text()!r})", timeout)

    def quit(self) -> bool:
        QApplication.instance().quit()  # type: ignore[union-attr]
        return True


class ExpertNode(PcNode):
    @property
    def station(self) -> Any:
        station = getattr(self.pc, "station", None)
        if station is None:
            raise NodeError("the expert's station is not open")
        return station

    def sign_letter(self, seed: int = 0) -> Later:
        station = self.station
        station.steps.setCurrentIndex(0)
        QApplication.processEvents()
        sign_by_hand(station.letter, seed)
        self.click(station.letter.sign_button)
        return self._later(lambda: True if self._me().letter else None, "the signed commitment letter")

    def declare_none(self) -> Later:
        """无利害关系: chosen (nothing is chosen in advance), then confirmed in its dialog."""
        station = self.station
        station.steps.setCurrentIndex(1)
        declaration = station.declaration
        declaration.no_conflict.setChecked(True)
        self.click(declaration.button)
        box = declaration.confirmation
        if box is None or not box.isVisible():
            raise NodeError(f"the declaration was not confirmed ({declaration.message.text()})")
        self.click(box.yes)
        return self._later(lambda: True if self._me().declared else None, "the declaration")

    def preliminary_pass_all(self) -> Later:
        station = self.station
        station.steps.setCurrentIndex(2)
        for bidder in station.preliminary._bidders:
            station.preliminary.set_verdict(bidder, True)
        return self._later(lambda: True, "the preliminary verdicts")

    def score(self, sheet: dict[str, dict[str, str]], keyboard: bool = False) -> Later:
        station = self.station
        station.steps.setCurrentIndex(SCORING_TAB)
        QApplication.processEvents()
        fill_sheet(station.scoring, sheet, keyboard, self._settle)
        return self._later(lambda: True, "the scores")

    def submit(self) -> Later:
        station = self.station
        if not station.scoring.submit(confirm=False):
            raise NodeError(f"{self.member}: {station.scoring.message.text()}")
        return self._later(lambda: True if self._me().submitted else None, "the submission")

    def preview_ready(self) -> Later:
        """Until the report tab shows the very draft the ledger names."""
        station = self.station
        station.steps.setCurrentIndex(REPORT_TAB)
        draft = self.client.view.report.draft
        return Later(lambda: True if station.report.preview.shown_sha == draft else None, "the report preview", 120)

    def sign_report(self, seed: int = 0, dissent: str | None = None) -> Later:
        station = self.station
        station.steps.setCurrentIndex(REPORT_TAB)
        draft = self.client.view.report.draft

        def ready() -> bool | None:
            if station.report.preview.shown_sha != draft:
                return None
            dialog = station.report.start_signing()
            if dialog is None:
                raise NodeError(f"{self.member}: {station.report.status.text()}")
            if dissent:
                dialog.dissent.setChecked(True)
                dialog.reasons.setPlainText(dissent)
            handwrite(dialog.pad, seed)
            if not dialog.submit():
                raise NodeError(f"{self.member}: {dialog.message.text()}")
            return True

        return Later(ready, "the report preview", 120)


class SupervisorNode(PcNode):
    @property
    def desk(self) -> Any:
        desk = getattr(self.pc, "desk", None)
        if desk is None:
            raise NodeError("the supervisor's page is not open")
        return desk

    @property
    def member(self) -> str:
        return str(self.pc.seat.name)

    def sign_letter(self, seed: int = 0) -> Later:
        desk = self.desk

        def ready() -> bool | None:
            if desk.letter is None:
                return None
            sign_by_hand(desk.letter, seed)
            desk.letter.sign_button.click()
            return True

        return Later(ready, "the supervisor's commitment letter")

    def incident(self, text: str) -> Later:
        desk = self.desk
        desk.incident.setText(text)
        self.click(desk.incident_button)
        return self._later(lambda: True, "the incident record")

    def sign_off(self, note: str) -> Later:
        desk = self.desk
        if hasattr(desk, "sign_off_note"):
            desk.sign_off_note.setText(note)
        self.click(desk.sign_off_button)
        return self._later(lambda: True, "the supervisor's sign-off")


__all__ = ["ExpertNode", "SupervisorNode"]
