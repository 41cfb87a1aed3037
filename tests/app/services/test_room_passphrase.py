"""Issue 13, defect 11: a room console (and a remote venue's) never keeps its key under the public demo
passphrase: without a passphrase it is refused, saying how to set one; only `evalroom demo` (demo=True) uses the
demo passphrase. A key an earlier version kept under the demo passphrase is put under the passphrase given."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app import settings
from app.crypto.keys import KeyFileError, SigningKey
from app.crypto.passphrases import DEMO_PASSPHRASE, PassphraseMissing, is_demo_key
from app.services import passphrase as service
from app.services.room import Room
from app.services.venues import VenueConsole, VenueError


@pytest.fixture(autouse=True)
def _no_passphrase_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    for name in [n for n in os.environ if n.startswith("EVALROOM_")]:
        monkeypatch.delenv(name)
    path = tmp_path / "settings.toml"
    path.write_text("version = 1\n", encoding="utf-8")
    settings.select(path)
    yield
    settings.select(None)


def test_a_room_without_a_passphrase_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PassphraseMissing, match="EVALROOM_KEY_PASSPHRASE"):
        Room(tmp_path / "home")
    assert not (tmp_path / "home" / "keys" / "room.p12").exists()


def test_the_demo_alone_uses_the_demo_passphrase(tmp_path: Path) -> None:
    room = Room(tmp_path / "demo", demo=True)
    try:
        key_file = tmp_path / "demo" / "keys" / "room.p12"
        assert is_demo_key(key_file) and SigningKey.load(key_file, DEMO_PASSPHRASE).key_id == room.key.key_id
        assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    finally:
        room.close()
    with pytest.raises(PassphraseMissing):  # the same folder opened as a room console: not with the demo's
        Room(tmp_path / "demo")


def test_a_key_of_an_earlier_version_under_the_demo_passphrase_is_put_under_the_one_given(tmp_path: Path) -> None:
    key_file = tmp_path / "home" / "keys" / "room.p12"
    old = SigningKey.generate()
    old.save(key_file, DEMO_PASSPHRASE)  # what Room() did silently without a passphrase
    assert service.opens(tmp_path / "home", b"the room's own")  # the console's dialog accepts it ...
    room = Room(tmp_path / "home", passphrase=b"the room's own")
    try:  # ... and the key is re-encrypted: the same key, no longer under the public passphrase
        assert room.key.key_id == old.key_id and room.key_note and "demo passphrase" in room.key_note
        assert SigningKey.load(key_file, b"the room's own").key_id == old.key_id
        with pytest.raises(KeyFileError):
            SigningKey.load(key_file, DEMO_PASSPHRASE)
    finally:
        room.close()
    assert not service.opens(tmp_path / "home", b"a wrong one")
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        Room(tmp_path / "home", passphrase=b"a wrong one")


def test_a_remote_venue_without_a_passphrase_is_refused(tmp_path: Path) -> None:
    with pytest.raises(VenueError) as refused:
        VenueConsole(tmp_path / "venue", "county-7", None)
    assert "EVALROOM_KEY_PASSPHRASE" in str(refused.value) and "口令" in refused.value.zh
    assert not (tmp_path / "venue" / "keys" / "room.p12").exists()
