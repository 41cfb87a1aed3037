"""GUI entry points, plugged into the `evalroom` command line through the `evalroom.gui` group."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtWidgets import QApplication

from app.domain.evaluate import evaluate
from app.paths import DEMO_CASE
from app.services.case_files import load_case
from ui.fonts import install_cjk_font
from ui.session_window import SessionWindow


def _application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("EvalRoom")
    install_cjk_font(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def demo(args: argparse.Namespace) -> int:
    """`evalroom demo`: the bundled demo session."""
    app = _application()
    case = load_case(DEMO_CASE)
    window = SessionWindow(case, evaluate(case).to_json())
    window.show()
    return app.exec()


def start(args: argparse.Namespace) -> int:
    """`evalroom`: the start screen (for now the demo session)."""
    return demo(args)
