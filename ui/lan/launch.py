"""The processes of ``evalroom demo --room`` and ``--lan-walkthrough``: one node a process, each with its own data
folder, window and keys (``evalroom demo --lan-node ROLE --data DIR [--hub URL]``, internal), and the
``--room`` demo that starts a console with its hub, two expert workstations and the supervisor's PC as separate
windows on this machine."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from app.paths import DEMO_CASE
from ui.i18n import Languages, tr
from ui.lan.agent import Agent
from ui.launch import application
from ui.signals import end_in_order_on_signals

HUB_LISTEN = "127.0.0.1:0"  # the demo's hub: this machine only, any free port


def _console(folder: Path) -> tuple[Any, Any, Any]:
    from ui.lan.console_node import ConsoleNode
    from ui.main_window import MainWindow
    from ui.ops import DbOp
    from ui.room_client import RoomClient

    client = RoomClient(folder, recording=True, demo=True, hub_listen=HUB_LISTEN)
    DbOp(client, lambda room: room.start(DEMO_CASE) if room.session is None else None).run_in_background()
    window = MainWindow(client, Languages(), idle_minutes=60)
    window.setWindowTitle(tr("EvalRoom 评标室 · 主控台 — {folder}").format(folder=folder))
    return window, ConsoleNode(folder, window), client.close


def _pc(folder: Path, role: str, hub: str | None) -> tuple[Any, Any, Any]:
    from app.services.lan_walkthrough import PC_PASSPHRASE
    from ui.lan.station_node import ExpertNode, SupervisorNode
    from ui.workstation.seat import seat_window

    seat_role = "expert" if role == "workstation" else "supervisor"
    window = seat_window(folder, PC_PASSPHRASE, Languages(), seat_role, hub, idle_minutes=60, discover=hub is None)
    node = ExpertNode(folder, window) if seat_role == "expert" else SupervisorNode(folder, window)

    def closing() -> None:
        if window.client is not None:
            window.client.close()

    return window, node, closing


def run_node(args: argparse.Namespace) -> int:
    app = application()
    end_in_order_on_signals(app)
    folder = Path(args.data)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "node.pid").write_text(str(os.getpid()))
    if args.lan_node == "console":
        window, node, closing = _console(folder)
    else:
        window, node, closing = _pc(folder, args.lan_node, args.hub)
    handlers = node.handlers()
    handlers["quit"] = lambda: bool(QApplication.quit() or True)
    agent = Agent(folder, handlers)
    window.resize(1366, 768)
    window.show()
    code = app.exec()
    agent.close()
    closing()
    return code


def run_room(args: argparse.Namespace) -> int:
    """`evalroom demo --room`: the room of separate PCs on one machine, as windows; the walkthrough's nodes,
    driven by the people in front of them instead of the walkthrough."""
    import signal
    import tempfile

    from app.services.lan_walkthrough import LanWalkthroughError, open_room

    def leave(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt  # SIGTERM: close every node in order, as Ctrl+C does

    signal.signal(signal.SIGTERM, leave)

    out = Path(args.data) if getattr(args, "data", None) else Path(tempfile.mkdtemp(prefix="evalroom-room-"))
    try:
        room = open_room(out, 2, offscreen=False)
    except LanWalkthroughError as exc:
        print(f"evalroom: the room did not start: {exc}", file=sys.stderr)
        return 1
    print(f"evalroom: the room's PCs run as separate windows; their data folders are in {out}")
    try:
        room.wait()
    except KeyboardInterrupt:
        pass
    finally:
        room.close()
    return 0


__all__ = ["run_node", "run_room"]
