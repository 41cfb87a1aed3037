"""The PyInstaller bundle: only the Qt modules ui/ imports, and the frozen `evalroom` is the same CLI as
`python -m app`."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installers" / "pyinstaller" / "evalroom.spec"
DEMO_CASE = ROOT / "examples" / "procurement-goods-comprehensive.json"


def spec_constant(name: str) -> object:
    """A top-level literal assignment of the PyInstaller spec (a Python file), e.g. QT_MODULES."""
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{SPEC.name} has no {name} = ...")


def ui_qt_modules() -> dict[str, set[str]]:
    """Every PySide6.X module imported anywhere in ui/ -> the files importing it."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] if node.module != "PySide6" else [f"PySide6.{a.name}" for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "PySide6" and len(parts) > 1:
                    found.setdefault(parts[1], set()).add(str(path.relative_to(ROOT)))
    return found


def bundled_qt_modules(bundle: Path) -> set[str]:
    return {p.name.split(".")[0] for p in (bundle / "_internal" / "PySide6").glob("Qt*") if p.suffix in (".so", ".pyd")}


def test_every_qt_module_ui_imports_is_in_the_spec() -> None:
    """A new `from PySide6.QtX import ...` in ui/ must be added to QT_MODULES, or the bundle would lack it."""
    imported = ui_qt_modules()
    assert {"QtCore", "QtGui", "QtWidgets"} <= set(imported)  # the scan itself works
    missing = {module: sorted(files) for module, files in imported.items() if module not in spec_constant("QT_MODULES")}
    assert missing == {}, f"add these to QT_MODULES in {SPEC.relative_to(ROOT)}: {missing}"


def test_the_spec_lists_no_qt_module_ui_does_not_import() -> None:
    unused = set(spec_constant("QT_MODULES")) - set(ui_qt_modules())  # type: ignore[arg-type]
    assert unused == set(), f"QT_MODULES bundles Qt modules nothing in ui/ imports: {sorted(unused)}"


@pytest.mark.slow
def test_the_bundle_holds_exactly_the_qt_modules_ui_imports(bundle: Path) -> None:
    assert bundled_qt_modules(bundle) == set(ui_qt_modules())


@pytest.mark.slow
def test_the_bundle_is_trimmed_and_complete(bundle: Path) -> None:
    internal = bundle / "_internal"
    qt = internal / "PySide6" / "Qt"
    # Qt's own catalogues: only its Chinese standard buttons (the GUI's English comes from resources/)
    assert sorted(p.name for p in (qt / "translations").iterdir()) == ["qtbase_zh_CN.qm"]
    plugins = {p.parent.name + "/" + p.name for p in (qt / "plugins").glob("*/*")}
    assert {"platforms/libqxcb.so", "platforms/libqoffscreen.so"} <= plugins
    assert not any(p.startswith(("platforms/libqwayland", "platforms/libqeglfs", "platforms/libqvnc", "platformthemes/",
                                 "iconengines/", "tls/", "networkinformation/")) for p in plugins), sorted(plugins)
    qt_libs = {p.name.split(".")[0] for p in (qt / "lib").iterdir()}
    assert not qt_libs & {"libQt6Network", "libQt6WaylandClient", "libQt6EglFSDeviceIntegration", "libQt6Svg",
                          "libQt6Qml"}
    # what the app reads as files: resources, examples, the Alembic migrations, OpenCV's face cascade
    for relative in ("resources/fonts/wqy-microhei.ttf", "resources/translations/evalroom_en.qm",
                     "examples/" + DEMO_CASE.name, "app/store/migrations/env.py",
                     "cv2/data/haarcascade_frontalface_default.xml"):
        assert (internal / relative).is_file(), relative
    # one FFmpeg per consumer, never a third: PyAV's and OpenCV's own builds (see the README, Installers)
    codecs = sorted(p.name for p in internal.rglob("libavcodec*") if not p.is_symlink())
    assert len(codecs) == 2, codecs


@pytest.mark.slow
def test_the_bundle_evaluates_like_python_m_app(bundle: Path, run_frozen, tmp_path: Path) -> None:  # noqa: ANN001
    frozen = run_frozen(bundle / "evalroom", "evaluate", str(DEMO_CASE), home=tmp_path / "home")
    assert frozen.returncode == 0, frozen.stderr
    source = subprocess.run([sys.executable, "-m", "app", "evaluate", str(DEMO_CASE)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert json.loads(frozen.stdout) == json.loads(source.stdout)
    assert json.loads(frozen.stdout)["status"] == "ranked"
    # the bundled examples are where the frozen app looks for them
    bundled = run_frozen(bundle / "evalroom", "evaluate", str(bundle / "_internal" / "examples" / DEMO_CASE.name),
                         home=tmp_path / "home")
    assert json.loads(bundled.stdout) == json.loads(source.stdout)
    # bad input: exit 2 and one line naming the problem, never a traceback
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    refused = run_frozen(bundle / "evalroom", "evaluate", str(bad), home=tmp_path / "home")
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert "Traceback" not in refused.stderr


@pytest.mark.slow
def test_the_bundle_simulates_a_session_that_verifies(bundle: Path, run_frozen, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "session"
    simulated = run_frozen(bundle / "evalroom", "simulate", "--case", str(DEMO_CASE), "--out", str(out),
                           home=tmp_path / "home")
    assert simulated.returncode == 0, simulated.stderr
    assert json.loads((out / "result.json").read_text(encoding="utf-8"))["status"] == "ranked"
    verified = run_frozen(bundle / "evalroom", "ledger", "verify", str(out), home=tmp_path / "home")
    assert verified.returncode == 0, verified.stdout + verified.stderr


@pytest.mark.slow
def test_the_bundle_runs_app_helpers_but_is_no_python_interpreter(bundle: Path, run_frozen, tmp_path: Path) -> None:  # noqa: ANN001
    """Helper processes start as `sys.executable -m app ...` / `-c "from app.X import f; f()"` (the recorder, the face
    check); the frozen program honours exactly those forms."""
    as_module = run_frozen(bundle / "evalroom", "-m", "app", "evaluate", str(DEMO_CASE), home=tmp_path / "home")
    assert as_module.returncode == 0 and json.loads(as_module.stdout)["status"] == "ranked", as_module.stderr
    refused = run_frozen(bundle / "evalroom", "-c", "import os; os.system('true')", home=tmp_path / "home")
    assert refused.returncode == 2 and "-c accepts only" in refused.stderr


@pytest.mark.slow
def test_the_bundle_records_through_its_ffmpeg_and_verifies(bundle: Path, run_frozen, tmp_path: Path) -> None:  # noqa: ANN001
    """PyAV's FFmpeg inside the bundle encodes the synthetic camera; the recording's chain verifies."""
    out = tmp_path / "rec"
    recorded = run_frozen(bundle / "evalroom", "record", "--source", "synthetic", "--seconds", "2", "--segment", "1",
                          "--size", "320x240", "--out", str(out), home=tmp_path / "home")
    assert recorded.returncode == 0, recorded.stderr
    assert sorted((out / "segments").rglob("*.ts")), "no MPEG-TS segment written"
    verified = run_frozen(bundle / "evalroom", "verify-recording", str(out), home=tmp_path / "home")
    assert verified.returncode == 0 and "valid" in verified.stdout + verified.stderr, verified.stdout + verified.stderr
