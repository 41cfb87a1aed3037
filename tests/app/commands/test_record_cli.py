"""`evalroom record` and `evalroom verify-recording` (spec/cli.md): outputs and exit codes 0/1/2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parents[3]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=dict(os.environ), capture_output=True,
                          text=True, timeout=120)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "rec"
    run = _cli("record", "--source", "synthetic", "--source", "门口=synthetic", "--seconds", "2.2", "--out", str(out),
               "--segment", "1", "--size", "160x120", "--fps", "10", "--room", "第一评标室")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("") and "segments" in run.stdout and run.stderr == ""
    return out


def test_record_writes_segments_feed_and_key(recorded: Path) -> None:
    assert sorted(p.name for p in (recorded / "segments").iterdir()) == ["cam1", "门口"]
    assert len(list((recorded / "ledger").glob("*.jsonl"))) == 1
    assert (recorded / "keys" / "recorder.pub.pem").is_file()


def test_verify_recording_accepts_an_intact_recording(recorded: Path) -> None:
    run = _cli("verify-recording", str(recorded))
    assert (run.returncode, run.stdout) == (0, "")
    assert "valid" in run.stderr and "Traceback" not in run.stderr


def test_verify_recording_lists_problems_one_a_line(recorded: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    out = tmp_path / "rec"
    shutil.copytree(recorded, out)
    segment = sorted((out / "segments" / "门口").glob("*.ts"))[0]
    segment.write_bytes(segment.read_bytes()[:-188])  # one TS packet cut off
    assert main(["verify-recording", str(out), "--no-ffprobe"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("segment: ") and segment.name in lines[0]


@pytest.mark.parametrize("args, message", [
    (["verify-recording", "/nonexistent/rec"], "no such folder"),
    (["record", "--source", "/nonexistent/room.mp4", "--seconds", "1", "--out", "{tmp}"], "no such file"),
    (["record", "--source", "synthetic", "--seconds", "1", "--out", "{tmp}", "--size", "big"], "--size"),
    (["record", "--source", "synthetic", "--seconds", "0", "--out", "{tmp}"], "--seconds"),
    (["record", "--source", "a/b=synthetic", "--seconds", "1", "--out", "{tmp}"], "camera name"),
    (["record", "--source", "synthetic", "--out", "{tmp}", "--exit-with-parent", "0"], "--exit-with-parent"),
    (["record", "--recover", "{tmp}"], "no such folder"),
    (["record", "--recover", "{tmp}", "--source", "synthetic"], "no --source"),
    # archive folder
    (["record", "--source", "CON=synthetic", "--seconds", "1", "--out", "{tmp}"], "Windows device name"),
    (["record", "--source", "cam.=synthetic", "--seconds", "1", "--out", "{tmp}"], "ends with a dot"),
    (["record", "--source", "..=synthetic", "--seconds", "1", "--out", "{tmp}"], "camera name"),
    (["record", "--source", "Cam=synthetic", "--source", "cam=synthetic", "--seconds", "1", "--out", "{tmp}"],
     "letter case aside"),
    (["record", "--seconds", "1", "--out", "{tmp}"], "--source"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                          message: str) -> None:
    assert main([a.replace("{tmp}", str(tmp_path / "out")) for a in args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_verify_recording_without_a_key_is_bad_input(recorded: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    out = tmp_path / "rec"
    shutil.copytree(recorded, out)
    (out / "keys" / "recorder.pub.pem").unlink()
    assert main(["verify-recording", str(out)]) == 2
    assert "recorder key" in capsys.readouterr().err


def test_a_second_recorder_in_the_same_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.recording.process import exclusive

    with exclusive(tmp_path / "rec"):
        assert main(["record", "--source", "synthetic", "--seconds", "1", "--out", str(tmp_path / "rec")]) == 2
    assert "another recorder" in capsys.readouterr().err
