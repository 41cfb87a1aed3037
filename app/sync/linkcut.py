"""A TCP relay in front of the room hub whose link can be cut and healed, as a pulled LAN cable does.

Used by ``evalroom demo --lan-walkthrough`` (and the tests) to take one workstation off the LAN while the others
stay on it: each workstation talks to the hub through its own relay. :meth:`LinkCut.cut` drops every open
connection at once (the peer sees a reset, as when a switch port goes down) and answers new ones by closing
them; :meth:`LinkCut.heal` lets connections through again. The bytes are relayed untouched, so HTTPS to the hub
still verifies end to end.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from datetime import UTC, datetime


class LinkCut:
    """``target``: the hub's (host, port); the relay listens on ``listen`` (port 0: any free port)."""

    def __init__(self, target: tuple[str, int], listen: tuple[str, int] = ("127.0.0.1", 0)) -> None:
        self.target = target
        self._server = socket.create_server(listen)
        self._server.settimeout(0.2)
        self.address: tuple[str, int] = self._server.getsockname()[:2]
        self._open: set[socket.socket] = set()
        self._guard = threading.Lock()
        self._cut = threading.Event()
        self._stop = threading.Event()
        self.cuts: list[tuple[datetime, datetime | None]] = []
        self._thread = threading.Thread(target=self._accept, name="evalroom-linkcut", daemon=True)
        self._thread.start()

    @property
    def url_host(self) -> str:
        return f"{self.address[0]}:{self.address[1]}"

    @property
    def is_cut(self) -> bool:
        return self._cut.is_set()

    def cut(self) -> datetime:
        """Drop the link now; returns the moment (UTC)."""
        moment = datetime.now(UTC)
        self._cut.set()
        with self._guard:
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            _reset(sock)
        self.cuts.append((moment, None))
        return moment

    def heal(self) -> datetime:
        moment = datetime.now(UTC)
        self._cut.clear()
        if self.cuts and self.cuts[-1][1] is None:
            self.cuts[-1] = (self.cuts[-1][0], moment)
        return moment

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._server.close()
        with self._guard:
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            _reset(sock)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self._cut.is_set():
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _reset(client)
                continue
            upstream.settimeout(None)
            with self._guard:
                self._open.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while not self._cut.is_set():
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with self._guard:
                self._open.discard(source)
                self._open.discard(sink)
            _reset(source)
            _reset(sink)


def _reset(sock: socket.socket) -> None:
    """Close with a reset (SO_LINGER 0), as a dead link looks to the peer, not an orderly goodbye."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RD)  # wakes a relay thread blocked reading it (Linux), sends nothing
    with contextlib.suppress(OSError):
        sock.close()


__all__ = ["LinkCut"]
