"""`evalroom publish ARCHIVE --out DIR`: the result notice, the members' performance records and the hand-over
package, from a verified archive (app/services/publication.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.commands.base import EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("publish", help="from a verified archive: the result notice (中标候选人公示, PDF and "
                                                 "JSON), each member's performance record (R-CRD-5) and the hand-over "
                                                 "package for the tenderer/agency")
    parser.add_argument("archive", metavar="ARCHIVE", help="a BagIt archive written by `evalroom archive build`")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for notice.json, notice.pdf, "
                                                                   "performance.json and handover.zip")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.services.publication import publish

    done = publish(Path(args.archive), Path(args.out))
    for path in done.files:
        print(path)
    candidates = ", ".join(f"{c['order']}. {c['bidder']} {c['name']}" for c in done.notice["candidates"]) or "none"
    print(f"{done.notice['title']}: {candidates}")
    return EXIT_OK
