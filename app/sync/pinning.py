"""The room hub's CA, pinned by a PC on its first pairing and required of every connection afterwards.

First pairing (:func:`pinned_context` with ``first_use=True`` and nothing pinned yet): the PC fetches
``GET /v1/room-ca`` over the hub's TLS connection without checking it (nothing is trusted yet), checks that the
hub's certificate is issued by that CA for the address used (a second, verified connection), and keeps the
CA certificate in its data folder (``hub-ca.pem`` and ``hub-ca.json``). Its :func:`fingerprint` is what a
person compares with the one the check-in desk shows. From then on every connection verifies the hub against
the pinned CA only (no system CAs). A hub presenting a certificate from another CA is refused with
:class:`PinMismatch`, naming both fingerprints; the pin is never replaced silently (deleting ``hub-ca.pem`` and
pairing again is the person's decision).
"""

from __future__ import annotations

import json
import socket
import ssl
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature

from app.center.room_ca import ROUTE
from app.crypto.room_ca import fingerprint, sha256_hex
from app.durable import write_private
from app.errors import Bilingual
from app.sync.client import SyncError, Unreachable, check_url

PIN_PEM, PIN_JSON = "hub-ca.pem", "hub-ca.json"

__all__ = ["Pin", "PinError", "PinMismatch", "check_hub", "context_for", "fetch_room_ca", "fingerprint",
           "pin_path", "pinned", "pinned_context"]


class PinError(Bilingual, SyncError):
    """A refusal in Chinese and English (``zh``, ``en``); ``str()`` is the English one."""


class PinMismatch(PinError):
    """The hub's certificate is not from the pinned CA: ``pinned`` and ``presented`` are the fingerprints."""

    help_key = "pin.mismatch.help"

    def __init__(self, pinned: str, presented: str, path: Path) -> None:
        super().__init__(
            f"评标室集线服务出示的证书不是本机配对时固定的评标室根证书签发的：已固定 {pinned}，对方 {presented}。"
            f"已拒绝连接，固定的证书未更改；如评标室确已更换根证书，请核对指纹后删除本机的 {path.name} 并重新配对",
            f"the hub's certificate is not issued by the room CA this PC pinned when it paired: pinned {pinned}, "
            f"presented {presented}. The connection is refused and the pin is unchanged; if the room really has a "
            f"new CA, compare the fingerprints, delete {path.name} on this PC and pair again")
        self.pinned, self.presented = pinned, presented


@dataclass(frozen=True)
class Pin:
    path: Path  # the pinned CA certificate (PEM): ``cafile`` for clients
    sha256: str
    fingerprint: str
    hub_url: str  # the hub it was first fetched from
    pinned_at: str


def pin_path(home: Path) -> Path:
    return Path(home) / PIN_PEM


def pinned(home: Path) -> Pin | None:
    """The pinned CA of the PC whose data folder is ``home`` (None: never paired)."""
    path = pin_path(home)
    if not path.is_file():
        return None
    pem = path.read_bytes()
    try:
        meta = json.loads((Path(home) / PIN_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    return Pin(path, sha256_hex(pem), fingerprint(pem), str(meta.get("hub_url", "")), str(meta.get("pinned_at", "")))


def context_for(cafile: Path | str) -> ssl.SSLContext:
    """A client context that trusts the CA(s) in ``cafile`` and nothing else, host names checked."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # check_hostname and CERT_REQUIRED; no default CAs
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_verify_locations(cafile=str(cafile))
    return context


def _unverified() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return context


def _https(hub_url: str) -> tuple[str, int]:
    try:
        check_url(hub_url)
    except SyncError as exc:
        raise PinError(key="pin.bad_url", url=repr(hub_url), exc=exc) from exc
    parts = urlsplit(hub_url)
    if parts.scheme != "https" or parts.hostname is None:
        raise PinError(key="pin.needs_https", hub_url=hub_url)
    return parts.hostname, parts.port or 443


def fetch_room_ca(hub_url: str, context: ssl.SSLContext | None = None, timeout: float = 10.0) -> bytes:
    """The CA certificate (PEM) the hub publishes at ``/v1/room-ca``; ``context`` None: unverified (first use)."""
    _https(hub_url)
    try:
        response = httpx.get(hub_url.rstrip("/") + ROUTE, verify=context or _unverified(), timeout=timeout)
    except httpx.TransportError as exc:
        raise Unreachable(f"{hub_url}: {exc.__class__.__name__}: {exc}") from exc
    if response.status_code != 200:
        raise PinError(key="pin.no_ca", hub_url=hub_url, status=response.status_code, body=response.text[:200])
    try:
        pem = str(response.json()["pem"]).encode("ascii")
        cert = x509.load_pem_x509_certificate(pem)
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except (ValueError, KeyError, TypeError, UnicodeError, x509.ExtensionNotFound) as exc:
        raise PinError(key="pin.ca_unreadable", hub_url=hub_url, exc=exc) from exc
    if not constraints.ca:
        raise PinError(key="pin.not_a_ca", hub_url=hub_url)
    return pem


def _handshake(hub_url: str, context: ssl.SSLContext, timeout: float) -> bytes:
    """The hub's certificate (DER) after a TLS handshake with ``context``; ssl errors propagate."""
    host, port = _https(hub_url)
    try:
        raw = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        raise Unreachable(f"{hub_url}: {exc.__class__.__name__}: {exc}") from exc
    with raw, context.wrap_socket(raw, server_hostname=host) as tls:
        return tls.getpeercert(binary_form=True) or b""


def _presented(hub_url: str, timeout: float) -> str:
    """How to name what the hub presents: the fingerprint of the CA it publishes when its certificate is issued
    by that CA, else the fingerprint of the certificate itself."""
    leaf_der = _handshake(hub_url, _unverified(), timeout)
    leaf = x509.load_der_x509_certificate(leaf_der)
    try:
        ca_pem = fetch_room_ca(hub_url, timeout=timeout)
        leaf.verify_directly_issued_by(x509.load_pem_x509_certificate(ca_pem))
        return fingerprint(ca_pem)
    except (SyncError, ValueError, TypeError, InvalidSignature):
        from cryptography.hazmat.primitives import serialization

        pem = leaf.public_bytes(serialization.Encoding.PEM)
        return f"{fingerprint(pem)} ({leaf.issuer.rfc4514_string()})"


def check_hub(home: Path, hub_url: str, timeout: float = 10.0) -> Pin:
    """Connect to the hub with the pinned CA: the pin when the hub's certificate verifies. :class:`PinMismatch`
    when it is from another CA; :class:`PinError` when it is from the pinned CA but does not name the address
    used; :class:`Unreachable` when no connection can be made; :class:`PinError` when nothing is pinned."""
    pin = pinned(home)
    if pin is None:
        raise PinError(key="pin.not_paired", file=pin_path(home).name)
    try:
        _handshake(hub_url, context_for(pin.path), timeout)
    except ssl.SSLCertVerificationError as exc:
        presented = _presented(hub_url, timeout)
        if presented == pin.fingerprint:
            raise PinError(key="pin.host_not_named", host=urlsplit(hub_url).hostname,
                           reason=exc.verify_message) from exc
        raise PinMismatch(pin.fingerprint, presented, pin.path) from exc
    except (ssl.SSLError, OSError) as exc:
        raise Unreachable(f"{hub_url}: {exc.__class__.__name__}: {exc}") from exc
    return pin


def pinned_context(home: Path, hub_url: str, *, first_use: bool, expected_sha256: str | None = None,
                   timeout: float = 10.0) -> ssl.SSLContext:
    """The client TLS context for the hub, trusting the pinned room CA only.

    ``first_use`` (pairing): with nothing pinned, fetch the hub's CA, check that the hub's certificate is
    issued by it, pin it, and return its context; with a pin, check the hub against it (:func:`check_hub`:
    :class:`PinMismatch` for another CA). ``expected_sha256``: the CA's SHA-256 a person or the mDNS TXT
    record gave; another CA is refused before anything is pinned. Without ``first_use`` no connection is made:
    the pinned CA's context, or :class:`PinError` when this PC never paired."""
    pin = pinned(home)
    if pin is not None:
        if first_use:
            check_hub(home, hub_url, timeout)
        return context_for(pin.path)
    if not first_use:
        raise PinError(key="pin.pair_first", file=pin_path(home).name)
    pem = fetch_room_ca(hub_url, timeout=timeout)
    digest = sha256_hex(pem)
    if expected_sha256:  # as people read it off the desk (``BA6A FD58 …``: its first 128 bits) or the full hex
        expected_sha256 = "".join(ch for ch in expected_sha256 if ch not in " :-").lower()
    if expected_sha256 and not (len(expected_sha256) >= 32 and digest.startswith(expected_sha256)):
        raise PinError(key="pin.not_expected", hub_url=hub_url, fingerprint=fingerprint(pem),
                       expected=expected_sha256.lower()[:32])
    candidate = Path(home) / (PIN_PEM + ".new")
    write_private(candidate, pem)
    try:
        try:
            _handshake(hub_url, context_for(candidate), timeout)
        except ssl.SSLCertVerificationError as exc:
            raise PinError(key="pin.not_issued_by_ca", hub_url=hub_url, reason=exc.verify_message) from exc
        except (ssl.SSLError, OSError) as exc:
            raise Unreachable(f"{hub_url}: {exc.__class__.__name__}: {exc}") from exc
        meta = {"hub_url": hub_url, "sha256": digest, "fingerprint": fingerprint(pem),
                "pinned_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        write_private(Path(home) / PIN_JSON, (json.dumps(meta, ensure_ascii=False, indent=1) + "\n").encode())
        write_private(pin_path(home), pem)  # last: the pin exists once it is complete
    finally:
        candidate.unlink(missing_ok=True)
    return context_for(pin_path(home))

