"""The room hub as a child of the console: ``evalroom hub serve`` on the LAN address of the settings' ``hub_listen``.

:class:`RoomHub` enrolls the console's room key at the hub's data folder (``HOME/hub``), issues the hub's HTTPS
certificate from the room's LAN CA (``app.services.hub_network.hub_serve_options``), and starts the hub with
``--exit-with-parent`` (it ends with the console, however the console ends). :meth:`RoomHub.tick`, on the
console's database thread, restarts a hub that died, exchanges the session with it both ways
(:class:`HubLink`: the console's events reach the hub by its frontier, never through the outbox, which delivers to
the center; the PCs' events reach the console)
and answers the pairing requests waiting there (:meth:`app.services.room.Room.answer_pairings`).

No Qt here: the GUI calls :meth:`tick` from its database worker timer (every second or two).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from app.crypto import room_ca
from app.errors import Bilingual
from app.services import hub_network
from app.services.pairing_desk import PairingOutcome
from app.store.ledger_store import LedgerStore
from app.sync.background import Rounds
from app.sync.client import CenterClient, SyncError
from app.sync.pinning import context_for
from app.sync.puller import Puller
from app.sync.replica import PullResult, ingest_events
from app.sync.worker import Backoff

if TYPE_CHECKING:
    from app.services.room import Room

DEFAULT_PORT = 8765
LOOPBACK = ("127.0.0.1", "::1", "localhost")


class RoomHubError(Bilingual):
    """The hub cannot be started (``zh`` for the console, ``en`` too)."""


def parse_listen(listen: str) -> tuple[str, int]:
    """``HOST:PORT`` (``0.0.0.0:8765``, ``[::]:8765``, ``127.0.0.1:0``; a bare host takes port 8765)."""
    text = listen.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":")
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    else:
        host, port_text = text, ""
    try:
        port = int(port_text) if port_text else DEFAULT_PORT
    except ValueError:
        raise ValueError(f"hub_listen {listen!r}: the port is not a number") from None
    if not host or not 0 <= port <= 65535:
        raise ValueError(f"hub_listen {listen!r}: give HOST:PORT, e.g. 0.0.0.0:{DEFAULT_PORT}")
    return host, port


class Pusher(Rounds):
    """The console's events to its hub by frontier, off the database thread, on a read connection of its own.

    Not through the outbox: the outbox delivers each event (and the archive) once, to the center; the hub is a
    second destination, fed by what its frontier lacks (the merge is a set union, so sending twice is harmless).
    """

    def __init__(self, path: Path, client: CenterClient, session: str, interval: float = 1.0,
                 backoff: Backoff | None = None) -> None:
        super().__init__(client, interval, backoff or Backoff(base=0.5, cap=5.0))
        self.path, self.session = Path(path), session
        self.last_push: str | None = None
        self.pending = 0  # events the hub lacked at the last look
        self._mark = 0  # the events up to this position are held by the hub
        self._rounds = 0

    def push_once(self) -> int:
        """One round: the events the hub lacks, pushed; their number. Raises :class:`SyncError`."""
        from app.ledger.events import from_stored
        from app.store import outbox
        from app.sync.client import CenterRefused

        try:
            frontier = self.client.frontier(self.session)
        except CenterRefused as exc:
            if exc.status != 404:
                raise
            frontier = {}
        self._rounds += 1
        if not frontier or self._rounds % 30 == 0:  # a hub with an empty or restored database: look at all
            self._mark = 0
        db = outbox.connect(self.path)
        try:
            rows = db.execute("SELECT raw, id, alg, sig, author, seq, pos FROM events WHERE pos > ? ORDER BY pos",
                              (self._mark,)).fetchall()
        finally:
            db.close()
        missing = [(from_stored(bytes(raw), i, alg, bytes(sig)).to_record(), pos)
                   for raw, i, alg, sig, author, seq, pos in rows if seq > frontier.get(author, 0)]
        self.pending = len(missing)
        top = max((int(r[6]) for r in rows), default=self._mark)
        problems: list[str] = []
        for start in range(0, len(missing), 500):
            batch = missing[start:start + 500]
            answer = self.client.push_events(self.session, [record for record, _ in batch])
            problems += [f"{r.get('id', '?')[:8]}: {r['reason']}" for r in answer["rejected"]]
            self.pending = max(0, len(missing) - start - len(batch))
        if not problems:
            self._mark = top
        self.last_error = f"评标室服务器拒收 {len(problems)} 个事件 / the hub refused {len(problems)} events: " \
                          f"{problems[0]}" if problems else None
        self.last_push = datetime.now(UTC).isoformat(timespec="seconds")
        return len(missing)

    thread_name = "evalroom-hub-push"

    def round(self) -> bool:
        from app.sync.client import SyncError

        try:
            self.push_once()
        except SyncError as exc:
            self.last_error = str(exc)
            return False
        return True


class HubLink:
    """The console's two-way exchange with its hub: :class:`Pusher` and :class:`app.sync.puller.Puller` threads;
    :meth:`poll` on the database thread ingests what was pulled (the thread that owns the session file)."""

    def __init__(self, url: str, cafile: str, room: str, key: Any, store: LedgerStore, interval: float = 1.0) -> None:
        self.target = (Path(store.path), url)
        self.pusher = Pusher(store.path, CenterClient(url, room, key, verify=cafile, timeout=10.0), store.session_id,
                             interval)
        self.puller = Puller(CenterClient(url, room, key, verify=cafile, timeout=10.0), store.session_id, interval,
                             Backoff(base=0.5, cap=5.0))
        self.pulled = PullResult()
        self.pusher.start()
        self.puller.start()

    def poll(self, store: LedgerStore) -> LinkStatus:
        events = self.puller.take()
        if events:
            batch = PullResult()
            ingest_events(store, events, batch)
            self.pulled.ingested += batch.ingested
            self.pulled.duplicates += batch.duplicates
            self.pulled.problems = batch.problems
        self.puller.offer(store.frontier())
        error = self.pusher.last_error or self.puller.last_error
        if not error and self.pulled.problems:
            error = (f"来自评标室服务器的 {len(self.pulled.problems)} 个事件未通过校验 / {len(self.pulled.problems)} "
                     f"events from the hub do not verify: {self.pulled.problems[0]}")
        return LinkStatus(self.pusher.last_push, self.puller.last_pull, self.pusher.pending, self.pulled.ingested,
                          error)

    def stop(self) -> None:
        self.pusher.stop()
        self.puller.stop()


@dataclass(frozen=True)
class LinkStatus:
    """The console's link with its hub: last push and pull (ISO-8601 UTC), events the hub lacked at the last
    look, events pulled from it so far, the last error (None: fine)."""

    last_push: str | None
    last_pull: str | None
    pending: int
    pulled: int
    error: str | None


@dataclass
class HubTick:
    """One :meth:`RoomHub.tick`: the hub's state, the sync status and what pairing did."""

    alive: bool
    restarted: bool = False
    sync: LinkStatus | None = None
    pairings: list[PairingOutcome] = field(default_factory=list)
    error: str | None = None


def _command() -> list[str]:
    if getattr(sys, "frozen", False):  # the installers' bundle: the executable is evalroom itself
        return [sys.executable]
    return [sys.executable, "-m", "app"]


class RoomHub:
    """The console's hub child process. ``home``: the console's data folder (the hub keeps ``HOME/hub``);
    ``passphrase``: the room key's (the LAN CA's key is under it); ``room``: the room id; ``listen``:
    ``HOST:PORT`` (port 0: any free port; the URL tells which)."""

    def __init__(self, home: Path, passphrase: bytes, room: str, listen: str, *, demo: bool = False,
                 advertise: bool | None = None, restart_wait: float = 2.0,
                 upstream: tuple[str, str | None] | None = None) -> None:
        self.home, self.passphrase, self.room, self.listen = Path(home), passphrase, room, listen
        self.upstream = upstream  # (center URL, its CA file): a remote venue's hub relays to the center
        self.host, self.port = parse_listen(listen)
        self.demo = demo
        self.advertise = advertise if advertise is not None else self.host not in LOOPBACK
        self.data = self.home / "hub"
        self.restart_wait = restart_wait
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self._bound: int | None = None  # the port the hub listens on
        self._last_start = 0.0
        self.link: HubLink | None = None
        self._lan_urls: list[str] | None = None
        self._client: CenterClient | None = None
        self._delivered: set[str] = set()  # report PDFs the hub holds

    @classmethod
    def for_room(cls, room: Room, listen: str | None = None) -> RoomHub | None:
        """The hub of the console ``room`` on ``listen`` (default: the settings' ``hub_listen``); None when off."""
        from app.crypto.passphrases import DEMO_PASSPHRASE

        listen = listen or room.settings.hub_listen
        if not listen:
            return None
        return cls(room.home, room.passphrase, room.room_id, listen, demo=room.passphrase == DEMO_PASSPHRASE)

    # -- the child ------------------------------------------------------------------------------------
    @property
    def cafile(self) -> str:
        """The room's LAN CA (PEM): what the console's own connections to its hub trust."""
        return str(self.home / "keys" / room_ca.CA_PEM)

    @property
    def url(self) -> str:
        """The hub's URL for this PC (loopback when it listens on every address)."""
        if self._bound is None:
            raise RoomHubError(key="hub.not_started")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "localhost") else "::1" if self.host == "::" else self.host
        return f"https://{f'[{host}]' if ':' in host else host}:{self._bound}"

    def lan_urls(self) -> list[str]:
        """The URLs PCs of the room LAN may use (each address the hub's certificate names; kept from the start)."""
        if self._lan_urls is None:
            tls = room_ca.hub_tls(self.home, self.passphrase, self.room, demo=self.demo)
            bound = self._bound or self.port
            names = [n for n in tls.names if self.host in ("0.0.0.0", "::") or n == self.host]
            self._lan_urls = [f"https://{f'[{n}]' if ':' in n else n}:{bound}" for n in names]
        return list(self._lan_urls)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def info(self) -> dict[str, Any] | None:
        """What a check-in desk shows a PC's person: the hub's addresses on the room LAN and the room CA's
        fingerprint to compare on the PC's pairing page (None: the hub is not running)."""
        if not self.alive():
            return None
        return {"url": self.url, "lan_urls": self.lan_urls(), "fingerprint": hub_network.room_ca_fingerprint(self.home),
                "restarts": self.restarts}

    def start(self, timeout: float = 30.0) -> str:
        """Start the hub (or find it running); its URL once it answers."""
        if self.alive():
            return self.url
        from app.center.service import Center, Config
        from app.crypto.keys import VerifyingKey

        public = self.home / "keys" / "room.pub.pem"
        if not public.is_file():
            raise RoomHubError(key="hub.no_room_key", folder=self.home / "keys")
        center = Center(Config.default(self.data, role="hub"))
        try:
            center.enroll(self.room, VerifyingKey.from_pem(public.read_bytes()), replace=True)
        finally:
            center.close()
        tls = hub_network.hub_serve_options(self.home, self.passphrase, self.room, demo=self.demo)
        port_file = self.data / "hub.port"
        port_file.unlink(missing_ok=True)
        args = [*_command(), "hub", "serve", "--data", str(self.data), "--host", self.host,
                "--port", str(self._bound or self.port), "--port-file", str(port_file), *tls, "--room", self.room,
                "--exit-with-parent", str(os.getpid())]
        if self.advertise:
            args.append("--advertise")
        env = None
        if self.upstream is not None:  # the relay signs as this room: its key, the passphrase in the child's env
            url, cafile = self.upstream
            args += ["--upstream", url, "--room-key", str(self.home / "keys" / "room.p12"), "--relay-interval", "1",
                     "--relay-max-wait", "15", *(["--upstream-cafile", cafile] if cafile else [])]
            env = {**os.environ, "EVALROOM_KEY_PASSPHRASE": os.fsdecode(self.passphrase)}
        log = (self.data / "hub.log").open("ab")
        root = Path(__file__).resolve().parents[2]
        self.process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=log, stderr=log, cwd=root, env=env,
                                        start_new_session=True)
        log.close()
        self._last_start = time.monotonic()
        deadline = time.monotonic() + timeout
        while not port_file.is_file() or not port_file.read_text(encoding="utf-8").strip():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = (self.data / "hub.log").read_text(encoding="utf-8", errors="replace")[-600:]
                raise RoomHubError(key="hub.did_not_start", listen=self.listen, log=tail.strip())
            time.sleep(0.05)
        self._bound = int(port_file.read_text(encoding="utf-8"))
        self._lan_urls = None
        while True:  # listening: wait for its first answer over HTTPS (the pinned CA)
            try:
                httpx.get(f"{self.url}/healthz", verify=context_for(self.cafile), timeout=2)
                break
            except httpx.HTTPError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RoomHubError(key="hub.no_answer", url=self.url) from None
                time.sleep(0.1)
        return self.url

    def stop(self, timeout: float = 10.0) -> None:
        if self.link is not None:
            self.link.stop()
            self.link = None
        if self._client is not None:
            self._client.close()
            self._client = None
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        if self.process is not None and self.process.stdin is not None:
            self.process.stdin.close()

    def client(self, key: Any) -> CenterClient:
        """The console's signed client of its hub (the room key ``key``)."""
        if self._client is None or self._client.url != self.url:
            if self._client is not None:
                self._client.close()
            self._client = CenterClient(self.url, self.room, key, verify=self.cafile, timeout=10.0)
        return self._client

    # -- on the console's database thread -------------------------------------------------------------
    def revive(self) -> bool | HubTick:
        """Start a hub that died (at most every ``restart_wait`` s): whether it was restarted, or the tick that
        says it is down."""
        if self.alive():
            return False
        if time.monotonic() - self._last_start < self.restart_wait:
            return HubTick(False, error="评标室服务器已停止，正在重启 / the room hub stopped; restarting")
        try:
            self.start()
        except RoomHubError as exc:
            return HubTick(False, error=str(exc))
        self.restarts += 1
        return True

    def exchange(self, store: LedgerStore, key: Any, lock: AbstractContextManager[Any] | None = None) -> LinkStatus:
        """The session file of ``store`` exchanged with the hub both ways (a :class:`HubLink` for it, made when the
        file or the hub's URL changed), signed by the console's ``key``; what was pulled is ingested under ``lock``
        (a remote venue's replica is written by its sync node's thread too)."""
        if self.link is None or self.link.target != (Path(store.path), self.url):
            if self.link is not None:
                self.link.stop()
            self.link = HubLink(self.url, self.cafile, self.room, key, store)
        with lock or nullcontext():
            return self.link.poll(store)

    def tick(self, room: Room) -> HubTick:
        """Restart a dead hub (at most every ``restart_wait`` s), sync the open session both ways with it and
        answer its pairing requests."""
        restarted = self.revive()
        if isinstance(restarted, HubTick):
            return restarted
        from app.services.room import DeskError

        room.hub_client = self.client(room.key)
        result = HubTick(True, restarted)
        if room.session is not None:
            result.sync = self.exchange(room.session.store, room.key)
            try:
                result.pairings = room.answer_pairings()
            except DeskError as exc:
                result.error = f"{exc.zh} / {exc}"
            self._deliver_reports(room)
            self._deliver_bids(room)
        return result

    def _deliver_reports(self, room: Room) -> None:
        """The report's draft and final PDFs to the hub, once each: a member's own PC shows and signs the very
        draft the console made (the ledger names its SHA-256; the PC checks it)."""
        from app.services.report import ReportDeskError

        state = room.state
        for final, digest in ((False, state.report.draft), (True, state.report.final)):
            if digest is None or digest in self._delivered:
                continue
            try:
                data = room.report_desk.pdf(final)
                self.client(room.key).put_media(state.session or "", digest, data)
            except (SyncError, ReportDeskError, OSError):
                continue  # the next tick tries again
            self._delivered.add(digest)


    def _deliver_bids(self, room: Room) -> None:
        """The bid files to the hub once each, once the bids are opened (not before: an expert's PC gets none of
        them before the opening); each checked against the ledger's SHA-256 as it is read."""
        from app.services.bid_documents import BidFileError, digests, read_checked

        state = room.state
        wanted = digests(state) - self._delivered
        if not wanted:
            return
        for file in room.bid_files():
            if file.sha256 not in wanted or file.sha256 in self._delivered:
                continue
            try:
                self.client(room.key).put_media(state.session or "", file.sha256, read_checked(file))
            except (SyncError, BidFileError):
                continue  # the next tick tries again (a changed file is refused by the reader each time)
            self._delivered.add(file.sha256)


__all__ = ["DEFAULT_PORT", "HubLink", "HubTick", "LinkStatus", "Pusher", "RoomHub", "RoomHubError", "parse_listen"]
