"""The wheel (`pip wheel .`) carries everything the app reads: installed into a fresh virtual environment outside
the source tree, it evaluates a case, plays a session, builds and verifies its archive (with the PDFs in the
Chinese fonts) and drives the GUI offscreen through the walkthrough.

The fresh environment gets the wheel alone (``--no-deps``); the dependencies come from this test run's own
environment through a ``.pth`` line (the package registry is not needed, and its editable finder of the source
tree is not loaded: a ``.pth`` file's folder is added to the path, the ``.pth`` files inside it are not read).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

#: What a wheel must hold besides the code (the files app.paths names and the demo reads).
DATA = ("evalroom_resources/fonts/wqy-microhei.ttf", "evalroom_resources/fonts/arphic-gbsn00lp.ttf",
        "evalroom_resources/templates/commitment-letter-v1.txt",
        "evalroom_resources/templates/supervisor-commitment-v1.txt",
        "evalroom_resources/translations/evalroom_en.ts", "evalroom_resources/translations/evalroom_en.qm",
        "evalroom_resources/camera/synthetic-face.jpg",
        "evalroom_resources/icons/evalroom-256.png", "evalroom_examples/procurement-goods-comprehensive.json")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                           "--wheel-dir", str(out), str(ROOT)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    (found,) = out.glob("evalroom-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment (outside the source tree) with the wheel installed: its ``bin`` folder."""
    env = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, timeout=300)
    python = env / ("Scripts" if os.name == "nt" else "bin") / "python"
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                           str(wheel)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "evalroom_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python.parent


def _run(venv: Path, cwd: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(cwd / "home"), XDG_DATA_HOME=str(cwd / "home" / "data"),
               XDG_CONFIG_HOME=str(cwd / "home" / "config"))
    return subprocess.run([str(venv / "evalroom"), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_the_wheel_holds_the_resources_and_the_examples(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in DATA if name not in names]
    assert not missing, f"the wheel lacks {missing}"
    assert not any("__pycache__" in name or name.startswith(("tests/", "bench/")) for name in names)


def test_the_installed_wheel_reads_its_own_files_not_the_source_trees(venv: Path, tmp_path: Path) -> None:
    script = ("import json, app, ui; from app import paths; "
              "print(json.dumps([app.__file__, ui.__file__, str(paths.CJK_FONT), str(paths.DEMO_CASE)]))")
    done = subprocess.run([str(venv / "python"), "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    files = [Path(p) for p in json.loads(done.stdout)]
    for path in files:
        assert path.is_file() and ROOT not in path.parents, f"{path} is not the installed wheel's"


def test_the_installed_wheel_evaluates_plays_archives_and_walks_through(venv: Path, tmp_path: Path) -> None:
    case = ROOT / "examples" / "procurement-goods-comprehensive.json"
    evaluated = _run(venv, tmp_path, "evaluate", str(case))
    assert evaluated.returncode == 0, evaluated.stderr
    from app.services.evaluation import evaluate_file

    assert json.loads(evaluated.stdout) == evaluate_file(case)

    played = _run(venv, tmp_path, "simulate", "--case", str(case), "--out", str(tmp_path / "sim"))
    assert played.returncode == 0, played.stderr
    built = _run(venv, tmp_path, "archive", "build", str(tmp_path / "sim"), "--out", str(tmp_path / "bag"))
    assert built.returncode == 0, built.stderr
    pdfs = sorted(p.name for p in (tmp_path / "bag").rglob("*.pdf"))
    assert {"report.pdf", "opening-record.pdf", "score-sheets.pdf"} <= set(pdfs), pdfs
    if shutil.which("pdffonts"):  # the fonts the wheel carried are the ones embedded
        fonts = subprocess.run(["pdffonts", str(tmp_path / "bag" / "data" / "documents" / "report.pdf")],
                               check=True, capture_output=True, text=True).stdout
        assert "WenQuanYi" in fonts or "wqy" in fonts.lower(), fonts
    verified = _run(venv, tmp_path, "verify", str(tmp_path / "bag"))
    assert verified.returncode == 0 and ": valid" in verified.stderr, verified.stdout + verified.stderr

    walked = _run(venv, tmp_path, "demo", "--walkthrough", str(tmp_path / "walk"))
    assert walked.returncode == 0, walked.stdout + walked.stderr
    out = tmp_path / "walk"
    assert len(list(out.glob("[0-9][0-9]-*.png"))) >= 10
    assert json.loads((out / "result.json").read_text()) == evaluate_file(out / "case.json")
