"""`evalroom sync push DIR --center URL` (spec/cli.md) and `evalroom sync status DIR`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.commands.base import EXIT_INVALID, EXIT_OK, UsageError


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("sync", help="deliver a session's ledger and archive to the center")
    actions = parser.add_subparsers(dest="sync_command", metavar="{push,status}", parser_class=type(parser))
    actions.required = True
    push = actions.add_parser("push", help="send a simulate folder's ledger and archive; writes DIR/receipt.json")
    push.add_argument("dir", metavar="DIR")
    push.add_argument("--center", required=True, metavar="URL")
    push.add_argument("--room", metavar="ROOM_ID", help="the enrolled room id (default: the session's room)")
    push.add_argument("--center-key", metavar="PEM", help="the center's public key (default: pinned on first contact)")
    push.add_argument("--cafile", metavar="PEM", help="CA certificate(s) for an https:// center")
    push.add_argument("--cert", metavar="PEM", help="client certificate for a center requiring mutual TLS …")
    push.add_argument("--key", metavar="PEM", help="… and its private key")
    push.add_argument("--archive", metavar="BAGDIR", help="the archive bag (default: DIR/archive when it is a bag)")
    push.set_defaults(handler=run_push, check=check_push)
    status = actions.add_parser("status", help="what is pending, last sync, last error (JSON)")
    status.add_argument("dir", metavar="DIR_OR_SESSION_DB")
    status.set_defaults(handler=run_status, check=check_status)


def check_push(args: argparse.Namespace) -> None:
    """Before anything is created (the log folder): the folder, the URL, the files named."""
    from app.sync.push import check_push

    if bool(args.cert) != bool(args.key):
        raise UsageError("sync push: --cert and --key go together")
    check_push(Path(args.dir), args.center, Path(args.center_key) if args.center_key else None, args.cafile,
               Path(args.archive) if args.archive else None, (args.cert, args.key) if args.cert else None)


def check_status(args: argparse.Namespace) -> None:
    path = Path(args.dir)
    path = path / "session.sqlite" if path.is_dir() else path
    if not path.is_file():
        raise UsageError(f"sync status: {path}: no such session file")


def run_push(args: argparse.Namespace) -> int:
    from app.settings import current
    from app.sync.push import push_folder

    if bool(args.cert) != bool(args.key):
        raise UsageError("sync push: --cert and --key go together")
    outcome = push_folder(Path(args.dir), args.center, args.room, Path(args.center_key) if args.center_key else None,
                          args.cafile, Path(args.archive) if args.archive else None,
                          cert=(args.cert, args.key) if args.cert else None,
                          passphrase_file=current().key_passphrase_file)
    if outcome.demo_passphrase:
        print(f"evalroom: note: {args.dir}: the room key of this simulate folder is under the public demo passphrase "
              "(test tooling)", file=sys.stderr)
    for problem in outcome.problems:
        print(problem)
    print(f"evalroom: session {outcome.session}: sent {outcome.sent}, acknowledged {outcome.acked}, pending "
          f"{outcome.pending}"
          + (f"; receipt in {outcome.receipt_path}" if outcome.receipt_path else ""), file=sys.stderr)
    return EXIT_OK if outcome.ok else EXIT_INVALID


def run_status(args: argparse.Namespace) -> int:
    from app.services.sync import sync_status

    status = sync_status(Path(args.dir))
    print(json.dumps(status.to_json(), indent=2, sort_keys=True))
    return EXIT_OK
