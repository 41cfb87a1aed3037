"""A read-only preview of a PDF: the pages rendered to images by PDFium on its own lane (``ui.ops.PDFIUM``, one
thread: PDFium is not thread-safe), shown stacked in a scroll area. The GUI thread only turns finished images into
pixmaps."""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP, QEvent, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from ui.i18n import tr
from ui.ops import PDFIUM, PoolOp


def render_pages(pdf: bytes, width: int) -> list[QImage]:
    """Every page of ``pdf`` as an image ``width`` pixels wide (any thread; QImage, not QPixmap)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            scale = width / page.get_width()
            picture = page.render(scale=scale).to_pil().convert("RGB")
            page.close()
            data = picture.tobytes()
            images.append(QImage(data, picture.width, picture.height, 3 * picture.width,
                                 QImage.Format.Format_RGB888).copy())
        return images
    finally:
        document.close()


class ReportPreview(QScrollArea):
    """``show_pdf(bytes)``; ``rendered`` fires (on the GUI thread) with the page count once shown."""

    rendered = Signal(int)

    def __init__(self, page_width: int = 620) -> None:
        super().__init__()
        self.page_width = page_width
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setStyleSheet("QScrollArea { background: #7f8790; }")
        self._body = QWidget()
        self._body.setStyleSheet("background: #7f8790;")
        self._layout = QVBoxLayout(self._body)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._layout.setSpacing(10)
        self.message = QLabel()
        self._said: tuple[str, dict[str, object]] = ("", {})  # the message's source and its arguments
        self._say(QT_TR_NOOP("尚无报告草稿"))
        self.message.setStyleSheet("color: white; font-size: 15px; padding: 20px;")
        self._layout.addWidget(self.message)
        self.setWidget(self._body)
        self.pages: list[QLabel] = []
        self._generation = 0
        self.shown_sha: str | None = None
        self._pending_sha: str | None = None

    def _say(self, source: str, **args: object) -> None:
        """The message: ``tr(source)`` with its arguments, said again in the new language on a switch."""
        self._said = (source, args)
        self.message.setText(tr(source).format(**args))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange and self._said[0]:
            self._say(self._said[0], **self._said[1])
        super().changeEvent(event)

    def show_pdf(self, pdf: bytes, sha: str | None = None) -> None:
        self._generation += 1
        generation, width = self._generation, self.page_width
        self.shown_sha = None
        self._say(QT_TR_NOOP("正在生成预览……"))
        self.message.setVisible(True)

        self._pending_sha = sha
        # a failure is shown in the preview, never silent
        PoolOp(lambda: render_pages(pdf, width), parent=self, lane=PDFIUM).success(
            lambda images: self._show(generation, images)).failure(
            lambda exc: self._show(generation, exc)).run_in_background()

    def _show(self, generation: int, result: object) -> None:
        if generation != self._generation:  # a newer draft replaced this one
            return
        for label in self.pages:
            label.deleteLater()
        self.pages = []
        if isinstance(result, Exception):
            self._say(QT_TR_NOOP("预览失败：{error}"), error=result)
            return
        self.message.setVisible(False)
        for image in result:  # type: ignore[attr-defined]
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("background: white; border: 1px solid #4b525a;")
            self._layout.addWidget(label)
            self.pages.append(label)
        self.shown_sha = self._pending_sha
        self.rendered.emit(len(self.pages))

    def clear(self) -> None:
        self._generation += 1
        for label in self.pages:
            label.deleteLater()
        self.pages = []
        self.shown_sha = None
        self._say(QT_TR_NOOP("尚无报告草稿"))
        self.message.setVisible(True)
