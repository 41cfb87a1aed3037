"""Building blocks of every PDF: A4 page frame, styles, tables, and deterministic output.

Every page carries the project and lot (header), "第 X 页 共 Y 页" and the ledger checkpoint root
(footer), so a loose sheet is tied to its session and to the signed ledger. Output is *deterministic*
(``invariant=1``: no creation date, fixed document id): the same ledger renders the same bytes, which is
how ``evalroom verify`` checks that a report's numbers are what the rule engine recomputes (it re-renders
the report from the ledger and compares SHA-256 with what every member signed).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.reports.fonts import BODY, TITLE, fallback, register, song_lacks

MARGIN = 18 * mm


@dataclass(frozen=True)
class PageMeta:
    """What every page of a document repeats."""

    title: str  # document title, e.g. 评标报告
    project: str  # "项目名称（项目编号）"
    lot: str  # "标段（包）编号 名称"
    checkpoint: str  # "#size root-hex" of the ledger checkpoint the document is tied to
    landscape: bool = False


def styles() -> dict[str, ParagraphStyle]:
    register()
    base = ParagraphStyle("body", fontName=BODY, fontSize=10.5, leading=16, wordWrap="CJK", alignment=TA_LEFT)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=TITLE, fontSize=20, leading=28, alignment=TA_CENTER,
                                spaceAfter=6 * mm),
        "h1": ParagraphStyle("h1", parent=base, fontName=TITLE, fontSize=14, leading=20, spaceBefore=5 * mm,
                             spaceAfter=2 * mm),
        "h2": ParagraphStyle("h2", parent=base, fontName=TITLE, fontSize=12, leading=18, spaceBefore=3 * mm,
                             spaceAfter=1.5 * mm),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=12),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
    }


def text(value: Any) -> str:
    """A value as Paragraph markup (escaped); None prints as an em dash."""
    return "—" if value is None else fallback(escape(str(value)))


def para(value: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text(value), style)


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float] | None = None,
          wrap: bool = True, font_size: float = 9) -> Table:
    """A ruled table with a shaded, repeated header row. ``wrap``: cells as Paragraphs (slower, wraps)."""
    cell = ParagraphStyle("c", parent=styles()["cell"], fontSize=font_size, leading=font_size * 1.35)
    head = ParagraphStyle("h", parent=cell, fontName=TITLE, alignment=TA_CENTER)
    room = [w - 6 for w in widths] if widths else None

    def fit(value: Any, column: int, style: ParagraphStyle) -> Any:
        # A Paragraph (line breaking) costs ~10x a plain string: only for text that would not fit.
        shown = "—" if value is None else str(value)
        plain = not song_lacks(shown)  # a character the Song face lacks needs a Paragraph (Hei fallback)
        if plain and (not wrap or (room is not None and "\n" not in shown
                                   and stringWidth(shown, BODY, font_size) <= room[column])):
            return shown
        return Paragraph(text(value), style)

    data: list[list[Any]] = [[fit(h, i, head) for i, h in enumerate(header)]]
    for row in rows:
        data.append([fit(v, i, cell) for i, v in enumerate(row)])
    t = Table(data, colWidths=list(widths) if widths else None, repeatRows=1)
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), BODY, font_size),
        ("FONT", (0, 0), (-1, 0), TITLE, font_size),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return t


def fields(pairs: Sequence[tuple[str, Any]], width: float) -> Table:
    """A two-column key/value block (基本情况)."""
    st = styles()
    data = [[Paragraph(text(k), st["cell"]), Paragraph(text(v), st["cell"])] for k, v in pairs]
    t = Table(data, colWidths=[width * 0.28, width * 0.72])
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), BODY, 9),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.93, 0.93, 0.93)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return t


def gap(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)


def page_size(meta: PageMeta) -> tuple[float, float]:
    return landscape(A4) if meta.landscape else A4


def frame_width(meta: PageMeta) -> float:
    return page_size(meta)[0] - 2 * MARGIN


class _NumberedCanvas(Canvas):
    """Defers page output until the end so each page can print the total page count."""

    def __init__(self, *args: Any, meta: PageMeta, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meta = meta
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own page reset, absent from its stubs

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        meta = self.meta
        width, height = page_size(meta)
        self.saveState()
        self.setFont(TITLE, 8)
        self.setStrokeColor(colors.grey)
        self.drawString(MARGIN, height - 11 * mm, f"{meta.project}    {meta.lot}")
        self.drawRightString(width - MARGIN, height - 11 * mm, meta.title)
        self.line(MARGIN, height - 12.5 * mm, width - MARGIN, height - 12.5 * mm)
        self.line(MARGIN, 13 * mm, width - MARGIN, 13 * mm)
        self.drawString(MARGIN, 9 * mm, f"账本检查点 {meta.checkpoint}")
        self.drawRightString(width - MARGIN, 9 * mm, f"第 {self.getPageNumber()} 页  共 {total} 页")
        self.restoreState()


def build(story: list[Flowable], meta: PageMeta) -> bytes:
    """Lay out ``story`` on A4 with the page frame; the same input gives the same bytes."""
    register()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=page_size(meta), leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=f"{meta.title} {meta.project}", author="EvalRoom 评标室", subject=meta.lot,
        creator="EvalRoom", producer="EvalRoom (reportlab)", invariant=1, initialFontName=BODY,
    )
    doc.build(story, canvasmaker=functools.partial(_NumberedCanvas, meta=meta))
    return buffer.getvalue()
