"""`evalroom room-cert install ROOM.p12`: a room console seals with a CA-issued certificate instead of its
self-signed room CA (the center's, from ``center enroll --issue-room-cert``, or a real CA's)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.commands.base import EXIT_OK, UsageError, read_passphrase_file

CERT_PASSPHRASE_ENV = "EVALROOM_CERT_PASSPHRASE"


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("room-cert", help="the room's report-seal certificate from a CA")
    actions = parser.add_subparsers(dest="room_cert_command", metavar="{install}", parser_class=type(parser))
    actions.required = True
    install = actions.add_parser("install", help="seal this room's reports with ROOM.p12 (center enroll "
                                                 "--issue-room-cert, or a real CA's), not the self-signed room CA")
    install.add_argument("p12", metavar="ROOM.p12", help="key, certificate and chain; passphrase in "
                                                         f"${CERT_PASSPHRASE_ENV}")
    install.add_argument("--data", metavar="DIR", help="the console's data folder (default: the settings' data_folder)")
    install.add_argument("--passphrase-file", metavar="FILE",
                         help="the room key's passphrase (default: $EVALROOM_KEY_PASSPHRASE, the settings' "
                              "key_passphrase_file, the OS keyring)")
    install.set_defaults(handler=run_install, check=check_install)


def check_install(args: argparse.Namespace) -> None:
    if not Path(args.p12).is_file():
        raise UsageError(f"room-cert install: {args.p12}: no such file")
    if os.environ.get(CERT_PASSPHRASE_ENV) is None:
        raise UsageError(f"room-cert install: {CERT_PASSPHRASE_ENV} is not set (the passphrase of {args.p12})")


def run_install(args: argparse.Namespace) -> int:
    from app.archive import pades
    from app.center.ca import CenterCaError, check_room_certificate
    from app.crypto import passphrases
    from app.crypto.certs import CertificateFileError, load_p12
    from app.crypto.keys import KeyFileError, SigningKey
    from app.crypto.trust import describe
    from app.services.certificates import trust_from_settings
    from app.settings import current

    check_install(args)
    settings = current()
    keys = Path(args.data or settings.data_folder) / "keys"
    key_file = keys / "room.p12"
    if not key_file.is_file():
        raise UsageError(f"room-cert install: {key_file}: no room key (start the console once, or give --data)")
    try:
        chosen = passphrases.resolve(passphrases.ROOM, read_passphrase_file(args.passphrase_file), key=key_file,
                                     file=settings.key_passphrase_file)
        SigningKey.load(key_file, chosen.secret)  # the seal's key is kept under the room key's passphrase
    except (passphrases.PassphraseError, KeyFileError) as exc:
        raise UsageError(f"room-cert install: {key_file}: {exc}") from exc
    try:
        given = load_p12(Path(args.p12), os.environ[CERT_PASSPHRASE_ENV].encode("utf-8"))
        check_room_certificate(given.cert)
    except (CertificateFileError, CenterCaError) as exc:
        raise UsageError(f"room-cert install: {args.p12}: {exc}") from exc
    if given.private_key is None:
        raise UsageError(f"room-cert install: {args.p12}: an SM2 key cannot make the report's PAdES seal (RSA or "
                         "ECDSA P-256 only; see README \"SM2 on the report PDF\")")
    store = trust_from_settings(settings)
    problem = store.problem(given.cert, given.chain) if store else None
    if problem:
        print(f"evalroom: note: {describe(given.cert)!r} is not accepted by this PC's trust store ({problem}); "
              "verifiers must pin its CA", file=sys.stderr)
    ca = pades.install_room_certificate(keys, chosen.secret, given.private_key, given.cert, given.chain)
    print(f"evalroom: the room's reports are sealed by {describe(given.cert)!r} from now on (new sessions record it); "
          f"its CA is {ca} — give it to verifiers (evalroom verify --trust)", file=sys.stderr)
    return EXIT_OK
