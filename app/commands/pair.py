"""`evalroom pair --hub URL --code CODE`: pair this PC (an expert's or the supervisor's) with the room hub.

The seat's key is made on this PC and kept in its data folder under ``EVALROOM_KEY_PASSPHRASE`` (or the settings'
``key_passphrase_file``, or the OS keyring); only its public half reaches the console (``app.services.pairing``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.base import EXIT_OK, UsageError


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("pair", help="pair this expert's or supervisor's PC with the room hub by the "
                                              "check-in desk's one-time code")
    parser.add_argument("--hub", metavar="URL",
                        help="the room hub (default: the settings' hub_url, else the one hub found on the LAN)")
    parser.add_argument("--code", required=True, help="the 6-digit one-time code the check-in desk gave")
    parser.add_argument("--role", choices=("expert", "supervisor"), default="expert",
                        help="expert (default) or supervisor (a supervisor's code)")
    parser.add_argument("--name", help="your name, shown to the console (the code decides who is seated)")
    parser.add_argument("--data", metavar="DIR", help="this PC's data folder (default: the settings' data_folder)")
    parser.add_argument("--ca-fingerprint", metavar="FP",
                        help="the room CA fingerprint the check-in desk shows (\"BA6A FD58 …\"), checked before "
                             "this PC pins it on its first pairing")
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--cert", metavar="P12", help="check in with this PKCS#12 certificate file (its passphrase in "
                                                      "EVALROOM_CERT_PASSPHRASE)")
    chosen.add_argument("--token", action="store_true",
                        help="check in with the certificate on the USB key of the settings' pkcs11_module and "
                             "pkcs11_slot (the PIN is asked on the terminal, or read from EVALROOM_TOKEN_PIN)")
    parser.add_argument("--json", action="store_true", help="print the seat as one JSON line")
    parser.add_argument("--timeout", type=float, default=120.0, metavar="S",
                        help="seconds to wait for the console (default 120)")
    parser.set_defaults(handler=run, check=check)


def check(args: argparse.Namespace) -> None:
    from app.center.pairing_protocol import normalize_code
    from app.sync.client import check_url

    digits = normalize_code(args.code)
    if not (len(digits) == 6 and digits.isdigit()):
        raise UsageError(f"pair: --code {args.code!r}: give the 6 digits of the check-in desk")
    if args.hub:
        check_url(args.hub, "--hub")
    if not 1 <= args.timeout <= 3600:
        raise UsageError(f"pair: --timeout {args.timeout:g}: give 1 to 3600 seconds")


def _hub_url(args: argparse.Namespace) -> str:
    from app.services import hub_network
    from app.settings import current

    found = hub_network.find_hubs(args.hub or current().hub_url)
    if len(found) == 1:
        return found[0].url
    if not found:
        raise UsageError("pair: no room hub found on the LAN: give --hub URL (the check-in desk shows it)")
    raise UsageError(f"pair: {len(found)} room hubs answer on the LAN ({', '.join(h.url for h in found)}): "
                     "give --hub URL")


def _certificate(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The expert's certificate (``--cert`` or ``--token``), or None; a usage error names what is wrong."""
    import os

    from app.services.certificates import open_p12_certificate, open_token_certificate
    from app.settings import current

    if args.cert:
        secret = os.environ.get("EVALROOM_CERT_PASSPHRASE")
        if secret is None:
            raise UsageError("pair: --cert: set the certificate file's passphrase in EVALROOM_CERT_PASSPHRASE")
        return open_p12_certificate(Path(args.cert), secret)
    if args.token:
        pin = os.environ.get("EVALROOM_TOKEN_PIN")
        if pin is None:
            if not sys.stdin.isatty():
                raise UsageError("pair: --token: type the USB key's PIN on a terminal, or set EVALROOM_TOKEN_PIN")
            import getpass

            pin = getpass.getpass("USB Key PIN: ")
        return open_token_certificate(current(), pin)
    return None


def run(args: argparse.Namespace) -> int:
    from app.crypto import passphrases
    from app.services.paired import key_path
    from app.services.pairing import PairingRefused, pair
    from app.settings import current

    home = Path(args.data) if args.data else current().data_folder
    secret = passphrases.resolve(passphrases.ROOM, file=current().key_passphrase_file).secret
    cert = _certificate(args)  # opened before anything is asked of the hub: a wrong PIN spends no code
    url = _hub_url(args)
    try:
        seat = pair(home, url, args.code, secret, role=args.role, name=args.name, timeout=args.timeout,
                    ca_fingerprint=args.ca_fingerprint, cert=cert,
                    on_status=lambda status: print(f"evalroom pair: {status}", file=sys.stderr, flush=True))
    except PairingRefused as exc:  # said to the person at this PC in both languages
        print(f"evalroom pair: {exc.message('zh')} / {exc.message('en')}", file=sys.stderr)
        return exc.exit_code
    finally:
        if cert is not None and hasattr(cert, "close"):
            cert.close()
    if seat.cert_subject:
        print(f"evalroom pair: certificate {seat.cert_subject} bound at check-in", file=sys.stderr)
    if args.json:
        import json

        print(json.dumps({"hub_url": seat.hub_url, "session": seat.session, "member": seat.member, "role": seat.role,
                          "name": seat.name, "key_id": seat.key.key_id, "cafile": seat.cafile,
                          "key_path": str(key_path(home, seat.session)), "certificate": seat.cert_subject},
                         ensure_ascii=False))
        return EXIT_OK
    who = f"supervisor {seat.name}" if seat.role == "supervisor" else f"member {seat.member} {seat.name}"
    print(f"paired: {who} in session {seat.session} at {seat.hub_url}")
    print(f"key {seat.key.key_id[:16]} made on this PC, kept in {key_path(home, seat.session)}")
    if seat.cafile:
        from app.crypto.room_ca import fingerprint

        print(f"room CA pinned: {fingerprint(Path(seat.cafile).read_bytes())} ({seat.cafile})")
    return EXIT_OK
