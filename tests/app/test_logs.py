"""Log files: one rotating file per mode under the data folder; crash reports with redacted settings."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app import logs, settings


@pytest.fixture(autouse=True)
def _clean():
    yield
    logs.teardown()


def test_one_file_per_mode_under_the_data_folder(tmp_path: Path) -> None:
    path = logs.setup("console", tmp_path)
    assert path == tmp_path / "logs" / "evalroom-console.log"
    logging.getLogger("app.services.room").info("opened 会话 A")
    logging.getLogger("some.library").info("not ours at INFO")
    assert logs.setup("console", tmp_path) == path  # the same mode again: no second handler
    logging.getLogger("ui.console").warning("once")
    text = path.read_text(encoding="utf-8")
    assert "EvalRoom" in text and "mode console" in text and "opened 会话 A" in text
    assert "not ours" not in text and text.count("once") == 1
    other = logs.setup("workstation", tmp_path)
    logging.getLogger("app").info("to the workstation file")
    assert other == tmp_path / "logs" / "evalroom-workstation.log"
    assert "to the workstation file" in other.read_text(encoding="utf-8")
    assert "to the workstation file" not in path.read_text(encoding="utf-8")


def test_files_rotate_and_old_ones_are_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    path = logs.setup("hub", tmp_path)
    for index in range(400):
        logging.getLogger("app").info("line %04d %s", index, "x" * 40)
    files = sorted(p.name for p in path.parent.iterdir())
    assert files == ["evalroom-hub.log"] + [f"evalroom-hub.log.{n}" for n in range(1, logs.BACKUPS + 1)]
    assert all(p.stat().st_size <= 2000 for p in path.parent.iterdir())
    assert "line 0399" in path.read_text(encoding="utf-8")


def test_an_unwritable_folder_only_costs_the_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert logs.setup("cli", blocker) is None
    assert "no log file" in capsys.readouterr().err


def test_a_crash_report_names_everything_and_redacts(tmp_path: Path) -> None:
    chosen = settings.with_values(settings.Settings(), cameras=["door=rtsp://cam:pw123@10.1.1.1/s"])
    try:
        {}["missing"]
    except KeyError as exc:
        text = logs.crash_report(KeyError, exc, exc.__traceback__, mode="console", settings=chosen, thread="db")
    path = logs.write_crash_report(tmp_path, text, "console")
    assert path.parent == tmp_path / "crashes" and path.name.startswith("crash-console-")
    saved = path.read_text(encoding="utf-8")
    assert "KeyError: 'missing'" in saved and "thread: db" in saved and "version: EvalRoom" in saved
    assert "rtsp://cam:***@10.1.1.1/s" in saved and "pw123" not in saved


def test_the_services_log_to_the_data_folder_and_evaluate_writes_nothing(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "EVALROOM_DATA_FOLDER": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-m", "app", "evaluate", "examples/procurement-goods-comprehensive.json"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "data").exists()
    done = subprocess.run([sys.executable, "-m", "app", "sync", "push", str(tmp_path / "missing"), "--center",
                           "http://127.0.0.1:9"], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert not (tmp_path / "data").exists()  # a refused argument creates no data or log folder (defect 18)
    done = subprocess.run([sys.executable, "-m", "app", "center", "verify", "--data", str(tmp_path / "center")],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "data" / "logs" / "evalroom-center.log").read_text(encoding="utf-8")
    assert "mode center" in text
    assert "center verify" in text
