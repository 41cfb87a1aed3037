"""The .deb built from the bundle (installers/debian/build_deb.py), installed for real into a private dpkg root.

`dpkg --root DIR` with an initialised admin folder installs without touching the host's package database; the
installed `evalroom` then evaluates a case and drives the GUI offscreen through the walkthrough.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO_CASE = ROOT / "examples" / "procurement-goods-comprehensive.json"
MODES = {"console", "workstation", "supervisor", "venue", "demo"}

needs_dpkg = pytest.mark.skipif(shutil.which("dpkg-deb") is None or shutil.which("dpkg") is None,
                                reason="dpkg/dpkg-deb not installed (CI runs on Debian)")
pytestmark = [pytest.mark.slow, needs_dpkg]


@pytest.fixture(scope="module")
def deb(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deb")
    done = subprocess.run([sys.executable, str(ROOT / "installers" / "debian" / "build_deb.py"), str(bundle), "--out",
                           str(out), "--compression", "none"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip())


@pytest.fixture(scope="module")
def installed(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private root with the package installed by dpkg (the host's own database is never touched)."""
    root = tmp_path_factory.mktemp("root")
    admin = root / "var" / "lib" / "dpkg"
    for folder in ("updates", "info", "triggers"):
        (admin / folder).mkdir(parents=True)
    for name in ("status", "available"):
        (admin / name).touch()
    flags = ["--force-depends"]  # the private root has no packages: the dependencies are checked separately below
    if os.geteuid() != 0:
        flags.append("--force-not-root")
    done = subprocess.run(["dpkg", f"--root={root}", "--log=/dev/null", *flags, "--install", str(deb)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    status = subprocess.run(["dpkg-query", f"--admindir={admin}", "-W", "-f", "${Status} ${Version}", "evalroom"],
                            capture_output=True, text=True)
    assert status.stdout.startswith("install ok installed"), status.stdout + status.stderr
    return root


def control_field(deb: Path, field: str) -> str:
    return subprocess.run(["dpkg-deb", "--field", str(deb), field], check=True, capture_output=True,
                          text=True).stdout.strip()


def test_the_package_layout(deb: Path) -> None:
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], check=True, capture_output=True, text=True).stdout
    paths = {line.split()[5].removeprefix(".").rstrip("/") for line in listing.splitlines()}
    assert {"/opt/evalroom/evalroom", "/opt/evalroom/_internal/resources/fonts/wqy-microhei.ttf", "/usr/bin/evalroom",
            "/usr/share/icons/hicolor/scalable/apps/evalroom.svg",
            "/usr/share/icons/hicolor/256x256/apps/evalroom.png"} <= paths
    assert {p for p in paths if p.startswith("/usr/share/applications/") and p.endswith(".desktop")} == {
        f"/usr/share/applications/evalroom-{mode}.desktop" for mode in MODES}
    outside = {p for p in paths if not p.startswith(("/opt/evalroom", "/usr/bin/", "/usr/share/"))}
    assert outside == {"", "/opt", "/usr", "/usr/bin", "/usr/share"}
    assert control_field(deb, "Package") == "evalroom"
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert version and control_field(deb, "Version") == version.group(1)


def test_the_desktop_files_start_each_mode(installed: Path) -> None:
    apps = installed / "usr" / "share" / "applications"
    for mode in MODES:
        text = (apps / f"evalroom-{mode}.desktop").read_text(encoding="utf-8")
        fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
        assert fields["Type"] == "Application" and fields["Icon"] == "evalroom" and fields["Terminal"] == "false"
        assert fields["Exec"] == ("/usr/bin/evalroom demo" if mode == "demo" else f"/usr/bin/evalroom --mode {mode}")
        assert re.search(r"[\u4e00-\u9fff]", fields["Name[zh_CN]"])
        if shutil.which("desktop-file-validate"):
            checked = subprocess.run(["desktop-file-validate", str(apps / f"evalroom-{mode}.desktop")],
                                     capture_output=True, text=True)
            assert checked.returncode == 0, checked.stdout + checked.stderr


def test_depends_covers_the_system_libraries_qt_xcb_loads(deb: Path, installed: Path) -> None:
    """Every library the bundled xcb platform plugin and Qt GUI need from the system belongs to a package in Depends."""
    if shutil.which("ldd") is None or shutil.which("dpkg-query") is None:
        pytest.skip("ldd / dpkg-query missing")
    depends = {alt.split()[0] for dep in control_field(deb, "Depends").split(",") for alt in dep.split("|")}
    internal = installed / "opt" / "evalroom" / "_internal"
    qt = internal / "PySide6" / "Qt"
    env = {**os.environ, "LD_LIBRARY_PATH": f"{internal}:{qt / 'lib'}"}
    owners: dict[str, str] = {}
    for binary in [qt / "plugins" / "platforms" / "libqxcb.so",
                   *sorted((qt / "plugins" / "xcbglintegrations").glob("*.so")), qt / "lib" / "libQt6XcbQpa.so.6",
                   qt / "lib" / "libQt6Gui.so.6"]:
        needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]",
                            subprocess.run(["readelf", "-d", str(binary)], capture_output=True, text=True).stdout)
        ldd = subprocess.run(["ldd", str(binary)], env=env, capture_output=True, text=True).stdout
        resolved = dict(re.findall(r"^\s*(\S+) => (\S+)", ldd, re.M))
        for name in needed:
            path = resolved.get(name)
            assert path and path != "not", f"{binary.name} needs {name}, found neither in the bundle nor on this system"
            if path.startswith(str(installed)):
                continue
            found = subprocess.run(["dpkg-query", "-S", os.path.realpath(path)], capture_output=True, text=True).stdout
            if not found:  # usrmerge: /lib vs /usr/lib
                found = subprocess.run(["dpkg-query", "-S", path], capture_output=True, text=True).stdout
            owners[name] = found.split(":")[0].strip()
    missing = {lib: pkg for lib, pkg in owners.items() if pkg not in depends}
    assert missing == {}, f"add to DEPENDS in installers/debian/build_deb.py: {missing}"


def test_the_installed_evalroom_evaluates_and_runs_the_walkthrough(installed: Path, run_frozen, tmp_path: Path) -> None:  # noqa: ANN001
    exe = installed / "usr" / "bin" / "evalroom"
    assert exe.is_symlink() and not os.readlink(exe).startswith("/")  # relative: works under any --root / --instdir
    example = installed / "opt" / "evalroom" / "_internal" / "examples" / DEMO_CASE.name
    evaluated = run_frozen(exe, "evaluate", str(example), home=tmp_path / "home")
    assert evaluated.returncode == 0, evaluated.stderr
    assert json.loads(evaluated.stdout)["status"] == "ranked"
    out = tmp_path / "walkthrough"
    walked = run_frozen(exe, "demo", "--walkthrough", str(out), home=tmp_path / "home", timeout=600)
    assert walked.returncode == 0, walked.stdout + walked.stderr
    pictures = sorted(p.name for p in out.glob("*.png"))
    assert pictures[0] == "01-import.png" and "10-supervisor.png" in pictures
    assert all((out / p).stat().st_size > 10_000 for p in pictures)
    again = run_frozen(exe, "evaluate", str(out / "case.json"), home=tmp_path / "home")
    assert json.loads(again.stdout) == json.loads((out / "result.json").read_text(encoding="utf-8"))
