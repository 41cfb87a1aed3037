"""The center checks an arriving archive's member and room certificates against its trust store (``center serve``:
the settings' CA files and folder, its CRLs): an archive whose members' certificates do not chain to a CA the center
trusts is refused naming them; with every CA trusted it is accepted."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.center.app import create_app
from app.center.service import Center, Config
from app.crypto.keys import SigningKey
from app.crypto.truststore import CertificateTrust
from app.services.archive import build_archive
from app.services.simulate import simulate
from app.store.ledger_store import LedgerStore
from app.sync.client import CenterClient, CenterRefused
from centerkit import EXAMPLES
from opensslpki import PASSPHRASE, make_ca

pytestmark = pytest.mark.slow  # a session simulated with certificates and archived (about 15 s)


@pytest.fixture(scope="module")
def certified_room(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("certified-room")
    rsa, sm2 = make_ca(base / "rsa", "RSA CA", "rsa"), make_ca(base / "sm2", "SM2 CA", "sm2")
    (base / "certs").mkdir()
    for i in range(1, 8):
        (rsa if i % 2 else sm2).issue(f"Expert E{i}", base / "certs" / f"E{i}.p12")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EVALROOM_CERT_PASSPHRASE", PASSPHRASE)
        out = base / "room"
        simulate(EXAMPLES / "procurement-goods-comprehensive.json", out, room="room-c", kdf_rounds=1000,
                 member_certs=base / "certs")
    build_archive(out, out / "archive", passphrase=b"evalroom-demo")
    return out, rsa.pem, sm2.pem


def _upload(tmp_path: Path, room: Path, trust: CertificateTrust) -> dict:  # type: ignore[type-arg]
    center = Center(Config.default(tmp_path / "center", db_url=f"sqlite:///{tmp_path / 'c.sqlite'}"),
                    key=SigningKey.generate())
    center.trust = trust
    try:
        key = SigningKey.load(room / "keys" / "room.p12", b"evalroom-demo")
        center.enroll("room-c", key.public)
        client = CenterClient("http://testserver", "room-c", key,
                              http=TestClient(create_app(center), base_url="http://testserver"))
        with LedgerStore.open(room / "session.sqlite") as store:
            session = store.session_id
            client.push_events(session, [ev.to_record() for ev in store.events()])
        return client.upload_archive(room / "archive", session)
    finally:
        center.close()


def test_untrusted_member_certificates_are_refused_on_receipt(certified_room: tuple[Path, Path, Path],
                                                              tmp_path: Path) -> None:
    room, rsa_pem, sm2_pem = certified_room
    with pytest.raises(CenterRefused) as refused:
        _upload(tmp_path / "a", room, CertificateTrust.load([rsa_pem]))
    assert refused.value.status == 422
    for member in ("E2", "E4", "E6"):
        assert f"certificate: member {member} 'Expert {member}': untrusted issuer: CN=SM2 CA" in refused.value.reason
    assert "Expert E1" not in refused.value.reason
    receipt = _upload(tmp_path / "b", room, CertificateTrust.load([rsa_pem, sm2_pem]))
    assert receipt["receipt"]["archive"]
