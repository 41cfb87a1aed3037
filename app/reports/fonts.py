"""The two CJK TrueType faces of the documents, registered with reportlab once.

reportlab embeds and subsets TrueType (glyf) outlines only; Noto CJK / Source Han are CFF and fail, and
``UnicodeCIDFont('STSong-Light')`` is never embedded (a reader without an Asian font pack shows boxes).
So: titles, headings, table headers and the page frame in WenQuanYi Micro Hei (a Hei face,
``app.paths.CJK_FONT``); the body in AR PL SungtiL GB (a Song face, ``arphic-gbsn00lp.ttf`` beside it),
as formal Chinese documents are set. The Song face covers GB 2312 only: a character it lacks (a rare
name such as 堃 or 喆) is drawn in the Hei face instead (:func:`fallback`), never as a box.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import CJK_FONT

HEI = "WQYMicroHei"
SONG = "ARPLSungtiLGB"
SONG_FONT = CJK_FONT.parent / "arphic-gbsn00lp.ttf"
BODY = SONG
TITLE = HEI


def register() -> str:
    """Register both faces (idempotent); return the body face's name."""
    names = pdfmetrics.getRegisteredFontNames()
    if HEI not in names:
        pdfmetrics.registerFont(TTFont(HEI, str(CJK_FONT)))
    if SONG not in names:
        pdfmetrics.registerFont(TTFont(SONG, str(SONG_FONT)))
    return BODY


@lru_cache(maxsize=2)
def _cmap(name: str) -> frozenset[int]:
    register()
    font = pdfmetrics.getFont(name)
    if not isinstance(font, TTFont):  # register() makes both faces TrueType
        raise TypeError(f"font {name} is not a TrueType font")
    return frozenset(font.face.charToGlyph)


def song_lacks(text: str) -> bool:
    """True when the Song face cannot draw some character of ``text``."""
    song = _cmap(SONG)
    return any(ord(ch) not in song for ch in text if not ch.isspace())


def fallback(markup: str) -> str:
    """Paragraph markup with every run of characters the Song face lacks set in the Hei face."""
    song = _cmap(SONG)
    if all(ord(ch) in song or ch.isspace() for ch in markup):
        return markup
    out: list[str] = []
    run: list[str] = []
    for ch in markup:
        if ord(ch) in song or ch.isspace():
            if run:
                out.append(f'<font name="{HEI}">{"".join(run)}</font>')
                run = []
            out.append(ch)
        else:
            run.append(ch)
    if run:
        out.append(f'<font name="{HEI}">{"".join(run)}</font>')
    return "".join(out)


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` neither face can draw (they would print as .notdef boxes)."""
    song, hei = _cmap(SONG), _cmap(HEI)
    return {ch for ch in text if not ch.isspace() and ord(ch) not in song and ord(ch) not in hei}
