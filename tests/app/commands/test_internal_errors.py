"""Issue 13, defects 9: an unexpected error inside a command is one line on stderr, never a traceback; the
traceback goes to the command's rotating log file when it has one. And the input that showed it: a JSON
number longer than Python converts (4 300 digits) is a clear input error (exit 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
#: a command whose service raises an error nobody anticipated, with a message of several lines
FORCE = """
import sys
import {module} as target

def broken(*args, **kwargs):
    raise RuntimeError("nobody anticipated this\\nsecond line of the message")

target.{function} = broken
from app.cli import run
sys.argv = ["evalroom", *sys.argv[1:]]
run()
"""


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVALROOM_", "XDG_"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_STATE_HOME=str(home / "state"), PYTHONDONTWRITEBYTECODE="1")
    return env


def _forced(tmp_path: Path, module: str, function: str, *args: str) -> subprocess.CompletedProcess[str]:
    code = FORCE.format(module=module, function=function)
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=_env(tmp_path / "home"),
                          capture_output=True, text=True, timeout=120)


def _one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_an_unexpected_error_in_a_one_shot_command_is_one_line(tmp_path: Path) -> None:
    case = ROOT / "examples" / "procurement-goods-comprehensive.json"
    done = _forced(tmp_path, "app.services.evaluation", "evaluate_file", "evaluate", str(case))
    line = _one_line(done)
    assert line.startswith("evalroom: internal error: RuntimeError: nobody anticipated this")
    assert not (tmp_path / "home" / "data").exists()  # `evaluate` writes nothing, not even a log


def test_an_unexpected_error_in_a_service_command_goes_to_its_log_file(tmp_path: Path) -> None:
    (tmp_path / "session.sqlite").write_bytes(b"")  # the arguments are valid: the error comes from inside
    done = _forced(tmp_path, "app.services.sync", "sync_status", "sync", "status", str(tmp_path))
    assert "internal error: RuntimeError" in _one_line(done)
    log = (tmp_path / "home" / "data" / "EvalRoom" / "logs" / "evalroom-sync.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "nobody anticipated this" in log and "def broken" not in done.stderr


def test_a_number_of_more_than_4300_digits_is_an_input_error(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text('{"format": "evalroom-case/1", "budget": ' + "9" * 5000 + "}", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "app", "evaluate", str(case)], cwd=ROOT, env=_env(tmp_path / "home"),
                          capture_output=True, text=True, timeout=60)
    assert _one_line(done) == f"{case}: a JSON number has 5000 digits (at most 4300)"
    assert done.stdout == ""
