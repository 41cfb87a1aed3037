"""The walkthrough's end of a node's control channel (:mod:`ui.lan.agent`, in the node's window): Qt-free, since
the walkthrough itself runs no window; it only starts the nodes and tells them what to do."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any

from app.errors import EvalRoomError

PORT_FILE = "agent.json"  # the same name as ui.lan.agent.PORT_FILE (that module loads Qt)


class AgentError(EvalRoomError, RuntimeError):
    pass


class Remote:
    """The walkthrough's end of a node's channel (Qt-free: the walkthrough itself runs no GUI)."""

    def __init__(self, name: str, folder: Path, timeout: float = 120.0, answer_timeout: float = 900.0) -> None:
        """``timeout``: for the node to open its channel; ``answer_timeout``: for one command's answer (a node's
        own waits are shorter and answer with what they waited for)."""
        self.name = name
        deadline = time.monotonic() + timeout
        target = folder / PORT_FILE
        while not target.is_file():
            if time.monotonic() > deadline:
                raise AgentError(f"{name}: the node did not open its control channel ({target})")
            time.sleep(0.1)
        info = json.loads(target.read_text())
        self.token = str(info["token"])
        self._sock = socket.create_connection(("127.0.0.1", int(info["port"])), timeout=timeout)
        self._sock.settimeout(answer_timeout)
        self._file = self._sock.makefile("rwb")

    def __call__(self, do: str, **args: Any) -> Any:
        line = json.dumps({"token": self.token, "do": do, "args": args}, ensure_ascii=False) + "\n"
        self._file.write(line.encode("utf-8"))
        self._file.flush()
        try:
            raw = self._file.readline()
        except TimeoutError:
            raise AgentError(f"{self.name}: no answer to {do}") from None
        if not raw:
            raise AgentError(f"{self.name}: the node closed its control channel during {do}")
        answer = json.loads(raw)
        if "error" in answer:
            raise AgentError(f"{self.name}: {do}: {answer['error']}")
        return answer.get("ok")

    def close(self) -> None:
        try:
            self._file.close()
            self._sock.close()
        except OSError:
            pass


__all__ = ["Remote", "AgentError"]
