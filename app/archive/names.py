"""Portable file names: the paths a bag may hold, so that a room PC on Windows, the center on Linux and object
storage all write, read and compare the same files.

One rule set for the bag builder (it never writes a name the center would refuse) and for the center's archive
listing (checked whole at ``begin``, before any byte is stored). A path is relative, ``/``-separated, NFC, and:

- each component is non-empty, not ``.`` or ``..``, at most :data:`MAX_COMPONENT_BYTES` bytes of UTF-8, holds
  no control character (U+0000–U+001F, U+007F–U+009F), none of ``<>:"|?*\\`` (so no drive ``C:`` and no
  backslash path), does not end with a dot or a space, and is not a Windows device name (CON, PRN, AUX, NUL,
  COM0–COM9, LPT0–LPT9, also with superscript digits, CONIN$, CONOUT$), whatever its case or extension;
- the whole path is at most :data:`MAX_PATH_CHARS` characters (UTF-16 code units, as Windows counts): a bag in
  a folder of up to 100 characters stays within Windows' classic 260 (MAX_PATH);
- two paths of one listing may not differ only by case (Windows and macOS would store them as one file).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_COMPONENT_BYTES = 255  # ext4, NTFS (255 UTF-16 units), APFS: the UTF-8 byte count is the strictest
MAX_PATH_CHARS = 160
FORBIDDEN = frozenset('<>:"|?*\\')
_DEVICES = re.compile(r"(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|(COM|LPT)[0-9\u00b9\u00b2\u00b3])", re.IGNORECASE)


def _control(ch: str) -> bool:
    return ch < " " or "\x7f" <= ch <= "\x9f"


def component_problem(name: str) -> str | None:
    """Why ``name`` cannot be one component (a file or folder name) of a portable path, or None."""
    if name in ("", ".", ".."):
        return "an empty, '.' or '..' component" if name else "an empty component"
    bad = sorted({repr(ch) for ch in name if _control(ch) or ch in FORBIDDEN})
    if bad:
        return f"component {name[:40]!r} holds {', '.join(bad)} (control characters and <>:\"|?*\\ are not portable)"
    if name[-1] in ". ":
        return f"component {name[:40]!r} ends with a dot or a space (Windows drops it)"
    if _DEVICES.fullmatch(name.split(".", 1)[0].rstrip(" ")):
        return f"component {name[:40]!r} is a Windows device name"
    size = len(name.encode("utf-8"))
    if size > MAX_COMPONENT_BYTES:
        return f"component {name[:40]!r}… is {size} bytes of UTF-8, more than {MAX_COMPONENT_BYTES}"
    return None


def path_problem(path: object) -> str | None:
    """Why ``path`` is not a portable relative path (module docstring), or None."""
    if not isinstance(path, str) or not path:
        return "the path is not a non-empty string"
    if path.startswith("/"):
        return "the path is absolute"
    if not unicodedata.is_normalized("NFC", path):
        return "the path is not in Unicode NFC (another system would spell it differently)"
    for part in path.split("/"):
        problem = component_problem(part)
        if problem:
            return problem
    units = len(path.encode("utf-16-le")) // 2
    if units > MAX_PATH_CHARS:
        return f"the path is {units} characters long, more than {MAX_PATH_CHARS}"
    return None


def case_clashes(paths: Iterable[str]) -> tuple[str, str] | None:
    """The first two paths (or a path and a folder of another) that differ only by case, or None."""
    seen: dict[str, str] = {}
    for path in paths:
        parts = path.split("/")
        for n in range(1, len(parts) + 1):
            prefix = "/".join(parts[:n])
            key = prefix.casefold()
            other = seen.setdefault(key, prefix)
            if other != prefix:
                return other, prefix
    return None


def portable_stem(text: str, fallback: str = "file") -> str:
    """``text`` made into a portable component stem: unportable characters become ``_``, a device name or an
    over-long text is suffixed or cut. For names the builder derives from data (a member id)."""
    stem = unicodedata.normalize("NFC", text)
    stem = "".join("_" if _control(ch) or ch in FORBIDDEN or ch == "/" else ch for ch in stem).strip(" .") or fallback
    while len(stem.encode("utf-8")) > 64:
        stem = stem[:-1]
    stem = stem.rstrip(" .") or fallback
    base, dot, rest = stem.partition(".")
    if _DEVICES.fullmatch(base.rstrip(" ")):
        stem = f"{base}_{dot}{rest}"
    return stem
