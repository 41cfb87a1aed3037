"""`evalroom verify-recording DIR`: segments decode, hashes match the feed, gaps only where faults are recorded."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.base import EXIT_INVALID, EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("verify-recording",
                                 help="check a folder written by `evalroom record`; problems on stdout")
    parser.add_argument("dir", metavar="DIR")
    parser.add_argument("--key", metavar="PEM", help="the recorder's public key (default: DIR/keys/recorder.pub.pem)")
    parser.add_argument("--tolerance", type=int, metavar="MS",
                        help="largest uncovered gap accepted, in ms (default: the recorder's stall time + 1000)")
    parser.add_argument("--no-ffprobe", action="store_true", help="count frames with PyAV only")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.recording.verify import verify_recording

    report = verify_recording(Path(args.dir), Path(args.key) if args.key else None, args.tolerance,
                              probe=not args.no_ffprobe)
    for note in report.notes:
        print(f"evalroom: note: {note}", file=sys.stderr)
    for problem in report.problems:
        print(problem)
    sound = f", {report.sound_seconds:.1f} s of sound" if report.sound_seconds else ""
    print(f"evalroom: {report.segments} segments, {report.frames} frames, {report.seconds:.1f} s{sound}, "
          f"{report.faults} faults: {'valid' if report.ok else 'INVALID'}", file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_INVALID
