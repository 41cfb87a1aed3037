"""Shared pieces of the command-line commands: exit codes and the usage error."""

from __future__ import annotations

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input or usage: reported as one line on stderr with exit 2 (spec/cli.md)."""
