"""Recording benchmarks (issue #5), each against a baseline measured in the same run.

1. Raw source, 1280x720 at 25 fps: CPU seconds per video second of the recorder vs the ffmpeg CLI
   encoding the same frames with the same encoder and settings (``mpeg4``, the recorder's bit rate and
   GOP, MPEG-TS with ``flush_packets 1``). Both get the identical BGR frames (a ring prepared before
   the measurement starts, so producing them is excluded on both sides) at the cameras' pace, one frame
   every 40 ms: the recorder through its camera interface, ffmpeg on stdin as ``-f rawvideo``. Only the
   recorder process's CPU is counted (getrusage of the process, after the frames are prepared; it
   includes the burnt-in overlay, the preview JPEGs, per-segment fsync + SHA-256 + signed feed events
   and its threads) and only ffmpeg's (wait4's rusage of the ffmpeg child, not the feeding process).
   Runs are interleaved ``--pairs`` times (default 3); the ratio's range is printed. Target: <= 1.2x.
2. Dropped frames over ``--minutes`` (default 0.5; the issue's figure is 10): the recorder at 25 fps,
   its own drop counter (``recorder.stopped``'s ``dropped``: frames the encoder thread could not take)
   and the frames delivered by the camera but missing from the segments. Target: 0.
3. Stream copy of an H.264 source (made here with the ffmpeg CLI, libx264 1280x720 25 fps) served over
   HTTP on 127.0.0.1 by ffmpeg at its real rate (``-re ... -listen 1``; ffmpeg can only *receive* RTSP in
   listen mode, so a pulled RTSP stream would need an RTSP server outside the toolset): the recorder
   process (``evalroom record --copy``) CPU as % of one core over ``--copy-seconds`` (default 30) of
   steady state (from /proc, after start-up), vs ``ffmpeg -c copy`` of the same stream. Target: <= 5 %.
5. Sound (issue 17): the same raw-source run with the room's microphone recorded into the segments (the
   synthetic test tone, mono 48 kHz, FFmpeg's native AAC at 64 kbit/s) vs the ffmpeg CLI encoding the same
   frames and the same samples (``-f f32le`` on a second pipe, ``-c:a aac -b:a 64k``) into the same MPEG-TS:
   CPU seconds per video second, EvalRoom, the baseline and the ratio, with the machine's load average before
   and after each run. Target: <= 1.2x.
4. GUI frame time: render of the supervisor's preview (poll the latest JPEG, decode, scale, paint) while
   the recorder process records 1280x720 at 25 fps, vs the same render with no recording running.

Run: .venv/bin/python bench/recording.py [--seconds 20] [--pairs 3] [--minutes 0.5] [--copy-seconds 30]
[--sound-seconds 20] (``--seconds 0`` / ``--minutes 0`` / ``--copy-seconds 0`` / ``--gui-seconds 0`` /
``--sound-seconds 0`` skip a part).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
W, H, FPS = 1280, 720, 25
BITRATE = W * H * 2  # the recorder's default (writer.SegmentWriter)
GOP = FPS * 2
TICK = os.sysconf("SC_CLK_TCK")

FRAMES = r"""
import numpy as np
from app.recording.sources import SyntheticCamera
def ring(n=50, w=1280, h=720):
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

FFMPEG = FRAMES + r"""
import json, os, subprocess, sys, tempfile, time
seconds, bitrate, gop = float(sys.argv[1]), sys.argv[2], sys.argv[3]
data = ring()
n = int(seconds * 25)
out = os.path.join(tempfile.mkdtemp(), "ffmpeg.ts")
cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "bgr24",
       "-s", "1280x720", "-r", "25", "-i", "-", "-c:v", "mpeg4", "-b:v", bitrate, "-g", gop, "-pix_fmt", "yuv420p",
       "-flush_packets", "1", "-f", "mpegts", "-y", out]
proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
t0 = time.perf_counter()
for i in range(n):  # the camera's rate: one frame every 40 ms
    due = t0 + i * 0.04 - time.perf_counter()
    if due > 0: time.sleep(due)
    proc.stdin.write(data[i % len(data)].data)
proc.stdin.close()
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - t0
if status: raise SystemExit(f"ffmpeg failed: {status}")
print(json.dumps({"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "frames": n, "bytes": os.path.getsize(out)}))
"""

FFMPEG_SOUND = FRAMES + r"""
import json, os, subprocess, sys, tempfile, threading, time
import numpy as np
seconds, bitrate, gop = float(sys.argv[1]), sys.argv[2], sys.argv[3]
data = ring()
n = int(seconds * 25)
index = np.arange(48000)
tone = (0.25 * np.sin(2 * np.pi * 1000.0 * index / 48000)).astype(np.float32)
tone[index >= 48000 // 5] = 0.0  # the recorder's test tone: a 0.2 s beep every second
out = os.path.join(tempfile.mkdtemp(), "ffmpeg.ts")
read_end, write_end = os.pipe()
cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-thread_queue_size", "64",
       "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", "1280x720", "-r", "25", "-i", "-",
       "-thread_queue_size", "64", "-f", "f32le", "-ar", "48000", "-ac", "1", "-i", f"pipe:{read_end}",
       "-c:v", "mpeg4", "-b:v", bitrate, "-g", gop, "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k",
       "-flush_packets", "1", "-f", "mpegts", "-y", out]
proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, pass_fds=(read_end,))
os.close(read_end)
sound = os.fdopen(write_end, "wb", buffering=0)
t0 = time.perf_counter()
def feed_sound():  # the microphone's pace: 1920 samples (40 ms) with each frame
    for i in range(n):
        due = t0 + i * 0.04 - time.perf_counter()
        if due > 0: time.sleep(due)
        start = (i * 1920) % 48000
        sound.write(tone[start:start + 1920].tobytes())
    sound.close()
feeder = threading.Thread(target=feed_sound); feeder.start()
for i in range(n):  # the camera's rate: one frame every 40 ms
    due = t0 + i * 0.04 - time.perf_counter()
    if due > 0: time.sleep(due)
    proc.stdin.write(data[i % len(data)].data)
proc.stdin.close()
feeder.join()
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - t0
if status: raise SystemExit(f"ffmpeg failed: {status}")
print(json.dumps({"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "frames": n, "bytes": os.path.getsize(out)}))
"""

RECORDER = FRAMES + r"""
import json, resource, sys, tempfile, time
from pathlib import Path
from app.recording.recorder import CameraConfig, MicrophoneConfig, Recorder, RecorderConfig
from app.recording.sources import EndOfStream, Paced
seconds = float(sys.argv[1])
sound = len(sys.argv) > 2 and sys.argv[2] == "sound"
data = ring()
n = int(seconds * 25)
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime
class Replay:
    name = "cam1"
    delivered = 0
    def read(self):
        if Replay.delivered >= n:
            raise EndOfStream("done")
        f = data[Replay.delivered % len(data)].copy()  # a camera hands over a fresh buffer per frame
        Replay.delivered += 1
        return f
    def close(self): pass
out = Path(tempfile.mkdtemp()) / "rec"
cfg = RecorderConfig(out=out, cameras=[CameraConfig("cam1", "synthetic")], room="第一评标室",
                     width=1280, height=720, fps=25.0, codec="mpeg4",  # default 60 s segments
                     microphone=MicrophoneConfig("synthetic") if sound else None)  # the test tone, if asked
rec = Recorder(cfg, opener=lambda camera: Paced(Replay(), 25.0))
c0, t0 = cpu(), time.perf_counter()
rec.run(None)
wall = time.perf_counter() - t0
segs = [e for e in rec.feed.events if e.type == "recording.segment"]
stopped = [e for e in rec.feed.events if e.type == "recorder.stopped"][-1]
frames = sum(e.body["frames"] for e in segs)
samples = sum(e.body.get("audio", {}).get("samples", 0) for e in segs)
print(json.dumps({"cpu": cpu() - c0, "wall": wall, "delivered": Replay.delivered, "frames": frames,
                  "sound_s": samples / 48000, "sound_faults": sum(e.type == "recording.fault" for e in rec.feed.events),
                  "dropped": stopped.body["dropped"], "missing": Replay.delivered - frames,
                  "bytes": sum(e.body["bytes"] for e in segs), "segments": len(segs)}))
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
print(json.dumps({"median_ms": statistics.median(times), "p95_ms": times[int(len(times) * 0.95) - 1],
                  "renders": len(times)}))
"""


def _run(code: str, *args: str, timeout: float = 900) -> dict:
    run = subprocess.run([sys.executable, "-c", code, *args], check=False, env=ENV, capture_output=True, text=True,
                         cwd=ROOT, timeout=timeout)
    if run.returncode != 0:
        raise SystemExit(f"child failed: {run.stderr.strip()[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def _span(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}" if len(values) > 1 else f"{values[0]:.2f}"


def raw_encode(seconds: float, pairs: int) -> dict:
    runs = []
    for _ in range(pairs):  # interleaved: baseline, recorder, baseline, recorder ...
        ff = _run(FFMPEG, str(seconds), str(BITRATE), str(GOP))
        rec = _run(RECORDER, str(seconds))
        ff_rate = ff["cpu"] / (ff["frames"] / FPS)
        rec_rate = rec["cpu"] / (rec["frames"] / FPS)
        runs.append({"ffmpeg_cpu_s_per_video_s": round(ff_rate, 3), "recorder_cpu_s_per_video_s": round(rec_rate, 3),
                     "ratio": round(rec_rate / ff_rate, 2), "recorder_dropped": rec["dropped"],
                     "recorder_missing": rec["missing"], "ffmpeg_bytes": ff["bytes"], "recorder_bytes": rec["bytes"]})
    return {"seconds": seconds, "runs": runs, "ratio_range": _span([r["ratio"] for r in runs]), "target": "<= 1.2"}


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (5 min {five:.2f})"


def with_sound(seconds: float, pairs: int) -> dict:
    runs = []
    for _ in range(pairs):  # interleaved: baseline, recorder, baseline, recorder ...
        before = load()
        ff = _run(FFMPEG_SOUND, str(seconds), str(BITRATE), str(GOP))
        rec = _run(RECORDER, str(seconds), "sound")
        ff_rate = ff["cpu"] / (ff["frames"] / FPS)
        rec_rate = rec["cpu"] / (rec["frames"] / FPS)
        run = {"evalroom_cpu_s_per_video_s": round(rec_rate, 3), "ffmpeg_cli_cpu_s_per_video_s": round(ff_rate, 3),
               "ratio": round(rec_rate / ff_rate, 2), "load_before": before, "load_after": load(),
               "evalroom_sound_s": round(rec["sound_s"], 2), "evalroom_frames": rec["frames"],
               "evalroom_dropped": rec["dropped"], "sound_faults": rec["sound_faults"],
               "ffmpeg_bytes": ff["bytes"], "evalroom_bytes": rec["bytes"]}
        print(f"sound: EvalRoom {rec_rate:.3f} s CPU per video second, ffmpeg CLI {ff_rate:.3f}, ratio "
              f"{rec_rate / ff_rate:.2f} (target <= 1.2); load {before} -> {run['load_after']}", file=sys.stderr,
              flush=True)
        runs.append(run)
    return {"seconds": seconds, "runs": runs, "ratio_range": _span([r["ratio"] for r in runs]), "target": "<= 1.2"}


def drops(minutes: float) -> dict:
    rec = _run(RECORDER, str(minutes * 60), timeout=minutes * 60 + 600)
    return {"minutes": minutes, "wall_s": round(rec["wall"], 1),
            "delivered_fps": round(rec["delivered"] / rec["wall"], 2),
            "delivered": rec["delivered"], "recorded": rec["frames"], "dropped": rec["dropped"],
            "missing_from_segments": rec["missing"], "segments": rec["segments"],
            "cpu_s_per_video_s": round(rec["cpu"] / (rec["frames"] / FPS), 3), "target": "0 dropped"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15 of stat)


def _serve(source: Path) -> tuple[subprocess.Popen, str]:
    """ffmpeg serving the H.264 file over HTTP at its real rate, to one client."""
    url = f"http://127.0.0.1:{_free_port()}/cam.ts"
    server = subprocess.Popen(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-re", "-i", str(source),
                               "-c", "copy", "-f", "mpegts", "-listen", "1", url],
                              stderr=subprocess.DEVNULL)  # "connection reset" when the client stops
    time.sleep(1.0)  # let it listen
    return server, url


def _measure(pid: int, warmup: float, window: float) -> float:
    time.sleep(warmup)
    c0, t0 = _cpu_of(pid), time.monotonic()
    time.sleep(window)
    return 100 * (_cpu_of(pid) - c0) / (time.monotonic() - t0)


def stream_copy(window: float, pairs: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from app.recording.process import RecorderProcess
    from app.recording.recorder import CameraConfig

    warmup = 6.0
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "h264.mp4"
        subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                        f"testsrc2=size={W}x{H}:rate={FPS}", "-t", str(window + warmup + 10), "-c:v", "libx264",
                        "-preset", "veryfast", "-g", str(GOP), "-b:v", "2M", "-pix_fmt", "yuv420p", str(source)],
                       check=True)
        for i in range(pairs):
            server, url = _serve(source)
            copier = subprocess.Popen(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", url, "-c",
                                       "copy", "-flush_packets", "1", "-f", "mpegts", "-y",
                                       str(Path(tmp) / f"ff{i}.ts")],
                                      stderr=subprocess.DEVNULL)
            ff = _measure(copier.pid, warmup, window)
            copier.terminate()
            copier.wait()
            server.terminate()
            server.wait()

            server, url = _serve(source)
            out = Path(tmp) / f"rec{i}"
            rec_process = RecorderProcess(out, [CameraConfig("cam1", url, copy=True)], env=ENV)
            rec_process.start()
            rec = _measure(rec_process.pid, warmup, window)
            rec_process.stop()
            server.terminate()
            server.wait()
            feed = subprocess.run([sys.executable, "-m", "app", "verify-recording", str(out)], check=False, env=ENV,
                                  cwd=ROOT, capture_output=True, text=True)
            runs.append({"recorder_percent_of_one_core": round(rec, 2), "ffmpeg_copy_percent_of_one_core": round(ff, 2),
                         "ratio": round(rec / ff, 2) if ff else None, "verify_recording_rc": feed.returncode})
    return {"window_s": window, "runs": runs,
            "recorder_range": _span([r["recorder_percent_of_one_core"] for r in runs]), "target": "<= 5 % of one core"}


def gui(seconds: float) -> dict:
    sys.path.insert(0, str(ROOT))
    from app.recording.process import RecorderProcess
    from app.recording.recorder import CameraConfig

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rec"
        process = RecorderProcess(out, [CameraConfig("cam1", "synthetic")], segment_s=10, size=(W, H), fps=FPS)
        process.start()
        deadline = time.monotonic() + 30
        while process.preview("cam1").jpeg is None and time.monotonic() < deadline:
            time.sleep(0.1)
        busy = _run(GUI, str(out), str(seconds))
        process.stop()
        idle = _run(GUI, str(out), str(seconds))  # the last preview, no recorder running
    return {"recording": busy, "idle": idle, "ratio_median": round(busy["median_ms"] / idle["median_ms"], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="video seconds per raw-encode run (default 20)")
    parser.add_argument("--pairs", type=int, default=3, help="interleaved recorder/ffmpeg pairs (default 3)")
    parser.add_argument("--minutes", type=float, default=0.5,
                        help="length of the dropped-frames run (default 0.5; issue: 10)")
    parser.add_argument("--copy-seconds", type=float, default=30.0, help="stream-copy measuring window (default 30)")
    parser.add_argument("--gui-seconds", type=float, default=8.0)
    parser.add_argument("--sound-seconds", type=float, default=20.0,
                        help="video seconds per run with sound vs the ffmpeg CLI (default 20)")
    args = parser.parse_args()
    result: dict = {"size": f"{W}x{H}", "fps": FPS, "codec": "mpeg4", "bitrate": BITRATE}
    if args.pairs > 0 and args.seconds > 0:
        result["raw_encode_vs_ffmpeg_cli"] = raw_encode(args.seconds, args.pairs)
        print(json.dumps(result["raw_encode_vs_ffmpeg_cli"]), file=sys.stderr, flush=True)
    if args.pairs > 0 and args.sound_seconds > 0:
        result["with_sound_vs_ffmpeg_cli"] = with_sound(args.sound_seconds, args.pairs)
        print(json.dumps(result["with_sound_vs_ffmpeg_cli"]), file=sys.stderr, flush=True)
    if args.minutes > 0:
        result["dropped_frames"] = drops(args.minutes)
        print(json.dumps(result["dropped_frames"]), file=sys.stderr, flush=True)
    if args.copy_seconds > 0:
        result["stream_copy_h264"] = stream_copy(args.copy_seconds, max(1, args.pairs))
        print(json.dumps(result["stream_copy_h264"]), file=sys.stderr, flush=True)
    if args.gui_seconds > 0:
        result["gui_preview_render"] = gui(args.gui_seconds)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
