"""Archive benchmarks (issue #6), ratios measured in one run on the same machine.

1. Building the 60-bidder evaluation report PDF (every section, wrapped cells, page frame, embedded
   subset CJK font) vs a plain reportlab document holding the same tables (same cell texts as plain
   strings, same font). Target: <= 2x.
2. ``verify`` of an archive holding 1 GB of recording segments (fixity, room signature, ledger, checkpoint,
   PAdES seal, report re-rendered from the ledger, recordings against events) vs ``sha256sum`` over the
   same payload files. Target: <= 1.3x. Both run on a warm page cache (each is run twice, best kept).
3. ``archive build`` of a session holding 2 GB of recording segments vs ``sha256sum`` over the same segment
   files. Target: <= 1.3x (one read pass: SHA-256 and SHA-512 computed while each segment is hard-linked
   and read once, or copied). Warm page cache, build and sha256sum interleaved, ``--pairs`` pairs (>= 3),
   every pair's ratio printed with the range; once with the segments hard-linked (the bag on their file
   system, the default) and once copied.

Run: ``python bench/archive.py [--mb 1024] [--build-mb 2048] [--pairs 3] [--bidders 60] [--only report,verify,build]``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from app.archive.verify import verify_archive
from app.reports import report as report_pdf
from app.reports.fonts import BODY, register
from app.reports.report import _Report
from app.reports.reproduce import context
from app.services.archive import build_archive
from app.services.session import Session
from app.services.simulate import simulate
from app.store.ledger_store import LedgerStore

PASS = b"bench"


def case(bidders: int) -> dict[str, object]:
    criteria = [{"id": f"T{i}", "name": f"技术评审因素{i}", "group": "technical", "type": "subjective", "max": "10",
                 "step": "0.5"}
                for i in range(1, 5)]
    members = [{"id": f"E{i}", "name": f"专家{i}", "role": "expert", "chair": i == 1} for i in range(1, 6)]
    return {
        "format": "evalroom-case/1", "profile": "procurement",
        "project": {"code": "BENCH-6", "name": "基准测试采购项目", "category": "goods", "budget": "9000000.00"},
        "lot": {"code": "01", "name": "第一包"}, "opening": {"deadline": "2026-11-20T09:30:00+08:00"},
        "bidders": [{"id": f"B{i}", "name": f"第{i}号投标供应商有限公司", "price": f"{7000000 + i * 12345}.00",
                     "submitted_at": "2026-11-20T09:00:00+08:00", "sme": i % 3 == 0} for i in range(1, bidders + 1)],
        "committee": members,
        "method": {"kind": "comprehensive", "criteria": criteria, "price": {"kind": "low_price_first", "points": "60"},
                   "averaging": {"trim": "none"}, "deviation_alert_pct": "50", "low_price_alert_pct": "50",
                   "candidates": 3},
        "scores": {m["id"]: {f"B{b}": {c["id"]: str(5 + (b + int(m["id"][1:])) % 10 / 2) for c in criteria}
                             for b in range(1, bidders + 1)} for m in members},
    }


def best(fn, runs: int = 2) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def plain_tables(report: _Report) -> bytes:
    """The report's tables with the same cells as plain strings: what reportlab costs at its simplest."""
    tables = []
    for flowable in report.story():
        if isinstance(flowable, Table):
            rows = [[c.text if isinstance(c, Paragraph) else ("" if c is None else str(c)) for c in row]
                    for row in flowable._cellvalues]
            t = Table(rows, repeatRows=1)
            t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), BODY, 8), ("GRID", (0, 0), (-1, -1), 0.5, "black")]))
            tables.append(t)
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, invariant=1, initialFontName=BODY).build(tables)
    return out.getvalue()


def bench_report(work: Path, bidders: int) -> None:
    path = work / "case60.json"
    path.write_text(json.dumps(case(bidders), ensure_ascii=False), encoding="utf-8")
    simulate(path, work / "sim60", passphrase=PASS, kdf_rounds=1000)
    with LedgerStore.open(work / "sim60" / "session.sqlite") as store:
        events, state = store.events(), store.state
    register()
    ctx = context(state)
    pages = {}

    def full() -> None:
        pages["report"] = report_pdf.render(ctx, events, final=True)

    def plain() -> None:
        pages["plain"] = plain_tables(_Report(ctx, events, True))

    full(), plain()  # warm: font parsing, imports
    t_report, t_plain = best(full, 3), best(plain, 3)
    print(f"report PDF, {bidders} bidders: {t_report * 1000:.0f} ms ({len(pages['report']) // 1024} KB); "
          f"plain tables: {t_plain * 1000:.0f} ms ({len(pages['plain']) // 1024} KB); "
          f"ratio {t_report / t_plain:.2f}x (target <= 2x)")


def recorded_session(folder: Path, megabytes: int) -> list[Path]:
    """A simulated, closed session whose ledger records ``megabytes`` of random 16 MB segments, in the recorder's
    layout (``recording/segments/cam1/``, as the console records); their paths."""
    segments = folder / "recording" / "segments" / "cam1"
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

    def archive_with_recordings(self: Session):  # type: ignore[no-untyped-def]
        for item in items:
            self.record_segment(item)
        return original(self)

    Session.archive = archive_with_recordings  # type: ignore[method-assign]
    try:
        simulate(Path(__file__).resolve().parent.parent / "examples" / "procurement-goods-comprehensive.json", folder,
                 passphrase=PASS, kdf_rounds=1000)
    finally:
        Session.archive = original  # type: ignore[method-assign]
    return [folder / "recording" / str(item["file"]) for item in items]


def bench_verify(work: Path, megabytes: int) -> None:
    folder = work / "simrec"
    recorded_session(folder, megabytes)
    bag = work / "bag"
    build_archive(folder, bag, PASS)
    files = sorted(str(p) for p in bag.rglob("*") if p.is_file())
    total = sum(os.path.getsize(f) for f in files)
    exe = shutil.which("sha256sum")
    assert exe is not None, "sha256sum not found"

    def baseline() -> None:
        subprocess.run([exe, *files], check=True, stdout=subprocess.DEVNULL)

    verdicts = []

    def ours() -> None:
        verdicts.append(verify_archive(bag, room_key=folder / "keys" / "room.pub.pem",
                                       trust=[folder / "keys" / "room-ca.pem"]))

    def hashlib_loop() -> None:  # context: one thread of OpenSSL SHA-256 (sha256sum here has no SHA-NI path)
        for name in files:
            with open(name, "rb") as handle:
                digest = hashlib.sha256()
                while block := handle.read(4 << 20):
                    digest.update(block)

    baseline()  # warm the page cache
    t_base, t_ours, t_py = best(baseline), best(ours), best(hashlib_loop)
    assert all(v.ok for v in verdicts), verdicts[-1].problems
    print(f"verify, {total / 2**20:.0f} MB in {len(files)} files: {t_ours:.2f} s; sha256sum: {t_base:.2f} s; "
          f"ratio {t_ours / t_base:.2f}x (target <= 1.3x); single-thread hashlib sha256: {t_py:.2f} s "
          f"(verify / hashlib {t_ours / t_py:.2f}x)")


def bench_build(work: Path, megabytes: int, pairs: int) -> None:
    folder = work / "simbuild"
    segments = [str(p) for p in recorded_session(folder, megabytes)]
    total = sum(os.path.getsize(f) for f in segments)
    exe = shutil.which("sha256sum")
    assert exe is not None, "sha256sum not found"

    def baseline() -> float:
        start = time.perf_counter()
        subprocess.run([exe, *segments], check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start

    def build(link: bool, index: int) -> float:
        bag = work / f"bag-build-{'link' if link else 'copy'}-{index}"
        start = time.perf_counter()
        build_archive(folder, bag, PASS, link_segments=link)
        elapsed = time.perf_counter() - start
        archived = bag / "data" / "recording" / "segments" / "cam1"
        linked = all(os.path.samefile(f, archived / Path(f).name) for f in segments)
        assert linked == link, f"segments {'not ' if link else ''}hard-linked"
        shutil.rmtree(bag)  # a copied bag's 2 GB are dropped before the next pair
        return elapsed

    def hashlib_pass() -> float:  # context: one thread of OpenSSL SHA-256 (sha256sum here has no SHA-NI path)
        start = time.perf_counter()
        for name in segments:
            with open(name, "rb") as handle:
                digest = hashlib.sha256()
                while block := handle.read(4 << 20):
                    digest.update(block)
        return time.perf_counter() - start

    baseline()  # warm the page cache (the segments were just written; this reads them all once more)
    build(True, -1)  # warm: imports, fonts, the room certificate
    t_py = min(hashlib_pass() for _ in range(2))
    print(f"archive build, {total / 2**20:.0f} MB of segments in {len(segments)} files "
          f"(sha256sum vs build, interleaved, warm page cache; one thread of hashlib sha256: {t_py:.2f} s):")
    for link in (True, False):
        ratios, ours, base = [], [], []
        for i in range(pairs):
            t_base = baseline()
            t_ours = build(link, i)
            ratios.append(t_ours / t_base)
            ours.append(t_ours), base.append(t_base)
            print(f"  {'hard-linked' if link else 'copied'} pair {i + 1}: build {t_ours:.2f} s, "
                  f"sha256sum {t_base:.2f} s, ratio {t_ours / t_base:.2f}x", flush=True)
        print(f"archive build ({'segments hard-linked, same file system' if link else 'segments copied'}): "
              f"{min(ours):.2f}-{max(ours):.2f} s; sha256sum {min(base):.2f}-{max(base):.2f} s; "
              f"ratio {min(ratios):.2f}-{max(ratios):.2f}x (target <= 1.3x); build / hashlib sha256 "
              f"{min(ours) / t_py:.2f}-{max(ours) / t_py:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1024, help="recording payload in MB (default 1024)")
    parser.add_argument("--build-mb", type=int, default=2048,
                        help="segments for the build benchmark in MB (default 2048)")
    parser.add_argument("--pairs", type=int, default=3, help="interleaved build/sha256sum pairs (default 3)")
    parser.add_argument("--bidders", type=int, default=60)
    parser.add_argument("--only", default="report,verify,build", help="comma-separated subset of report,verify,build")
    args = parser.parse_args()
    only = set(args.only.split(","))
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        if "report" in only:
            bench_report(Path(tmp), args.bidders)
        if "verify" in only:
            bench_verify(Path(tmp), args.mb)
        if "build" in only:
            bench_build(Path(tmp), args.build_mb, args.pairs)


if __name__ == "__main__":
    main()
