"""A trust store of several CA roots, and chain validation of document-signing certificates.

Why: the room console and experts may hold certificates from different CAs (seed 细则 §38 accepts several),
and a signature made with such a certificate counts only if its chain reaches one of the configured roots
at the time of signing. Path building is `cryptography.x509.verification` (RFC 5280 + CA/B Forum rules;
the API is marked unstable upstream). Its end-entity defaults are for TLS clients, so they are loosened
here for signing certificates: no subjectAltName needed; keyUsage must allow digitalSignature or
nonRepudiation; an extendedKeyUsage, if present, must include one of ``SIGNING_EKUS``; an
authorityKeyIdentifier is still required (RFC 5280). CA rules stay the Web-PKI defaults (critical
basicConstraints cA, keyCertSign), except that a CA's EKU need not list clientAuth. Limits: no CRL/OCSP
revocation checking, and issuer keys must be RSA or ECDSA P-256/384/521 (no Ed25519 or SM2 CAs) because the
verifier only knows the Web-PKI algorithms.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    Policy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from app.errors import EvalRoomError

SIGNING_EKUS: frozenset[ObjectIdentifier] = frozenset({
    ExtendedKeyUsageOID.CLIENT_AUTH,
    ExtendedKeyUsageOID.EMAIL_PROTECTION,
    ObjectIdentifier("1.3.6.1.5.5.7.3.36"),  # id-kp-documentSigning (RFC 9336)
    ObjectIdentifier("1.3.6.1.4.1.311.10.3.12"),  # Microsoft document signing
    ObjectIdentifier("1.2.840.113583.1.1.5"),  # Adobe authentic documents trust
    ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,
})
CA_CURVES = frozenset({"secp256r1", "secp384r1", "secp521r1"})  # the issuer keys the verifier accepts
MAX_CHAIN_DEPTH = 4  # intermediates between leaf and root; real document-signing chains have 0-2


class TrustError(EvalRoomError, ValueError):
    """A certificate chain that does not lead to a trusted root, or a certificate unfit for signing."""


def describe(cert: x509.Certificate) -> str:
    """A short human name for a certificate: its common name, else the whole subject."""
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def _utc(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)


def _validity_problem(cert: x509.Certificate, at: dt.datetime, role: str) -> str | None:
    if at < cert.not_valid_before_utc:
        return f"{role} {describe(cert)!r} is not valid before {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC"
    if at > cert.not_valid_after_utc:
        return f"{role} {describe(cert)!r} expired on {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC"
    return None


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _unsupported_ca_key(cert: x509.Certificate) -> str | None:
    """Why the verifier could never accept ``cert`` as an issuer (only Web-PKI CA key types), or None."""
    try:
        key = cert.public_key()
    except (ValueError, UnsupportedAlgorithm):  # e.g. SM2: an EC curve that cryptography does not know
        return "has a public key type that cannot be parsed (SM2?); only RSA and ECDSA P-256/384/521 CAs are supported"
    if isinstance(key, rsa.RSAPublicKey) or (
            isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name in CA_CURVES):
        return None
    return f"uses an unsupported key type ({type(key).__name__}); only RSA and ECDSA P-256/384/521 CAs are supported"


def _ee_key_usage(_policy: Policy, cert: x509.Certificate, usage: x509.KeyUsage) -> None:
    if usage.key_cert_sign:
        raise ValueError(f"wrong key usage: {describe(cert)!r} is a certificate-signing key, not a signing key")
    if not (usage.digital_signature or usage.content_commitment):
        raise ValueError(f"wrong key usage: {describe(cert)!r} allows neither digitalSignature nor nonRepudiation")


EkuValidator = Callable[[Policy, x509.Certificate, x509.ExtendedKeyUsage | None], None]


def _eku_check(accepted: frozenset[ObjectIdentifier]) -> EkuValidator:
    def check(_policy: Policy, cert: x509.Certificate, ekus: x509.ExtendedKeyUsage | None) -> None:
        if ekus is not None and not accepted.intersection(ekus):
            listed = ", ".join(getattr(oid, "_name", oid.dotted_string) for oid in ekus)
            raise ValueError(f"wrong extended key usage: {describe(cert)!r} is only for {listed}")
    return check


def _policies(accepted: frozenset[ObjectIdentifier]) -> tuple[ExtensionPolicy, ExtensionPolicy]:
    """(CA policy, end-entity policy) for document-signing certificates."""
    eku = _eku_check(accepted)
    ca = ExtensionPolicy.webpki_defaults_ca().may_be_present(x509.ExtendedKeyUsage, Criticality.AGNOSTIC, eku)
    ee = (
        ExtensionPolicy.webpki_defaults_ee()
        .may_be_present(x509.SubjectAlternativeName, Criticality.AGNOSTIC, None)
        .may_be_present(x509.ExtendedKeyUsage, Criticality.AGNOSTIC, eku)
        .require_present(x509.KeyUsage, Criticality.AGNOSTIC, _ee_key_usage)
    )
    return ca, ee


@dataclass(frozen=True)
class TrustStore:
    """The CA roots a room accepts, each a self-contained trust anchor."""

    roots: tuple[x509.Certificate, ...]
    accepted_ekus: frozenset[ObjectIdentifier] = SIGNING_EKUS

    def __post_init__(self) -> None:
        if not self.roots:
            raise TrustError("the trust store has no root certificates")
        for cert in self.roots:
            if not _is_ca(cert):
                raise TrustError(f"trust store entry {describe(cert)!r} is not a CA certificate")
            problem = _unsupported_ca_key(cert)
            if problem:
                raise TrustError(f"trust store entry {describe(cert)!r} {problem}")
        unique = tuple(dict.fromkeys(self.roots))
        object.__setattr__(self, "roots", unique)

    @classmethod
    def from_pem_bundle(cls, data: bytes) -> TrustStore:
        """Roots from concatenated PEM certificates."""
        try:
            certs = x509.load_pem_x509_certificates(data)
        except ValueError as exc:
            raise TrustError(f"not a PEM certificate bundle: {exc}") from exc
        return cls(tuple(certs))

    @classmethod
    def from_pem_files(cls, paths: Iterable[Path | str]) -> TrustStore:
        """Roots from several PEM files (one CA each, or bundles)."""
        certs: list[x509.Certificate] = []
        for path in paths:
            try:
                certs.extend(cls.from_pem_bundle(Path(path).read_bytes()).roots)
            except TrustError as exc:
                raise TrustError(f"{path}: {exc}") from exc
        return cls(tuple(certs))

    def verify_chain(
        self, leaf: x509.Certificate, intermediates: list[x509.Certificate], at: dt.datetime
    ) -> list[x509.Certificate]:
        """The validated chain, leaf first and a trusted root last, at time ``at`` (naive means UTC)."""
        at = _utc(at)
        problem = _validity_problem(leaf, at, "certificate")
        if problem:
            raise TrustError(problem)
        ca_policy, ee_policy = _policies(self.accepted_ekus)
        verifier = (
            PolicyBuilder().store(Store(list(self.roots))).time(at).max_chain_depth(MAX_CHAIN_DEPTH)
            .extension_policies(ca_policy=ca_policy, ee_policy=ee_policy).build_client_verifier()
        )
        try:
            return list(verifier.verify(leaf, list(intermediates)).chain)
        except VerificationError as exc:
            raise TrustError(self._explain(exc, leaf, intermediates, at)) from exc

    def _explain(self, exc: Exception, leaf: x509.Certificate, intermediates: list[x509.Certificate],
                 at: dt.datetime) -> str:
        """A one-line reason: follow issuer names to find the first missing or expired link."""
        by_subject = {c.subject: c for c in intermediates}
        roots = {c.subject: c for c in self.roots}
        cert, seen = leaf, set()
        while cert.issuer not in roots:
            issuer = by_subject.get(cert.issuer)
            if issuer is None or issuer.subject in seen:
                return (f"untrusted issuer: {cert.issuer.rfc4514_string()} (issuer of {describe(cert)!r}) "
                        "is not a trusted root and no intermediate for it was given")
            if issuer.issuer == issuer.subject:
                return f"untrusted root: {describe(issuer)!r} is not in the trust store"
            if not _is_ca(issuer):
                return f"{describe(issuer)!r} is not a CA certificate and cannot issue {describe(cert)!r}"
            problem = _validity_problem(issuer, at, "intermediate CA")
            unusable = _unsupported_ca_key(issuer)
            if problem or unusable:
                return problem or f"intermediate CA {describe(issuer)!r} {unusable}"
            seen.add(issuer.subject)
            cert = issuer
        problem = _validity_problem(roots[cert.issuer], at, "root CA")
        if problem:
            return problem
        return f"certificate {describe(leaf)!r} not trusted: {_clean(str(exc))}"


def _clean(message: str) -> str:
    """The verifier's message without its prefixes and the certificate repr it appends."""
    message = re.sub(r"\s*\(encountered processing <Certificate.*\)$", "", message)
    message = re.sub(r"^validation failed: (candidates exhausted: )?", "", message)
    return re.sub(r"Python extension validator failed: \w+: ", "", message)
