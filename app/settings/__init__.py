"""The room's settings: one versioned TOML file, validated, with environment overrides and defaults
that work with no file at all.

Where the file is, first found wins: ``--settings FILE`` on the command line (``select()``), then
``EVALROOM_SETTINGS``, then ``settings.toml`` in the per-user config folder (``platformdirs``). No file →
the defaults (the demo and the tests need nothing). Each key can be overridden by ``EVALROOM_<KEY>``
(``EVALROOM_ROOM_ID``, ``EVALROOM_IDLE_MINUTES``, …); lists in the environment are separated by ``;``.

A wrong type, an unknown key, a value out of range or an unknown ``version`` raise ``SettingsError``
with one line naming the key and what is wrong (exit 2 on the command line, a dialog in the GUI).

Other parts read the typed, frozen ``Settings`` returned by ``current()`` (or ``load()``).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir, user_data_dir

from app.settings.cameras import AUTO, DEFAULT_CAMERA, CameraConfig
from app.settings.values import (
    SettingsError,
    _boolean,
    _cameras,
    _env_bool,
    _env_list,
    _env_number,
    _env_text,
    _exit_hash,
    _integer,
    _language,
    _listen,
    _microphone,
    _number,
    _optional_path,
    _path,
    _paths,
    _room_id,
    _room_name,
    _slot,
    _type_name,
    _url,
    check_passphrase,
    hash_passphrase,
    redact_url,
)

VERSION = 1  # the settings format this code reads and writes
ENV_FILE = "EVALROOM_SETTINGS"
ENV_PREFIX = "EVALROOM_"
FILE_NAME = "settings.toml"


@dataclass(frozen=True)
class Settings:
    """The effective settings of this room PC. Frozen: pass it around, never change it in place."""

    version: int = VERSION
    room_id: str = "demo-room"
    room_name: str = ""
    center_url: str | None = None  # None: the room works offline and syncs by hand
    center_cafile: Path | None = None  # the center's CA (PEM) when it is not in the system store
    #: an RFC 3161 time-stamping authority: the report seal becomes PAdES B-T and the archive's signature is
    #: timestamped (a room); archives that arrive without a timestamp are stamped on receipt (the center)
    tsa_url: str | None = None
    hub_url: str | None = None  # an expert's or supervisor's PC: the room hub (None: find it on the LAN by mDNS)
    hub_listen: str | None = None  # the console: run the room hub on HOST:PORT (None: no hub, the one-window demo)
    cameras: tuple[CameraConfig, ...] = (DEFAULT_CAMERA,)
    #: the room's sound: auto (the test tone with the synthetic camera, else none), none, synthetic, alsa:DEVICE,
    #: pulse:DEVICE, camera (the IP camera's own sound track) or a file; ``CAMERA=`` in front names the camera
    #: whose segments carry it (default the first)
    microphone: str = AUTO
    trust_ca_files: tuple[Path, ...] = ()  # CA certificates (PEM) trusted for report seals
    trust_room_keys: tuple[Path, ...] = ()  # room public keys (PEM) trusted for ledgers
    trust_ca_folder: Path | None = None  # a folder of CA certificates (*.pem, *.crt, *.cer) trusted like trust_ca_files
    trust_crl_folder: Path | None = None  # a folder of CRLs (*.crl, *.pem, *.der) kept on this PC (offline revocation)
    trust_ocsp: bool = False  # also ask the OCSP responder a certificate names (only where one answers)
    pkcs11_module: Path | None = None  # the PKCS#11 module of the members' USB keys (UKey), e.g. a vendor's .so/.dll
    pkcs11_slot: int | None = None  # the token's slot id (None: the first slot with a token)
    idle_minutes: float = 10.0  # the expert workstation locks after this long untouched
    language: str = "zh"  # "zh" (简体中文) or "en"
    retention_years: int = 15  # archives are kept at least this long after the session ends
    data_folder: Path = field(default_factory=lambda: Path(user_data_dir("EvalRoom", "EvalRoom")))
    key_passphrase_file: Path | None = None  # a file (0600) whose first line is the room key's passphrase
    kiosk: bool = False  # full screen, frameless, closed only by an authorised exit
    # PBKDF2 hash of the passphrase that ends kiosk mode (`evalroom settings exit-passphrase`)
    kiosk_exit_hash: str = ""
    #: where each value came from: "default", "file PATH" or "env EVALROOM_…" (not compared)
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    #: the settings file that was read (None: none existed)
    path: Path | None = field(default=None, compare=False)

    def redacted(self) -> dict[str, Any]:
        """Every setting as plain TOML-able values, with passwords in URLs replaced by ***."""
        out: dict[str, Any] = {}
        for spec in _SPECS:
            value = getattr(self, spec.key)
            out[spec.key] = spec.show(value)
        return out




# ---------------------------------------------------------------------------------------------- keys


@dataclass(frozen=True)
class _Spec:
    key: str
    parse: Callable[[str, Any], Any]
    from_env: Callable[[str], Any]
    show: Callable[[Any], Any]
    doc: str


def _plain(value: Any) -> Any:
    return value


def _show_path(value: Path | None) -> str:
    return "" if value is None else str(value)


_SPECS = (
    _Spec("room_id", _room_id, _env_text, _plain, "this room's id (the ledger and the center know the room by it)"),
    _Spec("room_name", _room_name, _env_text, _plain, "the room's name as people say it, e.g. 第三评标室"),
    _Spec("center_url", _url, _env_text, lambda v: "" if v is None else redact_url(v),
          "the trading center's sync URL (empty: offline)"),
    _Spec("center_cafile", _optional_path, _env_text, _show_path, "CA certificate (PEM) of the center, if private"),
    _Spec("tsa_url", _url, _env_text, lambda v: "" if v is None else redact_url(v),
          "RFC 3161 time-stamping authority (TSA) URL: report seal PAdES B-T, timestamped archives (empty: none)"),
    _Spec("hub_url", _url, _env_text, lambda v: "" if v is None else redact_url(v),
          "workstation/supervisor PC: the room hub's URL (empty: discover it on the LAN by mDNS)"),
    _Spec("hub_listen", _listen, _env_text, lambda v: v or "",
          "console: run the room hub on HOST:PORT, e.g. 0.0.0.0:8765, for the PCs of the room (empty: no hub)"),
    _Spec("cameras", _cameras, _env_list, lambda v: [redact_url(str(c)) for c in v],
          "cameras as \"name=source\": synthetic, a device index, a file, rtsp:// or http://; after a file or URL, "
          "\" copy\" records it by stream copy, \" auto\" does when the stream is H.264/H.265"),
    _Spec("microphone", _microphone, _env_text, lambda v: redact_url(str(v)),
          "the room's sound, [camera=]source: auto, none, synthetic, alsa:DEVICE, pulse:DEVICE, camera or a file"),
    _Spec("trust_ca_files", _paths, _env_list, lambda v: [str(p) for p in v],
          "CA certificates trusted for report seals"),
    _Spec("trust_room_keys", _paths, _env_list, lambda v: [str(p) for p in v], "room public keys trusted for ledgers"),
    _Spec("trust_ca_folder", _optional_path, _env_text, _show_path,
          "a folder of CA certificates (*.pem, *.crt, *.cer) trusted for members' and the room's certificates"),
    _Spec("trust_crl_folder", _optional_path, _env_text, _show_path,
          "a folder of CRLs (*.crl, *.pem, *.der) kept on this PC: revoked certificates are refused (offline)"),
    _Spec("trust_ocsp", _boolean, _env_bool, _plain,
          "also ask the OCSP responder a certificate names (an unreachable one is skipped)"),
    _Spec("pkcs11_module", _optional_path, _env_text, _show_path,
          "the PKCS#11 module (.so/.dll) of the members' USB keys (UKey); empty: no token"),
    _Spec("pkcs11_slot", _slot, _env_number, lambda v: "" if v is None else v,
          "the USB key's slot id (empty: the first slot with a token)"),
    _Spec("idle_minutes", _number(1, 240), _env_number, _plain, "minutes before an idle workstation locks (1–240)"),
    _Spec("language", _language, _env_text, _plain, "the GUI language: zh or en"),
    _Spec("retention_years", _integer(15, 100), _env_number, _plain,
          "years an archive is kept after its session (15–100; DOMAIN.md §5: at least 15)"),
    _Spec("data_folder", _path, _env_text, _show_path, "session databases, archives, logs and crash reports"),
    _Spec("key_passphrase_file", _optional_path, _env_text, _show_path,
          "a file (mode 0600) holding the room key's passphrase (else EVALROOM_KEY_PASSPHRASE or the OS keyring)"),
    _Spec("kiosk", _boolean, _env_bool, _plain, "full screen, frameless, no window controls"),
    _Spec("kiosk_exit_hash", _exit_hash, _env_text, lambda v: "(set)" if v else "",
          "hash of the passphrase that ends kiosk mode: evalroom settings exit-passphrase"),
)
KEYS = tuple(spec.key for spec in _SPECS)


# ------------------------------------------------------------------------------------------ loading


def default_path() -> Path:
    """``settings.toml`` in the per-user config folder."""
    return Path(user_config_dir("EvalRoom", "EvalRoom")) / FILE_NAME


_selected: Path | None = None
_current: Settings | None = None


def select(path: Path | str | None) -> None:
    """Use this settings file (``--settings FILE``); None goes back to the search. Forgets ``current()``."""
    global _selected, _current
    _selected = None if path is None else Path(path)
    _current = None


def locate(env: Mapping[str, str] | None = None) -> tuple[Path, bool]:
    """The settings file to read and whether it was named explicitly (then it must exist)."""
    env = os.environ if env is None else env
    if _selected is not None:
        return _selected, True
    if env.get(ENV_FILE):
        return Path(env[ENV_FILE]).expanduser(), True
    return default_path(), False


def current() -> Settings:
    """The effective settings of this process (loaded once; ``select()`` forgets them)."""
    global _current
    if _current is None:
        _current = load()
    return _current


def load(path: Path | str | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read ``path`` (default: ``locate()``), apply the environment, validate. Raises ``SettingsError``."""
    env = os.environ if env is None else env
    if path is None:
        path, required = locate(env)
    else:
        path, required = Path(path), True
    table: dict[str, Any] = {}
    found: Path | None = None
    if path.is_file():
        table = read_file(path)
        found = path
    elif required:
        raise SettingsError(f"settings file {path}: not found")
    return build(table, env, found)


def read_file(path: Path) -> dict[str, Any]:
    """The raw TOML table of a settings file (syntax and version checked, keys not yet)."""
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"settings file {path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise SettingsError(f"settings file {path}: not UTF-8 text") from None
    except OSError as exc:
        raise SettingsError(f"settings file {path}: cannot be read: {exc.strerror or exc}") from None
    return table


def build(table: Mapping[str, Any], env: Mapping[str, str], path: Path | None) -> Settings:
    """Settings from a parsed TOML table and the environment."""
    where = f"settings file {path}" if path is not None else "settings"
    values: dict[str, Any] = {}
    sources: dict[str, str] = {key: "default" for key in KEYS}
    if table:
        if "version" not in table:
            raise SettingsError(f"{where}: version: missing (write version = {VERSION} as the first line)")
        version = table["version"]
        if isinstance(version, bool) or not isinstance(version, int):
            raise SettingsError(f"{where}: version: expected an integer, got {_type_name(version)} {version!r}")
        if version != VERSION:
            raise SettingsError(f"{where}: version: {version} is not a settings version this EvalRoom reads "
                                f"(it reads {VERSION})")
        for key in table:
            if key != "version" and key not in KEYS:
                near = [k for k in KEYS if k.split("_")[0] == key.split("_")[0]]
                hint = f" (did you mean {near[0]}?)" if near else ""
                raise SettingsError(f"{where}: {key}: unknown key{hint}; known keys: {', '.join(KEYS)}")
    for spec in _SPECS:
        name = ENV_PREFIX + spec.key.upper()
        if name in env:
            try:
                values[spec.key] = spec.parse(spec.key, spec.from_env(env[name]))
            except ValueError as exc:
                raise SettingsError(f"environment {name}: {exc}") from None
            sources[spec.key] = f"env {name}"
        elif spec.key in table:
            try:
                values[spec.key] = spec.parse(spec.key, table[spec.key])
            except ValueError as exc:
                raise SettingsError(f"{where}: {spec.key}: {exc}") from None
            sources[spec.key] = f"file {path}"
            if path is not None and spec.key in _PATH_KEYS:  # relative paths in a file: from the file's folder
                values[spec.key] = _from_folder(values[spec.key], path.parent)
    return Settings(**values, sources=sources, path=path)


_PATH_KEYS = ("center_cafile", "trust_ca_files", "trust_room_keys", "trust_ca_folder", "trust_crl_folder",
              "pkcs11_module", "data_folder", "key_passphrase_file")


def _from_folder(value: Any, folder: Path) -> Any:
    if value is None:
        return None
    if isinstance(value, tuple):
        return tuple(_from_folder(item, folder) for item in value)
    return value if value.is_absolute() else folder / value


def _absolute(settings: Settings) -> Settings:
    """The settings with every path absolute (from the current folder), as the file stores them."""
    return replace(settings, **{key: _from_folder(getattr(settings, key), Path.cwd()) for key in _PATH_KEYS})


def check_files(settings: Settings) -> None:
    """Open every file the settings name: the CA certificates (``center_cafile``, ``trust_ca_files``) must be
    readable PEM certificates, the room keys (``trust_room_keys``) PEM public keys, the ``key_passphrase_file``
    readable by its owner only and not empty. ``SettingsError`` names the key and the file. (Loading does not
    open them: a file named in the settings may be mounted later.)"""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    where = f"settings file {settings.path}" if settings.path is not None else "settings"
    named: list[tuple[str, Path, str]] = []
    if settings.center_cafile is not None:
        named.append(("center_cafile", settings.center_cafile, "certificate"))
    named += [(f"trust_ca_files[{i}]", p, "certificate") for i, p in enumerate(settings.trust_ca_files)]
    named += [(f"trust_room_keys[{i}]", p, "public key") for i, p in enumerate(settings.trust_room_keys)]
    if settings.key_passphrase_file is not None:
        from app.crypto.passphrases import PassphraseError, read_file

        try:
            read_file(settings.key_passphrase_file, f"{where}: key_passphrase_file:", private=True)
        except PassphraseError as exc:
            raise SettingsError(str(exc)) from None
    for key, folder in (("trust_ca_folder", settings.trust_ca_folder), ("trust_crl_folder", settings.trust_crl_folder)):
        if folder is not None and not folder.is_dir():
            raise SettingsError(f"{where}: {key}: {folder}: no such folder")
    if settings.pkcs11_module is not None and not settings.pkcs11_module.is_file():
        raise SettingsError(f"{where}: pkcs11_module: {settings.pkcs11_module}: no such file")
    for key, path, kind in named:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise SettingsError(f"{where}: {key}: {path}: no such file") from None
        except OSError as exc:
            raise SettingsError(f"{where}: {key}: {path}: cannot be read: {exc.strerror or exc}") from None
        try:
            if kind == "certificate":
                x509.load_pem_x509_certificates(data)
            else:
                serialization.load_pem_public_key(data)
        except (ValueError, TypeError):
            raise SettingsError(f"{where}: {key}: {path}: is not a PEM {kind}") from None


# ------------------------------------------------------------------------------------------ writing


def _toml_string(text: str) -> str:
    """A TOML basic string. Escapes what TOML requires (quote, backslash, control characters, DEL)."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else "0.0"
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to the settings file")


def dumps(settings: Settings) -> str:
    """The settings as a commented TOML document (unredacted: it is the room's own file)."""
    lines = ["# EvalRoom settings. Every key is optional; see the README, section Configuration.",
             f"version = {VERSION}", ""]
    plain: dict[str, Any] = {
        "room_id": settings.room_id, "room_name": settings.room_name, "center_url": settings.center_url or "",
        "center_cafile": _show_path(settings.center_cafile), "tsa_url": settings.tsa_url or "",
        "hub_url": settings.hub_url or "",
        "hub_listen": settings.hub_listen or "",
        "cameras": [str(c) for c in settings.cameras], "microphone": settings.microphone,
        "trust_ca_files": [str(p) for p in settings.trust_ca_files],
        "trust_room_keys": [str(p) for p in settings.trust_room_keys],
        "trust_ca_folder": _show_path(settings.trust_ca_folder),
        "trust_crl_folder": _show_path(settings.trust_crl_folder),
        "trust_ocsp": settings.trust_ocsp, "pkcs11_module": _show_path(settings.pkcs11_module),
        "pkcs11_slot": "" if settings.pkcs11_slot is None else settings.pkcs11_slot,
        "idle_minutes": settings.idle_minutes,
        "language": settings.language, "retention_years": settings.retention_years,
        "data_folder": str(settings.data_folder), "key_passphrase_file": _show_path(settings.key_passphrase_file),
        "kiosk": settings.kiosk, "kiosk_exit_hash": settings.kiosk_exit_hash,
    }
    for spec in _SPECS:
        lines.append(f"# {spec.doc}")
        lines.append(f"{spec.key} = {_toml_value(plain[spec.key])}")
    return "\n".join(lines) + "\n"


def write(settings: Settings, path: Path) -> Path:
    """Write the settings file atomically (a temporary file renamed over it); checks it reads back equal."""
    settings = _absolute(settings)
    text = dumps(settings)
    if build(tomllib.loads(text), {}, path) != replace(settings, sources={}, path=path):
        raise SettingsError(f"settings file {path}: the written text does not read back the same")  # a writer bug
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return path


def with_values(settings: Settings, **changes: Any) -> Settings:
    """A copy with some keys changed, each validated like a file value (``SettingsError`` naming the key)."""
    checked: dict[str, Any] = {}
    by_key = {spec.key: spec for spec in _SPECS}
    for key, value in changes.items():
        if key not in by_key:
            raise SettingsError(f"settings: {key}: unknown key")
        try:
            checked[key] = by_key[key].parse(key, value)
        except ValueError as exc:
            raise SettingsError(f"settings: {key}: {exc}") from None
    return replace(settings, **checked)


def save(path: Path | None = None, **changes: Any) -> Settings:
    """Change some keys in the settings file (created if missing), keeping the other values of the file
    (the file is written again whole, with its comments). The environment's overrides are not written into
    the file. Returns the settings as the file now has them."""
    path = locate()[0] if path is None else Path(path)
    table = read_file(path) if path.is_file() else {}
    on_file = build(table, {}, path if table else None)
    write(with_values(on_file, **changes), path)
    return load(path, {})


__all__ = ["CameraConfig", "KEYS", "Settings", "SettingsError", "VERSION", "check_files", "check_passphrase", "current",
           "default_path", "dumps", "hash_passphrase", "load", "locate", "read_file", "redact_url", "save", "select",
           "with_values", "write"]
