"""The bid viewer on a 300-page bid (issue 18 item 3), each figure against a baseline measured in the same run.

1. first page shown: from choosing the document in the viewer (read, SHA-256 checked, opened, page 1 rendered on
   PDFium's lane, painted) vs bare pypdfium2 doing the same from the file (read, open, render page 1, to a QImage).
2. page turn: from "next page" to the page painted, over many turns, vs bare pypdfium2 rendering the same pages.
3. the GUI thread's longest stall while the document opens and its 300 thumbnails render behind it (what an expert
   typing a score beside it would feel) vs the same event loop idle.

Run: .venv/bin/python bench/bid_viewer.py [--pages 300] [--turns 40]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f}"


def make_bid(path: Path, pages: int) -> Path:
    """A technical bid of ``pages`` pages: Chinese text in the bundled font, a table and a drawing per page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from app.paths import CJK_FONT

    pdfmetrics.registerFont(TTFont("CJK", str(CJK_FONT)))
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    line = "本投标人承诺按招标文件要求组织施工，配备项目经理及技术负责人，工期、质量、安全目标如下所述。"
    for n in range(1, pages + 1):
        c.setFont("CJK", 16)
        c.drawString(60, height - 70, f"第{n}章 施工组织设计（第 {n} 页）")
        c.setFont("CJK", 10)
        for row in range(40):
            c.drawString(60, height - 110 - row * 15, f"{n}.{row + 1} {line}")
        for col in range(6):
            c.rect(60 + col * 80, 80, 80, 60)
        c.line(60, 150, width - 60, 150)
        c.showPage()
    c.save()
    return path


def baseline_first_page(path: Path, width: int) -> float:
    import pypdfium2 as pdfium
    from PySide6.QtGui import QImage

    start = time.perf_counter()
    document = pdfium.PdfDocument(path.read_bytes())
    page = document[0]
    picture = page.render(scale=width / page.get_width()).to_pil().convert("RGB")
    QImage(picture.tobytes(), picture.width, picture.height, 3 * picture.width, QImage.Format.Format_RGB888).copy()
    page.close()
    elapsed = time.perf_counter() - start
    document.close()
    return elapsed


def baseline_turns(path: Path, width: int, turns: int) -> list[float]:
    import pypdfium2 as pdfium
    from PySide6.QtGui import QImage

    document = pdfium.PdfDocument(path.read_bytes())
    out = []
    for index in range(1, turns + 1):
        start = time.perf_counter()
        page = document[index]
        picture = page.render(scale=width / page.get_width()).to_pil().convert("RGB")
        QImage(picture.tobytes(), picture.width, picture.height, 3 * picture.width,
               QImage.Format.Format_RGB888).copy()
        page.close()
        out.append(time.perf_counter() - start)
    document.close()
    return out


def viewer_run(path: Path, turns: int) -> dict[str, object]:
    """In this process: the viewer's pane opening the bid, then turning pages; the GUI thread's stalls meanwhile."""
    import pypdfium2  # noqa: F401  (imported before the clock starts, as the baseline finds it)
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from app.services.bid_documents import BidFile
    from ui.workstation import bid_viewer

    app = QApplication.instance() or QApplication(sys.argv[:1])
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    file = BidFile("B1", "基准投标人", "bids/B1/technical.pdf", sha, "technical", path)
    pane = bid_viewer.DocumentPane()
    pane.resize(700, 900)
    pane.show()
    app.processEvents()
    painted: list[tuple[int, float]] = []
    original = pane._show

    def show(generation: int, image: object) -> None:
        original(generation, image)
        if pane.shown[0] == sha:
            painted.append((pane.shown[1], time.perf_counter()))

    pane._show = show  # type: ignore[method-assign]
    stalls: list[float] = []
    clock = QElapsedTimer()
    tick = QTimer(interval=5)

    def ticked() -> None:
        stalls.append(clock.restart())

    tick.timeout.connect(ticked)

    def idle_stall(seconds: float) -> float:
        stalls.clear()
        clock.start()
        tick.start()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.001)
        tick.stop()
        return max(stalls, default=0.0)

    idle = idle_stall(1.0)
    stalls.clear()
    clock.start()
    tick.start()
    start = time.perf_counter()
    pane.set_files([file])

    def wait(check: object, limit: float = 120.0) -> None:
        end = time.perf_counter() + limit
        while not check() and time.perf_counter() < end:  # type: ignore[operator]
            app.processEvents()
            time.sleep(0.0005)

    wait(lambda: painted and painted[0][0] == 0)
    first = painted[0][1] - start
    width = pane._width()
    wait(lambda: pane.thumbs.count() and not pane.thumbs.item(pane.thumbs.count() - 1).icon().isNull())
    thumbs_done = time.perf_counter() - start
    tick.stop()
    busy_stall = max(stalls, default=0.0)
    times = []
    for index in range(1, turns + 1):
        painted.clear()
        at = time.perf_counter()
        pane.go(index)
        wait(lambda i=index: any(p == i for p, _ in painted))
        times.append(painted[-1][1] - at)
    pane.close()
    return {"first": first, "width": width, "thumbs": thumbs_done, "busy_stall": busy_stall, "idle_stall": idle,
            "turns": times}


CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
sys.argv = sys.argv[:1] + sys.argv[2:]
from pathlib import Path
import bench.bid_viewer as b
path, turns = Path(sys.argv[1]), int(sys.argv[2])
result = b.viewer_run(path, turns)
result["base_first"] = b.baseline_first_page(path, result["width"])
result["base_turns"] = b.baseline_turns(path, result["width"], turns)
print(json.dumps(result))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import json

    with tempfile.TemporaryDirectory() as tmp:
        bid = make_bid(Path(tmp) / "bid.pdf", args.pages)
        print(f"a {args.pages}-page bid, {bid.stat().st_size / 1e6:.1f} MB; {os.cpu_count()} CPUs, {load()}")
        runs = []
        for _ in range(args.runs):  # each run a fresh process: nothing cached from the run before
            done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(bid), str(args.turns)],
                                  capture_output=True, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                                  timeout=600, cwd=ROOT)
            if done.returncode != 0:
                raise SystemExit(done.stderr[-2000:])
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    first = statistics.median(r["first"] for r in runs) * 1000
    base_first = statistics.median(r["base_first"] for r in runs) * 1000
    print(f"1. first page shown: {first:.0f} ms (viewer: read + SHA-256 + open + render + paint) vs bare pypdfium2 "
          f"{base_first:.0f} ms: {first / base_first:.2f}×  ({load()})")
    turns = sorted(t * 1000 for r in runs for t in r["turns"])
    base = sorted(t * 1000 for r in runs for t in r["base_turns"])
    p95 = turns[int(len(turns) * 0.95) - 1]
    base_p95 = base[int(len(base) * 0.95) - 1]
    median, base_median = statistics.median(turns), statistics.median(base)
    print(f"2. page turn: median {median:.1f} ms, p95 {p95:.1f} ms vs bare render median {base_median:.1f} ms, "
          f"p95 {base_p95:.1f} ms: {median / base_median:.2f}× median  ({load()})")
    busy = statistics.median(r["busy_stall"] for r in runs)
    idle = statistics.median(r["idle_stall"] for r in runs)
    thumbs = statistics.median(r["thumbs"] for r in runs)
    print(f"3. GUI thread's longest stall while opening and rendering {args.pages} thumbnails ({thumbs:.1f} s): "
          f"{busy:.0f} ms vs idle {idle:.0f} ms  ({load()})")


if __name__ == "__main__":
    main()
