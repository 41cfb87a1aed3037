"""Trusted time (RFC 3161) on the archive, against a real TSA on the loopback interface (``openssl ts -reply``):
the report seal is PAdES B-T (validated by pyHanko's validator, the token by ``openssl ts -verify`` too), the bag
signature carries a token `verify` checks; a TSA that is down leaves the build going and the archive saying why;
a tampered or swapped token is caught."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from app.archive import pades
from app.archive.bag import SIGNATURE, TOKEN, read_info
from app.archive.verify import verify_archive
from app.cli import main
from app.crypto import tsa as tsa_client
from app.services.archive import build_archive
from tsakit import Tsa, down_url, start_tsa

PASS = b"pw"


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> Tsa:
    server = start_tsa(tmp_path_factory.mktemp("tsa"))
    yield server
    server.stop()


def _session(simulated: tuple[Path, Path], base: Path) -> Path:
    return Path(shutil.copytree(simulated[0], base / "sim"))  # archive build queues an upload in the session file


@pytest.fixture(scope="module")
def stamped(simulated: tuple[Path, Path], tsa: Tsa, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("stamped")
    sim = _session(simulated, base)
    asked = len(tsa.requests)
    built = build_archive(sim, base / "bag", PASS, tsa_url=tsa.url)
    assert built.timestamped and built.timestamp_missing is None
    assert len(tsa.requests) == asked + 2  # one token for the seal (its room reserved), one for the bag signature
    return sim, base / "bag"


def _verify(sim: Path, bag: Path, *trust: Path) -> tuple[list[str], list[str]]:
    verdict = verify_archive(bag, room_key=sim / "keys" / "room.pub.pem", trust=list(trust), rerender=False)
    return verdict.problems, verdict.notes


def test_the_report_seal_is_pades_b_t_by_pyhankos_validator(stamped: tuple[Path, Path], tsa: Tsa) -> None:
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    sim, bag = stamped
    pdf = (bag / "data" / "documents" / "report.pdf").read_bytes()
    (sig,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    unsigned = sig.signer_info["unsigned_attrs"]
    assert [a["type"].native for a in unsigned] == ["signature_time_stamp_token"]
    roots = [load_cert_from_pemder(str(sim / "keys" / "room-ca.pem")), load_cert_from_pemder(str(tsa.ca_pem))]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    status = validate_pdf_signature(sig, context, ts_validation_context=context)
    assert status.bottom_line and status.timestamp_validity is not None
    assert status.timestamp_validity.trusted and status.timestamp_validity.intact
    assert "Test TSA" in status.timestamp_validity.signing_cert.subject.human_friendly
    assert read_info(bag)["Report-Seal"] == "PAdES B-T (signature timestamp from the TSA)"
    notes: list[str] = []
    assert pades.validate(pdf, [(sim / "keys" / "room-ca.pem").read_bytes(), tsa.ca_pem.read_bytes()], notes) == []
    assert any("(PAdES B-T)" in n and "Test TSA" in n for n in notes), notes


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils' pdfsig not installed")
def test_pdfsig_sees_the_seal(stamped: tuple[Path, Path]) -> None:
    out = subprocess.run(["pdfsig", str(stamped[1] / "data" / "documents" / "report.pdf")], capture_output=True,
                         text=True).stdout
    assert "Signature #1" in out and "ETSI.CAdES.detached" in out


def test_the_bag_signature_carries_a_token_verify_and_openssl_accept(stamped: tuple[Path, Path], tsa: Tsa) -> None:
    sim, bag = stamped
    envelope = json.loads((bag / SIGNATURE).read_text(encoding="utf-8"))
    assert envelope["timestamp"] == {"token": TOKEN, "imprint": "sha256", "tsa": tsa.url}
    problems, notes = _verify(sim, bag, sim / "keys" / "room-ca.pem", tsa.ca_pem)
    assert problems == []
    assert any(n.startswith("timestamp: the bag signature was stamped ") and "Test TSA" in n for n in notes), notes
    # an outside checker: OpenSSL's own verification of the token against the signature value's SHA-256
    digest = hashlib.sha256(base64.b64decode(envelope["sig"])).hexdigest()
    out = subprocess.run(["openssl", "ts", "-verify", "-digest", digest, "-in", str(bag / TOKEN), "-token_in",
                          "-CAfile", str(tsa.ca_pem), "-untrusted", str(tsa.cert_pem)], capture_output=True, text=True)
    assert out.returncode == 0 and "Verification: OK" in out.stdout, out.stdout + out.stderr


def test_a_tsa_the_verifier_does_not_trust_is_named(stamped: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
                                                    ) -> None:
    sim, bag = stamped
    code = main(["verify", str(bag), "--no-rerender", "--room-key", str(sim / "keys" / "room.pub.pem"),
                 "--trust", str(sim / "keys" / "room-ca.pem")])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert any(line.startswith(f"timestamp: {TOKEN}: the TSA certificate") and "Test TSA" in line for line in lines)
    assert any(line.startswith("pdf: the signature timestamp of RoomSeal: its TSA") for line in lines), lines


def test_a_tampered_or_swapped_token_is_caught(stamped: tuple[Path, Path], tsa: Tsa, tmp_path: Path) -> None:
    sim, bag = stamped
    copy = Path(shutil.copytree(bag, tmp_path / "bag"))
    token = bytearray((bag / TOKEN).read_bytes())
    token[-40] ^= 0x01  # inside the TSA's signature value
    (copy / TOKEN).write_bytes(bytes(token))
    problems, _ = _verify(sim, copy, sim / "keys" / "room-ca.pem", tsa.ca_pem)
    assert problems == [f"timestamp: {TOKEN}: the TSA's signature does not verify (the token was altered)"]
    (copy / TOKEN).write_bytes(tsa_client.stamp(tsa.url, b"another signature"))  # a genuine token over other bytes
    problems, _ = _verify(sim, copy, sim / "keys" / "room-ca.pem", tsa.ca_pem)
    assert len(problems) == 1 and "message imprint is not the sha256" in problems[0], problems
    (copy / TOKEN).unlink()
    problems, _ = _verify(sim, copy, sim / "keys" / "room-ca.pem", tsa.ca_pem)
    assert problems == [f"bag: {TOKEN} is missing (the signature's envelope records a timestamp)"]


def test_the_tsa_down_is_recorded_and_the_build_succeeds(simulated: tuple[Path, Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("EVALROOM_KEY_PASSPHRASE", PASS.decode())
    sim = _session(simulated, tmp_path)
    url = down_url()
    capsys.readouterr()
    assert main(["archive", "build", str(sim), "--out", str(tmp_path / "bag"), "--tsa", url]) == 0
    err = capsys.readouterr().err
    assert f"note: no timestamp: TSA {url}: " in err and "the center stamps it on receipt" in err
    bag = tmp_path / "bag"
    assert not (bag / TOKEN).exists()
    missing = json.loads((bag / SIGNATURE).read_text(encoding="utf-8"))["timestamp"]["none"]
    assert missing.startswith(f"TSA {url}: ") and "Cannot connect" in missing
    assert read_info(bag)["Report-Seal"].startswith(f"PAdES B-B (no timestamp: TSA {url}: ")
    problems, notes = _verify(sim, bag, sim / "keys" / "room-ca.pem")
    assert problems == []
    assert any(n.startswith("timestamp: the bag signature carries no RFC 3161 timestamp (TSA ") for n in notes), notes


def test_the_settings_tsa_url_and_a_bad_option(simulated: tuple[Path, Path], tsa: Tsa, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from app import settings

    monkeypatch.setenv("EVALROOM_KEY_PASSPHRASE", PASS.decode())
    sim = _session(simulated, tmp_path)
    assert main(["archive", "build", str(sim), "--out", str(tmp_path / "x"), "--tsa", "ftp://tsa"]) == 2
    assert "--tsa 'ftp://tsa': not an http:// or https:// URL" in capsys.readouterr().err
    monkeypatch.setenv("EVALROOM_TSA_URL", tsa.url)
    settings.select(None)
    try:
        assert main(["archive", "build", str(sim), "--out", str(tmp_path / "bag")]) == 0
    finally:
        monkeypatch.delenv("EVALROOM_TSA_URL")
        settings.select(None)
    assert "timestamped (RFC 3161)" in capsys.readouterr().err
    assert (tmp_path / "bag" / TOKEN).is_file()


def test_require_timestamp_catches_a_stripped_token(stamped: tuple[Path, Path], tsa: Tsa, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    sim, bag = stamped
    pinned = ["--no-rerender", "--room-key", str(sim / "keys" / "room.pub.pem"), "--trust",
              str(sim / "keys" / "room-ca.pem"), "--trust", str(tsa.ca_pem), "--require-timestamp"]
    assert main(["verify", str(bag), *pinned]) == 0
    copy = Path(shutil.copytree(bag, tmp_path / "bag"))  # the token removed and the envelope made to say "none"
    (copy / TOKEN).unlink()
    envelope = json.loads((copy / SIGNATURE).read_text(encoding="utf-8"))
    envelope["timestamp"] = {"none": "offline"}
    (copy / SIGNATURE).write_text(json.dumps(envelope), encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", str(copy), *pinned[:-1]]) == 0  # without the policy: only a note
    assert main(["verify", str(copy), *pinned]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "timestamp: required (--require-timestamp), but neither the bag signature nor the center's receipt carries a "
        "sound RFC 3161 timestamp from a trusted TSA"]
    assert main(["verify", str(bag), "--require-timestamp"]) == 2
    assert "--require-timestamp needs --trust" in capsys.readouterr().err


def test_a_token_larger_than_the_room_reserved_is_sized_from_a_first_token(tsa: Tsa, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.pdfgen import canvas

    _, p12 = pades.ensure_room_certificate(tmp_path / "keys", PASS, "room-x", rounds=1000)
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "report")
    page.save()
    monkeypatch.setattr(pades, "TIMESTAMPED_RESERVE", 4000)  # less than the CMS with its token takes
    asked = len(tsa.requests)
    sealed = pades.seal_pdf(out.getvalue(), p12, PASS, "room-x", tsa.url)
    assert sealed.timestamped and len(tsa.requests) == asked + 3  # the reserved attempt, then pyHanko's sizing
    notes: list[str] = []
    assert pades.validate(sealed.pdf, [(tmp_path / "keys" / "room-ca.pem").read_bytes(), tsa.ca_pem.read_bytes()],
                          notes) == []
    assert any("(PAdES B-T)" in n for n in notes)
