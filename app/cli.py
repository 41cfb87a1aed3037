"""The `evalroom` command line (spec/cli.md). Exit codes: 0 ok, 1 checked and invalid, 2 bad input.

The GUI commands are plugged in by the ``ui`` package through the ``evalroom.gui`` entry-point
group, so this Qt-free core never imports the GUI.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from app import settings
from app.commands.base import EXIT_OK, EXIT_USAGE, UsageError
from app.domain.errors import one_line
from app.errors import EvalRoomError, render


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_defaults(where=self.prog.partition(" ")[2])  # the command an error is reported under

    def error(self, message: str) -> NoReturn:
        sub = self.prog.partition(" ")[2]
        raise UsageError(f"{sub}: {message}" if sub else message)


def _gui(name: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from importlib.metadata import EntryPoint, PackageNotFoundError, distribution, entry_points

        try:  # our own distribution's first (one folder read, not every installed package's metadata)
            found = list(distribution("evalroom").entry_points.select(group="evalroom.gui", name=name))
        except PackageNotFoundError:
            found = []
        found = found or [ep for ep in entry_points(group="evalroom.gui") if ep.name == name]
        if not found and getattr(sys, "frozen", False):  # the installers' bundle has no entry-point metadata
            found = [EntryPoint(name, f"ui.launch:{name}", "evalroom.gui")]
        if not found:
            raise UsageError("the EvalRoom GUI is not installed (install the project with its ui package)")
        launch: Callable[[argparse.Namespace], int] = found[0].load()
        return launch(args)

    return run


def build_parser(commands_too: bool = True) -> argparse.ArgumentParser:
    """The whole command tree: GUI commands here, the rest registered by ``app.commands`` modules (not with
    ``commands_too=False``: a command line that opens the GUI, which parses the same with the GUI's part alone)."""
    parser = _Parser(prog="evalroom", description="EvalRoom 评标室: on-site bid opening and expert evaluation.")
    parser.add_argument("--settings", metavar="FILE",
                        help="the settings file (default: EVALROOM_SETTINGS, then the per-user config folder)")
    parser.add_argument("--kiosk", action="store_true",
                        help="full screen, no window controls, closed only by the authorised exit")
    parser.add_argument("--mode", choices=("console", "workstation", "supervisor", "venue"),
                        help="this machine's role, skipping the start screen's choice (the installers' shortcuts); "
                             "venue: the remote venue's console (副场主控台), "
                             "joining through the center of the settings")
    parser.set_defaults(handler=_gui("start"))
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    demo = commands.add_parser("demo", help="the GUI on the bundled demo session, all roles in one window")
    demo.add_argument("--walkthrough", metavar="OUTDIR", help="drive the GUI offscreen through the whole flow")
    demo.add_argument("--lan-walkthrough", metavar="OUTDIR",
                      help="the whole flow by separate processes offscreen on 127.0.0.1: the console with its hub, "
                           "a workstation per member and the supervisor's PC, each with its own data folder "
                           "(OUTDIR/console, OUTDIR/ws-<member>, OUTDIR/supervisor); one expert's link is cut "
                           "during scoring")
    demo.add_argument("--room", action="store_true",
                      help="the room as separate windows on this machine: the console with its hub, two expert "
                           "workstations and the supervisor's PC, each with its own data folder")
    demo.add_argument("--lan-node", choices=("console", "workstation", "supervisor"), help=argparse.SUPPRESS)
    demo.add_argument("--hub", metavar="URL", help=argparse.SUPPRESS)
    demo.add_argument("--data", metavar="DIR",
                      help="folder for the demo session (default: the per-user demo folder, "
                           "offered again at the next start)")
    demo.set_defaults(handler=_gui("demo"))
    if not commands_too:
        return parser
    from app.commands import COMMAND_MODULES

    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def opens_the_gui(argv: Sequence[str]) -> bool:
    """``evalroom [--settings FILE] [--kiosk] [--mode M]`` or ``evalroom … demo …``: the GUI's part of the parser
    alone parses it (the start of the window does not wait for the other commands' parsers). A help request before
    the command, or any other command, needs the whole tree."""
    index = 0
    while index < len(argv):
        word = argv[index]
        if word in ("-h", "--help"):
            return False
        if word in ("--settings", "--mode"):  # an option with its value in the next word
            index += 2
        elif word.startswith("-"):
            index += 1
        else:
            return word == "demo"
    return True


def error_line(exc: EvalRoomError, where: str = "") -> str:
    """The one line the command line prints for an error of ours (spec/cli.md), by its ``cli_prefix``."""
    text = exc.message("en")
    if exc.cli_prefix == "none":
        return one_line(text)
    if exc.cli_prefix == "command" and where:
        return one_line(f"evalroom: {where}: {text}")
    return one_line(f"evalroom: {text}")


def _data_folder() -> Path | None:
    """The settings' data folder for a service's log file; None when the settings file is bad (the command
    itself then reports it, if it needs the settings)."""
    try:
        return settings.current().data_folder
    except settings.SettingsError:
        return None


def main(argv: Sequence[str] | None = None, log_to_file: bool = False) -> int:
    args: argparse.Namespace | None = None
    try:
        words = sys.argv[1:] if argv is None else list(argv)
        args = build_parser(commands_too=not opens_the_gui(words)).parse_args(words)
        settings.select(args.settings)  # each run reads the settings afresh (None: the usual search)
        check: Callable[[argparse.Namespace], None] | None = getattr(args, "check", None)
        if check is not None:  # the arguments first: bad input creates nothing (not even the log folder)
            check(args)
        if log_to_file:
            from app.logs import setup_for_command

            setup_for_command(args.command, _data_folder)
        return int(args.handler(args))
    except EvalRoomError as exc:  # every error of ours: its exit code, one line on stderr
        print(error_line(exc, getattr(args, "where", "")), file=sys.stderr)
        if os.environ.get("EVALROOM_DEBUG") and exc.diagnostics():
            print(exc.diagnostics(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("evalroom: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the contract: never a bare traceback
        if os.environ.get("EVALROOM_DEBUG"):
            raise
        _log_to_files(exc)
        print(one_line(f"evalroom: {render('internal', 'en', kind=type(exc).__name__, detail=exc)}"), file=sys.stderr)
        return EXIT_USAGE


def _log_to_files(exc: BaseException) -> None:
    """The whole traceback of an unexpected error, to the log files only (a service command's rotating file).

    Not through ``logger.exception``: with no handler configured (the one-shot commands write no log), the
    logging module's last-resort handler prints the record with its traceback on stderr."""
    record = logging.getLogger("evalroom").makeRecord("evalroom", logging.ERROR, __file__, 0, "internal error", (),
                                                      (type(exc), exc, exc.__traceback__))
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler):
            handler.handle(record)


def run() -> NoReturn:
    """Console-script entry point (and `python -m app`): logs to the data folder's log file."""
    sys.exit(main(log_to_file=True))
