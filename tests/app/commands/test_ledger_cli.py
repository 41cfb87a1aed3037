"""`evalroom simulate`, `ledger verify`, `ledger export`, `rebuild` (spec/cli.md): outputs and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EVALROOM_KEY_PASSPHRASE": "test-pass"}
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_simulate_prints_what_evaluate_prints(tmp_path: Path, example: Path) -> None:
    simulated = _cli("simulate", "--case", str(example), "--out", str(tmp_path / "out"))
    evaluated = _cli("evaluate", str(example))
    assert simulated.returncode == 0, simulated.stderr
    assert simulated.stdout == evaluated.stdout  # byte-identical
    assert (tmp_path / "out" / "result.json").read_text(encoding="utf-8") == evaluated.stdout
    assert simulated.stderr == ""  # a real passphrase was given: no demo note
    verified = _cli("ledger", "verify", str(tmp_path / "out"))
    assert (verified.returncode, verified.stdout, verified.stderr) == (0, "", "")


def test_verify_lists_every_problem_one_a_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    monkeypatch.setenv("EVALROOM_KEY_PASSPHRASE", "test-pass")
    assert main(["simulate", "--case", str(EXAMPLES[-1]), "--out", str(out)]) == 0
    capsys.readouterr()
    feed = next((out / "ledger").glob("E2-*.jsonl"))
    rows = feed.read_text(encoding="utf-8").splitlines()
    first = next(i for i, row in enumerate(rows) if '"type":"score.set"' in row)  # after the letter and declaration
    rows[first] = rows[first].replace('"score":"', '"score":"1', 1)
    del rows[first + 2]
    feed.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["ledger", "verify", str(out / "ledger")]) == 1
    printed = capsys.readouterr()
    lines = printed.out.splitlines()
    assert lines[0].startswith("hash: event ") and f"(E2 seq {first + 1}, ledger/" in lines[0]
    assert f"chain: E2 seq {first + 3} is missing (events dropped)" in lines
    assert all(line.split(":")[0] in {"hash", "chain", "checkpoint", "signature", "fork", "rule", "format"}
               for line in lines)
    assert printed.err == ""


def test_verify_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger", "verify", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file or folder" in err
    assert main(["ledger"]) == 2
    assert main(["ledger", "verify"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_export_and_rebuild(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    monkeypatch.setenv("EVALROOM_KEY_PASSPHRASE", "test-pass")
    assert main(["simulate", "--case", str(EXAMPLES[-1]), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["ledger", "export", str(out / "session.sqlite"), str(tmp_path / "again")]) == 0
    written = capsys.readouterr().out.splitlines()
    assert sorted(Path(p).name for p in written) == sorted(p.name for p in (out / "ledger").glob("*.jsonl"))
    for path in written:
        assert Path(path).read_bytes() == (out / "ledger" / Path(path).name).read_bytes()
    assert main(["rebuild", str(out / "session.sqlite")]) == 0
    assert "stage archived, 0 rejected" in capsys.readouterr().out
    assert main(["rebuild", str(tmp_path / "nope.sqlite")]) == 2
    assert "no such session file" in capsys.readouterr().err
    assert main(["ledger", "verify", str(out / "session.sqlite")]) == 0


def test_simulate_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--case", str(EXAMPLES[0])]) == 2
    assert "--out" in capsys.readouterr().err
    assert main(["simulate", "--case", str(tmp_path / "none.json"), "--out", str(tmp_path / "o")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
