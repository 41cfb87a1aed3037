"""Check-in's refusal of a certificate a trading center would not accept: untrusted, expired (or not yet valid), or
revoked by a CRL kept on this PC (offline). The console's check-in asks :func:`check_member_certificate` before the
binding is recorded; the refusal names the certificate and the reason (Chinese and English, catalogue
``cert.refused``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm

from app.crypto import sm2
from app.crypto.certs import SM2, CertKey, chain_problem, key_algorithm, load_pem_certificates
from app.errors import Bilingual


class CertificateRefused(Bilingual):
    """A member's certificate refused at check-in (exit 1 where a command asks: checked and found invalid)."""

    exit_code = 1


def _crl_signed_by(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    alg, bits = key_algorithm(issuer)
    if alg == SM2:
        return sm2.verify_certificate_signature(bits, crl.tbs_certlist_bytes, crl.signature)
    try:
        return crl.is_signature_valid(issuer.public_key())  # type: ignore[arg-type]
    except (TypeError, ValueError, UnsupportedAlgorithm):
        return False


def load_crls(paths: Iterable[Path]) -> list[x509.CertificateRevocationList]:
    crls = []
    for path in paths:
        data = path.read_bytes()
        pem = data.lstrip().startswith(b"-----")
        crls.append(x509.load_pem_x509_crl(data) if pem else x509.load_der_x509_crl(data))
    return crls


def revocation_problem(cert: x509.Certificate, issuers: list[x509.Certificate],
                       crls: list[x509.CertificateRevocationList], at: dt.datetime) -> str | None:
    for crl in crls:
        if crl.issuer != cert.issuer:
            continue
        if not any(i.subject == crl.issuer and _crl_signed_by(crl, i) for i in issuers):
            continue  # a CRL its issuer did not sign says nothing
        entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
        if entry is not None and entry.revocation_date_utc <= at:
            return f"revoked on {entry.revocation_date_utc:%Y-%m-%d %H:%M} UTC (CRL of {crl.issuer.rfc4514_string()})"
    return None


def check_member_certificate(cert: CertKey, roots: list[x509.Certificate],
                             crls: list[x509.CertificateRevocationList] | None = None,
                             at: dt.datetime | None = None) -> None:
    """Raise :class:`CertificateRefused` naming the certificate and the reason, or return when it is accepted."""
    at = at or dt.datetime.now(dt.UTC)
    problem = chain_problem(cert.cert, cert.chain, roots, at) or revocation_problem(
        cert.cert, [*cert.chain, *roots], crls or [], at)
    if problem:
        raise CertificateRefused(key="cert.refused", name=cert.name, reason=problem)


def trust_roots(files: Iterable[Path], folder: Path | None = None) -> list[x509.Certificate]:
    """The roots of the settings' ``trust_ca_files`` and every ``*.pem``/``*.crt`` of a folder of CA files."""
    paths = list(files)
    if folder is not None and folder.is_dir():
        paths += sorted(p for p in folder.iterdir() if p.suffix.lower() in (".pem", ".crt"))
    return [c for path in paths for c in load_pem_certificates(path)]
