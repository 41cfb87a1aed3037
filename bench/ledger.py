"""Ledger benchmarks (issues #3 and #19), EvalRoom and its baseline measured in the same run on the same disk.

1. A score as the expert makes it: ``Session.set_score`` builds the score event, encodes it canonically,
   signs it with Ed25519, appends it to the real SQLite ledger store (chain check, fold with the permission
   rules, projection row, outbox row) and commits durably (WAL + synchronous=FULL: the WAL is fsynced before
   it returns). Baseline: a raw ``sqlite3`` INSERT of a row of the same size into a one-table database in WAL
   mode with synchronous=FULL, one commit per row. Median and p99 of each; target <= 1.5x for both. The two
   are timed in interleaved blocks, so a change of load or disk latency during the run touches both alike.
   The append of an already signed event is printed beside them (where the time goes).
2. Verifying a 100 000-event ledger (read the JSON Lines feeds, hash, signature, chain, fold with the
   permission rules, Merkle root of the checkpoint), on one core (``--jobs 1``) and with the signatures
   checked in parallel processes (``--jobs`` = the core count), vs a raw Ed25519 verify loop over the same
   signatures on one core (keys loaded once, messages in memory). Targets: <= 1.3x on one core, <= 0.8x on all.

Every figure prints the machine's load average (``os.getloadavg``) before and after it: on a shared machine
compare runs at a low load only.

Run: ``python bench/ledger.py [--events N] [--appends N] [--repeat N]``.
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


class Figure:
    """Samples (seconds) of one measure: median and p99."""

    def __init__(self, samples: list[float]) -> None:
        self.samples = samples
        self.median = statistics.median(samples)
        self.p99 = statistics.quantiles(samples, n=100, method="inclusive")[98]

    def ms(self) -> str:
        return f"median {self.median * 1e3:.3f} ms, p99 {self.p99 * 1e3:.3f} ms"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} (5 min {five:.2f})"


def bench_append(folder: Path, appends: int, block: int = 50) -> tuple[Figure, Figure, Figure]:
    """The whole scoring action, the append of an already signed event, and the raw insert.

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
        for i in range(first, min(first + block, appends)):
            start = time.perf_counter()
            action_session.set_score(action_key, "E1", f"B{1 + i % 3}", "T1", VALUES[i % len(VALUES)])
            action.append(time.perf_counter() - start)
        for ev in signed[first:first + block]:
            start = time.perf_counter()
            store.append(ev)
            append.append(time.perf_counter() - start)
    assert not store.state.rejections and not action_session.state.rejections
    conn.close()
    action_session.close()
    append_session.close()
    return Figure(action), Figure(append), Figure(raw)


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


def bench_verify(folder: Path, count: int, jobs: list[int], repeat: int) -> None:
    signatures = build_ledger(folder, count)
    for _ in range(repeat):
        before = load()
        start = time.perf_counter()
        for public, sig, message in signatures:
            public.verify(sig, message)
        raw = time.perf_counter() - start
        print(f"raw Ed25519 verify loop over the {count} signatures, one core: {raw:.2f} s "
              f"({raw / count * 1e6:.1f} us/event) [{before}]")
        for n in jobs:
            before = load()
            start = time.perf_counter()
            outcome = verify_path(folder / "ledger", jobs=n)
            ours = time.perf_counter() - start
            if outcome.problems:
                raise SystemExit("the benchmark ledger does not verify: " + outcome.problems[0])
            target = "<= 1.3x" if n == 1 else "<= 0.8x"
            print(f"  evalroom ledger verify --jobs {n}: {ours:.2f} s ({ours / count * 1e6:.1f} us/event); "
                  f"ratio {ours / raw:.2f}x (target {target}) [{before}; after: {load()}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each figure (report the range)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes of the parallel verify")
    parser.add_argument("--only", choices=("append", "verify"), help="one figure only")
    parser.add_argument("--dir", help="folder on the disk to measure (default: a temporary folder)")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {load()}")
    with tempfile.TemporaryDirectory(dir=args.dir) as temp:
        folder = Path(temp)
        for run in range(args.repeat if args.only != "verify" else 0):
            (folder / f"append{run}").mkdir()
            before = load()
            action, append, raw = bench_append(folder / f"append{run}", args.appends)
            print(f"[{before}; after: {load()}; {args.appends} scores]")
            print(f"  raw sqlite3 INSERT + commit (WAL, synchronous=FULL, one commit per row): {raw.ms()}")
            print(f"  a score as the expert makes it (encode, Ed25519 sign, append with fold and projection, "
                  f"durable commit): {action.ms()}; ratio median {action.median / raw.median:.2f}x, "
                  f"p99 {action.p99 / raw.p99:.2f}x (target <= 1.5x both)")
            print(f"  (the append of an already signed event: {append.ms()}; ratio median "
                  f"{append.median / raw.median:.2f}x, p99 {append.p99 / raw.p99:.2f}x)")
        if args.only != "append":
            (folder / "verify").mkdir()
            bench_verify(folder / "verify", args.events, sorted({1, args.jobs}), args.repeat)
        print(f"(folder {folder}; {load()})")


if __name__ == "__main__":
    main()
