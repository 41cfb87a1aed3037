"""`evalroom room-cert install`: a console seals with the certificate the center's CA issued (`center enroll
--issue-room-cert`) instead of its self-signed room CA; its new sessions record that certificate, which chains to
the center's CA, and the PAdES seal validates against that CA only. Bad files are refused before anything changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.archive import pades
from app.archive.certificates import check_certificates
from app.cli import main
from app.crypto.certs import load_pem_certificates
from app.services.room import Room
from opensslpki import PASSPHRASE, make_ca

ROOT = Path(__file__).resolve().parents[3]
PASS = b"pw"


@pytest.fixture
def console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("EVALROOM_CERT_PASSPHRASE", PASSPHRASE)
    home = tmp_path / "console"
    Room(home, "room-a", passphrase=PASS)  # the console's first start: its room key
    passphrase = tmp_path / "room-passphrase"
    passphrase.write_bytes(PASS + b"\n")
    return home, passphrase


def test_new_sessions_record_the_center_issued_seal(console: tuple[Path, Path], tmp_path: Path) -> None:
    home, passphrase = console
    center, p12 = tmp_path / "center", tmp_path / "room-a.p12"
    assert main(["center", "enroll", "--data", str(center), "--room", "room-a", "--issue-room-cert", str(p12)]) == 0
    assert main(["room-cert", "install", str(p12), "--data", str(home), "--passphrase-file", str(passphrase)]) == 0
    keys = home / "keys"
    assert (keys / "room-ca.pem").read_bytes() == (center / "center-ca.pem").read_bytes()
    room = Room(home, "room-a", passphrase=PASS)
    session = room.start(ROOT / "examples" / "procurement-goods-comprehensive.json")
    events = session.store.events()
    created = next(ev for ev in events if ev.type == "session.created")
    assert "certificate" in created.body
    root = load_pem_certificates(center / "center-ca.pem")
    assert check_certificates(events, root).problems == []
    other = make_ca(tmp_path / "pki", "Another CA", "rsa")
    assert check_certificates(events, load_pem_certificates(other.pem)).problems[0].startswith(
        "certificate: room '评标室 room-a 电子签章': ")
    sealed = pades.sign_pdf(_pdf(), keys / "room-pades.p12", PASS, "room-a")
    assert pades.validate(sealed, [(center / "center-ca.pem").read_bytes()]) == []
    assert any("trust root" in p for p in pades.validate(sealed, [other.pem.read_bytes()]))


def test_bad_certificates_are_refused_before_anything_changes(console: tuple[Path, Path], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    home, passphrase = console
    ca = make_ca(tmp_path / "pki", "SM2 CA", "sm2")
    sm2 = ca.issue("Room SM2", tmp_path / "sm2.p12")
    before = (home / "keys" / "room-ca.pem").read_bytes() if (home / "keys" / "room-ca.pem").exists() else None
    args = ["room-cert", "install", str(sm2), "--data", str(home), "--passphrase-file", str(passphrase)]
    assert main(args) == 2
    assert "an SM2 key cannot make the report's PAdES seal" in capsys.readouterr().err
    monkeypatch.setenv("EVALROOM_CERT_PASSPHRASE", "wrong")
    assert main(args) == 2
    assert "wrong passphrase or not a PKCS#12 file" in capsys.readouterr().err
    monkeypatch.setenv("EVALROOM_CERT_PASSPHRASE", PASSPHRASE)
    assert main(["room-cert", "install", str(sm2), "--data", str(tmp_path / "nowhere")]) == 2
    assert "no room key (start the console once, or give --data)" in capsys.readouterr().err
    after = (home / "keys" / "room-ca.pem").read_bytes() if (home / "keys" / "room-ca.pem").exists() else None
    assert after == before and not (home / "keys" / pades.CERT_FILE).exists()


def _pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "report")
    page.save()
    return out.getvalue()
