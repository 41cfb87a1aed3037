"""The settings file: every error path names the key, environment overrides, the writer round-trips."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from app import settings
from app.cli import main
from app.settings import CameraConfig, Settings, SettingsError


@pytest.fixture(autouse=True)
def _forget_selection():
    settings.select(None)
    yield
    settings.select(None)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> str:
    with pytest.raises(SettingsError) as info:
        settings.load(write(tmp_path, text), env=env or {})
    message = str(info.value)
    assert "\n" not in message
    return message


def test_no_file_gives_working_defaults() -> None:
    loaded = settings.build({}, {}, None)
    assert loaded == Settings()
    assert loaded.cameras == (CameraConfig("cam1", "synthetic"),)
    assert loaded.language == "zh" and loaded.idle_minutes == 10 and loaded.retention_years == 15
    assert set(loaded.sources.values()) == {"default"}
    assert loaded.path is None


def test_missing_default_file_is_fine_but_a_named_one_is_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "default_path", lambda: tmp_path / "nowhere" / "settings.toml")
    assert settings.load(env={}) == Settings()
    with pytest.raises(SettingsError, match=r"settings file .*missing\.toml: not found"):
        settings.load(env={"EVALROOM_SETTINGS": str(tmp_path / "missing.toml")})
    settings.select(tmp_path / "also-missing.toml")
    with pytest.raises(SettingsError, match="also-missing.toml: not found"):
        settings.load(env={})


def test_a_full_file_is_read_with_types(tmp_path: Path) -> None:
    path = write(tmp_path, """
version = 1
room_id = "sz-futian-3"
room_name = "第三评标室"
center_url = "https://center.example.cn/sync/"
center_cafile = "/etc/evalroom/center-ca.pem"
cameras = ["main=synthetic", "door=rtsp://cam:pw@10.0.0.8/stream1", "desk=0"]
trust_ca_files = ["/etc/evalroom/ca.pem"]
trust_room_keys = ["/etc/evalroom/room-a.pub.pem", "/etc/evalroom/room-b.pub.pem"]
idle_minutes = 5
language = "en"
retention_years = 20
data_folder = "/srv/evalroom"
kiosk = true
""")
    loaded = settings.load(path, env={})
    assert loaded.room_id == "sz-futian-3" and loaded.room_name == "第三评标室"
    assert loaded.center_url == "https://center.example.cn/sync"
    assert loaded.center_cafile == Path("/etc/evalroom/center-ca.pem")
    assert loaded.cameras[1] == CameraConfig("door", "rtsp://cam:pw@10.0.0.8/stream1")
    assert loaded.trust_room_keys == (Path("/etc/evalroom/room-a.pub.pem"), Path("/etc/evalroom/room-b.pub.pem"))
    assert loaded.idle_minutes == 5.0 and isinstance(loaded.idle_minutes, float)
    assert loaded.language == "en" and loaded.retention_years == 20 and loaded.kiosk is True
    assert loaded.data_folder == Path("/srv/evalroom")
    assert loaded.sources["room_id"] == f"file {path}" and loaded.path == path
    shown = loaded.redacted()
    assert shown["cameras"][1] == "door=rtsp://cam:***@10.0.0.8/stream1"
    assert "pw" not in str(shown)


@pytest.mark.parametrize(("text", "expected"), [
    ("room_id = 'x'", "version: missing"),
    ("version = '1'\n", "version: expected an integer, got a string '1'"),
    ("version = true\n", "version: expected an integer, got a boolean True"),
    ("version = 2\n", "version: 2 is not a settings version this EvalRoom reads (it reads 1)"),
    ("version = 1\nroom = 'a'\n", "room: unknown key (did you mean room_id?)"),
    ("version = 1\ncolour = 'red'\n", "colour: unknown key; known keys: room_id"),
    ("version = 1\n[center]\nurl = 'https://x'\n", "center: unknown key (did you mean center_url?)"),
    ("version = 1\nroom_id = 7\n", "room_id: expected a string, got an integer 7"),
    ("version = 1\nroom_id = 'a b'\n", "room_id: 'a b' is not a room id"),
    ("version = 1\nroom_id = ''\n", "room_id: '' is not a room id"),
    ("version = 1\nroom_name = '" + "室" * 101 + "'\n", "room_name: is longer than 100 characters"),
    ("version = 1\ncenter_url = 'ftp://x'\n", "center_url: 'ftp://x' is not an http:// or https:// URL"),
    ("version = 1\ntsa_url = 'tsa.example.cn'\n", "tsa_url: 'tsa.example.cn' is not an http:// or https:// URL"),
    ("version = 1\ncenter_url = 'center.example.cn'\n", "center_url: 'center.example.cn' is not an http"),
    ("version = 1\nhub_url = 'hub.local:8471'\n", "hub_url: 'hub.local:8471' is not an http"),
    ("version = 1\nhub_listen = '0.0.0.0:99999'\n", "hub_listen: '0.0.0.0:99999' is not HOST:PORT"),
    ("version = 1\ncenter_cafile = 3\n", "center_cafile: expected a string, got an integer 3"),
    ("version = 1\ncameras = 'main=synthetic'\n", "cameras: expected a list of \"name=source\" strings, got a string"),
    ("version = 1\ncameras = ['synthetic']\n", "cameras: item 1: expected \"name=source\""),
    ("version = 1\ncameras = [1]\n",
     "cameras: item 1: expected \"name=source\" (for example \"main=synthetic\"), got 1"),
    ("version = 1\ncameras = ['a=0', 'b c=1']\n", "cameras: item 2: 'b c' is not a camera name"),
    ("version = 1\ncameras = ['a=']\n", "cameras: item 1: camera 'a' has no source"),
    ("version = 1\ncameras = ['a=0', 'a=1']\n", "cameras: item 2: camera 'a' appears twice"),
    ("version = 1\ntrust_ca_files = '/ca.pem'\n", "trust_ca_files: expected a list of paths, got a string"),
    ("version = 1\ntrust_room_keys = ['']\n", "trust_room_keys: is empty (give a path)"),
    ("version = 1\ntrust_room_keys = [1]\n", "trust_room_keys: expected a string, got an integer 1"),
    ("version = 1\nidle_minutes = 'ten'\n", "idle_minutes: expected a number, got a string 'ten'"),
    ("version = 1\nidle_minutes = true\n", "idle_minutes: expected a number, got a boolean True"),
    ("version = 1\nidle_minutes = 0.5\n", "idle_minutes: 0.5 is below the minimum 1"),
    ("version = 1\nidle_minutes = 241\n", "idle_minutes: 241 is above the maximum 240"),
    ("version = 1\nidle_minutes = nan\n", "idle_minutes: nan is below the minimum 1"),
    ("version = 1\nlanguage = 'fr'\n", "language: 'fr' is not a language (one of zh, en)"),
    ("version = 1\nlanguage = 1\n", "language: expected a string, got an integer 1"),
    ("version = 1\nretention_years = 15.5\n", "retention_years: expected an integer, got a number 15.5"),
    ("version = 1\nretention_years = 0\n", "retention_years: 0 is below the minimum 15"),
    ("version = 1\nretention_years = 10\n", "retention_years: 10 is below the minimum 15"),
    ("version = 1\nretention_years = 101\n", "retention_years: 101 is above the maximum 100"),
    ("version = 1\ndata_folder = ''\n", "data_folder: is empty (give a path)"),
    ("version = 1\ndata_folder = ['a']\n", "data_folder: expected a string, got a list"),
    ("version = 1\nkiosk = 'yes'\n", "kiosk: expected true or false, got a string 'yes'"),
    ("version = 1\nkiosk_exit_hash = 'secret'\n", "kiosk_exit_hash: is not a passphrase hash written by"),
])
def test_each_error_names_the_key(tmp_path: Path, text: str, expected: str) -> None:
    message = error(tmp_path, text)
    assert message.startswith(f"settings file {tmp_path / 'settings.toml'}: ")
    assert expected in message


def test_syntax_and_encoding_errors(tmp_path: Path) -> None:
    assert "not valid TOML" in error(tmp_path, "version = 1\nroom_id = \n")
    path = tmp_path / "latin1.toml"
    path.write_bytes("room_name = '评'".encode("gb18030"))
    with pytest.raises(SettingsError, match="not UTF-8 text"):
        settings.load(path, env={})
    with pytest.raises(SettingsError, match="cannot be read"):
        settings.read_file(tmp_path)  # a folder, not a file


def test_environment_overrides_each_key_and_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, "version = 1\nroom_id = 'from-file'\nidle_minutes = 5\nlanguage = 'zh'\n")
    env = {
        "EVALROOM_ROOM_ID": "from-env", "EVALROOM_CENTER_URL": "http://127.0.0.1:8800",
        "EVALROOM_IDLE_MINUTES": "2.5", "EVALROOM_LANGUAGE": "en", "EVALROOM_RETENTION_YEARS": "30",
        "EVALROOM_CAMERAS": "main=synthetic; door=rtsp://h/1", "EVALROOM_TRUST_ROOM_KEYS": "/a.pem;/b.pem",
        "EVALROOM_DATA_FOLDER": str(tmp_path / "data"), "EVALROOM_KIOSK": "yes", "EVALROOM_ROOM_NAME": "一号室",
        "EVALROOM_CENTER_CAFILE": "/ca.pem", "EVALROOM_TRUST_CA_FILES": "/ca.pem",
        "EVALROOM_KIOSK_EXIT_HASH": settings.hash_passphrase("exit-now", iterations=10_000),
        "EVALROOM_KEY_PASSPHRASE_FILE": "/run/evalroom/passphrase", "EVALROOM_HUB_URL": "https://10.0.0.2:8471/",
        "EVALROOM_HUB_LISTEN": "0.0.0.0:8765", "EVALROOM_MICROPHONE": "door=camera",
        "EVALROOM_TSA_URL": "http://tsa.example.cn/tsr",
        "EVALROOM_TRUST_CA_FOLDER": "/etc/cas", "EVALROOM_TRUST_CRL_FOLDER": "/etc/crls", "EVALROOM_TRUST_OCSP": "on",
        "EVALROOM_PKCS11_MODULE": "/usr/lib/ukey.so", "EVALROOM_PKCS11_SLOT": "3",
    }
    loaded = settings.load(path, env=env)
    assert loaded.microphone == "door=camera"
    assert loaded.trust_ca_folder == Path("/etc/cas") and loaded.trust_crl_folder == Path("/etc/crls")
    assert loaded.trust_ocsp and loaded.pkcs11_module == Path("/usr/lib/ukey.so") and loaded.pkcs11_slot == 3
    assert loaded.room_id == "from-env" and loaded.idle_minutes == 2.5 and loaded.language == "en"
    assert loaded.center_url == "http://127.0.0.1:8800" and loaded.retention_years == 30 and loaded.kiosk
    assert loaded.cameras == (CameraConfig("main", "synthetic"), CameraConfig("door", "rtsp://h/1"))
    assert loaded.trust_room_keys == (Path("/a.pem"), Path("/b.pem"))
    assert loaded.data_folder == tmp_path / "data" and loaded.room_name == "一号室"
    assert loaded.hub_url == "https://10.0.0.2:8471" and loaded.hub_listen == "0.0.0.0:8765"
    assert loaded.tsa_url == "http://tsa.example.cn/tsr"
    assert all(loaded.sources[key] == f"env EVALROOM_{key.upper()}" for key in settings.KEYS if key != "version")
    partial = settings.load(path, env={"EVALROOM_LANGUAGE": "en"})
    assert partial.sources["room_id"] == f"file {path}" and partial.sources["retention_years"] == "default"


def test_the_trust_store_and_token_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "version = 1\ntrust_ca_folder = 'cas'\ntrust_crl_folder = 'crls'\n"
                           "pkcs11_module = 'softhsm.so'\npkcs11_slot = ''\n")
    loaded = settings.load(path, env={})
    assert loaded.trust_ca_folder == tmp_path / "cas" and loaded.pkcs11_slot is None  # relative: from the file's folder
    with pytest.raises(SettingsError, match="trust_ca_folder: .*cas: no such folder"):
        settings.check_files(loaded)
    (tmp_path / "cas").mkdir()
    (tmp_path / "crls").mkdir()
    with pytest.raises(SettingsError, match="pkcs11_module: .*softhsm.so: no such file"):
        settings.check_files(loaded)
    (tmp_path / "softhsm.so").write_bytes(b"")
    settings.check_files(loaded)
    with pytest.raises(SettingsError, match=r"pkcs11_slot: expected a slot id .*got a string 'first'"):
        settings.load(write(tmp_path, "version = 1\npkcs11_slot = 'first'\n"), env={})
    with pytest.raises(SettingsError, match="EVALROOM_PKCS11_SLOT: -1 is not a slot id"):
        settings.load(path, env={"EVALROOM_PKCS11_SLOT": "-1"})
    written = settings.load(settings.write(loaded, tmp_path / "out" / "settings.toml"), env={})  # reads back equal
    assert (written.trust_ca_folder, written.pkcs11_module, written.pkcs11_slot) == (
        tmp_path / "cas", tmp_path / "softhsm.so", None)


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("EVALROOM_IDLE_MINUTES", "ten", "environment EVALROOM_IDLE_MINUTES: expected a number, got a string 'ten'"),
    ("EVALROOM_IDLE_MINUTES", "0", "environment EVALROOM_IDLE_MINUTES: 0 is below the minimum 1"),
    ("EVALROOM_LANGUAGE", "de", "environment EVALROOM_LANGUAGE: 'de' is not a language"),
    ("EVALROOM_KIOSK", "maybe", "environment EVALROOM_KIOSK: expected true or false, got a string 'maybe'"),
    ("EVALROOM_RETENTION_YEARS", "1.5", "environment EVALROOM_RETENTION_YEARS: expected an integer"),
    ("EVALROOM_CENTER_URL", "center", "environment EVALROOM_CENTER_URL: 'center' is not an http"),
    ("EVALROOM_CAMERAS", "main", "environment EVALROOM_CAMERAS: item 1: expected \"name=source\""),
])
def test_environment_errors_name_the_variable(tmp_path: Path, name: str, value: str, expected: str) -> None:
    with pytest.raises(SettingsError) as info:
        settings.load(write(tmp_path, "version = 1\n"), env={name: value})
    assert str(info.value).startswith(expected)


def test_an_empty_center_url_means_offline(tmp_path: Path) -> None:
    assert settings.load(write(tmp_path, "version = 1\ncenter_url = ''\n"), env={}).center_url is None


def test_redaction_of_urls() -> None:
    assert settings.redact_url("https://room:s3cret@center/x?token=abc&a=1") == "https://room:***@center/x?token=***&a=1"
    assert settings.redact_url("rtsp://cam.local/stream") == "rtsp://cam.local/stream"


def test_written_file_reads_back_equal(tmp_path: Path) -> None:
    chosen = settings.with_values(Settings(), room_id="r-1", room_name='评标"室"\\1', center_url="https://c.example",
                                  cameras=["main=synthetic", "door=rtsp://u:p@h/1"], idle_minutes=7.5, language="en",
                                  data_folder=str(tmp_path / "data"), kiosk=True)
    path = settings.write(chosen, tmp_path / "conf" / "settings.toml")
    loaded = settings.load(path, env={})
    assert loaded == chosen
    assert tomllib.loads(path.read_text(encoding="utf-8"))["version"] == settings.VERSION
    with pytest.raises(SettingsError, match="settings: idle_minutes: 0 is below the minimum 1"):
        settings.with_values(Settings(), idle_minutes=0)
    with pytest.raises(SettingsError, match="settings: colour: unknown key"):
        settings.with_values(Settings(), colour="red")


@hsettings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_the_writer_escapes_any_name(name: str) -> None:
    text = settings.dumps(Settings(room_name=name))
    assert tomllib.loads(text)["room_name"] == name


def test_cli_check_and_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, "version = 1\nroom_id = 'r-9'\ncenter_url = 'https://u:pw@center'\n")
    assert main(["settings", "check", str(good)]) == 0
    assert "valid" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text("version = 1\nidle_minutes = -3\n", encoding="utf-8")
    assert main(["settings", "check", str(bad)]) == 2
    assert capsys.readouterr().err.strip() == f"evalroom: settings file {bad}: idle_minutes: -3 is below the minimum 1"
    assert main(["--settings", str(good), "settings", "show"]) == 0
    out = capsys.readouterr().out
    assert "room_id" in out and '"r-9"' in out and f"# file {good}" in out and "pw" not in out
    assert main(["--settings", str(bad), "settings", "show"]) == 2
    assert "idle_minutes: -3 is below the minimum 1" in capsys.readouterr().err


def test_cli_environment_file_in_a_subprocess(tmp_path: Path) -> None:
    bad = write(tmp_path, "version = 3\n")
    done = subprocess.run([sys.executable, "-m", "app", "settings", "show", "--json"], capture_output=True, text=True,
                          env={"EVALROOM_SETTINGS": str(bad), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
                          timeout=120, cwd=Path(__file__).resolve().parents[3])
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().endswith("version: 3 is not a settings version this EvalRoom reads (it reads 1)")


def test_the_kiosk_exit_passphrase_is_kept_as_a_hash(tmp_path: Path) -> None:
    stored = settings.hash_passphrase("leave the kiosk", iterations=10_000)
    assert settings.check_passphrase(stored, "leave the kiosk")
    assert not settings.check_passphrase(stored, "leave the kiosk!")
    assert not settings.check_passphrase("", "")
    assert settings.hash_passphrase("a") != settings.hash_passphrase("a")  # salted
    loaded = settings.load(write(tmp_path, f"version = 1\nkiosk_exit_hash = '{stored}'\n"), env={})
    assert loaded.kiosk_exit_hash == stored and loaded.redacted()["kiosk_exit_hash"] == "(set)"


def test_save_changes_one_key_and_keeps_the_others(tmp_path: Path) -> None:
    path = write(tmp_path, "version = 1\nroom_id = 'r-7'\nidle_minutes = 3\n")
    saved = settings.save(path, language="en")
    assert saved.language == "en" and saved.room_id == "r-7" and saved.idle_minutes == 3
    fresh = tmp_path / "new" / "settings.toml"
    assert settings.save(fresh, language="en").language == "en" and fresh.is_file()


def test_cli_exit_passphrase_from_stdin(tmp_path: Path) -> None:
    path = write(tmp_path, "version = 1\nroom_id = 'r-8'\n")

    def run(text: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app", "--settings", str(path), "settings", "exit-passphrase"],
                              input=text, capture_output=True, text=True, timeout=120,
                              cwd=Path(__file__).resolve().parents[3],
                              env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})

    short = run("short\n")
    assert short.returncode == 2 and "shorter than 8 characters" in short.stderr
    done = run("open sesame 2026\n")
    assert done.returncode == 0, done.stderr
    loaded = settings.load(path, env={})
    assert loaded.room_id == "r-8" and settings.check_passphrase(loaded.kiosk_exit_hash, "open sesame 2026")


def test_relative_paths_in_a_file_are_from_its_folder(tmp_path: Path) -> None:
    path = write(tmp_path, "version = 1\ndata_folder = 'data'\ncenter_cafile = 'pki/center.pem'\n"
                           "trust_room_keys = ['keys/a.pem', '/abs/b.pem']\n")
    loaded = settings.load(path, env={})
    assert loaded.data_folder == tmp_path / "data" and loaded.center_cafile == tmp_path / "pki" / "center.pem"
    assert loaded.trust_room_keys == (tmp_path / "keys" / "a.pem", Path("/abs/b.pem"))
    from_env = settings.load(path, env={"EVALROOM_DATA_FOLDER": "rel"})
    assert from_env.data_folder == Path("rel")  # the environment's are from the current folder, as usual
    written = settings.write(from_env, tmp_path / "other" / "settings.toml")
    assert settings.load(written, env={}).data_folder == Path.cwd() / "rel"


def test_the_microphone_setting(tmp_path: Path) -> None:
    assert settings.load(write(tmp_path, "version = 1\n"), env={}).microphone == "auto"
    assert settings.load(write(tmp_path, "version = 1\nmicrophone = 'pulse:default'\n"), env={}).microphone == \
        "pulse:default"
    assert "names no device" in error(tmp_path, "version = 1\nmicrophone = 'alsa:'\n")
