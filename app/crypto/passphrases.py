"""The one reader of the passphrases that protect private keys at rest (the room key, the center key).

A passphrase comes from the first of these that gives one:

1. an explicit argument (``--passphrase-file``, the console's dialog, a test fixture);
2. the environment: ``EVALROOM_KEY_PASSPHRASE`` (room), ``EVALROOM_CENTER_PASSPHRASE`` (center);
3. a passphrase file the caller names (the settings' ``key_passphrase_file``, passed in by whoever read the
   settings: this module reads no settings; its first line);
4. the OS keyring through the ``keyring`` library, when a recommended backend exists (room; there is none
   on a bare CI machine or a server, and then this step is skipped without a word);
5. the public demo passphrase, for the demo and the test tooling only: a caller says so (``demo=True``:
   ``evalroom demo``, ``evalroom simulate``, and the commands that work on a simulate folder), and then only
   for a key it is creating or one whose KDF file marks it as the demo's (``SigningKey.save(demo=True)``).

Otherwise :class:`PassphraseMissing`, whose message says how to set one. Nothing falls back to the demo
passphrase silently: the caller learns from :attr:`Passphrase.demo` and prints a note.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.crypto.keys import DEMO_MARK, KeyFileError, read_kdf
from app.errors import EvalRoomError

DEMO_PASSPHRASE = b"evalroom-demo"
KEYRING_SERVICE = "EvalRoom"


@dataclass(frozen=True)
class Kind:
    """Whose passphrase: where the environment, the settings and the keyring keep it."""

    name: str
    env: str
    settings_key: str | None = None  # the settings key naming a file that holds it
    keyring_user: str | None = None  # the keyring entry (service EvalRoom)


ROOM = Kind("room key", "EVALROOM_KEY_PASSPHRASE", "key_passphrase_file", "room-key")
CENTER = Kind("center key", "EVALROOM_CENTER_PASSPHRASE")


class PassphraseError(EvalRoomError, ValueError):
    """A passphrase that cannot be had (one line: the CLI exits 2, the GUI shows it)."""


class PassphraseMissing(PassphraseError):
    """No passphrase is set; the message says how to set one."""

    help_key = "passphrase.missing.help"


@dataclass(frozen=True)
class Passphrase:
    secret: bytes = field(repr=False)  # never in a log or a crash report
    source: str  # "argument", "env NAME", "file PATH", "keyring" or "demo"

    @property
    def demo(self) -> bool:
        return self.source == "demo"


def how_to_set(kind: Kind = ROOM) -> str:
    if kind is ROOM:
        return (f"set {ROOM.env}, name a file holding it with key_passphrase_file in the settings, or keep it in "
                "the OS keyring (the console asks for it at its first start and offers to keep it there)")
    return f"set {kind.env}"


def missing(kind: Kind = ROOM, where: Path | None = None) -> PassphraseMissing:
    at = f" for {where}" if where is not None else ""
    return PassphraseMissing(f"no {kind.name} passphrase is set{at}: {how_to_set(kind)}")


def read_file(path: Path, what: str = "passphrase file", private: bool = False) -> bytes:
    """The first line of a passphrase file (unreadable or empty: :class:`PassphraseError`). ``private``: the
    file must not be readable by others (POSIX), as ssh asks of a private key."""
    try:
        text = Path(path).read_bytes()
        mode = Path(path).stat().st_mode
    except OSError as exc:
        raise PassphraseError(f"{what} {path}: {exc.strerror or exc}") from exc
    if private and os.name == "posix" and mode & 0o077:
        raise PassphraseError(f"{what} {path}: is readable by others (mode {mode & 0o777:o}; chmod 600 it)")
    secret = text.splitlines()[0].strip() if text.strip() else b""
    if not secret:
        raise PassphraseError(f"{what} {path}: is empty")
    return secret


def is_demo_key(key_path: Path) -> bool:
    """True when the KDF file beside ``key_path`` marks it as made under the demo passphrase."""
    try:
        kdf = read_kdf(Path(key_path))
    except KeyFileError:
        return False
    return kdf is not None and kdf.get("passphrase") == DEMO_MARK


def resolve(kind: Kind = ROOM, given: bytes | None = None, *, demo: bool = False, key: Path | None = None,
            env: Mapping[str, str] | None = None, file: Path | None = None) -> Passphrase:
    """The passphrase of ``kind``'s key at ``key`` (None: a key about to be created), in the order of the
    module's docstring. ``demo``: the caller is the demo or the test tooling (the demo passphrase may then be
    used for a new key or a key marked as the demo's). Raises :class:`PassphraseMissing` or :class:`PassphraseError`."""
    found = find(kind, given, env=env, keyring=False)
    if found is not None:
        return found
    if demo and (key is None or not Path(key).exists() or is_demo_key(key)):
        return Passphrase(DEMO_PASSPHRASE, "demo")
    found = find(kind, env=env, file=file, keyring=True)
    if found is not None:
        return found
    raise missing(kind, key.parent if key is not None else None)


def find(kind: Kind = ROOM, given: bytes | None = None, *, env: Mapping[str, str] | None = None,
         file: Path | None = None, keyring: bool = True) -> Passphrase | None:
    """The configured passphrase of ``kind`` (argument, environment, then the passphrase ``file`` and the keyring),
    or None."""
    if given is not None:
        if not given:
            raise PassphraseError(f"the {kind.name} passphrase given is empty")
        return Passphrase(given, "argument")
    env = os.environ if env is None else env
    if env.get(kind.env):
        return Passphrase(env[kind.env].encode("utf-8"), f"env {kind.env}")
    if file is not None:
        what = f"settings: {kind.settings_key}:" if kind.settings_key else "passphrase file"
        return Passphrase(read_file(file, what, private=True), f"file {file}")
    if keyring and kind.keyring_user is not None:
        secret = from_keyring(kind)
        if secret is not None:
            return Passphrase(secret, "keyring")
    return None


# -- the OS keyring (optional: no backend on CI or a server, and then nothing is asked of it) -----------------
def _keyring() -> Any:
    """The ``keyring`` module when a recommended backend exists (priority ≥ 1), else None."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or float(getattr(backend, "priority", 0)) < 1:
            return None
    except Exception:  # a backend that cannot even be asked (no D-Bus session, a locked store): none
        return None
    return keyring


def keyring_available() -> bool:
    return _keyring() is not None


def from_keyring(kind: Kind = ROOM) -> bytes | None:
    module = _keyring()
    if module is None or kind.keyring_user is None:
        return None
    try:
        secret = module.get_password(KEYRING_SERVICE, kind.keyring_user)
    except Exception:  # keyring.errors.KeyringError and whatever a backend raises: no passphrase from it
        return None
    return secret.encode("utf-8") if secret else None


def keep_in_keyring(secret: bytes, kind: Kind = ROOM) -> None:
    """Keep the passphrase in the OS keyring (:class:`PassphraseError` when there is none or it refuses)."""
    module = _keyring()
    if module is None or kind.keyring_user is None:
        raise PassphraseError("no OS keyring is available on this computer")
    try:
        module.set_password(KEYRING_SERVICE, kind.keyring_user, secret.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PassphraseError("the passphrase is not UTF-8 text") from exc
    except Exception as exc:
        raise PassphraseError(f"the OS keyring refused it: {exc}") from exc


__all__ = ["CENTER", "DEMO_PASSPHRASE", "KEYRING_SERVICE", "ROOM", "Kind", "Passphrase", "PassphraseError",
           "PassphraseMissing", "find", "from_keyring", "how_to_set", "is_demo_key", "keep_in_keyring",
           "keyring_available", "missing", "read_file", "resolve"]
