"""Pairing an expert's (or supervisor's) own PC with the room hub, by the one-time code of the check-in desk.

:func:`pair` makes the seat's private key on this PC (it never leaves it: only the public half and signatures
are sent), asks the hub with the code's proof (``app.center.pairing_protocol``; the hub never sees the code),
waits for the console's offer signed by the room key, countersigns the check-in binding and waits until the hub
holds the check-in event. It then keeps the key encrypted in the seat folder (:func:`app.services.paired.key_path`,
0600) and a seat file beside it, and returns the :class:`~app.services.paired.Paired` seat. :func:`load_seat`
opens the most recent seat again (a restart). Every refusal is a :class:`PairingRefused` in Chinese and English.

Blocking (up to ``timeout`` seconds): the GUI calls it off its GUI thread.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from app.center import pairing_protocol as wire
from app.crypto.certs import CertKey
from app.crypto.keys import KeyFileError, SigningKey
from app.durable import write_private
from app.errors import EXIT_INVALID, Bilingual
from app.ledger import certified
from app.ledger.authors import key_from_json, key_to_json, sign_binding
from app.services.paired import EXPERT, ROLES, SUPERVISOR, Paired, key_path, seat_folder

SEAT_FILE = "seat.json"
PENDING_KEY = "member.pending.p12"  # the key while the console records its check-in (then moved to key_path)

__all__ = ["EXPERT", "SUPERVISOR", "PairingRefused", "SEAT_FILE", "load_seat", "pair", "seat_file", "seats"]


class PairingRefused(Bilingual):
    """The pairing did not happen: ``zh`` for the person at the PC, ``en`` too (the command line exits 1)."""

    exit_code = EXIT_INVALID


class _Lost(PairingRefused):
    """The hub could not be reached, or forgot the request (it restarted): the same request is posted again."""


class _Gone(_Lost):
    """The hub does not know the request (it restarted, its memory is gone)."""


def seat_file(home: Path, session: str) -> Path:
    return seat_folder(home, session) / SEAT_FILE


class _Hub:
    """The few plain HTTP calls of a pairing PC (no request signing: the proof and the binding are the PC's)."""

    def __init__(self, url: str, verify: Any, timeout: float) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, verify=verify, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def call(self, method: str, path: str, payload: Any = None) -> dict[str, Any]:
        try:
            response = self.http.request(method, path, json=payload)
        except httpx.TransportError as exc:
            raise _Lost(key="pairing.hub_lost", url=self.url, kind=exc.__class__.__name__, exc=exc) from exc
        try:
            body = response.json()
        except ValueError:
            body = {"error": response.text[:300]}
        if response.status_code >= 400:
            reason = str(body.get("error") or body.get("detail") or response.reason_phrase)
            if body.get("reason_zh"):
                raise PairingRefused(str(body["reason_zh"]), str(body.get("reason_en") or reason))
            if response.status_code == 404 and path.startswith("/v1/pairing/requests/"):
                raise _Gone(key="pairing.request_gone", url=self.url)
            if response.status_code == 404:
                raise PairingRefused(key="pairing.not_a_hub", url=self.url, reason=reason)
            raise PairingRefused(key="pairing.hub_refused", url=self.url, status_code=response.status_code,
                                 reason=reason)
        if not isinstance(body, dict):
            raise PairingRefused(key="pairing.unexpected_answer", url=self.url, body=f"{body!r:.100}")
        return body


def _tls(home: Path, hub_url: str, verify: bool, ca_fingerprint: str | None = None) -> tuple[Any, str | None]:
    """The TLS settings for the hub and the pinned CA file (``Paired.cafile``). ``ca_fingerprint``: the room CA's
    fingerprint the check-in desk shows (``BA6A FD58 …``) or its SHA-256: checked before anything is pinned."""
    if urlsplit(hub_url).scheme != "https":
        return True, None  # plain http:// (a test loopback): nothing to pin
    if not verify:
        return False, None
    from app.services import hub_network
    from app.sync.client import SyncError
    from app.sync.pinning import pinned

    try:
        expected = None
        if ca_fingerprint and pinned(home) is None:
            offered = hub_network.offer(hub_url)
            given = "".join(ca_fingerprint.split()).lower()
            if given not in (offered.sha256, "".join(offered.fingerprint.split()).lower()):
                raise PairingRefused(key="pairing.ca_mismatch", hub_url=hub_url, fingerprint=offered.fingerprint,
                                     ca_fingerprint=ca_fingerprint)
            expected = offered.sha256
        hub_network.pin(home, hub_url, expected)
        context = hub_network.hub_context(home, hub_url)
    except hub_network.PinError as exc:
        raise PairingRefused.recast(exc) from exc
    except SyncError as exc:
        raise PairingRefused(key="pairing.hub_unreachable", hub_url=hub_url, exc=exc) from exc
    return context, hub_network.cafile(home)


def pair(home: Path, hub_url: str, code: str, passphrase: bytes, *, role: str = EXPERT, name: str | None = None,
         verify: bool = True, timeout: float = 60, poll: float = 0.3, ca_fingerprint: str | None = None,
         on_status: Callable[[str], None] | None = None, cert: CertKey | None = None) -> Paired:
    """Pair this PC (data folder ``home``) with the hub at ``hub_url`` by the desk's one-time ``code``.

    ``role``: ``expert`` (the code of the member's check-in) or ``supervisor`` (``Room.issue_supervisor_code``);
    ``name``: shown to the console (the code decides who is seated). ``verify``: an https:// hub is pinned to the
    room CA on first pairing and checked against the pin afterwards (``app.services.hub_network``); False only
    for tests; ``ca_fingerprint``: the room CA's fingerprint as the desk shows it, required of the hub before a
    first pin (a pinned PC checks the hub against its pin). ``on_status`` sees each status of the hub (pending,
    offered, countersigned, recording, bound). ``cert``: the expert's certificate (``app.services.certificates``:
    a PKCS#12 file's or a USB key's): it signs the binding of this PC's key to the member (``app.ledger.certified``),
    sent with the countersignature; the console checks it against its trust store and refuses the check-in naming
    the certificate and the reason (:class:`PairingRefused`); then it co-signs the member's acts (``Paired.cert``)."""
    home = Path(home)
    if role not in ROLES:
        raise PairingRefused(key="pairing.unknown_role", role=role, role_repr=repr(role), roles=", ".join(ROLES))
    digits = wire.normalize_code(code)
    if not (len(digits) == 6 and digits.isdigit()):
        raise PairingRefused(key="pairing.bad_code")
    if not passphrase:
        raise PairingRefused(key="pairing.no_passphrase")
    url = hub_url.rstrip("/")
    verify_tls, cafile = _tls(home, url, verify, ca_fingerprint)
    key = SigningKey.generate()  # made here; only its public half leaves this PC
    request = wire.make_request(digits, role, key.public, name)
    hub = _Hub(url, verify_tls, timeout=min(10.0, timeout))
    deadline = time.monotonic() + timeout
    saved: Path | None = None
    try:
        rid = str(hub.call("POST", "/v1/pairing/requests", request)["request_id"])  # unreachable: said at once
        while True:
            try:
                answer = _wait(hub, rid, ("pending",), deadline, poll, on_status)
                offer = _check_offer(answer, request, key, role, cafile)
                session, member = str(offer["session"]), str(offer["member"])
                pending = seat_folder(home, session) / PENDING_KEY
                if saved != pending:
                    key.save(pending, passphrase)  # kept before the console binds it: a crash loses no bound key
                    saved = pending
                if answer.get("status") == "offered":  # (asked again after a dropped LAN: countersigned already)
                    body: dict[str, Any] = {"binding": sign_binding(key, session, member)}
                    if cert is not None and role == EXPERT:
                        body["certificate"] = certified.record(
                            cert, certified.checkin_message(session, member, key.key_id, cert.cert))
                    hub.call("POST", f"/v1/pairing/requests/{rid}/binding", body)
                bound = _wait(hub, rid, ("offered", "countersigned", "recording"), deadline, poll, on_status)
                break
            except _Lost as lost:  # the LAN dropped: ask again; the hub restarted: the same request again (the
                if time.monotonic() > deadline:  # console resumes its offer for it)
                    raise
                time.sleep(max(poll, 0.5))
                if isinstance(lost, _Gone):
                    try:
                        rid = str(hub.call("POST", "/v1/pairing/requests", request)["request_id"])
                    except _Lost:
                        continue
    finally:
        hub.close()
    if bound.get("status") != "bound":
        raise PairingRefused(key="pairing.unexpected_status", status=repr(bound.get("status")))
    key.save(key_path(home, session), passphrase)
    for suffix in ("", ".kdf.json", ".pub.pem"):
        Path(str(pending.with_suffix("")) + (suffix or ".p12")).unlink(missing_ok=True)
    bound_cert = cert if role == EXPERT else None
    seated = Paired(url, session, member, role, str(offer.get("name") or member), key, cafile, cert=bound_cert,
                    cert_subject=bound_cert.cert.subject.rfc4514_string() if bound_cert is not None else None,
                    cert_sha256=certified.cert_sha256(bound_cert.cert) if bound_cert is not None else None)
    seat = {"hub_url": url, "session": session, "member": member, "role": role, "name": seated.name,
            "cafile": cafile, "key_id": key.key_id, "event": bound.get("event"), "room": offer.get("room"),
            "room_key": answer.get("room_key"), "paired_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
    if bound_cert is not None:  # which certificate co-signs this seat's acts (opened again after a restart)
        seat["certificate"] = {"subject": bound_cert.cert.subject.rfc4514_string(),
                               "sha256": certified.cert_sha256(bound_cert.cert)}
    write_private(seat_file(home, session), (json.dumps(seat, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return seated


def _wait(hub: _Hub, rid: str, waiting: tuple[str, ...], deadline: float, poll: float,
          on_status: Callable[[str], None] | None) -> dict[str, Any]:
    """Poll the request until its status is not one of ``waiting``; a refusal raises."""
    last = None
    while True:
        answer = hub.call("GET", f"/v1/pairing/requests/{rid}")
        status = str(answer.get("status"))
        if on_status is not None and status != last:
            on_status(status)
        last = status
        if status == "refused":
            refusal = answer.get("refusal") or {}
            raise PairingRefused(str(refusal.get("reason_zh") or "主控台拒绝了配对"),
                                 str(refusal.get("reason_en") or "the console refused the pairing"))
        if status not in waiting:
            return answer
        if time.monotonic() > deadline:
            what = "应答" if status == "pending" else "记录签到"
            raise PairingRefused(f"主控台未及时{what}（评标室服务器 {hub.url}），请确认主控台已开启后重试",
                                 f"the console did not {'answer' if status == 'pending' else 'record the check-in'}"
                                 f" in time (room hub {hub.url}): check that the console runs, then try again")
        time.sleep(poll)


def _check_offer(answer: dict[str, Any], request: dict[str, Any], key: SigningKey, role: str,
                 cafile: str | None) -> dict[str, Any]:
    """The console's offer, when it is signed by the room key the hub names and answers this very request."""
    bad = PairingRefused("主控台的应答未通过验证（签名或内容不符），已拒绝配对",
                         "the console's offer does not verify (signature or content): pairing refused")
    try:
        room_key = key_from_json(answer.get("room_key"))
    except ValueError:
        raise bad from None
    signed = answer.get("offer")
    if not wire.offer_valid(signed, room_key):
        raise bad
    assert isinstance(signed, dict)
    offer = signed["offer"]
    if not isinstance(offer, dict):
        raise bad
    expected = {"request_id": answer.get("request_id"), "nonce": request["nonce"], "code_id": request["code_id"],
                "key": key_to_json(key.public), "role": role}
    if any(offer.get(k) != v for k, v in expected.items()) or not offer.get("session") or not offer.get("member"):
        raise bad
    if cafile is not None and offer.get("ca_fingerprint"):
        from app.crypto.room_ca import fingerprint

        pinned = fingerprint(Path(cafile).read_bytes())
        if pinned != offer["ca_fingerprint"]:
            raise PairingRefused(key="pairing.console_ca_mismatch", offered=offer["ca_fingerprint"], pinned=pinned)
    return offer


def seats(home: Path) -> list[dict[str, Any]]:
    """The seat files of this PC, the most recent first."""
    found = []
    for path in (Path(home) / "seats").glob(f"*/{SEAT_FILE}"):
        try:
            seat = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(seat, dict) and seat.get("session") and seat.get("member") and seat.get("role") in ROLES:
            found.append(seat)
    return sorted(found, key=lambda s: str(s.get("paired_at", "")), reverse=True)


def load_seat(home: Path, passphrase: bytes) -> Paired | None:
    """The most recent seat of this PC with its key (None: never paired). ``KeyFileError``: wrong passphrase."""
    for seat in seats(home):
        path = key_path(home, str(seat["session"]))
        if not path.is_file():
            continue
        key = SigningKey.load(path, passphrase)
        if seat.get("key_id") and key.key_id != seat["key_id"]:
            raise KeyFileError(f"{path}: not the key this seat was paired with")
        bound = seat.get("certificate") if isinstance(seat.get("certificate"), dict) else None
        return Paired(str(seat["hub_url"]), str(seat["session"]), str(seat["member"]), str(seat["role"]),
                      str(seat.get("name") or seat["member"]), key, seat.get("cafile") or None,
                      cert_subject=str(bound["subject"]) if bound else None,
                      cert_sha256=str(bound.get("sha256") or "") or None if bound else None)
    return None
