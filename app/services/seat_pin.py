"""The screen-lock PIN of an expert's or supervisor's own PC: set on the pairing page, kept as a salted
PBKDF2 hash in the seat's folder (never the PIN itself), so the lock works again after a restart.

The PIN only unlocks the screen: the seat's key is under the PC's passphrase, not under the PIN. The GUI's lock
(``PinCheck``) and the seat's :meth:`app.services.member_room.MemberStation.check_pin` read the same file."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from app.services.paired import seat_folder

PIN_FILE = "screen-pin.json"
ROUNDS = 100_000


def pin_problem(pin: str, again: str) -> str | None:
    """What is wrong with a PIN typed twice (Chinese / English), or None."""
    if not (4 <= len(pin) <= 8 and pin.isdigit()):
        return "请设置 4–8 位数字的个人识别码（PIN），用于锁屏后解锁 / the PIN is 4 to 8 digits"
    if pin != again:
        return "两次输入的 PIN 不一致 / the two PINs differ"
    return None


def pin_file(home: Path, session: str) -> Path:
    return seat_folder(home, session) / PIN_FILE


def _digest(pin: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, ROUNDS)


def save_pin(home: Path, session: str, pin: str) -> None:
    """Keep the PIN's hash for the seat (0600, written whole)."""
    salt = secrets.token_bytes(16)
    path = pin_file(home, session)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"salt": salt.hex(), "rounds": ROUNDS, "sha256": _digest(pin, salt).hex()})
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(body)
    os.replace(temporary, path)


class PinCheck:
    """Checks a typed PIN against the seat's stored hash (read once, when made: no disk on the GUI thread)."""

    def __init__(self, home: Path, session: str) -> None:
        try:
            stored = json.loads(pin_file(home, session).read_text(encoding="utf-8"))
            self._salt = bytes.fromhex(stored["salt"])
            self._hash: bytes | None = bytes.fromhex(stored["sha256"])
        except (OSError, ValueError, KeyError, TypeError):
            self._salt, self._hash = b"", None

    @property
    def known(self) -> bool:
        """A PIN was set for this seat."""
        return self._hash is not None

    def __call__(self, pin: str) -> bool:
        return self._hash is not None and hmac.compare_digest(_digest(pin, self._salt), self._hash)
