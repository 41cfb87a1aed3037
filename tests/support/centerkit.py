"""Center tests: simulated rooms, BagIt bags, and real center / SeaweedFS processes on 127.0.0.1."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CASES = {"room-a": "engineering-lowest-price.json", "room-b": "procurement-goods-comprehensive.json"}


_GIVEN: set[int] = set()


def free_port() -> int:
    """A loopback port nothing listens on, chosen by the kernel (so tests running beside each other in other
    processes get other ones), and never the same twice in this process: the socket is closed before the server
    binds it, so without that a second call (SeaweedFS wants ten ports at once) could get the first one again."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in _GIVEN:
            _GIVEN.add(port)
            return port


def simulate_room(tmp: Path, room: str, case: str | None = None) -> Path:
    """A room's finished session folder (written by simulate), with a cheap key KDF for speed."""
    from app.services.simulate import simulate

    out = tmp / room
    simulate(EXAMPLES / (case or CASES[room]), out, room=room, kdf_rounds=1000)
    return out


def build_real_archive(room_folder: Path) -> Path:
    """The room's real archive (issue #6's builder) in ROOM/archive."""
    from app.services.archive import build_archive

    build_archive(room_folder, room_folder / "archive", passphrase=b"evalroom-demo")
    return room_folder / "archive"


def make_bag(folder: Path, payload: dict[str, bytes]) -> Path:
    """A minimal BagIt bag (RFC 8493) with SHA-256 manifests."""
    folder.mkdir(parents=True)
    for name, data in payload.items():
        target = folder / "data" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (folder / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8")
    (folder / "bag-info.txt").write_text(f"Payload-Oxum: {sum(map(len, payload.values()))}.{len(payload)}\n",
                                         encoding="utf-8")
    lines = [f"{hashlib.sha256(d).hexdigest()}  data/{n}" for n, d in sorted(payload.items())]
    (folder / "manifest-sha256.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tags = [f"{hashlib.sha256((folder / t).read_bytes()).hexdigest()}  {t}"
            for t in ("bag-info.txt", "bagit.txt", "manifest-sha256.txt")]
    (folder / "tagmanifest-sha256.txt").write_text("\n".join(tags) + "\n", encoding="utf-8")
    return folder


OBSERVER = "status-observer"


def enroll_observer(data: Path, db: str | None = None, name: str = OBSERVER) -> Any:
    """An observer (the supervision platform) enrolled at the center or hub of ``data``: the signing key of the
    only kind of caller the center shows its status (``GET /v1/status``) to."""
    from app.center.service import Center, Config
    from app.crypto.keys import SigningKey

    key = SigningKey.generate()
    center = Center(Config.default(data, db))
    try:
        center.enroll(name, key.public, "observer")
    finally:
        center.close()
    return key


def status(url: str, key: Any, name: str = OBSERVER, verify: Any = True) -> dict[str, Any]:
    """``GET /v1/status`` signed by an enrolled observer's ``key``."""
    from app.center import protocol

    headers = protocol.sign_request(key, name, "GET", "/v1/status", b"")
    response = httpx.get(f"{url}/v1/status", headers=headers, verify=verify, timeout=30)
    response.raise_for_status()
    return response.json()  # type: ignore[no-any-return]


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT, env={**os.environ, **(env or {})})


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    url: str
    port: int
    log: Path

    def stop(self, kill: bool = False) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def start_server(data: Path, *extra: str, role: str = "center", port: int | None = None, scheme: str = "http",
                 cafile: str | None = None, env: dict[str, str] | None = None, timeout: float = 30) -> Server:
    """``evalroom center serve`` (or ``hub serve``) as a separate process; returns once /healthz answers."""
    data.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = data / f"{role}-{port}.log"
    handle = log.open("wb")
    command = [sys.executable, "-m", "app", role, "serve", "--data", str(data), "--port", str(port), *extra]
    proc = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT,
                            env={**os.environ, **(env or {})})
    url = f"{scheme}://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{role} exited {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            verify = ssl.create_default_context(cafile=cafile) if cafile else True
            if httpx.get(f"{url}/healthz", verify=verify, timeout=1).status_code == 200:
                return Server(proc, url, port, log)
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"{role} did not answer within {timeout} s: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.1)


def weed_binary() -> str | None:
    candidate = Path(sys.executable).parent / "weed"
    return str(candidate) if candidate.is_file() else shutil.which("weed")


@dataclass
class Weed:
    proc: subprocess.Popen[bytes]
    endpoint: str

    def stop(self) -> None:  # SIGTERM shutdown of weed is slow: give it 3 s, then SIGKILL by pid
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def start_weed(folder: Path, timeout: float = 60) -> Weed:
    """SeaweedFS ``weed mini`` serving S3 on a free loopback port (every other port free and loopback too)."""
    binary = weed_binary()
    assert binary, "weed not installed"
    folder.mkdir(parents=True, exist_ok=True)
    ports = {name: free_port() for name in ("master", "volume", "filer", "s3", "admin")}
    grpc = {name: free_port() for name in ports}
    args = [binary, "mini", f"-dir={folder}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-webdav=false", "-admin.ui=false",
            "-s3.port.iceberg=0", "-s3.port.lance=0"]
    for name in ports:
        args += [f"-{name}.port={ports[name]}", f"-{name}.port.grpc={grpc[name]}"]
    log = (folder / "weed.log").open("wb")
    credentials = {"AWS_ACCESS_KEY_ID": "evalroom", "AWS_SECRET_ACCESS_KEY": "evalroom-secret"}
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **credentials})
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"weed exited {proc.returncode}: "
                               f"{(folder / 'weed.log').read_text(errors='replace')[-2000:]}")
        try:
            httpx.get(endpoint, timeout=1)
            return Weed(proc, endpoint)
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("weed did not serve S3 in time")


def sign_headers(key: Any, room: str, method: str, target: str, body: bytes = b"") -> dict[str, str]:
    from app.center.protocol import sign_request

    return sign_request(key, room, method, target, body)


def fresh_pg_url() -> str:
    """A new, empty database on the test server (each test gets its own)."""
    from sqlalchemy import create_engine, text

    PG_URL = os.environ["EVALROOM_TEST_PG_URL"]
    name = f"evalroom_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    base, _, _ = PG_URL.rpartition("/")
    return f"{base}/{name}"


