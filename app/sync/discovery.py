"""Finding the room hub on the room LAN by mDNS/DNS-SD (python-zeroconf), when the settings name no ``hub_url``.

The hub (``hub serve --advertise``) announces ``_evalroom-hub._tcp.local.`` with a TXT record: ``room`` (the
room id), ``sessions`` (the session ids it holds, comma-separated, refreshed while it runs), ``ca`` (SHA-256 of
its LAN CA certificate, 64 hex digits, empty without one), ``v`` (the sync protocol's version) and ``app``
(EvalRoom's version). A PC browses for a few seconds and gets every hub that answered (:func:`browse`); with
several the person chooses. What mDNS says is not trusted: the CA is pinned and checked on pairing
(``app.sync.pinning``), the TXT ``ca`` only lets the PC say early that a hub is not the expected one.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

SERVICE_TYPE = "_evalroom-hub._tcp.local."
PROTOCOL_VERSION = "1"
TXT_SESSIONS_MAX = 200  # characters of the sessions value (a TXT string holds at most 255 bytes)


@dataclass(frozen=True)
class Hub:
    """One hub that answered: where it is and what its TXT record says."""

    name: str  # the DNS-SD instance name
    url: str  # https://ADDRESS:PORT (http:// when the TXT says tls=0)
    addresses: tuple[str, ...]
    port: int
    room: str
    sessions: tuple[str, ...]
    ca_sha256: str
    version: str
    app_version: str

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["addresses"], data["sessions"] = list(self.addresses), list(self.sessions)
        return data


def _interfaces(interfaces: Sequence[str] | None) -> Any:
    from zeroconf import InterfaceChoice

    return InterfaceChoice.All if not interfaces else list(interfaces)


def _text(props: dict[bytes, bytes | None], key: str) -> str:
    value = props.get(key.encode())
    return value.decode("utf-8", "replace") if value else ""


def _url(address: str, port: int, tls: bool) -> str:
    host = f"[{address}]" if ":" in address else address
    return f"{'https' if tls else 'http'}://{host}:{port}"


class Advertiser:
    """The hub's announcement, kept up to date with the sessions it holds (``sessions()``, polled).

    The multicast sockets open here (an :class:`OSError` when they cannot); the announcement itself (mDNS probes
    for the name first, about 1.7 s) and the updates run on a thread, so the hub serves meanwhile. ``error``:
    why the announcement failed, if it did."""

    def __init__(self, host: str, port: int, room: str, *, ca_sha256: str = "", tls: bool = True,
                 sessions: Callable[[], list[str]] | None = None, refresh: float = 2.0,
                 instance: str | None = None) -> None:
        from zeroconf import IPVersion, ServiceInfo, Zeroconf

        from app import __version__

        self.room, self.ca_sha256, self.tls = room, ca_sha256, tls
        self._sessions, self._refresh, self._version = sessions, refresh, __version__
        if host in ("", "0.0.0.0", "::"):
            from app.crypto.room_ca import local_addresses

            addresses = [a for a in local_addresses() if ipaddress.ip_address(a).version == 4
                         and not ipaddress.ip_address(a).is_loopback] or ["127.0.0.1"]
            interfaces: Any = _interfaces(None)
        else:
            addresses, interfaces = [host], [host]
        version = IPVersion.V6Only if all(":" in a for a in addresses) else IPVersion.V4Only
        self._zeroconf = Zeroconf(interfaces=interfaces, ip_version=version)
        label = (instance or f"EvalRoom {room} {socket.gethostname()}")[:63]
        self._listed = self._session_ids()
        self.info = ServiceInfo(SERVICE_TYPE, f"{label}.{SERVICE_TYPE}", port=port,
                                addresses=[ipaddress.ip_address(a).packed for a in addresses],
                                properties=self._properties(), server=f"{_host_label()}.local.")
        self.error: str | None = None
        self.registered = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="evalroom-advertise", daemon=True)
        self._thread.start()

    def _session_ids(self) -> list[str]:
        if self._sessions is None:
            return []
        try:
            return sorted(self._sessions())
        except Exception:  # the database busy or closing: keep what was announced
            return getattr(self, "_listed", [])

    def _properties(self) -> dict[str, str]:
        listed = ",".join(self._listed)
        if len(listed) > TXT_SESSIONS_MAX:
            listed = listed[:TXT_SESSIONS_MAX].rsplit(",", 1)[0]
        return {"room": self.room, "sessions": listed, "ca": self.ca_sha256, "tls": "1" if self.tls else "0",
                "v": PROTOCOL_VERSION, "app": self._version}

    def _run(self) -> None:
        from zeroconf import ServiceInfo

        try:
            self._zeroconf.register_service(self.info, allow_name_change=True)
        except Exception as exc:  # a name conflict that could not be resolved, the loop closed
            self.error = f"{exc.__class__.__name__}: {exc}"
            return
        self.registered.set()
        while self._sessions is not None and not self._stop.wait(self._refresh):
            listed = self._session_ids()
            if listed == self._listed:
                continue
            self._listed = listed
            old = self.info
            self.info = ServiceInfo(old.type, old.name, port=old.port, addresses=old.addresses,
                                    properties=self._properties(), server=old.server)
            try:
                self._zeroconf.update_service(self.info)
            except Exception:  # closing
                return

    def close(self) -> None:
        self._stop.set()
        self._thread.join(3)
        try:
            if self.registered.is_set():
                self._zeroconf.unregister_service(self.info)
        finally:
            self._zeroconf.close()


def _host_label() -> str:
    name = socket.gethostname().split(".")[0]
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c == "-") else "-" for c in name).strip("-")
    return cleaned or "evalroom-hub"


def browse(timeout: float = 3.0, interfaces: Sequence[str] | None = None, *, room: str | None = None,
           first: bool = False) -> list[Hub]:
    """The hubs that answer on the LAN within ``timeout`` seconds, sorted by room and URL (empty: none).
    ``interfaces``: addresses of this PC's interfaces to ask on (default all). ``room``: only that room's hubs.
    ``first``: return as soon as one (of ``room``) is resolved."""
    from zeroconf import IPVersion, ServiceBrowser, ServiceListener, Zeroconf

    zeroconf = Zeroconf(interfaces=_interfaces(interfaces), ip_version=IPVersion.V4Only)
    names: list[str] = []
    seen = threading.Event()

    class Listener(ServiceListener):
        def add_service(self, zc: Zeroconf, type_: str, name: str) -> None:
            if name not in names:
                names.append(name)
            seen.set()

        def update_service(self, zc: Zeroconf, type_: str, name: str) -> None:
            self.add_service(zc, type_, name)

        def remove_service(self, zc: Zeroconf, type_: str, name: str) -> None:
            pass

    hubs: dict[str, Hub] = {}
    deadline = time.monotonic() + timeout
    browser = ServiceBrowser(zeroconf, SERVICE_TYPE, Listener())
    try:
        while time.monotonic() < deadline:
            seen.wait(max(0.0, min(0.2, deadline - time.monotonic())))
            seen.clear()
            for name in [n for n in names if n not in hubs]:
                hub = _resolve(zeroconf, name, max(0.2, deadline - time.monotonic()))
                if hub is not None and room in (None, hub.room):
                    hubs[name] = hub
            if first and hubs:
                break
    finally:
        browser.cancel()
        zeroconf.close()
    return sorted(hubs.values(), key=lambda h: (h.room, h.url))


def _resolve(zeroconf: Any, name: str, timeout: float) -> Hub | None:
    info = zeroconf.get_service_info(SERVICE_TYPE, name, timeout=int(timeout * 1000))
    if info is None or not info.port:
        return None
    addresses = tuple(info.parsed_addresses())
    if not addresses:
        return None
    props: dict[bytes, bytes | None] = info.properties
    tls = _text(props, "tls") != "0"
    sessions = tuple(s for s in _text(props, "sessions").split(",") if s)
    return Hub(name=name, url=_url(addresses[0], info.port, tls), addresses=addresses, port=info.port,
               room=_text(props, "room"), sessions=sessions, ca_sha256=_text(props, "ca"),
               version=_text(props, "v"), app_version=_text(props, "app"))

