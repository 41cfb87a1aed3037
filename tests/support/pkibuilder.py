"""A throw-away test PKI built with `cryptography`: two root CAs, an intermediate, and leaf certificates.

Seed 细则 §38 accepts certificates from several CAs, so the trust tests need more than one root. CA keys
are ECDSA P-256 because `cryptography.x509.verification` only accepts Web-PKI issuer key types (RSA,
P-256/384/521); the leaves may be Ed25519 (the room console) or P-256 (an expert's CA certificate).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
YEAR = dt.timedelta(days=365)

SIGNING_USAGE = dict(
    digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
    key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
)
CA_USAGE = {**SIGNING_USAGE, "digital_signature": False, "content_commitment": False,
            "key_cert_sign": True, "crl_sign": True}


@dataclass
class Issued:
    """A certificate with its private key."""

    cert: x509.Certificate
    key: PrivateKey = field(repr=False)


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "EvalRoom Test PKI"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _aki(issuer: Issued) -> x509.AuthorityKeyIdentifier:
    return x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key())  # type: ignore[arg-type]


def _sign(builder: x509.CertificateBuilder, issuer_key: PrivateKey) -> x509.Certificate:
    algorithm = None if isinstance(issuer_key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return builder.sign(issuer_key, algorithm)


def make_ca(
    common_name: str,
    issuer: Issued | None = None,
    *,
    key: PrivateKey | None = None,
    not_before: dt.datetime = NOW - YEAR,
    not_after: dt.datetime = NOW + 10 * YEAR,
    path_length: int | None = None,
) -> Issued:
    """A root CA (``issuer`` None, self-signed) or an intermediate CA under ``issuer``; P-256 by default."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    subject = _name(common_name)
    issuer_name = issuer.cert.subject if issuer else subject
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(issuer_name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(x509.KeyUsage(**CA_USAGE), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer:
        builder = builder.add_extension(_aki(issuer), critical=False)
    return Issued(_sign(builder, signing_key), key)


def make_leaf(
    common_name: str,
    issuer: Issued,
    *,
    key: PrivateKey | None = None,
    not_before: dt.datetime = NOW - YEAR,
    not_after: dt.datetime = NOW + YEAR,
    usage: dict[str, bool] | None = None,
    eku: list[x509.ObjectIdentifier] | None = None,
    ca: bool | None = None,
    email: str | None = None,
) -> Issued:
    """An end-entity certificate; by default for signing (digitalSignature + nonRepudiation), no EKU, no SAN."""
    key = key or ed25519.Ed25519PrivateKey.generate()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name)).issuer_name(issuer.cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.KeyUsage(**(usage or SIGNING_USAGE)), critical=True)
        .add_extension(_aki(issuer), critical=False)
    )
    if ca is not None:
        builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    if email is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
    return Issued(_sign(builder, issuer.key), key)


@dataclass
class TestPKI:
    """Root A → intermediate → room console (Ed25519); root B → expert (P-256, clientAuth + e-mail SAN)."""

    root_a: Issued
    root_b: Issued
    intermediate: Issued
    console: Issued
    expert: Issued

    __test__ = False  # not a pytest test class


def build_pki() -> TestPKI:
    root_a = make_ca("Test Root CA A")
    root_b = make_ca("Test Root CA B")
    intermediate = make_ca("Test Center Sub CA", root_a, path_length=0)
    console = make_leaf("Room 3 console", intermediate)
    expert = make_leaf("Expert Zhang San", root_b, key=ec.generate_private_key(ec.SECP256R1()),
                       eku=[ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION],
                       email="zhangsan@example.cn")
    return TestPKI(root_a, root_b, intermediate, console, expert)
