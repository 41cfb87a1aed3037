"""`evalroom bid seal`: a bidder's PDF encrypted as the package's encrypted files are (docs/bid-package.md,
R-OPEN-10), a passphrase container or CMS to its certificate (made by ``openssl``); the entry it prints is the one
the console's decryption (``decrypt_file``) checks the file against. Bad input: exit 2, one line naming what is
wrong, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import encbids
from app.cli import main
from app.crypto.bid_crypto import DecryptionFailed
from app.services.decryption import BidderKey, decrypt_file
from opensslpki import make_ca


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "technical.pdf"
    path.write_bytes(encbids.long_pdf("B9", 3))
    return path


def _sealed(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["bid", "seal", *args]) == 0
    entry: dict[str, object] = json.loads(capsys.readouterr().out)
    return entry


def test_a_passphrase_sealed_bid_is_decrypted_by_the_console(pdf: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("B9_PASS", "B9 opens its bid 开标")
    out = tmp_path / "technical.pdf.evr"
    entry = _sealed(capsys, str(pdf), "--passphrase-env", "B9_PASS", "--out", str(out))
    encryption = entry["encryption"]
    assert isinstance(encryption, dict) and encryption["scheme"] == "passphrase"
    cipher = out.read_bytes()
    assert b"Technical bid of B9" not in cipher and cipher.startswith(b"EVRBID1\n")
    plain = decrypt_file(cipher, "passphrase", str(entry["sha256"]), encryption["plaintext_sha256"],
                         BidderKey(passphrase="B9 opens its bid 开标".encode()))
    assert plain == pdf.read_bytes()
    with pytest.raises(DecryptionFailed) as wrong:
        decrypt_file(cipher, "passphrase", str(entry["sha256"]), None, BidderKey(passphrase=b"not it"))
    assert wrong.value.cause == "wrong_passphrase"


def test_a_cms_sealed_bid_is_decrypted_with_the_bidders_p12(pdf: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    crt, p12 = encbids.bidder_certificate(tmp_path, "B9")
    out = tmp_path / "technical.pdf.p7m"
    entry = _sealed(capsys, str(pdf), "--to", str(crt), "--out", str(out))
    encryption = entry["encryption"]
    assert isinstance(encryption, dict) and encryption["scheme"] == "cms"
    key = BidderKey(p12=p12.read_bytes(), passphrase=encbids.P12_PASS.encode())
    assert decrypt_file(out.read_bytes(), "cms", str(entry["sha256"]), encryption["plaintext_sha256"],
                        key) == pdf.read_bytes()
    other = tmp_path / "other"
    other.mkdir()
    _other_crt, other_p12 = encbids.bidder_certificate(other, "B8")  # another bidder's key
    with pytest.raises(DecryptionFailed) as wrong:
        decrypt_file(out.read_bytes(), "cms", str(entry["sha256"]), None,
                     BidderKey(p12=other_p12.read_bytes(), passphrase=encbids.P12_PASS.encode()))
    assert wrong.value.cause == "wrong_key"


def test_bad_input_is_refused_by_name_and_nothing_written(pdf: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("B9_PASS", "pw")
    monkeypatch.delenv("UNSET_PASS", raising=False)
    monkeypatch.setenv("EMPTY_PASS", "")
    ec = make_ca(tmp_path / "pki", "EC CA", "ecdsa")
    not_pdf = tmp_path / "bid.docx"
    not_pdf.write_bytes(b"PK\x03\x04 a word file")
    junk = tmp_path / "junk.pem"
    junk.write_bytes(b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    out = str(tmp_path / "out.evr")
    cases = [
        ([str(tmp_path / "absent.pdf"), "--passphrase-env", "B9_PASS", "--out", out], "absent.pdf: no such file"),
        ([str(not_pdf), "--passphrase-env", "B9_PASS", "--out", out], "bid.docx: is not a PDF"),
        ([str(pdf), "--passphrase-env", "UNSET_PASS", "--out", out], "--passphrase-env UNSET_PASS: the variable is"),
        ([str(pdf), "--passphrase-env", "EMPTY_PASS", "--out", out], "--passphrase-env EMPTY_PASS: the variable is"),
        ([str(pdf), "--to", str(tmp_path / "none.pem"), "--out", out], "--to"),
        ([str(pdf), "--to", str(junk), "--out", out], "junk.pem: not a certificate"),
        ([str(pdf), "--to", str(ec.pem), "--out", out], "not RSA"),
        ([str(pdf), "--passphrase-env", "B9_PASS", "--out", str(tmp_path / "no" / "x.evr")], "does not exist"),
        ([str(pdf), "--passphrase-env", "B9_PASS", "--out", str(pdf)], "is the bid file itself"),
        ([str(pdf), "--out", out], "one of the arguments --passphrase-env --to is required"),
        ([str(pdf), "--passphrase-env", "B9_PASS", "--to", str(junk), "--out", out], "not allowed with"),
    ]
    for args, words in cases:
        assert main(["bid", "seal", *args]) == 2, args
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and words in err and "Traceback" not in err, (args, err)
        assert not Path(out).exists() and not Path(out + ".partial").exists()
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_refused_by_the_real_program_before_anything_is_created(tmp_path: Path) -> None:
    """The installed program (a subprocess, a fresh HOME): the checks come before its log folder is made."""
    import os
    import subprocess
    import sys

    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "bid.docx").write_bytes(b"PK\x03\x04 a word file")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVALROOM_", "XDG_"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_STATE_HOME=str(home / "state"), B9_PASS="pw")
    done = subprocess.run([sys.executable, "-m", "app", "bid", "seal", "bid.docx", "--passphrase-env", "B9_PASS",
                           "--out", "bid.evr"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "bid.docx: is not a PDF" in done.stderr, done
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["bid.docx", "home"]
