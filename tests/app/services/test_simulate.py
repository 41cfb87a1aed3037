"""`simulate` plays a whole session through the ledger; its result equals the rule engine's (issue #3 §6)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import casebuilder as cb
from app.crypto.keys import SigningKey, VerifyingKey
from app.domain.case_parse import parse_case
from app.domain.errors import CaseError
from app.domain.evaluate import evaluate
from app.services.evaluation import dump_result, evaluate_file
from app.services.ledger_check import verify_path
from app.services.simulate import SimulationError, simulate
from app.store.ledger_store import LedgerStore

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
SCORED = ROOT / "examples" / "procurement-goods-comprehensive.json"


def _write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _two_chairs() -> dict[str, Any]:
    doc = cb.case()
    doc["committee"][1]["chair"] = True
    return doc


def _missing_score() -> dict[str, Any]:
    doc = cb.case()
    del doc["scores"]["E3"]["B2"]
    return doc


def _preliminary_failures() -> dict[str, Any]:
    doc = cb.case(prices={"B1": "100.00", "B2": "110.00", "B3": "120.00", "B4": "130.00"})
    doc["preliminary"] = {m: {"B4": {"pass": False, "reason": "资质不符"}} for m in ("E1", "E2", "E3")}
    doc["preliminary"]["E4"] = {"B4": {"pass": True}}
    return doc


def _low_price() -> dict[str, Any]:
    doc = cb.case(prices={"B1": "50.00", "B2": "110.00", "B3": "120.00", "B4": "125.00"})
    doc["low_price_decisions"] = {"B1": "rejected"}
    return doc


def _lowest_price_adjusted() -> dict[str, Any]:
    doc = cb.lowest_price_case(profile="engineering", members=cb.committee(experts=5))
    doc["adjustments"] = {"B2": [{"amount": "-15.00", "reason": "工期偏差"}], "B1": [{"amount": "3.00", "reason": "x"}]}
    return doc


VARIANTS = {
    "ranked": cb.case,
    "two_chairs": _two_chairs,
    "missing_score": _missing_score,
    "preliminary_failures": _preliminary_failures,
    "low_price": _low_price,
    "lowest_price_adjusted": _lowest_price_adjusted,
    "objective_inconsistent": lambda: cb.set_scores(
        cb.case(criteria=[{"id": "C1", "name": "认证", "group": "commercial", "type": "objective", "max": "2"}],
                scores=cb.uniform_scores(cb.committee(), {b: {"C1": "2"} for b in ("B1", "B2", "B3")})),
        "B1", "C1", ["2", "2", "1", "2", "2"]),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_simulate_equals_evaluate(tmp_path: Path, name: str) -> None:
    case = _write(tmp_path, VARIANTS[name]())
    done = simulate(case, tmp_path / "out", passphrase=b"pw", kdf_rounds=1000)
    expected = dump_result(evaluate_file(case))
    assert done.result_text == expected
    assert (tmp_path / "out" / "result.json").read_text(encoding="utf-8") == expected
    assert verify_path(tmp_path / "out").problems == []


def test_simulate_writes_exactly_the_files_of_the_spec(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = simulate(SCORED, out, room="room-7", passphrase=b"secret", kdf_rounds=1000)
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    feeds = [f for f in files if f.startswith("ledger/")]
    # the encrypted private key is the PKCS#12 file plus its KDF parameters (app.crypto.keys.SigningKey.save)
    assert sorted(set(files) - set(feeds)) == ["keys/room.kdf.json", "keys/room.p12", "keys/room.pub.pem",
                                               "result.json", "session.sqlite"]
    assert all(f.endswith(".jsonl") for f in feeds)
    assert len(feeds) == 1 + len(json.loads(SCORED.read_text())["committee"])  # the room and each member
    key = SigningKey.load(out / "keys" / "room.p12", b"secret")
    assert key.public == VerifyingKey.from_pem((out / "keys" / "room.pub.pem").read_bytes())
    with LedgerStore.open(out / "session.sqlite") as store:
        assert store.room == "room-7" and store.state.stage == "archived"
        assert store.room_key == key.public
        assert store.count() == done.events
        stages = [c.stage for c in store.state.checkpoints]
    # each stage end, the report's finalization ("report") and the archive
    assert stages == ["created", "opening", "checkin", "committee", "preliminary", "scoring", "summary", "report",
                      "archived"]


def test_every_score_is_an_event_by_its_expert_s_own_key(tmp_path: Path) -> None:
    simulate(SCORED, tmp_path / "out", passphrase=b"pw", kdf_rounds=1000)
    with LedgerStore.open(tmp_path / "out" / "session.sqlite") as store:
        state = store.state
        scores = [ev for ev in store.events() if ev.type == "score.set"]
        assert scores and all(state.authors[ev.author].member == ev.body["expert"] for ev in scores)
        document = json.loads(SCORED.read_text())
        assert len(scores) == sum(len(row) for sheet in document["scores"].values() for row in sheet.values())


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    doc = cb.case()
    doc["scores"]["E1"]["B1"]["T1"] = "41"
    with pytest.raises(CaseError, match=r'scores\.E1\.B1\.T1: "41" is above the maximum 40'):
        simulate(_write(tmp_path, doc), tmp_path / "out", passphrase=b"pw", kdf_rounds=1000)
    assert not (tmp_path / "out").exists()
    with pytest.raises(SimulationError, match="room id 'room 1' may hold only"):
        simulate(_write(tmp_path, cb.case()), tmp_path / "out", room="room 1", passphrase=b"pw")
    assert not (tmp_path / "out").exists()


def test_a_used_folder_is_refused(tmp_path: Path) -> None:
    case = _write(tmp_path, cb.case())
    simulate(case, tmp_path / "out", passphrase=b"pw", kdf_rounds=1000)
    with pytest.raises(SimulationError, match="already holds a simulated session"):
        simulate(case, tmp_path / "out", passphrase=b"pw", kdf_rounds=1000)


def test_a_float_in_an_extra_field_is_kept_as_a_decimal_string(tmp_path: Path) -> None:
    """`evaluate` ignores fields the format does not define, so `simulate` must not refuse them either
    (its result equals `evaluate`); the ledger holds no floats, so such a number is kept as a string."""
    doc = cb.case()
    doc["project"]["area_m2"] = 12.5
    out = simulate(_write(tmp_path, copy.deepcopy(doc)), tmp_path / "out", passphrase=b"pw", kdf_rounds=1000)
    assert out.result_text == dump_result(evaluate(parse_case(cb.case())).to_json())
    room_feed = next((tmp_path / "out" / "ledger").glob("room-*.jsonl")).read_text(encoding="utf-8")
    assert '"area_m2":"12.5"' in room_feed
