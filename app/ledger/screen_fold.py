"""Fold handlers of the collusion screen (办法 §21): the room records the screen's findings once, after the bids
are read at opening; the chair records the committee's decision on each finding. Mixed into
:class:`app.ledger.fold.Folder`."""

from __future__ import annotations

from typing import Any

from app.domain.collusion import finding_problem
from app.ledger import permissions as P
from app.ledger.events import SignedEvent
from app.ledger.refusal import Refused
from app.ledger.refusal import check as _check
from app.ledger.refusal import text as _text
from app.ledger.state import Author, SessionState

Tag = tuple[Any, ...]


class ScreenFold:
    state: SessionState

    def _screened(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        state = self.state
        _check(P.need_room(author))
        _check(P.need_stage(state, "opening"))
        if state.opening is None:
            raise Refused("the bids have not been read yet (the screen runs on the bids opened)")
        if state.screen is not None:
            raise Refused("the bids were already screened at this opening")
        findings = ev.body.get("findings")
        if not isinstance(findings, list):
            raise Refused("body.findings must be a list")
        for index, item in enumerate(findings):
            problem = finding_problem(item, state.bidders)
            if problem is not None:
                raise Refused(f"body.findings[{index}]: {problem}")
        documents = ev.body.get("documents")
        if not isinstance(documents, int) or isinstance(documents, bool) or documents < 0:
            raise Refused("body.documents must be the number of bid files screened")
        state.screen = {"event": ev.id, "time": ev.time, "documents": documents,
                        "findings": [dict(f, bidders=list(f["bidders"])) for f in findings], "decisions": {}}
        return {("session",)}

    def _screen_decided(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        state = self.state
        _check(P.need_chair(state, author))
        _check(P.need_stage(state, *P.DECISION_STAGES))
        if state.screen is None:
            raise Refused("the bids were not screened: there is no finding to decide on")
        index = ev.body.get("finding")
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(state.screen["findings"]):
            raise Refused(f"unknown finding {index!r}")
        collusion = ev.body.get("collusion")
        if not isinstance(collusion, bool):
            raise Refused("body.collusion must be true or false")
        reason = _text(ev.body, "reason").strip()
        if not reason:
            raise Refused("body.reason must give the committee's reasons")
        state.screen["decisions"][index] = {"event": ev.id, "time": ev.time, "collusion": collusion,
                                            "reason": reason}
        return {("session",)}
