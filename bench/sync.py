"""Center and sync benchmarks (issue #7), ratios measured in one run against baselines on the same server.

Every server is a real ``evalroom center serve`` process on 127.0.0.1 (SQLite and blobs in a temporary
folder, or PostgreSQL); it is started through this script, which adds one bench-only route to the
application before it serves: ``PUT|POST /bench/raw/NAME`` streams the request body into a file and fsyncs
it (``--serve-with-raw``; it exists only in the processes this script starts, never in the product).

1. Upload of a real 1 GB archive (recording segments, sealed report, ledger; ``archive build``) with
   ``CenterClient.upload_archive`` — begin, 16 MiB chunks each with its SHA-256, three in flight, completion
   with the full verification, durable before the signed receipt — vs the field's plain HTTP PUT server:
   nginx (Debian's ``nginx-light``, its WebDAV PUT) receiving every file of the bag from one ``curl -T``
   on one connection, in its own process. nginx does not fsync what it stores; the second figure adds the
   fsync of its stored files (the durability the center gives before it signs). Target: <= 1.3x.
2. Event sync of 100 000 signed events between two nodes through the center: a console's session file
   pushed by its sync worker, then an empty workstation node (``SyncNode.join`` with an expert key) that
   pulls and verifies every event into its own file. Printed: events/s; baseline: a raw Ed25519 verify
   loop over the same signatures, twice (the center and the node each verify every event).
3. Center ingest from 50 concurrent rooms (each its own session, batches of 50 events): events/s and p99
   request latency, on SQLite and on PostgreSQL (``--pg URL`` or ``EVALROOM_TEST_PG_URL``; skipped with
   the reason otherwise), one process and ``--workers N``; baseline: the one-core Ed25519 verify limit
   (a raw verify loop over the same events' signatures, measured in the same run). Target: >= 60 % of it
   on one process.

Run: ``python bench/sync.py [--mb 1024] [--events 100000] [--rooms 50] [--runs 3] [--pg URL]
[--only upload,sync,ingest]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RAW_NAME = re.compile(r"^[A-Za-z0-9._-]{1,200}$")


# -- the server process --------------------------------------------------------------------------------
def serve_with_raw(raw_dir: str, argv: list[str]) -> int:
    """``evalroom center serve ARGS`` with the bench-only raw upload route added to its application."""
    from starlette.responses import JSONResponse

    import app.center.app as center_app
    from app.cli import main as cli_main

    folder = Path(raw_dir)
    folder.mkdir(parents=True, exist_ok=True)
    original = center_app.create_app

    async def raw(request: Any) -> Any:  # a plain Starlette endpoint: no schema, no parameters to validate
        name = request.path_params["name"]
        if not RAW_NAME.match(name):
            return JSONResponse({"error": "bad name"}, status_code=400)
        size = 0
        with (folder / name).open("wb") as handle:
            async for block in request.stream():
                handle.write(block)
                size += len(block)
            handle.flush()
            os.fsync(handle.fileno())
        return JSONResponse({"stored": size})

    def create_app(center: Any) -> Any:
        application = original(center)
        application.router.add_route("/bench/raw/{name}", raw, methods=["PUT", "POST"], include_in_schema=False)
        return application

    center_app.create_app = create_app  # type: ignore[assignment]
    return cli_main(argv)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, data: Path, db_url: str | None = None, workers: int = 1) -> None:
        import httpx

        data.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.raw = data / "raw"
        self.log = data / "center.log"
        argv = ["center", "serve", "--data", str(data), "--port", str(self.port)] + (["--db", db_url] if db_url else [])
        argv += ["--workers", str(workers)] if workers > 1 else []
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve-with-raw", str(self.raw), *argv],
                                     stdout=self.log.open("wb"), stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                log = self.log.read_text(errors="replace")[-2000:]
                raise SystemExit(f"center exited {self.proc.returncode}: {log}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.proc.kill()
                raise SystemExit("the center did not answer within 60 s")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and its living children (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (OSError, IndexError, ValueError):
        return 0.0
    return own + sum(tree_cpu(int(child)) for child in children)


def pair_line(what: str, ours: list[float], base: list[float], unit: str = "s", target: str = "") -> str:
    ratios = [o / b for o, b in zip(ours, base, strict=True)]
    return (f"{what}: ours {min(ours):.2f}–{max(ours):.2f} {unit}, baseline {min(base):.2f}–{max(base):.2f} {unit}, "
            f"ratio {min(ratios):.2f}–{max(ratios):.2f}x{f' (target {target})' if target else ''}")


# -- 1. archive upload -----------------------------------------------------------------------------------
PASS = b"bench"


def build_big_archive(work: Path, megabytes: int) -> tuple[Path, Path]:
    """A real archive (``archive build``) of a simulated session holding ``megabytes`` of recording segments."""
    from app.services.archive import build_archive
    from app.services.session import Session
    from app.services.simulate import simulate

    folder = work / "room"
    segments = folder / "recording" / "segments" / "cam1"  # the recorder's layout, as the console records
    segments.mkdir(parents=True)
    size = 16 * 1024 * 1024
    items = []
    for i in range(max(1, megabytes * 1024 * 1024 // size)):
        data = os.urandom(size)
        name = f"cam1-20261120T010000000000Z-{i + 1:06d}.ts"
        (segments / name).write_bytes(data)
        items.append({"camera": "cam1", "file": f"segments/cam1/{name}", "sha256": hashlib.sha256(data).hexdigest(),
                      "bytes": size, "frames": 100,
                      "start": "2026-11-20T01:00:00.000000Z", "end": "2026-11-20T01:00:04.000000Z"})
    original = Session.archive

    def archive_with_recordings(self: Session) -> Any:
        for item in items:
            self.record_segment(item)
        return original(self)

    Session.archive = archive_with_recordings  # type: ignore[method-assign]
    try:
        simulate(ROOT / "examples" / "procurement-goods-comprehensive.json", folder, room="bench-room",
                 passphrase=PASS, kdf_rounds=1000)
    finally:
        Session.archive = original  # type: ignore[method-assign]
    bag = work / "bag"
    build_archive(folder, bag, PASS)
    shutil.rmtree(segments)  # the bag holds its own copy
    return folder, bag


def enroll(data: Path, room: str, public_pem: Path, db_url: str | None = None) -> None:
    args = [sys.executable, "-m", "app", "center", "enroll", "--data", str(data), "--room", room, "--public-key",
            str(public_pem)]
    subprocess.run(args + (["--db", db_url] if db_url else []), check=True, cwd=ROOT, capture_output=True)


class Nginx:
    """nginx (Debian's package: ``apt-get install nginx-light``) as the field's plain HTTP PUT server: the
    WebDAV module's PUT (body into a temporary file, renamed into place), as a site would configure it."""

    CONFIG = """daemon off; master_process on; worker_processes auto; user root;
pid {d}/nginx.pid; error_log {d}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off; client_body_temp_path {d}/body; client_max_body_size 0;
  server {{ listen 127.0.0.1:{port}; location / {{ root {d}/root; dav_methods PUT; create_full_put_path on; }} }}
}}
"""

    def __init__(self, folder: Path, binary: str) -> None:
        import httpx

        self.folder = folder
        (folder / "body").mkdir(parents=True)
        self.root = folder / "root"
        self.root.mkdir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (folder / "nginx.conf").write_text(self.CONFIG.format(d=folder, port=self.port))
        self.proc = subprocess.Popen([binary, "-c", str(folder / "nginx.conf"), "-p", str(folder)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(self.url, timeout=1)
                return
            except httpx.HTTPError as exc:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    log = (folder / "error.log").read_text(errors="replace")
                    raise SystemExit(f"nginx did not start: {log}") from exc
                time.sleep(0.1)

    def empty(self) -> None:
        shutil.rmtree(self.root)
        self.root.mkdir()

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGQUIT)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


def fsync_tree(folder: Path) -> None:
    """What the PUT server leaves to the OS, made durable: every stored file and folder fsynced."""
    for path in sorted(folder.rglob("*")):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def bench_upload(work: Path, megabytes: int, runs: int) -> None:
    from app.crypto.keys import SigningKey
    from app.store.ledger_store import LedgerStore
    from app.sync.client import CHUNKS_IN_FLIGHT, CenterClient
    from app.sync.worker import SyncWorker

    curl, nginx = shutil.which("curl"), shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if curl is None or nginx is None:
        print(f"archive upload: skipped ({'curl' if curl is None else 'nginx'} not found; the baseline is nginx's PUT, "
              "apt-get install nginx-light curl)")
        return
    t0 = time.perf_counter()
    folder, bag = build_big_archive(work, megabytes)
    files = sorted(p for p in bag.rglob("*") if p.is_file())
    total = sum(p.stat().st_size for p in files)
    print(f"archive upload: built a {total / 2**20:.0f} MB archive of {len(files)} files in "
          f"{time.perf_counter() - t0:.0f} s")
    key = SigningKey.load(folder / "keys" / "room.p12", PASS)
    with LedgerStore.open(folder / "session.sqlite") as store:
        session = store.session_id
    ours: list[float] = []
    base: list[float] = []
    durable: list[float] = []
    loads: list[float] = []
    for run in range(runs):
        data = work / f"center-{run}"
        enroll(data, "bench-room", folder / "keys" / "room.pub.pem")
        server = Server(data)
        field = Nginx(work / f"nginx-{run}", nginx)
        try:
            client = CenterClient(server.url, "bench-room", key, timeout=600)
            pushed = SyncWorker(folder / "session.sqlite", client, session).reconcile()  # the ledger first
            assert pushed.error is None and not pushed.rejected, (pushed.error, pushed.rejected[:3])
            loads.append(os.getloadavg()[0])
            order = ("ours", "nginx") if run % 2 == 0 else ("nginx", "ours")
            for which in order:
                if which == "ours":
                    start = time.perf_counter()
                    receipt = client.upload_archive(bag, session)
                    ours.append(time.perf_counter() - start)
                    assert receipt["receipt"]["kind"] == "archive", receipt
                else:
                    args = [curl, "-sS", "--fail"]
                    for path in files:  # one curl, one connection, every file of the bag
                        args += ["-T", str(path), "-o", "/dev/null", f"{field.url}/{path.relative_to(bag).as_posix()}"]
                    start = time.perf_counter()
                    subprocess.run(args, check=True)
                    base.append(time.perf_counter() - start)
                    fsync_tree(field.root)
                    durable.append(time.perf_counter() - start)
                    stored = sum(p.stat().st_size for p in field.root.rglob("*") if p.is_file())
                    assert stored == total, (stored, total)
                    field.empty()
            client.close()
            print(f"  run {run + 1}: upload + verify {ours[-1]:.2f} s; nginx PUT (curl -T) {base[-1]:.2f} s, "
                  f"{durable[-1]:.2f} s with its files fsynced; ratio {ours[-1] / base[-1]:.2f}x, "
                  f"{ours[-1] / durable[-1]:.2f}x durable (load {loads[-1]:.1f})")
        finally:
            field.stop()
            server.stop()
            shutil.rmtree(data, ignore_errors=True)
    what = (f"archive upload, {total / 2**20:.0f} MB ({CHUNKS_IN_FLIGHT} chunks of 16 MiB in flight, SHA-256 each, "
            f"full verification, durable before the signed receipt)")
    print(pair_line(f"{what} vs nginx {nginx_version(nginx)} WebDAV PUT (curl -T, one connection; nginx does not "
                    "fsync)", ours, base, target="<= 1.3x") + f"; load {min(loads):.1f}–{max(loads):.1f}")
    print(pair_line(f"{what} vs the same nginx PUT with its stored files fsynced after", ours, durable))
    shutil.rmtree(bag)


def nginx_version(binary: str) -> str:
    done = subprocess.run([binary, "-v"], capture_output=True, text=True)
    return (done.stderr or done.stdout).strip().rpartition("/")[2]


# -- events ----------------------------------------------------------------------------------------------
CASE: dict[str, Any] = {
    "format": "evalroom-case/1", "profile": "procurement",
    "project": {"code": "BENCH-7", "name": "基准", "category": "goods"},
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


def scoring_events(room_id: str, session: str, count: int) -> tuple[Any, dict[str, Any], list[Any]]:
    """A valid session of ``count`` signed events (set-up, check-in, then scores), built in memory."""
    from app.crypto.keys import SigningKey
    from app.ledger.authors import key_to_json, sign_binding
    from app.ledger.events import new_event
    from app.services.session import Clock
    from app.services.templates import commitment_letter

    clock = Clock()
    room = SigningKey.generate()
    members = {m["id"]: SigningKey.generate() for m in CASE["committee"]}
    heads: dict[str, tuple[int, str | None]] = {}
    events: list[Any] = []

    def emit(key: Any, type_: str, body: dict[str, Any]) -> None:
        seq, prev = heads.get(key.key_id, (0, None))
        ev = new_event(key, session, seq + 1, prev, clock.now(), type_, body)
        heads[key.key_id] = (seq + 1, ev.id)
        events.append(ev)

    emit(room, "session.created", {"room": room_id, "package": CASE, "room_key": key_to_json(room.public)})
    letter = commitment_letter()
    for stage in STAGES:
        emit(room, "stage.advanced", {"to": stage})
        if stage == "opening":
            emit(room, "opening.read", {"bids": [{"bidder": b["id"], "price": b["price"]} for b in CASE["bidders"]]})
        if stage == "checkin":
            for member, key in members.items():
                emit(room, "checkin", {"member": member, "key": key_to_json(key.public),
                                       "binding": sign_binding(key, session, member)})
                emit(key, "letter.signed",
                     {"signer": member, "template": letter.name, "template_sha256": letter.version_sha256})
                emit(key, "coi.declared", {"member": member, "conflict": False, "grounds": [], "statement": ""})
        if stage == "committee":
            emit(room, "chair.elected", {"member": "E1"})
    order = list(members)
    while len(events) < count:
        i = len(events)
        member = order[i % len(order)]
        emit(members[member], "score.set", {"expert": member, "bidder": f"B{1 + i % 3}", "criterion": "T1",
                                            "score": VALUES[i % len(VALUES)]})
    return room, members, events


def verify_loop_seconds(events: list[Any], keys: list[Any]) -> float:
    """A raw Ed25519 verify loop over the events' signatures (keys loaded once, messages in memory)."""
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from app.ledger.events import SIGNING_CONTEXT

    publics = {k.key_id: ed25519.Ed25519PublicKey.from_public_bytes(k.public.raw) for k in keys}
    start = time.perf_counter()
    for ev in events:
        publics[ev.author].verify(ev.sig, SIGNING_CONTEXT + bytes.fromhex(ev.id))
    return time.perf_counter() - start


# -- 2. node-to-node sync --------------------------------------------------------------------------------
def bench_sync(work: Path, count: int, runs: int) -> None:
    from app.store.ledger_store import LedgerStore
    from app.sync.client import CenterClient, member_client
    from app.sync.node import SyncNode
    from app.sync.worker import SyncWorker

    session = "BENCH-7-01"
    t0 = time.perf_counter()
    room, members, events = scoring_events("bench-room", session, count)
    source = work / "source.sqlite"
    with LedgerStore.create(source, session, "bench-room", room.public) as store:
        store._db.execute("PRAGMA synchronous=OFF")  # building the fixture only: the measured node keeps FULL
        for ev in events:
            store.append(ev)
        assert not store.state.rejections, store.state.rejections[:3]
    pem = work / "room.pub.pem"
    pem.write_bytes(room.public.to_pem())
    print(f"event sync: a session file of {count} events built in {time.perf_counter() - t0:.0f} s")
    syncs: list[float] = []
    bases: list[float] = []
    for run in range(runs):
        data = work / f"center-{run}"
        enroll(data, "bench-room", pem)
        server = Server(data)
        node_file = work / f"node-{run}.sqlite"
        copy = work / f"source-{run}.sqlite"
        shutil.copyfile(source, copy)  # a fresh outbox each run
        try:
            order = ("ours", "base") if run % 2 == 0 else ("base", "ours")
            for which in order:
                if which == "base":
                    bases.append(2 * verify_loop_seconds(events, [room, *members.values()]))
                    continue
                start = time.perf_counter()
                with CenterClient(server.url, "bench-room", room, timeout=600) as client:
                    pushed = SyncWorker(copy, client, session).run_once(force=True)
                assert pushed.error is None and pushed.acked == count, (pushed.error, pushed.acked, pushed.rejected[:3])
                middle = time.perf_counter()
                node = SyncNode.join(member_client(server.url, members["E1"], timeout=600), session, node_file)
                end = time.perf_counter()
                held = node.store.count()
                node.close()
                assert held == count, held
                syncs.append(end - start)
                print(f"  run {run + 1}: push {middle - start:.1f} s, "
                      f"pull + verify into the node {end - middle:.1f} s, {count / (end - start):.0f} events/s")
        finally:
            server.stop()
            shutil.rmtree(data, ignore_errors=True)
            node_file.unlink(missing_ok=True)
            copy.unlink(missing_ok=True)
    rates = [count / s for s in syncs]
    print(f"event sync, {count} events node -> center -> empty node: {min(rates):.0f}–{max(rates):.0f} events/s")
    print(pair_line("  the same vs a raw Ed25519 verify loop over its signatures, twice (center + node)", syncs, bases))


# -- 3. center ingest from concurrent rooms --------------------------------------------------------------
def bench_ingest(work: Path, rooms: int, per_room: int, batch: int, runs: int, pg_url: str | None,
                 workers: list[int]) -> None:
    """Events/s of ``center serve`` (one process, then ``--workers N``) against the one-core Ed25519 verify
    limit over the same events: the center must verify every signature, so that is the ceiling of one core."""
    t0 = time.perf_counter()
    feeds = []
    for r in range(rooms):
        room, members, events = scoring_events(f"room-{r:02d}", f"BENCH-7-R{r:02d}", per_room)
        feeds.append((f"room-{r:02d}", f"BENCH-7-R{r:02d}", room, members, events))
    total = rooms * per_room
    every = [ev for f in feeds for ev in f[4]]
    keys = [k for f in feeds for k in (f[2], *f[3].values())]
    print(f"center ingest: {rooms} rooms x {per_room} events built in {time.perf_counter() - t0:.0f} s")
    backends: list[tuple[str, Any]] = [("SQLite", lambda: None)]
    if pg_url:
        backends.append(("PostgreSQL", lambda: fresh_pg_database(pg_url)))
    for name, db_for in backends:
        for count in workers:
            rates, limits, p99s, loads, cpus = [], [], [], [], []
            for run in range(runs):
                data = work / f"ingest-{name}-{count}-{run}"
                db_url = db_for()
                centre_enroll(data, db_url, feeds)
                server = Server(data, db_url, workers=count)
                try:
                    limits.append(total / verify_loop_seconds(every, keys))  # the baseline, in the same run
                    loads.append(os.getloadavg()[0])
                    cpu = tree_cpu(server.proc.pid)
                    elapsed, latencies = push_concurrently(server.url, feeds, batch, raw=False)
                    cpus.append((tree_cpu(server.proc.pid) - cpu) / total)
                    rates.append(total / elapsed)
                    p99s.append(quantile(latencies, 0.99))
                    print(f"  {name}, {count} process{'es' if count > 1 else ''}, run {run + 1}: {rates[-1]:.0f} "
                          f"events/s, p99 {p99s[-1] * 1e3:.0f} ms; verify limit {limits[-1]:.0f} events/s; "
                          f"{rates[-1] / limits[-1]:.0%}; the server's CPU {cpus[-1] * 1e6:.0f} µs an event against "
                          f"{1e6 / limits[-1]:.0f} µs to verify one (load {loads[-1]:.1f})")
                finally:
                    server.stop()
                    shutil.rmtree(data, ignore_errors=True)
            shares = [r / v for r, v in zip(rates, limits, strict=True)]
            print(f"center ingest, {name}, {count} process{'es' if count > 1 else ''}, {rooms} concurrent rooms, "
                  f"{batch} events a request: EvalRoom {min(rates):.0f}–{max(rates):.0f} events/s, baseline (one-core "
                  f"Ed25519 verify limit) {min(limits):.0f}–{max(limits):.0f} events/s, ratio {min(shares):.0%}–"
                  f"{max(shares):.0%} (target >= 60% on one process); p99 {min(p99s) * 1e3:.0f}–"
                  f"{max(p99s) * 1e3:.0f} ms; server CPU {min(cpus) * 1e6:.0f}–{max(cpus) * 1e6:.0f} µs an event; "
                  f"load {min(loads):.1f}–{max(loads):.1f}")
    if not pg_url:
        print("center ingest, PostgreSQL: skipped — no server given (--pg URL or EVALROOM_TEST_PG_URL, "
              "e.g. postgresql+psycopg://evalroom:evalroom@127.0.0.1:5432/evalroom; .ci/run starts one)")


def fresh_pg_database(url: str) -> str:
    from sqlalchemy import create_engine, text

    name = f"evalroom_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{url.rpartition('/')[0]}/{name}"


def centre_enroll(data: Path, db_url: str | None, feeds: list[Any]) -> None:
    from app.center.service import Center, Config

    center = Center(Config.default(data, db_url))
    try:
        for room_id, _, room, _, _ in feeds:
            center.enroll(room_id, room.public)
    finally:
        center.close()


def push_concurrently(url: str, feeds: list[Any], batch: int, raw: bool) -> tuple[float, list[float]]:
    """Every room in its own thread pushes its events in order, ``batch`` a request; wall time, latencies."""
    import httpx

    from app.sync.client import CenterClient, SyncError

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(feeds) + 1)

    def room_thread(room_id: str, session: str, key: Any, events: list[Any]) -> None:
        mine: list[float] = []
        with CenterClient(url, room_id, key, timeout=600) as client:
            bodies = [[ev.to_record() for ev in events[i:i + batch]] for i in range(0, len(events), batch)]
            barrier.wait()
            try:
                for n, records in enumerate(bodies):
                    start = time.perf_counter()
                    if raw:
                        body = json.dumps({"records": records}).encode()
                        response = client.http.post(f"/bench/raw/{room_id}-{n}", content=body)
                        response.raise_for_status()
                    else:
                        answer = client.push_events(session, records)
                        if answer["rejected"]:
                            raise RuntimeError(answer["rejected"][0])
                    mine.append(time.perf_counter() - start)
            except (SyncError, httpx.HTTPError, RuntimeError) as exc:  # reported below
                errors.append(f"{room_id}: {exc}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=room_thread, args=(r, s, k, e)) for r, s, k, _, e in feeds]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise SystemExit(f"ingest failed: {errors[0]}")
    return elapsed, latencies


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--serve-with-raw":
        sys.exit(serve_with_raw(sys.argv[2], sys.argv[3:]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1024, help="archive size in MB (default 1024)")
    parser.add_argument("--events", type=int, default=100_000, help="events synced between the nodes (default 100000)")
    parser.add_argument("--rooms", type=int, default=50, help="concurrent rooms for the ingest (default 50)")
    parser.add_argument("--per-room", type=int, default=1000, help="events each room pushes (default 1000)")
    parser.add_argument("--batch", type=int, default=50, help="events a push request (default 50)")
    parser.add_argument("--runs", type=int, default=3, help="measured pairs of each benchmark (default 3)")
    parser.add_argument("--pg", metavar="URL", default=os.environ.get("EVALROOM_TEST_PG_URL"),
                        help="PostgreSQL server for the ingest benchmark (default $EVALROOM_TEST_PG_URL)")
    parser.add_argument("--workers", default="1,2", help="center processes for the ingest, a comma-separated list "
                        "(default 1,2: one process, then --workers 2)")
    parser.add_argument("--only", default="upload,sync,ingest", help="comma-separated subset of upload,sync,ingest")
    parser.add_argument("--dir", help="folder on the disk to measure (default: a temporary folder)")
    args = parser.parse_args()
    only = set(args.only.split(","))
    print(f"(python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})")
    with tempfile.TemporaryDirectory(prefix="bench-sync-", dir=args.dir) as temp:
        work = Path(temp)
        if "upload" in only:
            (work / "upload").mkdir()
            bench_upload(work / "upload", args.mb, args.runs)
        if "sync" in only:
            (work / "sync").mkdir()
            bench_sync(work / "sync", args.events, args.runs)
        if "ingest" in only:
            (work / "ingest").mkdir()
            bench_ingest(work / "ingest", args.rooms, args.per_room, args.batch, args.runs, args.pg,
                         [int(n) for n in args.workers.split(",")])


if __name__ == "__main__":
    main()
