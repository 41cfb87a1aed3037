"""Mutual TLS: ``center serve --tls-cert/--tls-key/--client-ca`` refuses, at the TLS layer, a client without a
certificate or with one from another CA; with a good certificate the request-signature layer still applies."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import centerkit as ck
import pkibuilder as pki
from app.crypto.keys import SigningKey
from app.store.ledger_store import LedgerStore
from app.sync.client import CenterClient, CenterRefused, Unreachable


def _pem(issued: pki.Issued, folder: Path, name: str) -> tuple[str, str]:
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    cert.write_bytes(issued.cert.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(issued.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()))
    return str(cert), str(key)


def _server_leaf(ca: pki.Issued) -> pki.Issued:
    """A TLS server certificate for 127.0.0.1 (pkibuilder's leaves carry no IP SAN)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "center 127.0.0.1")])
    cert = (x509.CertificateBuilder().subject_name(subject)
            .issuer_name(ca.cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca.key, hashes.SHA256()))  # type: ignore[arg-type]
    return pki.Issued(cert, key)


def _client_leaf(name: str, ca: pki.Issued) -> pki.Issued:
    return pki.make_leaf(name, ca, key=ec.generate_private_key(ec.SECP256R1()), eku=[ExtendedKeyUsageOID.CLIENT_AUTH])


def _handshake(port: int, ca_file: str, cert: tuple[str, str] | None) -> str:
    """Complete a TLS 1.2 handshake (where the server checks the client's certificate inside the handshake):
    "ok", or why it failed."""
    context = ssl.create_default_context(cafile=ca_file)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    if cert:
        context.load_cert_chain(*cert)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        try:
            with context.wrap_socket(raw, server_hostname="127.0.0.1"):
                return "ok"
        except (ssl.SSLError, ConnectionError) as exc:
            return f"{exc.__class__.__name__}: {exc}"


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory, finished_room) -> Path:  # noqa: ANN001
    return finished_room(tmp_path_factory.mktemp("rooms"), "room-a")


def test_center_requires_client_certificates_from_its_ca(room: Path, tmp_path: Path) -> None:
    tls = tmp_path / "tls"
    tls.mkdir()
    center_ca, other_ca = pki.make_ca("EvalRoom Center CA"), pki.make_ca("Some Other CA")
    ca_file = str(tls / "center-ca.pem")
    Path(ca_file).write_bytes(center_ca.cert.public_bytes(serialization.Encoding.PEM))
    server_cert, server_key = _pem(_server_leaf(center_ca), tls, "server")
    good = _pem(_client_leaf("room-a", center_ca), tls, "room-a")
    stranger = _pem(_client_leaf("room-a", other_ca), tls, "stranger")

    data = tmp_path / "center"
    done = ck.run_cli("center", "enroll", "--data", str(data), "--room", "room-a", "--public-key",
                      str(room / "keys" / "room.pub.pem"))
    assert done.returncode == 0, done.stderr
    observer = ck.enroll_observer(data)  # the center's status is for an observer only
    port = ck.free_port()
    log = (tmp_path / "center.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "app", "center", "serve", "--data", str(data), "--port", str(port),
                             "--tls-cert", server_cert, "--tls-key", server_key, "--client-ca", ca_file],
                            stdout=log, stderr=subprocess.STDOUT, cwd=ck.ROOT, env=os.environ.copy())
    url = f"https://127.0.0.1:{port}"
    trusted = ssl.create_default_context(cafile=ca_file)
    trusted.load_cert_chain(*good)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, (tmp_path / "center.log").read_text()
            try:
                assert httpx.get(f"{url}/healthz", verify=trusted, timeout=1).json()["role"] == "center"
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, (tmp_path / "center.log").read_text()
                time.sleep(0.1)
        refused_before = ck.status(url, observer, verify=trusted)["refused_requests"]

        # No client certificate, or one from another CA: the TLS handshake fails, and the service never sees a
        # request (no audit row); the same handshake with the good certificate completes.
        assert _handshake(port, ca_file, good) == "ok"
        for cert in (None, stranger):
            assert _handshake(port, ca_file, cert) != "ok"
            context = ssl.create_default_context(cafile=ca_file)
            if cert:
                context.load_cert_chain(*cert)
            with pytest.raises(httpx.TransportError):
                httpx.get(f"{url}/healthz", verify=context, timeout=5)
        key = SigningKey.load(room / "keys" / "room.p12", b"evalroom-demo")
        with LedgerStore.open(room / "session.sqlite") as store:
            session = store.session_id
        with CenterClient(url, "room-a", key, verify=ca_file) as bare, pytest.raises(Unreachable):
            bare.frontier(session)
        assert ck.status(url, observer, verify=trusted)["refused_requests"] == refused_before

        # A good certificate does not replace the request signature: unsigned → 401, another room's key → 403.
        assert httpx.get(f"{url}/v1/sessions/{session}/frontier", verify=trusted).status_code == 401
        with CenterClient(url, "room-a", SigningKey.generate(), verify=ca_file, cert=good) as forged:
            with pytest.raises(CenterRefused) as wrong:
                forged.frontier(session)
            assert wrong.value.status in (401, 403)

        # A room hub relays to this center with its own client certificate.
        hub_data = tmp_path / "hub"
        done = ck.run_cli("center", "enroll", "--data", str(hub_data), "--room", "room-a", "--public-key",
                          str(room / "keys" / "room.pub.pem"))
        assert done.returncode == 0, done.stderr
        hub = ck.start_server(hub_data, "--upstream", url, "--room", "room-a", "--room-key",
                              str(room / "keys" / "room.p12"), "--upstream-cafile", ca_file, "--upstream-cert", good[0],
                              "--upstream-key", good[1], "--relay-interval", "0.3", role="hub",
                              env={"EVALROOM_KEY_PASSPHRASE": ""})
        try:
            to_hub = ck.run_cli("sync", "push", str(room), "--center", hub.url)
            assert to_hub.returncode == 0, to_hub.stdout + to_hub.stderr
            deadline = time.monotonic() + 30
            while not ck.status(url, observer, verify=trusted)["sessions"]:
                assert time.monotonic() < deadline, hub.log.read_text()
                time.sleep(0.3)
        finally:
            hub.stop()
        held = ck.status(url, observer, verify=trusted)["sessions"][0]["events"]
        with LedgerStore.open(room / "session.sqlite") as store:
            assert held == store.count()

        # Both layers satisfied: the command line delivers the session directly too.
        push = ck.run_cli("sync", "push", str(room), "--center", url, "--cafile", ca_file, "--cert", good[0], "--key",
                          good[1])
        assert push.returncode == 0, push.stdout + push.stderr
        bare_push = ck.run_cli("sync", "push", str(room), "--center", url, "--cafile", ca_file)
        assert bare_push.returncode == 1
        half = ck.run_cli("sync", "push", str(room), "--center", url, "--cert", good[0])
        assert half.returncode == 2 and "--cert and --key" in half.stderr
        missing = ck.run_cli("sync", "push", str(room), "--center", url, "--cert", str(tls / "none.pem"), "--key",
                             good[1])
        assert missing.returncode == 2 and "none.pem: no such file" in missing.stderr
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def test_serve_refuses_client_ca_without_tls(tmp_path: Path) -> None:
    done = ck.run_cli("center", "serve", "--data", str(tmp_path / "c"), "--port", "0", "--client-ca",
                      str(tmp_path / "x.pem"))
    assert done.returncode == 2 and "--client-ca needs --tls-cert" in done.stderr
