"""`evalroom screen PACKAGE`: the collusion screen (docs/bid-package.md); findings JSON on stdout, exit 0."""

from __future__ import annotations

import argparse
import json
import sys

from app.commands.base import EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("screen", help="collusion screen of a package's bids (围标串标); findings JSON on "
                                                "stdout (warnings for the committee, never rejections)")
    parser.add_argument("package", metavar="PACKAGE", help="a package folder or .zip (or a case file)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.services.screen import screen

    sys.stdout.write(json.dumps(screen(args.package), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK
