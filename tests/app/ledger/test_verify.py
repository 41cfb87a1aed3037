"""Mutation suite (issue #3): every change to history is detected or rejected, with a precise message.

A whole session is played into a real SQLite file and exported; then one thing is changed in the JSON
Lines feeds (or in the session file) and `verify_path` must name it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import sqlite3
from pathlib import Path

import pytest

import ledgerkit as lk
from app.crypto.keys import SigningKey
from app.ledger.canonical import canonical
from app.ledger.events import SIGNING_CONTEXT, from_line, new_event
from app.services.ledger_check import LedgerInputError, verify_path


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archived session folder: session.sqlite, ledger/, keys/room.pub.pem (made once)."""
    folder = tmp_path_factory.mktemp("archived")
    kit = lk.archived(folder)
    (folder / "members.json").write_text(json.dumps({m: k.to_pkcs12(b"x", rounds=1000).hex()
                                                     for m, k in kit.members.items()}))
    return folder


@pytest.fixture
def ledger(archived: Path, tmp_path: Path) -> Path:
    """A fresh copy of the exported ledger folder with the room key beside it."""
    folder = tmp_path / "case"
    lk.copy_tree(archived / "ledger", folder / "ledger")
    lk.copy_tree(archived / "keys", folder / "keys")
    return folder / "ledger"


def member_key(archived: Path, member: str) -> SigningKey:
    data = json.loads((archived / "members.json").read_text())
    return SigningKey.from_pkcs12(bytes.fromhex(data[member]), b"x")


def feed(folder: Path, label: str) -> Path:
    return next(folder.glob(f"{label}-*.jsonl"))


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write(path: Path, rows: list[str]) -> None:
    path.write_text("".join(r + "\n" for r in rows), encoding="utf-8")


def problems(path: Path) -> list[str]:
    return verify_path(path).problems


def test_the_untouched_ledger_verifies(archived: Path, ledger: Path) -> None:
    assert problems(ledger) == []
    assert problems(archived) == []  # the simulate-style folder: session file and feeds together
    assert problems(archived / "session.sqlite") == []


def test_a_flipped_byte_in_a_score_is_detected(ledger: Path) -> None:
    path = feed(ledger, "E2")
    rows = lines(path)
    first = next(i for i, row in enumerate(rows) if '"score":"30"' in row)
    ev = from_line(rows[first])
    rows[first] = rows[first].replace('"score":"30"', '"score":"31"')
    write(path, rows)
    found = problems(ledger)
    assert (f"hash: event {ev.short} (E2 seq {ev.seq}, ledger/{path.name}:{first + 1}): content does not match its id "
            "(altered)") in found
    assert any(p.startswith("checkpoint: ") and "E2's events up to seq" in p for p in found)


def test_any_flipped_byte_anywhere_is_detected(ledger: Path) -> None:
    rng = random.Random(3)
    files = sorted(ledger.glob("*.jsonl"))
    originals = {f: f.read_bytes() for f in files}
    for _ in range(25):
        target = rng.choice(files)
        data = bytearray(originals[target])
        index = rng.randrange(len(data))
        if data[index] == 0x0A:
            continue
        data[index] ^= 1 << rng.randrange(7)
        target.write_bytes(bytes(data))
        assert problems(ledger), f"undetected flip at byte {index} of {target.name}"
        target.write_bytes(originals[target])


def test_a_dropped_event_is_detected(ledger: Path) -> None:
    path = feed(ledger, "E3")
    rows = lines(path)
    del rows[1]
    write(path, rows)
    assert "chain: E3 seq 2 is missing (events dropped)" in problems(ledger)


def test_a_dropped_last_event_is_caught_by_the_checkpoint(ledger: Path) -> None:
    path = feed(ledger, "E3")
    rows = lines(path)
    write(path, rows[:-1])
    found = problems(ledger)
    dropped = f"it covers E3's events up to seq {len(rows)}, but only {len(rows) - 1} are present (events dropped)"
    assert any(p.startswith("checkpoint: checkpoint ") and dropped in p for p in found), found


def test_reordered_events_are_detected(ledger: Path) -> None:
    path = feed(ledger, "E4")
    rows = lines(path)
    rows[0], rows[1] = rows[1], rows[0]
    write(path, rows)
    assert f"format: ledger/{path.name} line 2: seq 1 after seq 2 (feed out of order)" in problems(ledger)


def test_a_fork_is_reported_as_an_incident(archived: Path, ledger: Path) -> None:
    path = feed(ledger, "E2")
    rows = lines(path)
    original = from_line(rows[2])
    key = member_key(archived, "E2")
    body = dict(original.body, score="12")
    twin = new_event(key, original.session, original.seq, original.prev, original.time, original.type, body)
    write(path, rows + [twin.to_line()])
    found = problems(ledger)
    ids = ", ".join(sorted([original.short, twin.short]))
    assert f"fork: E2 signed 2 different events at seq 3 ({ids}): incident" in found


def test_other_content_without_the_key_is_altered_not_a_fork(ledger: Path) -> None:
    path = feed(ledger, "E2")
    rows = lines(path)
    record = json.loads(rows[2])
    record["event"]["body"]["score"] = "12"
    write(path, rows + [json.dumps(record, ensure_ascii=False)])
    found = problems(ledger)
    assert any(p.startswith(f"hash: event {record['id'][:8]} (E2 seq 3") for p in found)
    assert not any(p.startswith("fork:") for p in found)


def test_re_signed_with_another_key_is_detected(ledger: Path) -> None:
    path = feed(ledger, "E5")
    rows = lines(path)
    original = from_line(rows[0])
    intruder = SigningKey.generate()
    forged = new_event(intruder, original.session, 1, None, original.time, original.type,
                       dict(original.body, score="40"))
    record = forged.to_record()
    record["event"] = dict(record["event"], author=original.author)  # keep the expert's name on it
    record["id"] = hashlib.sha256(canonical(record["event"])).hexdigest()
    record["sig"] = base64.b64encode(intruder.sign(SIGNING_CONTEXT + bytes.fromhex(record["id"]))).decode()
    rows[0] = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    write(path, rows)
    assert f"signature: event {record['id'][:8]} (E5 seq 1, ledger/{path.name}:1): bad signature" in problems(ledger)


def test_a_feed_by_an_undeclared_key_is_reported(ledger: Path) -> None:
    intruder = SigningKey.generate()
    ev = new_event(intruder, "TEST-001-01", 1, None, "2026-11-20T01:00:00.000000Z", "score.set",
                   {"expert": "E1", "bidder": "B1", "criterion": "T1", "score": "40"})
    write(ledger / "intruder.jsonl", [ev.to_line()])
    assert (f"signature: feed of key {intruder.key_id[:8]} (1 events): its key was not declared by the room"
            in problems(ledger))


def test_another_room_key_is_refused(ledger: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.pem"
    other.write_bytes(SigningKey.generate().public.to_pem())
    found = verify_path(ledger, other).problems
    from app.crypto.keys import VerifyingKey

    stranger = VerifyingKey.from_pem(other.read_bytes())
    assert found == [f"room key: the room key {stranger.key_id[:8]} wrote no event in this ledger"]


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("cross", "score.set refused: E2 wrote scores for E3: an expert writes only his own scores (DESIGN §2)"),
        ("after_submit", "score.set refused: E2 has already submitted the score sheet; only the chair can reopen it"),
        ("pause", "session.paused refused: only a supervisor may pause the session (DESIGN §2)"),
    ],
)
def test_rule_violations_are_listed_by_the_verifier(tmp_path: Path, action: str, expected: str) -> None:
    kit = lk.start(tmp_path)
    kit.score_all()
    if action == "cross":
        ev = kit.session.write(kit.members["E2"], "score.set",
                               {"expert": "E3", "bidder": "B1", "criterion": "T1", "score": "1"})
    elif action == "after_submit":
        ev = kit.session.write(kit.members["E2"], "score.set",
                               {"expert": "E2", "bidder": "B1", "criterion": "T1", "score": "1"})
    else:
        ev = kit.session.write(kit.members["E4"], "session.paused", {"reason": "no"})
    kit.session.close()
    found = problems(kit.path)
    assert found == [f"rule: event {ev.short} by {'E4' if action == 'pause' else 'E2'}: {expected}"]


def test_an_event_of_another_session_is_rejected(ledger: Path, archived: Path) -> None:
    path = feed(ledger, "E1")
    rows = lines(path)
    last = from_line(rows[-1])
    key = member_key(archived, "E1")
    stray = new_event(key, "OTHER-SESSION", last.seq + 1, last.id, last.time, "score.set", {"expert": "E1"})
    write(path, rows + [stray.to_line()])
    found = problems(ledger)
    assert (f"rule: event {stray.short} by E1: score.set refused: it belongs to session 'OTHER-SESSION', not "
            "'TEST-001-01'") in found


def test_the_session_file_is_verified_too(archived: Path, tmp_path: Path) -> None:
    db = tmp_path / "session.sqlite"
    db.write_bytes((archived / "session.sqlite").read_bytes())
    with sqlite3.connect(db) as conn:
        raw, pos = conn.execute("SELECT raw, pos FROM events WHERE type='score.set' ORDER BY pos LIMIT 1").fetchone()
        conn.execute("UPDATE events SET raw=? WHERE pos=?", (raw.replace(b'"score":"30"', b'"score":"35"'), pos))
        conn.execute("DELETE FROM events WHERE pos=?", (pos + 1,))
    found = problems(db)
    assert any(p.startswith("hash: event ") and "session.sqlite event" in p for p in found)
    assert any(p.startswith("chain: ") and "is missing (events dropped)" in p for p in found)


def test_a_feed_missing_from_the_export_is_listed(archived: Path, tmp_path: Path) -> None:
    folder = lk.copy_tree(archived, tmp_path / "sim")
    rows = lines(feed(folder / "ledger", "E1"))
    write(feed(folder / "ledger", "E1"), rows[:-1])
    found = problems(folder)
    assert any(p.startswith("export: event ") and "is missing from ledger/" in p for p in found)


def test_unusable_paths_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(LedgerInputError, match="no such file or folder"):
        verify_path(tmp_path / "nothing")
    with pytest.raises(LedgerInputError, match="neither a session file"):
        verify_path(tmp_path)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(LedgerInputError, match="cannot be read as a session file"):
        verify_path(junk)


def test_a_checkpoint_with_a_wrong_root_is_reported(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    good = kit.session.checkpoint()
    body = dict(good.body)
    from app.ledger.anchoring import checkpoint_body

    body = checkpoint_body("scoring", body["origin"], body["frontier"], body["size"], b"\x07" * 32, kit.room)
    bad = kit.session.write(kit.room, "checkpoint", body)
    kit.session.close()
    found = problems(kit.path)
    assert len(found) == 1 and found[0].startswith(f"checkpoint: checkpoint {bad.short} (stage scoring): ")
    assert "Merkle root mismatch: signed BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=, recomputed " in found[0]
    assert found[0].endswith("(history changed)")


def test_a_checkpoint_note_signed_by_another_key_is_reported(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    from app.ledger.anchoring import Epochs, checkpoint_body

    store = kit.session.store
    frontier = store.frontier()
    epochs = Epochs.start({a: sorted([e for e in store.events() if e.author == a], key=lambda e: e.seq)
                           for a in frontier})
    for mark in kit.state.checkpoints:
        epochs.extend(mark.frontier)
    epochs.extend(frontier)
    body = checkpoint_body("scoring", "evalroom/test-room/TEST-001-01", frontier, len(epochs.leaves), epochs.root(),
                           SigningKey.generate())
    bad = kit.session.write(kit.room, "checkpoint", body)
    kit.session.close()
    assert problems(kit.path) == [
        f"checkpoint: checkpoint {bad.short} (stage scoring): signed note invalid: "
        + problems_note(body["note"], kit.room)
    ]


def problems_note(note: str, room: SigningKey) -> str:
    from app.ledger.checkpoint import CheckpointError, verify_checkpoint

    try:
        verify_checkpoint(note, room.public)
    except CheckpointError as exc:
        return str(exc)
    raise AssertionError("the note verified")
