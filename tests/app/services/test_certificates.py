"""Check-in refuses an untrusted, an expired and a revoked (CRL kept locally) certificate, naming it and the reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from app.crypto.certs import load_p12, load_pem_certificates
from app.services.certificates import CertificateRefused, check_member_certificate, load_crls, trust_roots
from opensslpki import PASSPHRASE, make_ca


def test_untrusted_expired_and_revoked_certificates_are_refused(tmp_path: Path) -> None:
    rsa_ca, sm2_ca = make_ca(tmp_path / "rsa", "RSA CA", "rsa"), make_ca(tmp_path / "sm2", "SM2 CA", "sm2")
    good = load_p12(rsa_ca.issue("Expert Good", tmp_path / "good.p12"), PASSPHRASE.encode())
    revoked = load_p12(rsa_ca.issue("Expert Revoked", tmp_path / "revoked.p12"), PASSPHRASE.encode())
    sm2_member = load_p12(sm2_ca.issue("Expert SM2", tmp_path / "sm2.p12"), PASSPHRASE.encode())
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "sm2.pem").write_bytes(sm2_ca.pem.read_bytes())
    roots = trust_roots([rsa_ca.pem], tmp_path / "folder")  # settings' trust_ca_files + a folder of CA files
    assert len(roots) == 2
    ca_key = serialization.load_pem_private_key((tmp_path / "rsa" / "RSA CA.key").read_bytes(), None)
    ca_cert = load_pem_certificates(rsa_ca.pem)[0]
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    crl = (x509.CertificateRevocationListBuilder().issuer_name(ca_cert.subject).last_update(now)
           .next_update(now + dt.timedelta(days=7))
           .add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(revoked.cert.serial_number)
                                    .revocation_date(now).build())
           .sign(ca_key, hashes.SHA256()))  # type: ignore[arg-type]
    (tmp_path / "rsa.crl").write_bytes(crl.public_bytes(serialization.Encoding.PEM))
    crls = load_crls([tmp_path / "rsa.crl"])
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)  # after the certificates were issued (a loaded
    # machine may run this test minutes after the module was imported)
    check_member_certificate(good, roots, crls, soon)
    check_member_certificate(sm2_member, roots, crls, soon)
    with pytest.raises(CertificateRefused, match="'CN=Expert Revoked' refused: revoked on"):
        check_member_certificate(revoked, roots, crls, soon)
    with pytest.raises(CertificateRefused, match="'CN=Expert Good' refused: .*expired on"):
        check_member_certificate(good, roots, crls, soon + dt.timedelta(days=60))
    with pytest.raises(CertificateRefused, match="'CN=Expert SM2' refused: untrusted issuer") as refused:
        check_member_certificate(sm2_member, roots[:1], crls, soon)
    assert "证书“CN=Expert SM2”不被接受" in refused.value.message("zh")
