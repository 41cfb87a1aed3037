"""Starting the remote venue's console: from the start screen's 副场主控台 button or `evalroom --mode venue`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from ui.common import show_on_screen
from ui.errors import describe
from ui.i18n import DEFAULT_LANGUAGE, Languages, tr
from ui.venue.client import VenueClient
from ui.venue.window import VenueWindow

if TYPE_CHECKING:
    from app.settings import Settings


def venue_window(chosen: Settings, languages: Languages, passphrase: bytes | None = None) -> VenueWindow:
    """The window, joining in the background at once (the first paint waits for nothing)."""
    client = VenueClient(chosen, passphrase)
    window = VenueWindow(client, languages)
    client.start()
    return window


def run_venue(chosen: Settings, languages: Languages, kiosk: bool = False) -> int:
    """The remote console with its own log file, crash reports and single-instance lock (mode ``venue``)."""
    from app import logs
    from app import settings as settings_module
    from app.services.passphrase import PassphraseError
    from app.settings import SettingsError
    from ui import crash
    from ui.kiosk import Kiosk
    from ui.passphrase import obtain_room_passphrase
    from ui.single_instance import AlreadyRunning, acquire
    from ui.start_screen import refuse

    home = chosen.data_folder
    try:
        lock = acquire("venue", home)
    except AlreadyRunning as exc:
        return refuse(tr("EvalRoom 评标室"), describe(exc))
    try:  # the venue's room key: its passphrase configured, or asked now (never the demo's)
        passphrase = obtain_room_passphrase(home)
    except PassphraseError as exc:
        lock.unlock()
        return refuse(tr("评标室密钥口令"), describe(exc))
    logs.setup("venue", home)
    crash.install("venue", home, chosen)
    window = venue_window(chosen, languages, passphrase)
    window.resize(1280, 760)

    def keep_language(code: str) -> None:  # the menu switch is kept for the next start
        try:
            settings_module.save(language="zh" if code == DEFAULT_LANGUAGE else code)
        except (SettingsError, OSError) as exc:
            window.statusBar().showMessage(tr("语言设置未保存：{error}").format(error=describe(exc)), 8000)

    window.on_language = keep_language
    if kiosk:
        Kiosk(window, lambda text: settings_module.check_passphrase(chosen.kiosk_exit_hash, text)).show()
    else:
        show_on_screen(window)
    code = QApplication.instance().exec()  # type: ignore[union-attr]
    window.client.close()
    lock.unlock()
    return code
