"""`evalroom simulate --case CASE.json --out DIR [--room ROOM_ID]`: a whole session through the ledger."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.base import EXIT_OK, read_passphrase_file


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("simulate",
                                 help="play a whole session headless through the ledger; result JSON on stdout")
    parser.add_argument("--case", required=True, metavar="CASE.json")
    parser.add_argument("--out", required=True, metavar="DIR")
    parser.add_argument("--room", default="demo-room", metavar="ROOM_ID", help="room id (default: demo-room)")
    parser.add_argument("--passphrase-file", metavar="FILE",
                        help="passphrase of the room's private key "
                             "(default: $EVALROOM_KEY_PASSPHRASE, else a demo passphrase)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.services.simulate import simulate

    passphrase = read_passphrase_file(args.passphrase_file)
    done = simulate(Path(args.case), Path(args.out), room=args.room, passphrase=passphrase)
    if done.demo_passphrase:
        print("evalroom: note: the room key is encrypted with the public demo passphrase, as test tooling "
              "(set EVALROOM_KEY_PASSPHRASE or --passphrase-file for a real one)", file=sys.stderr)
    sys.stdout.write(done.result_text)
    return EXIT_OK
