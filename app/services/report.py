"""Report use cases: draft, members' acts, finalize; every document of a session; reproduce the report.

The report is reproducible from the ledger: the draft is rendered from the state *just before* the
``report.drafted`` event, the final from the state just before ``report.finalized`` (with the draft's
events for the times it prints). ``reproduce`` does exactly that on any set of events, which is how the
archive is built from a ``simulate`` folder and how ``evalroom verify`` recomputes what was signed.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.crypto.keys import SigningKey
from app.ledger.events import SignedEvent
from app.ledger.fold import fold
from app.ledger.report_fold import active_members
from app.ledger.state import SessionState
from app.reports import letters, opening, report, sheets
from app.reports.context import Context
from app.services.session import Session


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def context(state: SessionState, images: Mapping[str, bytes] | None = None) -> Context:
    return Context(state, state.result(), dict(images or {}))


def _ordered(events: Iterable[SignedEvent]) -> list[SignedEvent]:
    return sorted(events, key=SignedEvent.order_key)


def _before(events: list[SignedEvent], event_id: str, room_author: str | None) -> tuple[SessionState, list[SignedEvent]]:
    index = next(i for i, ev in enumerate(events) if ev.id == event_id)
    prefix = events[:index]
    return fold(prefix, room_author), prefix


# -- at the console --------------------------------------------------------------------------------
def draft(session: Session) -> bytes:
    """Render the draft from the ledger and record its SHA-256 (report.drafted); members sign that hash."""
    events = _ordered(session.store.events())
    ctx = context(session.state)
    pdf = report.render(ctx, events, final=False)
    session.draft_report(sha256(pdf), ctx.checkpoint())
    return pdf


def finalize(session: Session) -> bytes:
    """When every member has acted: render the final report (with the signature page) and record it."""
    state = session.state
    assert state.report.draft_event is not None, "no report draft"
    events = _ordered(session.store.events())
    _, draft_events = _before(events, state.report.draft_event, state.room_author)
    pdf = report.render(context(state), draft_events, final=True)
    session.finalize_report(state.report.draft or "", sha256(pdf), len(pdf))
    return pdf


def demo_signature(name: str) -> bytes:
    """A stand-in handwritten signature (PNG, transparent): the name drawn in the CJK face, slanted."""
    from PIL import Image, ImageDraw, ImageFont

    from app.paths import CJK_FONT

    font = ImageFont.truetype(str(CJK_FONT), 56)
    width = int(font.getlength(name)) + 60
    image = Image.new("LA", (max(200, width), 110), (0, 0))
    ImageDraw.Draw(image).text((12, 18), name, font=font, fill=(20, 255))
    image = image.transform(image.size, Image.Transform.AFFINE, (1, 0.25, -12, 0, 1, 0))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def sign_all(session: Session, keys: Mapping[str, SigningKey], dissent: Mapping[str, str] | None = None,
             refuse: Mapping[str, str] | None = None) -> tuple[bytes, bytes]:
    """The report stage played headless (simulate, tests): draft, every member acts, finalize."""
    pdf = draft(session)
    digest = sha256(pdf)
    state = session.state
    for member in active_members(state):
        if refuse and member in refuse:
            session.note_refusal(member, refuse[member])
            continue
        image = base64.b64encode(demo_signature(state.members[member].name)).decode("ascii")
        if dissent and member in dissent:
            session.dissent_report(keys[member], member, digest, dissent[member], image)
        else:
            session.sign_report_image(keys[member], member, digest, image)
    return pdf, finalize(session)


# -- anywhere: from the events alone ---------------------------------------------------------------
@dataclass
class Reproduced:
    draft: bytes | None
    final: bytes | None
    state: SessionState


def reproduce(events: Iterable[SignedEvent], room_author: str | None, images: Mapping[str, bytes] | None = None) -> Reproduced:
    """Re-render the draft and the final report from the ledger (see the module docstring)."""
    ordered = _ordered(events)
    state = fold(ordered, room_author)
    rep = state.report
    if rep.draft_event is None:
        return Reproduced(None, None, state)
    draft_state, draft_events = _before(ordered, rep.draft_event, room_author)
    draft_pdf = report.render(context(draft_state, images), draft_events, final=False)
    final_pdf = None
    if rep.final_event is not None:
        final_state, _ = _before(ordered, rep.final_event, room_author)
        final_pdf = report.render(context(final_state, images), draft_events, final=True)
    return Reproduced(draft_pdf, final_pdf, state)


def documents(state: SessionState, images: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """The session's other documents, by archive file name (deterministic from the state)."""
    ctx = context(state, images)
    out = {"opening-record.pdf": opening.render(ctx), "score-sheets.pdf": sheets.render_sheets(ctx),
           "summary.pdf": sheets.render_summary(ctx)}
    letter_pdf = letters.render(ctx)
    if letter_pdf is not None:
        out["commitment-letters.pdf"] = letter_pdf
    return out
