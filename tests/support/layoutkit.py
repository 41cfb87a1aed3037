"""Layout checks for the GUI tests: a window keeps the size the room's screen gives it whichever page is shown, no
visible widget lies outside the window or the visible area of its parent, no text of a label, button or table
header is cut, no table header breaks a line before a lone closing bracket, and no list hides most of its rows in
a tiny scroll area.

``problems(window, page)`` returns one line per problem, each naming the page and the widget (its objectName, or
its class and text), so a failing test says what to fix; ``shoot`` keeps a picture of the window.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QScrollBar,
    QStackedWidget,
    QTabBar,
    QWidget,
)

SIZES = (QSize(1366, 768), QSize(1920, 1080))
CLOSING = frozenset("）)】]》」』〉，。、；：")
# a scroll area that scrolls must show at least this much of what it holds (else it is a peephole)
TINY_SCROLL = 120
# Qt's own parts inside a composite widget (a combo box's frame, a scroll area's bars, a line edit's buttons): laid
# out by the widget itself, not by our layouts
_INTERNAL = ("qt_", "QComboBoxPrivateContainer")


def name(widget: QWidget) -> str:
    """The widget as a person can find it: its objectName, or its class with its text."""
    kind = type(widget).__name__
    text = _text(widget)
    object_name = widget.objectName()
    if object_name and not object_name.startswith("qt_"):
        return f"{kind}#{object_name}" + (f" “{_short(text)}”" if text else "")
    if text:
        return f"{kind} “{_short(text)}”"
    parent = widget.parentWidget()
    return f"{kind} in {name(parent)}" if parent is not None else kind


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(widget: QWidget) -> str:
    if isinstance(widget, (QLabel, QAbstractButton)):
        return widget.text()
    if isinstance(widget, QGroupBox):
        return widget.title()
    if isinstance(widget, QLineEdit):
        return widget.text() or widget.placeholderText()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    return ""


def visible_widgets(root: QWidget) -> Iterator[QWidget]:
    """Every widget shown inside ``root``, top-level popups and Qt's own internals left out."""
    for child in root.findChildren(QWidget):
        if child.isWindow() or not child.isVisible():
            continue
        if any(part in (child.objectName() or type(child).__name__) for part in _INTERNAL):
            continue
        yield child


def _is_viewport(widget: QWidget | None) -> bool:
    area = widget.parentWidget() if widget is not None else None
    return isinstance(area, QAbstractScrollArea) and area.viewport() is widget


def _scrolled(widget: QWidget) -> bool:
    """The widget is inside a scroll area's viewport (an item view's editor, a scroll area's page and all it holds): it
    may lie outside the window, that is what the scroll bars are for."""
    parent = widget.parentWidget()
    while parent is not None:
        if _is_viewport(parent):
            return True
        parent = parent.parentWidget()
    return False


def _visible_rect(widget: QWidget, window: QWidget) -> QRect:
    """The part of the window where ``widget`` can be seen: its rectangle cut by each parent's up to the window (a
    scroll area's viewport included)."""
    rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        rect = rect.intersected(QRect(parent.mapTo(window, parent.rect().topLeft()), parent.size()))
        parent = parent.parentWidget()
    return rect.intersected(window.rect())


def clipped(window: QWidget, widgets: Sequence[QWidget] | None = None) -> list[str]:
    """Widgets outside the window, or outside their parent's rectangle (where their parent does not scroll)."""
    found = []
    for widget in widgets if widgets is not None else visible_widgets(window):
        parent = widget.parentWidget()
        if parent is None:
            continue
        inside_window = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        if not _scrolled(widget) and not window.rect().contains(inside_window):
            found.append(f"{name(widget)} lies outside the window ({_geometry(inside_window)} in "
                         f"{window.width()}×{window.height()})")
            continue
        if _is_viewport(parent) or isinstance(parent, QTabBar):  # a tab bar scrolls its tabs itself
            continue
        if not parent.rect().contains(widget.geometry()):
            found.append(f"{name(widget)} is cut by its parent {name(parent)} ({_geometry(widget.geometry())} in "
                         f"{parent.width()}×{parent.height()})")
    return found


def _geometry(rect: QRect) -> str:
    return f"{rect.width()}×{rect.height()} at {rect.x()},{rect.y()}"


def cut_texts(window: QWidget, widgets: Sequence[QWidget] | None = None) -> list[str]:
    """Labels, buttons and group titles whose text does not fit the room they were given."""
    found = []
    for widget in widgets if widgets is not None else visible_widgets(window):
        if isinstance(widget, QLabel):
            if widget.pixmap() is not None and not widget.pixmap().isNull():
                continue
            if not widget.text().strip() or widget.sizePolicy().horizontalPolicy().name == "Ignored":
                continue
            if widget.wordWrap():
                need = QSize(widget.minimumSizeHint().width(), widget.heightForWidth(widget.width()))
            else:
                need = widget.sizeHint()
            if widget.width() < need.width() or widget.height() < need.height():
                found.append(f"{name(widget)}: text cut (shown {widget.width()}×{widget.height()}, needs "
                             f"{need.width()}×{need.height()})")
        elif isinstance(widget, QAbstractButton) and widget.text().strip():
            need = widget.minimumSizeHint().expandedTo(widget.sizeHint()) if type(widget).__name__ == "QPushButton" \
                else widget.sizeHint()
            if widget.width() < need.width() or widget.height() < widget.minimumSizeHint().height():
                found.append(f"{name(widget)}: text cut (shown {widget.width()}×{widget.height()}, needs "
                             f"{need.width()}×{need.height()})")
    return found


def header_problems(window: QWidget, widgets: Sequence[QWidget] | None = None) -> list[str]:
    """Horizontal table headers: no section whose text is wider or taller than the section (unless the full text is
    its tooltip), and no line that is only closing punctuation (a bracket broken off its words)."""
    found = []
    for header in widgets if widgets is not None else visible_widgets(window):
        if not isinstance(header, QHeaderView) or header.orientation() != Qt.Orientation.Horizontal:
            continue
        view = header.parentWidget()
        model = header.model()
        if model is None:
            continue
        metrics = header.fontMetrics()
        for section in range(header.count()):
            if header.isSectionHidden(section):
                continue
            text = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
            if not text:
                continue
            lines = str(text).split("\n")
            where = f"{name(view) if view is not None else 'table'} column “{_short(' '.join(lines))}”"
            lone = [line for line in lines if line.strip() and all(ch in CLOSING for ch in line.strip())]
            if lone:
                found.append(f"{where}: a line is only “{lone[0].strip()}”")
            tooltip = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            if tooltip:
                continue  # an elided header says the whole text on hover
            wide = header.sectionSizeHint(section)  # the text with the header's margins
            tall = metrics.lineSpacing() * len(lines)
            if wide > header.sectionSize(section) or tall > header.height():
                found.append(f"{where}: header text cut (section {header.sectionSize(section)}×{header.height()}, "
                             f"text {wide}×{tall})")
    return found


def peepholes(window: QWidget, widgets: Sequence[QWidget] | None = None) -> list[str]:
    """Scroll areas that scroll while showing less than ``TINY_SCROLL`` px (a list of seven showing three), and lists
    without a scroll bar that do not show all their rows."""
    found = []
    for area in widgets if widgets is not None else visible_widgets(window):
        if not isinstance(area, QAbstractScrollArea):
            continue
        bar: QScrollBar = area.verticalScrollBar()
        if bar.maximum() > bar.minimum() and area.viewport().height() < TINY_SCROLL:
            what = ""
            if isinstance(area, QAbstractItemView) and area.model() is not None:
                shown = _rows_shown(area)
                what = f", {shown} of {area.model().rowCount()} rows shown"
            found.append(f"{name(area)}: a tiny scroll area ({area.viewport().height()} px high{what})")
        elif (isinstance(area, QAbstractItemView) and not isinstance(area, QHeaderView) and area.model() is not None
              and area.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff and not all_rows_shown(area)):
            found.append(f"{name(area)}: rows hidden with no scroll bar ({_rows_shown(area)} of "
                         f"{area.model().rowCount()} shown)")
    return found


def _rows_shown(view: QAbstractItemView) -> int:
    model = view.model()
    port = view.viewport().rect()
    return sum(1 for row in range(model.rowCount()) if port.contains(view.visualRect(model.index(row, 0))))


def all_rows_shown(view: QAbstractItemView) -> bool:
    """Every row of the view lies whole in its viewport (no scrolling needed to see one)."""
    model = view.model()
    return model is not None and _rows_shown(view) == model.rowCount()


def scrolling_pages(window: QWidget, widgets: Sequence[QWidget] | None = None) -> list[str]:
    """The pages shown that scroll (their scroll area, named ``pageScroll`` in ui/common.py, has its bar on)."""
    found = []
    for area in widgets if widgets is not None else visible_widgets(window):
        if isinstance(area, QAbstractScrollArea) and area.objectName() == "pageScroll":
            bar = area.verticalScrollBar()
            if bar.maximum() > bar.minimum():
                inner = getattr(area.widget(), "page", None) if hasattr(area, "widget") else None
                shown = inner.currentWidget() if isinstance(inner, QStackedWidget) else inner
                found.append(f"{name(shown) if shown is not None else name(area)} scrolls "
                             f"({bar.maximum() + bar.pageStep()} px in {area.viewport().height()})")
    return found


def settle() -> None:
    for _ in range(3):  # a layout change posts the next one: a few rounds until it stops moving
        QApplication.processEvents()


def problems(window: QMainWindow | QWidget, page: str, size: QSize, must_fit: bool = False) -> list[str]:
    """Everything wrong with the window as it shows ``page``, each line naming the page and the widget (``must_fit``:
    a page that scrolls is one too)."""
    settle()
    found = []
    if window.size() != size:
        found.append(f"the window is {window.width()}×{window.height()}, not {size.width()}×{size.height()} "
                     f"(its minimum size follows the page: {_minimum(window)})")
    widgets = list(visible_widgets(window))
    found += (clipped(window, widgets) + cut_texts(window, widgets) + header_problems(window, widgets)
              + peepholes(window, widgets))
    if must_fit:
        found += [f"{line} (the page must fit the screen)" for line in scrolling_pages(window, widgets)]
    return [f"{page} @ {size.width()}×{size.height()}: {line}" for line in found]


def _minimum(window: QWidget) -> str:
    """The tallest and widest minimum sizes on the way down from the window: where the growth comes from."""
    steps = []
    widget: QWidget | None = window.centralWidget() if isinstance(window, QMainWindow) else window
    while widget is not None and len(steps) < 16:
        hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
        steps.append(f"{type(widget).__name__}{'#' + widget.objectName() if widget.objectName() else ''} "
                     f"{hint.width()}×{hint.height()}")
        # a stacked widget's hint is its tallest page's, shown or not: hidden children count
        children = [c for c in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                    if not c.isWindow() and not c.isHidden() or isinstance(widget, QStackedWidget)]
        if not children:
            break
        widget = max(children, key=lambda c: c.minimumSizeHint().height() * 10000 + c.minimumSizeHint().width())
    return " › ".join(steps)


def shoot(window: QWidget, folder: Path, label: str) -> Path:
    """A picture of the window as shown (``QWidget.grab``), in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{label}.png"
    if not window.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    return path
