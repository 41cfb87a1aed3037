"""The bid files' pages as the viewer needs them, on PDFium's own lane (``ui.ops.PDFIUM``: PDFium is not thread-safe).

A document is read once (``app.services.bid_documents.read_checked``: only the bytes the ledger names) and kept open
on the lane, so turning a page renders that page only: a 300-page bid shows its first page as fast as a 3-page one.
Every function here runs on the lane and returns plain data or ``QImage`` (never a pixmap: that is the GUI
thread's)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

KEEP_OPEN = 4  # documents held open at once (two side by side, and the ones just left)


@dataclass(frozen=True)
class Opened:
    sha256: str
    pages: int


@dataclass(frozen=True)
class Hit:
    page: int  # 0-based
    rects: tuple[tuple[float, float, float, float], ...]  # (left, bottom, right, top) in PDF points


_open: OrderedDict[str, Any] = OrderedDict()  # sha256 → pypdfium2.PdfDocument, used on the lane only


def _document(file: Any) -> Any:
    """``file`` (an ``app.services.bid_documents.BidFile``) open: read once, refused unless it hashes to the ledger's
    digest, then kept (the least recently used closed beyond :data:`KEEP_OPEN`)."""
    import pypdfium2 as pdfium

    from app.services.bid_documents import read_checked

    document = _open.get(file.sha256)
    if document is None:
        document = pdfium.PdfDocument(read_checked(file))
        _open[file.sha256] = document
        while len(_open) > KEEP_OPEN:
            _open.popitem(last=False)[1].close()
    _open.move_to_end(file.sha256)
    return document


def open_document(file: Any) -> Opened:
    """Open ``file``; its page count (each page's size is read when it is rendered: nothing here walks them all)."""
    return Opened(file.sha256, len(_document(file)))


def render_page(file: Any, index: int, width: int, hits: tuple[Hit, ...] = ()) -> QImage:
    """Page ``index`` of ``file`` ``width`` pixels wide, the search hits on it marked."""
    document = _document(file)
    page = document[index]
    try:
        scale = width / page.get_width()
        picture = page.render(scale=scale).to_pil().convert("RGB")
        height = page.get_height()
    finally:
        page.close()
    data = picture.tobytes()
    image = QImage(data, picture.width, picture.height, 3 * picture.width, QImage.Format.Format_RGB888).copy()
    marks = [r for h in hits if h.page == index for r in h.rects]
    if marks:
        painter = QPainter(image)
        painter.setPen(QColor(230, 120, 0))
        painter.setBrush(QColor(255, 200, 0, 90))
        for left, bottom, right, top in marks:
            painter.drawRect(QRectF(left * scale, (height - top) * scale, (right - left) * scale,
                                    (top - bottom) * scale))
        painter.end()
    return image


def search(file: Any, text: str) -> tuple[Hit, ...]:
    """Every page of ``file`` where ``text`` occurs (case-insensitive), with the places."""
    document = _document(file)
    hits = []
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        try:
            searcher = textpage.search(text, match_case=False)
            rects: list[tuple[float, float, float, float]] = []
            while (found := searcher.get_next()) is not None:
                start, count = found
                for n in range(textpage.count_rects(start, count)):
                    rects.append(tuple(textpage.get_rect(n)))  # type: ignore[arg-type]
            searcher.close()
        finally:
            textpage.close()
            page.close()
        if rects:
            hits.append(Hit(index, tuple(rects)))
    return tuple(hits)


def close_all() -> None:
    """Close every document held open (a viewer closed: the next page opens its document again)."""
    while _open:
        _open.popitem()[1].close()
