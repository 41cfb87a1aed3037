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

The catalogue is a plain table (key → Chinese, English), ``str.format`` placeholders named by the arguments.
"""

from __future__ import annotations

from typing import Any, ClassVar

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
LANGUAGES = ("zh", "en")

#: key → (简体中文, English). A key ending in ``.help`` is the diagnostics of the error of that key.
CATALOGUE: dict[str, tuple[str, str]] = {
    "detail": ("{detail}", "{detail}"),
    "unexpected": ("{kind}: {detail}", "{kind}: {detail}"),
    "internal": ("内部错误：{kind}: {detail}（设置 EVALROOM_DEBUG=1 可查看详情）",
                 "internal error: {kind}: {detail} (set EVALROOM_DEBUG=1 for details)"),
    "action.refused": ("操作未被接受（已作为证据记录）：{detail}", "{detail}"),
    "action.refused.help": ("该操作已作为证据写入账本，但规则不允许它生效；请按提示更正后重新操作。",
                            "The action is kept in the ledger as evidence, but the rules do not let it take effect; "
                            "correct it as the message says and do it again."),
    "case.help": ("会话包未导入，任何内容都未更改；请按提示更正所指字段后重新导入。",
                  "Nothing was imported or changed; correct the field named and import the file again."),
    "settings.help": ("请更正设置文件中所指的项（或删除该项以使用默认值）后重新启动。",
                      "Correct the setting named in the settings file (or remove it to use the default) and start "
                      "again."),
    "passphrase.missing.help": ("在环境变量 EVALROOM_KEY_PASSPHRASE 中设置口令，"
                                "或在设置文件的 key_passphrase_file 中指定口令文件，或将口令存入系统钥匙串。",
                                "Set the passphrase in EVALROOM_KEY_PASSPHRASE, name a passphrase file in the "
                                "settings' key_passphrase_file, or keep it in the OS keyring."),
    "store.help": ("请确认所指文件是 EvalRoom 的会话文件"
                   "（simulate 写出的文件夹中的 session.sqlite，或主控台数据文件夹中的会话文件）。",
                   "Check that the path names an EvalRoom session file (session.sqlite in a folder written by "
                   "simulate, or the session file in the console's data folder)."),
    "recorder.busy.help": ("同一文件夹只能有一个录像进程；请先停止正在录像的进程，或选择另一个文件夹。",
                           "One recorder at a time records into a folder: stop the one recording there or choose "
                           "another folder."),
    "sync.unreachable.help": ("请检查网络连接及中心地址；本机数据已保存，连接恢复后会自动同步。",
                              "Check the network and the center's address; nothing is lost here, and the sync "
                              "resumes once the center answers."),
    "pin.mismatch.help": ("这可能是冒充的集线服务。请向签到台核对根证书指纹；"
                          "确已更换根证书时，删除本机固定的证书文件后重新配对。",
                          "This may be an impostor hub. Check the room CA fingerprint with the check-in desk; when the "
                          "room CA was really replaced, delete the pinned certificate file on this PC and pair again."),
    "key.help": ("请确认密钥文件及其口令正确（口令见 EVALROOM_KEY_PASSPHRASE 或设置文件的 key_passphrase_file）。",
                 "Check the key file and its passphrase (EVALROOM_KEY_PASSPHRASE or the settings' "
                 "key_passphrase_file)."),
    "venue.not_enrolled": ("交易中心拒绝了本评标室 {room}（未登记或密钥不符）：{reason}",
                           "the center refused room {room} (not enrolled or another key): {reason}"),
    "single_instance.help": ("本机已有一个 EvalRoom 窗口在使用该数据文件夹；请切换到该窗口，或先关闭它。",
                             "An EvalRoom window already uses this data folder on this PC: switch to it, or close it "
                             "first."),
}


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


def message(exc: BaseException, lang: str = "zh") -> str:
    """The short message of any exception in ``lang``: ours through the catalogue, another as its kind and text."""
    if isinstance(exc, EvalRoomError):
        return exc.message(lang)
    return render("unexpected", lang, kind=type(exc).__name__, detail=str(exc))


def diagnostics(exc: BaseException, lang: str = "zh") -> str:
    """The diagnostics of ours ("" for another exception)."""
    return exc.diagnostics(lang) if isinstance(exc, EvalRoomError) else ""
