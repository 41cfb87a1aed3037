"""The layer contract of DESIGN.md §3 beyond the import-linter contracts in pyproject.toml (which check
every static import: app/ Qt-free, ui/ only through app.services, the layers of app/): `app/domain` does
no I/O, not even through the ``open``/``eval`` builtins, and importing every app/ module at run time loads
no Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
DOMAIN = APP / "domain"
IO_MODULES = {"os", "io", "pathlib", "shutil", "tempfile", "sqlite3", "sqlalchemy", "socket", "subprocess",
              "http", "urllib", "asyncio", "requests", "httpx", "json", "logging", "glob", "mmap"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in {"__import__", "open", "exec", "eval"}):
            names.add(f"{node.func.id}()")
    return names


def test_domain_does_no_io() -> None:
    forbidden = IO_MODULES | {"open()", "__import__()", "exec()", "eval()"}
    offenders = {str(p.relative_to(ROOT)): sorted(_imports(p) & forbidden) for p in DOMAIN.rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_every_app_module_loads_no_qt() -> None:
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in APP.rglob("*.py") if p.name != "__main__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui')]\n"
        "print(','.join(bad)); sys.exit(1 if bad else 0)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
