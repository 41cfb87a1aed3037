"""One shape for the sync's background rounds (the console's pull from the center, its push to its hub, the media
fetched for a session folder, the hub's link rows): a daemon thread that runs :meth:`Rounds.round` every
``interval`` seconds, backs off while rounds fail, can be woken early, and on :meth:`Rounds.stop` abandons a
request in flight after ``timeout`` (a round stores nothing but what it completed) and closes the client."""

from __future__ import annotations

import threading
from typing import Any

from app.sync.worker import Backoff


class Rounds:
    """Subclasses set ``thread_name`` and implement :meth:`round` (True: it went well; False or an exception:
    failed, the next one waits longer). ``client``: closed once the thread has ended."""

    thread_name = "evalroom-rounds"

    def __init__(self, client: Any, interval: float, backoff: Backoff | None = None) -> None:
        self.client, self.interval = client, interval
        self.backoff = backoff or Backoff(base=1.0, cap=60.0)
        self.last_error: str | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def round(self) -> bool:
        raise NotImplementedError

    def wake(self) -> None:
        """The next round now, not after the interval (there is something to do)."""
        self._wake.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if not self._thread.is_alive():
                self.client.close()
            self._thread = None

    def _loop(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                failures = 0 if self.round() else failures + 1
            except Exception as exc:  # said in last_error, tried again: a round never ends the thread
                self.last_error, failures = f"{type(exc).__name__}: {exc}", failures + 1
            self._wake.wait(self.backoff.delay(failures - 1) if failures else self.interval)
            self._wake.clear()


__all__ = ["Rounds"]
