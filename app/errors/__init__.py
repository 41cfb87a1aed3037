"""The one error hierarchy of EvalRoom: every exception class of ours derives from :class:`EvalRoomError`.

An error carries a message key and its arguments (rendered in Chinese or English through one catalogue,
:func:`render`), the exit code of the command line (spec/cli.md: 1 checked and found invalid, 2 bad input) and
:meth:`~EvalRoomError.diagnostics`, a longer text saying what to do. The front ends catch it once: the command
line's ``main`` (``app/cli.py``) and the GUI's presenter (``ui/errors.py``).

``str(error)`` is the short English message, one line (what the command line prints and the logs keep); it is
``error.message("en")``. Most errors are raised with that English text as their only argument (key
``detail``: the text itself, in both languages, until it is given a key); a keyed error is raised as
``SomeError(key="store.not_a_session", path="x.sqlite")``. :class:`Bilingual` errors carry the two texts of
their raise site.

The catalogue (``app/errors/catalogue.py``) is a plain table (key → Chinese, English), ``str.format`` placeholders
named by the arguments.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from app.errors.catalogue import CATALOGUE

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
LANGUAGES = ("zh", "en")


def render(key: str, lang: str = "en", /, **args: Any) -> str:
    """The catalogue's text of ``key`` in ``lang`` (``zh`` or ``en``), its placeholders filled from ``args``.

    An unknown key renders as the key itself (so a missing entry shows, never hides the error)."""
    texts = CATALOGUE.get(key)
    if texts is None:
        return key
    text = texts[1] if lang == "en" else texts[0]
    try:
        return text.format(**args)
    except (KeyError, IndexError, ValueError):
        return text


class EvalRoomError(Exception):
    """The base of every error of ours: a message key and arguments, an exit code and diagnostics."""

    #: the catalogue key of the message (an instance raised with ``key=`` has its own)
    key: str = "detail"
    #: the command line's exit code (spec/cli.md): 2 bad input or usage, 1 checked and found invalid
    exit_code: int = EXIT_USAGE
    #: the catalogue key of :meth:`diagnostics`; None: ``<key>.help`` when the catalogue has it
    help_key: ClassVar[str | None] = None
    #: how the command line prefixes the message: ``command`` ("evalroom: ledger verify: …"), ``program``
    #: ("evalroom: …", the message names its own place: a usage line, a settings file) or ``none`` (a case file's
    #: field path, printed as it is)
    cli_prefix: ClassVar[str] = "command"
    #: the message's arguments of an error raised with ``key=``
    params: dict[str, Any]

    def __init__(self, *args: object, key: str | None = None, **params: Any) -> None:
        if key is not None:
            self.key = key
            self.params = params
            args = args or (render(key, "en", **params),)
        super().__init__(*args)

    def message_args(self) -> dict[str, Any]:
        """The arguments the message is rendered with (``detail``: the English text it was raised with)."""
        return {"detail": super().__str__(), **getattr(self, "params", {})}

    def message(self, lang: str = "en") -> str:
        """The short message in ``lang`` (``zh`` or ``en``); ``message("en")`` is ``str()``."""
        return render(self.key, lang, **self.message_args())

    def diagnostics(self, lang: str = "en") -> str:
        """The longer text: what happened and what to do ("" when there is nothing more to say)."""
        key = self.help_key or f"{self.key}.help"
        return render(key, lang, **self.message_args()) if key in CATALOGUE else ""

    def __str__(self) -> str:
        return self.message("en")


class Bilingual(EvalRoomError):
    """An error raised with its Chinese and English texts (``zh``, ``en``), or with a catalogue key and its arguments
    (``key=``), as its raise sites move to the catalogue.

    ``str()`` is the English text; the Chinese one is ``message("zh")`` (``.zh`` and ``.en`` stay readable)."""

    def __init__(self, zh: str | None = None, en: str | None = None, *, key: str | None = None,
                 **params: Any) -> None:
        if key is not None:
            super().__init__(key=key, **params)
            zh, en = render(key, "zh", **params), render(key, "en", **params)
        elif zh is None or en is None:
            raise TypeError("a Bilingual error is raised with its two texts or with a key")
        else:
            super().__init__(en)
        self.zh, self.en = zh, en

    def message(self, lang: str = "en") -> str:
        return self.en if lang == "en" else self.zh

    @classmethod
    def recast(cls, other: Bilingual) -> Self:
        """``other``'s message (its key and arguments, or its two texts) raised as this class: a refusal passed on
        by another desk."""
        if "params" in vars(other):
            return cls(key=other.key, **other.params)
        return cls(other.message("zh"), other.message("en"))


def message(exc: BaseException, lang: str = "zh") -> str:
    """The short message of any exception in ``lang``: ours through the catalogue, another as its kind and text."""
    if isinstance(exc, EvalRoomError):
        return exc.message(lang)
    return render("unexpected", lang, kind=type(exc).__name__, detail=str(exc))


def diagnostics(exc: BaseException, lang: str = "zh") -> str:
    """The diagnostics of ours ("" for another exception)."""
    return exc.diagnostics(lang) if isinstance(exc, EvalRoomError) else ""
