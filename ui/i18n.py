"""Languages of the GUI: Simplified Chinese is the source language; English comes from Qt's own tool chain.

Widgets write their text as ``tr("中文")`` (this module's ``tr``: ``QCoreApplication.translate`` in the one context
``""`` that ``pyside6-lupdate`` gives a bare ``tr()`` call) or ``self.tr("中文")``, and set it again in their
``retranslate()`` when Qt sends ``QEvent.LanguageChange``. Constant tables of texts mark them with ``QT_TR_NOOP``
and translate them where they are shown.

- ``resources/translations/evalroom_en.ts``: made by ``make translations`` (``pyside6-lupdate`` over ui/), the
  English translations written into it (Qt Linguist, or by hand: it is plain XML);
- ``evalroom_en.qm``: made from it by ``pyside6-lrelease`` (``make`` before ``run``/``test``/``dist``, the wheel's
  build in setup.py, and here at first use when it is missing or older than its ``.ts``);
- in Chinese, Qt's own ``qtbase_zh_CN.qm`` (PySide6's translations folder), so the standard buttons (OK, Cancel,
  Yes) and dialogs are Chinese too.

No Chinese literal of ui/ is written outside ``tr()`` (tests/ui/test_translations.py fails on one).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QTranslator
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow

from app.paths import RESOURCES

log = logging.getLogger(__name__)

TRANSLATIONS = RESOURCES / "translations"
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"
#: the context of every message of ours: the one pyside6-lupdate gives a bare ``tr("…")`` call
CONTEXT = ""


def ts_file(code: str) -> Path:
    return TRANSLATIONS / f"evalroom_{code}.ts"


def _lrelease() -> Path | None:
    """PySide6's own ``lrelease`` (pyside6-essentials ships it; a frozen bundle does not)."""
    import PySide6

    found = Path(PySide6.__file__).parent / ("lrelease.exe" if os.name == "nt" else "lrelease")
    return found if found.is_file() else None


def release(ts: Path, qm: Path) -> None:
    """``pyside6-lrelease ts -qm qm``, written to a temporary name first (parallel test workers may build it too)."""
    import subprocess  # here, not above: this module loads before the first paint

    tool = _lrelease()
    if tool is None:
        raise FileNotFoundError(f"no lrelease to build {qm.name} (PySide6 without its tools)")
    partial = qm.with_name(f"{qm.name}.{os.getpid()}.part")
    subprocess.run([str(tool), "-silent", str(ts), "-qm", str(partial)], check=True, capture_output=True, timeout=60)
    os.replace(partial, qm)


@cache
def compiled(code: str) -> Path:
    """The ``.qm`` of a language: the one installed beside its ``.ts``, built now if it is missing or older (a
    source tree where ``make`` has not run since the ``.ts`` changed); where the resources cannot be written, in the
    user's cache folder."""
    ts = ts_file(code)
    qm = ts.with_suffix(".qm")
    if qm.exists() and (qm.stat().st_mtime >= ts.stat().st_mtime or _lrelease() is None):
        return qm
    try:
        release(ts, qm)
        return qm
    except OSError:
        import platformdirs

        cached = Path(platformdirs.user_cache_dir("evalroom")) / "translations" / qm.name
        cached.parent.mkdir(parents=True, exist_ok=True)
        release(ts, cached)
        return cached


@cache
def _read_ts(code: str) -> tuple[tuple[str, str], ...]:
    """The finished {source: translation} pairs of a language's ``.ts``."""
    path = ts_file(code)
    if not path.exists():
        return ()
    import xml.etree.ElementTree as ET

    pairs = []
    for message in ET.parse(path).getroot().iter("message"):
        source, translation = message.findtext("source"), message.find("translation")
        if source and translation is not None and translation.text and translation.get("type") is None:
            pairs.append((source, translation.text))
    return tuple(pairs)


def load_catalogue(code: str) -> dict[str, str]:
    """Every {Chinese source: translation} of a language's ``.ts`` (read once)."""
    return dict(_read_ts(code))


class CatalogueTranslator(QTranslator):
    """A QTranslator backed by a {source: translation} dictionary (contexts are not needed): the ``.ts`` read
    directly where no ``.qm`` can be had."""

    def __init__(self, catalogue: dict[str, str]) -> None:
        super().__init__()
        self._catalogue = catalogue

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:  # noqa: D102
        return self._catalogue.get(source)  # type: ignore[return-value]  # None → Qt falls back to the source

    def isEmpty(self) -> bool:  # noqa: N802 (Qt API)
        return not self._catalogue


def _translators(code: str) -> list[QTranslator]:
    if code == DEFAULT_LANGUAGE:  # Chinese: our texts are the sources; Qt's own (OK, Cancel, Yes ...) from Qt
        import PySide6

        qt = QTranslator()
        folders = (QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),  # a frozen bundle: PySide6/Qt/...
                   str(Path(PySide6.__file__).parent / "Qt" / "translations"))
        if not any(qt.load(f"qtbase_{code}", folder) for folder in folders):
            log.warning("Qt's own Chinese translations (qtbase_%s.qm) were not found: standard buttons stay English",
                        code)
            return []
        return [qt]
    import subprocess

    try:
        path = compiled(code)
    except (OSError, subprocess.SubprocessError) as exc:  # no .qm and no lrelease to build it: the .ts read directly
        log.warning("the compiled translations of %s are missing (%s): read from the .ts instead", code, exc)
        return [CatalogueTranslator(load_catalogue(code))]
    own = QTranslator()
    if not own.load(str(path)):
        raise RuntimeError(f"cannot load the translations {path}")
    return [own]


class Languages:
    """Switches the application language at run time. The application has one language: a switch through
    any instance replaces the translators whichever instance installed them (the start screen's and the
    window's never stack). The widgets' ``LanguageChange`` events are delivered before ``switch`` returns."""

    _installed: list[QTranslator] = []  # the application's translators
    _current = DEFAULT_LANGUAGE  # the application's language

    def __init__(self) -> None:
        self.current = DEFAULT_LANGUAGE

    def switch(self, code: str) -> None:
        if code not in LANGUAGES:
            raise ValueError(f"unknown language {code!r}")
        translators = _translators(code)
        for old in Languages._installed:
            QCoreApplication.removeTranslator(old)
        Languages._installed = translators
        for translator in translators:
            QCoreApplication.installTranslator(translator)
        self.current = Languages._current = code
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)  # retranslate() before we go on


def add_language_menu(window: QMainWindow, languages: Languages, switch: Callable[[str], None]) -> dict[str, QAction]:
    """The 语言 Language menu of a window: one checkable action a language; ``switch(code)`` on a choice. The menu's
    title and the languages' names are the same in every language (whoever cannot read the current one finds them)."""
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


def current_language() -> str:
    """The application's language code (whichever ``Languages`` switched it last)."""
    return Languages._current


def one_language(text: str) -> str:
    """A "中文 / English" text from the core (until the core returns message keys): the current language's half."""
    chinese, sep, english = text.partition(" / ")
    if not sep:
        return text
    return chinese if current_language() == DEFAULT_LANGUAGE else english


def with_english(source: str, **args: object) -> str:
    """``tr(source)`` with its arguments, and in Chinese mode its English translation on the next line: for the few
    texts read by someone whose language is not chosen yet (a PC's pairing refusals). Write the source as
    ``QT_TR_NOOP("中文 {x}")`` so pyside6-lupdate finds it."""
    text = tr(source).format(**args)
    if current_language() != DEFAULT_LANGUAGE:
        return text
    english = in_english(source)
    return f"{text}\n{english.format(**args)}" if english != source else text


def in_english(source: str) -> str:
    """The English of a ``tr()`` source, whatever the GUI's language (the source itself when it has none)."""
    return dict(_read_ts("en")).get(source, source)


def tr(text: str) -> str:
    """Translate a text in the current language (unknown text stays as it is). Write the Chinese literal in the call,
    ``tr("中文")``, so pyside6-lupdate finds it."""
    return QCoreApplication.translate(CONTEXT, text)
