"""Languages of the GUI: Simplified Chinese is the source language; English comes from a catalogue.

Widgets write their text as ``self.tr("中文")`` and rebuild it in ``retranslate()`` when Qt sends
``QEvent.LanguageChange``. The catalogue ``resources/translations/en.json`` maps each Chinese source
string to English; a test checks that every ``tr()`` string in ``ui/`` has an entry. (Qt's .ts/.qm
tool chain would work too; a JSON catalogue needs no build step and reviews as plain text.)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenuBar,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from app.paths import RESOURCES

TRANSLATIONS = RESOURCES / "translations"
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"


@cache
def _read_catalogue(code: str) -> tuple[tuple[str, str], ...]:
    path = TRANSLATIONS / f"{code}.json"
    return tuple(json.loads(path.read_text(encoding="utf-8")).items()) if path.exists() else ()


def load_catalogue(code: str) -> dict[str, str]:
    """The {Chinese source: translation} catalogue of a language (read once)."""
    return dict(_read_catalogue(code))


class CatalogueTranslator(QTranslator):
    """A QTranslator backed by a {source: translation} dictionary (contexts are not needed)."""

    def __init__(self, catalogue: dict[str, str]) -> None:
        super().__init__()
        self._catalogue = catalogue

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:  # noqa: D102
        return self._catalogue.get(source)  # type: ignore[return-value]  # None → Qt falls back to the source

    def isEmpty(self) -> bool:  # noqa: N802 (Qt API)
        return not self._catalogue


class Languages:
    """Switches the application language at run time. The application has one language: a switch through
    any instance replaces the translator whichever instance installed it (the start screen's and the
    window's never stack)."""

    _installed: CatalogueTranslator | None = None  # the application's one translator

    def __init__(self) -> None:
        self.current = DEFAULT_LANGUAGE
        self.catalogue: dict[str, str] = {}

    def switch(self, code: str) -> None:
        if code not in LANGUAGES:
            raise ValueError(f"unknown language {code!r}")
        if Languages._installed is not None:
            QCoreApplication.removeTranslator(Languages._installed)
            Languages._installed = None
        self.catalogue = {} if code == DEFAULT_LANGUAGE else load_catalogue(code)
        if self.catalogue:
            Languages._installed = CatalogueTranslator(self.catalogue)
            QCoreApplication.installTranslator(Languages._installed)
        self.current = code


def add_language_menu(window: QMainWindow, languages: Languages, switch: Callable[[str], None]) -> dict[str, QAction]:
    """The 语言 Language menu of a window: one checkable action a language; ``switch(code)`` on a choice."""
    menu = window.menuBar().addMenu("语言 Language")
    group = QActionGroup(window)
    actions: dict[str, QAction] = {}
    for code, name in LANGUAGES.items():
        action = QAction(name, window, checkable=True)
        action.setChecked(code == languages.current)
        action.triggered.connect(lambda _checked=False, c=code: switch(c))
        group.addAction(action)
        menu.addAction(action)
        actions[code] = action
    return actions


def translate_tree(root: QWidget, catalogue: dict[str, str]) -> None:
    """Show every static text under ``root`` in the catalogue's language (the empty catalogue = Chinese).

    Widgets keep writing Chinese; this pass maps labels, buttons, group titles, placeholders, tab and
    header texts, list items and menu actions through the catalogue. It keeps no state on the widgets:
    a text already shown in English is first mapped back to its Chinese source through the reverse of
    the English catalogue, so switching back and forth is exact."""
    reverse = {en: zh for zh, en in load_catalogue("en").items()}

    def show(text: str) -> str:
        source = reverse.get(text, text)
        return catalogue.get(source, source)

    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, (QLabel, QAbstractButton)):
            text = widget.text()
            if text and show(text) != text:
                widget.setText(show(text))
        elif isinstance(widget, QGroupBox) and show(widget.title()) != widget.title():
            widget.setTitle(show(widget.title()))
        elif isinstance(widget, QLineEdit) and show(widget.placeholderText()) != widget.placeholderText():
            widget.setPlaceholderText(show(widget.placeholderText()))
        if isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                widget.setTabText(index, show(widget.tabText(index)))
        elif isinstance(widget, QTableWidget):
            for index in range(widget.columnCount()):
                item = widget.horizontalHeaderItem(index)
                if item is not None:
                    item.setText(show(item.text()))
        elif isinstance(widget, QListWidget):
            for index in range(widget.count()):
                item = widget.item(index)
                item.setText(show(item.text()))
        elif isinstance(widget, QMenuBar):
            for action in widget.actions():
                action.setText(show(action.text()))
                for sub in action.menu().actions():
                    sub.setText(show(sub.text()))
    if isinstance(root, QMainWindow):
        root.setWindowTitle(show(root.windowTitle()))


def tr(text: str) -> str:
    """Translate a string outside a QObject (cell words, messages); unknown text stays as it is."""
    return QCoreApplication.translate("EvalRoom", text)
