"""The room LAN: the console's room CA and the hub's HTTPS certificate, a PC pinning that CA on first pairing
(a hub from another CA refused, naming both fingerprints), and the hub found by mDNS/DNS-SD (real zeroconf on
the loopback interface). Real ``hub serve`` processes on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import shutil
import stat
import time
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

import centerkit as ck
from app.crypto import room_ca
from app.crypto.keys import KeyFileError
from app.sync import discovery, pinning

PASS = b"room passphrase 1"
ROOM = f"room-lan-{os.getpid()}"  # what hub_a announces: no other process's hub has it
pytestmark = pytest.mark.xdist_group("room-network")  # hub_a is shared by the module's tests


def _hub(home: Path, data: Path, *extra: str, key_mode: int | None = None) -> tuple[ck.Server, room_ca.HubTls]:
    tls = room_ca.hub_tls(home, PASS, "room-a")
    key = str(tls.key)
    if key_mode is not None:
        key = str(home / "loose.key")
        shutil.copyfile(tls.key, key)
        os.chmod(key, key_mode)
    server = ck.start_server(data, "--tls-cert", str(tls.cert), "--tls-key", key, "--room-ca", str(tls.ca), *extra,
                             role="hub", scheme="https", cafile=str(tls.ca))
    return server, tls


@pytest.fixture(scope="module")
def hub_a(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("hub-a")
    server, tls = _hub(folder / "console", folder / "hub", "--advertise", "--room", ROOM)
    yield server, tls
    server.stop()


def test_room_ca_issues_the_hub_a_certificate_for_every_address(tmp_path: Path) -> None:
    tls = room_ca.hub_tls(tmp_path, PASS, "room-a", addresses=["192.0.2.7", "fd00::7"], hostname="console-pc")
    cert = x509.load_pem_x509_certificate(tls.cert.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert set(san.get_values_for_type(x509.IPAddress)) == {ipaddress.ip_address(a)
                                                             for a in ("192.0.2.7", "fd00::7", "127.0.0.1")}
    assert san.get_values_for_type(x509.DNSName) == ["console-pc"]
    ca = x509.load_pem_x509_certificate(tls.ca.read_bytes())
    cert.verify_directly_issued_by(ca)
    assert tls.issued and tls.fingerprint == room_ca.fingerprint(tls.ca.read_bytes())
    assert len(tls.fingerprint) == 39 and all(len(group) == 4 for group in tls.fingerprint.split())
    keys = tmp_path / "keys"
    for name in (room_ca.CA_P12, room_ca.CA_PEM, "lan-ca.kdf.json", room_ca.CERT_PEM, room_ca.KEY_PEM):
        assert stat.S_IMODE((keys / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    assert b"PRIVATE KEY" not in (keys / room_ca.CA_P12).read_bytes()  # the CA key is PKCS#12, encrypted

    same = room_ca.hub_tls(tmp_path, PASS, "room-a", addresses=["fd00::7", "192.0.2.7"], hostname="console-pc")
    assert not same.issued and same.cert.read_bytes() == tls.cert.read_bytes()
    with pytest.raises(KeyFileError, match="wrong passphrase"):  # a new address needs the CA key
        room_ca.hub_tls(tmp_path, b"another passphrase", "room-a", addresses=["192.0.2.8"], hostname="console-pc")
    moved = room_ca.hub_tls(tmp_path, PASS, "room-a", addresses=["192.0.2.8"], hostname="console-pc")
    assert moved.issued and moved.names == ("127.0.0.1", "192.0.2.8", "console-pc")
    assert moved.ca.read_bytes() == tls.ca.read_bytes()  # the same CA: pinned PCs keep trusting the hub
    assert "127.0.0.1" in room_ca.hub_tls(tmp_path, PASS, "room-a").names  # this PC's own addresses

    # a certificate 10 days from its end (same CA, key and names) is issued anew
    ca_key, ca_cert = room_ca._open_ca(keys, PASS)
    current = x509.load_pem_x509_certificate(moved.cert.read_bytes())
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(current.subject).issuer_name(ca_cert.subject)
               .public_key(current.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=800)).not_valid_after(now + dt.timedelta(days=10)))
    for extension in current.extensions:
        builder = builder.add_extension(extension.value, extension.critical)
    ending = builder.sign(ca_key, hashes.SHA256())
    (keys / room_ca.CERT_PEM).write_bytes(ending.public_bytes(serialization.Encoding.PEM))
    renewed = room_ca.hub_tls(tmp_path, PASS, "room-a", addresses=["192.0.2.8"], hostname="console-pc")
    assert renewed.issued and renewed.names == moved.names
    fresh = x509.load_pem_x509_certificate(renewed.cert.read_bytes())
    assert fresh.not_valid_after_utc > now + dt.timedelta(days=800)


def test_pc_pins_the_room_ca_and_refuses_a_hub_from_another_ca(hub_a, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, tls = hub_a
    pc = tmp_path / "pc"
    pc.mkdir()
    with pytest.raises(pinning.PinError, match="not paired"):
        pinning.pinned_context(pc, server.url, first_use=False)  # never paired: no connection, no pin
    with pytest.raises(pinning.PinError, match="not the expected one"):
        pinning.pinned_context(pc, server.url, first_use=True, expected_sha256="0" * 64)
    assert pinning.pinned(pc) is None
    context = pinning.pinned_context(pc, server.url, first_use=True)
    pin = pinning.pinned(pc)
    assert pin is not None and pin.fingerprint == tls.fingerprint and pin.path.read_bytes() == tls.ca.read_bytes()
    assert httpx.get(f"{server.url}/healthz", verify=context, timeout=10).json()["role"] == "hub"
    later = pinning.pinned_context(pc, server.url, first_use=False)  # from the pin, no network
    assert httpx.get(f"{server.url}/v1/room-ca", verify=later, timeout=10).json()["fingerprint"] == tls.fingerprint
    with pytest.raises(pinning.PinError, match="does not name localhost") as unnamed:  # the pinned CA, another name
        pinning.check_hub(pc, f"https://localhost:{server.port}")
    assert not isinstance(unnamed.value, pinning.PinMismatch)

    other, other_tls = _hub(tmp_path / "other-console", tmp_path / "other-hub", key_mode=0o644)
    try:
        assert "can be read by other users" in other.log.read_text()
        assert other_tls.fingerprint != tls.fingerprint
        with pytest.raises(pinning.PinMismatch) as refused:
            pinning.pinned_context(pc, other.url, first_use=True)
        message = str(refused.value)
        assert tls.fingerprint in message and other_tls.fingerprint in message
        assert "已拒绝连接" in refused.value.zh and "refused" in refused.value.en
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):  # the pinned context alone
            httpx.get(f"{other.url}/healthz", verify=pinning.pinned_context(pc, other.url, first_use=False), timeout=10)
        assert pinning.pinned(pc) == pin  # never re-pinned
    finally:
        other.stop()


def test_hub_serve_refuses_a_room_ca_that_did_not_issue_its_certificate(tmp_path: Path) -> None:
    mine = room_ca.hub_tls(tmp_path / "a", PASS, "room-a")
    theirs = room_ca.hub_tls(tmp_path / "b", PASS, "room-b")
    result = ck.run_cli("hub", "serve", "--data", str(tmp_path / "hub"), "--tls-cert", str(mine.cert),
                        "--tls-key", str(mine.key), "--room-ca", str(theirs.ca), "--port", "0")
    assert result.returncode == 2 and "is not issued by --room-ca" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    result = ck.run_cli("hub", "serve", "--data", str(tmp_path / "hub"), "--advertise", "--port", "0")
    assert result.returncode == 2 and "--advertise needs --room" in result.stderr


def test_the_hub_is_found_on_the_lan_by_mdns(hub_a) -> None:  # type: ignore[no-untyped-def]
    server, tls = hub_a
    found = discovery.browse(5.0, ["127.0.0.1"], room=ROOM, first=True)
    assert len(found) == 1, found
    hub = found[0]
    assert hub.url == server.url and hub.room == ROOM and hub.version == discovery.PROTOCOL_VERSION
    assert hub.ca_sha256 == room_ca.sha256_hex(tls.ca.read_bytes()) and hub.sessions == ()
    result = ck.run_cli("hub", "discover", "--interface", "127.0.0.1", "--timeout", "1.5")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["url"] for line in lines if line["room"] == ROOM] == [server.url]


def test_the_announcement_follows_the_sessions_the_hub_holds() -> None:
    held = ["S-1"]
    port = ck.free_port()
    room = f"room-b-{port}"
    advertiser = discovery.Advertiser("127.0.0.1", port, room, tls=False, sessions=lambda: list(held),
                                      refresh=0.2, instance=f"test {port}")
    try:
        def listed() -> tuple[str, ...]:
            hubs = discovery.browse(5.0, ["127.0.0.1"], room=room, first=True)
            assert len(hubs) == 1
            assert hubs[0].url == f"http://127.0.0.1:{port}"
            return hubs[0].sessions

        assert listed() == ("S-1",)
        held.append("S-2")
        for _ in range(20):  # the TXT record is announced again within the refresh, a browse then sees it
            if listed() == ("S-1", "S-2"):
                break
            time.sleep(0.25)
        assert listed() == ("S-1", "S-2")
    finally:
        advertiser.close()



def test_hub_discover_says_when_no_hub_answers_and_checks_its_options() -> None:
    result = ck.run_cli("hub", "discover", "--interface", "127.0.0.1", "--timeout", "0.5", "--room", "no-such-room")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == "evalroom hub discover: no hub of room no-such-room answered within 0.5 s"
    bad = ck.run_cli("hub", "discover", "--interface", "lo")
    assert bad.returncode == 2 and bad.stderr.strip() == "evalroom: hub discover: --interface lo: not an IP address"


def test_the_services_the_console_pairing_and_gui_call(hub_a, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.services import hub_network

    server, tls = hub_a
    console = tls.ca.parent.parent
    assert hub_network.room_ca_fingerprint(console) == tls.fingerprint
    assert hub_network.room_ca_fingerprint(tmp_path) is None
    options = hub_network.hub_serve_options(console, PASS, "room-a")
    assert options == ["--tls-cert", str(tls.cert), "--tls-key", str(tls.key), "--room-ca", str(tls.ca)]
    assert hub_network.find_hubs("https://10.0.0.2:8471/") == [hub_network.HubChoice("https://10.0.0.2:8471",
                                                                                      "settings")]
    offered = hub_network.offer(server.url)
    assert offered.fingerprint == tls.fingerprint and hub_network.cafile(tmp_path) is None
    assert hub_network.pin(tmp_path, server.url, offered.sha256) == tls.fingerprint
    assert hub_network.cafile(tmp_path) == str(tmp_path / "hub-ca.pem")
    context = hub_network.hub_context(tmp_path, server.url)
    assert httpx.get(f"{server.url}/healthz", verify=context, timeout=10).status_code == 200
    assert hub_network.explain(tmp_path, server.url) is None


def test_the_hub_announces_the_sessions_it_holds(hub_a, tmp_path: Path, finished_room) -> None:  # type: ignore[no-untyped-def]
    from app.center.service import Center, Config
    from app.crypto.keys import SigningKey
    from app.store.ledger_store import LedgerStore
    from app.sync.client import CenterClient

    server, tls = hub_a
    room = finished_room(tmp_path, "room-a")
    key = SigningKey.load(room / "keys" / "room.p12", b"evalroom-demo")
    center = Center(Config.default(server.log.parent, role="hub"))
    try:
        center.enroll("room-a", key.public, replace=True)
    finally:
        center.close()
    with LedgerStore.open(room / "session.sqlite") as store:
        session, first = store.session_id, next(iter(store.events())).to_record()
    with CenterClient(server.url, "room-a", key, verify=pinning.context_for(tls.ca)) as client:
        client.push_events(session, [first])
    for _ in range(40):  # the hub looks at its sessions every 2 s and announces a change
        hubs = discovery.browse(5.0, ["127.0.0.1"], room=ROOM, first=True)
        if hubs and hubs[0].sessions == (session,):
            break
        time.sleep(0.25)
    assert [h.sessions for h in hubs] == [(session,)]


def test_the_lan_ca_follows_the_room_key_off_the_demo_passphrase(tmp_path: Path) -> None:
    from app.crypto.keys import SigningKey
    from app.crypto.passphrases import DEMO_PASSPHRASE
    from app.services import passphrase

    keys = tmp_path / "keys"
    SigningKey.generate().save(keys / "room.p12", DEMO_PASSPHRASE, demo=True)  # an earlier version's demo key
    made = room_ca.hub_tls(tmp_path, DEMO_PASSPHRASE, "room-a", demo=True)
    passphrase.open_room_key(tmp_path, b"the room's own")  # puts the room key under the passphrase given ...
    moved = room_ca.hub_tls(tmp_path, b"the room's own", "room-a", addresses=["192.0.2.9"])  # ... and the CA
    assert moved.issued and moved.ca.read_bytes() == made.ca.read_bytes()
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        room_ca.hub_tls(tmp_path, DEMO_PASSPHRASE, "room-a", addresses=["192.0.2.10"])
