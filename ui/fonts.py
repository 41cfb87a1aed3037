"""Load the shipped CJK font explicitly: a bare machine has none, and Chinese would render as boxes."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.paths import CJK_FONT

BASE_POINT_SIZE = 11  # ≈ 15 px at 96 dpi: the base type is at least 14 px


def install_cjk_font(app: QApplication) -> str:
    """Register the font, make it the application font, and return its family name."""
    font_id = QFontDatabase.addApplicationFont(str(CJK_FONT))
    if font_id < 0:
        raise RuntimeError(f"cannot load the CJK font {CJK_FONT}")
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    font = QFont(family)
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    return family
