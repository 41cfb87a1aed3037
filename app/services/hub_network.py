"""The room LAN for the console, the pairing and the GUI: the hub's HTTPS files, the room CA's fingerprint, finding
the hub and pinning its CA. Thin calls over ``app.crypto.room_ca``, ``app.sync.pinning`` and
``app.sync.discovery`` (the GUI reaches them only through here).

Console: :func:`hub_serve_options` before starting ``hub serve`` (the certificate is issued again when the
PC's addresses changed), :func:`room_ca_fingerprint` for the check-in desk. Expert's or supervisor's PC:
:func:`find_hubs` (the settings' ``hub_url``, else mDNS), :func:`offer` (the CA a hub presents, not trusted
yet, for the person to compare), :func:`pin` (first pairing), :func:`hub_context` (every later connection).
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

from app.crypto import room_ca
from app.sync import discovery, pinning
from app.sync.client import SyncError

PinError, PinMismatch = pinning.PinError, pinning.PinMismatch


@dataclass(frozen=True)
class HubChoice:
    """A hub a PC may pair with: from the settings (``source == "settings"``) or found by mDNS."""

    url: str
    source: str  # "settings" or "mdns"
    room: str = ""
    sessions: tuple[str, ...] = ()
    ca_sha256: str = ""  # what the mDNS TXT record says (a hint: the pin decides)


@dataclass(frozen=True)
class Offer:
    """The room CA a hub presents before anything is trusted: what the person compares with the desk's."""

    url: str
    sha256: str
    fingerprint: str


def hub_serve_options(home: Path, passphrase: bytes, room: str, demo: bool = False) -> list[str]:
    """``hub serve`` options for HTTPS with the room's LAN CA of the console data folder ``home``:
    ``--tls-cert … --tls-key … --room-ca …`` (the CA made on first use, the certificate issued when missing,
    when this PC's addresses changed or near its end)."""
    tls = room_ca.hub_tls(home, passphrase, room, demo=demo)
    return ["--tls-cert", str(tls.cert), "--tls-key", str(tls.key), "--room-ca", str(tls.ca)]


def room_ca_fingerprint(home: Path) -> str | None:
    """The console's room CA fingerprint as people compare it (``BA6A FD58 …``); None before the CA exists."""
    path = Path(home) / "keys" / room_ca.CA_PEM
    return room_ca.fingerprint(path.read_bytes()) if path.is_file() else None


def find_hubs(hub_url: str | None, timeout: float = 3.0, room: str | None = None) -> list[HubChoice]:
    """The hub of the settings (``hub_url``), or else the hubs that answer on the LAN within ``timeout`` s (none:
    an empty list; several: the person chooses). Blocks for up to ``timeout``: call it off the GUI thread."""
    if hub_url:
        return [HubChoice(hub_url.rstrip("/"), "settings")]
    return [HubChoice(h.url, "mdns", h.room, h.sessions, h.ca_sha256)
            for h in discovery.browse(timeout, room=room)]


def offer(hub_url: str, timeout: float = 10.0) -> Offer:
    """The room CA the hub at ``hub_url`` publishes (fetched without trusting anything; nothing is stored)."""
    pem = pinning.fetch_room_ca(hub_url, timeout=timeout)
    return Offer(hub_url, room_ca.sha256_hex(pem), room_ca.fingerprint(pem))


def pin(home: Path, hub_url: str, expected_sha256: str | None = None, timeout: float = 10.0) -> str:
    """First pairing: pin the hub's room CA in the PC's data folder ``home`` (only the one of
    ``expected_sha256`` when given, e.g. the :class:`Offer` the person accepted); with a pin already, check the
    hub against it. Returns the pinned CA's fingerprint; :class:`PinMismatch` for a hub from another CA."""
    pinning.pinned_context(home, hub_url, first_use=True, expected_sha256=expected_sha256, timeout=timeout)
    found = pinning.pinned(home)
    assert found is not None
    return found.fingerprint


def cafile(home: Path) -> str | None:
    """The pinned CA's file (``Paired.cafile``); None when this PC never paired."""
    found = pinning.pinned(home)
    return str(found.path) if found is not None else None


def hub_context(home: Path, hub_url: str) -> ssl.SSLContext:
    """The TLS context for every connection after pairing: the pinned room CA only (no network here)."""
    return pinning.pinned_context(home, hub_url, first_use=False)


def explain(home: Path, hub_url: str, timeout: float = 5.0) -> str | None:
    """Why a connection to the hub failed, when it is the certificate (another CA: both fingerprints named);
    None when the hub verifies or cannot be reached."""
    try:
        pinning.check_hub(home, hub_url, timeout)
    except pinning.PinError as exc:
        return str(exc)
    except SyncError:
        return None
    return None
