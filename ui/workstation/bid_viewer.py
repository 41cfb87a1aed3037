"""The bid files beside the scoring grid (投标文件查看): each bidder's documents, page by page, offline.

One pane shows one document: the page at a zoom (fit to width by default), a page number to jump to, previous and
next, thumbnails, and text search whose hits are marked on the page. "对照" shows a second pane beside it, so two
bidders' documents are read side by side. Reading, rendering and searching run on PDFium's lane
(:mod:`ui.workstation.bid_pages`); the GUI thread only turns images into pixmaps, so typing a score never waits
for a page. A file not on this PC yet (an expert's PC fetches them from the hub after the opening) says so and is
asked for again when the room's snapshot changes."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP, QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.common import BAD_COLOUR, notice, set_notice
from ui.errors import describe
from ui.i18n import tr
from ui.ops import PDFIUM, DbOp, PoolOp
from ui.room_client import RoomClient
from ui.workstation import bid_pages

if TYPE_CHECKING:
    from app.services.bid_documents import BidFile
    from app.services.room_view import RoomView

PARTS = {"commercial": QT_TR_NOOP("商务部分"), "technical": QT_TR_NOOP("技术部分"),
         "qualification": QT_TR_NOOP("资格审查部分"), "other": QT_TR_NOOP("其他")}
ZOOMS = (50, 75, 100, 125, 150, 200, 300)  # percent of the pane's width ("fit width" is 100)
THUMB_WIDTH = 96
THUMB_CELL = QSize(THUMB_WIDTH + 12, int(THUMB_WIDTH * 1.42) + 26)
THUMB_BATCH = 12  # thumbnails rendered per turn of the lane, after the page shown


class DocumentPane(QWidget):
    """One document of the session's bid files: choose it, read it page by page, search it."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[BidFile] = []
        self._listed = False  # set_files was called once (an empty list is an answer too)
        self.opened: bid_pages.Opened | None = None
        self.file: BidFile | None = None  # the document shown
        self.page = 0
        self.zoom = 100
        self.hits: tuple[bid_pages.Hit, ...] = ()
        self._hit = -1
        self._generation = 0  # a newer document or page makes older renders stale
        self._pending_page = 0  # the page to show once the document opening now is open (open_page)
        self.document = QComboBox()
        self.document.currentIndexChanged.connect(lambda _i: self._open_selected())
        self.previous_button, self.next_button = QPushButton("◀"), QPushButton("▶")
        self.previous_button.clicked.connect(lambda: self.go(self.page - 1))
        self.next_button.clicked.connect(lambda: self.go(self.page + 1))
        self.number = QSpinBox()
        self.number.setMinimum(1)
        self.number.editingFinished.connect(lambda: self.go(self.number.value() - 1))
        self.of_pages = QLabel()
        self.zoom_out, self.zoom_in = QPushButton("−"), QPushButton("+")
        self.zoom_out.clicked.connect(lambda: self.set_zoom(-1))
        self.zoom_in.clicked.connect(lambda: self.set_zoom(+1))
        self.zoom_label = QLabel()
        self.query = QLineEdit()
        self.query.returnPressed.connect(self.find)
        self.find_next = QPushButton()
        self.find_next.clicked.connect(self.find)
        self.found = QLabel()
        self.thumbs = QListWidget()
        self.thumbs.setViewMode(QListWidget.ViewMode.IconMode)
        self.thumbs.setFlow(QListWidget.Flow.TopToBottom)
        self.thumbs.setWrapping(False)
        self.thumbs.setIconSize(QSize(THUMB_WIDTH, int(THUMB_WIDTH * 1.42)))
        self.thumbs.setMovement(QListWidget.Movement.Static)
        self.thumbs.setStyleSheet("QListWidget { background: #d9dde2; }")  # white pages stand out
        self.thumbs.setFixedWidth(THUMB_WIDTH + 36)
        self.thumbs.currentRowChanged.connect(lambda row: self.go(row) if row >= 0 else None)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setWidget(self.image)
        self.area.setStyleSheet("QScrollArea { background: #7f8790; } QLabel { background: #7f8790; }")
        self.status = notice()
        bar = QHBoxLayout()
        for widget in (self.previous_button, self.number, self.of_pages, self.next_button, self.zoom_out,
                       self.zoom_label, self.zoom_in):
            bar.addWidget(widget)
        bar.addStretch()
        search = QHBoxLayout()
        search.addWidget(self.query, 1)
        search.addWidget(self.find_next)
        search.addWidget(self.found)
        body = QHBoxLayout()
        body.addWidget(self.thumbs)
        body.addWidget(self.area, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.document)
        layout.addLayout(bar)
        layout.addLayout(search)
        layout.addWidget(self.status)
        layout.addLayout(body, 1)
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, lambda: self.go(self.page + 1),
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, lambda: self.go(self.page - 1),
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._resized = QTimer(self, singleShot=True, interval=150)
        self._resized.timeout.connect(self._render)
        self.retranslate()

    def retranslate(self) -> None:
        self.query.setPlaceholderText(tr("在本文件中查找文字"))
        self.find_next.setText(tr("查找下一处"))
        self.previous_button.setToolTip(tr("上一页（PageUp）"))
        self.next_button.setToolTip(tr("下一页（PageDown）"))
        self.zoom_label.setText(f"{self.zoom}%")
        self.of_pages.setText(tr("/ {n} 页").format(n=self.opened.pages) if self.opened else "")
        self._fill_documents()

    # -- the documents ---------------------------------------------------------------------------
    def set_files(self, files: list[BidFile]) -> None:
        """The session's bid files as this PC has them; the one shown stays shown."""
        if self._listed and [(f.sha256, f.available) for f in files] == [(f.sha256, f.available) for f in self.files]:
            return
        self._listed = True
        self.files = files
        self._fill_documents()

    def _fill_documents(self) -> None:
        chosen = self.document.currentData()
        self.document.blockSignals(True)
        self.document.clear()
        for file in self.files:
            label = f"{file.bidder} {file.bidder_name} · {tr(PARTS.get(file.part, PARTS['other']))}"
            if not file.available:
                label += tr("（尚未传到本机）")
            self.document.addItem(label, file.sha256)
        index = self.document.findData(chosen) if chosen is not None else -1
        self.document.setCurrentIndex(index if index >= 0 else (0 if self.files else -1))
        self.document.blockSignals(False)
        if self.files and (self.opened is None or self.document.currentData() != self.opened.sha256):
            self._open_selected()
        elif not self.files:
            set_notice(self.status, tr("本项目无电子投标文件。"))

    def show_file(self, sha256: str) -> None:
        index = self.document.findData(sha256)
        if index >= 0:
            self.document.setCurrentIndex(index)

    def open_page(self, path: str, page: int) -> bool:
        """The document at ``path`` (in the package) opened at ``page`` (1-based): 评分索引's one click. False when
        this PC does not list it (yet)."""
        file = next((f for f in self.files if f.path == path), None)
        if file is None:
            return False
        if self.opened is not None and self.opened.sha256 == file.sha256:
            self.go(page - 1)
            return True
        self._pending_page = page - 1
        if self.document.currentData() == file.sha256:
            self._open_selected()
        else:
            self.show_file(file.sha256)
        return True

    def _open_selected(self) -> None:
        sha = self.document.currentData()
        file = next((f for f in self.files if f.sha256 == sha), None)
        if file is None:
            return
        self._generation += 1
        generation = self._generation
        self.opened, self.file, self.hits, self._hit = None, file, (), -1
        self.found.setText("")
        self.thumbs.clear()
        self.image.clear()
        if not file.available:
            set_notice(self.status, tr("该文件尚未传到本机：开标后由评标室主机发送，请稍候。"))
            return
        set_notice(self.status, tr("正在打开……"))
        PoolOp(lambda: bid_pages.open_document(file), parent=self, lane=PDFIUM).success(
            lambda opened: self._opened(generation, opened)).failure(
            lambda exc: self._failed(generation, exc)).run_in_background()

    def _opened(self, generation: int, opened: bid_pages.Opened) -> None:
        if generation != self._generation:
            return
        pending, self._pending_page = self._pending_page, 0
        self.opened, self.page = opened, pending if 0 <= pending < opened.pages else 0
        set_notice(self.status, "")
        self.number.setMaximum(max(1, opened.pages))
        self.of_pages.setText(tr("/ {n} 页").format(n=opened.pages))
        self.thumbs.blockSignals(True)
        for index in range(opened.pages):
            item = QListWidgetItem(str(index + 1))
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            item.setSizeHint(THUMB_CELL)  # the size of an A4 thumbnail from the start: icons arrive in batches
            self.thumbs.addItem(item)
        self.thumbs.blockSignals(False)
        self._render()
        self._thumbnails(generation, 0)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            set_notice(self.status, describe(exc), BAD_COLOUR)

    # -- pages -------------------------------------------------------------------------------------
    def go(self, page: int) -> None:
        if self.opened is None or not 0 <= page < self.opened.pages:
            return
        if page != self.page:
            self.page = page
            self._render()

    def set_zoom(self, step: int) -> None:
        at = ZOOMS.index(self.zoom) if self.zoom in ZOOMS else ZOOMS.index(100)
        self.zoom = ZOOMS[max(0, min(len(ZOOMS) - 1, at + step))]
        self.zoom_label.setText(f"{self.zoom}%")
        self._render()

    def _width(self) -> int:
        """The page's width in pixels: at 100 % the pane's width less a vertical scroll bar (a page is taller than
        the pane, so the bar is there once the page is shown)."""
        room = self.area.width() - 2 * self.area.frameWidth() - self.area.verticalScrollBar().sizeHint().width() - 8
        return max(200, int(room * self.zoom / 100))

    def _render(self) -> None:
        opened, file = self.opened, self.file
        if opened is None or file is None:
            return
        self._generation += 1
        generation, page, width, hits = self._generation, self.page, self._width(), self.hits
        self.number.blockSignals(True)
        self.number.setValue(page + 1)
        self.number.blockSignals(False)
        self.thumbs.blockSignals(True)
        self.thumbs.setCurrentRow(page)
        self.thumbs.blockSignals(False)
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < opened.pages - 1)
        PoolOp(lambda: bid_pages.render_page(file, page, width, hits), parent=self, lane=PDFIUM).success(
            lambda image: self._show(generation, image)).failure(
            lambda exc: self._failed(generation, exc)).run_in_background()

    def _show(self, generation: int, image: Any) -> None:
        if generation != self._generation:  # the expert turned on meanwhile: that page comes next
            return
        self.image.setPixmap(QPixmap.fromImage(image))
        self.shown = (self.opened.sha256 if self.opened else None, self.page)

    def _thumbnails(self, generation: int, start: int) -> None:
        """A few thumbnails per turn of the lane, so a page turned meanwhile is rendered between the batches."""
        opened, file = self.opened, self.file
        if opened is None or file is None or start >= opened.pages:
            return
        sha, stop = opened.sha256, min(opened.pages, start + THUMB_BATCH)

        def batch() -> list[Any]:
            return [bid_pages.render_page(file, i, THUMB_WIDTH) for i in range(start, stop)]

        def shown(images: list[Any]) -> None:
            if self.opened is None or self.opened.sha256 != sha:
                return
            for offset, image in enumerate(images):
                item = self.thumbs.item(start + offset)
                if item is not None:
                    item.setIcon(QIcon(QPixmap.fromImage(image)))
            self._thumbnails(generation, stop)

        PoolOp(batch, parent=self, lane=PDFIUM).success(shown).failure(lambda _exc: None).run_in_background()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if self.opened is not None:
            self._resized.start()  # once the resizing settles: the page at the new width

    # -- search ------------------------------------------------------------------------------------
    def find(self) -> None:
        text, opened, file = self.query.text().strip(), self.opened, self.file
        if not text or opened is None or file is None:
            return
        if self.hits and self._query == (opened.sha256, text):
            self._next_hit()
            return
        self._query = (opened.sha256, text)
        self.found.setText(tr("查找中……"))
        PoolOp(lambda: bid_pages.search(file, text), parent=self, lane=PDFIUM).success(
            lambda hits: self._found(opened.sha256, text, hits)).failure(
            lambda exc: set_notice(self.status, describe(exc), BAD_COLOUR)).run_in_background()

    _query: tuple[str, str] = ("", "")

    def _found(self, sha: str, text: str, hits: tuple[bid_pages.Hit, ...]) -> None:
        if self.opened is None or self._query != (sha, text):
            return
        self.hits, self._hit = hits, -1
        if not hits:
            self.found.setText(tr("未找到"))
            self._render()
            return
        self._next_hit()

    def _next_hit(self) -> None:
        self._hit = (self._hit + 1) % len(self.hits)
        hit = self.hits[self._hit]
        total = sum(len(h.rects) for h in self.hits)
        self.found.setText(tr("第 {page} 页（{i}/{n} 页有，共 {total} 处）").format(
            page=hit.page + 1, i=self._hit + 1, n=len(self.hits), total=total))
        self.page = hit.page
        self._render()

    shown: tuple[str | None, int] = (None, -1)  # the document and page last painted (tests, the bench)


class BidViewer(QWidget):
    """The bid files of the session (:class:`DocumentPane`), with a second pane for comparing two bidders."""

    def __init__(self, client: RoomClient) -> None:
        super().__init__()
        self.client = client
        self.left, self.right = DocumentPane(), DocumentPane()
        self.right.setVisible(False)
        self.compare = QCheckBox()
        self.compare.toggled.connect(self._compare)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.right)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold;")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.compare)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self._asked = False
        self._complete = False  # every bid file listed is on this PC: nothing more to ask
        self._reference: tuple[str, int] | None = None  # a page reference asked for before the files were listed
        client.changed.connect(self.show_view)
        # the documents it opened are closed with it (on the lane; another viewer's next page opens its own again)
        self.destroyed.connect(lambda *_: _close_documents())
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(tr("投标文件（离线查看，已按账本核对 SHA-256）"))
        self.compare.setText(tr("两家对照"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            for pane in (self.left, self.right):
                pane.retranslate()
        super().changeEvent(event)

    def _compare(self, on: bool) -> None:
        self.right.setVisible(on)
        if on and len(self.right.files) > 1 and self.left.opened is not None:
            other = next((f.sha256 for f in self.right.files if f.bidder != self._bidder_shown()), None)
            if other is not None:
                self.right.show_file(other)

    def _bidder_shown(self) -> str | None:
        sha = self.left.document.currentData()
        return next((f.bidder for f in self.left.files if f.sha256 == sha), None)

    def show_view(self, view: RoomView) -> None:
        """Ask where this PC has the bid files (cheap: a list) whenever the room changes; a file fetched meanwhile
        becomes readable."""
        if self._asked or not self.isVisible() or self._complete:
            return  # once every file is here, a score typed beside the viewer asks nothing of the database
        self._asked = True

        def listed(files: list[BidFile]) -> None:
            self._asked = False
            self._complete = bool(files) and all(f.available for f in files)
            for pane in (self.left, self.right):
                pane.set_files(files)
            if self._reference is not None:
                reference, self._reference = self._reference, None
                self.open_reference(*reference)

        def failed(exc: BaseException) -> None:
            self._asked = False
            set_notice(self.left.status, describe(exc), BAD_COLOUR)

        DbOp(self.client, lambda room: room.bid_files(), parent=self).without_snapshot().success(listed).failure(
            failed).run_in_background()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.client.view is not None:
            self.show_view(self.client.view)

    def open_reference(self, path: str, page: int) -> None:
        """评分索引: the left pane at the document ``path``, page ``page`` (once the files are listed)."""
        if not self.left._listed:
            self._reference = (path, page)
            return
        if not self.left.open_page(path, page):
            set_notice(self.left.status, tr("索引所指的文件 {path} 不在本机的投标文件中（未解密或尚未传到）。").format(
                path=path), BAD_COLOUR)


class BesideDocuments(QSplitter):
    """A page's own content with the bid files beside it, shown on demand (``button`` toggles it; the content keeps
    the whole width otherwise): the scoring grid, the preliminary review's table."""

    def __init__(self, client: RoomClient, content: QWidget) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.viewer = BidViewer(client)
        self.viewer.setVisible(False)
        self.addWidget(content)
        self.addWidget(self.viewer)
        self.setChildrenCollapsible(False)
        self.button = QPushButton()
        self.button.setCheckable(True)
        self.button.toggled.connect(self.show_documents)
        self.retranslate()

    def retranslate(self) -> None:
        self.button.setText(tr("收起投标文件") if self.button.isChecked() else tr("投标文件对照"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def open_reference(self, path: str, page: int) -> None:
        """One click on a criterion's page reference: the documents shown beside, at that page."""
        if not self.button.isChecked():
            self.button.setChecked(True)  # shows the viewer (toggled → show_documents)
        self.viewer.open_reference(path, page)

    def show_documents(self, on: bool) -> None:
        """The bid files beside the content, half the width each (or the content alone)."""
        self.viewer.setVisible(on)
        if on:
            half = max(1, self.width() // 2)
            self.setSizes([half, half])
        self.retranslate()


def _close_documents() -> None:
    """The viewer's documents closed on PDFium's lane; at the interpreter's exit (the window destroyed after the
    lanes have shut down) there is nothing left to close them for."""
    with contextlib.suppress(RuntimeError):  # "cannot schedule new futures after interpreter shutdown"
        PDFIUM.submit(bid_pages.close_all)
