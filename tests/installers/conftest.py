"""The PyInstaller bundle, built once per test session for the installer tests (all marked slow).

`dist/evalroom` (from `make dist`) is reused only when it is newer than every source file that goes into it;
otherwise the bundle is built into a temporary folder (about 1.5–2.5 minutes on 2 cores), once per run even under
pytest-xdist (the bundle and .deb tests share the `installers` xdist group, so one worker runs them all).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from builtonce import built_once

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installers" / "pyinstaller" / "evalroom.spec"
SOURCES = ("app", "ui", "resources", "examples", "installers/pyinstaller", "pyproject.toml")
DEMO_CASE = ROOT / "examples" / "procurement-goods-comprehensive.json"
BUILD_TIMEOUT = 1200  # seconds for PyInstaller (a build took 6.5 min at a load average of 9 on 2 cores)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the group marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that needs the bundle runs in one xdist worker (it is built once, and the .deb from it), and may
    take as long as a build does on a loaded machine (PyInstaller's own limit below)."""
    for item in items:
        if "bundle" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("installers"))
            item.add_marker(pytest.mark.timeout(BUILD_TIMEOUT + 300))


def newest_source() -> float:
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else [
            p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        newest = max([newest, *(p.stat().st_mtime for p in files)])
    return newest


def build_bundle(dist: Path, work: Path) -> Path:
    done = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath",
                           str(dist), "--workpath", str(work), str(SPEC)], cwd=ROOT, capture_output=True, text=True,
                           timeout=BUILD_TIMEOUT)
    assert done.returncode == 0, f"PyInstaller failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    return dist / "evalroom"


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one-folder bundle (the folder holding the `evalroom` executable)."""
    existing = ROOT / "dist" / "evalroom"
    if (existing / "evalroom").is_file() and (existing / "evalroom").stat().st_mtime > newest_source():
        return existing
    out, _ = built_once(tmp_path_factory, "bundle", lambda out: str(build_bundle(out / "dist", out / "build")))
    return out / "dist" / "evalroom"


def frozen_env(home: Path) -> dict[str, str]:
    """Offscreen Qt, and per-user folders (settings, data, logs) inside ``home``, never the tester's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "EVALROOM_", "XDG_"))}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", LC_ALL="C.UTF-8")
    return env


def _run(exe: Path, *args: str, home: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.run([str(exe), *args], cwd=home, env=frozen_env(home), capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="session")
def run_frozen():  # noqa: ANN201
    """``run_frozen(exe, *args, home=DIR)``: run a frozen `evalroom` offscreen with its per-user folders in DIR."""
    return _run
