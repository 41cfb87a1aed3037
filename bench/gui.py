"""GUI benchmarks (issue #4), each against a baseline measured in the same run.

1. cold start to the first painted window: `evalroom demo`'s window vs a bare PySide6 QMainWindow.
2. RSS with a 60-bidder × 9-expert session open vs the bare window.
3. time per cell entry in the scoring grid at that size, typed through Qt's key events.

Run: .venv/bin/python bench/gui.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}

BARE = r"""
import resource, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow(); window.resize(1200, 760); window.show()
def painted():
    window.grab()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); app.quit()
QTimer.singleShot(0, painted)
app.exec()
"""

APP = r"""
import sys
from ui.bench_entry import first_paint
first_paint(sys.argv[1] if len(sys.argv) > 1 else None)
"""


def _child(code: str, *args: str, ready: list[float] | None = None) -> tuple[float, int]:
    """Wall-clock time from the start of the child to its first line (printed at the first paint), and
    that line (peak RSS in KiB). With ``ready``: also the time to its "ready" line (the window's pages
    built and painted after the frame). The child then cleans up (stops its recorder) before it exits."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *args], env=ENV, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    if ready is not None and child.stdout.readline().strip() == "ready":
        ready.append(time.perf_counter() - start)
    _, err = child.communicate(timeout=300)
    if child.returncode != 0 or not line.strip():
        raise SystemExit(f"child failed: {err.strip()[-2000:]}")
    return elapsed, int(line)


def big_case(path: Path, bidders: int = 60, experts: int = 9, criteria: int = 8) -> Path:
    members = [{"id": f"E{i}", "name": f"专家{i}", "role": "expert", "chair": i == 1} for i in range(1, experts + 1)]
    document = {
        "format": "evalroom-case/1", "profile": "procurement",
        "project": {"code": "BENCH-001", "name": "大规模评审基准项目", "category": "goods"},
        "lot": {"code": "01", "name": "第一包"},
        "opening": {"deadline": "2026-11-20T09:30:00+08:00"},
        "bidders": [{"id": f"B{i}", "name": f"基准测试投标人{i:02d}有限公司", "price": f"{900000 + 1000 * i}.00",
                     "submitted_at": "2026-11-20T09:00:00+08:00"} for i in range(1, bidders + 1)],
        "committee": members,
        "method": {"kind": "comprehensive", "price": {"kind": "low_price_first", "points": "30"},
                   "criteria": [{"id": f"T{i}", "name": f"评审因素{i}", "group": "technical", "type": "subjective",
                                 "max": "10", "step": "0.5"} for i in range(1, criteria + 1)]},
        "scores": {},
    }
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    bare, demo, ready = [], [], []  # type: ignore[var-annotated]
    for _ in range(runs):  # interleaved, so drift hits both alike
        bare.append(_child(BARE))
        demo.append(_child(APP, ready=ready))
    b, d = statistics.median(t for t, _ in bare), statistics.median(t for t, _ in demo)
    print(f"cold start to first paint: bare QMainWindow {b * 1000:.0f} ms, evalroom demo {d * 1000:.0f} ms, "
          f"ratio {d / b:.2f}x (target <= 1.5x)")
    if ready:  # the frame paints first; the roles' pages are built and painted right after
        r = statistics.median(ready)
        print(f"cold start to the pages painted: evalroom demo {r * 1000:.0f} ms, "
              f"ratio {r / b:.2f}x to the bare first paint")

    with tempfile.TemporaryDirectory() as tmp:
        case = big_case(Path(tmp) / "big.json")
        _, rss_big = _child(APP, str(case))
    rss_bare = statistics.median(r for _, r in bare)
    print(f"RSS: bare window {rss_bare / 1024:.0f} MB, 60 bidders x 9 experts session {rss_big / 1024:.0f} MB, "
          f"+{(rss_big - rss_bare) / 1024:.0f} MB (target <= +150 MB)")

    with tempfile.TemporaryDirectory() as tmp:
        case = big_case(Path(tmp) / "big.json")
        run = subprocess.run([sys.executable, "-c",
                              "import sys; from ui.bench_entry import cell_entry; print(cell_entry(sys.argv[1]))",
                              str(case)],
                             env=ENV, capture_output=True, text=True, cwd=ROOT, timeout=600)
        if run.returncode != 0:
            raise SystemExit(run.stderr[-2000:])
        print(run.stdout.strip())


if __name__ == "__main__":
    main()
