"""`evalroom ledger verify PATH` and `evalroom ledger export SESSION_DB OUTDIR` (spec/cli.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.base import EXIT_INVALID, EXIT_OK, UsageError


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("ledger", help="verify or export a session ledger")
    actions = parser.add_subparsers(dest="ledger_command", metavar="{verify,export}", parser_class=type(parser))
    actions.required = True
    verify = actions.add_parser("verify",
                                help="signatures, chains, forks, checkpoints, permission rules; problems on stdout")
    verify.add_argument("path", metavar="PATH", help="a session DB, a ledger folder, or a folder written by simulate")
    verify.add_argument("--room-key", metavar="PEM",
                        help="the room's public key (default: keys/room.pub.pem beside PATH)")
    verify.add_argument("--checkpoint", metavar="FILE",
                        help="a signed checkpoint kept elsewhere (C2SP note): the ledger must hold all it covers")
    verify.add_argument("--jobs", metavar="N", type=int, default=None,
                        help="processes checking signatures (default: the number of cores; the result is the same)")
    verify.set_defaults(handler=run_verify)
    export = actions.add_parser("export", help="write the feeds of a session DB as JSON Lines")
    export.add_argument("db", metavar="SESSION_DB")
    export.add_argument("outdir", metavar="OUTDIR")
    export.set_defaults(handler=run_export)


def run_verify(args: argparse.Namespace) -> int:
    from app.ledger.parallel import default_jobs
    from app.services.ledger_check import verify_path

    jobs = default_jobs() if args.jobs is None else args.jobs
    if jobs < 1:
        raise UsageError(f"ledger verify: --jobs {jobs}: give at least 1")
    outcome = verify_path(Path(args.path), Path(args.room_key) if args.room_key else None,
                          Path(args.checkpoint) if args.checkpoint else None, jobs=jobs)
    for note in outcome.notes:
        print(f"evalroom: note: {note}", file=sys.stderr)
    for problem in outcome.problems:
        print(problem)
    return EXIT_OK if not outcome.problems else EXIT_INVALID


def run_export(args: argparse.Namespace) -> int:
    from app.services.session import export_store
    from app.store.ledger_store import LedgerStore

    with LedgerStore.open(Path(args.db)) as store:
        files = export_store(store, Path(args.outdir))
    for file in files:
        print(file)
    return EXIT_OK
