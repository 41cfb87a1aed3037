"""Issue #2: the rule engine against the worked examples of DOMAIN.md §3 and the scenarios of §6.

Every expectation here comes from spec/case-format.md and DOMAIN.md (quoted next to the test), not from
the code. Printed numbers are the exact strings of the documents (half-up, 2 decimals).
"""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import pytest

import casebuilder as cb
from app.domain.case_parse import parse_case
from app.domain.errors import CaseError
from app.domain.evaluate import evaluate


def run(document: dict[str, Any]) -> dict[str, Any]:
    return evaluate(parse_case(document)).to_json()


def by_id(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["id"]: b for b in result["bidders"]}


def rules(result: dict[str, Any]) -> set[str]:
    return {r["rule"] for r in result["reasons"]}


def flags(result: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [f for f in result["flags"] if f["kind"] == kind]


def half_up(value: Fraction) -> str:
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def assert_ranked(result: dict[str, Any], ranking: list[str]) -> None:
    """status ranked, the ranking in this order, ranks 1..n on those bidders, nobody else ranked."""
    assert result["status"] == "ranked", result["reasons"]
    assert result["ranking"] == ranking
    bidders = by_id(result)
    for place, bid in enumerate(ranking, start=1):
        assert bidders[bid]["valid"] is True
        assert bidders[bid]["rank"] == place
        assert bidders[bid]["tied"] is False
    for bid, entry in bidders.items():
        if bid not in ranking:
            assert entry["rank"] is None, bid


# --------------------------------------------------------------------------------------------------
# 3.1 / S7: procurement low-price-first price score, with and without the SME deduction
# --------------------------------------------------------------------------------------------------

S7_PRICES = {"A": "95.00", "B": "100.00", "C": "120.00"}


def test_3_1_s7_price_scores_without_deduction() -> None:
    result = run(cb.case(prices=S7_PRICES))  # every member gives T1 = 30
    bidders = by_id(result)
    assert result["benchmark_price"] == "95.00"
    assert {b: bidders[b]["evaluated_price"] for b in "ABC"} == {"A": "95.00", "B": "100.00", "C": "120.00"}
    assert {b: bidders[b]["price_score"] for b in "ABC"} == {"A": "30.00", "B": "28.50", "C": "23.75"}
    assert {b: bidders[b]["item_scores"] for b in "ABC"} == {b: {"T1": "30.00"} for b in "ABC"}
    assert {b: bidders[b]["total"] for b in "ABC"} == {"A": "60.00", "B": "58.50", "C": "53.75"}
    assert_ranked(result, ["A", "B", "C"])
    assert result["candidates"] == ["A", "B", "C"]


def test_3_1_s7_price_scores_with_sme_deduction_on_b() -> None:
    """'B marked small enterprise with 10% deduction → 28.42 / 30.00 / 22.50; highest and lowest never dropped'."""
    result = run(cb.case(prices=S7_PRICES, sme=("B",), method={"sme_deduction": "0.10"}))
    bidders = by_id(result)
    assert result["benchmark_price"] == "90.00"
    assert {b: bidders[b]["evaluated_price"] for b in "ABC"} == {"A": "95.00", "B": "90.00", "C": "120.00"}
    assert {b: bidders[b]["price_score"] for b in "ABC"} == {"A": "28.42", "B": "30.00", "C": "22.50"}
    assert {b: bidders[b]["total"] for b in "ABC"} == {"A": "58.42", "B": "60.00", "C": "52.50"}
    assert_ranked(result, ["B", "A", "C"])


def test_3_1_sme_flag_without_a_deduction_changes_nothing() -> None:
    """sme_deduction is 'optional, default none'."""
    result = run(cb.case(prices=S7_PRICES, sme=("B",)))
    assert result["benchmark_price"] == "95.00"
    assert by_id(result)["B"]["price_score"] == "28.50"


# --------------------------------------------------------------------------------------------------
# 3.2 / S8: engineering benchmark price with trimming and K, deviation rate, points per 1 %
# --------------------------------------------------------------------------------------------------

S8_PRICES = {"A": "480", "B": "500", "C": "510", "D": "520", "E": "530", "F": "600", "G": "450"}
S8_SCORES = {"A": "57.41", "B": "57.06", "C": "53.00", "D": "48.94", "E": "44.89", "F": "16.47", "G": "51.32"}
S8_TRIM_7 = {"min_count": 7, "drop_high": 1, "drop_low": 1}


def s8_price(**over: Any) -> dict[str, Any]:
    formula = {"kind": "benchmark_deviation", "points": "60", "k": "0.03", "trim": [S8_TRIM_7],
               "per_pct_above": "2", "per_pct_below": "1", "floor": "0"}
    formula.update(over)
    return formula


def s8_case(**over: Any) -> dict[str, Any]:
    prices = {b: p + ".00" for b, p in S8_PRICES.items()}
    return cb.case(profile="engineering", prices=prices, price=s8_price(**over))


def test_3_2_s8_benchmark_and_every_price_score() -> None:
    result = run(s8_case())
    bidders = by_id(result)
    assert result["benchmark_price"] == "492.76"  # 508.00 × (1 − 0.03)
    assert {b: bidders[b]["price_score"] for b in S8_PRICES} == S8_SCORES
    # Dropped bids (F 600, G 450) still get a score; totals = item 30.00 + price score
    assert {b: bidders[b]["total"] for b in S8_PRICES} == {
        b: str(Decimal("30") + Decimal(s)) for b, s in S8_SCORES.items()
    }
    assert all(bidders[b]["valid"] for b in S8_PRICES)
    assert_ranked(result, ["A", "B", "C", "G", "D", "E", "F"])
    assert result["candidates"] == ["A", "B", "C"]  # default 3
    assert result["draws"] == []


def test_3_2_s8_average_is_508_before_k() -> None:
    """With K = 0 the benchmark is the trimmed average itself: 2540/5 = 508.00."""
    result = run(s8_case(k="0"))
    assert result["benchmark_price"] == "508.00"


def test_3_2_trim_rule_with_largest_min_count_at_most_valid_count_applies() -> None:
    """'trimming rule = the one with the largest min_count ≤ number of valid bids'."""
    table = [{"min_count": 5, "drop_high": 0, "drop_low": 0}, S8_TRIM_7,
             {"min_count": 6, "drop_high": 1, "drop_low": 0}, {"min_count": 8, "drop_high": 2, "drop_low": 2}]
    result = run(s8_case(trim=table))
    assert result["benchmark_price"] == "492.76"
    assert {b: by_id(result)[b]["price_score"] for b in S8_PRICES} == S8_SCORES


def test_3_2_invalid_bid_leaves_the_valid_set_and_changes_the_trim_rule() -> None:
    """F above max_price is rejected (§3 Validity); 6 valid bids → the min_count 6 rule (drop 1 highest)."""
    document = s8_case(trim=[{"min_count": 6, "drop_high": 1, "drop_low": 0}, S8_TRIM_7])
    document["project"]["max_price"] = "590.00"
    result = run(document)
    bidders = by_id(result)
    assert bidders["F"]["valid"] is False and bidders["F"]["rank"] is None
    assert "F" not in result["ranking"]
    # valid: 480 500 510 520 530 450; drop 530 → (480+500+510+520+450)/5 = 492; BM = 492 × 0.97 = 477.24
    benchmark = Fraction(492) * Fraction(97, 100)
    assert result["benchmark_price"] == half_up(benchmark) == "477.24"
    for bid in "ABCDEG":
        price = Fraction(S8_PRICES[bid])
        deviation = (price - benchmark) / benchmark * 100
        score = 60 - abs(deviation) * (2 if deviation > 0 else 1)
        assert bidders[bid]["price_score"] == half_up(max(score, Fraction(0))), bid


def test_3_2_floor_bounds_the_price_score() -> None:
    result = run(s8_case(floor="20"))
    scores = {b: by_id(result)[b]["price_score"] for b in S8_PRICES}
    assert scores == {**S8_SCORES, "F": "20.00"}


# --------------------------------------------------------------------------------------------------
# 3.3: lowest evaluated price (engineering)
# --------------------------------------------------------------------------------------------------

def test_3_3_lowest_evaluated_price_engineering() -> None:
    """A 500 + 5.00 + 8.00 = 513.00; B 505.00; C fails a substantive requirement → not ranked.

    Ranking: B (505.00), A (513.00). Engineering with < 3 valid → flag insufficient_competition and go on.
    """
    document = cb.lowest_price_case(
        profile="engineering",
        prices={"A": "500.00", "B": "505.00", "C": "498.00"},
        adjustments={"A": [{"amount": "5.00", "reason": "交货期迟30天，每30天加价1%"},
                           {"amount": "8.00", "reason": "质保期短1年"}]},
        preliminary={m: {"C": {"pass": False, "reason": "未响应实质性要求"}} for m in ("E1", "E2", "E3")},
    )
    result = run(document)
    bidders = by_id(result)
    assert bidders["A"]["evaluated_price"] == "513.00"
    assert bidders["B"]["evaluated_price"] == "505.00"
    assert bidders["C"]["valid"] is False and bidders["C"]["rank"] is None
    assert_ranked(result, ["B", "A"])
    assert result["candidates"] == ["B", "A"]
    assert len(flags(result, "insufficient_competition")) == 1
    assert result.get("benchmark_price") is None  # no price formula ran


def test_3_3_adjustments_are_summed_and_can_be_negative() -> None:
    document = cb.lowest_price_case(
        profile="engineering",
        prices={"B1": "500.00", "B2": "505.00", "B3": "510.00"},
        adjustments={"B1": [{"amount": "5.00", "reason": "x"}, {"amount": "8.00", "reason": "y"}],
                     "B3": [{"amount": "-20.00", "reason": "付款条件优"}]},
    )
    result = run(document)
    bidders = by_id(result)
    assert [bidders[b]["evaluated_price"] for b in ("B1", "B2", "B3")] == ["513.00", "505.00", "490.00"]
    assert_ranked(result, ["B3", "B2", "B1"])


def test_3_3_procurement_lowest_price_uses_sme_deduction_and_draws_by_default() -> None:
    """lowest_price: E = P × (1 − sme_deduction if SME); default tie_break ["draw"] (not price_asc).

    B1 bids 100.00 as an SME with 10% → E 90.00, B2 bids 90.00 → equal E: a draw decides, even though B2's
    bid price is lower.
    """
    for seed in ("2026-11-20/01", "seed-b", "seed-c", "seed-d"):
        document = cb.lowest_price_case(prices={"B1": "100.00", "B2": "90.00", "B3": "95.00"}, sme=("B1",),
                                        method={"sme_deduction": "0.10"}, draw_seed=seed)
        result = run(document)
        bidders = by_id(result)
        assert bidders["B1"]["evaluated_price"] == "90.00"
        order = cb.draw_order(seed, ["B1", "B2"])
        assert_ranked(result, order + ["B3"])
        assert len(result["draws"]) == 1
        draw = result["draws"][0]
        assert sorted(draw["tied"]) == ["B1", "B2"] and draw["order"] == order and draw["seed"] == seed


# --------------------------------------------------------------------------------------------------
# 3.4 / S11: averaging members' scores, deviation check
# --------------------------------------------------------------------------------------------------

S11 = ["42", "40", "38", "41", "25", "43", "39"]  # E1..E7; E5 gives 25


def s11_case(**method: Any) -> dict[str, Any]:
    criteria = [{"id": "T1", "name": "技术方案", "group": "technical", "type": "subjective", "max": "50", "step": "1"}]
    document = cb.case(profile="engineering", members=cb.committee(7), criteria=criteria, method=method)
    return cb.set_scores(document, "B1", "T1", S11)


def assert_only_e5_flagged(result: dict[str, Any]) -> None:
    """Exactly one flag, the spec's example shape (extra detail fields are allowed: the format may grow)."""
    assert len(result["flags"]) == 1, result["flags"]
    expected = {"kind": "score_deviation", "expert": "E5", "bidder": "B1", "deviation_pct": "-34.70"}
    assert {k: result["flags"][0].get(k) for k in expected} == expected


def test_3_4_s11_plain_mean_and_only_25_flagged() -> None:
    result = run(s11_case())
    assert by_id(result)["B1"]["item_scores"] == {"T1": "38.29"}  # 268/7
    assert_only_e5_flagged(result)
    assert result["status"] == "ranked"  # a deviation flag does not block


def test_3_4_s11_trimmed_mean_40_and_deviation_still_against_the_mean_of_all_members() -> None:
    """Item score with drop-high-low = 200/5 = 40.00; §7: deviation vs 'the mean of all members' totals'."""
    result = run(s11_case(averaging={"trim": "high_low", "min_members": 7}))
    assert by_id(result)["B1"]["item_scores"] == {"T1": "40.00"}
    assert_only_e5_flagged(result)
    assert result["status"] == "ranked"


def test_3_4_trim_not_applied_below_min_members() -> None:
    result = run(s11_case(averaging={"trim": "high_low", "min_members": 9}))
    assert by_id(result)["B1"]["item_scores"] == {"T1": "38.29"}


@pytest.mark.parametrize(("alert", "flagged"),
                         [("30", True), ("34.70", True), ("34.701", True), ("34.702", False), ("35", False)])
def test_3_4_deviation_threshold_is_strict_and_exact(alert: str, flagged: bool) -> None:
    """'|d| > deviation_alert_pct' with d = −13.2857/38.2857 = −34.7015…% (printed −34.70): compared unrounded."""
    result = run(s11_case(deviation_alert_pct=alert))
    assert bool(flags(result, "score_deviation")) is flagged


def test_3_4_deviation_is_on_the_members_non_price_total_not_per_item() -> None:
    """§7: 'each member's non-price total vs the mean of all members' non-price totals'."""
    criteria = [{"id": "T1", "name": "a", "group": "technical", "type": "subjective", "max": "50", "step": "1"},
                {"id": "T2", "name": "b", "group": "technical", "type": "subjective", "max": "50", "step": "1"}]
    document = cb.case(members=cb.committee(5), criteria=criteria)
    cb.set_scores(document, "B1", "T1", ["40", "40", "40", "40", "10"])
    cb.set_scores(document, "B1", "T2", ["10", "10", "10", "10", "40"])  # every member's total is 50
    result = run(document)
    assert flags(result, "score_deviation") == []


# --------------------------------------------------------------------------------------------------
# 3.5 / S10: objective consistency (blocks) and range checks (input error)
# --------------------------------------------------------------------------------------------------

ISO = {"id": "C1", "name": "ISO9001", "group": "commercial", "type": "objective", "max": "2", "step": "2"}
TECH = {"id": "T1", "name": "技术方案", "group": "technical", "type": "subjective", "max": "40", "step": "0.5"}


def s10_case(c1_for_b1: list[str]) -> dict[str, Any]:
    members = cb.committee()
    scores = cb.uniform_scores(members, {b: {"T1": "30", "C1": "2"} for b in ("B1", "B2", "B3")})
    document = cb.case(members=members, criteria=[TECH, ISO], scores=scores)
    return cb.set_scores(document, "B1", "C1", c1_for_b1)


def test_3_5_s10_objective_inconsistency_blocks() -> None:
    result = run(s10_case(["2", "2", "2", "2", "0"]))
    assert result["status"] == "blocked"
    assert "R-SCR-2" in rules(result)
    found = flags(result, "objective_inconsistent")
    assert len(found) == 1
    values = set(map(str, found[0].values()))
    assert {"B1", "C1"} <= values
    assert result["ranking"] == [] and result["candidates"] == []


def test_3_5_s10_after_correction_it_ranks() -> None:
    result = run(s10_case(["2", "2", "2", "2", "2"]))
    assert result["status"] == "ranked"
    assert flags(result, "objective_inconsistent") == []
    assert by_id(result)["B1"]["item_scores"]["C1"] == "2.00"


@pytest.mark.parametrize(("value", "words"), [("3", "above the maximum 2"), ("-2", ""), ("1", "")])
def test_3_5_s10_out_of_range_or_off_step_refused_at_input(value: str, words: str) -> None:
    with pytest.raises(CaseError) as caught:
        parse_case(s10_case(["2", "2", "2", "2", value]))
    line = str(caught.value)
    assert "\n" not in line
    assert line.startswith("scores.E5.B1.C1")
    assert words in line


def test_spec_example_21_above_maximum_20() -> None:
    """spec: 'scores.E3.B2.T1: "21" is above the maximum 20'."""
    criteria = [{"id": "T1", "name": "技术方案", "group": "technical", "type": "subjective", "max": "20",
                 "step": "0.5"}]
    document = cb.case(criteria=criteria,
                       scores=cb.uniform_scores(cb.committee(), {b: {"T1": "18"} for b in ("B1", "B2", "B3")}))
    document["scores"]["E3"]["B2"]["T1"] = "21"
    with pytest.raises(CaseError) as caught:
        parse_case(document)
    assert 'scores.E3.B2.T1: "21" is above the maximum 20' in str(caught.value)


# --------------------------------------------------------------------------------------------------
# 3.6 / S9: abnormally low price
# --------------------------------------------------------------------------------------------------

S9_PRICES = {"A": "100.00", "B": "98.00", "C": "102.00", "D": "75.00"}


def test_3_6_s9_d_flagged_at_25_percent_a_not() -> None:
    result = run(cb.case(prices=S9_PRICES, method={"low_price_alert_pct": "20"}))
    low = flags(result, "abnormally_low_price")
    assert [f["bidder"] for f in low] == ["D"]


def test_3_6_default_trigger_is_20_percent() -> None:
    result = run(cb.case(prices=S9_PRICES))
    assert [f["bidder"] for f in flags(result, "abnormally_low_price")] == ["D"]


@pytest.mark.parametrize(("price", "flagged"), [("80.00", True), ("80.01", False), ("79.99", True)])
def test_3_6_trigger_is_inclusive(price: str, flagged: bool) -> None:
    """'flag when r ≥ low_price_alert_pct': M = 100, D = 80 → r = 20 exactly."""
    result = run(cb.case(prices={"A": "100.00", "B": "100.00", "C": "100.00", "D": price}))
    assert ([f["bidder"] for f in flags(result, "abnormally_low_price")] == ["D"]) is flagged


def test_3_6_mean_is_over_the_other_valid_bidders_only() -> None:
    """A bidder that failed preliminary review (price 1000) does not enter M."""
    prices = {**S9_PRICES, "X": "1000.00"}
    document = cb.case(prices=prices,
                       preliminary={m: {"X": {"pass": False, "reason": "资格不符"}} for m in ("E1", "E2", "E3")})
    result = run(document)
    assert by_id(result)["X"]["valid"] is False
    assert [f["bidder"] for f in flags(result, "abnormally_low_price")] == ["D"]


def test_3_6_s9_rejected_decision_makes_d_invalid_and_out_of_benchmark_and_ranking() -> None:
    result = run(cb.case(prices=S9_PRICES, low_price_decisions={"D": "rejected"}))
    bidders = by_id(result)
    assert bidders["D"]["valid"] is False and bidders["D"]["rank"] is None
    assert result["benchmark_price"] == "98.00"  # D excluded from the benchmark
    assert flags(result, "abnormally_low_price") == []
    assert_ranked(result, ["B", "A", "C"])


def test_3_6_accepted_decision_clears_the_flag_and_keeps_d() -> None:
    result = run(cb.case(prices=S9_PRICES, low_price_decisions={"D": "accepted"}))
    assert flags(result, "abnormally_low_price") == []
    assert by_id(result)["D"]["valid"] is True
    assert result["benchmark_price"] == "75.00"
    assert result["ranking"][0] == "D"


# --------------------------------------------------------------------------------------------------
# 3.7 / S2 / S3: committee arithmetic
# --------------------------------------------------------------------------------------------------

COMMITTEES = [
    # profile, experts, reps, budget, valid, rule expected when invalid
    ("engineering", 5, 0, None, True, None),
    ("engineering", 4, 1, None, True, None),
    ("engineering", 3, 2, None, False, "R-COM-1"),  # S2(a): 3 < ceil(10/3) = 4
    ("engineering", 6, 0, None, False, "R-COM-1"),  # S2(b): even
    ("engineering", 4, 0, None, False, "R-COM-1"),  # n < 5
    ("engineering", 3, 0, None, False, "R-COM-1"),
    ("engineering", 5, 2, None, True, None),  # n = 7 → ≥ 5 experts
    ("engineering", 4, 3, None, False, "R-COM-1"),
    ("engineering", 6, 3, None, True, None),  # n = 9 → ≥ 6
    ("engineering", 5, 4, None, False, "R-COM-1"),
    ("engineering", 8, 3, None, True, None),  # n = 11 → ≥ 8
    ("engineering", 7, 4, None, False, "R-COM-1"),
    ("procurement", 5, 0, None, True, None),
    ("procurement", 4, 1, None, True, None),
    ("procurement", 3, 2, None, False, "R-COM-4"),
    ("procurement", 6, 0, None, False, "R-COM-4"),
    ("procurement", 5, 0, "12000000.00", False, "R-COM-4"),  # S2(c)
    ("procurement", 4, 1, "12000000.00", False, "R-COM-4"),
    ("procurement", 7, 0, "12000000.00", True, None),
    ("procurement", 6, 1, "12000000.00", True, None),
    ("procurement", 8, 0, "12000000.00", False, "R-COM-4"),
    ("procurement", 5, 0, "10000000.00", False, "R-COM-4"),  # budget ≥ 10,000,000
    ("procurement", 5, 0, "9999999.99", True, None),
]


def committee_id(row: tuple[Any, ...]) -> str:
    profile, experts, reps, budget, valid, _ = row
    tag = {("engineering", 3, 2, None): "S2a-", ("engineering", 6, 0, None): "S2b-",
           ("procurement", 5, 0, "12000000.00"): "S2c-"}.get((profile, experts, reps, budget), "")
    return (f"{tag}{profile}-{experts}experts-{reps}reps" + (f"-budget{budget}" if budget else "")
            + ("-ok" if valid else "-invalid"))


@pytest.mark.parametrize(("profile", "experts", "reps", "budget", "valid", "rule"), COMMITTEES,
                         ids=[committee_id(row) for row in COMMITTEES])
def test_3_7_committee_size_and_make_up(profile: str, experts: int, reps: int, budget: str | None,
                                        valid: bool, rule: str | None) -> None:
    document = cb.case(profile=profile, members=cb.committee(experts, reps))
    if budget is not None:
        document["project"]["budget"] = budget
    result = run(document)
    if valid:
        assert result["status"] == "ranked", result["reasons"]
    else:
        assert result["status"] == "committee_invalid"
        assert rule in rules(result)
        assert result["ranking"] == [] and result["candidates"] == []


def test_s3_procurement_owner_rep_may_not_be_chair() -> None:
    result = run(cb.case(members=cb.committee(6, 1, chair="R1")))
    assert result["status"] == "committee_invalid"
    assert "R-COM-7" in rules(result)


def test_engineering_owner_rep_may_be_chair() -> None:
    """§2 restricts the chair only for procurement."""
    result = run(cb.case(profile="engineering", members=cb.committee(4, 1, chair="R1")))
    assert result["status"] == "ranked"


@pytest.mark.parametrize("chairs", [0, 2])
def test_exactly_one_chair(chairs: int) -> None:
    members = cb.committee(5)
    for i, member in enumerate(members):
        member["chair"] = i < chairs
    result = run(cb.case(members=members))
    assert result["status"] == "committee_invalid"


# --------------------------------------------------------------------------------------------------
# Opening: S1 and late bids (R-OPEN-2, R-OPEN-3)
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("profile", ["engineering", "procurement"])
def test_s1_two_bids_opening_refused(profile: str) -> None:
    result = run(cb.case(profile=profile, prices={"B1": "100.00", "B2": "110.00"}))
    assert result["status"] == "opening_refused"
    assert "R-OPEN-3" in rules(result)
    assert result["ranking"] == [] and result["candidates"] == []
    assert result.get("benchmark_price") is None
    assert all(b["rank"] is None and b["price_score"] is None for b in result["bidders"])


def test_s1_three_bids_one_late_leaves_two_opening_refused() -> None:
    document = cb.case(profile="engineering")
    document["bidders"][2]["submitted_at"] = cb.at(1)
    result = run(document)
    assert result["status"] == "opening_refused"
    assert "R-OPEN-3" in rules(result)


def test_late_bid_one_minute_after_deadline_is_not_valid_and_not_ranked() -> None:
    document = cb.case(prices={"B1": "100.00", "B2": "110.00", "B3": "120.00", "B4": "50.00"})
    document["bidders"][3]["submitted_at"] = cb.at(1)
    result = run(document)
    late = by_id(result)["B4"]
    assert late["valid"] is False and late["rank"] is None and late["price_score"] is None
    assert "B4" not in result["ranking"] and "B4" not in result["candidates"]
    assert result["benchmark_price"] == "100.00"  # the late 50.00 is not in the benchmark
    assert_ranked(result, ["B1", "B2", "B3"])


def test_bid_exactly_at_the_deadline_is_on_time() -> None:
    document = cb.case(prices={"B1": "100.00", "B2": "110.00", "B3": "120.00"})
    document["bidders"][0]["submitted_at"] = cb.DEADLINE
    assert_ranked(run(document), ["B1", "B2", "B3"])


@pytest.mark.parametrize(("submitted", "late"), [
    ("2026-11-20T01:31:00+00:00", True),   # = 09:31 +08:00
    ("2026-11-20T01:29:00+00:00", False),  # = 09:29 +08:00
    ("2026-11-20T10:29:00+09:00", False),
    ("2026-11-20T10:30:01+09:00", True),
])
def test_deadline_compared_across_offsets(submitted: str, late: bool) -> None:
    document = cb.case(prices={"B1": "100.00", "B2": "110.00", "B3": "120.00", "B4": "130.00"})
    document["bidders"][0]["submitted_at"] = submitted
    assert by_id(run(document))["B1"]["valid"] is (not late)


# --------------------------------------------------------------------------------------------------
# Validity: S6, preliminary majority, max_price
# --------------------------------------------------------------------------------------------------

def failing(bidders: list[str], members: list[str]) -> dict[str, Any]:
    return {m: {b: {"pass": False, "reason": "资格不符"} for b in bidders} for m in members}


def test_s6_procurement_two_of_four_unqualified_insufficient_bidders() -> None:
    document = cb.case(prices={"B1": "100.00", "B2": "110.00", "B3": "120.00", "B4": "130.00"},
                       preliminary=failing(["B2", "B4"], ["E1", "E2", "E3"]))
    result = run(document)
    assert result["status"] == "insufficient_bidders"
    assert rules(result) & {"R-PRE-5", "R-PRE-6"}
    assert result["ranking"] == [] and result["candidates"] == []


def test_engineering_two_valid_flags_insufficient_competition_and_goes_on() -> None:
    document = cb.case(profile="engineering", prices={"B1": "100.00", "B2": "110.00", "B3": "120.00", "B4": "130.00"},
                       preliminary=failing(["B2", "B4"], ["E1", "E2", "E3"]))
    result = run(document)
    assert_ranked(result, ["B1", "B3"])
    assert len(flags(result, "insufficient_competition")) == 1


@pytest.mark.parametrize(("members", "failing_members", "valid"),
                         [(5, 2, True), (5, 3, False), (7, 3, True), (7, 4, False)])
def test_preliminary_fails_only_with_more_than_half(members: int, failing_members: int, valid: bool) -> None:
    ids = [f"E{i}" for i in range(1, failing_members + 1)]
    document = cb.case(members=cb.committee(members), preliminary=failing(["B1"], ids),
                       prices={"B1": "100.00", "B2": "110.00", "B3": "120.00", "B4": "130.00"})
    assert by_id(run(document))["B1"]["valid"] is valid


def test_preliminary_pass_true_entries_do_not_count_as_failures() -> None:
    prelim = {m: {"B1": {"pass": m in ("E1", "E2"), "reason": ""}} for m in ("E1", "E2", "E3", "E4")}
    document = cb.case(prices={"B1": "100.00", "B2": "110.00", "B3": "120.00", "B4": "130.00"}, preliminary=prelim)
    assert by_id(run(document))["B1"]["valid"] is True  # 2 of 5 fail


@pytest.mark.parametrize(("price", "valid"), [("1300000.00", True), ("1300000.01", False)])
def test_price_above_max_price_is_rejected(price: str, valid: bool) -> None:
    document = cb.case(prices={"B1": price, "B2": "1100000.00", "B3": "1200000.00", "B4": "1250000.00"})
    document["project"]["max_price"] = "1300000.00"
    result = run(document)
    assert by_id(result)["B1"]["valid"] is valid
    assert ("B1" in result["ranking"]) is valid


# --------------------------------------------------------------------------------------------------
# Scores: missing score blocks; only valid bidders must be scored
# --------------------------------------------------------------------------------------------------

def test_missing_score_blocks_and_reason_names_expert_bidder_criterion() -> None:
    document = cb.case()
    del document["scores"]["E2"]["B3"]["T1"]
    result = run(document)
    assert result["status"] == "blocked"
    messages = " ".join(r["message"] for r in result["reasons"])
    assert "E2" in messages and "B3" in messages and "T1" in messages
    assert result["ranking"] == []


def test_invalid_bidders_need_no_scores() -> None:
    document = cb.case(prices={"B1": "100.00", "B2": "110.00", "B3": "120.00", "B4": "130.00", "B5": "90.00"},
                       preliminary=failing(["B4"], ["E1", "E2", "E3"]))
    document["bidders"][4]["submitted_at"] = cb.at(1)
    for member in document["scores"].values():
        del member["B4"], member["B5"]
    assert_ranked(run(document), ["B1", "B2", "B3"])


# --------------------------------------------------------------------------------------------------
# Rounding: half-up at the end only
# --------------------------------------------------------------------------------------------------

def test_price_score_rounds_half_up() -> None:
    """points 10, benchmark 9, E 80 → 1.125 exactly → 1.13 (half-even would give 1.12)."""
    result = run(cb.case(prices={"B1": "9.00", "B2": "80.00", "B3": "100.00"},
                         price={"kind": "low_price_first", "points": "10"}))
    assert by_id(result)["B2"]["price_score"] == "1.13"
    assert by_id(result)["B2"]["total"] == "31.13"  # 30 + 1.125


def test_total_is_rounded_once_at_the_end() -> None:
    """Item 268/7 = 38.2857… and price 1.125: total 39.4107… → 39.41 (38.29 + 1.13 would be 39.42)."""
    criteria = [{"id": "T1", "name": "技术", "group": "technical", "type": "subjective", "max": "50", "step": "1"}]
    document = cb.case(profile="engineering", members=cb.committee(7), criteria=criteria,
                       prices={"B1": "9.00", "B2": "80.00", "B3": "100.00"},
                       price={"kind": "low_price_first", "points": "10"})
    for bid in ("B1", "B2", "B3"):
        cb.set_scores(document, bid, "T1", S11)
    result = run(document)
    b2 = by_id(result)["B2"]
    assert b2["item_scores"] == {"T1": "38.29"} and b2["price_score"] == "1.13"
    assert b2["total"] == "39.41"


# --------------------------------------------------------------------------------------------------
# S12 and spec §10/§11: ties
# --------------------------------------------------------------------------------------------------

WIDE = [{"id": "T1", "name": "技术方案", "group": "technical", "type": "subjective", "max": "70", "step": "0.5"}]


def s12_case(prices: dict[str, str], seed: str = "2026-11-20/01", **method: Any) -> dict[str, Any]:
    document = cb.case(prices=prices, criteria=WIDE, method=method, draw_seed=seed)
    cb.set_scores(document, "B0", "T1", ["50"] * 5)
    return document


def test_s12_equal_total_lower_price_first() -> None:
    """B0 93.10 is the benchmark. B1 95.00: 59.1 + 29.4 = 88.50; B2 98.00: 60.0 + 28.5 = 88.50 → B1 first."""
    document = s12_case({"B0": "93.10", "B1": "95.00", "B2": "98.00"})
    cb.set_scores(document, "B1", "T1", ["59", "59", "59", "59", "59.5"])
    cb.set_scores(document, "B2", "T1", ["60"] * 5)
    result = run(document)
    bidders = by_id(result)
    assert (bidders["B1"]["price_score"], bidders["B2"]["price_score"]) == ("29.40", "28.50")
    assert bidders["B1"]["total"] == bidders["B2"]["total"] == "88.50"
    assert_ranked(result, ["B1", "B2", "B0"])
    assert result["draws"] == []


def s12_same_price(seed: str, **method: Any) -> dict[str, Any]:
    document = s12_case({"B0": "93.10", "B1": "95.00", "B2": "95.00"}, seed=seed, **method)
    for bid in ("B1", "B2"):
        cb.set_scores(document, bid, "T1", ["60"] * 5)
    return document


@pytest.mark.parametrize("seed", ["2026-11-20/01", "JLZC-2026-017/01", "x", "42"])
def test_s12_same_total_same_price_draw_by_default(seed: str) -> None:
    """Procurement default ["price_asc", "draw"]: order by sha256(seed + ":" + id) ascending, draw reported."""
    result = run(s12_same_price(seed))
    order = cb.draw_order(seed, ["B1", "B2"])
    assert_ranked(result, order + ["B0"])
    assert result["candidates"] == order + ["B0"]
    assert len(result["draws"]) == 1
    draw = result["draws"][0]
    assert sorted(draw["tied"]) == ["B1", "B2"]
    assert draw["order"] == order
    assert draw["seed"] == seed


def test_s12_draw_seeds_cover_both_orders() -> None:
    """Guard for the test above: the seeds used give both orders, so input order cannot pass by luck."""
    orders = {tuple(cb.draw_order(s, ["B1", "B2"])) for s in ["2026-11-20/01", "JLZC-2026-017/01", "x", "42"]}
    assert orders == {("B1", "B2"), ("B2", "B1")}


def test_s12_same_total_same_price_without_draw_shares_the_rank() -> None:
    """'Bidders still equal after the list share a rank with tied: true'."""
    result = run(s12_same_price("2026-11-20/01", tie_break=["price_asc"]))
    bidders = by_id(result)
    assert result["status"] == "ranked"
    assert bidders["B1"]["rank"] == bidders["B2"]["rank"] == 1
    assert bidders["B1"]["tied"] is True and bidders["B2"]["tied"] is True
    assert bidders["B0"]["tied"] is False
    assert set(result["ranking"][:2]) == {"B1", "B2"} and result["ranking"][2] == "B0"
    assert result["draws"] == []


def test_engineering_default_tie_break_technical_before_draw() -> None:
    """Engineering default ["price_asc", "technical_desc", "draw"]: equal total and price → more technical first."""
    criteria = [{"id": "T1", "name": "技术", "group": "technical", "type": "subjective", "max": "30", "step": "1"},
                {"id": "C1", "name": "商务", "group": "commercial", "type": "subjective", "max": "10", "step": "1"}]
    document = cb.case(profile="engineering", criteria=criteria, prices={"B0": "90.00", "B1": "95.00", "B2": "95.00"})
    for bid, (tech, comm) in {"B0": ("10", "5"), "B1": ("20", "6"), "B2": ("22", "4")}.items():
        cb.set_scores(document, bid, "T1", [tech] * 5)
        cb.set_scores(document, bid, "C1", [comm] * 5)
    result = run(document)
    assert by_id(result)["B1"]["total"] == by_id(result)["B2"]["total"]
    assert_ranked(result, ["B2", "B1", "B0"])
    assert result["draws"] == []


# --------------------------------------------------------------------------------------------------
# Candidates (R-RNK-1)
# --------------------------------------------------------------------------------------------------

FIVE = {"B1": "100.00", "B2": "101.00", "B3": "102.00", "B4": "103.00", "B5": "104.00"}


def test_engineering_default_three_candidates() -> None:
    result = run(cb.case(profile="engineering", prices=FIVE))
    assert result["ranking"] == ["B1", "B2", "B3", "B4", "B5"]
    assert result["candidates"] == ["B1", "B2", "B3"]


@pytest.mark.parametrize("count", [1, 2, 3])
def test_engineering_candidates_up_to_three(count: int) -> None:
    result = run(cb.case(profile="engineering", prices=FIVE, method={"candidates": count}))
    assert result["candidates"] == ["B1", "B2", "B3"][:count]


@pytest.mark.parametrize("method", ["comprehensive", "lowest_price"])
def test_engineering_candidates_four_is_an_input_error(method: str) -> None:
    if method == "comprehensive":
        document = cb.case(profile="engineering", prices=FIVE, method={"candidates": 4})
    else:
        document = cb.lowest_price_case(profile="engineering", prices=FIVE, method={"candidates": 4})
    with pytest.raises(CaseError) as caught:
        parse_case(document)
    assert "candidates" in caught.value.path


def test_procurement_may_recommend_four() -> None:
    """Only the engineering profile caps candidates at 3."""
    result = run(cb.case(prices=FIVE, method={"candidates": 4}))
    assert result["candidates"] == ["B1", "B2", "B3", "B4"]


def test_candidates_never_exceed_the_ranking() -> None:
    document = cb.case(profile="engineering", prices=FIVE, preliminary=failing(["B1", "B2", "B3"], ["E1", "E2", "E3"]))
    result = run(document)
    assert result["ranking"] == ["B4", "B5"] and result["candidates"] == ["B4", "B5"]


def test_same_document_is_not_mutated_by_evaluation() -> None:
    document = cb.case(prices=S9_PRICES)
    before = copy.deepcopy(document)
    run(document)
    assert document == before


# --------------------------------------------------------------------------------------------------
# More tie-break and validity details of spec §3, §10, §11
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", ["2026-11-20/01", "吉林/01", "s"])
def test_three_way_draw(seed: str) -> None:
    document = cb.case(prices={"B1": "100.00", "B2": "100.00", "B3": "100.00", "B4": "120.00"}, draw_seed=seed)
    result = run(document)
    order = cb.draw_order(seed, ["B1", "B2", "B3"])
    assert_ranked(result, order + ["B4"])
    assert len(result["draws"]) == 1
    assert sorted(result["draws"][0]["tied"]) == ["B1", "B2", "B3"]
    assert result["draws"][0]["order"] == order and result["draws"][0]["seed"] == seed


def test_engineering_equal_total_price_and_technical_goes_to_the_draw() -> None:
    seed = "JLGC-2026-103/02"
    document = cb.case(profile="engineering", prices={"B1": "100.00", "B2": "100.00", "B3": "90.00"}, draw_seed=seed)
    result = run(document)
    order = cb.draw_order(seed, ["B1", "B2"])
    assert_ranked(result, ["B3"] + order)
    assert [d["order"] for d in result["draws"]] == [order]


def test_lowest_price_price_asc_compares_the_bid_price_not_the_evaluated_price() -> None:
    """§10 'price_asc (lower bid price first)': B1 100.00 SME −10% and B2 90.00 both evaluate to 90.00."""
    document = cb.lowest_price_case(prices={"B1": "100.00", "B2": "90.00", "B3": "95.00"}, sme=("B1",),
                                    method={"sme_deduction": "0.10", "tie_break": ["price_asc", "draw"]})
    result = run(document)
    assert_ranked(result, ["B2", "B1", "B3"])
    assert result["draws"] == []


def test_evaluated_price_printed_half_up() -> None:
    """100.05 × 0.9 = 90.045 → "90.05" (half-even would print 90.04)."""
    result = run(cb.case(prices={"B1": "100.05", "B2": "110.00", "B3": "120.00"}, sme=("B1",),
                         method={"sme_deduction": "0.10"}))
    assert by_id(result)["B1"]["evaluated_price"] == "90.05"
    assert result["benchmark_price"] == "90.05"
    assert by_id(result)["B1"]["price_score"] == "30.00"


def test_procurement_price_above_max_price_can_leave_fewer_than_three() -> None:
    document = cb.case()
    document["project"]["max_price"] = "115.00"  # B3 bids 120.00
    result = run(document)
    assert result["status"] == "insufficient_bidders"
    assert by_id(result)["B3"]["valid"] is False


def test_procurement_rejected_low_price_can_leave_fewer_than_three() -> None:
    result = run(cb.case(low_price_decisions={"B1": "rejected"}))
    assert result["status"] == "insufficient_bidders"
    assert by_id(result)["B1"]["valid"] is False


def test_comprehensive_price_asc_compares_the_bid_price_not_the_evaluated_price() -> None:
    """§10 'price_asc (lower bid price first)'. B0 95.00 SME → E 85.50 (benchmark); B1 100.00 SME → E 90.00,
    price score 28.50, item 60 → 88.50; B2 95.00 → E 95.00, price score 27.00, item 61.5 → 88.50.
    Equal totals: B2's bid price 95.00 is lower than B1's 100.00 (although B1's evaluated price is lower)."""
    document = cb.case(prices={"B0": "95.00", "B1": "100.00", "B2": "95.00"}, sme=("B0", "B1"),
                       method={"sme_deduction": "0.10"}, criteria=WIDE)
    for bid, item in {"B0": "50", "B1": "60", "B2": "61.5"}.items():
        cb.set_scores(document, bid, "T1", [item] * 5)
    result = run(document)
    bidders = by_id(result)
    assert [bidders[b]["price_score"] for b in ("B0", "B1", "B2")] == ["30.00", "28.50", "27.00"]
    assert bidders["B1"]["total"] == bidders["B2"]["total"] == "88.50"
    assert_ranked(result, ["B2", "B1", "B0"])
    assert result["draws"] == []


def test_3_2_no_applicable_trim_rule_means_no_trimming() -> None:
    """5 valid bids, only a min_count 7 rule: nothing dropped, Avg = 2540/5 = 508, BM = 492.76."""
    prices = {b: S8_PRICES[b] + ".00" for b in "ABCDE"}
    result = run(cb.case(profile="engineering", prices=prices, price=s8_price()))
    assert result["benchmark_price"] == "492.76"
    assert {b: by_id(result)[b]["price_score"] for b in "ABCDE"} == {b: S8_SCORES[b] for b in "ABCDE"}
