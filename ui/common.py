"""Small shared pieces of the room screens: titles, notices, read-only tables, big buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QT_TR_NOOP, QEvent, QObject, QSize
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr

OK_COLOUR, WARN_COLOUR, BAD_COLOUR = "#1b7a3a", "#a15c00", "#b00020"

#: the session's stages (RoomView.stage) as the screens name them
STAGES = {
    "created": QT_TR_NOOP("会话已建立"), "opening": QT_TR_NOOP("开标"), "checkin": QT_TR_NOOP("专家签到"),
    "committee": QT_TR_NOOP("组建评标委员会"), "preliminary": QT_TR_NOOP("初步评审"), "scoring": QT_TR_NOOP("详细评审"),
    "summary": QT_TR_NOOP("汇总与排序"), "report": QT_TR_NOOP("评标报告"), "archived": QT_TR_NOOP("已归档"),
}


def stage_name(view: Any) -> str:
    """The session's stage (a ``RoomView``'s) in the current language."""
    return tr(STAGES.get(view.stage, view.stage_name))


def title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 20px; font-weight: bold; margin: 4px 0 8px 0;")
    return label


def notice(text: str = "", colour: str = "#333333") -> QLabel:
    from PySide6.QtCore import Qt  # here, not above: this module loads before the first paint (Qt's enums: 30-40 ms)

    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    set_notice(label, text, colour)
    return label


def set_notice(label: QLabel, text: str, colour: str = "#333333") -> None:
    label.setText(tr(text))
    label.setStyleSheet(f"color: {colour}; font-size: 15px; padding: 4px;")
    label.setVisible(bool(text))


def big_button(text: str, primary: bool = False) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(40)
    if primary:
        button.setStyleSheet("QPushButton { font-size: 15px; padding: 6px 18px; background: #1f5fa8; color: white;"
                             " border-radius: 4px; } QPushButton:disabled { background: #b8c4d2; color: #eef2f6; }")
    else:
        button.setStyleSheet("QPushButton { font-size: 15px; padding: 6px 18px; }")
    return button


def least_height(widget: QWidget, width: int) -> int:
    """The least height ``widget`` needs at ``width``: its wrapped texts whole, its tables and lists at their minimum
    (-1: its height does not depend on its width)."""
    if isinstance(widget, PageStack):
        return widget.heightForWidth(width)
    layout = widget.layout()
    if layout is not None and layout.hasHeightForWidth():
        return layout.totalMinimumHeightForWidth(width)
    return widget.heightForWidth(width)


class PageStack(QStackedWidget):
    """A stack of pages sized by the page shown. A plain QStackedWidget asks for the room of its largest page, shown
    or not, so the window grew as pages were first shown (800 → 861 px) and its bottom left a 768-px room screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(self._changed)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        page = self.currentWidget()
        return page.minimumSizeHint().expandedTo(page.minimumSize()) if page is not None else QSize(0, 0)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (its layout's would be the largest page's)
        page = self.currentWidget()
        return least_height(page, width) if page is not None else -1

    def _changed(self, _index: int) -> None:
        self.updateGeometry()
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:  # its scroll bars follow the page now shown
            QApplication.postEvent(parent, QEvent(QEvent.Type.LayoutRequest))


class _Fitted(QWidget):
    """Holds a page in a scroll area. A scroll area gives a page whose height depends on its width (any page with a
    wrapped text) its preferred height, so a page scrolled although its tables could have been shorter: this asks
    for the least height the page needs at the width."""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.page = page
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        return least_height(self.page, width)


def scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area: a page longer than the screen scrolls instead of growing the window."""
    area = QScrollArea()
    area.setObjectName("pageScroll")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(_Fitted(widget))
    return area


TITLE_BAR = 40  # px a window manager's frame adds above the window, at most


def needs_maximizing(size: QSize, available: QSize) -> bool:
    """A window of ``size`` does not fit the screen's ``available`` area with its title bar (a 1280 × 800 window on a
    1366 × 768 room screen)."""
    return size.width() > available.width() or size.height() + TITLE_BAR > available.height()


def show_on_screen(window: QWidget) -> None:
    """Show ``window``; on a screen smaller than it, maximized (the screen's whole area: its bottom, where the buttons
    are, is never off the screen)."""
    screen = window.screen()
    real = QApplication.platformName() not in ("offscreen", "minimal")  # their screen is a made-up 800 × 600
    if real and screen is not None and needs_maximizing(window.size(), screen.availableGeometry().size()):
        window.showMaximized()
    else:
        window.show()


def table(headers: Sequence[str], parent: QWidget | None = None) -> QTableWidget:
    widget = QTableWidget(0, len(headers), parent)
    widget.setHorizontalHeaderLabels(list(headers))
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.verticalHeader().setVisible(False)
    widget.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    widget.horizontalHeader().setStretchLastSection(True)
    widget.setAlternatingRowColors(True)
    return widget


def fill(widget: QTableWidget, rows: Sequence[Sequence[str]], colours: Sequence[str | None] | None = None) -> None:
    """Replace the rows, keeping the selection when the row count is unchanged."""
    from PySide6.QtCore import Qt

    selected = widget.currentRow()
    widget.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(tr(text))  # cell words like 有效/已提交 follow the language; names stay
            if colours and colours[r]:
                item.setForeground(Qt.GlobalColor.darkRed if colours[r] == BAD_COLOUR else Qt.GlobalColor.darkGreen)
            widget.setItem(r, c, item)
    if 0 <= selected < len(rows):
        widget.selectRow(selected)


def fit_rows(widget: QTableWidget) -> None:
    """Make the table exactly as high as its header and rows, and at least as wide as its columns: every row shown, no
    scroll bar of its own (a committee's seven members are never three rows in a peephole)."""
    from PySide6.QtCore import Qt

    header = widget.horizontalHeader()
    columns = sum(max(header.sectionSizeHint(c), widget.sizeHintForColumn(c)) for c in range(widget.columnCount()))
    widget.setMinimumWidth(columns + 2 * widget.frameWidth())
    height = header.sizeHint().height() + 2 * widget.frameWidth()
    height += sum(widget.rowHeight(row) for row in range(widget.rowCount()))
    widget.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setFixedHeight(height)


class _Follower(QObject):
    """Renders a page's snapshots only while it is visible; a hidden page catches up when shown, so a
    score typed on a workstation does not redraw every table of the console."""

    def __init__(self, page: QWidget, render: Callable[[Any], None]) -> None:
        super().__init__(page)
        self._page, self._render = page, render
        self._pending: Any = None
        page.installEventFilter(self)

    def changed(self, view: Any) -> None:
        if self._page.isVisible():
            self._pending = None
            self._render(view)
        else:
            self._pending = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Show and self._pending is not None:
            view, self._pending = self._pending, None
            self._render(view)
        return False


def follow(page: QWidget, client: Any) -> None:
    """Connect ``page.show_view`` to the client's snapshots, rendering only while the page is visible."""
    follower = _Follower(page, page.show_view)  # type: ignore[attr-defined]
    client.changed.connect(follower.changed)
    if client.view is not None:
        follower.changed(client.view)


def yes(flag: bool, yes_text: str = "✓", no_text: str = "—") -> str:
    return yes_text if flag else no_text
