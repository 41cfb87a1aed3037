"""Issue 13, defect 11 on the command line, as spec/cli.md writes it and with no environment variable set:
`simulate` is test tooling (its key is under the demo passphrase, marked so, with a note), so `archive build`,
`verify`, `center serve`, `center enroll` and `sync push` on its folder work; a room key under the demo
passphrase that is *not* the tooling's is refused, saying how to set a passphrase; the center never keeps its key
under a public passphrase."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import centerkit as ck
from app.crypto.keys import KeyFileError, SigningKey
from app.crypto.passphrases import DEMO_PASSPHRASE

ROOT = Path(__file__).resolve().parents[3]
CASE = ROOT / "examples" / "procurement-goods-comprehensive.json"


def _env(home: Path) -> dict[str, str]:
    """No EVALROOM_* variable, a fresh HOME and XDG folders (no settings file, no keyring)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVALROOM_", "XDG_"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_STATE_HOME=str(home / "state"), PYTHONDONTWRITEBYTECODE="1")
    return env


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=_env(tmp_path / "home"),
                          capture_output=True, text=True, timeout=300, check=False)


def _server(tmp_path: Path, data: Path) -> ck.Server:
    clean = _env(tmp_path / "home")
    for name in [n for n in os.environ if n.startswith("EVALROOM_")]:
        clean[name] = ""  # start_server adds os.environ: empty is unset
    return ck.start_server(data, env=clean)


def test_a_room_key_under_the_demo_passphrase_outside_the_tooling_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "room"  # a room's key under the demo passphrase, as Room() used to keep it: not marked
    SigningKey.generate().save(folder / "keys" / "room.p12", DEMO_PASSPHRASE, rounds=1000)
    (folder / "session.sqlite").write_bytes(b"")  # the key is refused before the session is read
    built = _cli(tmp_path, "archive", "build", str(folder), "--out", str(tmp_path / "bag"))
    assert built.returncode == 2 and built.stderr.count("\n") == 1, built.stderr
    assert "no room key passphrase is set" in built.stderr and "EVALROOM_KEY_PASSPHRASE" in built.stderr
    assert not (tmp_path / "bag").exists()
    pushed = _cli(tmp_path, "sync", "push", str(folder), "--center", "http://127.0.0.1:9")
    assert pushed.returncode == 2 and "EVALROOM_KEY_PASSPHRASE" in pushed.stderr and "Traceback" not in pushed.stderr
    hub = _cli(tmp_path, "hub", "serve", "--data", str(tmp_path / "hub"), "--upstream", "http://127.0.0.1:9",
               "--room", "demo-room", "--room-key", str(folder / "keys" / "room.p12"))
    assert hub.returncode == 2 and "EVALROOM_KEY_PASSPHRASE" in hub.stderr, hub.stderr


def test_the_center_key_is_never_under_a_public_passphrase(tmp_path: Path) -> None:
    data = tmp_path / "center"
    server = _server(tmp_path, data)
    server.stop()
    secret = data / "center-key.secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert "protected by file permissions only" in server.log.read_text(encoding="utf-8")
    for public in (b"evalroom-center-demo", DEMO_PASSPHRASE):
        with pytest.raises(KeyFileError):
            SigningKey.load(data / "center-key.p12", public)
    assert SigningKey.load(data / "center-key.p12", secret.read_bytes().strip())


@pytest.mark.slow
def test_the_spec_commands_work_with_no_variable_set(tmp_path: Path) -> None:
    sim, bag, data = tmp_path / "sim", tmp_path / "sim" / "archive", tmp_path / "center"
    done = _cli(tmp_path, "simulate", "--case", str(CASE), "--out", str(sim))
    assert done.returncode == 0 and "public demo passphrase" in done.stderr, done.stderr
    assert _cli(tmp_path, "ledger", "verify", str(sim)).returncode == 0
    done = _cli(tmp_path, "archive", "build", str(sim), "--out", str(bag))
    assert done.returncode == 0 and "public demo passphrase" in done.stderr, done.stderr
    assert _cli(tmp_path, "verify", str(bag)).returncode == 0
    done = _cli(tmp_path, "center", "enroll", "--data", str(data), "--room", "demo-room", "--public-key",
                str(sim / "keys" / "room.pub.pem"))
    assert done.returncode == 0, done.stderr
    server = _server(tmp_path, data)
    try:
        done = _cli(tmp_path, "sync", "push", str(sim), "--center", server.url)
        assert done.returncode == 0, done.stdout + done.stderr
        assert (sim / "receipt.json").is_file()
    finally:
        server.stop()
