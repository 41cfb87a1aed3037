"""The room's report seal from the center's CA, across processes on 127.0.0.1: ``center enroll --issue-room-cert``
issues the room's certificate, the room simulates and archives with it (``simulate --room-cert``), ``sync push``
delivers to a ``center serve`` process that accepts the archive, and ``verify --trust center-ca.pem`` chains the
room's certificate and the PDF seal to the center's CA; an archive sealed otherwise is refused by the center naming
the enrolled certificate. The certificates issued are kept (one issued again leaves the earlier acceptable). A
certificate from a real CA (``--room-cert``, the openssl PKI) is accepted when the settings' trust store holds its
CA, refused naming the reason when not."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import centerkit as ck
from opensslpki import PASSPHRASE, make_ca

pytestmark = pytest.mark.slow  # two sessions simulated, archived and pushed to a center process (~60 s)

ENV = {"EVALROOM_CERT_PASSPHRASE": PASSPHRASE}


def _ok(done: object) -> None:
    assert done.returncode == 0, done.stdout + done.stderr  # type: ignore[attr-defined]


def test_the_center_issues_the_room_seal_and_verify_chains_it_to_the_center_ca(tmp_path: Path) -> None:
    data, p12 = tmp_path / "center", tmp_path / "room-a-seal.p12"
    issued = ck.run_cli("center", "enroll", "--data", str(data), "--room", "room-a", "--issue-room-cert", str(p12),
                        env=ENV)
    _ok(issued)
    assert "room certificate: room room-a '评标室 room-a 电子签章'" in issued.stdout and "issued by the center CA" in \
        issued.stdout
    assert stat.S_IMODE(p12.stat().st_mode) == 0o600 and (data / "center-ca.pem").is_file()
    again = ck.run_cli("center", "enroll", "--data", str(data), "--room", "room-a", "--issue-room-cert", str(p12),
                       env=ENV)
    assert again.returncode == 2 and "already exists (--replace to issue another)" in again.stderr

    room = tmp_path / "room-a"
    _ok(ck.run_cli("simulate", "--case", str(ck.EXAMPLES / ck.CASES["room-a"]), "--out", str(room), "--room", "room-a",
                   "--room-cert", str(p12), env=ENV))
    _ok(ck.run_cli("center", "enroll", "--data", str(data), "--room", "room-a", "--public-key",
                   str(room / "keys" / "room.pub.pem")))
    _ok(ck.run_cli("archive", "build", str(room), "--out", str(room / "archive")))
    # the center issues the room another certificate (--replace): the archive sealed by the first stays acceptable
    _ok(ck.run_cli("center", "enroll", "--data", str(data), "--room", "room-a", "--issue-room-cert", str(p12),
                   "--replace", env=ENV))
    assert (data / "room-certs" / "room-a.pem").read_text().count("BEGIN CERTIFICATE") == 2
    # an impostor: the same room id, its key enrolled in its place, its report sealed by a self-signed room CA
    other = tmp_path / "room-a-self-signed"
    _ok(ck.run_cli("simulate", "--case", str(ck.EXAMPLES / ck.CASES["room-b"]), "--out", str(other), "--room",
                   "room-a"))
    _ok(ck.run_cli("archive", "build", str(other), "--out", str(other / "archive")))

    server = ck.start_server(data)
    try:
        _ok(ck.run_cli("sync", "push", str(room), "--center", server.url))
        _ok(ck.run_cli("center", "enroll", "--data", str(data), "--room", "room-a", "--replace", "--public-key",
                       str(other / "keys" / "room.pub.pem")))
        refused = ck.run_cli("sync", "push", str(other), "--center", server.url)
    finally:
        server.stop()
    receipts = json.loads((room / "receipt.json").read_text())
    assert len(receipts["archives"]) == 1
    assert refused.returncode == 1
    assert "archive: the report is sealed by '评标室 room-a 电子签章' (issued by 'EvalRoom 评标室根证书 room-a'), " \
           "not by room room-a's enrolled certificate '评标室 room-a 电子签章' (issued by 'EvalRoom 交易中心 " \
           "评标室签章 CA')" in refused.stdout, refused.stdout + refused.stderr

    trusted = ck.run_cli("verify", str(room / "archive"), "--no-rerender", "--trust", str(data / "center-ca.pem"))
    _ok(trusted)
    assert "PDF trust root taken from" not in trusted.stderr
    elsewhere = make_ca(tmp_path / "pki", "Another CA", "rsa")
    untrusted = ck.run_cli("verify", str(room / "archive"), "--no-rerender", "--trust", str(elsewhere.pem))
    assert untrusted.returncode == 1
    lines = untrusted.stdout.splitlines()
    assert any(line.startswith("certificate: room '评标室 room-a 电子签章': ") for line in lines), lines
    assert "pdf: signature RoomSeal does not chain to a configured trust root" in lines


def test_a_room_certificate_from_a_real_ca_is_checked_against_the_trust_store(tmp_path: Path) -> None:
    ca = make_ca(tmp_path / "pki", "Real CA", "rsa")
    seal = ca.issue("Room B seal", tmp_path / "room-b.p12")
    other = make_ca(tmp_path / "pki2", "Other CA", "ecdsa")
    data = tmp_path / "center"
    refused = ck.run_cli("center", "enroll", "--data", str(data), "--room", "room-b", "--room-cert", str(seal),
                         env={**ENV, "EVALROOM_TRUST_CA_FILES": str(other.pem)})
    assert refused.returncode == 2 and "center enroll: --room-cert" in refused.stderr and "'Room B seal'" in \
        refused.stderr, refused.stderr
    assert not (data / "room-certs" / "room-b.pem").exists()
    accepted = ck.run_cli("center", "enroll", "--data", str(data), "--room", "room-b", "--room-cert", str(seal),
                          env={**ENV, "EVALROOM_TRUST_CA_FILES": str(ca.pem)})
    _ok(accepted)
    assert "accepted by the settings' trust store" in accepted.stdout
    assert (data / "room-certs" / "room-b.pem").is_file()
    wrong = ck.run_cli("center", "enroll", "--data", str(data), "--room", "room-b", "--room-cert", str(ca.pem))
    assert wrong.returncode == 2 and "it is a CA certificate" in wrong.stderr
    bare = ck.run_cli("center", "enroll", "--data", str(data), "--room", "room-b")
    assert bare.returncode == 2 and "--public-key PEM is required" in bare.stderr
    env = {k: v for k, v in os.environ.items() if k != "EVALROOM_CERT_PASSPHRASE"}
    unset = subprocess.run([sys.executable, "-m", "app", "center", "enroll", "--data", str(data), "--room", "room-b",
                            "--room-cert", str(seal)], capture_output=True, text=True, env=env, cwd=ck.ROOT)
    assert unset.returncode == 2 and "EVALROOM_CERT_PASSPHRASE is not set" in unset.stderr
