"""Starting an expert's or the supervisor's own PC (`evalroom --mode workstation|supervisor`, outside
`evalroom demo`): with a seat already on this PC (``load_seat``) straight to that person's page on the PC's own
replica (which reconnects by itself); else the pairing page first. Nothing here waits on the GUI thread: the
seat and the replica open in the background."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ui.i18n import Languages
from ui.room_client import RoomClient
from ui.workstation.seat_window import EXPERT, SeatWindow

if TYPE_CHECKING:
    from app.services.paired import Paired


def open_member_room(home: Path, seat: Paired) -> Any:
    """On the database thread: the PC's replica of the session, syncing with the hub in the background."""
    from app.services.member_room import MemberRoom

    room = MemberRoom(home, seat)
    room.start()
    return room


def seat_client(home: Path, seat: Paired, opener: Callable[[], Any] | None = None) -> RoomClient:
    return RoomClient(home, opener=opener or (lambda: open_member_room(home, seat)))


def seat_window(home: Path, passphrase: bytes, languages: Languages, role: str = EXPERT, hub_url: str | None = None,
                idle_minutes: float = 10, discover: bool = True,
                opener: Callable[[Paired], Any] | None = None) -> SeatWindow:
    """The PC's window; it fills in once the seat file is read (``opener``: makes the member room, tests)."""
    from ui.workstation.pc_window import PcWindow

    return PcWindow(home, role, hub_url=hub_url, passphrase=passphrase, languages=languages,
                    idle_minutes=idle_minutes, discover=discover, opener=opener)


def run_seat(chosen: Any, languages: Languages, kiosk: bool, role: str) -> int:
    """The start screen's `--mode workstation|supervisor`: lock, passphrase, logs, then the seat's window."""
    from PySide6.QtWidgets import QApplication

    from app import logs
    from app import settings as settings_module
    from app.services.passphrase import PassphraseError
    from ui import crash
    from ui.errors import describe
    from ui.i18n import tr
    from ui.kiosk import Kiosk
    from ui.passphrase import obtain_pc_passphrase
    from ui.signals import end_in_order_on_signals
    from ui.single_instance import AlreadyRunning, acquire
    from ui.start_screen import refuse

    mode = "workstation" if role == EXPERT else "supervisor"
    home = chosen.data_folder
    try:
        lock = acquire(mode, home)
    except AlreadyRunning as exc:
        return refuse(tr("EvalRoom 评标室"), describe(exc))
    try:  # the PC's own key is under this passphrase (configured, or asked now)
        passphrase = obtain_pc_passphrase(home)
    except PassphraseError as exc:
        lock.unlock()
        return refuse(tr("本机密钥口令"), describe(exc))
    logs.setup(mode, home)
    crash.install(mode, home, chosen)
    window = seat_window(home, passphrase, languages, role, chosen.hub_url, chosen.idle_minutes)

    def keep_language(code: str) -> None:
        from app.settings import SettingsError
        from ui.i18n import DEFAULT_LANGUAGE

        try:
            settings_module.save(language="zh" if code == DEFAULT_LANGUAGE else code)
        except (SettingsError, OSError) as exc:
            window.statusBar().showMessage(tr("语言设置未保存：{error}").format(error=describe(exc)), 8000)

    window.on_language = keep_language
    if kiosk:
        Kiosk(window, lambda text: settings_module.check_passphrase(chosen.kiosk_exit_hash, text)).show()
    else:
        window.show()
    end_in_order_on_signals(QApplication.instance())  # type: ignore[arg-type]
    code = QApplication.instance().exec()  # type: ignore[union-attr]
    if window.client is not None:
        window.client.close()
    lock.unlock()
    return code
