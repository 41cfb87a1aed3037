"""Command-line commands. Each module has ``register(subparsers)``; add new ones to the list."""

from app.commands import (
    archive,
    bid,
    center,
    evaluate,
    hub,
    ledger,
    pair,
    publish,
    rebuild,
    record,
    room_cert,
    screen,
    simulate,
    sync,
    verify,
    verify_recording,
)
from app.settings import command as settings

COMMAND_MODULES = [evaluate, screen, simulate, ledger, rebuild, record, verify_recording, center, hub, pair, sync,
                   archive, verify, publish, room_cert, bid, settings]
