"""GUI entry points, plugged into the `evalroom` command line through the `evalroom.gui` group."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.paths import DEMO_CASE
from ui.fonts import install_cjk_font
from ui.i18n import Languages
from ui.main_window import MainWindow
from ui.room_client import RoomClient


def application() -> QApplication:
    # high-DPI: Qt 6 scales by the screen's exact factor (fractional too, policy PassThrough) by default; not
    # set here, because touching the `Qt` namespace builds its enums before the first paint (tests/ui checks it)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("EvalRoom")
    install_cjk_font(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def demo_window(home: Path, idle_minutes: float = 10, recording: Any = True) -> MainWindow:
    """The demo session on embedded SQLite in ``home``, all roles in one window, recorded by the recorder
    in its own process (``recording``: ``RecordingSettings``; True = the synthetic camera; None = none)."""
    client = RoomClient(home, recording=recording, demo=True)  # the demo's key: the public demo passphrase
    window = MainWindow(client, Languages(), idle_minutes)
    # the room and its session open on the database thread once the window is up: the first paint waits for nothing
    QTimer.singleShot(0, lambda: client.call(lambda room: room.start(DEMO_CASE) if room.session is None else None))
    return window


def demo(args: argparse.Namespace) -> int:
    """`evalroom demo` (`make run`), or `evalroom demo --walkthrough OUTDIR`."""
    app = application()
    if getattr(args, "walkthrough", None):
        from ui.walkthrough import WalkthroughError, run_walkthrough

        try:
            return run_walkthrough(Path(args.walkthrough))
        except WalkthroughError as exc:
            print(f"evalroom: walkthrough stopped: {exc}", file=sys.stderr)
            return 1
    home = Path(args.data) if getattr(args, "data", None) else Path(tempfile.mkdtemp(prefix="evalroom-demo-"))
    from app import logs
    from ui import crash
    from ui.single_instance import AlreadyRunning, acquire
    from ui.start_screen import refuse

    try:  # the demo keeps everything (log, crash reports, lock) in its own folder, never the room's
        lock = acquire("demo", home)
    except AlreadyRunning as exc:
        return refuse("EvalRoom 评标室", str(exc))
    logs.setup("demo", home)
    crash.install("demo", home)
    window = demo_window(home)
    window.show()
    code = app.exec()
    window.client.close()
    lock.unlock()
    return code


def start(args: argparse.Namespace) -> int:
    """`evalroom`: the start screen, with the room's settings (a bad settings file: one line and a dialog)."""
    from app import settings
    from ui.start_screen import refuse, run_start_screen

    application()
    try:
        chosen = settings.current()
    except settings.SettingsError as exc:
        return refuse("设置文件有误 / Settings error", f"设置文件有误，请修改后重新启动。 / {exc}")
    return run_start_screen(chosen, kiosk=bool(getattr(args, "kiosk", False)), mode=getattr(args, "mode", None))
