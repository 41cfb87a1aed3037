"""Ledger benchmarks (issue #3), ratios measured in the same run on the same disk.

1. Durable append of a signed score event (chain check, insert, fold with the permission rules,
   projection row, commit with WAL fsync) vs a raw ``sqlite3`` insert of a row of the same size committed
   with WAL + synchronous=FULL. Target: <= 1.5x. The whole scoring action (encoding and Ed25519 signing
   too) is printed beside it: signing is a fixed CPU cost that an fsync-bound disk hides.
2. Verifying a 100 000-event ledger (read the JSON Lines feeds, hash, signature, chain, fold with the
   permission rules, Merkle root of the checkpoint) vs a raw Ed25519 verify loop over the same
   signatures (keys loaded once, messages in memory). Target: <= 1.3x.

Run: ``python bench/ledger.py [--events N] [--appends N]``.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.asymmetric import ed25519  # noqa: E402

from app.crypto.keys import SigningKey  # noqa: E402
from app.ledger.anchoring import Epochs, checkpoint_body, origin_of  # noqa: E402
from app.ledger.authors import key_to_json, sign_binding  # noqa: E402
from app.ledger.events import SIGNING_CONTEXT, SignedEvent, new_event  # noqa: E402
from app.ledger.export import write_feeds  # noqa: E402
from app.services.ledger_check import verify_path  # noqa: E402
from app.services.session import Clock, Session  # noqa: E402
from app.services.templates import commitment_letter  # noqa: E402

CASE = {
    "format": "evalroom-case/1", "profile": "procurement",
    "project": {"code": "BENCH-1", "name": "基准", "category": "goods"},
    "lot": {"code": "01", "name": "一"},
    "opening": {"deadline": "2026-11-20T09:30:00+08:00"},
    "bidders": [{"id": f"B{i}", "name": f"投标人{i}", "price": f"{100 + i}.00",
                 "submitted_at": "2026-11-20T09:00:00+08:00"}
                for i in range(1, 4)],
    "committee": [{"id": f"E{i}", "name": f"专家{i}", "role": "expert"} for i in range(1, 6)],
    "method": {"kind": "comprehensive", "price": {"kind": "low_price_first", "points": "30"},
               "criteria": [{"id": "T1", "name": "技术", "group": "technical", "type": "subjective", "max": "40",
                             "step": "0.5"}]},
}
STAGES = ("opening", "checkin", "committee", "preliminary", "scoring")
VALUES = [str(v / 2).removesuffix(".0") for v in range(81)]


def _scoring_session(folder: Path, name: str) -> tuple[Session, SigningKey]:
    room = SigningKey.generate()
    session = Session.create(folder / name, "BENCH-1-01", "bench", CASE, room)
    members = {m["id"]: SigningKey.generate() for m in CASE["committee"]}
    letter = commitment_letter()
    for stage in STAGES:
        session.advance(stage)
        if stage == "opening":
            session.read_bids()
        if stage == "checkin":
            for member, key in members.items():
                session.check_in(member, key)
                session.sign_letter(key, member, letter.name, letter.version_sha256)
                session.declare(key, member, conflict=False)
        if stage == "committee":
            session.elect_chair("E1")
    return session, members["E1"]


def bench_append(folder: Path, appends: int, block: int = 50) -> tuple[float, float, float]:
    """Medians: the whole action (sign + append), the append of an already signed event, raw insert.

    The three are measured in interleaved blocks, so a change in the machine's load or the disk's
    latency during the run affects them alike.
    """
    action_session, action_key = _scoring_session(folder, "action.sqlite")
    append_session, append_key = _scoring_session(folder, "append.sqlite")
    store = append_session.store
    seq, prev = store.head(append_key.key_id) or (0, None)
    signed = []
    for i in range(appends):
        ev = new_event(append_key, store.session_id, seq + 1, prev, append_session.clock.now(), "score.set",
                       {"expert": "E1", "bidder": f"B{1 + i % 3}", "criterion": "T1", "score": VALUES[i % len(VALUES)]})
        seq, prev = ev.seq, ev.id
        signed.append(ev)
    sample = signed[-1]
    conn = sqlite3.connect(folder / "raw.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE events (id TEXT PRIMARY KEY, author TEXT, seq INTEGER, raw BLOB, sig BLOB)")

    action: list[float] = []
    append: list[float] = []
    raw: list[float] = []
    for first in range(0, appends, block):
        for i in range(first, min(first + block, appends)):
            start = time.perf_counter()
            conn.execute("BEGIN")
            conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?)",
                         (f"{i:064x}", sample.author, i + 1, sample.raw, sample.sig))
            conn.execute("COMMIT")
            raw.append(time.perf_counter() - start)
        for ev in signed[first:first + block]:
            start = time.perf_counter()
            store.append(ev)
            append.append(time.perf_counter() - start)
        for i in range(first, min(first + block, appends)):
            start = time.perf_counter()
            action_session.set_score(action_key, "E1", f"B{1 + i % 3}", "T1", VALUES[i % len(VALUES)])
            action.append(time.perf_counter() - start)
    assert not store.state.rejections and not action_session.state.rejections
    conn.close()
    action_session.close()
    append_session.close()
    return statistics.median(action), statistics.median(append), statistics.median(raw)


def build_ledger(folder: Path, count: int) -> list[tuple[ed25519.Ed25519PublicKey, bytes, bytes]]:
    """A valid session of ``count`` events as JSON Lines feeds, written directly (no fsync per event)."""
    clock = Clock()
    room = SigningKey.generate()
    members = {m["id"]: SigningKey.generate() for m in CASE["committee"]}
    heads: dict[str, tuple[int, str | None]] = {}
    events: list[SignedEvent] = []

    def emit(key: SigningKey, type_: str, body: dict[str, object]) -> None:
        seq, prev = heads.get(key.key_id, (0, None))
        ev = new_event(key, "BENCH-1-01", seq + 1, prev, clock.now(), type_, body)
        heads[key.key_id] = (seq + 1, ev.id)
        events.append(ev)

    emit(room, "session.created", {"room": "bench", "package": CASE, "room_key": key_to_json(room.public)})
    letter = commitment_letter()
    for stage in STAGES:
        emit(room, "stage.advanced", {"to": stage})
        if stage == "opening":
            emit(room, "opening.read", {"bids": [{"bidder": b["id"], "price": b["price"]} for b in CASE["bidders"]]})
        if stage == "checkin":
            for member, key in members.items():
                emit(room, "checkin", {"member": member, "key": key_to_json(key.public),
                                       "binding": sign_binding(key, "BENCH-1-01", member)})
                emit(key, "letter.signed",
                     {"signer": member, "template": letter.name, "template_sha256": letter.version_sha256})
                emit(key, "coi.declared", {"member": member, "conflict": False, "grounds": [], "statement": ""})
        if stage == "committee":
            emit(room, "chair.elected", {"member": "E1"})
    order = list(members)
    while len(events) < count - 1:
        i = len(events)
        member = order[i % len(order)]
        emit(members[member], "score.set", {"expert": member, "bidder": f"B{1 + i % 3}", "criterion": "T1",
                                            "score": VALUES[i % len(VALUES)]})
    feeds: dict[str, list[SignedEvent]] = {}
    for ev in events:
        feeds.setdefault(ev.author, []).append(ev)
    epochs = Epochs.start(feeds)
    frontier = {author: seq for author, (seq, _) in heads.items()}
    epochs.extend(frontier)
    emit(room, "checkpoint", checkpoint_body("scoring", origin_of("bench", "BENCH-1-01"), frontier,
                                             len(epochs.leaves), epochs.root(), room))
    labels = {room.key_id: "room", **{k.key_id: m for m, k in members.items()}}
    write_feeds(events, labels, folder / "ledger")
    (folder / "keys").mkdir()
    (folder / "keys" / "room.pub.pem").write_bytes(room.public.to_pem())
    publics = {k.key_id: ed25519.Ed25519PublicKey.from_public_bytes(k.public.raw) for k in [room, *members.values()]}
    return [(publics[ev.author], ev.sig, SIGNING_CONTEXT + bytes.fromhex(ev.id)) for ev in events]


def bench_verify(folder: Path, count: int) -> tuple[float, float, int]:
    signatures = build_ledger(folder, count)
    start = time.perf_counter()
    for public, sig, message in signatures:
        public.verify(sig, message)
    raw = time.perf_counter() - start
    start = time.perf_counter()
    outcome = verify_path(folder / "ledger")
    ours = time.perf_counter() - start
    if outcome.problems:
        raise SystemExit("the benchmark ledger does not verify: " + outcome.problems[0])
    return ours, raw, outcome.events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--appends", type=int, default=1000)
    parser.add_argument("--dir", help="folder on the disk to measure (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as temp:
        folder = Path(temp)
        (folder / "append").mkdir()
        action, append, raw = bench_append(folder / "append", args.appends)
        print(f"raw sqlite3 insert + commit (WAL, synchronous=FULL), median: {raw * 1e3:.3f} ms")
        print(f"durable append of a signed score event (chain check, insert, fold with permissions, projection row, "
              f"commit): {append * 1e3:.3f} ms; ratio {append / raw:.2f}x (target <= 1.5x)")
        print("the whole scoring action (canonical encoding, Ed25519 signature, then that append): "
              f"{action * 1e3:.3f} ms; ratio {action / raw:.2f}x")
        (folder / "verify").mkdir()
        ours_v, raw_v, count = bench_verify(folder / "verify", args.events)
        print(f"verify a {count}-event ledger: {ours_v:.2f} s ({ours_v / count * 1e6:.1f} us/event); "
              f"raw Ed25519 verify loop: {raw_v:.2f} s ({raw_v / count * 1e6:.1f} us/event); "
              f"ratio {ours_v / raw_v:.2f}x (target <= 1.3x)")
        print(f"(python {sys.version.split()[0]}, {os.cpu_count()} CPUs, folder {folder})")


if __name__ == "__main__":
    main()
