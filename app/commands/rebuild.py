"""`evalroom rebuild SESSION_DB`: recreate every projection table from the ledger."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.commands.base import EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("rebuild", help="rebuild every projection of a session file from its ledger")
    parser.add_argument("db", metavar="SESSION_DB")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.store.ledger_store import LedgerStore

    with LedgerStore.open(Path(args.db)) as store:
        state = store.rebuild()
        print(f"rebuilt the projections of session {store.session_id} from {store.count()} events "
              f"(stage {state.stage}, {len(state.rejections)} rejected)")
    return EXIT_OK
