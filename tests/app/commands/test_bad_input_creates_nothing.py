"""Issue 13, defect 18: a command refused for bad input (exit 2, one line) creates nothing first — not the
per-user data folder, its log folder or the output folder (a real subprocess with a fresh HOME and XDG dirs);
`settings check` opens the certificates the file names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pkibuilder import make_ca

ROOT = Path(__file__).resolve().parents[3]


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVALROOM_", "XDG_"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_STATE_HOME=str(home / "state"), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def _refused(done: subprocess.CompletedProcess[str], tmp_path: Path, words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and words in done.stderr and "Traceback" not in done.stderr, done.stderr
    created = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert created == ["home"], created  # nothing under HOME, nothing in the working folder


@pytest.mark.parametrize(("args", "words"), [
    (["sync", "push", "nodir", "--center", "not a url"], "nodir: no session.sqlite"),
    (["sync", "status", "nodir"], "no such session file"),
    (["record", "--source", "synthetic", "--segment", "-1", "--seconds", "1", "--out", "rec"], "--segment -1 must be"),
    (["record", "--source", "synthetic", "--fps", "0", "--seconds", "1", "--out", "rec"], "--fps 0 must be positive"),
    (["center", "serve", "--data", "c", "--tls-cert", "cert.pem"], "--tls-cert and --tls-key go together"),
    (["center", "enroll", "--data", "c", "--room", "r", "--public-key", "none.pem"], "--public-key none.pem"),
    (["hub", "serve", "--data", "h", "--upstream", "ftp://x", "--room", "r",
      "--room-key", str(ROOT / "pyproject.toml")], "'ftp://x' is not an http:// or https:// URL"),
])
def test_bad_input_creates_nothing(tmp_path: Path, args: list[str], words: str) -> None:
    _refused(_cli(tmp_path, *args), tmp_path, words)


def test_a_bad_center_url_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "sim"
    folder.mkdir()
    (folder / "session.sqlite").write_bytes(b"")
    done = _cli(tmp_path, "sync", "push", str(folder), "--center", "not a url")
    assert done.returncode == 2
    assert done.stderr == "evalroom: sync push: --center 'not a url' is not an http:// or https:// URL\n"
    assert not (tmp_path / "home" / "data").exists()


def test_settings_check_opens_the_certificates_it_names(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    ca = tmp_path / "ca.pem"
    ca.write_bytes(make_ca("EvalRoom test CA").cert.public_bytes(serialization.Encoding.PEM))
    not_pem = tmp_path / "notes.txt"
    not_pem.write_text("not a certificate\n", encoding="utf-8")
    unreadable = tmp_path / "locked.pem"
    unreadable.write_bytes(ca.read_bytes())
    unreadable.chmod(0)
    settings_file = tmp_path / "settings.toml"

    def check(files: list[str]) -> subprocess.CompletedProcess[str]:
        listed = ", ".join(f"'{name}'" for name in files)
        settings_file.write_text(f"version = 1\ntrust_ca_files = [{listed}]\n", encoding="utf-8")
        return _cli(tmp_path, "settings", "check", str(settings_file))

    assert check([str(ca)]).returncode == 0
    done = check([str(ca), "/nonexistent/ca.pem"])
    assert (done.returncode, done.stderr) == (
        2, f"evalroom: settings file {settings_file}: trust_ca_files[1]: /nonexistent/ca.pem: no such file\n")
    done = check([str(not_pem)])
    assert done.returncode == 2 and done.stderr.endswith(f"trust_ca_files[0]: {not_pem}: is not a PEM certificate\n")
    if os.geteuid() != 0:  # root reads any file
        done = check([str(unreadable)])
        assert done.returncode == 2 and f"trust_ca_files[0]: {unreadable}: cannot be read" in done.stderr
