"""What every node of the LAN walkthrough shares: pictures of its own window, numbered per node
(``<data>/NN-stage.png``), and clicks that refuse a disabled button, as a person's would do nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.errors import EvalRoomError


class NodeError(EvalRoomError, RuntimeError):
    pass


class Node:
    def __init__(self, folder: Path, window: QWidget) -> None:
        self.folder, self.window = Path(folder), window
        self.shots: list[str] = []

    def shot(self, name: str) -> str:
        QApplication.processEvents()
        path = self.folder / f"{len(self.shots) + 1:02d}-{name}.png"
        if not self.window.grab().save(str(path)):
            raise NodeError(f"cannot write {path}")
        self.shots.append(str(path))
        return str(path)

    def click(self, button: Any) -> None:
        if not button.isEnabled():
            raise NodeError(f"the button “{button.text()}” is not enabled at this step")
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        QApplication.processEvents()

    def handlers(self) -> dict[str, Any]:
        """The commands of this node's control channel: every public method but these helpers."""
        skip = {"handlers", "click"}
        methods = [name for name in dir(type(self))  # the class's: a property is never evaluated here
                   if not name.startswith("_") and name not in skip and callable(getattr(type(self), name))
                   and not isinstance(getattr(type(self), name), property)]
        return {name: getattr(self, name) for name in methods}


__all__ = ["Node", "NodeError"]
