"""Issue 13, defect 11 at the center: its key is never under a public passphrase. Without
EVALROOM_CENTER_PASSPHRASE a random secret is generated at the first start (0600 beside the key: file
permissions only, said in a note); setting the variable later puts the key under it and removes the secret; a
key an earlier version kept under the public `evalroom-center-demo` is re-encrypted."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from app.center.service import LEGACY_PASSPHRASE, SECRET_FILE, open_center_key
from app.crypto.keys import KeyFileError, SigningKey

FAST = 1000


@pytest.fixture(autouse=True)
def _no_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVALROOM_CENTER_PASSPHRASE", raising=False)


def test_without_a_passphrase_a_secret_is_generated_and_said(tmp_path: Path) -> None:
    first = open_center_key(tmp_path, rounds=FAST)
    secret = tmp_path / SECRET_FILE
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and len(secret.read_bytes().strip()) >= 32
    assert first.note and "file permissions only" in first.note and "EVALROOM_CENTER_PASSPHRASE" in first.note
    again = open_center_key(tmp_path, rounds=FAST)  # the next start: the same key, the same secret
    assert again.key.key_id == first.key.key_id and not again.changed
    with pytest.raises(KeyFileError):
        SigningKey.load(tmp_path / "center-key.p12", LEGACY_PASSPHRASE)


def test_a_passphrase_set_later_takes_over_from_the_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = open_center_key(tmp_path, rounds=FAST).key
    monkeypatch.setenv("EVALROOM_CENTER_PASSPHRASE", "the center's own")
    moved = open_center_key(tmp_path, rounds=FAST)
    assert moved.key.key_id == made.key_id and moved.changed and "now under" in (moved.note or "")
    assert not (tmp_path / SECRET_FILE).exists()
    assert SigningKey.load(tmp_path / "center-key.p12", b"the center's own").key_id == made.key_id
    assert open_center_key(tmp_path, rounds=FAST).note is None  # protected by a passphrase: nothing to say
    monkeypatch.setenv("EVALROOM_CENTER_PASSPHRASE", "a wrong one")
    with pytest.raises(KeyFileError, match="EVALROOM_CENTER_PASSPHRASE"):
        open_center_key(tmp_path, rounds=FAST)


def test_a_key_of_an_earlier_version_under_the_public_passphrase_is_re_encrypted(tmp_path: Path) -> None:
    old = SigningKey.generate()
    old.save(tmp_path / "center-key.p12", LEGACY_PASSPHRASE, rounds=FAST)
    opened = open_center_key(tmp_path, rounds=FAST)
    assert opened.key.key_id == old.key_id and opened.changed and "re-encrypted" in (opened.note or "")
    with pytest.raises(KeyFileError):
        SigningKey.load(tmp_path / "center-key.p12", LEGACY_PASSPHRASE)
    assert SigningKey.load(tmp_path / "center-key.p12", (tmp_path / SECRET_FILE).read_bytes().strip())
