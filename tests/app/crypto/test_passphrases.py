"""Issue 13, defect 11: the room key's passphrase comes from one reader (argument, EVALROOM_KEY_PASSPHRASE,
the settings' key_passphrase_file, the OS keyring); the public demo passphrase only for the demo and simulate
tooling, and a refusal that says how to set it otherwise. Key files are 0600 in a 0700 keys/ folder, written
atomically; room-pades.p12 is keyed with the stretched passphrase like room.p12."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import keyring
import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from jaraco.classes import properties
from keyring.backend import KeyringBackend

from app import settings
from app.archive import pades
from app.crypto import passphrases
from app.crypto.keys import KeyFileError, SigningKey
from app.crypto.passphrases import DEMO_PASSPHRASE, ROOM, PassphraseError, PassphraseMissing, resolve

FAST = 1000
NO_ENV: dict[str, str] = {}


class MemoryKeyring(KeyringBackend):
    """A keyring backend of the keyring library's own kind, kept in memory (the CI machine has no OS keyring).
    Not viable (its priority raises) unless a test installs it: keyring discovers every backend class."""

    active = False

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 (a class property)
        if not cls.active:
            raise RuntimeError("installed by the tests that use it only")
        return 5

    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.stored.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.stored[service, username] = password

    def delete_password(self, service: str, username: str) -> None:
        self.stored.pop((service, username), None)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """No EVALROOM_* variable and an empty settings file of the test's own."""
    for name in [n for n in os.environ if n.startswith("EVALROOM_")]:
        monkeypatch.delenv(name)
    path = tmp_path / "settings.toml"
    path.write_text("version = 1\n", encoding="utf-8")
    settings.select(path)
    yield path
    settings.select(None)


@pytest.fixture
def memory_keyring():  # type: ignore[no-untyped-def]
    before = keyring.get_keyring()
    MemoryKeyring.active = True
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)
    MemoryKeyring.active = False


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_without_any_passphrase_the_room_key_is_refused_saying_how_to_set_it(tmp_path: Path) -> None:
    assert not passphrases.keyring_available()  # no OS keyring here: the step is skipped without a word
    with pytest.raises(PassphraseMissing) as refused:
        resolve(ROOM, key=tmp_path / "keys" / "room.p12")
    message = str(refused.value)
    assert "EVALROOM_KEY_PASSPHRASE" in message and "key_passphrase_file" in message and "keyring" in message


def test_the_order_argument_environment_file_keyring(tmp_path: Path, _isolated: Path, monkeypatch: pytest.MonkeyPatch,
                                                     memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password(passphrases.KEYRING_SERVICE, "room-key", "from the keyring")
    assert resolve(ROOM) == passphrases.Passphrase(b"from the keyring", "keyring")
    secret = tmp_path / "passphrase"
    secret.write_bytes(b"from the file\nsecond line ignored\n")
    secret.chmod(0o600)
    _isolated.write_text(f"version = 1\nkey_passphrase_file = '{secret}'\n", encoding="utf-8")
    settings.select(_isolated)
    file = settings.current().key_passphrase_file  # the settings' reader names it; the crypto layer reads none
    assert resolve(ROOM, file=file) == passphrases.Passphrase(b"from the file", f"file {secret}")
    monkeypatch.setenv("EVALROOM_KEY_PASSPHRASE", "from the environment")
    assert resolve(ROOM, file=file).source == "env EVALROOM_KEY_PASSPHRASE"
    assert resolve(ROOM, b"given", file=file).secret == b"given"
    assert "from" not in repr(resolve(ROOM, file=file))  # never the secret in a log line


def test_a_passphrase_file_readable_by_others_or_empty_is_refused(tmp_path: Path, _isolated: Path) -> None:
    secret = tmp_path / "passphrase"
    secret.write_bytes(b"a good passphrase\n")
    secret.chmod(0o644)
    _isolated.write_text(f"version = 1\nkey_passphrase_file = '{secret}'\n", encoding="utf-8")
    settings.select(_isolated)
    file = settings.current().key_passphrase_file  # the settings' reader names it; the crypto layer reads none
    with pytest.raises(PassphraseError, match="is readable by others"):
        resolve(ROOM, file=file)
    secret.chmod(0o600)
    secret.write_bytes(b"\n")
    with pytest.raises(PassphraseError, match="is empty"):
        resolve(ROOM, file=file)


def test_the_demo_passphrase_only_for_the_demo_tooling_and_its_own_keys(tmp_path: Path) -> None:
    new = tmp_path / "new" / "keys" / "room.p12"
    chosen = resolve(ROOM, demo=True, key=new)  # the demo or simulate making its key: the demo passphrase ...
    assert chosen.demo and chosen.secret == DEMO_PASSPHRASE
    with pytest.raises(PassphraseMissing):  # ... never for anyone else
        resolve(ROOM, key=new)
    SigningKey.generate().save(new, chosen.secret, rounds=FAST, demo=True)
    assert passphrases.is_demo_key(new) and resolve(ROOM, demo=True, key=new).demo
    with pytest.raises(PassphraseMissing):  # a room console's key under the demo passphrase (the old fallback)
        resolve(ROOM, key=new)
    legacy = tmp_path / "legacy" / "keys" / "room.p12"
    SigningKey.generate().save(legacy, DEMO_PASSPHRASE, rounds=FAST)  # not marked: not the demo's
    with pytest.raises(PassphraseMissing):
        resolve(ROOM, demo=True, key=legacy)


def test_the_keyring_keeps_the_passphrase(memory_keyring: MemoryKeyring) -> None:
    assert passphrases.keyring_available()
    passphrases.keep_in_keyring(b"kept for the room", ROOM)
    assert memory_keyring.stored[passphrases.KEYRING_SERVICE, "room-key"] == "kept for the room"
    assert resolve(ROOM) == passphrases.Passphrase(b"kept for the room", "keyring")


def test_without_a_keyring_keeping_it_is_refused_in_one_line() -> None:
    with pytest.raises(PassphraseError, match="no OS keyring is available"):
        passphrases.keep_in_keyring(b"nowhere to keep it", ROOM)


def test_key_files_are_0600_in_a_0700_keys_folder_written_atomically(tmp_path: Path) -> None:
    keys = tmp_path / "home" / "keys"
    keys.mkdir(parents=True, mode=0o755)
    keys.chmod(0o755)
    path = keys / "room.p12"
    SigningKey.generate().save(path, b"pw", rounds=FAST)
    first = path.stat().st_ino
    SigningKey.generate().save(path, b"pw", rounds=FAST)  # replaced by a rename, never rewritten in place
    assert path.stat().st_ino != first
    assert _mode(keys) == 0o700
    written = sorted(p.name for p in keys.iterdir())
    assert written == ["room.kdf.json", "room.p12", "room.pub.pem"]  # no temporary file left
    assert all(_mode(keys / name) == 0o600 for name in written)
    ca, p12 = pades.ensure_room_certificate(keys, b"pw", "room-1", rounds=FAST)
    assert _mode(ca) == _mode(p12) == _mode(keys / "room-pades.kdf.json") == 0o600


def test_the_pades_key_is_keyed_with_the_stretched_passphrase(tmp_path: Path) -> None:
    _, p12 = pades.ensure_room_certificate(tmp_path / "keys", b"pw", "room-1", rounds=FAST)
    with pytest.raises(ValueError):  # the raw passphrase opens nothing: a guess costs scrypt first
        pkcs12.load_key_and_certificates(p12.read_bytes(), b"pw")
    from app.crypto.keys import stretched

    assert pkcs12.load_key_and_certificates(p12.read_bytes(), stretched(p12, b"pw"))[1] is not None
    assert pades.sign_pdf(_pdf(), p12, b"pw", "room-1")[:5] == b"%PDF-"


def test_a_pades_key_of_an_earlier_version_is_stretched_on_first_use(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    ca, p12 = pades.ensure_room_certificate(keys, b"pw", "room-1", rounds=FAST)
    from app.crypto.keys import stretched

    key, cert, extra = pkcs12.load_key_and_certificates(p12.read_bytes(), stretched(p12, b"pw"))
    raw = pades._encryption(b"pw", FAST)  # as the earlier version wrote it: the raw passphrase, no KDF file
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"room-pades", key, cert, list(extra), raw))
    (keys / "room-pades.kdf.json").unlink()
    pades.ensure_room_certificate(keys, b"pw", "room-1", rounds=FAST)
    assert (keys / "room-pades.kdf.json").is_file()
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(p12.read_bytes(), b"pw")
    assert pades.sign_pdf(_pdf(), p12, b"pw", "room-1")[:5] == b"%PDF-"


def test_a_wrong_passphrase_does_not_open_the_key(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "room.p12"
    SigningKey.generate().save(path, b"right", rounds=FAST)
    with pytest.raises(KeyFileError):
        SigningKey.load(path, b"wrong")


def _pdf() -> bytes:
    from io import BytesIO

    from reportlab.pdfgen import canvas

    out = BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "report")
    page.save()
    return out.getvalue()
