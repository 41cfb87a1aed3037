"""The control channel of one node of ``evalroom demo --lan-walkthrough``: the walkthrough tells a node's real
window what a person would do there (click this, type that, take a picture) and reads back what it shows.

One JSON object a line over TCP on 127.0.0.1 (the port is written to ``PORT_FILE`` in the node's data folder,
with a random token the walkthrough reads from the same file: another local user cannot drive the window).
Requests are queued by a reader thread and run on the GUI thread by a timer, one at a time; a handler returns a
JSON value, or raises to answer ``{"error": ...}``. A handler that must wait for the window (a background save,
a page that fills in) returns a :class:`Later` that the timer polls without blocking the event loop.
"""

from __future__ import annotations

import json
import queue
import secrets
import socketserver
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer

PORT_FILE = "agent.json"  # read by app.services.node_control (Qt-free, the same name)
Handler = Callable[..., Any]


@dataclass
class Later:
    """A handler's answer that is not ready yet: ``ready()`` is polled on the GUI thread until it returns
    something other than None (that is the answer) or ``timeout`` seconds pass (``what`` names what waited)."""

    ready: Callable[[], Any]
    what: str
    timeout: float = 60.0


class _Request:
    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.answer: dict[str, Any] | None = None
        self.done = threading.Event()


class Agent(QObject):
    def __init__(self, folder: Path, handlers: dict[str, Handler], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.handlers = dict(handlers)
        self.token = secrets.token_hex(16)
        self._queue: queue.Queue[_Request] = queue.Queue()
        self._current: tuple[_Request, Later, float] | None = None
        self._running = False  # a handler pumping the event loop (a wait) must not start the next request
        agent = self

        class Lines(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                for raw in self.rfile:
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        self._send({"error": "not a JSON line"})
                        continue
                    if not isinstance(body, dict) or body.get("token") != agent.token:
                        self._send({"error": "wrong token"})
                        return
                    request = _Request(body)
                    agent._queue.put(request)
                    request.done.wait()
                    self._send(request.answer or {"error": "no answer"})

            def _send(self, answer: dict[str, Any]) -> None:
                self.wfile.write((json.dumps(answer, ensure_ascii=False, default=str) + "\n").encode("utf-8"))
                self.wfile.flush()

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Lines)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="evalroom-agent", daemon=True).start()
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / PORT_FILE
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps({"port": self._server.server_address[1], "token": self.token}))
        temporary.chmod(0o600)
        temporary.replace(target)
        self._timer = QTimer(self)
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._step)
        self._timer.start()

    def close(self) -> None:
        self._timer.stop()
        self._server.shutdown()
        self._server.server_close()

    def _step(self) -> None:
        if self._running:
            return
        self._running = True
        try:
            self._advance()
        finally:
            self._running = False

    def _advance(self) -> None:
        if self._current is not None:
            request, later, deadline = self._current
            try:
                value = later.ready()
            except Exception as exc:  # the answer names what failed; the node goes on
                self._finish(request, {"error": f"{type(exc).__name__}: {exc}"})
                return
            if value is not None:
                self._finish(request, {"ok": value})
            elif time.monotonic() > deadline:
                self._finish(request, {"error": f"timed out waiting for {later.what}"})
            return
        try:
            request = self._queue.get_nowait()
        except queue.Empty:
            return
        body = request.body
        handler = self.handlers.get(str(body.get("do")))
        if handler is None:
            self._finish(request, {"error": f"unknown command {body.get('do')!r}"})
            return
        try:
            value = handler(**dict(body.get("args") or {}))
        except Exception as exc:
            self._finish(request, {"error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc(limit=4)})
            return
        if isinstance(value, Later):
            self._current = (request, value, time.monotonic() + value.timeout)
        else:
            self._finish(request, {"ok": value})

    def _finish(self, request: _Request, answer: dict[str, Any]) -> None:
        self._current = None
        request.answer = answer
        request.done.set()


__all__ = ["Agent", "Later", "PORT_FILE"]
