"""Shared pieces of the command-line commands: exit codes and the usage error."""

from __future__ import annotations

from app.errors import EXIT_INVALID, EXIT_OK, EXIT_USAGE, EvalRoomError

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "UsageError", "read_passphrase_file"]


class UsageError(EvalRoomError):
    """Bad input or usage in the command line's own words: one line on stderr with exit 2 (spec/cli.md)."""

    cli_prefix = "program"


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
