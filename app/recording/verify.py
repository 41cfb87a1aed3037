"""`evalroom verify-recording DIR`: the recorder's feed is intact, every segment decodes and matches its
hash, and the recording has gaps only where a fault is recorded.

Problems are one line each, starting with their kind: ``feed`` (a record that cannot be read, a bad
hash, signature or chain link), ``segment`` (missing, altered, undecodable, a frame count that differs,
a segment file the feed does not know), ``gap`` (time inside a recording run that neither a segment nor
a fault covers). An unfinished ``.part`` (the recorder is recording, or it crashed) is not damage: it is
a note saying how to recover it (start the recorder again, or ``evalroom record --recover DIR``), and the
time it spans at the end of a run that never stopped is not a gap.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

import av

from app.crypto.keys import KeyFileError, VerifyingKey
from app.errors import EvalRoomError
from app.ledger.events import SignedEvent
from app.ledger.verify import read_feed_dir
from app.recording.config import ALL, KEYS, LEDGER, SEGMENTS
from app.recording.feed import PUBLIC_KEY
from app.recording.writer import PART, SUFFIX, decode_count, decode_sound, parse_name, sha256_file

Interval = tuple[datetime, datetime]


class RecordingInputError(EvalRoomError):
    """DIR or its key cannot be used at all (exit 2)."""


@dataclass
class RecordingReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    segments: int = 0
    frames: int = 0
    faults: int = 0
    seconds: float = 0.0
    sound_seconds: float = 0.0  # of the segments' sound tracks that verified

    @property
    def ok(self) -> bool:
        return not self.problems


def _time(stamp: Any) -> datetime | None:
    try:
        return datetime.strptime(str(stamp), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _ffprobe_frames(path: Path) -> int | None:
    exe = shutil.which("ffprobe")
    if exe is None:
        return None
    run = subprocess.run([exe, "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                          "stream=nb_read_frames", "-of", "csv=p=0", str(path)], capture_output=True, text=True,
                          timeout=300)
    try:
        return int(run.stdout.strip().splitlines()[0].strip(","))
    except (IndexError, ValueError):
        return -1


def _check_chain(events: list[tuple[SignedEvent, str]], key: VerifyingKey, problems: list[str]) -> list[SignedEvent]:
    """The feed's events in seq order, checking hash, signature, seq, prev and time; the intact prefix."""
    mine = sorted(((ev, where) for ev, where in events if ev.author == key.key_id), key=lambda p: p[0].seq)
    for ev, where in events:
        if ev.author != key.key_id:
            problems.append(f"feed: event {ev.short} ({where}) is not signed by the recorder key {key.key_id[:8]}")
    trusted: list[SignedEvent] = []
    prev_id: str | None = None
    prev_time = ""
    intact = True
    for expected, (ev, where) in enumerate(mine, 1):
        ok = True
        if ev.seq != expected:
            problems.append(f"feed: seq {expected} is missing or doubled at {where} (found seq {ev.seq})")
            ok = False
        if ev.computed_id() != ev.id:
            problems.append(f"feed: event {ev.short} ({where}): content does not match its id (altered)")
            ok = False
        elif not ev.signature_valid(key):
            problems.append(f"feed: event {ev.short} ({where}): bad signature")
            ok = False
        if ev.prev != prev_id:
            problems.append(f"feed: event {ev.short} ({where}): prev does not link to the event before it")
            ok = False
        if ev.time < prev_time:
            problems.append(f"feed: event {ev.short} ({where}): time goes backwards")
            ok = False
        prev_id, prev_time = ev.id, max(prev_time, ev.time)
        intact = intact and ok
        if intact:
            trusted.append(ev)
    return trusted


def _check_segment(folder: Path, ev: SignedEvent, report: RecordingReport, seen: set[str], probe: bool,
                   frame: timedelta) -> Interval | None:
    body = ev.body
    name = body.get("file")
    if not isinstance(name, str) or PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
        report.problems.append(f"segment: event {ev.short} names no safe file ({name!r})")
        return None
    start, end = _time(body.get("start")), _time(body.get("end"))
    frames = body.get("frames")
    if start is None or end is None or end < start or not isinstance(frames, int):
        report.problems.append(f"segment: {name}: the event's start, end or frames are malformed")
        return None
    chained = _time(ev.time)
    if chained is not None and end - chained > frame + timedelta(milliseconds=250):
        report.problems.append(f"segment: {name} ends after the event that chained it (event {ev.short})")
    if name in seen:
        report.problems.append(f"segment: {name} is chained twice")
    seen.add(name)
    path = folder / name
    if not path.is_file():
        report.problems.append(f"segment: {name} is missing (chained by event {ev.short})")
        return (start, end)
    size = path.stat().st_size
    if size != body.get("bytes") or sha256_file(path) != body.get("sha256"):
        report.problems.append(f"segment: {name}: SHA-256 or size differs from the feed (altered or replaced)")
        return (start, end)
    try:
        decoded, _last = decode_count(path)
    except (av.FFmpegError, IndexError, OSError) as exc:
        if frames == 0 and body.get("recovered"):
            return (start, end)
        report.problems.append(f"segment: {name} does not decode ({exc})")
        return (start, end)
    if decoded != frames:
        report.problems.append(f"segment: {name}: {decoded} frames decode, the feed says {frames}")
    if probe and frames:
        counted = _ffprobe_frames(path)
        if counted is not None and counted != frames:
            report.problems.append(f"segment: {name}: ffprobe counts {counted} frames, the feed says {frames}")
    audio = body.get("audio")
    if isinstance(audio, dict):
        _check_sound(path, name, audio, report)
    report.segments += 1
    report.frames += decoded
    report.seconds += (end - start).total_seconds()
    return (start, end)


#: samples a decoder may give back beyond what was encoded (the AAC encoder's priming frame) or fewer (a torn frame)
SOUND_SLACK = 2048


def _check_sound(path: Path, name: str, audio: dict[str, Any], report: RecordingReport) -> None:
    """A segment the feed says holds sound: its sound track exists and decodes to as many samples as the feed says."""
    samples = audio.get("samples")
    if not isinstance(samples, int) or samples < 0:
        report.problems.append(f"segment: {name}: the event's sound facts are malformed")
        return
    try:
        decoded = decode_sound(path)
    except (av.FFmpegError, IndexError, OSError) as exc:
        report.problems.append(f"segment: {name}: its sound does not decode ({exc})")
        return
    if decoded is None:
        if samples:
            report.problems.append(f"segment: {name} has no sound track, the feed says it holds "
                                   f"{samples} samples of {audio.get('codec')} sound")
        return
    if decoded < samples - SOUND_SLACK or decoded > samples + SOUND_SLACK:
        report.problems.append(f"segment: {name}: {decoded} samples of sound decode, the feed says {samples}")
        return
    report.sound_seconds += samples / max(1, int(audio.get("rate") or 48000))


def _holes(span: Interval, covered: list[Interval], tolerance: timedelta) -> list[Interval]:
    start, end = span
    holes = []
    cursor = start
    for a, b in sorted(covered):
        if b <= cursor:
            continue
        if a > cursor and a - cursor > tolerance and a < end:
            holes.append((cursor, min(a, end)))
        cursor = max(cursor, b)
        if cursor >= end:
            break
    if end - cursor > tolerance:
        holes.append((cursor, end))
    return holes


@dataclass
class _Run:
    start: datetime
    end: datetime
    cameras: list[str]
    stall_ms: int
    stopped: bool = False
    sound: str | None = None  # the camera whose segments carry the microphone's sound


def _check_gaps(events: list[SignedEvent], segments: dict[str, list[Interval]], report: RecordingReport,
                tolerance_ms: int | None, unfinished: dict[str, list[datetime]] | None = None,
                sound: dict[str, list[Interval]] | None = None) -> None:
    """Time inside a run (``recorder.started`` to ``recorder.stopped``, or to the next start after a crash)
    that neither a segment nor a fault covers. A fault lasts until its ``until``, else the
    ``recording.restored`` that names it, else the end of its run (the next run opens every camera anew);
    ``unfinished``: the start of each camera's ``.part`` file, which covers the rest of a last run that never
    stopped (the recorder is recording, or crashed: reported as a note, not a gap)."""
    runs: list[_Run] = []
    run_of: dict[str, _Run] = {}  # event id -> its run
    current: _Run | None = None
    for ev in events:
        moment = _time(ev.time)
        assert moment is not None
        if ev.type == "recorder.started":
            if current is not None:
                current.end = moment  # the run before crashed: it lasted until this start
            names = [c.get("name") for c in ev.body.get("cameras", []) if isinstance(c, dict)]
            stall = ev.body.get("stall_ms", 3000)
            microphone = ev.body.get("microphone")
            carrier = microphone.get("camera") if isinstance(microphone, dict) else None
            current = _Run(moment, moment, [c for c in names if isinstance(c, str)],
                           int(stall) if isinstance(stall, int) else 3000,
                           sound=carrier if isinstance(carrier, str) else None)
            runs.append(current)
        elif current is not None:
            current.end = moment
            if ev.type == "recorder.stopped":
                current.stopped = True
        if current is not None:
            run_of[ev.id] = current
        if ev.type == "recorder.stopped":
            current = None
    restored = {ev.body.get("fault"): _time(ev.body.get("time")) or _time(ev.time)
                for ev in events if ev.type == "recording.restored"}
    faults: dict[str, list[Interval]] = {}
    sound_faults: dict[str, list[Interval]] = {}
    for ev in events:
        run = run_of.get(ev.id)
        run_end = run.end if run is not None else _time(ev.time)
        if ev.type == "recording.fault":
            report.faults += 1
            since = _time(ev.body.get("since")) or _time(ev.time)
            if ev.body.get("stream") == "audio":  # the sound stopped: the picture went on, so it covers no gap in it
                until = _time(ev.body.get("until")) or restored.get(ev.id) or run_end
                if since is not None and until is not None:
                    sound_faults.setdefault(str(ev.body.get("camera")), []).append((since, max(since, until)))
                continue
            until = _time(ev.body.get("until")) or restored.get(ev.id) or run_end
            if since is not None and until is not None:
                faults.setdefault(str(ev.body.get("camera")), []).append((since, max(since, until)))
        elif ev.type == "recording.source_ended":
            moment = _time(ev.body.get("time")) or _time(ev.time)
            if moment is not None and run_end is not None:
                faults.setdefault(str(ev.body.get("camera")), []).append((moment, max(moment, run_end)))
    for run in runs:
        tolerance = timedelta(milliseconds=tolerance_ms if tolerance_ms is not None else run.stall_ms + 1000)
        for camera in run.cameras:
            covered = segments.get(camera, []) + faults.get(camera, []) + faults.get(ALL, [])
            if run is runs[-1] and not run.stopped:
                covered += [(start, run.end) for start in (unfinished or {}).get(camera, []) if start < run.end]
            for a, b in _holes((run.start, run.end), covered, tolerance):
                report.problems.append(f"gap: camera {camera}: {(b - a).total_seconds():.1f} s from "
                                       f"{a:%Y-%m-%d %H:%M:%S} UTC with neither a segment nor a recorded fault")
            if camera == run.sound and sound is not None:
                # the microphone's sound: a segment with sound, a fault of the sound or of the camera, or its end
                heard = sound.get(camera, []) + sound_faults.get(camera, []) + faults.get(camera, []) + \
                    faults.get(ALL, [])
                if run is runs[-1] and not run.stopped:
                    heard += [(start, run.end) for start in (unfinished or {}).get(camera, []) if start < run.end]
                for a, b in _holes((run.start, run.end), heard, tolerance):
                    report.problems.append(f"gap: sound of camera {camera}: {(b - a).total_seconds():.1f} s from "
                                           f"{a:%Y-%m-%d %H:%M:%S} UTC with neither sound nor a recorded fault")


def verify_recording(folder: Path, public_key: Path | None = None, tolerance_ms: int | None = None,
                     probe: bool = True) -> RecordingReport:
    """Check a folder written by the recorder (``evalroom record``). Raises RecordingInputError."""
    if not folder.is_dir():
        raise RecordingInputError(f"{folder}: no such folder")
    if not (folder / LEDGER).is_dir():
        raise RecordingInputError(f"{folder}: no {LEDGER}/ folder (not written by evalroom record)")
    key_path = public_key or folder / KEYS / PUBLIC_KEY
    try:
        key = VerifyingKey.from_pem(key_path.read_bytes())
    except OSError as exc:
        raise RecordingInputError(f"{key_path}: cannot read the recorder key ({exc.strerror})") from exc
    except KeyFileError as exc:
        raise RecordingInputError(f"{key_path}: {exc}") from exc
    report = RecordingReport()
    if probe and shutil.which("ffprobe") is None:
        report.notes.append("ffprobe not found: frames counted with PyAV only")
    located, problems = read_feed_dir(folder / LEDGER)
    report.problems += [f"feed: {p.removeprefix('format: ')}" for p in problems]
    events = _check_chain(located, key, report.problems)
    seen: set[str] = set()
    segments: dict[str, list[Interval]] = {}
    sound: dict[str, list[Interval]] = {}  # the segments that hold sound, per camera
    frame = timedelta(seconds=1)
    for ev in events:
        if ev.type == "recorder.started":
            try:
                frame = timedelta(seconds=1 / max(0.5, float(ev.body.get("fps", "1"))))
            except (TypeError, ValueError):
                frame = timedelta(seconds=1)
        if ev.type == "recording.segment":
            span = _check_segment(folder, ev, report, seen, probe, frame)
            if span is not None:
                segments.setdefault(str(ev.body.get("camera")), []).append(span)
                audio = ev.body.get("audio")
                if isinstance(audio, dict) and isinstance(audio.get("samples"), int) and audio["samples"] > 0:
                    sound.setdefault(str(ev.body.get("camera")), []).append(span)
    unfinished: dict[str, list[datetime]] = {}
    for path in sorted((folder / SEGMENTS).glob("**/*")):
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        if path.name.endswith(SUFFIX + PART):
            # a crash is not damage: the closed segments stand; the open one is recovered, not lost
            report.notes.append(f"{name} is unfinished (the recorder is recording, or it crashed): recoverable: "
                                f"start the recorder again, or `evalroom record --recover {folder}`")
            parsed = parse_name(path)
            if parsed is not None:
                unfinished.setdefault(parsed[0], []).append(parsed[1])
        elif path.name.endswith(SUFFIX) and name not in seen:
            report.problems.append(f"segment: {name} is not chained in the feed")
    _check_gaps(events, segments, report, tolerance_ms, unfinished, sound)
    return report
