"""The whole rule engine: a validated :class:`Case` in, a :class:`Result` out (spec/case-format.md)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from . import anomalies, committee, decryption, opening, price, validity
from .averaging import item_score
from .case import Bidder, Case
from .exact import exact, to_decimal
from .profiles import LOWEST_PRICE_TIE_BREAK, RuleProfile, profile_for
from .ranking import Contender, rank
from .result import BidderResult, Flag, Reason, Result


def evaluate(case: Case) -> Result:
    """Apply every rule in the order of the session: opening, committee, validity, scores, ranking."""
    profile = profile_for(case.profile, case.overlay)
    results = {b.id: BidderResult(id=b.id, name=b.name, valid=True) for b in case.bidders}
    result = Result(status="ranked", bidders=list(results.values()))

    # 1. Opening: late bids refused (R-OPEN-2); fewer than 3 → no opening (R-OPEN-3).
    opened = [b for b in case.bidders if not opening.is_late(b, case.deadline)]
    for bidder in case.bidders:
        if opening.is_late(bidder, case.deadline):
            _invalidate(results[bidder.id], opening.late_reason(bidder, case.deadline))
    refusal = opening.opening_refusal(len(opened), profile.min_bids_to_open)
    if refusal is not None:
        for bidder in opened:
            _invalidate(results[bidder.id], f"{refusal.rule}: 不得开标 / not opened")
        return _stop(result, "opening_refused", [refusal])
    # R-OPEN-10: a bid whose files could not be decrypted is deemed revoked or withdrawn; the opening goes on.
    for bidder in opened:
        failure = case.decryption.get(bidder.id)
        if failure is not None:
            why = decryption.exclusion_reason(failure.outcome, failure.cause)
            _invalidate(results[bidder.id], f"{why.rule}: {why.message}")
            results[bidder.id].excluded = failure.outcome
    opened = [b for b in opened if b.id not in case.decryption]

    # 2. Committee composition and chair (R-COM-*).
    problems = committee.check_composition(case.committee, profile, case.project.budget)
    if problems:
        return _stop(result, "committee_invalid", problems)

    # 3. Validity: preliminary majority, maximum price, low-price decisions.
    valid, invalid = validity.split_valid(case, opened, profile)
    for bidder_id, reason in invalid.items():
        _invalidate(results[bidder_id], reason)
    if len(valid) < profile.min_valid_bidders:
        shortfall = Reason(
            profile.insufficient_rule,
            f"通过评审的有效投标人不足{profile.min_valid_bidders}家（{len(valid)}家） / "
            f"fewer than {profile.min_valid_bidders} valid bids ({len(valid)})",
        )
        if profile.stop_when_insufficient:
            return _stop(result, "insufficient_bidders", [shortfall])
        result.flags.append(Flag.of("insufficient_competition", rule=profile.insufficient_rule, valid_count=len(valid)))

    # 4. Abnormally low prices among the valid bids (R-LOW-1/2).
    result.flags.extend(anomalies.low_price_flags(valid, case.low_price_decisions, case.method.low_price_alert_pct,
                                                  profile.low_price_rule))

    if case.method.kind == "lowest_price":
        contenders = _lowest_price(case, valid, profile, results)
        chain = case.method.tie_break if case.method.tie_break is not None else LOWEST_PRICE_TIE_BREAK
    else:
        blocked = _check_scores(case, valid, result)
        if blocked:
            return _stop(result, "blocked", blocked)
        contenders = _comprehensive(case, valid, profile, results, result)
        chain = case.method.tie_break if case.method.tie_break is not None else profile.default_tie_break

    ranking = rank(contenders, chain,
                   case.draw_seed if case.draw_seed is not None else f"{case.project.code}/{case.lot.code}")
    for bidder_id, position in ranking.ranks.items():
        results[bidder_id].rank = position
        results[bidder_id].tied = bidder_id in ranking.tied
    result.ranking = ranking.order
    result.candidates = ranking.order[: case.method.candidates]
    result.draws = ranking.draws
    return result


def _invalidate(entry: BidderResult, reason: str) -> None:
    entry.valid = False
    entry.reason = reason


def _stop(result: Result, status: str, reasons: Sequence[Reason]) -> Result:
    result.status = status
    result.reasons.extend(reasons)
    return result


def _check_scores(case: Case, valid: Sequence[Bidder], result: Result) -> list[Reason]:
    """Spec §5: missing scores and inconsistent objective items block the summary."""
    reasons = anomalies.missing_scores(case, valid)
    flags, inconsistent = anomalies.objective_inconsistencies(case, valid)
    result.flags.extend(flags)
    return reasons + inconsistent


def _comprehensive(case: Case, valid: Sequence[Bidder], profile: RuleProfile,
                   results: dict[str, BidderResult], result: Result) -> list[Contender]:
    """综合评分法 / 综合评估法: item scores, deviation check, price score, total (spec §6-§9)."""
    result.flags.extend(anomalies.deviation_flags(case, valid))
    formula = case.method.price
    assert formula is not None  # the parser requires a price formula for this method
    if formula.kind == "low_price_first":  # policy deductions apply before the benchmark (R-MTH-6)
        evaluated = {b.id: price.evaluated_price(b.price, b.sme, case.method.sme_deduction,
                                                 profile.sme_deduction_applies) for b in valid}
    else:  # §3.2 works on the bid prices themselves
        evaluated = {b.id: exact(b.price) for b in valid}
    outcome = None
    if valid:
        if formula.kind == "low_price_first":
            outcome = price.low_price_first(evaluated, formula)
        else:
            outcome = price.benchmark_deviation({b.id: b.price for b in valid}, formula)
        result.benchmark_price = outcome.benchmark
    contenders = []
    for bidder in valid:
        entry = results[bidder.id]
        entry.evaluated_price = evaluated[bidder.id]
        entry.item_scores = {
            c.id: item_score([case.score(m.id, bidder.id, c.id) for m in case.committee], case.method.averaging)  # type: ignore[misc]
            for c in case.method.criteria
        }
        entry.price_score = outcome.scores[bidder.id] if outcome else Fraction(0)
        entry.total = sum(entry.item_scores.values(), Fraction(0)) + entry.price_score
        technical = sum((v for k, v in entry.item_scores.items() if case.criterion(k).group == "technical"),
                        Fraction(0))
        contenders.append(Contender(
            id=bidder.id,
            primary=-to_decimal(entry.total),  # R-RNK-3: the total (rounded, as printed), high → low
            price=bidder.price,
            technical=to_decimal(technical),
        ))
    return contenders


def _lowest_price(case: Case, valid: Sequence[Bidder], profile: RuleProfile,
                  results: dict[str, BidderResult]) -> list[Contender]:
    """最低评标价法 / 经评审的最低投标价法 (R-MTH-8/9, §3.3): E = P × (1 − SME deduction) + Σ adjustments."""
    contenders = []
    for bidder in valid:
        evaluated = price.evaluated_price(bidder.price, bidder.sme, case.method.sme_deduction,
                                          profile.sme_deduction_applies)
        evaluated += sum((exact(a.amount) for a in case.adjustments.get(bidder.id, ())), Fraction(0))
        results[bidder.id].evaluated_price = evaluated
        contenders.append(Contender(id=bidder.id, primary=to_decimal(evaluated), price=bidder.price))
    return contenders
