"""The console's status-bar line for its room hub: where the PCs reach it, the room CA's fingerprint they compare,
and a dead hub being restarted, calmly (the hub poller restarts it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from ui.common import BAD_COLOUR, OK_COLOUR, WARN_COLOUR
from ui.i18n import tr


def short_fingerprint(fingerprint: str | None) -> str:
    """The first groups of the fingerprint, as the desk reads them out (the tooltip has it whole)."""
    if not fingerprint:
        return ""
    groups = fingerprint.replace(":", " ").split()
    if len(groups) == 1:  # plain hex
        groups = [fingerprint[i:i + 4] for i in range(0, 16, 4)]
    return " ".join(groups[:4]) + " …"


class HubStatusLabel(QLabel):
    def __init__(self, poller: Any) -> None:
        super().__init__(tr("评标室服务器：正在启动…"))
        self.poller = poller
        poller.ticked.connect(self.show_tick)
        poller.failed.connect(self.show_failure)

    def show_tick(self, tick: Any) -> None:
        info = self.poller.info
        if tick is not None and not tick.alive:
            self.setText(tr("评标室服务器已停止，正在重启"))
            self.setStyleSheet(f"color: {WARN_COLOUR};")
            self.setToolTip(tick.error or "")
            return
        if info is None:
            return
        urls = info.get("lan_urls") or [info.get("url")]
        fingerprint = short_fingerprint(info.get("fingerprint"))
        self.setText(tr("评标室服务器") + f" {urls[0]} · " + tr("根证书指纹") + f" {fingerprint}")
        self.setStyleSheet(f"color: {OK_COLOUR};" if tick is None or not tick.error else f"color: {WARN_COLOUR};")
        self.setToolTip("\n".join([*urls, str(info.get("fingerprint") or ""), (tick.error if tick else None) or ""]))

    def show_failure(self, text: str) -> None:
        self.setText(tr("评标室服务器未能启动"))
        self.setStyleSheet(f"color: {BAD_COLOUR};")
        self.setToolTip(text)


__all__ = ["HubStatusLabel", "short_fingerprint"]
