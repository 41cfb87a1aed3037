"""Certificates from three CAs (RSA, ECDSA P-256, SM2) made by the openssl command: PKCS#12 loading, signatures
with a certificate's key, chain validation (SM2 chains walked by us, the others by cryptography's verifier)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from app.crypto import certs, sm2
from app.crypto.keys import SM2, Sm2SigningKey, VerifyingKey
from opensslpki import PASSPHRASE, Ca, make_ca


def soon() -> dt.datetime:
    """A moment after the certificates a test has just made begin (taken when the test checks, not when the module
    was imported: a loaded machine, or a run that hands the longest work out first, may run it much later)."""
    return dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Ca]:
    folder = tmp_path_factory.mktemp("pki")
    return {alg: make_ca(folder / alg, f"{alg.upper()} Test CA", alg) for alg in ("rsa", "ecdsa", "sm2")}


@pytest.mark.parametrize("alg", ["rsa", "ecdsa", "sm2"])
def test_a_p12_of_each_algorithm_loads_signs_and_chains(pki: dict[str, Ca], alg: str, tmp_path: Path) -> None:
    ca = pki[alg]
    member = certs.load_p12(ca.issue(f"Expert {alg}", tmp_path / "E1.p12"), PASSPHRASE.encode())
    assert member.alg == alg and member.name == f"Expert {alg}"
    assert [certs.describe(c) for c in member.chain] == [ca.name]
    signature = member.sign(b"the act")
    assert certs.verify_with_certificate(member.cert, signature, b"the act")
    assert not certs.verify_with_certificate(member.cert, signature, b"another act")
    roots = certs.load_pem_certificates(ca.pem)
    now = soon()
    assert certs.chain_problem(member.cert, [], roots, now) is None
    other = [r for a, c in pki.items() if a != alg for r in certs.load_pem_certificates(c.pem)]
    problem = certs.chain_problem(member.cert, [], other, now)
    assert problem is not None and "untrusted" in problem
    assert certs.chain_problem(member.cert, [], roots, now + dt.timedelta(days=90)) is not None  # expired then


def test_an_sm2_leaf_of_the_sm2_ca_with_a_forged_issuer_is_caught(pki: dict[str, Ca], tmp_path: Path) -> None:
    impostor = make_ca(tmp_path / "impostor", pki["sm2"].name, "sm2")  # same name, another key
    member = certs.load_p12(impostor.issue("Forger", tmp_path / "F.p12"), PASSPHRASE.encode())
    problem = certs.chain_problem(member.cert, [], certs.load_pem_certificates(pki["sm2"].pem), soon())
    assert problem is not None and "does not verify" in problem


def test_wrong_passphrase_and_unreadable_files_are_refused(pki: dict[str, Ca], tmp_path: Path) -> None:
    path = pki["sm2"].issue("Expert", tmp_path / "E2.p12")
    with pytest.raises(certs.CertificateFileError, match="wrong passphrase"):
        certs.load_p12(path, b"not it")
    with pytest.raises(certs.CertificateFileError, match="E9.p12"):
        certs.load_p12(tmp_path / "E9.p12", PASSPHRASE.encode())


def test_our_sm2_signature_verifies_with_openssl_and_uses_the_default_id(tmp_path: Path) -> None:
    key = Sm2SigningKey.generate()
    signature = key.sign(b"hello")
    assert key.public.alg == SM2 and VerifyingKey(SM2, key.public.raw).verify(signature, b"hello")
    assert not key.public.verify(signature, b"hellO")
    assert not sm2.verify(key.public.raw, b"hello", signature, user_id=b"another id")
    from asn1crypto import keys as asn1_keys
    spki = asn1_keys.PublicKeyInfo({"algorithm": {"algorithm": "ec", "parameters": ("named", sm2.CURVE_OID)},
                                    "public_key": key.public.raw})
    (tmp_path / "pub.der").write_bytes(spki.dump())
    (tmp_path / "msg").write_bytes(b"hello")
    (tmp_path / "sig").write_bytes(signature)
    done = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey", "pub.der",
                           "-rawin", "-digest", "sm3", "-in", "msg", "-sigfile", "sig",
                           "-pkeyopt", "distid:1234567812345678"], cwd=tmp_path, capture_output=True, text=True)
    assert "Signature Verified Successfully" in done.stdout, done.stderr
