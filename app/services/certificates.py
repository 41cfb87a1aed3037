"""Check-in's refusal of a certificate a trading center would not accept: untrusted, expired (or not yet valid),
wrong key usage, or revoked (a CRL kept on this PC, offline; OCSP where configured and a responder answers). The
trust store is the settings' (:func:`trust_from_settings`: ``trust_ca_files``, ``trust_ca_folder``,
``trust_crl_folder``, ``trust_ocsp``; ``app.crypto.truststore``); the consoles' check-ins (the one-window login
and a paired PC's) ask :func:`check_certificate` before the binding is recorded, ``evalroom verify`` and the
center use the same store for an archive's certificates. The refusal names the certificate and the reason
(Chinese and English, catalogue ``cert.refused``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from app.crypto.certs import CertificateFileError, CertKey, load_p12, load_pem_certificates
from app.crypto.tokens import TokenError, TokenKey, open_token
from app.crypto.trust import describe
from app.crypto.truststore import CertificateTrust, load_crls, revocation_problem
from app.errors import Bilingual
from app.settings import Settings


class CertificateRefused(Bilingual):
    """A member's certificate refused at check-in (exit 1 where a command asks: checked and found invalid)."""

    exit_code = 1


class TrustStoreError(Bilingual):
    """The settings' trust store cannot be read (a CA file, the CA folder or a CRL): exit 2."""

    exit_code = 2


def trust_from_settings(settings: Settings) -> CertificateTrust:
    """The trust store the settings describe; :class:`TrustStoreError` names the setting and the file."""
    try:
        return CertificateTrust.load(settings.trust_ca_files, settings.trust_ca_folder, settings.trust_crl_folder,
                                     ocsp=settings.trust_ocsp)
    except CertificateFileError as exc:
        raise TrustStoreError(key="cert.trust_store", reason=exc.message("en"), reason_zh=exc.message("zh")) from exc


@dataclass(frozen=True)
class CertificateFacts:
    """What check-in shows of a certificate before it is used: subject, issuer, validity, serial, key."""

    subject: str
    issuer: str
    not_before: dt.datetime
    not_after: dt.datetime
    serial: str
    key: str  # rsa, ecdsa, sm2
    name: str  # the short name (common name)


def facts(cert: x509.Certificate, alg: str) -> CertificateFacts:
    return CertificateFacts(cert.subject.rfc4514_string(), cert.issuer.rfc4514_string(), cert.not_valid_before_utc,
                            cert.not_valid_after_utc, f"{cert.serial_number:x}", alg, describe(cert))


def open_p12_certificate(path: Path, passphrase: str) -> CertKey:
    """The member's certificate and key from a PKCS#12 file (RSA, ECDSA or SM2); :class:`CertificateFileError`
    names the file and what is wrong (a wrong passphrase too)."""
    return load_p12(Path(path), passphrase.encode("utf-8"))


def open_token_certificate(settings: Settings, pin: str) -> TokenKey:
    """The member's certificate on the USB key of the settings' ``pkcs11_module`` (slot ``pkcs11_slot``, else the
    first with a token), logged in with ``pin`` (typed, never stored). :class:`TokenError` says what is wrong."""
    if settings.pkcs11_module is None:
        raise TokenError(key="token.not_configured")
    return open_token(settings.pkcs11_module, settings.pkcs11_slot, pin)


def check_certificate(trust: CertificateTrust, cert: x509.Certificate, chain: Sequence[x509.Certificate],
                      at: dt.datetime | None = None, *, online: bool = True) -> None:
    """Raise :class:`CertificateRefused` naming the certificate (its subject) and the reason, or return.
    ``online=False``: the chain and the local CRLs only (no wait on an OCSP responder; see :func:`check_ocsp`)."""
    problem = trust.problem(cert, chain, at, online=online)
    if problem:
        raise CertificateRefused(key="cert.refused", name=cert.subject.rfc4514_string(), reason=problem)


def check_ocsp(trust: CertificateTrust, cert: x509.Certificate, chain: Sequence[x509.Certificate],
               at: dt.datetime | None = None) -> None:
    """The OCSP part of :func:`check_certificate` (``trust_ocsp``): it waits on the network (up to 3 s a link), so a
    console asks it off its database thread, before the check-in is written. :class:`CertificateRefused` or return."""
    problem = trust.ocsp_problem(cert, chain, at)
    if problem:
        raise CertificateRefused(key="cert.refused", name=cert.subject.rfc4514_string(), reason=problem)


def check_member_certificate(cert: CertKey, roots: list[x509.Certificate],
                             crls: list[x509.CertificateRevocationList] | None = None,
                             at: dt.datetime | None = None) -> None:
    """:func:`check_certificate` with a trust store of ``roots`` and ``crls``."""
    check_certificate(CertificateTrust(tuple(roots), tuple(crls or ())), cert.cert, cert.chain, at)


def trust_roots(files: Iterable[Path], folder: Path | None = None) -> list[x509.Certificate]:
    """The roots of the settings' ``trust_ca_files`` and every ``*.pem``/``*.crt`` of a folder of CA files."""
    paths = list(files)
    if folder is not None and folder.is_dir():
        paths += sorted(p for p in folder.iterdir() if p.suffix.lower() in (".pem", ".crt", ".cer"))
    return [c for path in paths for c in load_pem_certificates(path)]


__all__ = ["CertKey", "CertificateFacts", "CertificateFileError", "CertificateRefused", "CertificateTrust",
           "TokenError", "TokenKey", "TrustStoreError", "check_certificate", "check_member_certificate", "check_ocsp",
           "facts", "load_crls", "open_p12_certificate", "open_token_certificate", "revocation_problem",
           "trust_from_settings", "trust_roots"]
