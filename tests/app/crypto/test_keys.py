"""Signing keys: signatures, key ids, PEM public keys and PKCS#12 private keys at rest (checked with openssl)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12

from app.crypto.keys import ED25519, PKCS12_KDF_ROUNDS, KeyFileError, SigningKey, VerifyingKey, stretch_passphrase

PASSPHRASE = b"correct-horse-battery-staple"
FAST = 1000  # KDF rounds for tests that are not about the KDF


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture(scope="module")
def p12(key: SigningKey) -> bytes:
    """The key file as the app writes it: 600 000 PBKDF2 rounds."""
    return key.to_pkcs12(PASSPHRASE)


def test_sign_and_verify(key: SigningKey) -> None:
    signature = key.sign(b"score 87.50")
    assert len(signature) == 64
    assert key.public.verify(signature, b"score 87.50")
    assert not key.public.verify(signature, b"score 97.50")
    assert not key.public.verify(signature[:-1], b"score 87.50")
    assert not SigningKey.generate().public.verify(signature, b"score 87.50")
    assert not VerifyingKey(ED25519, b"short").verify(signature, b"score 87.50")


def test_key_id_is_stable_and_distinct(key: SigningKey) -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", key.key_id)
    assert key.key_id == key.public.key_id == VerifyingKey(ED25519, key.public.raw).key_id
    assert SigningKey.generate().key_id != key.key_id


def test_unsupported_algorithm(key: SigningKey) -> None:
    with pytest.raises(KeyFileError, match="unsupported signature algorithm 'sm9'"):
        VerifyingKey("sm9", key.public.raw).verify(b"", b"")
    with pytest.raises(KeyFileError, match="65-byte uncompressed point"):  # an SM2 key must be a point
        VerifyingKey("sm2", key.public.raw).verify(b"", b"")


def test_public_key_pem_round_trip(key: SigningKey) -> None:
    assert VerifyingKey.from_pem(key.public.to_pem()) == key.public
    with pytest.raises(KeyFileError, match="not a PEM public key"):
        VerifyingKey.from_pem(b"garbage")
    ec_pem = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(KeyFileError, match="unsupported public key type"):
        VerifyingKey.from_pem(ec_pem)


def test_pkcs12_round_trip(key: SigningKey, p12: bytes) -> None:
    loaded = SigningKey.from_pkcs12(p12, PASSPHRASE)
    assert loaded.public == key.public
    assert key.public.verify(loaded.sign(b"m"), b"m")


def test_wrong_passphrase_or_damaged_file(p12: bytes) -> None:
    with pytest.raises(KeyFileError, match="wrong passphrase or damaged file"):
        SigningKey.from_pkcs12(p12, b"wrong")
    damaged = bytearray(p12)
    damaged[len(damaged) // 2] ^= 0xFF
    with pytest.raises(KeyFileError):
        SigningKey.from_pkcs12(bytes(damaged), PASSPHRASE)
    with pytest.raises(KeyFileError):
        SigningKey.from_pkcs12(b"not a key file", PASSPHRASE)


def test_a_non_ed25519_key_file_is_refused() -> None:
    other = pkcs12.serialize_key_and_certificates(
        b"x", ec.generate_private_key(ec.SECP256R1()), None, None, serialization.BestAvailableEncryption(PASSPHRASE))
    with pytest.raises(KeyFileError, match="unsupported private key type"):
        SigningKey.from_pkcs12(other, PASSPHRASE)


def test_save_and_load(key: SigningKey, tmp_path: Path) -> None:
    path = tmp_path / "console.p12"
    key.save(path, PASSPHRASE, rounds=FAST)
    assert SigningKey.load(path, PASSPHRASE).public == key.public
    assert VerifyingKey.from_pem((tmp_path / "console.pub.pem").read_bytes()) == key.public
    with pytest.raises(KeyFileError):
        SigningKey.load(path, b"wrong")


def _openssl_info(data: bytes, tmp_path: Path, passphrase: bytes) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "key.p12"
    path.write_bytes(data)
    return subprocess.run(
        ["openssl", "pkcs12", "-info", "-noout", "-in", str(path), "-passin", "pass:" + passphrase.decode()],
        capture_output=True, text=True, timeout=60,
    )


needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl command not installed")


@needs_openssl
def test_openssl_reports_pbkdf2_600000_and_aes_256(p12: bytes, tmp_path: Path) -> None:
    result = _openssl_info(p12, tmp_path, PASSPHRASE)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    keybag = next(line for line in report.splitlines() if line.startswith("Shrouded Keybag"))
    assert "PBES2, PBKDF2, AES-256-CBC" in keybag
    assert f"Iteration {PKCS12_KDF_ROUNDS}" in keybag and PKCS12_KDF_ROUNDS == 600_000
    assert "hmacWithSHA256" in keybag
    assert re.search(r"^MAC: sha256", report, re.M)


@needs_openssl
def test_openssl_refuses_the_wrong_passphrase(p12: bytes, tmp_path: Path) -> None:
    result = _openssl_info(p12, tmp_path, b"wrong")
    assert result.returncode != 0
    assert "invalid password" in (result.stdout + result.stderr)


@needs_openssl
def test_saved_key_needs_the_stretched_passphrase(key: SigningKey, tmp_path: Path) -> None:
    """The PKCS#12 MAC has only 2048 iterations, so the saved file is keyed with scrypt(passphrase):
    a guess can no longer be checked cheaply against the MAC with the human passphrase itself."""
    path = tmp_path / "room.p12"
    key.save(path, PASSPHRASE, rounds=FAST)
    kdf = json.loads((tmp_path / "room.kdf.json").read_text())
    assert kdf["kdf"] == "scrypt" and kdf["n"] >= 2**15 and len(bytes.fromhex(kdf["salt"])) == 16
    with pytest.raises(KeyFileError):
        SigningKey.from_pkcs12(path.read_bytes(), PASSPHRASE)
    derived = stretch_passphrase(PASSPHRASE, kdf)
    assert SigningKey.from_pkcs12(path.read_bytes(), derived).public == key.public
    if shutil.which("openssl"):
        assert _openssl_info(path.read_bytes(), tmp_path, PASSPHRASE).returncode != 0
        assert _openssl_info(path.read_bytes(), tmp_path, derived).returncode == 0


def test_damaged_kdf_parameters_are_a_clear_error(key: SigningKey, tmp_path: Path) -> None:
    path = tmp_path / "room.p12"
    key.save(path, PASSPHRASE, rounds=FAST)
    (tmp_path / "room.kdf.json").write_text("{}")
    with pytest.raises(KeyFileError, match="room.kdf.json are damaged"):
        SigningKey.load(path, PASSPHRASE)
