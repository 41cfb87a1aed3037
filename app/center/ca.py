"""The center's CA for rooms' report seals, and the room certificates the center enrolls (``center enroll
--issue-room-cert OUT.p12`` / ``--room-cert ROOM.p12|PEM``).

Instead of a self-signed room CA, a room may seal its reports with a certificate the center vouches for:

- **issued by the center's CA**: an RSA 3072 CA made on first use, ``DATA/center-ca.pem`` (the root to give
  verifiers: ``evalroom verify BAG --trust center-ca.pem``) with its key in ``DATA/center-ca.p12``. That key's
  PKCS#12 passphrase is derived from the center's signing key (SHA-256 of its deterministic Ed25519 signature of a
  fixed text), so it is exactly as protected as the center key (``EVALROOM_CENTER_PASSPHRASE`` or the generated
  secret) and stays readable when that key is put under another passphrase. The room's certificate (RSA 2048,
  digitalSignature + nonRepudiation, what pyHanko's PAdES signer needs) is written with its key as a PKCS#12 file
  for the room (``simulate --room-cert``, or installed into the room's keys folder), under
  ``EVALROOM_CERT_PASSPHRASE``; the center keeps the certificate only;
- **from a real CA** (a PKCS#12 the operator brings, or its certificate as PEM): checked (a signing certificate, not a
  CA; against the center's trust store when one is configured) and kept.

The certificates the center keeps for a room (``DATA/room-certs/ROOM.pem``, every one enrolled, the latest last) are
the ones that may seal the report of an archive that room delivers: the center refuses an archive sealed by another
(see ``app.center.archives``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from app.crypto.keys import PKCS12_KDF_ROUNDS, SigningKey
from app.durable import write_private
from app.errors import EvalRoomError

CA_PEM, CA_P12 = "center-ca.pem", "center-ca.p12"
ROOM_CERTS = "room-certs"
CA_YEARS = 30  # longer than any room certificate it issues
ROOM_YEARS = 20  # as the self-signed room certificate: longer than the 15-year retention
_CA_CONTEXT = b"evalroom/center-ca-key/v1\n"


class CenterCaError(EvalRoomError, ValueError):
    """A room certificate the center will not issue or keep (the command exits 2 with the message)."""


@dataclass(frozen=True)
class CenterCa:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    pem: Path


def _passphrase(center_key: SigningKey) -> bytes:
    return hashlib.sha256(center_key.sign(_CA_CONTEXT)).hexdigest().encode("ascii")


def _encryption(passphrase: bytes) -> serialization.KeySerializationEncryption:
    return (serialization.PrivateFormat.PKCS12.encryption_builder().kdf_rounds(PKCS12_KDF_ROUNDS)
            .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC).hmac_hash(hashes.SHA256()).build(passphrase))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def open_center_ca(data: Path, center_key: SigningKey) -> CenterCa:
    """The center's CA in ``data``, made on first use."""
    pem_path, p12_path = data / CA_PEM, data / CA_P12
    secret = _passphrase(center_key)
    if p12_path.is_file() and pem_path.is_file():
        try:
            key, cert, _ = pkcs12.load_key_and_certificates(p12_path.read_bytes(), secret)
        except ValueError as exc:
            raise CenterCaError(f"{p12_path}: cannot be opened with this center's key (another center's CA?)") from exc
        if not isinstance(key, rsa.RSAPrivateKey) or cert is None:
            raise CenterCaError(f"{p12_path}: holds no RSA CA key and certificate")
        return CenterCa(key, cert, pem_path)
    now = _now()
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "EvalRoom 交易中心 评标室签章 CA"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "EvalRoom 交易中心"),
                      x509.NameAttribute(NameOID.SERIAL_NUMBER, center_key.key_id[:32])])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    write_private(p12_path, pkcs12.serialize_key_and_certificates(b"center-ca", key, cert, None, _encryption(secret)))
    pem_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return CenterCa(key, cert, pem_path)


def issue_room_certificate(ca: CenterCa, room: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A new key and the room's report-seal certificate, issued by the center's CA."""
    now = _now()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"评标室 {room} 电子签章"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "EvalRoom 交易中心"),
                         x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, room)])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca.cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(min(now + dt.timedelta(days=365 * ROOM_YEARS), ca.cert.not_valid_after_utc))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
            .sign(ca.key, hashes.SHA256()))
    return key, cert


def room_p12(key: rsa.RSAPrivateKey, cert: x509.Certificate, ca: CenterCa, passphrase: bytes) -> bytes:
    """The room's PKCS#12 file (key, certificate, the center CA), as ``simulate --room-cert`` reads it."""
    return pkcs12.serialize_key_and_certificates(b"room-seal", key, cert, [ca.cert], _encryption(passphrase))


def check_room_certificate(cert: x509.Certificate) -> None:
    """A certificate that can seal a report: not a CA, with digitalSignature or nonRepudiation."""
    try:
        if cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
            raise CenterCaError("it is a CA certificate, not a room's signing certificate")
    except x509.ExtensionNotFound:
        pass
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise CenterCaError("its keyUsage allows neither digitalSignature nor nonRepudiation (it cannot seal)")


_ROOM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


def check_room_id(room: str) -> None:
    """A room id that is also a file name (``DATA/room-certs/ROOM.pem``)."""
    if not _ROOM_ID.fullmatch(room) or ".." in room:
        raise CenterCaError(f"room id {room!r}: only letters, digits, '.', '_' and '-' (starting with a letter or "
                            "digit) can have a room certificate")


def _room_file(data: Path, room: str) -> Path:
    check_room_id(room)
    return data / ROOM_CERTS / f"{room}.pem"


def record_room_certificate(data: Path, room: str, cert: x509.Certificate) -> Path:
    """Add ``cert`` to the seal certificates kept for ``room`` (a bundle: one issued again does not make the
    archives sealed by the earlier one unacceptable)."""
    path = _room_file(data, room)
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = [c for c in room_certificates(data, room) if c != cert]
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in [*kept, cert]))
    temporary.replace(path)
    return path


def room_certificates(data: Path, room: str) -> list[x509.Certificate]:
    """The seal certificates the center keeps for ``room``, the latest last (empty: none enrolled, any seal is
    checked as before)."""
    path = _room_file(data, room)
    try:
        return x509.load_pem_x509_certificates(path.read_bytes())
    except FileNotFoundError:
        return []


def seal_certificate(pdf: bytes) -> x509.Certificate | None:
    """The certificate of the report's PAdES seal (None: no signature, or a PDF that cannot be read)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
        if not signatures:
            return None
        return x509.load_der_x509_certificate(signatures[-1].signer_cert.dump())
    except Exception:  # noqa: BLE001 - the verification reports a damaged PDF
        return None


def fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()
