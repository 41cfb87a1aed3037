"""The room's own CA for the LAN, and the HTTPS certificate of the room hub on the console PC.

The console makes the CA once (ECDSA P-256, 20 years) and keeps it in its data folder's ``keys/``: the CA's
private key as ``lan-ca.p12`` under the room key's passphrase (stretched by scrypt, parameters in
``lan-ca.kdf.json``, as ``room.p12``), its certificate as ``lan-ca.pem``. (``room-ca.pem`` is another CA: the
root of the report's PAdES seal.) :func:`hub_tls` issues the hub a server certificate whose subjectAltName
holds every address of this PC, 127.0.0.1 and the host name (``hub-tls.pem``; its key ``hub-tls.key``, an
unencrypted PKCS#8 PEM for ``hub serve --tls-key``), and issues it again when the addresses change or it is
within 30 days of its end. Every file is written 0600 and atomically in the 0700 ``keys/`` folder.

A workstation pins the CA certificate on first pairing (``app.sync.pinning``); people compare its
:func:`fingerprint` (SHA-256 of the DER certificate, the first 128 bits in groups of 4 hex digits) between the
check-in desk and the workstation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.crypto.keys import PKCS12_KDF_ROUNDS, KeyFileError, new_kdf, stretch_passphrase, stretched, write_kdf
from app.durable import private_folder, write_private

CA_P12, CA_PEM = "lan-ca.p12", "lan-ca.pem"
CERT_PEM, KEY_PEM = "hub-tls.pem", "hub-tls.key"
CA_YEARS = 20
CERT_DAYS = 825  # a server certificate's life; renewed 30 days before its end
RENEW_BEFORE = dt.timedelta(days=30)
LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class HubTls:
    """What ``hub serve --tls-cert CERT --tls-key KEY --room-ca CA`` takes, and whether it was just issued."""

    cert: Path
    key: Path
    ca: Path
    fingerprint: str  # of the CA: what the check-in desk shows
    names: tuple[str, ...]  # the certificate's subjectAltName entries (IP addresses, then the host name)
    issued: bool  # a new certificate was issued by this call (first use, the addresses changed, or renewal)


def fingerprint(pem: bytes | str) -> str:
    """A certificate's fingerprint for people: the first 128 bits of SHA-256 over its DER form, as 8 groups of
    4 upper-case hex digits (``openssl x509 -fingerprint -sha256`` shows the same digits, full length)."""
    digest = sha256_hex(pem).upper()[:32]
    return " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))


def sha256_hex(pem: bytes | str) -> str:
    """SHA-256 over the DER form of the (first) certificate in ``pem``, 64 lower-case hex digits."""
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    try:
        cert = x509.load_pem_x509_certificate(data)
    except ValueError as exc:
        raise KeyFileError(f"not a PEM certificate: {exc}") from exc
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def local_addresses() -> list[str]:
    """Every IP address of this PC that a certificate can name (link-local IPv6 with a zone left out), and
    127.0.0.1; sorted."""
    found = {LOOPBACK}
    try:
        import ifaddr  # zeroconf's dependency

        for adapter in ifaddr.get_adapters():
            for ip in adapter.ips:
                text = ip.ip if isinstance(ip.ip, str) else ip.ip[0]
                try:
                    address = ipaddress.ip_address(text)
                except ValueError:
                    continue
                if not address.is_link_local and not address.is_unspecified:
                    found.add(str(address))
    except ImportError:  # ifaddr missing: the addresses the host name resolves to
        try:
            for info in socket.getaddrinfo(socket.gethostname(), None):
                found.add(str(info[4][0]))
        except OSError:
            pass
    return sorted(found, key=lambda a: (ipaddress.ip_address(a).version, ipaddress.ip_address(a)))


def _name(common: str, room: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "EvalRoom 评标室"),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, room)])


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _encryption(passphrase: bytes) -> serialization.KeySerializationEncryption:
    return (serialization.PrivateFormat.PKCS12.encryption_builder().kdf_rounds(PKCS12_KDF_ROUNDS)
            .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC).hmac_hash(hashes.SHA256()).build(passphrase))


def ensure_ca(keys_dir: Path, passphrase: bytes, room: str, demo: bool = False) -> Path:
    """The room's LAN CA certificate (``lan-ca.pem``), made on first use with its key in ``lan-ca.p12``."""
    keys_dir = private_folder(Path(keys_dir))
    p12_path, pem_path = keys_dir / CA_P12, keys_dir / CA_PEM
    if p12_path.is_file() and pem_path.is_file():
        return pem_path
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    name = _name(f"EvalRoom 评标室局域网根证书 {room}", room)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    kdf = new_kdf(demo)
    write_kdf(p12_path, kdf)
    write_private(p12_path, pkcs12.serialize_key_and_certificates(
        b"room-lan-ca", key, cert, None, _encryption(stretch_passphrase(passphrase, kdf))))
    write_private(pem_path, cert.public_bytes(serialization.Encoding.PEM))  # last: a complete CA has both
    return pem_path


def reencrypt(keys_dir: Path, old: bytes, new: bytes) -> bool:
    """Put ``lan-ca.p12`` under ``new`` (the room key's passphrase changed); False when there is none."""
    p12_path = Path(keys_dir) / CA_P12
    if not p12_path.is_file():
        return False
    key, cert = _open_ca(Path(keys_dir), old)
    kdf = new_kdf()
    write_kdf(p12_path, kdf)
    write_private(p12_path, pkcs12.serialize_key_and_certificates(
        b"room-lan-ca", key, cert, None, _encryption(stretch_passphrase(new, kdf))))
    return True


def _open_ca(keys_dir: Path, passphrase: bytes) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    p12_path = keys_dir / CA_P12
    try:
        key, cert, _extra = pkcs12.load_key_and_certificates(p12_path.read_bytes(), stretched(p12_path, passphrase))
    except OSError as exc:
        raise KeyFileError(f"cannot read the room's LAN CA {p12_path}: {exc.strerror}") from exc
    except ValueError as exc:
        raise KeyFileError(f"cannot open the room's LAN CA {p12_path}: wrong passphrase or damaged file") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or cert is None:
        raise KeyFileError(f"{p12_path}: not the room's LAN CA (an EC key with its certificate)")
    return key, cert


def wanted_names(addresses: Iterable[str] | None = None, hostname: str | None = None) -> tuple[str, ...]:
    """The subjectAltName entries the hub's certificate should hold: the addresses (and 127.0.0.1), sorted,
    then the host name."""
    ips = sorted({str(ipaddress.ip_address(a)) for a in (local_addresses() if addresses is None else addresses)}
                 | {LOOPBACK}, key=lambda a: (ipaddress.ip_address(a).version, ipaddress.ip_address(a)))
    host = socket.gethostname() if hostname is None else hostname
    usable = bool(host) and host.isascii() and not any(c.isspace() for c in host)
    return (*ips, *([host] if usable else []))


def certificate_names(cert: x509.Certificate) -> tuple[str, ...]:
    """The IP addresses (sorted) and DNS names of a certificate's subjectAltName."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return ()
    ips = sorted((str(a) for a in san.get_values_for_type(x509.IPAddress)),
                 key=lambda a: (ipaddress.ip_address(a).version, ipaddress.ip_address(a)))
    return (*ips, *san.get_values_for_type(x509.DNSName))


def _current(keys_dir: Path, ca: x509.Certificate, names: tuple[str, ...]) -> bool:
    """True when the hub's certificate and key exist, were issued by ``ca``, name exactly ``names`` and are not
    near their end."""
    cert_path, key_path = keys_dir / CERT_PEM, keys_dir / KEY_PEM
    if not (cert_path.is_file() and key_path.is_file()):
        return False
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        cert.verify_directly_issued_by(ca)
        key = serialization.load_pem_private_key(key_path.read_bytes(), None)
    except (ValueError, TypeError, OSError, InvalidSignature):
        return False
    if key.public_key() != cert.public_key():  # a key written without its certificate (a crash between them)
        return False
    return certificate_names(cert) == names and cert.not_valid_after_utc - RENEW_BEFORE > _now()


def hub_tls(home: Path, passphrase: bytes, room: str, *, addresses: Iterable[str] | None = None,
            hostname: str | None = None, demo: bool = False) -> HubTls:
    """The hub's HTTPS files in ``home/keys`` for ``hub serve --tls-cert/--tls-key/--room-ca``: the CA made on
    first use, the server certificate issued when missing, when this PC's addresses (or ``addresses``) are not
    the ones it names, or within 30 days of its end. ``passphrase``: the room key's (needed only to issue)."""
    keys_dir = private_folder(Path(home) / "keys")
    ca_path = ensure_ca(keys_dir, passphrase, room, demo)
    ca = x509.load_pem_x509_certificate(ca_path.read_bytes())
    names = wanted_names(addresses, hostname)
    issued = False
    if not _current(keys_dir, ca, names):
        ca_key, ca = _open_ca(keys_dir, passphrase)
        _issue(keys_dir, ca_key, ca, room, names)
        issued = True
    return HubTls(keys_dir / CERT_PEM, keys_dir / KEY_PEM, ca_path, fingerprint(ca_path.read_bytes()), names, issued)


def _issue(keys_dir: Path, ca_key: ec.EllipticCurvePrivateKey, ca: x509.Certificate, room: str,
           names: tuple[str, ...]) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    entries: list[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    cert = (x509.CertificateBuilder().subject_name(_name(f"EvalRoom 评标室集线服务 {room}", room))
            .issuer_name(ca.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=CERT_DAYS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, True, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectAlternativeName(entries), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    # the key first, then the certificate: a certificate on disk always has its key beside it
    write_private(keys_dir / KEY_PEM, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    write_private(keys_dir / CERT_PEM, cert.public_bytes(serialization.Encoding.PEM))
