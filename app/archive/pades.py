"""The room's PAdES signature on the final report (pyHanko), and its offline validation.

The room certificate: when none is configured, a self-signed *room CA* and a room signing certificate
(digitalSignature + nonRepudiation, which pyHanko requires) are generated with ``cryptography`` and kept
beside the room key: ``room-ca.pem`` (the trust root to hand to verifiers) and ``room-pades.p12`` (key,
certificate and CA, PKCS#12 with the room key's passphrase stretched by scrypt as for ``room.p12``, its
parameters in ``room-pades.kdf.json``). Validation always takes *explicit* trust
roots (no OS store). The visible stamp uses the shipped TrueType CJK face: pyHanko's default Courier
stamp mangles Chinese.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from app.crypto import tsa
from app.crypto.certs import ECDSA, RSA, CertKey
from app.crypto.keys import PKCS12_KDF_ROUNDS, new_kdf, read_kdf, stretch_passphrase, stretched, write_kdf
from app.durable import write_private
from app.paths import CJK_FONT

CA_FILE, P12_FILE = "room-ca.pem", "room-pades.p12"
CERT_FILE = "room-cert.pem"  # a CA-issued room certificate installed (its chain after it): new sessions record it
FIELD = "RoomSeal"
YEARS = 20  # longer than the 15-year retention
#: the hex characters reserved for a B-T seal's CMS (16 KiB of DER: the signature, the room's chain and a TSA token
#: with its certificates; a larger one is sized from a first token), so pyHanko need not ask the TSA for a first
#: token to size it: one TSA request a seal instead of two, for about 17 KB of padding in the PDF
TIMESTAMPED_RESERVE = 32768


def _name(common: str, room: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "EvalRoom 评标室"),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, room)])


def _encryption(passphrase: bytes, rounds: int) -> serialization.KeySerializationEncryption:
    return (serialization.PrivateFormat.PKCS12.encryption_builder().kdf_rounds(rounds)
            .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC).hmac_hash(hashes.SHA256()).build(passphrase))


def _write_p12(p12_path: Path, passphrase: bytes, rounds: int, demo: bool, key: Any, cert: x509.Certificate,
               extra: list[x509.Certificate]) -> None:
    """``room-pades.p12`` under the scrypt-stretched passphrase, as ``room.p12`` (its MAC has only 2048
    iterations): the KDF file first, then the PKCS#12, each 0600 and atomically."""
    kdf = new_kdf(demo)
    write_kdf(p12_path, kdf)
    encryption = _encryption(stretch_passphrase(passphrase, kdf), rounds)
    write_private(p12_path, pkcs12.serialize_key_and_certificates(b"room-pades", key, cert, extra, encryption))


def reencrypt(keys_dir: Path, old: bytes, new: bytes, rounds: int = PKCS12_KDF_ROUNDS) -> bool:
    """Put ``room-pades.p12`` under ``new`` (the room key's passphrase changed); False when there is none."""
    p12_path = keys_dir / P12_FILE
    if not p12_path.is_file():
        return False
    key, cert, extra = pkcs12.load_key_and_certificates(p12_path.read_bytes(), stretched(p12_path, old))
    if cert is None:
        raise ValueError(f"{p12_path}: holds no certificate")
    _write_p12(p12_path, new, rounds, False, key, cert, list(extra))
    return True


def ensure_room_certificate(keys_dir: Path, passphrase: bytes, room: str, rounds: int = PKCS12_KDF_ROUNDS,
                            demo: bool = False) -> tuple[Path, Path]:
    """The room CA and signing certificate beside the room key, generated on first use. A ``room-pades.p12``
    of an earlier version, under the raw passphrase (no ``room-pades.kdf.json``), is put under the stretched one."""
    ca_path, p12_path = keys_dir / CA_FILE, keys_dir / P12_FILE
    if ca_path.is_file() and p12_path.is_file():
        if read_kdf(p12_path) is None:
            try:
                key, cert, extra = pkcs12.load_key_and_certificates(p12_path.read_bytes(), passphrase)
            except ValueError:
                return ca_path, p12_path  # another passphrase: sign_pdf names the problem
            if cert is not None:
                _write_p12(p12_path, passphrase, rounds, demo, key, cert, list(extra))
        return ca_path, p12_path
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    until = now + dt.timedelta(days=365 * YEARS)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    ca_name = _name(f"EvalRoom 评标室根证书 {room}", room)
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(until)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder().subject_name(_name(f"评标室 {room} 电子签章", room)).issuer_name(ca_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(until)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    _write_p12(p12_path, passphrase, rounds, demo, key, cert, [ca])
    write_private(ca_path, ca.public_bytes(serialization.Encoding.PEM))
    return ca_path, p12_path


def install_room_certificate(keys_dir: Path, passphrase: bytes, key: Any, cert: x509.Certificate,
                             chain: list[x509.Certificate], rounds: int = PKCS12_KDF_ROUNDS,
                             demo: bool = False) -> Path:
    """Seal the report with a CA-issued room certificate (RSA or ECDSA; ``simulate --room-cert``) instead of the
    self-signed room CA: ``room-pades.p12`` holds its key, ``room-ca.pem`` the top of its chain."""
    keys_dir.mkdir(parents=True, exist_ok=True)
    ca_path = keys_dir / CA_FILE
    _write_p12(keys_dir / P12_FILE, passphrase, rounds, demo, key, cert, chain)
    write_private(ca_path, (chain[-1] if chain else cert).public_bytes(serialization.Encoding.PEM))
    write_private(keys_dir / CERT_FILE, b"".join(c.public_bytes(serialization.Encoding.PEM) for c in [cert, *chain]))
    return ca_path


def installed_room_certificate(keys_dir: Path, passphrase: bytes) -> tuple[CertKey, str] | None:
    """The CA-issued room certificate :func:`install_room_certificate` put beside the room key, with the SHA-256 of
    its seal CA (``room-ca.pem``), for a new session's ``session.created`` (``Session.create(certificate=…)``);
    None when the room seals with its self-signed room CA."""
    marker, p12_path = keys_dir / CERT_FILE, keys_dir / P12_FILE
    if not marker.is_file() or not p12_path.is_file():
        return None
    key, cert, extra = pkcs12.load_key_and_certificates(p12_path.read_bytes(), stretched(p12_path, passphrase))
    listed = x509.load_pem_x509_certificates(marker.read_bytes())
    if cert is None or not listed or cert != listed[0]:
        return None  # room-pades.p12 was made again (self-signed) after an installation: it is what seals
    if isinstance(key, rsa.RSAPrivateKey):
        alg = RSA
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        alg = ECDSA
    else:
        return None
    ca = x509.load_pem_x509_certificate((keys_dir / CA_FILE).read_bytes())
    seal_ca = hashlib.sha256(ca.public_bytes(serialization.Encoding.DER)).hexdigest()
    return CertKey(cert, list(extra), alg, _rsa_ec=key), seal_ca


def sign_pdf(pdf: bytes, p12_path: Path, passphrase: bytes, label: str, tsa_url: str | None = None,
             tsa_timeout: float = tsa.DEFAULT_TIMEOUT) -> bytes:
    """PAdES signature of ``pdf`` (an incremental update: the signed bytes stay a prefix): B-B, or B-T with a
    signature timestamp from the TSA at ``tsa_url`` (:class:`app.crypto.tsa.TimestampUnavailable` when none is
    had; :func:`seal_pdf` falls back to B-B)."""
    import logging

    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.timestamps import TimestampRequestError
    from pyhanko.stamp import TextStampStyle

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "FFTM NOT subset": harmless, noisy
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(p12_path.read_bytes(), other_certs=(),
                                                       passphrase=stretched(p12_path, passphrase))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{p12_path}: cannot load the room signing certificate") from exc
    style = TextStampStyle(stamp_text="评标室电子签章\n%(signer)s\n%(ts)s",
                           text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(CJK_FONT)), font_size=7))
    meta = signers.PdfSignatureMetadata(field_name=FIELD, subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256",
                                        reason="评标报告定稿", location=label)
    def attempt(reserve: int | None) -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style,
                                       timestamper=tsa.timestamper(tsa_url, tsa_timeout) if tsa_url else None,
                                       new_field_spec=fields.SigFieldSpec(FIELD, on_page=-1, box=(300, 55, 565, 125)))
        out = io.BytesIO()
        pdf_signer.sign_pdf(writer, output=out, bytes_reserved=reserve)
        return out.getvalue()

    try:
        if not tsa_url:
            return attempt(None)
        try:  # room reserved for the token: pyHanko asks the TSA for a first token to size it otherwise
            return attempt(TIMESTAMPED_RESERVE)
        except SigningError as exc:
            if "larger than expected" not in str(exc):
                raise
            return attempt(None)  # a TSA with a long chain: sized from a first token after all
    except (TimestampRequestError, OSError) as exc:
        if not tsa_url:
            raise
        raise tsa.TimestampUnavailable(tsa.describe_failure(tsa_url, exc)) from exc


@dataclass
class Sealed:
    pdf: bytes
    timestamped: bool  # PAdES B-T (a signature timestamp from the TSA), else B-B
    missing: str | None = None  # why a TSA was configured but no timestamp was had


def seal_pdf(pdf: bytes, p12_path: Path, passphrase: bytes, label: str, tsa_url: str | None,
             tsa_timeout: float = tsa.DEFAULT_TIMEOUT) -> Sealed:
    """The report's seal: PAdES B-T when a TSA is configured and answers, else B-B (with the reason, when a TSA
    was configured: the room is offline, the TSA does not answer or refuses)."""
    if tsa_url:
        try:
            return Sealed(sign_pdf(pdf, p12_path, passphrase, label, tsa_url, tsa_timeout), True)
        except tsa.TimestampUnavailable as exc:
            return Sealed(sign_pdf(pdf, p12_path, passphrase, label), False, exc.reason)
    return Sealed(sign_pdf(pdf, p12_path, passphrase, label), False)


def validate(pdf: bytes, trust_roots: list[bytes], notes: list[str] | None = None,
             tsa_pinned: bool = True) -> list[str]:
    """Problems with the report's PAdES signature against ``trust_roots`` (PEM/DER certificates). A signature
    timestamp (PAdES B-T) must verify; its TSA must chain to one of the roots when ``tsa_pinned`` (the verifier gave
    them), else that is only noted. ``notes`` receives what the timestamp says (time, TSA)."""
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = []
    for data in trust_roots:
        certs = list(load_certs_from_pemder_data(data))
        if len(certs) != 1:
            raise ValueError(f"a trust root holds {len(certs)} certificates, not exactly 1")
        roots.append(certs[0])
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:  # noqa: BLE001 - a damaged PDF is a finding, not a crash
        return [f"pdf: the report cannot be read as a PDF ({type(exc).__name__}: {exc})"]
    if not signatures:
        return ["pdf: the report carries no PAdES signature"]
    problems = []
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    for sig in signatures:
        try:
            status = validate_pdf_signature(sig, context, ts_validation_context=context)
        except Exception as exc:  # noqa: BLE001
            problems.append(f"pdf: signature {sig.field_name} cannot be validated ({type(exc).__name__}: {exc})")
            continue
        if not status.intact or not status.valid:
            problems.append(f"pdf: signature {sig.field_name} is broken (the signed bytes were altered)")
        elif not status.trusted:
            problems.append(f"pdf: signature {sig.field_name} does not chain to a configured trust root")
        if status.coverage is None or status.coverage.name != "ENTIRE_FILE":
            problems.append(f"pdf: signature {sig.field_name} does not cover the entire file ({status.coverage})")
        stamp = status.timestamp_validity
        if stamp is None:
            continue
        by = stamp.signing_cert.subject.human_friendly if stamp.signing_cert is not None else "?"
        if not stamp.intact or not stamp.valid:
            problems.append(f"pdf: the signature timestamp of {sig.field_name} does not verify (altered)")
        elif not stamp.trusted and tsa_pinned:
            problems.append(f"pdf: the signature timestamp of {sig.field_name}: its TSA {by!r} does not chain to a "
                            "given trust root")
        elif notes is not None:
            trusted = "" if stamp.trusted else " (TSA not checked: pass --trust with the TSA's CA)"
            notes.append(f"pdf: signature {sig.field_name} timestamped {stamp.timestamp:%Y-%m-%d %H:%M:%S} UTC by "
                         f"{by!r} (PAdES B-T){trusted}")
    return problems


def signed_prefix(pdf: bytes, size: int) -> bytes:
    """The bytes before the room's incremental update: the final report as the ledger recorded it."""
    return pdf[:size]
