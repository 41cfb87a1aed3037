"""The control channel of a LAN-walkthrough node: a request runs on the GUI thread, a waiting answer does not
block the event loop, a failure comes back as a message naming it, and a wrong token is refused."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from app.services.node_control import AgentError, Remote
from ui.lan.agent import PORT_FILE, Agent, Later


def test_requests_run_on_the_gui_thread_and_wait_without_blocking(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    button = QPushButton("记录")
    qtbot.addWidget(button)
    clicks: list[str] = []
    button.clicked.connect(lambda: clicks.append(threading.current_thread().name))

    def click() -> Later:
        button.click()
        return Later(lambda: len(clicks) or None, "the click")

    def fail() -> None:
        raise ValueError("no such bidder B9")

    agent = Agent(tmp_path, {"click": click, "fail": fail, "echo": lambda text: text})
    answers: dict[str, object] = {}

    def drive() -> None:
        remote = Remote("node", tmp_path, timeout=10)
        answers["click"] = remote("click")
        answers["echo"] = remote("echo", text="评标室")
        try:
            remote("fail")
        except AgentError as exc:
            answers["fail"] = str(exc)
        try:
            remote("nothing")
        except AgentError as exc:
            answers["unknown"] = str(exc)
        remote.close()

    driver = threading.Thread(target=drive)
    driver.start()
    qtbot.waitUntil(lambda: not driver.is_alive(), timeout=20000)
    assert answers["click"] == 1 and clicks == [threading.main_thread().name]
    assert answers["echo"] == "评标室"
    assert "ValueError: no such bidder B9" in str(answers["fail"])
    assert "unknown command 'nothing'" in str(answers["unknown"])

    info = json.loads((tmp_path / PORT_FILE).read_text())
    assert (tmp_path / PORT_FILE).stat().st_mode & 0o077 == 0
    with socket.create_connection(("127.0.0.1", info["port"]), timeout=5) as sock:  # another local user
        sock.sendall(json.dumps({"token": "guess", "do": "click"}).encode() + b"\n")
        assert json.loads(sock.makefile().readline()) == {"error": "wrong token"}
    QApplication.processEvents()
    assert len(clicks) == 1
    agent.close()


def test_a_node_that_never_opens_its_channel_is_named(tmp_path: Path) -> None:
    with pytest.raises(AgentError, match="did not open its control channel"):
        Remote("ws-E1", tmp_path, timeout=0.3)
