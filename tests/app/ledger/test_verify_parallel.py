"""`ledger verify --jobs N` (issue #19): signatures checked in worker processes give the very report one process
gives, on an intact ledger and on tampered ones, a tampered event in the middle of a later batch included.

The batches are made tiny (3 signatures) and the parallel path is taken for any size, so a played session of a
few dozen events spreads over many batches; every case compares problems and notes with ``jobs=1``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

import ledgerkit as lk
from app.cli import main
from app.crypto.keys import SigningKey
from app.ledger import parallel, verify
from app.ledger.canonical import canonical
from app.ledger.events import SIGNING_CONTEXT, from_line, new_event
from app.services.ledger_check import verify_path

pytestmark = pytest.mark.slow  # starts worker processes


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, SigningKey]]:
    folder = tmp_path_factory.mktemp("parallel")
    kit = lk.archived(folder)
    return folder, dict(kit.members)


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Tiny batches, the parallel path for any size; counts the worker pools started."""
    monkeypatch.setattr(parallel, "BATCH", 3)
    monkeypatch.setattr(verify, "MIN_PARALLEL", 0)
    started: list[int] = []
    real = parallel.SignatureChecks

    class Counted(real):  # type: ignore[misc, valid-type]
        def __init__(self, checks: object, jobs: int) -> None:
            started.append(jobs)
            super().__init__(checks, jobs)  # type: ignore[arg-type]

    monkeypatch.setattr(verify, "SignatureChecks", Counted)
    return started


def _copy(archived: tuple[Path, dict[str, SigningKey]], tmp_path: Path) -> Path:
    lk.copy_tree(archived[0] / "ledger", tmp_path / "case" / "ledger")
    lk.copy_tree(archived[0] / "keys", tmp_path / "case" / "keys")
    return tmp_path / "case" / "ledger"


def _rows(ledger: Path, label: str) -> tuple[Path, list[str]]:
    path = next(ledger.glob(f"{label}-*.jsonl"))
    return path, path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, rows: list[str]) -> None:
    path.write_text("".join(r + "\n" for r in rows), encoding="utf-8")


def _same_answer(path: Path, pools: list[int]) -> list[str]:
    serial = verify_path(path, jobs=1)
    assert pools == []
    parallel_ = verify_path(path, jobs=2)
    assert pools == [2], "the parallel path was not taken"
    assert (parallel_.problems, parallel_.notes, parallel_.events) == (serial.problems, serial.notes, serial.events)
    return serial.problems


def _later_middle(rows: list[str]) -> int:
    """A row in the middle of a later batch of the feed (batches of 3 in feed order: rows 3, 4, 5 are the second)."""
    assert len(rows) >= 6
    return 4


def test_an_intact_ledger_gives_the_same_report(archived: tuple[Path, dict[str, SigningKey]], tmp_path: Path,
                                                pools: list[int]) -> None:
    ledger = _copy(archived, tmp_path)
    assert _same_answer(ledger, pools) == []


def test_the_simulate_folder_with_both_copies_gives_the_same_report(
        archived: tuple[Path, dict[str, SigningKey]], pools: list[int]) -> None:
    assert _same_answer(archived[0], pools) == []


def _bad_signature(rows: list[str], index: int, _keys: dict[str, SigningKey]) -> str:
    record = json.loads(rows[index])
    other = json.loads(rows[index + 1])
    record["sig"] = other["sig"]  # a real signature, of another event
    rows[index] = json.dumps(record, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    ev = from_line(rows[index])
    return f"signature: event {ev.short} (E2 seq {ev.seq}, "


def _re_signed_by_another(rows: list[str], index: int, _keys: dict[str, SigningKey]) -> str:
    original = from_line(rows[index])
    intruder = SigningKey.generate()
    forged = new_event(intruder, original.session, original.seq, original.prev, original.time, original.type,
                       dict(original.body, score="12"))
    record = forged.to_record()
    record["event"]["author"] = original.author  # claims to be E2, with a correct id: its signature fails
    digest = hashlib.sha256(canonical(record["event"])).digest()
    record["id"] = digest.hex()
    record["sig"] = base64.b64encode(intruder.sign(SIGNING_CONTEXT + digest)).decode("ascii")
    rows[index] = canonical(record).decode("utf-8")
    return f"signature: event {record['id'][:8]} (E2 seq {original.seq}, "


def _altered(rows: list[str], index: int, _keys: dict[str, SigningKey]) -> str:
    record = json.loads(rows[index])
    record["event"]["body"]["score"] = "1" + str(record["event"]["body"].get("score", ""))
    rows[index] = json.dumps(record, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"hash: event {record['id'][:8]} (E2 seq {record['event']['seq']}, "


def _forked(rows: list[str], index: int, keys: dict[str, SigningKey]) -> str:
    original = from_line(rows[index])
    twin = new_event(keys["E2"], original.session, original.seq, original.prev, original.time, original.type,
                     dict(original.body, score="12"))
    rows.append(twin.to_line())
    ids = ", ".join(sorted([original.short, twin.short]))
    return f"fork: E2 signed 2 different events at seq {original.seq} ({ids}): incident"


@pytest.mark.parametrize("tamper", [_bad_signature, _re_signed_by_another, _altered, _forked],
                         ids=["bad-signature", "re-signed", "altered", "fork"])
def test_a_tampered_event_in_a_later_batch_gives_the_same_report(
        archived: tuple[Path, dict[str, SigningKey]], tmp_path: Path, pools: list[int],
        tamper: Callable[[list[str], int, dict[str, SigningKey]], str]) -> None:
    ledger = _copy(archived, tmp_path)
    path, rows = _rows(ledger, "E2")
    expected = tamper(rows, _later_middle(rows), archived[1])
    _write(path, rows)
    found = _same_answer(ledger, pools)
    first = next(p for p in found if p.split(":")[0] in {"signature", "hash", "fork"})
    assert first.startswith(expected), found


def test_two_bad_signatures_report_the_first_by_order_first(archived: tuple[Path, dict[str, SigningKey]],
                                                            tmp_path: Path, pools: list[int]) -> None:
    ledger = _copy(archived, tmp_path)
    path, rows = _rows(ledger, "E2")
    later = _bad_signature(rows, 4, archived[1])
    earlier = _bad_signature(rows, 1, archived[1])
    _write(path, rows)
    found = [p for p in _same_answer(ledger, pools) if p.startswith("signature:")]
    assert found[0].startswith(earlier) and found[1].startswith(later), found


def test_the_cli_takes_jobs(archived: tuple[Path, dict[str, SigningKey]], pools: list[int],
                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger", "verify", "--jobs", "2", str(archived[0] / "ledger")]) == 0
    assert pools == [2]
    assert capsys.readouterr().out == ""
    assert main(["ledger", "verify", "--jobs", "0", str(archived[0] / "ledger")]) == 2
    assert capsys.readouterr().err.strip() == "evalroom: ledger verify: --jobs 0: give at least 1"


def test_the_worker_context_is_the_event_context() -> None:
    assert parallel.CONTEXT == SIGNING_CONTEXT
