"""Re-render a session's documents from its events alone: how the archive is built from a ``simulate`` folder and
how ``evalroom verify`` recomputes what was signed.

The report is reproducible from the ledger: the draft is rendered from the state *just before* the
``report.drafted`` event (the events its ``covers`` frontier names), the final from the state just before
``report.finalized`` (with the draft's events for the times it prints).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.ledger.events import SignedEvent
from app.ledger.fold import fold
from app.ledger.state import SessionState
from app.reports.context import Context

# the renderers (reportlab, 0.3 s to import) load when a document is rendered, not with the helpers above, which
# the pages' snapshot and the report desk's checks use from the first window on


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def context(state: SessionState, images: Mapping[str, bytes] | None = None) -> Context:
    return Context(state, state.result(), dict(images or {}))


def ordered(events: Iterable[SignedEvent]) -> list[SignedEvent]:
    return sorted(events, key=SignedEvent.order_key)


def before(events: list[SignedEvent], event_id: str,
            room_author: str | None) -> tuple[SessionState, list[SignedEvent]]:
    """The events a report event was rendered from: those its ``covers`` names (the console's frontier when it
    rendered: with PCs on a LAN, an event stamped earlier may arrive after the rendering), else, in ledgers made
    before ``covers``, every event ordered before it."""
    index = next(i for i, ev in enumerate(events) if ev.id == event_id)
    covers = events[index].body.get("covers")
    if isinstance(covers, dict):
        prefix = [ev for ev in events if ev.id != event_id and ev.seq <= int(covers.get(ev.author, 0) or 0)]
    else:
        prefix = events[:index]
    return fold(prefix, room_author), prefix


# -- anywhere: from the events alone---------------------------------------------------------------
@dataclass
class Reproduced:
    draft: bytes | None
    final: bytes | None
    state: SessionState


def reproduce(events: Iterable[SignedEvent], room_author: str | None,
              images: Mapping[str, bytes] | None = None) -> Reproduced:
    """Re-render the draft and the final report from the ledger (see the module docstring)."""
    from app.reports import report

    events = ordered(events)
    state = fold(events, room_author)
    rep = state.report
    if rep.draft_event is None:
        return Reproduced(None, None, state)
    draft_state, draft_events = before(events, rep.draft_event, room_author)
    draft_pdf = report.render(context(draft_state, images), draft_events, final=False)
    final_pdf = None
    if rep.final_event is not None:
        final_state, _ = before(events, rep.final_event, room_author)
        final_pdf = report.render(context(final_state, images), draft_events, final=True)
    return Reproduced(draft_pdf, final_pdf, state)


def documents(state: SessionState, images: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """The session's other documents, by archive file name (deterministic from the state)."""
    from app.reports import letters, opening, sheets

    ctx = context(state, images)
    out = {"opening-record.pdf": opening.render(ctx), "score-sheets.pdf": sheets.render_sheets(ctx),
           "summary.pdf": sheets.render_summary(ctx)}
    letter_pdf = letters.render(ctx)
    if letter_pdf is not None:
        out["commitment-letters.pdf"] = letter_pdf
    return out
