"""`evalroom evaluate CASE.json`: the rule engine, headless (spec/case-format.md)."""

from __future__ import annotations

import argparse
import sys

from app.commands.base import EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("evaluate", help="run the rule engine on a case file; result JSON on stdout")
    parser.add_argument("case", metavar="CASE.json")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.services.evaluation import dump_result, evaluate_file

    sys.stdout.write(dump_result(evaluate_file(args.case)))
    return EXIT_OK
