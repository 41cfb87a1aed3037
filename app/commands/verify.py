"""`evalroom verify ARCHIVE`: the whole archive offline; exit 0 valid, 1 with every problem on stdout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.base import EXIT_INVALID, EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("verify", help="verify an archive offline: fixity, ledger, checkpoint, PDF seal, "
                                                "recordings, recomputed result")
    parser.add_argument("archive", metavar="ARCHIVE")
    parser.add_argument("--room-key", metavar="PEM", help="the room's public key (default: the copy in the archive)")
    parser.add_argument("--trust", action="append", default=[], metavar="CA.pem",
                        help="trust root for the report's PAdES seal (repeatable; default: the archive's room-ca.pem)")
    parser.add_argument("--full", action="store_true",
                        help="also check the SHA-512 manifest (reads every file once either way)")
    parser.add_argument("--no-rerender", action="store_true", help="skip re-rendering the report from the ledger")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.archive.verify import verify_archive

    verdict = verify_archive(Path(args.archive), Path(args.room_key) if args.room_key else None,
                             [Path(t) for t in args.trust], full=args.full, rerender=not args.no_rerender)
    for note in verdict.notes:
        print(f"evalroom: note: {note}", file=sys.stderr)
    for warning in verdict.warnings:
        print(f"evalroom: warning: {warning}", file=sys.stderr)
    for problem in verdict.problems:
        print(problem)
    print(f"evalroom: {verdict.files} files, {verdict.events} events: {'valid' if verdict.ok else 'INVALID'}",
          file=sys.stderr)
    return EXIT_OK if verdict.ok else EXIT_INVALID
