"""GUI benchmarks (issues #4 and #19), each against a baseline measured in the same run.

1. cold start, each in a fresh process, against a bare PySide6 QMainWindow shown and painted (the baseline):
   - `evalroom demo` as a user starts it (``python -m app demo``: the command line, its parser and the GUI's entry
     point, then the window) until the pages a user sees (role buttons, the console's first page, menus, status
     line) are built and painted: the figure that counts (issue #19: <= 1.5x);
   - the window alone (``ui.bench_entry``, no command line) to its first paint (the frame and an "opening" line)
     and to its pages painted.
   Our bytecode is compiled first, as in an install (pip and the bundle ship .pyc files; without them every child
   would compile our sources again while the baseline's PySide6 is compiled).
2. RSS with a 60-bidder × 9-expert session open vs the bare window.
3. time per cell entry in the scoring grid at that size, typed through Qt's key events.

Every cold-start figure prints the machine's load average before and after: compare runs at a low load only.

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

# `python -m app demo --data DIR`, with a hook that loads nothing early: when ui.main_window is imported (by the
# command's entry point), the window's "pages painted" step prints the peak RSS and ends the process there, before
# the demo's session opens (so no recorder is started)
CLI = r"""
import importlib.abc, importlib.machinery, os, resource, sys

class Hook(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "ui.main_window":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            def pages_painted(window):
                print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
                os._exit(0)
            module.MainWindow._pages_painted = pages_painted
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, Hook())
from app.cli import main
sys.exit(main(["demo", "--data", sys.argv[1]]))
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


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} (5 min {five:.2f})"


def compile_ours() -> None:
    """Our modules' bytecode, as an install has it (PYTHONDONTWRITEBYTECODE would leave every child compiling)."""
    import compileall

    for folder in ("app", "ui"):
        compileall.compile_dir(ROOT / folder, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    compile_ours()
    before = load()
    bare, demo, ready, cli = [], [], [], []  # type: ignore[var-annotated]
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):  # interleaved, so drift hits all alike
            bare.append(_child(BARE))
            demo.append(_child(APP, ready=ready))
            cli.append(_child(CLI, str(Path(tmp) / f"demo-{run}")))
    b, d = statistics.median(t for t, _ in bare), statistics.median(t for t, _ in demo)
    c = statistics.median(t for t, _ in cli)
    print(f"cold start, `evalroom demo` (the command) to its pages painted: {c * 1000:.0f} ms, bare QMainWindow "
          f"shown and painted {b * 1000:.0f} ms, ratio {c / b:.2f}x (target <= 1.5x); {before}, after {load()}")
    print(f"cold start, the window alone to its first paint (frame): {d * 1000:.0f} ms, ratio {d / b:.2f}x")
    if ready:  # the frame paints first; the roles' pages are built and painted right after
        r = statistics.median(ready)
        print(f"cold start, the window alone to its pages painted: {r * 1000:.0f} ms, ratio {r / b:.2f}x")

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
