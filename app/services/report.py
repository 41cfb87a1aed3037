"""Report use cases: draft, members' acts, finalize, at the console's report desk.

What is rendered is reproducible from the ledger alone (:mod:`app.reports.reproduce`): the desk renders exactly
what ``reproduce`` renders again from the same events.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.crypto.keys import SigningKey
from app.errors import Bilingual
from app.ledger.events import SignedEvent
from app.ledger.report_fold import active_members, extension_required
from app.ledger.state import SessionState
from app.reports.reproduce import before, context, ordered, reproduce, sha256
from app.services.session import Session


# -- at the console --------------------------------------------------------------------------------
def draft(session: Session) -> bytes:
    """Render the draft from the ledger and record its SHA-256 (report.drafted); members sign that hash."""
    from app.reports import report  # the renderer (reportlab, 0.3 s to import) loads when a report is rendered

    covers = session.store.frontier()  # exactly what this rendering read (reproduce reads the same)
    events = ordered(session.store.events())
    ctx = context(session.state)
    pdf = report.render(ctx, events, final=False)
    session.draft_report(sha256(pdf), ctx.checkpoint(), covers)
    return pdf


def finalize(session: Session) -> bytes:
    """When every member has acted: render the final report (with the signature page) and record it."""
    state = session.state
    assert state.report.draft_event is not None, "no report draft"
    covers = session.store.frontier()
    events = ordered(session.store.events())
    _, draft_events = before(events, state.report.draft_event, state.room_author)
    from app.reports import report

    pdf = report.render(context(state), draft_events, final=True)
    session.finalize_report(state.report.draft or "", sha256(pdf), len(pdf), covers)
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


# -- the room console's report desk (the GUI calls it on its database thread) ----------------------
@dataclass(frozen=True)
class MemberAct:
    member: str
    name: str
    act: str  # "pending", "signed", "dissent" (with reasons) or "refused" (R-SIG-3: agreement, with a note)
    detail: str = ""


@dataclass(frozen=True)
class ReportStatus:
    """Where the report stands, copied out of the state for the GUI."""

    draft: str | None
    final: str | None
    locked: str | None
    acts: tuple[MemberAct, ...]
    archived: bool
    # R-SCR-6: pending requests for more time (member, name, time, reason), the decisions, and n
    time_requests: tuple[tuple[str, str, str, str], ...] = ()
    time_decisions: tuple[dict[str, Any], ...] = ()
    members: int = 0

    @property
    def extension_required(self) -> bool:
        return extension_required(len(self.time_requests), self.members)

    @property
    def waiting(self) -> list[str]:
        return [a.member for a in self.acts if a.act == "pending"]

    def act_of(self, member: str) -> MemberAct | None:
        return next((a for a in self.acts if a.member == member), None)


def report_status(state: SessionState) -> ReportStatus:
    rep = state.report
    acts = []
    for member in active_members(state):
        name = state.members[member].name
        if member in rep.dissents:
            acts.append(MemberAct(member, name, "dissent", rep.dissents[member]))
        elif member in rep.signed:
            acts.append(MemberAct(member, name, "signed"))
        elif member in rep.refusals:
            acts.append(MemberAct(member, name, "refused", rep.refusals[member]))
        else:
            acts.append(MemberAct(member, name, "pending"))
    requests = tuple((m, state.members[m].name if m in state.members else m, r["time"], r["reason"])
                     for m, r in state.extension_requests.items())
    decisions = tuple({k: v for k, v in d.items() if k != "requests"} for d in state.extensions)
    return ReportStatus(rep.draft, rep.final, rep.locked, tuple(acts), state.stage == "archived", requests, decisions,
                        len(active_members(state)))


class ReportDesk:
    """Draft, members' acts, finalize and the archive for one open session; the PDFs are kept in the
    session folder (``report-draft.pdf``, ``report.pdf``) so a preview never re-renders."""

    def __init__(self, session: Session, folder: Path, keys_dir: Path, passphrase: bytes) -> None:
        self.session, self.folder, self.keys_dir, self.passphrase = session, folder, keys_dir, passphrase

    def draft(self) -> str:
        """From the summary: enter the report stage, render the draft, record its SHA-256; returns it."""
        if self.session.state.stage == "summary":
            self.session.advance("report")
        pdf = draft(self.session)
        write_atomic(self.folder / "report-draft.pdf", pdf)
        return sha256(pdf)

    def pdf(self, final: bool = False) -> bytes:
        """The current draft (or the final report) as recorded in the ledger."""
        state = self.session.state
        expected = state.report.final if final else state.report.draft
        if expected is None:
            if final:
                raise ReportDeskError(key="report.no_final")
            raise ReportDeskError(key="report.no_draft")
        path = self.folder / ("report.pdf" if final else "report-draft.pdf")
        data = path.read_bytes() if path.is_file() else b""
        fetched = self.folder / "media" / f"remote-{expected}.pdf"  # a member's PC: the console's, from the hub
        if sha256(data) != expected and fetched.is_file() and sha256(fetched.read_bytes()) == expected:
            data = fetched.read_bytes()
            write_atomic(path, data)
        if sha256(data) != expected:  # kept file lost or stale: render again from the ledger
            again = reproduce(self.session.store.events(), state.room_author)
            data = (again.final if final else again.draft) or b""
            if sha256(data) != expected:
                raise ReportDeskError(key="report.not_reproducible")
            write_atomic(path, data)
        return data

    def sign(self, key: SigningKey, member: str, seen: str, png: bytes, reasons: str | None = None) -> None:
        """The member signs the draft he was shown (``seen``: its SHA-256), with the handwritten image;
        with ``reasons`` it is a dissent (R-SIG-2). The fold refuses a key signing for another member."""
        if not png.startswith(b"\x89PNG"):
            raise ReportDeskError(key="report.no_signature")
        if reasons is not None and not reasons.strip():
            raise ReportDeskError(key="report.dissent_needs_reasons")
        image = base64.b64encode(png).decode("ascii")
        if reasons is None:
            self.session.sign_report_image(key, member, seen, image)
        else:
            self.session.dissent_report(key, member, seen, reasons.strip(), image)

    def refuse(self, member: str, note: str) -> None:
        """R-SIG-3: the member refuses without reasons; the committee's note (recorded by the room)."""
        if not note.strip():
            raise ReportDeskError(key="report.refusal_note_missing")
        self.session.note_refusal(member, note.strip())

    def finalize(self) -> str:
        pdf = finalize(self.session)
        write_atomic(self.folder / "report.pdf", pdf)
        return sha256(pdf)


class ReportDeskError(Bilingual):
    """A report action that cannot be done; ``zh`` is shown to the room."""


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


# -- R-SCR-6: the evaluation time ------------------------------------------------------------------
def request_extension(session: Session, key: SigningKey, member: str, reason: str = "") -> SignedEvent:
    """A member says the evaluation time is insufficient (with his own key)."""
    return session._act(key, "time.extension_requested", {"member": member, "reason": reason.strip()})


def decide_extension(session: Session, granted: bool, minutes: int, reason: str) -> SignedEvent:
    """The tenderer's decision, recorded by the room console; refusing is refused when more than a third
    of the members asked (the fold decides, R-SCR-6)."""
    body: dict[str, object] = {"granted": granted, "reason": reason.strip()}
    if granted:
        body["minutes"] = minutes
    return session._act(session.room_key, "time.extension_decided", body)
