"""The room side of the center protocol, over httpx: every request signed by the room key.

Errors: :class:`Unreachable` (no connection, time-out: retry later) and :class:`CenterRefused` (an HTTP
error with the center's one-line reason). Receipts are checked against the center key, pinned by the caller
or fetched once from ``/v1/center`` (trust on first use, then pinned in a file by ``push``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import ssl
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from app.center import protocol
from app.center.links import H_PENDING
from app.crypto.keys import SigningKey, VerifyingKey
from app.errors import EvalRoomError

CHUNKS_IN_FLIGHT = 3  # archive chunks on the way at once (a cut re-sends at most these)
HELD_BACK = 64 * 1024  # a chunk's last bytes, sent once the chunk before it is acknowledged


class SyncError(EvalRoomError):
    pass


class ChunkAbandoned(SyncError):
    """(internal) A chunk's request given up before its last bytes left: the upload stopped."""


class Unreachable(SyncError):
    """The center could not be reached (connection refused or reset, time-out): try again later."""

    help_key = "sync.unreachable.help"


class CenterRefused(SyncError):
    def __init__(self, status: int, reason: str, body: Any = None) -> None:
        super().__init__(f"center refused ({status}): {reason}")
        self.status, self.reason, self.body = status, reason, body


def check_url(url: str, option: str = "") -> str:
    """``url`` when it is an http:// or https:// URL with a host; a one-line :class:`SyncError` otherwise (naming the
    command line's ``option`` it was given by, e.g. ``--hub``)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in url)
        ok = ok and (parts.port is None or parts.port > 0)  # a port that is no number raises ValueError
    except ValueError:
        ok = False
    if not ok:
        raise SyncError(f"{option + ' ' if option else ''}{url!r} is not an http:// or https:// URL")
    return url


def tls_context(verify: bool | str | ssl.SSLContext = True,
                cert: tuple[str, str] | None = None) -> bool | ssl.SSLContext:
    """The TLS settings of a client: ``verify`` is True (system CAs), False, a CA bundle file (e.g. the center's
    own CA) or a context; ``cert`` = (certificate PEM, private key PEM) presented for mutual TLS."""
    if cert is None:
        return ssl.create_default_context(cafile=verify) if isinstance(verify, str) else verify
    if isinstance(verify, ssl.SSLContext):
        context = verify
    elif verify is False:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    else:
        context = ssl.create_default_context(cafile=verify if isinstance(verify, str) else None)
    try:
        context.load_cert_chain(cert[0], cert[1])
    except (OSError, ssl.SSLError) as exc:
        raise SyncError(f"client certificate {cert[0]} / key {cert[1]}: {exc}") from exc
    return context


class CenterClient:
    """Signed requests to a center or hub as ``room`` (an enrolled room id) with ``key``; a session member (an
    expert workstation) uses :func:`member_client`."""

    def __init__(self, url: str, room: str, key: SigningKey, center_key: VerifyingKey | None = None,
                 verify: bool | str | ssl.SSLContext = True, timeout: float = 30.0, http: httpx.Client | None = None,
                 cert: tuple[str, str] | None = None) -> None:
        self.url = url.rstrip("/")
        self.room, self.key = room, key
        self._center_key = center_key
        # ``http``: an already configured client (tests pass Starlette's TestClient, an httpx.Client too)
        self.http = http or httpx.Client(base_url=self.url, verify=tls_context(verify, cert), timeout=timeout)
        # a member's PC tells the hub how many of its events wait to be sent (display only: links.py)
        self.pending: int | None = None

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> CenterClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing -------------------------------------------------------------------------------
    def request(self, method: str, path: str, payload: Any = None, content: bytes | Iterator[bytes] | None = None,
                headers: dict[str, str] | None = None, signed: bool = True, body_sha256: str | None = None,
                raw: bool = False) -> Any:
        """The answer's JSON (``raw``: its bytes). ``content`` may be an iterator of bytes (streamed; then
        ``body_sha256`` is what a signed request is signed over)."""
        body = content if content is not None else (json.dumps(payload).encode() if payload is not None else b"")
        all_headers = dict(headers or {})
        if payload is not None:
            all_headers["Content-Type"] = "application/json"
        elif content is not None:
            all_headers.setdefault("Content-Type", "application/octet-stream")
        if self.pending is not None:
            all_headers[H_PENDING] = str(self.pending)
        if signed:
            if not isinstance(body, bytes) and body_sha256 is None:
                raise ValueError("a streamed body is signed over its SHA-256: give body_sha256")
            all_headers.update(protocol.sign_request(self.key, self.room, method, path,
                                                     body if isinstance(body, bytes) else b"", body_sha256=body_sha256))
        try:
            response = self.http.request(method, path, content=body, headers=all_headers)
        except httpx.TransportError as exc:
            raise Unreachable(f"{self.url}: {exc.__class__.__name__}: {exc}") from exc
        if response.status_code >= 400:
            try:
                detail = response.json()
                reason = detail.get("error") or detail.get("detail") or response.text
            except ValueError:
                detail, reason = None, response.text
            raise CenterRefused(response.status_code, str(reason)[:500], detail)
        return response.content if raw else response.json()

    @property
    def center_key(self) -> VerifyingKey:
        if self._center_key is None:
            info = self.request("GET", "/v1/center", signed=False)
            self._center_key = VerifyingKey.from_pem(info["public_key"].encode())
        return self._center_key

    def check_receipt(self, receipt: Any) -> dict[str, Any]:
        if not protocol.receipt_valid(receipt, self.center_key):
            raise SyncError("the center's receipt does not verify with the center key")
        return receipt  # type: ignore[no-any-return]

    # -- ledger ---------------------------------------------------------------------------------
    def sessions(self) -> list[str]:
        """The sessions this client may sync (a room's own and those it is a venue of; a member key's)."""
        return self.request("GET", "/v1/sessions")["sessions"]  # type: ignore[no-any-return]

    def frontier(self, session: str) -> dict[str, int]:
        return self.request("GET", f"/v1/sessions/{session}/frontier")["frontier"]  # type: ignore[no-any-return]

    def push_events(self, session: str, records: list[dict[str, Any]]) -> dict[str, Any]:
        result = self.request("POST", f"/v1/sessions/{session}/events", {"records": records})
        self.check_receipt(result["receipt"])
        return result  # type: ignore[no-any-return]

    def links(self, session: str) -> list[dict[str, Any]]:
        """(the session's room) Each paired PC's last contact and pending count at the hub."""
        return self.request("GET", f"/v1/sessions/{session}/links")["links"]  # type: ignore[no-any-return]

    def pull(self, session: str, frontier: dict[str, int], limit: int = 1000) -> dict[str, Any]:
        return self.request("POST", f"/v1/sessions/{session}/pull", {"frontier": frontier, "limit": limit})  # type: ignore[no-any-return]

    # -- media (what events name by SHA-256: a handwritten signature's image and strokes) ----------
    def put_media(self, session: str, digest: str, data: bytes) -> dict[str, Any]:
        """Store a medium at the hub (the center); returns its signed receipt."""
        result = self.request("PUT", f"/v1/sessions/{session}/media/{digest}", content=data)
        return self.check_receipt(result["receipt"])

    def get_media(self, session: str, digest: str) -> bytes:
        """The medium of that SHA-256 (checked here: the bytes must hash to it)."""
        data: bytes = self.request("GET", f"/v1/sessions/{session}/media/{digest}", raw=True)
        if hashlib.sha256(data).hexdigest() != digest:
            raise SyncError(f"media {digest[:12]}: the bytes received do not hash to it")
        return data

    # -- archives -------------------------------------------------------------------------------
    def upload_archive(self, bag: Path, session: str, chunk_size: int = protocol.CHUNK_SIZE,
                       progress: Callable[[int, int], None] | None = None,
                       window: int = CHUNKS_IN_FLIGHT) -> dict[str, Any]:
        """Upload a BagIt bag (resumable: only chunks the center lacks are sent, ``window`` of them in flight);
        return the signed receipt. ``progress(done, total)`` is called as each chunk is acknowledged, in order;
        when it raises, the upload stops there (no chunk after ``done`` is completed at the center)."""
        archive = protocol.archive_id(bag)
        files = protocol.bag_files(bag)
        status = self.request("POST", f"/v1/archives/{archive}",
                              {"session": session, "chunk_size": chunk_size, "files": files})
        if status["status"] == "verified":
            return self.check_receipt(status["receipt"])
        if status["status"] == "rejected":
            raise CenterRefused(422, "archive was refused: " + "; ".join(status["problems"][:3]), status)
        for attempt in range(3):
            try:
                return self._send_chunks(bag, archive, status, progress, window)
            except CenterRefused as exc:  # 409: chunks the center lost or found damaged: send those again
                if exc.status != 409 or attempt == 2:
                    raise
                status = self.request("GET", f"/v1/archives/{archive}")
        raise AssertionError("unreachable")

    def _send_chunks(self, bag: Path, archive: str, status: dict[str, Any],
                     progress: Callable[[int, int], None] | None, window: int) -> dict[str, Any]:
        """The chunks the center lacks, ``window`` in flight: each one's request starts while the ones before
        it are still sent or answered, but its last bytes leave only once the chunk before it is
        acknowledged (and ``progress`` has returned). So the center completes the chunks in order, the
        network never waits for a chunk's tail at the center (hash, row, answer), and a cut or a ``progress``
        that raises abandons at most ``window`` chunks: the ones not yet complete, which the center drops."""
        size = status["chunk_size"]
        listing = status["files"]
        total = sum(max(1, -(-f["size"] // size)) for f in listing)
        done = sum(len(v) for v in status["received"].values())
        wanted = [(index, chunk) for index, entry in enumerate(listing)
                  for chunk in range(max(1, -(-entry["size"] // size)))
                  if chunk not in set(status["received"].get(str(index), []))]

        def load(index: int, chunk: int) -> tuple[bytes, str]:  # read and hash (OpenSSL frees the GIL)
            with (bag / listing[index]["path"]).open("rb") as handle:
                handle.seek(chunk * size)
                data = handle.read(size)
            return data, hashlib.sha256(data).hexdigest()

        cancelled = threading.Event()
        flight: deque[tuple[Future[Any], threading.Event]] = deque()
        with ThreadPoolExecutor(1) as reader, ThreadPoolExecutor(max(1, window)) as senders:
            upcoming = reader.submit(load, *wanted[0]) if wanted else None  # read and hashed while others go
            position = 0
            try:
                while position < len(wanted) or flight:
                    while position < len(wanted) and len(flight) < max(1, window):
                        assert upcoming is not None
                        data, digest = upcoming.result()
                        upcoming = reader.submit(load, *wanted[position + 1]) if position + 1 < len(wanted) else None
                        gate = threading.Event()
                        if not flight:
                            gate.set()
                        index, chunk = wanted[position]
                        flight.append((senders.submit(self._put_chunk, archive, index, chunk, data, digest, gate,
                                                      cancelled), gate))
                        position += 1
                    answer, _ = flight.popleft()
                    answer.result()
                    done += 1
                    if progress:
                        progress(done, total)
                    if flight:
                        flight[0][1].set()  # the next chunk may end now
            except BaseException:
                cancelled.set()
                for _, gate in flight:
                    gate.set()
                for answer, _ in flight:
                    with contextlib.suppress(BaseException):  # abandoned: the center drops what is incomplete
                        answer.result()
                raise
        final = self.request("POST", f"/v1/archives/{archive}/complete")
        return self.check_receipt(final["receipt"])

    def _put_chunk(self, archive: str, index: int, chunk: int, data: bytes, digest: str, gate: threading.Event,
                   cancelled: threading.Event) -> Any:
        cut = max(0, len(data) - HELD_BACK)

        def body() -> Iterator[bytes]:
            if cut:
                yield data[:cut]
            gate.wait()
            if cancelled.is_set():
                raise ChunkAbandoned(f"chunk {chunk} of file {index} abandoned")
            yield data[cut:]

        # signed over the chunk's SHA-256 (the header's): the center checks the room before the body
        return self.request("PUT", f"/v1/archives/{archive}/files/{index}/chunks/{chunk}", content=body(),
                            headers={protocol.H_CHUNK_SHA: digest, "Content-Length": str(len(data))},
                            body_sha256=digest)


def member_client(url: str, key: SigningKey, **options: Any) -> CenterClient:
    """A client signing as a session member (``key:KEY_ID``): an expert's check-in key at the room hub."""
    return CenterClient(url, protocol.MEMBER_PREFIX + key.key_id, key, **options)
