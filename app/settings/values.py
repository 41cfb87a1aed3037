"""The settings' values one by one: each key's parser (a wrong type or value raises ``ValueError`` naming what is
wrong, which the loader turns into a ``SettingsError`` naming the key and where it came from), the environment's
text turned into values, and the exit passphrase's hash."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.errors import EvalRoomError
from app.settings.cameras import AUTO, CameraConfig, camera, parse_microphone

LANGUAGES = ("zh", "en")
_ROOM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_CAMERA_NAME = re.compile(r"[\w.-]{1,32}")  # the recorder's rule (Chinese names such as 门口 too), at most 32


class SettingsError(EvalRoomError, ValueError):
    """One line naming the file or variable, the key and what is wrong with it (the CLI exits 2)."""

    cli_prefix = "program"  # the message names the settings file or variable itself
    help_key = "settings.help"


def redact_url(text: str) -> str:
    """A URL without its password (rtsp://user:secret@host → rtsp://user:***@host) or token query values."""
    text = re.sub(r"(://[^:/@\s]+:)[^@/\s]+@", r"\1***@", text)
    return re.sub(r"([?&](?:token|key|password|secret|sig|signature)=)[^&\s]+", r"\1***", text, flags=re.IGNORECASE)


def _type_name(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def _string(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {_type_name(value)} {value!r}")
    return value


def _room_id(key: str, value: Any) -> str:
    text = _string(key, value)
    if not _ROOM_ID.match(text):
        raise ValueError(f"{text!r} is not a room id "
                         "(1–64 letters, digits, '.', '_' or '-', starting with a letter or digit)")
    return text


def _room_name(key: str, value: Any) -> str:
    text = _string(key, value).strip()
    if len(text) > 100:
        raise ValueError("is longer than 100 characters")
    return text


def _url(key: str, value: Any) -> str | None:
    text = _string(key, value).strip()
    if not text:
        return None
    if not re.match(r"^https?://[^/\s]+", text):
        raise ValueError(f"{redact_url(text)!r} is not an http:// or https:// URL")
    return text.rstrip("/")


def _listen(key: str, value: Any) -> str | None:
    text = _string(key, value).strip()
    if not text:
        return None
    match = re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?", text)
    if match is None or (match.group(2) is not None and int(match.group(2)) > 65535):
        raise ValueError(f"{text!r} is not HOST:PORT (e.g. 0.0.0.0:8765)")
    return text


def _path(key: str, value: Any) -> Path:
    text = _string(key, value).strip()
    if not text:
        raise ValueError("is empty (give a path)")
    return Path(text).expanduser()


def _optional_path(key: str, value: Any) -> Path | None:
    return None if isinstance(value, str) and not value.strip() else _path(key, value)


def _paths(key: str, value: Any) -> tuple[Path, ...]:
    if not isinstance(value, list):
        raise ValueError(f"expected a list of paths, got {_type_name(value)} {value!r}")
    return tuple(_path(f"{key}[{index}]", item) for index, item in enumerate(value))


def _slot(key: str, value: Any) -> int | None:
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a slot id (an integer, or \"\" for the first slot with a token), "
                         f"got {_type_name(value)} {value!r}")
    if not 0 <= value < 2**63:
        raise ValueError(f"{value} is not a slot id (0 or more)")
    return value


def _cameras(key: str, value: Any) -> tuple[CameraConfig, ...]:
    if not isinstance(value, list):
        raise ValueError(f"expected a list of \"name=source\" strings, got {_type_name(value)} {value!r}")
    cameras: list[CameraConfig] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or "=" not in item:
            raise ValueError(f"item {index + 1}: expected \"name=source\" (for example \"main=synthetic\"), "
                             f"got {item!r}")
        name, _, source = item.partition("=")
        name, source = name.strip(), source.strip()
        if not _CAMERA_NAME.fullmatch(name):
            raise ValueError(f"item {index + 1}: {name!r} is not a camera name "
                             "(up to 32 letters, digits, '.', '_' or '-')")
        if not source:
            raise ValueError(f"item {index + 1}: camera {name!r} has no source")
        if any(camera.name == name for camera in cameras):
            raise ValueError(f"item {index + 1}: camera {name!r} appears twice")
        cameras.append(camera(name, source))  # "SRC copy" / "SRC auto": stream copy, or detected from the stream
    return tuple(cameras)


def _microphone(key: str, value: Any) -> str:
    text = _string(key, value).strip() or AUTO
    if text != AUTO:
        parse_microphone(text)  # raises ValueError naming what is wrong
    return text


def _number(low: float, high: float) -> Callable[[str, Any], float]:
    def parse(key: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected a number, got {_type_name(value)} {value!r}")
        if value != value or value < low:  # NaN fails too
            raise ValueError(f"{value} is below the minimum {low:g}")
        if value > high:
            raise ValueError(f"{value} is above the maximum {high:g}")
        return float(value)

    return parse


def _integer(low: int, high: int) -> Callable[[str, Any], int]:
    def parse(key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected an integer, got {_type_name(value)} {value!r}")
        if value < low:
            raise ValueError(f"{value} is below the minimum {low}")
        if value > high:
            raise ValueError(f"{value} is above the maximum {high}")
        return value

    return parse


def _language(key: str, value: Any) -> str:
    text = _string(key, value)
    if text not in LANGUAGES:
        raise ValueError(f"{text!r} is not a language (one of {', '.join(LANGUAGES)})")
    return text


_HASH = re.compile(r"^pbkdf2-sha256\$(\d{5,7})\$([0-9a-f]{32})\$([0-9a-f]{64})$")
HASH_ITERATIONS = 200_000


def _exit_hash(key: str, value: Any) -> str:
    text = _string(key, value).strip()
    if text and not _HASH.match(text):
        raise ValueError("is not a passphrase hash written by `evalroom settings exit-passphrase` "
                         "(pbkdf2-sha256$ITERATIONS$SALT$HASH)")
    return text


def hash_passphrase(passphrase: str, salt: bytes | None = None, iterations: int = HASH_ITERATIONS) -> str:
    """The ``kiosk_exit_hash`` value of a passphrase (PBKDF2-HMAC-SHA256, random 16-byte salt)."""
    import secrets

    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", passphrase.encode("utf-8"), salt, iterations)
    return f"pbkdf2-sha256${iterations}${salt.hex()}${digest.hex()}"


def check_passphrase(stored: str, passphrase: str) -> bool:
    """True when ``passphrase`` matches the stored hash (an empty hash matches nothing)."""

    found = _HASH.match(stored)
    if not found:
        return False
    iterations, salt = int(found.group(1)), bytes.fromhex(found.group(2))
    return hmac.compare_digest(hash_passphrase(passphrase, salt, iterations), stored)


def _boolean(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {_type_name(value)} {value!r}")
    return value


# environment values are text: turn them into the TOML type the key wants before validating
def _env_text(text: str) -> Any:
    return text


def _env_list(text: str) -> Any:
    return [item for item in (part.strip() for part in text.split(";")) if item]


def _env_number(text: str) -> Any:
    try:
        return float(text) if re.search(r"[.eE]", text) else int(text)
    except ValueError:
        return text  # the parser reports "expected a number, got a string"


def _env_bool(text: str) -> Any:
    lowered = text.strip().lower()
    return {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False,
            "off": False}.get(lowered, text)
