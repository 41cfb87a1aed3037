"""`evalroom archive build DIR --out BAGDIR`: the session's signed BagIt 1.0 archive (spec/cli.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.base import EXIT_INVALID, EXIT_OK, UsageError, read_passphrase_file


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("archive", help="build the session archive (BagIt 1.0, signed)")
    sub = parser.add_subparsers(dest="archive_command", required=True)
    build = sub.add_parser("build", help="DIR = a folder written by `simulate`; writes the bag at --out")
    build.add_argument("dir", metavar="DIR")
    build.add_argument("--out", required=True, metavar="BAGDIR")
    build.add_argument("--passphrase-file", metavar="FILE",
                       help="passphrase of the room key (default: $EVALROOM_KEY_PASSPHRASE, the settings' "
                            "key_passphrase_file, the OS keyring; the demo passphrase for a simulate folder's key)")
    build.add_argument("--no-segments", action="store_true",
                       help="archive the recording manifest only, not the segments (stated in bag-info.txt)")
    build.add_argument("--no-bid-files", action="store_true",
                       help="archive the bid files' hashes only (bids/manifest.json), not the files")
    build.add_argument("--tsa", metavar="URL",
                       help="RFC 3161 time-stamping authority for the report seal (PAdES B-T) and the bag signature "
                            "(default: the settings' tsa_url; \"\" for none)")
    build.add_argument("--retention-years", type=int, metavar="N",
                       help="retention from the session's end (default: the settings' retention_years, 15)")
    build.set_defaults(handler=run)
    delete = sub.add_parser("delete", help="delete an archive after its retention (refused before; logged)")
    delete.add_argument("bagdir", metavar="BAGDIR")
    delete.add_argument("--reason", required=True, help="why (written to the destruction log)")
    delete.add_argument("--log", metavar="FILE", help="destruction log (default: destruction-log.jsonl beside BAGDIR)")
    delete.set_defaults(handler=run_delete)


def run(args: argparse.Namespace) -> int:
    from app.services.archive import ArchiveError, build_archive

    passphrase = read_passphrase_file(args.passphrase_file)
    from app.settings import current

    if args.retention_years is None:
        args.retention_years = current().retention_years  # validated there: 15 to 100
    if args.retention_years < 15:
        raise UsageError("--retention-years: at least 15 (DOMAIN.md §5)")
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"--out {out}: already exists and is not empty")
    tsa_url = current().tsa_url
    if args.tsa is not None:
        from app.settings import SettingsError, with_values

        try:
            tsa_url = with_values(current(), tsa_url=args.tsa).tsa_url
        except SettingsError as exc:
            raise UsageError(f"--tsa {args.tsa!r}: not an http:// or https:// URL") from exc
    try:
        built = build_archive(Path(args.dir), out, passphrase, include_segments=not args.no_segments,
                              years=args.retention_years, passphrase_file=current().key_passphrase_file,
                              include_bid_files=not args.no_bid_files, tsa_url=tsa_url)
    except ArchiveError as exc:
        if exc.exit_code != EXIT_INVALID:
            raise
        for problem in exc.problems:
            print(problem)
        print(f"evalroom: archive not built: {exc}", file=sys.stderr)
        return EXIT_INVALID
    if built.demo_passphrase:
        print(f"evalroom: note: {args.dir}: the room key of this simulate folder is under the public demo passphrase "
              "(test tooling)", file=sys.stderr)
    if built.timestamp_missing and tsa_url:
        print(f"evalroom: note: no timestamp: {built.timestamp_missing} (recorded in the archive; the center stamps it "
              "on receipt)", file=sys.stderr)
    stamped = ", timestamped (RFC 3161)" if built.timestamped else ""
    print(f"evalroom: archive {built.bagdir}: {built.files} files{stamped}, retained until {built.retention_until}",
          file=sys.stderr)
    return EXIT_OK


def run_delete(args: argparse.Namespace) -> int:
    from app.archive.retention import RetentionError, delete_archive

    bag = Path(args.bagdir)
    if not (bag / "bagit.txt").is_file():
        raise UsageError(f"archive delete: {bag}: not a BagIt bag")
    try:
        log = delete_archive(bag, args.reason, log=Path(args.log) if args.log else None)
    except RetentionError as exc:
        print(str(exc))
        return EXIT_INVALID
    print(f"evalroom: {bag} deleted; logged in {log}", file=sys.stderr)
    return EXIT_OK
