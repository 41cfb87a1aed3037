"""Entry points for bench/gui.py, run in child processes: first paint and scoring-grid cell entry."""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ui.launch import application
from ui.room_client import RoomClient


def first_paint(case_path: str | None) -> None:
    """`evalroom demo` up to its first painted window; then print the peak RSS (KiB): the parent's clock
    stops at that line. With ``case_path``: that session, recorded by the recorder in its own process
    (check-in photos from it, the face check in its worker), driven to open scoring with an expert's grid
    on screen, for the memory figure. Afterwards the recorder is stopped (never left running)."""
    from ui.i18n import Languages
    from ui.launch import demo_window
    from ui.main_window import MainWindow

    app = application()
    home = Path(tempfile.mkdtemp(prefix="evalroom-bench-"))
    if case_path:
        from app.services.recording import RecordingSettings

        client = RoomClient(home, recording=RecordingSettings(), demo=True)
        from ui.walkthrough import ask

        ask(client, lambda room: room.start(Path(case_path)))
        window = MainWindow(client, Languages())
        _scoring_station(client, window)
    else:
        window = demo_window(home)
    window.resize(1200, 760)
    window.show()

    def painted() -> None:
        window.grab()
        try:
            print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)  # the measure ends here
            while not window.__dict__.get("_built", True):  # the pages are built on the next turn of the loop
                QApplication.processEvents()
            window.grab()
            print("ready", flush=True)  # second clock: the pages built and painted after the frame
        finally:  # even when the parent is gone: the background session start, then stop its recorder
            from ui.walkthrough import wait_idle

            wait_idle(window.client, 120)
            window.client.close()
            os._exit(0)

    QTimer.singleShot(0, painted)
    app.exec()


def _scoring_station(client: RoomClient, window) -> object:  # type: ignore[no-untyped-def]
    """Drive a session to open scoring with every member logged in, through the services."""

    def prepare(room):  # type: ignore[no-untyped-def]
        room.open_bids()
        room.advance("checkin")
        members = [m.id for m in room.state.base_case.committee]
        for member in members:
            code = room.check_identity(member, room.take_photo().jpeg)
            station = room.login(code, "1234")
            letter = station.letter()
            station.sign_letter(b"png", "{}", letter.version_sha256)
            station.declare(False, [], "")
        room.advance("committee")
        room.elect_chair(members[0])
        room.advance("preliminary")
        for member in members:
            for bidder in room.state.base_case.bidders:
                room.workstation(member).verdict(bidder.id, True, None)
        room.advance("scoring")
        return members

    from ui.walkthrough import ask

    members = ask(client, prepare)
    window.select_role(1)
    station = window.workstations.add_station(members[0])
    station.steps.setCurrentIndex(3)
    QApplication.processEvents()
    return station


def cell_entry(case_path: str, cells: int = 120) -> str:
    """Type ``cells`` scores into the 60-bidder grid through Qt key events; each is saved as an event."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    from ui.i18n import Languages
    from ui.main_window import MainWindow
    from ui.walkthrough import ask, wait_idle

    application()
    client = RoomClient(Path(tempfile.mkdtemp(prefix="evalroom-bench-")), demo=True)
    ask(client, lambda room: room.start(Path(case_path)))
    window = MainWindow(client, Languages())
    window.show()
    station = _scoring_station(client, window)
    wait_idle(client)
    view, model = station.scoring.sheet.view, station.scoring.model  # type: ignore[attr-defined]
    columns = len(model.criteria)
    start = time.perf_counter()
    for n in range(cells):
        row, column = divmod(n, columns)
        view.setFocus()
        view.setCurrentIndex(model.index(row, column))
        QTest.keyClick(view, "1")
        editor = next(e for e in view.findChildren(QLineEdit) if e.isVisible())
        QTest.keyClicks(editor, "0")
        QTest.keyClick(editor, Qt.Key.Key_Return)
    typed = time.perf_counter() - start
    wait_idle(client)
    saved = time.perf_counter() - start
    stored = ask(client, lambda room: sum(len(r) for r in room.state.scores.get("E1", {}).values()))
    client.close()
    return (f"scoring grid {len(model.bidders)} bidders x {columns} criteria: "
            f"{typed / cells * 1000:.2f} ms per cell typed (GUI thread), "
            f"{saved / cells * 1000:.2f} ms per cell until saved as a signed event; {stored} events stored")


if __name__ == "__main__":  # pragma: no cover
    first_paint(sys.argv[1] if len(sys.argv) > 1 else None)
