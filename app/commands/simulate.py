"""`evalroom simulate --case CASE.json --out DIR [--room ROOM_ID] [--member-certs CERTDIR] [--room-cert ROOM.p12]
[--bidder-keys DIR]`:
a whole session through the ledger."""

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
    parser.add_argument("--member-certs", metavar="CERTDIR",
                        help="folder of <member id>.p12 (certificate + key, passphrase in $EVALROOM_CERT_PASSPHRASE): "
                             "each member's check-in binding and acts are signed with that certificate")
    parser.add_argument("--room-cert", metavar="ROOM.p12",
                        help="the room's certificate (RSA/ECDSA: it seals the report; SM2: it vouches for the seal)")
    parser.add_argument("--bidder-keys", metavar="DIR",
                        help="a package with encrypted bid files: the keys the bidders present at opening "
                             "(<bidder id>.p12 with <bidder id>.passphrase as its passphrase, and/or "
                             "<bidder id>.passphrase for passphrase-encrypted files); a bidder with none there "
                             "presents no key (R-OPEN-10: its bid is deemed revoked)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.services.simulate import simulate

    passphrase = read_passphrase_file(args.passphrase_file)
    done = simulate(Path(args.case), Path(args.out), room=args.room, passphrase=passphrase,
                    member_certs=Path(args.member_certs) if args.member_certs else None,
                    room_cert=Path(args.room_cert) if args.room_cert else None,
                    bidder_keys=Path(args.bidder_keys) if args.bidder_keys else None)
    if done.demo_passphrase:
        print("evalroom: note: the room key is encrypted with the public demo passphrase, as test tooling "
              "(set EVALROOM_KEY_PASSPHRASE or --passphrase-file for a real one)", file=sys.stderr)
    sys.stdout.write(done.result_text)
    return EXIT_OK
