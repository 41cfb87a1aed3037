"""Recording benchmarks (issue #5), each against a baseline measured in the same run.

1. The recorder at 1280x720 vs a bare PyAV loop encoding the same frames (same encoder, MPEG-TS with
   flush_packets=1, 4 s segments): throughput and CPU per frame as fast as possible (the recorder with
   back-pressure so no frame is dropped), and CPU per frame at the cameras' real rate of 25 fps (both
   paced). The recorder adds the burnt-in overlay, the preview
   JPEGs, per-segment fsync + SHA-256 + signed feed events, and its threads. Target: within 1.3x.
2. GUI frame time: render of the supervisor's preview (poll the latest JPEG, decode, scale, paint) while
   the recorder process records 1280x720 at 25 fps, vs the same render with no recording running.

Each measurement runs in its own process (CPU from getrusage). Run: .venv/bin/python bench/recording.py
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}

FRAMES = r"""
import numpy as np
from app.recording.sources import SyntheticCamera
def frames(n, w=1280, h=720):
    cam = SyntheticCamera(w, h)
    rng = np.random.default_rng(1)
    noise = rng.integers(0, 6, (h, w, 3), dtype=np.uint8)  # sensor noise: closer to a real camera than flat colour
    out = []
    for i in range(n):
        f = cam.read()
        f += np.roll(noise, i * 16, axis=1)
        out.append(f)
    return out
"""

BARE = FRAMES + r"""
import av, fractions, resource, sys, tempfile, time, os
n, codec, segment, paced = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4] == "paced"
data = frames(n)
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime
folder = tempfile.mkdtemp()
c0, t0 = cpu(), time.perf_counter()
size = 0
for first in range(0, n, segment):  # the same 4 s segments as the recorder: a fresh encoder each
    name = os.path.join(folder, f"bare{first}.ts")
    out = av.open(name, "w", format="mpegts", options={"flush_packets": "1"})
    st = out.add_stream(codec, rate=25)
    st.width, st.height, st.pix_fmt = 1280, 720, "yuv420p"
    st.codec_context.time_base = fractions.Fraction(1, 1000)
    st.codec_context.gop_size = 50
    st.bit_rate = 1280 * 720 * 2
    for i, f in enumerate(data[first:first + segment]):
        if paced:  # the camera's rate: one frame every 40 ms
            due = t0 + (first + i) * 0.04 - time.perf_counter()
            if due > 0: time.sleep(due)
        v = av.VideoFrame.from_ndarray(f, format="bgr24"); v.pts = i * 40; v.time_base = fractions.Fraction(1, 1000)
        out.mux(st.encode(v))
    out.mux(st.encode(None)); out.close()
    size += os.path.getsize(name)
print(json.dumps({"cpu": cpu() - c0, "wall": time.perf_counter() - t0, "frames": n, "bytes": size}))
""".replace("import av,", "import json, av,")

RECORDER = FRAMES + r"""
import json, resource, sys, tempfile, time, threading
from pathlib import Path
from app.recording.recorder import CameraConfig, Recorder, RecorderConfig
from app.recording.sources import Paced
n, codec, paced = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "paced"
data = frames(n)
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime
holder = {}
class Replay:
    name = "cam1"
    def __init__(self): self.i = 0
    def read(self):
        if not paced:  # back-pressure: never let the worker's queue drop a frame
            while holder["rec"].workers[0].queue.qsize() >= 2: time.sleep(0.0005)
        if self.i >= n:
            from app.recording.sources import EndOfStream
            raise EndOfStream("done")
        f = data[self.i].copy(); self.i += 1; return f
    def close(self): pass
def opener(cfg):
    cam = Replay()
    return Paced(cam, 25.0) if paced else cam
out = Path(tempfile.mkdtemp()) / "rec"
cfg = RecorderConfig(out=out, cameras=[CameraConfig("cam1", "synthetic")], room="第一评标室", segment_s=4.0,
                     width=1280, height=720, fps=25.0, codec=codec, stall_s=5.0)
rec = Recorder(cfg, opener=opener); holder["rec"] = rec
c0, t0 = cpu(), time.perf_counter()
rec.run(None)
wall = time.perf_counter() - t0
segs = [e for e in rec.feed.events if e.type == "recording.segment"]
print(json.dumps({"cpu": cpu() - c0, "wall": wall, "frames": sum(e.body["frames"] for e in segs), "dropped": rec.dropped,
                  "bytes": sum(e.body["bytes"] for e in segs),
                  "segments": len(segs)}))
"""

GUI = r"""
import json, statistics, sys, time
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QApplication, QLabel
from app.recording.process import PreviewReader
app = QApplication(sys.argv[:1])
label = QLabel(); label.resize(640, 360); label.show()
reader = PreviewReader(Path(sys.argv[1]))
seconds = float(sys.argv[2])
times = []
end = time.perf_counter() + seconds
while time.perf_counter() < end:
    t = time.perf_counter()
    preview = reader.latest("cam1")  # what a 10 Hz QTimer slot does
    if preview.jpeg:
        image = QImage.fromData(preview.jpeg)
        label.setPixmap(QPixmap.fromImage(image).scaled(640, 360, Qt.AspectRatioMode.KeepAspectRatio))
    label.repaint(); app.processEvents()
    times.append((time.perf_counter() - t) * 1000)
    time.sleep(max(0.0, 0.1 - (time.perf_counter() - t)))
times.sort()
print(json.dumps({"median_ms": statistics.median(times), "p95_ms": times[int(len(times) * 0.95) - 1], "renders": len(times)}))
"""


def _run(code: str, *args: str) -> dict:
    run = subprocess.run([sys.executable, "-c", code, *args], env=ENV, capture_output=True, text=True, cwd=ROOT, timeout=900)
    if run.returncode != 0:
        raise SystemExit(f"child failed: {run.stderr.strip()[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=250, help="frames per run (default 250 = 10 s at 25 fps)")
    parser.add_argument("--codec", default="mpeg4")
    parser.add_argument("--gui-seconds", type=float, default=8.0)
    args = parser.parse_args()
    n = args.frames
    bare = _run(BARE, str(n), args.codec, "100", "fast")
    bare_paced = _run(BARE, str(n), args.codec, "100", "paced")
    fast = _run(RECORDER, str(n), args.codec, "fast")
    paced = _run(RECORDER, str(n), args.codec, "paced")
    result = {
        "codec": args.codec, "frames": n, "size": "1280x720",
        "bare_pyav": {"fps": round(n / bare["wall"], 1), "cpu_ms_per_frame": round(1000 * bare["cpu"] / n, 2),
                      "bytes": bare["bytes"]},
        "recorder_max": {"fps": round(fast["frames"] / fast["wall"], 1),
                         "cpu_ms_per_frame": round(1000 * fast["cpu"] / max(1, fast["frames"]), 2),
                         "frames": fast["frames"], "dropped": fast["dropped"], "bytes": fast["bytes"]},
        "recorder_25fps": {"fps": round(paced["frames"] / paced["wall"], 1),
                           "cpu_percent_of_one_core": round(100 * paced["cpu"] / paced["wall"], 1),
                           "cpu_ms_per_frame": round(1000 * paced["cpu"] / max(1, paced["frames"]), 2),
                           "frames": paced["frames"], "dropped": paced["dropped"], "bytes": paced["bytes"]},
    }
    result["ratio_cpu_per_frame"] = round(result["recorder_max"]["cpu_ms_per_frame"] / result["bare_pyav"]["cpu_ms_per_frame"], 2)
    result["bare_pyav_25fps"] = {"fps": round(n / bare_paced["wall"], 1),
                                 "cpu_percent_of_one_core": round(100 * bare_paced["cpu"] / bare_paced["wall"], 1),
                                 "cpu_ms_per_frame": round(1000 * bare_paced["cpu"] / n, 2)}
    result["ratio_cpu_per_frame_at_25fps"] = round(result["recorder_25fps"]["cpu_ms_per_frame"] / result["bare_pyav_25fps"]["cpu_ms_per_frame"], 2)
    result["ratio_fps"] = round(result["bare_pyav"]["fps"] / result["recorder_max"]["fps"], 2)

    # GUI render of the preview while the recorder process records, vs with no recording.
    sys.path.insert(0, str(ROOT))
    from app.recording.process import RecorderProcess
    from app.recording.recorder import CameraConfig

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rec"
        process = RecorderProcess(out, [CameraConfig("cam1", "synthetic")], segment_s=10, size=(1280, 720), fps=25)
        process.start()
        deadline = time.monotonic() + 30
        while process.preview("cam1").jpeg is None and time.monotonic() < deadline:
            time.sleep(0.1)
        busy = _run(GUI, str(out), str(args.gui_seconds))
        process.stop()
        idle = _run(GUI, str(out), str(args.gui_seconds))  # the last preview, no recorder running
    result["gui_preview_render"] = {"recording": busy, "idle": idle,
                                    "ratio_median": round(busy["median_ms"] / idle["median_ms"], 2)}
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
