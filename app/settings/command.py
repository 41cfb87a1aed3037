"""`evalroom settings show` (the effective settings and where each value came from) and
`evalroom settings check FILE` (validate a file and the files it names: exit 0, or 2 with one line naming the key),
`evalroom settings exit-passphrase` (the passphrase that ends kiosk mode, stored as a PBKDF2 hash)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app import settings as settings_module
from app.commands.base import EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("settings", help="show or check the room's settings file")
    actions = parser.add_subparsers(dest="settings_action", required=True, parser_class=type(parser))
    show = actions.add_parser("show", help="the effective settings (secrets redacted) and where each value came from")
    show.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    show.set_defaults(handler=_show)
    check = actions.add_parser("check", help="validate a settings file (exit 0 if valid, 2 naming the wrong key)")
    check.add_argument("file", metavar="FILE")
    check.set_defaults(handler=_check)
    secret = actions.add_parser("exit-passphrase",
                                help="set the passphrase that ends kiosk mode (read from the terminal or stdin)")
    secret.add_argument("--passphrase-file", metavar="FILE", help="read it from this file instead")
    secret.set_defaults(handler=_exit_passphrase)


def _show(args: argparse.Namespace) -> int:
    settings = settings_module.current()
    path, _ = settings_module.locate()
    values = settings.redacted()
    if args.json:
        print(json.dumps({"file": str(settings.path) if settings.path else None,
                          "values": values, "sources": dict(settings.sources)}, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"# settings file: {settings.path if settings.path else f'{path} (not present: defaults)'}")
    width = max(len(key) for key in values)
    for key, value in values.items():
        shown = json.dumps(value, ensure_ascii=False)
        print(f"{key:<{width}} = {shown}    # {settings.sources[key]}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    path = Path(args.file)
    loaded = settings_module.load(path, env={})  # the file alone: the environment does not make a bad file good
    settings_module.check_files(loaded)  # and the certificates and keys it names exist and are PEM
    print(f"{path}: valid (settings version {settings_module.VERSION})")
    return EXIT_OK


def _exit_passphrase(args: argparse.Namespace) -> int:
    import getpass
    import sys

    if args.passphrase_file:
        passphrase = Path(args.passphrase_file).read_text(encoding="utf-8").strip()
    elif sys.stdin.isatty():
        passphrase = getpass.getpass("kiosk exit passphrase: ")
        if getpass.getpass("again: ") != passphrase:
            raise settings_module.SettingsError("settings: kiosk_exit_hash: the two passphrases differ")
    else:
        passphrase = sys.stdin.readline().strip()
    if len(passphrase) < 8:
        raise settings_module.SettingsError("settings: kiosk_exit_hash: the passphrase is shorter than 8 characters")
    path, _ = settings_module.locate()
    settings_module.save(path, kiosk_exit_hash=settings_module.hash_passphrase(passphrase))
    print(f"{path}: kiosk exit passphrase set")
    return EXIT_OK
