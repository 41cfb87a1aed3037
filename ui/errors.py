"""The GUI's one error presenter: the text a person in the room reads for an error, and the dialog.

Errors of ours (``app.errors.EvalRoomError``) render in the GUI's language (``ui.i18n.current_language``) through
the core's catalogue, with their diagnostics (what to do) under the message; any other exception shows as its kind
and text (and is logged with its traceback). Every failure of a background operation (``ui/ops.py``) that has no
``failure`` callback of its own comes here; a page that shows a failure in its own notice line reads the text from
:func:`describe` (or :func:`bilingual`, where the room reads both languages). No other module of ui/ looks into an
exception's texts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from app import errors
from ui.i18n import DEFAULT_LANGUAGE, current_language, tr

log = logging.getLogger(__name__)


def language() -> str:
    """The language errors are shown in: the GUI's (``zh`` or ``en``)."""
    return "zh" if current_language() == DEFAULT_LANGUAGE else "en"


def describe(exc: BaseException, lang: str | None = None) -> str:
    """The short message a person in the room reads: ours in ``lang`` (the GUI's), another as ``Kind: text``."""
    return errors.message(exc, lang or language())


def english(exc: BaseException) -> str:
    """The English message of ours where the room reads both languages ("" in English mode, when it is the same
    text, or when it is not ours)."""
    if not isinstance(exc, errors.EvalRoomError) or language() == "en":
        return ""
    text = exc.message("en")
    return "" if text == exc.message(language()) else text


def bilingual(exc: BaseException, separator: str = " / ") -> str:
    """The message in the GUI's language, then (in Chinese mode, when it differs) in English."""
    return separator.join(text for text in (describe(exc), english(exc)) if text)


def diagnostics(exc: BaseException, lang: str | None = None) -> str:
    """What to do about ``exc`` ("" when there is nothing more to say, or it is not one of ours)."""
    return errors.diagnostics(exc, lang or language())


def present_error(parent: QWidget | None, exc: BaseException,
                  show: Callable[[QWidget | None, str], None] | None = None) -> None:
    """The error channel of the GUI: logged, then one clear dialog, the message and under it what to do.

    ``show``: where the message goes instead of the dialog (a test's or a walkthrough's collector)."""
    if isinstance(exc, errors.EvalRoomError):
        log.warning("operation refused: %s", exc)
    else:
        log.error("operation failed: %s", exc, exc_info=exc)
    if show is not None:
        show(parent, describe(exc))
    else:
        show_error(parent, describe(exc), diagnostics(exc))


def show_error(parent: QWidget | None, text: str, details: str = "") -> None:
    """The dialog itself (a text already described)."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr("操作未完成"), text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setInformativeText(details)
    box.exec()


__all__ = ["bilingual", "describe", "diagnostics", "english", "language", "present_error", "show_error"]
