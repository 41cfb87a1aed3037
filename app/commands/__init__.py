"""Command-line commands. Each module has ``register(subparsers)``; add new ones to the list."""

from app.commands import evaluate, ledger, rebuild, record, simulate, verify_recording

COMMAND_MODULES = [evaluate, simulate, ledger, rebuild, record, verify_recording]
