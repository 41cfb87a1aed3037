"""X.509 signing certificates of members and the room: PKCS#12 files (RSA, ECDSA P-256, SM2), signatures made and
checked with a certificate's key, and chain validation across several CAs (seed 细则 §38), SM2 CAs included.

``cryptography`` reads RSA and ECDSA PKCS#12 files and validates their chains (``app.crypto.trust``). It parses an
SM2 certificate but not its key ("Curve 1.2.156.10197.1.301 is not supported"), and cannot open an SM2 PKCS#12 file
or check a chain whose CA key is SM2. So: after ``cryptography`` has checked the file's MAC (it fails on the key
only afterwards), an SM2 file is opened here with ``asn1crypto`` (PBES2: PBKDF2 + AES-CBC, what OpenSSL 3.0 writes);
a chain with an SM2 link is walked here (issuer by name, each signature with SM2/SM3 or the issuer's RSA/ECDSA key,
validity at the signing time, basicConstraints cA and keyUsage keyCertSign of each CA, the leaf's keyUsage
digitalSignature or nonRepudiation) up to one of the given roots. Signatures by a certificate's key: RSA PKCS#1 v1.5
with SHA-256, ECDSA with SHA-256 (DER), SM2 with SM3 and the GM/T 0009 default user id.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.serialization import pkcs12

from app.crypto import sm2
from app.crypto.trust import MAX_CHAIN_DEPTH, TrustError, TrustStore, describe
from app.errors import EvalRoomError

RSA, ECDSA, SM2 = "rsa", "ecdsa", "sm2"
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {"sha1": hashes.SHA1, "sha256": hashes.SHA256,
                                                  "sha384": hashes.SHA384, "sha512": hashes.SHA512}


class CertificateFileError(EvalRoomError, ValueError):
    """A certificate file (PKCS#12 or PEM) that cannot be used (exit 2)."""

    key = "cert.file"
    help_key = "cert.file.help"


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def key_algorithm(cert: x509.Certificate) -> tuple[str, bytes]:
    """(``rsa`` | ``ecdsa`` | ``sm2`` | another name, the SubjectPublicKeyInfo's key bits) of ``cert``."""
    spki = _spki(cert)
    algorithm = spki["algorithm"]["algorithm"].dotted
    bits = bytes(spki["public_key"].contents)[1:]  # BIT STRING: drop the unused-bits byte
    if algorithm == "1.2.840.113549.1.1.1":
        return RSA, bits
    if algorithm in ("1.2.840.10045.2.1", sm2.CURVE_OID):
        params = spki["algorithm"]["parameters"]
        curve = params.chosen.dotted if algorithm != sm2.CURVE_OID and params.name == "named" else sm2.CURVE_OID
        return (SM2 if curve == sm2.CURVE_OID else ECDSA), bits
    return algorithm, bits


def _spki(cert: x509.Certificate) -> asn1_keys.PublicKeyInfo:
    from asn1crypto import x509 as asn1_x509
    return asn1_x509.Certificate.load(_der(cert))["tbs_certificate"]["subject_public_key_info"]


def verify_with_certificate(cert: x509.Certificate, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` signs ``message`` with ``cert``'s key (the algorithms of :class:`CertKey`)."""
    alg, bits = key_algorithm(cert)
    if alg == SM2:
        return sm2.verify(bits, message, signature)
    try:
        public = cert.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, message, ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except (InvalidSignature, ValueError, UnsupportedAlgorithm):
        return False
    return True


@dataclass
class CertKey:
    """A certificate with its private key (from a PKCS#12 file): signs a member's or the room's acts."""

    cert: x509.Certificate
    chain: list[x509.Certificate]
    alg: str
    _rsa_ec: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = field(default=None, repr=False)
    _sm2: tuple[bytes, bytes] | None = field(default=None, repr=False)  # (private, public point)

    @property
    def name(self) -> str:
        return describe(self.cert)

    @property
    def private_key(self) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None:
        """The RSA or ECDSA key (for the report's PAdES seal); None for SM2."""
        return self._rsa_ec

    def sign(self, message: bytes) -> bytes:
        if self._sm2 is not None:
            return sm2.sign(self._sm2[0], self._sm2[1], message)
        if isinstance(self._rsa_ec, rsa.RSAPrivateKey):
            return self._rsa_ec.sign(message, padding.PKCS1v15(), hashes.SHA256())
        assert isinstance(self._rsa_ec, ec.EllipticCurvePrivateKey)
        return self._rsa_ec.sign(message, ec.ECDSA(hashes.SHA256()))

    def cert_b64(self) -> str:
        return base64.b64encode(_der(self.cert)).decode("ascii")

    def chain_b64(self) -> list[str]:
        return [base64.b64encode(_der(c)).decode("ascii") for c in self.chain]


def load_p12(path: Path, passphrase: bytes) -> CertKey:
    """The certificate and key of a PKCS#12 file (RSA, ECDSA or SM2); the other certificates as its chain."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CertificateFileError(key="cert.file", path=str(path), reason=exc.strerror or str(exc)) from exc
    try:
        private, cert, extra = pkcs12.load_key_and_certificates(data, passphrase)
    except UnsupportedAlgorithm:  # the MAC held (the password is right): an SM2 key cryptography cannot hold
        return _load_sm2_p12(path, data, passphrase)
    except ValueError as exc:
        raise CertificateFileError(key="cert.file", path=str(path),
                                   reason="wrong passphrase or not a PKCS#12 file") from exc
    if cert is None or private is None:
        raise CertificateFileError(key="cert.file", path=str(path), reason="it holds no certificate with its key")
    if isinstance(private, rsa.RSAPrivateKey):
        alg = RSA
    elif isinstance(private, ec.EllipticCurvePrivateKey):
        alg = ECDSA
    else:
        raise CertificateFileError(key="cert.file", path=str(path),
                                   reason=f"unsupported key type {type(private).__name__}")
    return CertKey(cert, list(extra), alg, _rsa_ec=private)


def _decrypt(algorithm: asn1_keys.EncryptionAlgorithm, ciphertext: bytes, passphrase: bytes) -> bytes:
    if algorithm["algorithm"].native != "pbes2" or algorithm.kdf != "pbkdf2":
        raise ValueError(f"encryption {algorithm['algorithm'].native} (only PBES2 with PBKDF2, OpenSSL 3.0's default)")
    cipher = algorithm.encryption_cipher
    if cipher != "aes":
        raise ValueError(f"cipher {cipher} (only AES)")
    hmac = _HASHES.get(algorithm.kdf_hmac)
    if hmac is None:
        raise ValueError(f"PBKDF2 with {algorithm.kdf_hmac}")
    key = PBKDF2HMAC(hmac(), algorithm.key_length, algorithm.kdf_salt, algorithm.kdf_iterations).derive(passphrase)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(algorithm.encryption_iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    pad = padded[-1] if padded else 0
    if not 1 <= pad <= 16 or padded[-pad:] != bytes([pad]) * pad:
        raise ValueError("bad padding (wrong passphrase?)")
    return padded[:-pad]


def _load_sm2_p12(path: Path, data: bytes, passphrase: bytes) -> CertKey:
    try:
        pfx = asn1_pkcs12.Pfx.load(data)
        keys: list[bytes] = []
        certs: list[bytes] = []
        for info in pfx.authenticated_safe:
            kind = info["content_type"].native
            if kind == "data":
                contents = asn1_pkcs12.SafeContents.load(info["content"].native)
            elif kind == "encrypted_data":
                enc = info["content"]["encrypted_content_info"]
                contents = asn1_pkcs12.SafeContents.load(
                    _decrypt(enc["content_encryption_algorithm"], enc["encrypted_content"].native, passphrase))
            else:
                continue
            for bag in contents:
                bag_id, value = bag["bag_id"].native, bag["bag_value"]
                if bag_id == "pkcs8_shrouded_key_bag":
                    keys.append(_decrypt(value["encryption_algorithm"], value["encrypted_data"].native, passphrase))
                elif bag_id == "key_bag":
                    keys.append(value.dump())
                elif bag_id == "cert_bag" and value["cert_id"].native == "x509":
                    certs.append(value["cert_value"].parsed.dump())
        if len(keys) != 1:
            raise ValueError(f"{len(keys)} private keys (one expected)")
        info = asn1_keys.PrivateKeyInfo.load(keys[0])
        ec_key = asn1_keys.ECPrivateKey.load(info["private_key"].contents)
        private = int(ec_key["private_key"].native).to_bytes(32, "big")
        loaded = [x509.load_der_x509_certificate(c) for c in certs]
    except (ValueError, KeyError, TypeError) as exc:
        raise CertificateFileError(key="cert.file", path=str(path), reason=f"cannot open its SM2 key: {exc}") from exc
    for cert in loaded:
        alg, point = key_algorithm(cert)
        if alg == SM2 and len(point) == 65:
            probe = sm2.sign(private, point, b"evalroom key check")
            if sm2.verify(point, b"evalroom key check", probe):
                return CertKey(cert, [c for c in loaded if c is not cert], SM2, _sm2=(private, point))
    raise CertificateFileError(key="cert.file", path=str(path), reason="no certificate matches its SM2 key")


def load_pem_certificates(path: Path) -> list[x509.Certificate]:
    """The certificates of a PEM file (a root, or a bundle)."""
    try:
        return x509.load_pem_x509_certificates(path.read_bytes())
    except OSError as exc:
        raise CertificateFileError(key="cert.file", path=str(path), reason=exc.strerror or str(exc)) from exc
    except ValueError as exc:
        raise CertificateFileError(key="cert.file", path=str(path), reason=f"not a PEM certificate: {exc}") from exc


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _key_usage(cert: x509.Certificate) -> x509.KeyUsage | None:
    try:
        return cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return None


def _validity(cert: x509.Certificate, at: dt.datetime, role: str) -> str | None:
    if at < cert.not_valid_before_utc:
        return f"{role} {describe(cert)!r} is not valid before {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC"
    if at > cert.not_valid_after_utc:
        return f"{role} {describe(cert)!r} expired on {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC"
    return None


def _signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    alg, bits = key_algorithm(issuer)
    if alg == SM2:
        return (cert.signature_algorithm_oid.dotted_string == sm2.SM2_SM3_OID
                and sm2.verify_certificate_signature(bits, cert.tbs_certificate_bytes, cert.signature))
    try:
        cert.verify_directly_issued_by(issuer)
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True


def _involves_sm2(leaf: x509.Certificate, others: Iterable[x509.Certificate]) -> bool:
    return any(c.signature_algorithm_oid.dotted_string == sm2.SM2_SM3_OID or key_algorithm(c)[0] == SM2
               for c in (leaf, *others))


def chain_problem(leaf: x509.Certificate, intermediates: list[x509.Certificate], roots: list[x509.Certificate],
                  at: dt.datetime) -> str | None:
    """Why ``leaf`` (a signing certificate) does not chain to one of ``roots`` at ``at``, or None when it does.

    A chain of RSA/ECDSA links goes through ``cryptography``'s verifier (:class:`TrustStore`); one with an SM2 link
    is walked here."""
    at = at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
    related = [*intermediates, *roots]
    if not _involves_sm2(leaf, related):
        webpki = [r for r in roots if not _involves_sm2(r, [])]
        if not webpki:
            return (f"untrusted issuer: {leaf.issuer.rfc4514_string()} (issuer of {describe(leaf)!r}) "
                    "is not a trusted root")
        try:
            TrustStore(tuple(webpki)).verify_chain(leaf, intermediates, at)
        except TrustError as exc:
            return str(exc)
        return None
    return _walk(leaf, intermediates, roots, at)


def _walk(leaf: x509.Certificate, intermediates: list[x509.Certificate], roots: list[x509.Certificate],
          at: dt.datetime) -> str | None:
    problem = _validity(leaf, at, "certificate")
    if problem:
        return problem
    usage = _key_usage(leaf)
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        return f"wrong key usage: {describe(leaf)!r} allows neither digitalSignature nor nonRepudiation"
    if _is_ca(leaf):
        return f"wrong key usage: {describe(leaf)!r} is a CA certificate, not a signing certificate"
    cert = leaf
    for _depth in range(MAX_CHAIN_DEPTH + 2):
        candidates = [c for c in (*roots, *intermediates) if c.subject == cert.issuer and c != cert]
        if not candidates:
            return (f"untrusted issuer: {cert.issuer.rfc4514_string()} (issuer of {describe(cert)!r}) "
                    "is not a trusted root and no intermediate for it was given")
        issuer = next((c for c in candidates if _signed_by(cert, c)), None)
        if issuer is None:
            return f"the signature of {describe(cert)!r} does not verify with the key of {describe(candidates[0])!r}"
        role = "root CA" if issuer in roots else "intermediate CA"
        if not _is_ca(issuer):
            return f"{describe(issuer)!r} is not a CA certificate and cannot issue {describe(cert)!r}"
        ca_usage = _key_usage(issuer)
        if ca_usage is not None and not ca_usage.key_cert_sign:
            return f"wrong key usage: {role} {describe(issuer)!r} may not sign certificates (no keyCertSign)"
        problem = _validity(issuer, at, role)
        if problem:
            return problem
        if issuer in roots:
            return None
        cert = issuer
    return f"the chain of {describe(leaf)!r} is longer than {MAX_CHAIN_DEPTH} intermediates"
