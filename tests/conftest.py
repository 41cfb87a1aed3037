"""Test set-up: Qt must be offscreen before any QApplication exists (else pytest-qt aborts).

Test helpers live in tests/support (on the path through the pytest settings); tests are imported
with importlib mode, so tests/app never shadows the real `app` package.

`make test` runs the suite in parallel (pytest-xdist, ``--dist loadgroup``), so every test gets its own
per-user folders: HOME and the XDG folders point into a fresh temporary folder (the settings file, the
data folder with its logs and sessions, and Qt's folders are never the tester's own, nor shared with a
test running beside it), and no ``EVALROOM_*`` variable of the tester's shell reaches a test.
"""

import inspect
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

USER_FOLDERS = {"XDG_CONFIG_HOME": "config", "XDG_DATA_HOME": "data", "XDG_STATE_HOME": "state",
                "XDG_CACHE_HOME": "cache"}
# the tests' own switches (a PostgreSQL server to use, S3 required, a folder for screenshots) are kept; every other
# EVALROOM_ setting of the shell is dropped
KEPT = ("EVALROOM_TEST_", "EVALROOM_SHOTS")


def _point_user_folders(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    monkeypatch.setenv("HOME", str(home))
    for name, sub in USER_FOLDERS.items():
        monkeypatch.setenv(name, str(home / sub))
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700)  # Qt wants it private; without it Qt would fall back to one folder shared by all
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    for name in [n for n in os.environ if n.startswith("EVALROOM_") and not n.startswith(KEPT)]:
        monkeypatch.delenv(name)


@pytest.fixture(scope="session", autouse=True)
def _user_folders_of_the_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Per-user folders for the session- and module-scoped fixtures (one set per xdist worker)."""
    with pytest.MonkeyPatch.context() as patch:
        _point_user_folders(patch, tmp_path_factory.mktemp("home"))
        yield


@pytest.fixture(autouse=True)
def _user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fresh per-user folders for each test (outside its ``tmp_path``, which stays empty for the test itself), and
    no settings file remembered from a test before (``settings.current()`` is loaded once per process)."""
    from app import settings

    _point_user_folders(monkeypatch, tmp_path_factory.mktemp("home"))
    settings.select(None)
    yield
    settings.select(None)


def _needs_qapplication(item: pytest.Item) -> bool:
    if {"qtbot", "qapp"} & set(getattr(item, "fixturenames", ())):
        return True
    function = getattr(item, "function", None)
    try:
        source = inspect.getsource(function) if function is not None else ""
    except (OSError, TypeError):
        return False
    return "application(" in source or "QApplication" in source


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist turns the group marks into the work units of --dist loadgroup
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests of a module that share a module-scoped fixture run in one xdist worker, one after another, as
    in a serial run: the fixture (a simulated session, a recording, a running center) is built once, and a
    test may rely on what the tests before it did to it. Tests already in a group (the installers') keep it.

    Every test that needs a QApplication is marked ``gui``: it uses pytest-qt (``qtbot``, ``qapp``, or a fixture
    that does), or its own code makes one (``application()``, ``QApplication``)."""
    for item in items:
        if _needs_qapplication(item):
            item.add_marker(pytest.mark.gui)
        if item.get_closest_marker("xdist_group") is not None:
            continue
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        if any(defs and defs[-1].scope == "module" for defs in info.name2fixturedefs.values()):
            module = item.nodeid.split("::")[0]
            item.add_marker(pytest.mark.xdist_group(module.removeprefix("tests/").removesuffix(".py")))


#: the work that comes first (``make test`` passes --no-loadscope-reorder, so pytest-xdist hands the units out in
#: this order): the longest units measured (CPU seconds with ``-p cputimes``), the installers' group with its
#: PyInstaller build first, then every other module or group with a test marked slow; a long unit handed out
#: last would leave one worker running alone at the end
FIRST = ("installers", "tests/e2e/test_lan_walkthrough.py", "app/center/test_center_processes",
         "installers/test_wheel", "pairing-page")


def _unit(item: pytest.Item) -> str:
    """What is scheduled together, for ordering: the test's xdist group, else its module."""
    group = item.get_closest_marker("xdist_group")
    if group is not None:
        return str(group.args[0] if group.args else group.kwargs.get("name", ""))
    return item.nodeid.split("::")[0]


def order_longest_first(items: list[pytest.Item]) -> None:
    """The units of FIRST in its order, then the other units with slow tests; the order within a unit, and of the
    units of one rank, is kept (a module's tests stay together and in their order, also in a serial run)."""
    slow = {_unit(item) for item in items if item.get_closest_marker("slow") is not None}
    rank = {unit: FIRST.index(unit) if unit in FIRST else len(FIRST) + (unit not in slow) for unit in map(_unit, items)}
    items.sort(key=lambda item: rank[_unit(item)])


class _LongestFirst:
    first = FIRST

    @pytest.hookimpl(trylast=True)  # after the groups are set (tests/conftest.py, tests/installers, pytest-xdist)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        order_longest_first(items)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_LongestFirst(), "evalroom-longest-first")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one worker per core this process may use and one more, at most 4. Much of a test's time is spent
    waiting (for the processes, servers and recorders it starts, for a link cut to last, for a retry): one worker
    per core left a core idle about a third of the run on 2 cores. PYTEST_XDIST_AUTO_NUM_WORKERS overrides it."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return int(os.environ["PYTEST_XDIST_AUTO_NUM_WORKERS"])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores + 1, 4))
