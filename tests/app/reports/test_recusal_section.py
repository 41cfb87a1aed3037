"""The report's check-in section (DOMAIN.md §4.3): a recusal names the bidders the conflict is with and the
reserve who took the seat (R-SUS-1); a recusal recorded before bidders were named still prints."""

from __future__ import annotations

import hashlib
from pathlib import Path

import casebuilder as cb
from app.archive.textcheck import compact, pages_text
from app.crypto.keys import SigningKey
from app.reports import report
from app.reports.reproduce import context
from app.services.session import Session
from app.services.simulate import _package
from app.services.templates import commitment_letter

SHA = hashlib.sha256(b"photo").hexdigest()


def _session(tmp_path: Path, named: bool) -> Session:
    doc = cb.case()
    doc["reserves"] = [{"id": "R9", "name": "孙建华", "role": "expert"}]
    session = Session.create(tmp_path / "s.sqlite", "TEST-001-01", "test-room", _package(doc, None),
                             SigningKey.generate())
    session.advance("opening")
    session.read_bids()
    session.advance("checkin")
    letter = commitment_letter()
    keys = {m["id"]: SigningKey.generate() for m in doc["committee"]} | {"R9": SigningKey.generate()}
    for member, key in keys.items():
        if member == "R9":
            session.advance("committee")
            session.replace_member("E3", "R9")
        session.verify_identity(member, SHA, 1)
        session.check_in(member, key)
        session.sign_letter(key, member, letter.name, letter.version_sha256)
        if member != "E3":
            session.declare(key, member, conflict=False)
        elif named:
            session.declare(key, member, conflict=True, grounds=["director", "interest"], statement="任B2、B3董事",
                            bidders=["B2", "B3"])
            session.recuse(key, member, "任B2、B3董事", bidders=["B2", "B3"])
        else:  # the event format before the bidders were named
            session._act(key, "coi.declared",
                         {"member": member, "conflict": True, "grounds": ["director"], "statement": "任董事"})
            session._act(key, "recusal", {"member": member, "reason": "任董事"})
    return session


def _text(session: Session) -> str:
    return compact("".join(pages_text(report.render(context(session.state), session.store.events(), final=False))))


def test_the_report_names_the_bidders_of_a_recusal_and_the_replacement(tmp_path: Path) -> None:
    text = _text(_session(tmp_path, named=True))
    assert compact("有利害关系，回避（投标人B2、投标人B3）") in text
    assert compact("已回避，由孙建华补充") in text
    assert compact("评标委员会成员变更：专家3（E3）因与投标人B2、投标人B3存在利害关系回避，"
                   "由候补专家孙建华（R9）补充（R-SUS-1）") in text


def test_a_recusal_without_bidders_still_prints(tmp_path: Path) -> None:
    session = _session(tmp_path, named=False)
    assert session.state.rejections == [] and session.state.members["E3"].recused
    text = _text(session)
    assert compact("有利害关系，回避") in text and compact("有利害关系，回避（") not in text
    assert compact("评标委员会成员变更：专家3（E3）回避，由候补专家孙建华（R9）补充") in text
