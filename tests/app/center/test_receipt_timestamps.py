"""The center stamps on receipt an archive built offline (its TSA down): real processes on 127.0.0.1 — a center
(``center serve --tsa``), ``sync push`` from the room's folder, a TSA answering with ``openssl ts -reply`` — then
``evalroom verify --receipt`` checks the center's token against the bag signature; an archive with its own token is
not stamped again."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

import centerkit as ck
from app.archive.bag import SIGNATURE, TOKEN
from app.services.archive import build_archive
from tsakit import Tsa, down_url, start_tsa

pytestmark = pytest.mark.slow  # a session simulated, two archives built and pushed to a center process (~40 s)


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> Tsa:
    server = start_tsa(tmp_path_factory.mktemp("tsa"))
    yield server
    server.stop()


def _verify(folder: Path, tsa: Tsa, receipt: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return ck.run_cli("verify", str(folder / "archive"), "--no-rerender", "--room-key",
                      str(folder / "keys" / "room.pub.pem"), "--trust", str(folder / "keys" / "room-ca.pem"),
                      "--trust", str(tsa.ca_pem), "--receipt", str(receipt), *extra)


def test_the_center_stamps_an_archive_that_came_without_a_timestamp(tsa: Tsa, tmp_path: Path) -> None:
    offline = ck.simulate_room(tmp_path, "room-a")
    online = Path(shutil.copytree(offline, tmp_path / "room-a-online"))
    build_archive(offline, offline / "archive", passphrase=b"evalroom-demo", tsa_url=down_url())
    build_archive(online, online / "archive", passphrase=b"evalroom-demo", tsa_url=tsa.url)
    assert not (offline / "archive" / TOKEN).exists() and (online / "archive" / TOKEN).is_file()
    data = tmp_path / "center"
    done = ck.run_cli("center", "enroll", "--data", str(data), "--room", "room-a", "--public-key",
                      str(offline / "keys" / "room.pub.pem"))
    assert done.returncode == 0, done.stderr
    server = ck.start_server(data, "--tsa", tsa.url)
    try:
        asked = len(tsa.requests)
        for folder in (offline, online):
            pushed = ck.run_cli("sync", "push", str(folder), "--center", server.url)
            assert pushed.returncode == 0, pushed.stdout + pushed.stderr
        assert len(tsa.requests) == asked + 1  # the archive with a token of its own is not stamped again
    finally:
        server.stop()
    assert "archives without a timestamp stamped by the TSA" in server.log.read_text()

    receipt_file = offline / "receipt.json"
    receipts = json.loads(receipt_file.read_text())
    (signed,) = receipts["archives"]
    stamp = signed["receipt"]["timestamp"]
    assert stamp["tsa"] == tsa.url and stamp["over"] == SIGNATURE and stamp["imprint"] == "sha256"
    center_key = offline / "center.pub.pem"
    checked = _verify(offline, tsa, receipt_file, "--center-key", str(center_key))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "note: receipt: the center stamped the bag signature " in checked.stderr and "Test TSA" in checked.stderr
    assert "timestamp: the bag signature carries no RFC 3161 timestamp (TSA http://127.0.0.1:" in checked.stderr
    required = _verify(offline, tsa, receipt_file, "--require-timestamp")  # the center's token meets the policy
    assert required.returncode == 0, required.stdout + required.stderr
    alone = ck.run_cli("verify", str(offline / "archive"), "--no-rerender", "--trust", str(tsa.ca_pem),
                       "--trust", str(offline / "keys" / "room-ca.pem"), "--require-timestamp")
    assert alone.returncode == 1 and "timestamp: required (--require-timestamp)" in alone.stdout
    # OpenSSL's own check of the center's token against the bag signature's value
    sig = base64.b64decode(json.loads((offline / "archive" / SIGNATURE).read_text())["sig"])
    (tmp_path / "center.tst").write_bytes(base64.b64decode(stamp["token"]))
    out = subprocess.run(["openssl", "ts", "-verify", "-digest", hashlib.sha256(sig).hexdigest(), "-in",
                          str(tmp_path / "center.tst"), "-token_in", "-CAfile", str(tsa.ca_pem), "-untrusted",
                          str(tsa.cert_pem)], capture_output=True, text=True)
    assert "Verification: OK" in out.stdout, out.stdout + out.stderr

    online_receipt = json.loads((online / "receipt.json").read_text())["archives"][0]["receipt"]
    assert online_receipt["timestamp"] == {"in_archive": TOKEN}
    other = _verify(offline, tsa, online / "receipt.json")  # another archive's receipt
    assert other.returncode == 1 and "receipt: no archive receipt for this bag" in other.stdout

    tampered = copy.deepcopy(receipts)
    token = bytearray(base64.b64decode(stamp["token"]))
    token[-40] ^= 0x01
    tampered["archives"][0]["receipt"]["timestamp"]["token"] = base64.b64encode(bytes(token)).decode()
    (tmp_path / "tampered.json").write_text(json.dumps(tampered))
    pinned = _verify(offline, tsa, tmp_path / "tampered.json", "--center-key", str(center_key))
    assert pinned.returncode == 1 and "receipt: not signed by the center key" in pinned.stdout
    unpinned = _verify(offline, tsa, tmp_path / "tampered.json")
    assert unpinned.returncode == 1, unpinned.stdout
    assert "receipt: the center's timestamp: the TSA's signature does not verify (the token was altered)" in \
        unpinned.stdout
    bad = ck.run_cli("verify", str(offline / "archive"), "--receipt", str(tmp_path / "nothing.json"))
    assert bad.returncode == 2 and "--receipt" in bad.stderr and "cannot be read" in bad.stderr
