"""The room key's passphrase for the room console, the remote venue's console and the GUI.

Where it comes from is :mod:`app.crypto.passphrases` (argument, ``EVALROOM_KEY_PASSPHRASE``, the settings'
``key_passphrase_file``, the OS keyring; the demo passphrase for ``evalroom demo`` only). The GUI asks for it
at start when none of those gives it, and may keep it in the keyring; these are the calls it makes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from app.crypto import passphrases
from app.crypto.keys import KeyFileError, SigningKey
from app.crypto.passphrases import Passphrase, PassphraseError, PassphraseMissing
from app.durable import private_folder

KEY_FILE = "room.p12"
MIN_LENGTH = 8  # a passphrase typed at the console's first start
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RoomKey:
    key: SigningKey
    passphrase: Passphrase
    note: str | None = None  # what was changed (a key of an earlier version re-encrypted)


def key_file(home: Path) -> Path:
    return Path(home) / "keys" / KEY_FILE


def open_room_key(home: Path, given: bytes | None = None, demo: bool = False, file: Path | None = None) -> RoomKey:
    """The room key of the data folder ``home`` (``keys/room.p12``; generated there on first use, 0600 in a
    0700 folder). ``demo``: the demo (``evalroom demo``) or the test tooling, which may use the demo passphrase;
    anyone else without a passphrase gets :class:`PassphraseMissing`. ``file``: the settings' passphrase file. A
    key that an earlier version kept under the public demo passphrase is put under the passphrase given (with the
    PAdES certificate beside it)."""
    keys = private_folder(Path(home) / "keys")
    path = keys / KEY_FILE
    chosen = passphrases.resolve(passphrases.ROOM, given, demo=demo, key=path, file=file)
    if not path.exists():
        key = SigningKey.generate()
        key.save(path, chosen.secret, demo=chosen.demo)
        return RoomKey(key, chosen)
    try:
        return RoomKey(SigningKey.load(path, chosen.secret), chosen)
    except KeyFileError:
        if chosen.demo:
            raise
        try:
            key = SigningKey.load(path, passphrases.DEMO_PASSPHRASE)
        except KeyFileError:
            raise KeyFileError(f"cannot open the room key {path}: wrong passphrase or a damaged file") from None
    from app.archive import pades
    from app.crypto import room_ca

    key.save(path, chosen.secret)  # the demo passphrase protects nothing: the key is now under the room's own
    pades.reencrypt(keys, passphrases.DEMO_PASSPHRASE, chosen.secret)
    room_ca.reencrypt(keys, passphrases.DEMO_PASSPHRASE, chosen.secret)  # the LAN CA of the hub's certificate
    note = f"the room key {path} was under the public demo passphrase; it is now under the passphrase set"
    log.warning(note)
    return RoomKey(key, chosen, note)


def configured(file: Path | None = None) -> bytes | None:
    """The passphrase the environment, the settings' passphrase ``file`` or the keyring give (None: the console
    must ask). A passphrase file that cannot be read raises :class:`PassphraseError`."""
    found = passphrases.find(passphrases.ROOM, file=file)
    return found.secret if found is not None else None


def key_exists(home: Path) -> bool:
    return key_file(home).is_file()


def opens(home: Path, secret: bytes) -> bool:
    """True when ``secret`` opens the room key of ``home``, or there is none yet (it will be made with it); a
    key under the demo passphrase of an earlier version counts (:func:`open_room_key` re-encrypts it)."""
    path = key_file(home)
    if not path.is_file():
        return True
    for candidate in (secret, passphrases.DEMO_PASSPHRASE):
        try:
            SigningKey.load(path, candidate)
            return True
        except KeyFileError:
            continue
    return False


def check_new(secret: str, again: str) -> str | None:
    """The problem with a passphrase typed for a new key (in Chinese and English), or None."""
    if len(secret) < MIN_LENGTH:
        return f"口令至少 {MIN_LENGTH} 个字符。 / The passphrase has at least {MIN_LENGTH} characters."
    if secret != again:
        return "两次输入的口令不一致。 / The two passphrases differ."
    return None


def keyring_available() -> bool:
    return passphrases.keyring_available()


def keep_in_keyring(secret: bytes) -> None:
    passphrases.keep_in_keyring(secret, passphrases.ROOM)


def how_to_set() -> str:
    """The refusal when no passphrase is set, in Chinese and English."""
    return ("未设置评标室密钥口令：请设置环境变量 EVALROOM_KEY_PASSPHRASE，或在设置文件中以 key_passphrase_file 指定"
            "保存口令的文件，或在主控台启动时输入并保存到系统钥匙串。 / No room key passphrase is set: "
            + passphrases.how_to_set(passphrases.ROOM))


__all__ = ["PassphraseError", "PassphraseMissing", "RoomKey", "check_new", "configured", "how_to_set",
           "keep_in_keyring", "key_exists", "key_file", "keyring_available", "open_room_key", "opens"]
