"""`evalroom evaluate CASE.json [--bidder-keys DIR]`: the rule engine, headless (spec/case-format.md)."""

from __future__ import annotations

import argparse
import sys

from app.commands.base import EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("evaluate", help="run the rule engine on a case file; result JSON on stdout")
    parser.add_argument("case", metavar="CASE.json")
    parser.add_argument("--bidder-keys", metavar="DIR",
                        help="a package with encrypted bid files: the bidders' keys (<bidder id>.p12 and/or "
                             "<bidder id>.passphrase); a bidder with none presents no key (R-OPEN-10: revoked)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.services.evaluation import dump_result, evaluate_file

    keys = Path(args.bidder_keys) if args.bidder_keys else None
    sys.stdout.write(dump_result(evaluate_file(args.case, bidder_keys=keys)))
    return EXIT_OK
