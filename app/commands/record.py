"""`evalroom record --source SRC --seconds N --out DIR [--segment S]`: headless crash-safe recording.

SRC = ``synthetic``, a device index, a file path or an rtsp:// / http:// URL; ``NAME=SRC`` names the
camera; ``--source`` may be given once per camera. Writes ``DIR/segments/<camera>/*.ts``, the recorder's
signed feed ``DIR/ledger/<key id>.jsonl`` and ``DIR/keys/recorder.pub.pem`` (spec/cli.md).
Stops after N seconds, on SIGTERM/SIGINT, on ``stop`` on stdin (``--control-stdin``) or when the file
``DIR/run/stop`` appears; the end of stdin does not stop it (a console crash must not stop recording).

``evalroom record --recover DIR`` records nothing: it closes out what a crashed recorder left in DIR (the
unfinished segments, the crash fault) and stops, as the next start of the recorder would.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from app.commands.base import EXIT_OK, UsageError

if TYPE_CHECKING:
    from app.recording.config import CameraConfig
    from app.recording.recorder import Recorder

SIZE = re.compile(r"(\d+)x(\d+)")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("record", help="record cameras into crash-safe segments chained in a signed feed")
    parser.add_argument("--source", action="append", metavar="[NAME=]SRC",
                        help="synthetic, a device index, a video file or an rtsp:// URL; repeat for several cameras; "
                             "'SRC copy' records that one by stream copy, 'SRC auto' does when its stream is H.264 "
                             "or H.265")
    parser.add_argument("--seconds", type=float, metavar="N", help="how long to record (default: until stopped)")
    parser.add_argument("--out", metavar="DIR", help="the recording folder (required unless --recover)")
    parser.add_argument("--recover", metavar="DIR",
                        help="record nothing: close out what a crashed recorder left in DIR (its unfinished segments, "
                             "the crash fault) and stop")
    parser.add_argument("--segment", type=float, default=60.0, metavar="S",
                        help="segment length in seconds (default 60)")
    parser.add_argument("--room", default="评标室", help="room name burnt into the picture")
    parser.add_argument("--session", default="recording", help="session id written in the feed's events")
    parser.add_argument("--size", default="1280x720", metavar="WxH", help="recorded frame size (default 1280x720)")
    parser.add_argument("--fps", type=float, default=25.0,
                        help="frame rate of synthetic sources and of the encoder (default 25)")
    parser.add_argument("--codec", default="mpeg4", choices=["mpeg4", "libx264"],
                        help="encoder for raw sources: mpeg4 (FFmpeg native, LGPL; default) or libx264 (GPL)")
    parser.add_argument("--copy", action="store_true", help="record encoded (H.264) URL/file sources by stream copy")
    parser.add_argument("--loop", action="store_true", help="play file sources in a loop")
    parser.add_argument("--microphone", default="auto", metavar="[CAMERA=]MIC",
                        help="the room's sound, recorded into CAMERA's segments (default the first camera): auto (the "
                             "test tone with a synthetic camera, else none), none, synthetic, alsa:DEVICE, "
                             "pulse:DEVICE, camera (the camera's own sound track) or a sound file")
    parser.add_argument("--stall", type=float, default=3.0, metavar="S",
                        help="no frame for S seconds is a fault (default 3)")
    parser.add_argument("--min-free", type=int, default=500, metavar="MB",
                        help="low-disk alarm below this many MiB (default 500)")
    parser.add_argument("--control-stdin", action="store_true", help="read control commands (stop) from stdin")
    parser.add_argument("--exit-with-parent", type=int, metavar="PID",
                        help="stop, cleanly, when process PID (the console that started this recorder) ends: the end "
                             "of stdin or another parent process (a demo's recorder ends with the demo)")
    parser.set_defaults(handler=run, check=check)


def _cameras(values: list[str], copy: bool, loop: bool) -> list[CameraConfig]:
    from app.settings.cameras import camera

    cameras = []
    for index, value in enumerate(values, 1):
        name, sep, source = value.partition("=")
        if not sep or "://" in name:
            name, source = f"cam{index}", value
        if not source:
            raise UsageError(f"record: --source {value!r} names no source")
        configured = camera(name, source, copy=copy, loop=loop)
        source = configured.source
        if source != "synthetic" and not source.isdigit() and "://" not in source and not Path(source).is_file():
            raise UsageError(f"record: --source {source}: no such file")
        cameras.append(configured)
    return cameras


def check(args: argparse.Namespace) -> None:
    """Every argument, before anything is created (the log folder, ``--out``): ``args.config`` on success."""
    from app.recording.config import RecorderConfig
    from app.settings.cameras import resolve_microphone

    if getattr(args, "recover", None) is not None:
        _check_recover(args)
        return
    if not args.source:
        raise UsageError("record: at least one --source is required (or --recover DIR)")
    if getattr(args, "exit_with_parent", None) is not None and args.exit_with_parent <= 0:
        raise UsageError(f"record: --exit-with-parent {args.exit_with_parent}: not a process id")
    if not args.out:
        raise UsageError("record: --out DIR is required")
    size = SIZE.fullmatch(args.size)
    if not size:
        raise UsageError(f"record: --size {args.size!r} is not WxH (e.g. 1280x720)")
    if args.seconds is not None and args.seconds <= 0:
        raise UsageError("record: --seconds must be positive")
    for option, value in (("--segment", args.segment), ("--fps", args.fps), ("--stall", args.stall)):
        if not value > 0:  # NaN too
            raise UsageError(f"record: {option} {value:g} must be positive")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"record: --out {args.out}: not a folder")
    cameras = _cameras(args.source, args.copy, args.loop)
    try:
        microphone = resolve_microphone(getattr(args, "microphone", "auto") or "auto", cameras, args.loop)
    except ValueError as exc:
        raise UsageError(f"record: --microphone: {exc}") from exc
    if (microphone is not None and ":" not in microphone.source and "://" not in microphone.source
            and microphone.source not in ("synthetic", "camera") and not Path(microphone.source).is_file()):
        raise UsageError(f"record: --microphone {microphone.source}: no such file")
    try:
        args.config = RecorderConfig(out=out, cameras=cameras, room=args.room,
                                     session=args.session, segment_s=args.segment, width=int(size[1]),
                                     height=int(size[2]), fps=args.fps, codec=args.codec, stall_s=args.stall,
                                     min_free_bytes=args.min_free * 1024 * 1024, microphone=microphone)
    except ValueError as exc:
        raise UsageError(f"record: {exc}") from exc


def _check_recover(args: argparse.Namespace) -> None:
    from app.recording.config import KEYS, LEDGER
    from app.recording.feed import KEY_FILE

    if args.source or args.out:
        raise UsageError("record: --recover DIR records nothing: give it no --source and no --out")
    folder = Path(args.recover)
    if not folder.is_dir():
        raise UsageError(f"record: --recover {folder}: no such folder")
    if not (folder / LEDGER).is_dir() or not (folder / KEYS / KEY_FILE).is_file():
        raise UsageError(f"record: --recover {folder}: not a folder written by evalroom record (no {LEDGER}/ or "
                         f"{KEYS}/{KEY_FILE})")
    args.config = None


def run_recover(args: argparse.Namespace) -> int:
    """`evalroom record --recover DIR`: close out a crashed recording (``app.recording.recorder.recover_folder``)."""
    from app.crypto.keys import KeyFileError
    from app.recording.process import RecorderBusy, exclusive
    from app.recording.recorder import recover_folder

    folder = Path(args.recover)
    try:
        with exclusive(folder):
            done = recover_folder(folder)
    except RecorderBusy as exc:
        raise UsageError(f"record: --recover: {exc} (it recovers its own unfinished segments)") from exc
    except (KeyFileError, ValueError) as exc:
        raise UsageError(f"record: --recover: {exc}") from exc
    if not done.events:
        print(f"evalroom: {folder}: nothing to recover (the last run stopped in order, no unfinished segment)",
              file=sys.stderr)
        return EXIT_OK
    frames = sum(info.frames for info in done.segments)
    print(f"{len(done.segments)} unfinished segments recovered ({frames} frames), {done.discarded} discarded "
          f"(nothing decodes); {'the crash is recorded as a fault' if done.crashed else 'the last run had stopped'}")
    for ev in done.events:
        if ev.type == "recording.fault":
            print(f"evalroom: note: fault {ev.body.get('camera')} {ev.body.get('kind')}: {ev.body.get('message')}",
                  file=sys.stderr)
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    from app.crypto.keys import KeyFileError
    from app.recording.process import exclusive, request_stop_cleared
    from app.recording.recorder import Recorder

    if not hasattr(args, "config"):
        check(args)  # called without the command line's check (tests, scripts)
    if getattr(args, "recover", None) is not None:
        return run_recover(args)
    config = args.config
    if any(c.auto_copy for c in config.cameras):
        from app.recording.sources import detect_copy

        config.cameras = [detect_copy(c, config.open_timeout_s) for c in config.cameras]
    try:
        Path(args.out).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"record: --out {args.out}: {exc.strerror}") from exc
    parent = getattr(args, "exit_with_parent", None)
    with exclusive(Path(args.out), parent=parent):
        try:
            recorder = Recorder(config)
        except (KeyFileError, ValueError) as exc:
            raise UsageError(f"record: {exc}") from exc
        if not args.control_stdin:  # run by hand: a stop file left by an earlier run is stale (a console
            request_stop_cleared(Path(args.out))  # removes it itself before it starts its recorder)

        def stop(*_: object) -> None:
            recorder.stopping.set()

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            if args.control_stdin:
                threading.Thread(target=_control, args=(recorder, parent is not None), daemon=True).start()
            if parent is not None:
                threading.Thread(target=_watch_parent, args=(recorder, parent), daemon=True).start()
            recorder.run(args.seconds)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    segments = [ev for ev in recorder.feed.events if ev.type == "recording.segment"]
    faults = [ev for ev in recorder.feed.events if ev.type == "recording.fault"]
    print(f"{len(segments)} segments, {sum(ev.body['frames'] for ev in segments)} frames, {len(faults)} faults; "
          f"feed {recorder.feed.path}")
    for ev in faults:
        print(f"evalroom: note: fault {ev.body.get('camera')} {ev.body.get('kind')}: {ev.body.get('message')}",
              file=sys.stderr)
    return EXIT_OK


def _control(recorder: Recorder, eof_stops: bool = False) -> None:
    """``stop`` on stdin stops the recording; the end of stdin (the console died) does not, unless the
    recorder ends with its console (``eof_stops``: ``--exit-with-parent``)."""
    for line in sys.stdin:
        if line.strip() == "stop":
            recorder.stopping.set()
            return
    if eof_stops:
        recorder.stop_reason = "the console that started it has ended (end of its control pipe)"
        recorder.stopping.set()


def _watch_parent(recorder: Recorder, parent: int) -> None:
    """Stop when the console ``parent`` is gone: this process was handed to another parent (POSIX; on
    Windows the end of the control pipe tells)."""
    if os.name != "posix":
        return
    while not recorder.stopping.wait(0.25):
        if os.getppid() != parent:
            recorder.stop_reason = f"the console that started it (pid {parent}) has ended"
            recorder.stopping.set()
            return
