"""Shared pieces of the command-line commands: exit codes and the usage error."""

from __future__ import annotations

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input or usage: reported as one line on stderr with exit 2 (spec/cli.md)."""


def read_passphrase_file(path: str | None) -> bytes | None:
    """``--passphrase-file FILE``: its first line's bytes (None without the option); unreadable or empty is a
    usage error."""
    if not path:
        return None
    from pathlib import Path

    try:
        passphrase = Path(path).read_bytes().strip()
    except OSError as exc:
        raise UsageError(f"--passphrase-file {path}: {exc.strerror}") from exc
    if not passphrase:
        raise UsageError(f"--passphrase-file {path}: is empty")
    return passphrase
