"""The window of an expert's or the supervisor's own PC, with its start: the seat file read in the background;
a seat there goes straight to that person's page on the PC's replica (which reconnects by itself), no seat shows
the pairing page first. Used by `evalroom --mode workstation|supervisor` (``ui.workstation.seat.run_seat``) and
by the room demo's and the LAN walkthrough's PC nodes (``demo=True``: a passphrase of the demo's own)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP
from shiboken6 import isValid

from ui.i18n import Languages, with_english
from ui.ops import PoolOp
from ui.workstation.seat_window import EXPERT, SUPERVISOR, SeatWindow

if TYPE_CHECKING:
    from app.services.paired import Paired
    from ui.workstation.seat_pin import PinCheck

DEMO_PC_PASSPHRASE = b"evalroom-demo-pc"  # `evalroom demo --room` only: a demo PC's key protects nothing real
ROLE_OF_MODE = {"workstation": EXPERT, EXPERT: EXPERT, SUPERVISOR: SUPERVISOR}


class PcWindow(SeatWindow):
    """``folder``: the PC's data folder; ``role``: ``workstation``/``expert`` or ``supervisor``; ``hub_url``: the
    settings' (None: the pairing page looks on the LAN); ``passphrase``: the PC's key's (``demo``: the demo's);
    ``opener``: makes the member room from the seat (tests; default ``MemberRoom``)."""

    def __init__(self, folder: Path, role: str = EXPERT, *, hub_url: str | None = None, demo: bool = False,
                 passphrase: bytes | None = None, languages: Languages | None = None, idle_minutes: float = 10,
                 discover: bool = True, opener: Callable[[Paired], Any] | None = None) -> None:
        super().__init__(languages or Languages(), ROLE_OF_MODE[role], idle_minutes)
        if passphrase is None:
            if not demo:
                raise ValueError("a PC's key needs a passphrase outside the demo")
            passphrase = DEMO_PC_PASSPHRASE
        self.home, self.hub_url, self.discover = Path(folder), hub_url, discover
        self._passphrase, self._opener = passphrase, opener
        self._last_hub: str | None = None
        PoolOp(self._load, parent=self).success(self._loaded).failure(self._unreadable).run_in_background()

    # -- the seat -------------------------------------------------------------------------------------
    def _load(self) -> tuple[Paired, PinCheck] | None:
        from app.services.pairing import load_seat
        from ui.workstation.seat_pin import PinCheck

        seat = load_seat(self.home, self._passphrase)
        if seat is None or seat.role != self.role:
            return None
        return seat, PinCheck(self.home, seat.session)

    def _loaded(self, found: tuple[Paired, PinCheck] | None) -> None:
        if not isValid(self):
            return
        if found is None:
            self._pair_first()
        else:
            self._seated(found)

    def _unreadable(self, exc: BaseException) -> None:
        from app.services.pairing import KeyFileError
        from ui.workstation.pairing_page import refusal_text

        if not isValid(self):
            return
        if isinstance(exc, KeyFileError):  # a wrong passphrase: pairing again would only hide the seat held here
            self.show_opening(lambda: with_english(QT_TR_NOOP(
                "无法打开本机的签名密钥：口令不符或密钥文件损坏。请用本机的正确口令重新启动本程序"
                "（EVALROOM_KEY_PASSPHRASE、设置中的口令文件或系统钥匙串）。")) + f"\n{exc}")
            return
        self._pair_first(refusal_text(exc) + "\n" + with_english(QT_TR_NOOP("本机原有的配对无法打开；可重新配对。")))

    def _pair_first(self, note: str = "") -> None:
        from ui.common import WARN_COLOUR, set_notice
        from ui.workstation.pairing_page import PairingPage

        hub = self.hub_url or self._last_hub  # pairing again: the hub this PC was paired with
        page = PairingPage(self.home, self._passphrase, self.role, hub, discover=self.discover)
        if note:
            set_notice(page.message, note, WARN_COLOUR)
        page.paired.connect(self._just_paired)
        self.show_pairing(page)

    def _just_paired(self, seat: Paired) -> None:
        from ui.workstation.seat_pin import PinCheck

        home = self.home
        PoolOp(lambda: (seat, PinCheck(home, seat.session)), parent=self).success(
            lambda found: self._seated(found) if isValid(self) else None).run_in_background()

    def _seated(self, found: tuple[Paired, PinCheck]) -> None:
        from ui.workstation.seat import seat_client

        seat, check = found
        self._last_hub = seat.hub_url
        opener = None if self._opener is None else (lambda: self._opener(seat))  # type: ignore[misc]
        self.take_seat(seat_client(self.home, seat, opener), seat, check)

    def new_pairing(self) -> None:
        self._pair_first()

    def close_seat(self) -> None:
        """Close the replica (its sync stops; everything is already saved on this PC)."""
        if self.client is not None:
            self.client.close()
