"""Sound (issue 17 §2): the microphone recorded into the same segments as the picture, a fault when it stops,
the camera's own AAC track stream-copied, and verify-recording checking the sound track."""

from __future__ import annotations

import shutil
import subprocess
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from app.cli import main
from app.crypto.keys import SigningKey
from app.ledger.events import new_event, parse_stamp
from app.recording.audio import CHUNK, RATE, Chunk, MicrophoneConfig, MicrophoneError, Tone, open_sound
from app.recording.feed import read_feed
from app.recording.recorder import CameraConfig, Recorder
from app.recording.sources import SyntheticCamera
from app.recording.verify import verify_recording
from app.recording.writer import decode_sound
from app.settings.cameras import parse_microphone, resolve_microphone
from recordkit import config, events

FFMPEG = shutil.which("ffmpeg")


def _streams(path: Path) -> dict[str, tuple[str, float]]:
    with av.open(str(path)) as container:
        return {s.type: (s.codec_context.name, float((s.start_time or 0) * s.time_base)) for s in container.streams}


def test_the_test_tone_is_recorded_into_the_picture_s_segments_and_verifies(tmp_path: Path) -> None:
    out = tmp_path / "rec"
    recorder = Recorder(config(out, microphone=MicrophoneConfig("synthetic")))
    recorder.run(2.3)
    segments = events(recorder, "recording.segment")
    assert len(segments) >= 2 and all(ev.body["audio"]["codec"] == "aac" for ev in segments)
    for ev in segments:
        streams = _streams(out / ev.body["file"])
        assert streams["video"][0] == "mpeg4" and streams["audio"][0] == "aac"
        assert abs(streams["video"][1] - streams["audio"][1]) < 0.15  # one clock: the segment's start
        # no sound lost at the boundaries: each segment holds the sound of its own span (±2 AAC frames, ±1 frame)
        held = ev.body["audio"]["samples"] / RATE
        length = (parse_stamp(ev.body["end"]) - parse_stamp(ev.body["start"])).total_seconds()
        assert abs(held - length) < 0.2, (held, length)
    assert not events(recorder, "recording.fault")
    report = verify_recording(out)
    assert report.ok, report.problems
    assert report.sound_seconds > 1.8
    started = events(recorder, "recorder.started")[0].body
    assert started["microphone"] == {"source": "synthetic", "camera": "cam1"}
    assert recorder.health()["cam1"]["sound"]["state"] == "recording"


@pytest.mark.skipif(FFMPEG is None, reason="needs the ffmpeg command to make the stand-in microphone")
def test_a_microphone_stand_in_file_is_recorded_and_its_end_is_a_fault(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    wav = tmp_path / "mic.wav"
    subprocess.run([str(FFMPEG), "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1:sample_rate=44100",
                    str(wav)], check=True)
    out = tmp_path / "rec"
    assert main(["record", "--source", "synthetic", "--seconds", "2.2", "--out", str(out), "--segment", "1",
                 "--size", "160x120", "--fps", "10", "--stall", "0.6", "--microphone", str(wav)]) == 0
    feed = read_feed(next((out / "ledger").glob("*.jsonl")))
    segments = [ev for ev in feed if ev.type == "recording.segment"]
    sound = sum(ev.body["audio"]["samples"] for ev in segments) / RATE
    assert 0.9 <= sound <= 1.15  # the whole second of the file, resampled to 48 kHz
    faults = [ev for ev in feed if ev.type == "recording.fault"]
    assert [(f.body["kind"], f.body["stream"]) for f in faults] == [("sound_lost", "audio")]
    assert "mic.wav" in faults[0].body["message"]  # names the microphone
    capsys.readouterr()
    assert main(["verify-recording", str(out)]) == 0  # a sound fault is no gap in the picture
    assert "s of sound" in capsys.readouterr().err


class Stutter:
    """A microphone that goes silent between ``start`` and ``end`` seconds after it was first opened."""

    def __init__(self, start: float, end: float) -> None:
        self.start, self.end = start, end
        self.t0: float | None = None

    def __call__(self, microphone: MicrophoneConfig, camera: CameraConfig) -> Any:
        if self.t0 is None:
            self.t0 = time.monotonic()
        outer = self

        class Source(Tone):
            def read(self) -> Chunk:
                assert outer.t0 is not None
                while outer.start <= time.monotonic() - outer.t0 < outer.end:
                    time.sleep(0.02)  # a microphone that delivers nothing (a read that blocks)
                return super().read()

        return Source()


def test_sound_that_stops_is_a_recorded_fault_and_its_return_restores_it(tmp_path: Path) -> None:
    out = tmp_path / "rec"
    recorder = Recorder(config(out, microphone=MicrophoneConfig("synthetic")), sound_opener=Stutter(0.6, 1.6))
    recorder.run(2.8)
    faults = events(recorder, "recording.fault")
    kinds = [(f.body["kind"], f.body["camera"], f.body["stream"]) for f in faults]
    assert kinds == [("sound_stalled", "cam1", "audio")]
    restored = events(recorder, "recording.restored")
    assert [(r.body["fault"], r.body["stream"]) for r in restored] == [(faults[0].id, "audio")]
    # the picture went on all along: every segment has its frames; the one the silence spans has less sound
    segments = events(recorder, "recording.segment")
    assert all(ev.body["frames"] >= 8 for ev in segments[:-1])
    assert min(ev.body["audio"]["samples"] for ev in segments) < 0.7 * RATE
    assert verify_recording(out).ok


def test_a_microphone_that_cannot_be_opened_names_itself_and_the_picture_records(tmp_path: Path) -> None:
    with pytest.raises(MicrophoneError) as raised:
        open_sound(str(tmp_path / "missing.wav"))
    assert "missing.wav" in str(raised.value) and "missing.wav" in raised.value.message("zh")
    assert raised.value.diagnostics("zh")
    out = tmp_path / "rec"
    recorder = Recorder(config(out, microphone=MicrophoneConfig("alsa:evalroom-no-such-device")))
    recorder.run(1.5)
    faults = events(recorder, "recording.fault")
    assert [f.body["kind"] for f in faults] == ["sound_lost"]
    assert "alsa:evalroom-no-such-device" in faults[0].body["message"]
    assert sum(ev.body["frames"] for ev in events(recorder, "recording.segment")) >= 12
    assert recorder.health()["cam1"]["sound"]["state"] == "fault"


def _resign(out: Path, edit: Any) -> None:
    """The feed re-signed by someone holding a key, each event's body passed through ``edit``."""
    feed = next((out / "ledger").glob("*.jsonl"))
    old = read_feed(feed)
    feed.unlink()
    key = SigningKey.generate()
    (out / "keys" / "recorder.pub.pem").write_bytes(key.public.to_pem())
    prev, lines = None, []
    for seq, ev in enumerate(old, 1):
        new = new_event(key, ev.session, seq, prev, ev.time, ev.type, edit(ev))
        prev = new.id
        lines.append(new.to_line())
    (out / "ledger" / f"{key.key_id}.jsonl").write_text("\n".join(lines) + "\n")


def test_verify_fails_on_a_segment_whose_sound_is_missing_or_undecodable(tmp_path: Path) -> None:
    from app.recording.writer import sha256_file

    out = tmp_path / "rec"
    Recorder(config(out, microphone=MicrophoneConfig("synthetic"))).run(1.3)
    feed = read_feed(next((out / "ledger").glob("*.jsonl")))
    first = next(ev for ev in feed if ev.type == "recording.segment")
    path = out / first.body["file"]
    # the picture alone remuxed in its place (the sound stripped), chained with its new hash
    silent = tmp_path / "silent.ts"
    with av.open(str(path)) as src, av.open(str(silent), "w", format="mpegts") as dst:
        video = dst.add_stream_from_template(src.streams.video[0])
        for packet in src.demux(src.streams.video[0]):
            if packet.dts is not None:
                packet.stream = video
                dst.mux(packet)
    shutil.copyfile(silent, path)

    def edit(ev: Any) -> dict[str, Any]:
        body = dict(ev.body)
        if ev.id == first.id:
            body.update(bytes=path.stat().st_size, sha256=sha256_file(path))
        return body

    _resign(out, edit)
    problems = verify_recording(out).problems
    assert len(problems) == 1 and "has no sound track" in problems[0] and first.body["file"] in problems[0]
    # the same segment claiming more sound than decodes
    _resign(out, lambda ev: {**ev.body, "audio": {"codec": "aac", "rate": RATE, "samples": 10 * RATE}}
            if ev.type == "recording.segment" and ev.body["file"] != first.body["file"] else dict(ev.body))
    problems = verify_recording(out).problems
    assert problems and all("samples of sound decode" in p or "has no sound track" in p for p in problems)


def _h264_aac_file(path: Path, seconds: float, fps: int = 25) -> Path:
    """An IP camera's stream: H.264 picture and AAC sound (libx264 is used only to make the fixture)."""
    camera = SyntheticCamera(160, 120)
    tone = Tone(sleep=lambda s: None)
    with av.open(str(path), "w", format="mpegts") as out:
        video = out.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = 160, 120, "yuv420p"
        video.options = {"g": str(fps), "preset": "ultrafast", "bf": "0"}
        audio = out.add_stream("aac", rate=RATE, layout="mono")
        sent = 0
        for index in range(int(seconds * fps)):
            frame = av.VideoFrame.from_ndarray(camera.read(), format="bgr24")
            frame.pts = index
            out.mux(video.encode(frame))
            while sent < (index + 1) * RATE / fps:
                samples = tone.read().samples
                sound = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="fltp", layout="mono")
                sound.sample_rate, sound.pts = RATE, sent
                out.mux(audio.encode(sound))
                sent += len(samples)
        out.mux(video.encode(None))
        out.mux(audio.encode(None))
    return path


def test_an_h264_camera_with_aac_sound_is_stream_copied_picture_and_sound(tmp_path: Path) -> None:
    source = _h264_aac_file(tmp_path / "ipcam.ts", 2.0)
    out = tmp_path / "rec"
    cfg = config(out, microphone=MicrophoneConfig("camera"), stall_s=1.0)
    cfg.cameras = [CameraConfig("ipcam", str(source), copy=True)]
    recorder = Recorder(cfg)
    recorder.run(3.5)
    segments = events(recorder, "recording.segment")
    assert segments and {ev.body["codec"] for ev in segments} == {"h264"}
    assert all(ev.body["audio"]["codec"] == "aac" and ev.body["audio"]["copy"] for ev in segments)
    for ev in segments:
        assert set(_streams(out / ev.body["file"])) == {"video", "audio"}
        assert (decode_sound(out / ev.body["file"]) or 0) > 0
    held = sum(ev.body["audio"]["samples"] for ev in segments) / RATE
    assert 1.7 <= held <= 2.2  # the file's two seconds of sound, copied, none lost at the boundaries
    assert verify_recording(out).ok, verify_recording(out).problems


def test_microphone_settings_parse() -> None:
    cameras = [CameraConfig("cam1", "synthetic")]
    assert resolve_microphone("auto", cameras) == MicrophoneConfig("synthetic")
    assert resolve_microphone("auto", [CameraConfig("door", "rtsp://cam/1")]) is None
    assert resolve_microphone("none", cameras) is None
    assert parse_microphone("door=pulse:default") == MicrophoneConfig("pulse:default", "door")
    assert parse_microphone("alsa:hw:1,0") == MicrophoneConfig("alsa:hw:1,0")
    with pytest.raises(ValueError, match="names no device"):
        parse_microphone("alsa:")


def test_the_tone_keeps_time() -> None:
    clock = [0.0]
    tone = Tone(clock=lambda: clock[0], sleep=lambda s: clock.__setitem__(0, clock[0] + s))
    chunks = [tone.read() for _ in range(RATE // CHUNK)]  # 1 s
    assert clock[0] == pytest.approx((RATE // CHUNK - 1) * CHUNK / RATE)  # paced: each chunk when it is due
    assert chunks[1].moment - chunks[0].moment == timedelta(seconds=CHUNK / RATE)
    loud = np.concatenate([c.samples for c in chunks])
    assert 0.2 < float(np.abs(loud[: RATE // 5]).max()) <= 0.25 and float(np.abs(loud[RATE // 4 : RATE]).max()) == 0.0


def test_the_console_s_status_shows_the_sound_and_raises_an_alarm_when_it_stops(tmp_path: Path) -> None:
    import json

    from app.services.recording import RecordingSettings, RoomRecorder

    out = tmp_path / "rec"
    (out / "preview").mkdir(parents=True)
    room = RoomRecorder(out, RecordingSettings(), room="第一评标室", session="s1")

    def status(sound: dict[str, Any]) -> Any:
        cameras = {"cam1": {"state": "recording", "message": "", "sound": sound}}
        (out / "preview" / "status.json").write_text(json.dumps({"time": time.time(), "running": True,
                                                                 "cameras": cameras}), encoding="utf-8")
        return room.status()

    ok = status({"state": "recording", "message": "", "microphone": "测试音 / test tone"})
    assert ok.cameras[0].sound == "recording" and not ok.alarms
    message = "麦克风 alsa:default 无声音 / no sound from the microphone alsa:default: no sound for 3 s"
    down = status({"state": "fault", "message": message})
    assert down.cameras[0].sound == "fault" and down.alarms == (message,)
    assert any(raised and text == message for _when, raised, text in room.alarm_log)


# -- issue 17 §1: stream copy per camera from the settings, or detected from the stream ------------------------------

def test_a_camera_is_copied_per_camera_or_when_its_stream_is_h264(tmp_path: Path) -> None:
    from app.recording.process import RecorderProcess
    from app.recording.sources import detect_copy
    from app.settings.cameras import camera

    door = camera("door", "rtsp://cam/1 copy")
    assert (door.source, door.copy, door.auto_copy) == ("rtsp://cam/1", True, False)
    assert str(door) == "door=rtsp://cam/1 copy"
    hall = camera("hall", "rtsp://cam/2 auto")
    assert (hall.copy, hall.auto_copy, str(hall)) == (False, True, "hall=rtsp://cam/2 auto")
    assert camera("main", "synthetic copy") == CameraConfig("main", "synthetic")  # raw frames are always encoded
    assert camera("x", "rtsp://cam/3") == CameraConfig("x", "rtsp://cam/3")
    args = RecorderProcess(tmp_path, [door, hall, CameraConfig("main", "synthetic")]).args
    assert "--copy" not in args  # per camera, not every URL of the room
    assert [args[i + 1] for i, a in enumerate(args) if a == "--source"] == [str(door), str(hall), "main=synthetic"]
    h264 = _h264_aac_file(tmp_path / "ipcam.ts", 0.5)
    assert detect_copy(camera("ipcam", f"{h264} auto")).copy
    mjpeg = tmp_path / "webcam.avi"
    with av.open(str(mjpeg), "w") as out:
        stream = out.add_stream("mjpeg", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuvj420p"
        out.mux(stream.encode(av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="bgr24")))
        out.mux(stream.encode(None))
    assert not detect_copy(camera("webcam", f"{mjpeg} auto")).copy
    gone = detect_copy(camera("gone", "http://127.0.0.1:9/none.ts auto"), timeout_s=1.0)
    assert not gone.copy and not gone.auto_copy  # re-encoded: OpenCV reconnects it when it comes


def test_evalroom_record_copies_the_camera_its_settings_say(tmp_path: Path) -> None:
    source = _h264_aac_file(tmp_path / "ipcam.ts", 1.5)
    out = tmp_path / "rec"
    assert main(["record", "--source", f"ipcam={source} auto", "--source", "main=synthetic", "--seconds", "2.5",
                 "--out", str(out), "--segment", "1", "--size", "160x120", "--fps", "10",
                 "--microphone", "ipcam=camera"]) == 0
    feed = read_feed(next((out / "ledger").glob("*.jsonl")))
    codecs = {(ev.body["camera"], ev.body["codec"]) for ev in feed if ev.type == "recording.segment"}
    assert codecs == {("ipcam", "h264"), ("main", "mpeg4")}
    started = next(ev for ev in feed if ev.type == "recorder.started").body
    assert {c["name"]: c["copy"] for c in started["cameras"]} == {"ipcam": True, "main": False}
    ipcam = [ev for ev in feed if ev.type == "recording.segment" and ev.body["camera"] == "ipcam"]
    assert all(ev.body["audio"]["copy"] for ev in ipcam)  # its own AAC track, copied with the picture
    assert verify_recording(out).ok


def test_a_segment_chained_without_its_sound_is_a_gap_in_the_sound(tmp_path: Path) -> None:
    out = tmp_path / "rec"
    Recorder(config(out, microphone=MicrophoneConfig("synthetic"), segment_s=0.5)).run(2.5)
    assert verify_recording(out, tolerance_ms=300).ok
    feed = read_feed(next((out / "ledger").glob("*.jsonl")))
    middle = [ev for ev in feed if ev.type == "recording.segment"][2]
    _resign(out, lambda ev: {k: v for k, v in ev.body.items() if k != "audio"} if ev.id == middle.id else dict(ev.body))
    problems = verify_recording(out, tolerance_ms=300).problems
    assert len(problems) == 1 and problems[0].startswith("gap: sound of camera cam1"), problems
