"""Handwritten signature pad (手写签名): mouse, pen or touch; kept as strokes and rendered to PNG."""

from __future__ import annotations

import json
import time

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen, QTabletEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.i18n import tr

Stroke = list[tuple[float, float, float]]  # (x, y, seconds since the first point)


class SignaturePad(QWidget):
    """A white pad; ``strokes`` are the raw points, ``to_png()`` the image kept as evidence."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.strokes: list[Stroke] = []
        self._t0: float | None = None
        self.setMinimumSize(420, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(tr("请在此处手写签名"))

    # -- input -------------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.setToolTip(tr("请在此处手写签名"))
        super().changeEvent(event)

    def _point(self, pos: QPointF) -> tuple[float, float, float]:
        now = time.monotonic()
        if self._t0 is None:
            self._t0 = now
        return (round(pos.x(), 1), round(pos.y(), 1), round(now - self._t0, 3))

    def begin_stroke(self, pos: QPointF) -> None:
        self.strokes.append([self._point(pos)])
        self.update()

    def extend_stroke(self, pos: QPointF) -> None:
        if self.strokes:
            self.strokes[-1].append(self._point(pos))
            self.update()

    def end_stroke(self) -> None:
        self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton:
            self.begin_stroke(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.extend_stroke(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.end_stroke()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self.begin_stroke(event.position())
        elif kind == QTabletEvent.Type.TabletMove and event.pressure() > 0:
            self.extend_stroke(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self.end_stroke()
        event.accept()

    # -- state -------------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        """A signature needs at least one stroke with some length (a stray click is not one)."""
        return not any(len(stroke) >= 3 for stroke in self.strokes)

    def clear(self) -> None:
        self.strokes.clear()
        self._t0 = None
        self.update()
        self.changed.emit()

    def strokes_json(self) -> str:
        return json.dumps({"width": self.width(), "height": self.height(), "strokes": self.strokes},
                          separators=(",", ":"))

    # -- rendering ---------------------------------------------------------------------------------
    def _draw(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#111111"), 2.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        for stroke in self.strokes:
            path = QPainterPath(QPointF(stroke[0][0], stroke[0][1]))
            for x, y, _t in stroke[1:]:
                path.lineTo(x, y)
            painter.drawPath(path)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QPen(QColor("#9aa5b1"), 1, Qt.PenStyle.DashLine))
        painter.drawLine(16, self.height() - 32, self.width() - 16, self.height() - 32)
        self._draw(painter)

    def to_png(self) -> bytes:
        """The signature on a transparent background, as PNG bytes."""
        image = QImage(self.size(), QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        self._draw(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        return bytes(data.data())
