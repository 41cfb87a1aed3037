"""The one CJK TrueType face every document uses, registered with reportlab once.

reportlab embeds and subsets TrueType (glyf) outlines only; Noto CJK / Source Han are CFF and fail, and
``UnicodeCIDFont('STSong-Light')`` is never embedded (a reader without an Asian font pack shows boxes).
So titles and body both use WenQuanYi Micro Hei (a Hei face) from ``app.paths.CJK_FONT``: titles bold by
size and weight of layout, not by a second face (no TrueType Song face is shipped).
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import CJK_FONT

BODY = "WQYMicroHei"
TITLE = BODY  # the same face: see the module docstring


def register() -> str:
    """Register the CJK face (idempotent); return its name."""
    if BODY not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(BODY, str(CJK_FONT)))
    return BODY


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` the face cannot draw (they would print as .notdef boxes)."""
    register()
    face = pdfmetrics.getFont(BODY).face
    cmap = face.charToGlyph
    return {ch for ch in text if not ch.isspace() and ord(ch) not in cmap}
