"""Fold handlers of the committee members' events: recusal, verdicts, scores, submissions, the chair's
decisions, report signatures. Mixed into :class:`app.ledger.fold.Folder`; the rules are in
``permissions.py``, the score checks in the rule engine (``app.domain.scoring``).
"""

from __future__ import annotations

from typing import Any

from app.domain.case import LOW_PRICE_DECISIONS
from app.domain.case_parse import parse_decimal  # the one source of the decimal-string rule
from app.domain.errors import CaseError
from app.domain.scoring import ScoreProblem, check_score  # the one source of score rules (range, step)
from app.ledger import permissions as P
from app.ledger.events import SignedEvent
from app.ledger.refusal import Refused, bidder_list
from app.ledger.refusal import check as _check
from app.ledger.refusal import text as _text
from app.ledger.state import ROOM, Author, SessionState

Tag = tuple[Any, ...]


class CommitteeFold:
    state: SessionState
    _score_checks: dict[tuple[str, str], str | None]

    def _recusal(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        state = self.state
        member_id = _text(ev.body, "member")
        if author.role != ROOM:
            _check(P.own_sheet(author, member_id, "recusal"))
        _check(P.need_stage(state, *P.SEATING_STAGES))
        member = state.members.get(member_id)
        if member is None or member.recused:
            raise Refused(f"{member_id} is not an active member of the committee")
        bidder_list(ev.body, state.bidders)  # optional: the bidders the conflict is with
        if member_id == state.chair:
            state.chair = None
        member.recused, member.chair = True, False
        tags: set[Tag] = {("session",), ("member", member_id)}
        if member.author is not None:
            state.authors[member.author].revoked = True
            tags.add(("author", member.author))
        return tags

    def _verdict(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        state = self.state
        member_id = _text(ev.body, "member")
        _check(P.own_sheet(author, member_id, "verdicts"))
        _check(P.need_stage(state, "preliminary"))
        _check(P.may_evaluate(state, member_id))
        bidder = self._bidder(ev.body)
        passed = ev.body.get("pass")
        if not isinstance(passed, bool):
            raise Refused("body.pass must be true or false")
        reason = ev.body.get("reason")
        if reason is not None and not isinstance(reason, str):
            raise Refused("body.reason must be a string")
        verdict: dict[str, Any] = {"pass": passed}
        if reason is not None:
            verdict["reason"] = reason
        state.verdicts.setdefault(member_id, {})[bidder] = verdict
        return {("verdict", member_id, bidder)}

    def _score_set(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        state = self.state
        expert = _text(ev.body, "expert")
        _check(P.own_sheet(author, expert, "scores"))
        _check(P.scoring_open(state, expert))
        _check(P.may_evaluate(state, expert))
        bidder = self._bidder(ev.body)
        criterion_id = _text(ev.body, "criterion")
        criterion = state.criteria.get(criterion_id)
        if criterion is None:
            raise Refused(f"unknown criterion {criterion_id!r}")
        score = ev.body.get("score")
        where = f"scores.{expert}.{bidder}.{criterion_id}"
        if not isinstance(score, str):
            raise Refused(f"{where}: {score!r} is not a decimal string")
        verdict = self._score_checks.get((criterion_id, score), "")
        if verdict == "":  # the check is pure, and a session uses few distinct values: remember them
            try:
                check_score(criterion, score)
                verdict = None
            except ScoreProblem as problem:
                verdict = problem.en
            self._score_checks[(criterion_id, score)] = verdict
        if verdict is not None:
            raise Refused(f"{where}: {verdict}")
        comment = ev.body.get("comment")
        if comment is not None and not isinstance(comment, str):
            raise Refused("body.comment must be a string")
        state.scores.setdefault(expert, {}).setdefault(bidder, {})[criterion_id] = score
        comments = state.score_comments.setdefault(expert, {}).setdefault(bidder, {})
        if comment:  # the reason for a deduction (扣分理由), shown in the score sheet
            comments[criterion_id] = comment
        else:
            comments.pop(criterion_id, None)
        return {("score", expert, bidder, criterion_id)}

    def _submitted(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        expert = _text(ev.body, "expert")
        _check(P.own_sheet(author, expert, "submission"))
        _check(P.scoring_open(self.state, expert))
        self.state.members[expert].submitted = True
        return {("member", expert)}

    def _reopened(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        state = self.state
        _check(P.need_chair(state, author))
        _check(P.need_stage(state, "scoring"))
        expert = _text(ev.body, "expert")
        member = state.members.get(expert)
        if member is None or not member.submitted:
            raise Refused(f"{expert} has no submitted sheet to reopen")
        member.submitted = False
        return {("member", expert)}

    def _low_price(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_chair(self.state, author))
        _check(P.need_stage(self.state, *P.DECISION_STAGES))
        bidder = self._bidder(ev.body)
        decision = ev.body.get("decision")
        if decision not in LOW_PRICE_DECISIONS:
            raise Refused(f"unknown decision {decision!r} (expected rejected or accepted)")
        self.state.low_price_decisions[bidder] = decision
        return {("decision", bidder)}

    def _adjustment(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_chair(self.state, author))
        _check(P.need_stage(self.state, *P.DECISION_STAGES))
        bidder = self._bidder(ev.body)
        amount = ev.body.get("amount")
        try:
            parse_decimal(amount, f"adjustments.{bidder}.amount")
        except CaseError as exc:
            raise Refused(str(exc)) from exc
        reason = ev.body.get("reason", "")
        if not isinstance(reason, str):
            raise Refused("body.reason must be a string")
        self.state.adjustments.setdefault(bidder, []).append({"amount": str(amount), "reason": reason})
        return {("adjustment", bidder)}

    def _report_signed(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        member_id = _text(ev.body, "member")
        _check(P.own_sheet(author, member_id, "report signature"))
        _check(P.need_stage(self.state, "report"))
        self.state.report_signatures[member_id] = _text(ev.body, "sha256")
        return {("signature", member_id)}

    def _bidder(self, body: dict[str, Any]) -> str:
        bidder = _text(body, "bidder")
        if bidder not in self.state.bidders:
            raise Refused(f"unknown bidder {bidder!r}")
        return bidder
