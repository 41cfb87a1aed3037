"""Languages of the GUI: Simplified Chinese is the source language; English comes from a catalogue.

Widgets write their text as ``self.tr("中文")`` and rebuild it in ``retranslate()`` when Qt sends
``QEvent.LanguageChange``. The catalogue ``resources/translations/en.json`` maps each Chinese source
string to English; a test checks that every ``tr()`` string in ``ui/`` has an entry. (Qt's .ts/.qm
tool chain would work too; a JSON catalogue needs no build step and reviews as plain text.)
"""

from __future__ import annotations

import json

from PySide6.QtCore import QCoreApplication, QTranslator

from app.paths import RESOURCES

TRANSLATIONS = RESOURCES / "translations"
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"


def load_catalogue(code: str) -> dict[str, str]:
    path = TRANSLATIONS / f"{code}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


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
    """Switches the application language at run time."""

    def __init__(self) -> None:
        self.current = DEFAULT_LANGUAGE
        self._translator: CatalogueTranslator | None = None

    def switch(self, code: str) -> None:
        if code not in LANGUAGES:
            raise ValueError(f"unknown language {code!r}")
        if self._translator is not None:
            QCoreApplication.removeTranslator(self._translator)
            self._translator = None
        if code != DEFAULT_LANGUAGE:
            self._translator = CatalogueTranslator(load_catalogue(code))
            QCoreApplication.installTranslator(self._translator)
        self.current = code


def tr(text: str) -> str:
    """Translate a string outside a QObject (dialog titles, messages built in functions)."""
    return QCoreApplication.translate("EvalRoom", text)
