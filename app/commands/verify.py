"""`evalroom verify ARCHIVE`: the whole archive offline; exit 0 valid, 1 with every problem on stdout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.base import EXIT_INVALID, EXIT_OK, UsageError


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("verify", help="verify an archive offline: fixity, ledger, checkpoint, PDF seal, "
                                                "recordings, recomputed result")
    parser.add_argument("archive", metavar="ARCHIVE")
    parser.add_argument("--room-key", metavar="PEM", help="the room's public key (default: the copy in the archive)")
    parser.add_argument("--trust", action="append", default=[], metavar="CA.pem",
                        help="trust root for the report's PAdES seal and the members' and room's certificates "
                             "(repeatable; default: the archive's room-ca.pem for the seal); the settings' trust store "
                             "(trust_ca_files, trust_ca_folder, trust_crl_folder) is added for the certificates")
    parser.add_argument("--receipt", metavar="JSON",
                        help="the center's receipt of this archive (sync push's receipt.json): its timestamp token, "
                             "when the center stamped the archive, is checked too")
    parser.add_argument("--center-key", metavar="PEM", help="the center's public key the receipt must be signed by")
    parser.add_argument("--require-timestamp", action="store_true",
                        help="fail unless the bag signature carries an RFC 3161 timestamp, or --receipt one from the "
                             "center, whose TSA chains to a --trust root (a stripped token is then caught)")
    parser.add_argument("--full", action="store_true",
                        help="also check the SHA-512 manifest (reads every file once either way)")
    parser.add_argument("--no-rerender", action="store_true", help="skip re-rendering the report from the ledger")
    parser.set_defaults(handler=run)


def _receipt(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """(the receipt's JSON, the center key or None), read before anything is verified; None without --receipt."""
    if args.center_key and not args.receipt:
        raise UsageError("verify: --center-key goes with --receipt")
    if args.require_timestamp and not args.trust:
        raise UsageError("verify: --require-timestamp needs --trust with the TSA's CA (an unpinned TSA proves no time)")
    if not args.receipt:
        return None
    from app.center.receipts import load_receipt
    from app.crypto.keys import KeyFileError, VerifyingKey

    try:
        document = load_receipt(Path(args.receipt))
    except ValueError as exc:
        raise UsageError(f"verify: --receipt {exc}") from exc
    key = None
    if args.center_key:
        try:
            key = VerifyingKey.from_pem(Path(args.center_key).read_bytes())
        except OSError as exc:
            raise UsageError(f"verify: --center-key {args.center_key}: {exc.strerror}") from exc
        except (KeyFileError, ValueError) as exc:
            raise UsageError(f"verify: --center-key {args.center_key}: {exc}") from exc
    return document, key


def run(args: argparse.Namespace) -> int:
    from app.archive.verify import verify_archive
    from app.services.certificates import trust_from_settings
    from app.settings import current

    receipt = _receipt(args)
    store = trust_from_settings(current())  # the settings' CAs and CRLs (none configured: an empty store)
    if store:
        print(f"evalroom: note: members' and the room's certificates checked against the settings' trust store too "
              f"({len(store.roots)} CA, {len(store.crls)} CRL)", file=sys.stderr)
    verdict = verify_archive(Path(args.archive), Path(args.room_key) if args.room_key else None,
                             [Path(t) for t in args.trust], full=args.full, rerender=not args.no_rerender,
                             cert_trust=store if store or store.crls else None)
    if receipt is not None:
        from app.center.receipts import check_receipt
        from app.crypto.certs import load_pem_certificates

        roots = [c for t in args.trust for c in load_pem_certificates(Path(t))] if args.trust else None
        checked = check_receipt(Path(args.archive), receipt[0], receipt[1], roots)
        verdict.problems += checked.problems
        verdict.notes += checked.notes
        verdict.timestamped = verdict.timestamped or checked.stamped
    if args.require_timestamp and not verdict.timestamped:
        verdict.problems.append("timestamp: required (--require-timestamp), but neither the bag signature nor the "
                                "center's receipt carries a sound RFC 3161 timestamp from a trusted TSA")
    for note in verdict.notes:
        print(f"evalroom: note: {note}", file=sys.stderr)
    for warning in verdict.warnings:
        print(f"evalroom: warning: {warning}", file=sys.stderr)
    for problem in verdict.problems:
        print(problem)
    print(f"evalroom: {verdict.files} files, {verdict.events} events: {'valid' if verdict.ok else 'INVALID'}",
          file=sys.stderr)
    return EXIT_OK if verdict.ok else EXIT_INVALID
