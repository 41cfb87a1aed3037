"""Issue #2: `evalroom evaluate CASE.json` end to end (spec/cli.md, spec/case-format.md).

Exit 0 with the result JSON on stdout for the bundled examples; exit 2, nothing on stdout, exactly one
non-empty stderr line naming the field, never a traceback, for malformed cases. Hundreds of mutations run
in-process through parse_case (CaseError); a few dozen run through the real CLI as a subprocess.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import casebuilder as cb
from app.domain.case_parse import parse_case
from app.domain.errors import CaseError
from app.domain.evaluate import evaluate

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def cli(case_file: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real CLI with cwd and a private HOME / XDG dirs (cwd/home), so writes would show up."""
    home = cwd / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "EVALROOM_DEBUG" and not k.startswith("XDG_")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_STATE_HOME=str(home / "state"), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "app", "evaluate", str(case_file)], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def assert_input_error(done: subprocess.CompletedProcess[str], cwd: Path, before: set[str],
                       paths: list[str] | None = None, words: str = "") -> str:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.rstrip("\n").split("\n")
    assert len(lines) == 1 and lines[0].strip(), done.stderr
    if paths:
        assert any(p in lines[0] for p in paths), (paths, lines[0])
    assert words in lines[0]
    assert_nothing_written(cwd, before)
    return lines[0]


def assert_nothing_written(cwd: Path, before: set[str]) -> None:
    """'nothing is written anywhere': neither in the working folder nor in the (private) home."""
    assert {p.name for p in cwd.iterdir()} == before | {"home"}
    assert [p for p in (cwd / "home").rglob("*")] == []


# --------------------------------------------------------------------------------------------------
# the bundled examples
# --------------------------------------------------------------------------------------------------

def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_evaluates(example: Path, tmp_path: Path) -> None:
    done = cli(example, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    result = json.loads(done.stdout)
    assert result["format"] == "evalroom-result/1"
    assert result["status"] in ("ranked", "opening_refused", "committee_invalid", "insufficient_bidders", "blocked")
    for key in ("reasons", "bidders", "ranking", "candidates", "flags", "draws"):
        assert isinstance(result[key], list), key
    # the CLI prints exactly what the engine computes in-process
    case = json.loads(example.read_text(encoding="utf-8"))
    in_process = evaluate(parse_case(case)).to_json()
    assert result == json.loads(json.dumps(in_process))
    assert_nothing_written(tmp_path, set())
    # spec rules visible in the example data itself
    by_id = {b["id"]: b for b in result["bidders"]}
    assert set(by_id) == {b["id"] for b in case["bidders"]}
    deadline = datetime.fromisoformat(case["opening"]["deadline"])
    max_price = Decimal(case["project"].get("max_price", "Infinity"))
    for bidder in case["bidders"]:
        if datetime.fromisoformat(bidder["submitted_at"]) > deadline or Decimal(bidder["price"]) > max_price:
            assert by_id[bidder["id"]]["valid"] is False and bidder["id"] not in result["ranking"]
    assert result["candidates"] == result["ranking"][: case["method"].get("candidates", 3)]
    if case["profile"] == "engineering":
        assert len(result["candidates"]) <= 3


def test_console_script_is_the_same_as_python_m_app(tmp_path: Path) -> None:
    """spec/cli.md: '`python -m app …` is the same as `evalroom …`'."""
    script = Path(sys.executable).parent / "evalroom"
    if not script.exists():
        pytest.skip("the evalroom console script is not installed in this environment")
    example = EXAMPLES[0]
    done = subprocess.run([str(script), "evaluate", str(example)], cwd=tmp_path, capture_output=True, text=True,
                          encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == cli(example, tmp_path).stdout


@pytest.mark.parametrize("argv", [[], ["a.json", "b.json"], ["--no-such-option", "a.json"]],
                         ids=["no-file", "two-files", "bad-option"])
def test_usage_errors_exit_2_with_one_line(argv: list[str], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "EVALROOM_DEBUG"}
    done = subprocess.run([sys.executable, "-m", "app", "evaluate", *argv], cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.rstrip("\n").split("\n")
    assert len(lines) == 1 and lines[0].strip(), done.stderr


# --------------------------------------------------------------------------------------------------
# malformed cases: a table of mutations of valid base cases
# --------------------------------------------------------------------------------------------------

T1 = {"id": "T1", "name": "技术方案", "group": "technical", "type": "subjective", "max": "20", "step": "0.5"}
C1 = {"id": "C1", "name": "ISO9001", "group": "commercial", "type": "objective", "max": "2", "step": "2"}


def procurement_base() -> dict[str, Any]:
    members = cb.committee(5)
    document = cb.case(
        members=members, criteria=[copy.deepcopy(T1), copy.deepcopy(C1)],
        scores=cb.uniform_scores(members, {b: {"T1": "18", "C1": "2"} for b in ("B1", "B2", "B3")}),
        sme=("B2",), method={"sme_deduction": "0.10", "averaging": {"trim": "none"}, "tie_break": ["price_asc", "draw"],
                             "candidates": 3, "deviation_alert_pct": "30", "low_price_alert_pct": "20"},
        preliminary={"E1": {"B3": {"pass": False, "reason": "未提供资质证书"}}},
        low_price_decisions={"B1": "accepted"},
    )
    document["project"].update(budget="1000000.00", max_price="1300000.00")
    return document


def lowest_base() -> dict[str, Any]:
    return cb.lowest_price_case(profile="engineering", method={"candidates": 3},
                                adjustments={"B1": [{"amount": "5.00", "reason": "交货期偏差"}]})


def benchmark_base() -> dict[str, Any]:
    return cb.case(profile="engineering", price={
        "kind": "benchmark_deviation", "points": "60", "k": "0.03",
        "trim": [{"min_count": 7, "drop_high": 1, "drop_low": 1}], "per_pct_above": "2", "per_pct_below": "1",
        "floor": "0"})


def at_index(name: str, index: int, bid: str, rest: str = "") -> list[str]:
    """The ways a path into a list may be spelled: bidders[0].price, bidders.0.price, bidders.B1.price."""
    return [f"{name}[{index}]{rest}", f"{name}.{index}{rest}", f"{name}.{bid}{rest}"]


Mutation = Callable[[dict[str, Any]], None]


def setter(path: tuple[Any, ...], value: Any) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return mutate


def deleter(path: tuple[Any, ...]) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        target = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return mutate


def dup(listing: tuple[str, ...], index: int = 0) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        target: Any = document
        for key in listing:
            target = target[key]
        target.append(copy.deepcopy(target[index]))
    return mutate


P, L, E = procurement_base, lowest_base, benchmark_base
B0_PRICE = at_index("bidders", 0, "B1", ".price")
B0_TIME = at_index("bidders", 0, "B1", ".submitted_at")

# (id, base, mutation, acceptable paths (any one must appear), run through the CLI too)
MALFORMED: list[tuple[str, Callable[[], dict[str, Any]], Mutation, list[str], bool]] = [
    ("format-unknown", P, setter(("format",), "evalroom-case/2"), ["format"], True),
    ("format-missing", P, deleter(("format",)), ["format"], False),
    ("profile-unknown", P, setter(("profile",), "municipal"), ["profile"], True),
    ("profile-missing", P, deleter(("profile",)), ["profile"], False),
    ("method-kind-unknown", P, setter(("method", "kind"), "auction"), ["method.kind"], True),
    ("method-kind-missing", P, deleter(("method", "kind")), ["method.kind"], False),
    ("method-missing", P, deleter(("method",)), ["method"], False),
    ("price-kind-unknown", P, setter(("method", "price", "kind"), "median"), ["method.price.kind"], True),
    ("price-missing-comprehensive", P, deleter(("method", "price")), ["method.price"], False),
    ("points-missing", P, deleter(("method", "price", "points")), ["method.price.points"], False),
    ("points-json-number", P, setter(("method", "price", "points"), 30), ["method.price.points"], True),
    ("bidders-missing", P, deleter(("bidders",)), ["bidders"], False),
    ("bidders-not-a-list", P, setter(("bidders",), {"B1": {}}), ["bidders"], False),
    ("committee-missing", P, deleter(("committee",)), ["committee"], False),
    ("opening-missing", P, deleter(("opening",)), ["opening"], False),
    ("deadline-missing", P, deleter(("opening", "deadline")), ["opening.deadline"], False),
    ("deadline-no-offset", P, setter(("opening", "deadline"), "2026-11-20T09:30:00"), ["opening.deadline"], True),
    ("deadline-bad-date", P, setter(("opening", "deadline"), "2026-13-45T09:30:00+08:00"), ["opening.deadline"], False),
    ("deadline-garbage", P, setter(("opening", "deadline"), "明天上午"), ["opening.deadline"], False),
    ("deadline-number", P, setter(("opening", "deadline"), 1763602200), ["opening.deadline"], False),
    ("price-float", P, setter(("bidders", 0, "price"), 950000.0), B0_PRICE, True),
    ("price-int", P, setter(("bidders", 0, "price"), 950000), B0_PRICE, True),
    ("price-negative", P, setter(("bidders", 0, "price"), "-100.00"), B0_PRICE, True),
    ("price-zero", P, setter(("bidders", 0, "price"), "0.00"), B0_PRICE, True),
    ("price-zero-int-text", P, setter(("bidders", 0, "price"), "0"), B0_PRICE, False),
    ("price-text", P, setter(("bidders", 0, "price"), "九十五万"), B0_PRICE, False),
    ("price-empty", P, setter(("bidders", 0, "price"), ""), B0_PRICE, False),
    ("price-null", P, setter(("bidders", 0, "price"), None), B0_PRICE, False),
    ("price-missing", P, deleter(("bidders", 0, "price")), B0_PRICE, False),
    ("bidder-id-missing", P, deleter(("bidders", 0, "id")), at_index("bidders", 0, "B1", ""), False),
    ("submitted-no-offset", P, setter(("bidders", 0, "submitted_at"), "2026-11-20T09:00:00"), B0_TIME, True),
    ("submitted-garbage", P, setter(("bidders", 0, "submitted_at"), "9点"), B0_TIME, False),
    ("submitted-missing", P, deleter(("bidders", 0, "submitted_at")), B0_TIME, False),
    ("sme-wrong-type", P, setter(("bidders", 1, "sme"), "yes"), at_index("bidders", 1, "B2", ".sme"), False),
    ("duplicate-bidder", P, dup(("bidders",)), ["bidders"], True),
    ("duplicate-member", P, dup(("committee",), 1), ["committee"], True),
    ("duplicate-criterion", P, dup(("method", "criteria")), ["method.criteria"], True),
    ("member-role-unknown", P, setter(("committee", 1, "role"), "observer"),
     at_index("committee", 1, "E2", ".role"), False),
    ("member-id-missing", P, deleter(("committee", 1, "id")), at_index("committee", 1, "E2", ""), False),
    ("criterion-max-number", P, setter(("method", "criteria", 0, "max"), 20),
     at_index("method.criteria", 0, "T1", ".max"), True),
    ("criterion-max-missing", P, deleter(("method", "criteria", 0, "max")),
     at_index("method.criteria", 0, "T1", ".max"), False),
    ("criterion-type-unknown", P, setter(("method", "criteria", 0, "type"), "fuzzy"),
     at_index("method.criteria", 0, "T1", ".type"), False),
    ("budget-number", P, setter(("project", "budget"), 1000000), ["project.budget"], False),
    ("max-price-number", P, setter(("project", "max_price"), 1300000.0), ["project.max_price"], False),
    ("sme-deduction-number", P, setter(("method", "sme_deduction"), 0.1), ["method.sme_deduction"], False),
    ("score-json-int", P, setter(("scores", "E1", "B1", "T1"), 18), ["scores.E1.B1.T1"], True),
    ("score-json-float", P, setter(("scores", "E1", "B1", "T1"), 18.5), ["scores.E1.B1.T1"], True),
    ("score-above-max", P, setter(("scores", "E3", "B2", "T1"), "21"), ["scores.E3.B2.T1"], True),
    ("score-negative", P, setter(("scores", "E1", "B1", "T1"), "-0.5"), ["scores.E1.B1.T1"], True),
    ("score-off-step", P, setter(("scores", "E1", "B1", "T1"), "18.3"), ["scores.E1.B1.T1"], True),
    ("score-objective-off-step", P, setter(("scores", "E2", "B1", "C1"), "1"), ["scores.E2.B1.C1"], False),
    ("score-objective-above", P, setter(("scores", "E2", "B1", "C1"), "3"), ["scores.E2.B1.C1"], False),
    ("score-text", P, setter(("scores", "E1", "B1", "T1"), "十八"), ["scores.E1.B1.T1"], False),
    ("score-empty", P, setter(("scores", "E1", "B1", "T1"), ""), ["scores.E1.B1.T1"], False),
    ("scores-not-object", P, setter(("scores",), ["E1"]), ["scores"], False),
    ("scores-unknown-expert", P, setter(("scores", "E9"), {"B1": {"T1": "18"}}), ["scores.E9"], True),
    ("scores-unknown-bidder", P, setter(("scores", "E1", "B9"), {"T1": "18"}), ["scores.E1.B9"], True),
    ("scores-unknown-criterion", P, setter(("scores", "E1", "B1", "X9"), "1"), ["scores.E1.B1.X9"], True),
    ("preliminary-unknown-expert", P, setter(("preliminary", "E9"), {"B1": {"pass": False, "reason": "x"}}),
     ["preliminary.E9"], True),
    ("preliminary-unknown-bidder", P, setter(("preliminary", "E1", "B9"), {"pass": False, "reason": "x"}),
     ["preliminary.E1.B9"], True),
    ("preliminary-pass-text", P, setter(("preliminary", "E1", "B3", "pass"), "no"), ["preliminary.E1.B3.pass"], False),
    ("decision-unknown-bidder", P, setter(("low_price_decisions", "B9"), "rejected"), ["low_price_decisions.B9"], True),
    ("decision-unknown-value", P, setter(("low_price_decisions", "B1"), "maybe"), ["low_price_decisions.B1"], False),
    ("tie-break-unknown", P, setter(("method", "tie_break"), ["price_asc", "coin"]), ["method.tie_break"], False),
    ("averaging-trim-unknown", P, setter(("method", "averaging", "trim"), "median"), ["method.averaging.trim"], False),
    ("candidates-text", P, setter(("method", "candidates"), "3"), ["method.candidates"], False),
    ("adjustment-unknown-bidder", L, setter(("adjustments", "B9"), [{"amount": "1.00", "reason": "x"}]),
     ["adjustments.B9"], True),
    ("adjustment-amount-number", L, setter(("adjustments", "B1", 0, "amount"), 5), ["adjustments.B1"], True),
    ("adjustment-amount-text", L, setter(("adjustments", "B1", 0, "amount"), "五元"), ["adjustments.B1"], False),
    ("engineering-candidates-4", L, setter(("method", "candidates"), 4), ["method.candidates"], True),
    ("engineering-candidates-4-comprehensive", E, setter(("method", "candidates"), 4), ["method.candidates"], False),
    ("trim-min-count-text", E, setter(("method", "price", "trim", 0, "min_count"), "7"),
     at_index("method.price.trim", 0, "0", ".min_count"), False),
    ("benchmark-points-float", E, setter(("method", "price", "points"), 60.0), ["method.price.points"], False),
]


def mutated(base: Callable[[], dict[str, Any]], mutation: Mutation) -> dict[str, Any]:
    document = base()
    parse_case(copy.deepcopy(document))  # the base itself is valid
    mutation(document)
    return document


@pytest.mark.parametrize(("name", "base", "mutation", "paths", "_"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_in_process(name: str, base: Callable[[], dict[str, Any]], mutation: Mutation,
                              paths: list[str], _: bool) -> None:
    document = mutated(base, mutation)
    with pytest.raises(CaseError) as caught:
        parse_case(document)
    line = str(caught.value)
    assert line.strip() and "\n" not in line
    assert any(p in line for p in paths), (paths, line)


SUBPROCESS = [m for m in MALFORMED if m[4]]


@pytest.mark.parametrize(("name", "base", "mutation", "paths", "_"), SUBPROCESS, ids=[m[0] for m in SUBPROCESS])
def test_malformed_through_the_cli(name: str, base: Callable[[], dict[str, Any]], mutation: Mutation,
                                   paths: list[str], _: bool, tmp_path: Path) -> None:
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(mutated(base, mutation), ensure_ascii=False), encoding="utf-8")
    assert_input_error(cli(case_file, tmp_path), tmp_path, {"case.json"}, paths)


def test_spec_example_line_through_the_cli(tmp_path: Path) -> None:
    """spec/case-format.md: `scores.E3.B2.T1: "21" is above the maximum 20`."""
    document = procurement_base()
    document["scores"]["E3"]["B2"]["T1"] = "21"
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert_input_error(cli(case_file, tmp_path), tmp_path, {"case.json"},
                       words='scores.E3.B2.T1: "21" is above the maximum 20')


@pytest.mark.parametrize(("content", "name"), [
    (b"", "empty"),
    (b"{\"format\": \"evalroom-case/1\", ", "truncated"),
    (b"format: evalroom-case/1\n", "yaml"),
    (b"\xff\xfe\x00garbage", "binary"),
    (b"[1, 2, 3]", "a-list"),
    (b"null", "null"),
])
def test_not_a_json_case_file(content: bytes, name: str, tmp_path: Path) -> None:
    case_file = tmp_path / "case.json"
    case_file.write_bytes(content)
    assert_input_error(cli(case_file, tmp_path), tmp_path, {"case.json"})


def test_missing_case_file(tmp_path: Path) -> None:
    assert_input_error(cli(tmp_path / "nope.json", tmp_path), tmp_path, set(), ["nope.json"])


# --------------------------------------------------------------------------------------------------
# fuzz: random leaf mutations of valid cases, in-process (hundreds)
# --------------------------------------------------------------------------------------------------

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines() splits on
DECIMAL_FIELDS = {"price", "max", "points", "amount", "budget", "max_price", "sme_deduction", "step"}


def leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        found = [path] if path else []
        for key, item in value.items():
            found += leaves(item, path + (key,))
        return found
    if isinstance(value, list):
        found = [path] if path else []
        for index, item in enumerate(value):
            found += leaves(item, path + (index,))
        return found
    return [path]


def in_scores(path: tuple[Any, ...]) -> bool:
    return len(path) == 4 and path[0] == "scores"


JUNK = st.one_of(
    st.integers(-10**9, 10**9), st.floats(allow_nan=False, allow_infinity=False), st.none(), st.booleans(),
    st.just([]), st.just({}), st.just(""), st.just("-1"), st.just("0"), st.just("abc"), st.just("1e3"),
    st.just("2026-11-20"), st.just("99999999"), st.just("0.001"),
    # text with line breaks is fuzzed in test_spec_disagreements.py (the engine echoes them: not one line)
    st.text(st.characters(blacklist_characters=LINE_BREAKS), max_size=8),
)
BASES = [procurement_base, lowest_base, benchmark_base]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(BASES) - 1), st.data(), JUNK)
def test_fuzz_leaf_mutations_raise_only_case_errors(base_index: int, data: st.DataObject, junk: Any) -> None:
    document = BASES[base_index]()
    path = data.draw(st.sampled_from(leaves(document)))
    setter(path, junk)(document)
    try:
        case = parse_case(document)
    except CaseError as error:
        line = str(error)
        assert line.strip() and "\n" not in line
        return
    # accepted: then it must evaluate without any exception and print valid JSON
    json.dumps(evaluate(case).to_json())
    # a JSON number for money or a score is always an input error
    if isinstance(junk, (int, float)) and not isinstance(junk, bool):
        assert path[-1] not in DECIMAL_FIELDS and not in_scores(path), (path, junk)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["E1", "E2", "E3", "E4", "E5"]), st.sampled_from(["B1", "B2", "B3"]),
       st.sampled_from(["T1", "C1"]), st.one_of(st.integers(-100, 100), st.floats(-100, 100, allow_nan=False)))
def test_fuzz_json_number_scores_name_their_path(expert: str, bidder: str, criterion: str, number: float) -> None:
    document = procurement_base()
    document["scores"][expert][bidder][criterion] = number
    with pytest.raises(CaseError) as caught:
        parse_case(document)
    assert str(caught.value).startswith(f"scores.{expert}.{bidder}.{criterion}")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["T1", "C1"]),
       st.decimals(min_value=-50, max_value=50, places=2, allow_nan=False, allow_infinity=False))
def test_fuzz_score_strings_in_range_and_on_step_are_the_only_ones_accepted(criterion: str, value: Any) -> None:
    """'a score outside [0, max] or off its step' is an input error; everything else parses."""
    document = procurement_base()
    text = str(value)
    document["scores"]["E2"]["B1"][criterion] = text
    spec = T1 if criterion == "T1" else C1
    number, maximum, step = Decimal(text), Decimal(spec["max"]), Decimal(spec["step"])
    acceptable = Decimal(0) <= number <= maximum and (number / step) == (number / step).to_integral_value()
    if acceptable:
        parse_case(document)
    else:
        with pytest.raises(CaseError) as caught:
            parse_case(document)
        assert str(caught.value).startswith(f"scores.E2.B1.{criterion}")
