"""CPU seconds per test, for finding where the suite's time goes on a loaded machine (wall-clock durations
there measure the other processes as much as the test): ``pytest -p cputimes --cpu-times=25``.

A test's CPU time is its process's user + system time over set-up, call and tear-down, plus that of the child
processes it waited for (a subprocess, a server it stopped; what they waited for in turn). The slowest tests are
listed at the end of the run, also under pytest-xdist (each worker attaches its figures to the test's report).
``--cpu-times-file=PATH`` also writes each test's figures as it ends, as tab-separated lines (cpu, wall, node id).
"""

from __future__ import annotations

import resource
import time
from collections.abc import Generator
from pathlib import Path

import pytest

_KEY = "cpu_seconds"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cputimes")
    group.addoption("--cpu-times", type=int, default=25, metavar="N", help="list the N tests that used most CPU")
    group.addoption("--cpu-times-file", default=None, metavar="PATH", help="every test's CPU and wall seconds")


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
    cpu, wall = _cpu(), time.monotonic()
    item.user_properties.append((_KEY, (cpu, wall)))  # replaced by the figures before the tear-down's report
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, None, None]:
    if call.when == "teardown":
        for index, (key, value) in enumerate(item.user_properties):
            if key == _KEY:
                cpu, wall = value
                item.user_properties[index] = (_KEY, (_cpu() - cpu, time.monotonic() - wall))
    yield


class _Collector:
    def __init__(self, path: str | None) -> None:
        self.figures: dict[str, tuple[float, float]] = {}
        self.path = Path(path) if path else None
        if self.path is not None:
            self.path.write_text("", encoding="utf-8")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "teardown":
            return
        for key, value in report.user_properties:
            if key == _KEY:
                cpu, wall = self.figures[report.nodeid] = (float(value[0]), float(value[1]))
                if self.path is not None:  # as the run goes (a run stopped half-way still tells)
                    with self.path.open("a", encoding="utf-8") as out:
                        out.write(f"{cpu:.2f}\t{wall:.2f}\t{report.nodeid}\n")

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
        ranked = sorted(self.figures.items(), key=lambda kv: -kv[1][0])
        count = config.getoption("cpu_times")
        if not count or not ranked:
            return
        total = sum(c for c, _ in self.figures.values())
        terminalreporter.write_sep("=", f"{count} tests that used most CPU (all {len(ranked)}: {total:.0f} s CPU)")
        for nodeid, (cpu, wall) in ranked[:count]:
            terminalreporter.write_line(f"{cpu:8.2f}s cpu {wall:8.2f}s wall  {nodeid}")


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controller (or a serial run) lists; workers only measure
        config.pluginmanager.register(_Collector(config.getoption("cpu_times_file")), "cputimes-collector")
