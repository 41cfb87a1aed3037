"""The report is reproduced from exactly the events it was rendered from (``covers``: the console's frontier when
it rendered). On a LAN an event stamped earlier can reach the console after the draft was rendered (a supervisor's
incident written on the supervisor's own PC while its link was slow): the draft must still be reproducible, so the
members' signatures and the archive name the same PDF."""

from __future__ import annotations

import shutil
from pathlib import Path

import ledgerkit
from app.reports.reproduce import reproduce, sha256
from app.services.report import draft, sign_all
from app.services.session import Session
from app.store.ledger_store import LedgerStore
from app.sync.replica import PullResult, ingest_events


def test_an_event_stamped_before_the_draft_but_arriving_after_it_leaves_the_draft_reproducible(tmp_path: Path) -> None:
    folder = tmp_path / "console"
    folder.mkdir()
    kit = ledgerkit.start(folder)
    kit.score_all()
    kit.session.advance("summary")
    kit.session.advance("report")
    store = kit.session.store
    pc_file = tmp_path / "supervisor-pc.sqlite"  # the supervisor's PC holds its own replica
    for suffix in ("", "-wal", "-shm"):  # the file as it stands, its write-ahead log too
        if Path(f"{store.path}{suffix}").exists():
            shutil.copy(f"{store.path}{suffix}", f"{pc_file}{suffix}")
    pc = LedgerStore.open(pc_file)
    late = Session(pc, kit.supervisor).record_incident(kit.supervisor, "第二评标室空调故障，已处理")

    pdf = draft(kit.session)  # the console renders before the incident reaches it
    result = PullResult()
    ingest_events(store, [late], result)
    assert result.ingested == 1 and late.order_key() < next(
        ev for ev in store.events() if ev.type == "report.drafted").order_key()

    again = reproduce(store.events(), kit.state.room_author)
    assert again.draft is not None and sha256(again.draft) == sha256(pdf) == kit.state.report.draft

    _, final = sign_all(kit.session, kit.members)  # drafted again, signed, finalized: the final reproduces too
    again = reproduce(store.events(), kit.state.room_author)
    assert again.final is not None and sha256(again.final) == kit.state.report.final == sha256(final)
    pc.close()
