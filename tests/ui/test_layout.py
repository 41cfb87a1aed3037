"""The layout gate: every page of the console, the expert workstation and the supervisor, at each stage of the demo
session, at 1366×768 (a room's screen) and 1920×1080: the window keeps its size whichever page is shown, no visible
widget is cut by the window or its parent, no text is cut (tests/support/layoutkit.py). A picture of every page at
both sizes is kept in the test's folder (EVALROOM_SHOTS: in that folder instead)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QSize

import layoutkit
from ui.main_window import CONSOLE_PAGES, MainWindow
from ui.walkthrough import Walkthrough, wait_idle

# the walkthrough's pictures at which every page is looked at (the others are dialogs, or a stage seen already), and
# those where a picture of each page is kept too (a 1920×1080 PNG takes ~0.1 s to write: not at every stage)
TOURS = ("committee", "scoring", "english", "archive")
PICTURES = ("scoring", "archive")


class Tour:
    def __init__(self, window: MainWindow, folder: Path) -> None:
        self.window, self.folder = window, folder
        self.found: list[str] = []
        self.pages: set[str] = set()
        self.shots: list[Path] = []
        self.scrolling: list[str] = []
        self.spent = {"check": 0.0, "picture": 0.0}

    def look(self, stage: str, page: str, size: QSize) -> None:
        started = time.monotonic()
        self.found += layoutkit.problems(self.window, f"{stage} · {page}", size)
        self.scrolling += [f"{stage} · {page} @ {size.width()}×{size.height()}: {line}"
                           for line in layoutkit.scrolling_pages(self.window)]
        self.pages.add(page)
        checked = time.monotonic()
        if stage in PICTURES:
            label = f"{size.width()}x{size.height()}-{stage}-{page}".replace(" ", "_").replace("/", "_")
            self.shots.append(layoutkit.shoot(self.window, self.folder, label))
        self.spent["check"] += checked - started
        self.spent["picture"] += time.monotonic() - checked

    def every_page(self, stage: str) -> None:
        w = self.window
        wait_idle(w.client)
        role, console_page = w.areas.currentIndex(), w.console.stack.currentIndex()
        stations = w.workstations
        picked = stations.picker.currentIndex()
        station = next(iter(stations.stations.values()), None)
        step = station.steps.currentIndex() if station is not None else 0
        for size in layoutkit.SIZES:
            w.resize(size)
            layoutkit.settle()
            w.select_role(0)
            for index, title in enumerate(CONSOLE_PAGES):
                w.console.show_page(index)
                wait_idle(w.client)
                self.look(stage, f"console {index + 1} {title}", size)
            w.select_role(1)
            stations.picker.setCurrentIndex(0)
            self.look(stage, "workstation login", size)
            if station is not None:
                stations.show_station(station.member)
                for tab in range(station.steps.count()):
                    if station.steps.isTabVisible(tab) and station.steps.isTabEnabled(tab):
                        station.steps.setCurrentIndex(tab)
                        wait_idle(w.client)
                        self.look(stage, f"workstation {station.steps.tabText(tab)}", size)
            w.select_role(2)
            supervisor = w.supervisor
            for tab in range(supervisor.tabs.count()):
                supervisor.tabs.setCurrentIndex(tab)
                self.look(stage, f"supervisor {supervisor.tabs.tabText(tab)}", size)
            supervisor.tabs.setCurrentIndex(0)
        w.resize(layoutkit.SIZES[0])
        stations.picker.setCurrentIndex(picked)
        if station is not None:
            station.steps.setCurrentIndex(step)
        w.console.show_page(console_page)
        w.select_role(role)
        layoutkit.settle()


def test_every_page_keeps_the_window_and_shows_every_widget_whole(window, tmp_path: Path) -> None:
    started = time.monotonic()
    folder = Path(os.environ.get("EVALROOM_SHOTS") or tmp_path / "shots") / "layout"
    tour = Tour(window, folder)
    window.resize(layoutkit.SIZES[0])
    walk = Walkthrough(tmp_path / "walk", window)
    walk.shot = lambda name, widget=None: tour.every_page(name) if name in TOURS else None  # type: ignore[method-assign]
    walk.run()
    print(f"layout: {len(tour.pages)} pages at {len(TOURS)} stages, {len(tour.shots)} pictures in {folder}, "
          f"{time.monotonic() - started:.1f} s ({tour.spent})")
    print("\n".join(dict.fromkeys(tour.scrolling)))
    assert not tour.found, f"{len(tour.found)} layout problems:\n" + "\n".join(dict.fromkeys(tour.found))
