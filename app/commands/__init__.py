"""Command-line commands. Each module has ``register(subparsers)``; add new ones to the list."""

from app.commands import evaluate

COMMAND_MODULES = [evaluate]
