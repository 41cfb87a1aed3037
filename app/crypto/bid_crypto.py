"""Encrypted bid files (docs/bid-package.md, "Encrypted bid files") and the decrypted copies a session keeps.

Two schemes a bidder encrypts its bid file with before it is submitted:

- ``cms``: CMS EnvelopedData (RFC 5652, DER) to the bidder's own certificate (RSA key transport; AES-128/256-CBC
  content encryption), what the ``cryptography`` PKCS7EnvelopeBuilder and ``openssl cms -encrypt -binary
  -outform DER`` write. The bidder decrypts with its PKCS#12 file and passphrase, or with its key on a PKCS#11
  token (:func:`open_cms_unwrapping`: the token unwraps the content-encryption key, the content is decrypted here).
- ``passphrase``: the container below, a key derived from the bidder's passphrase.

The passphrase container (``EVRBID1``)::

    magic    8 bytes  b"EVRBID1\\n"
    length   2 bytes  big-endian length of the header
    header   JSON (UTF-8): {"kdf": "scrypt", "n": N, "r": R, "p": P, "salt": B64,
                           "aead": "AES-256-GCM", "nonce": B64, "check": B64}
    body     AES-256-GCM ciphertext and its 16-byte tag; associated data = magic + length + header

scrypt(passphrase, salt, N, R, P) gives 64 bytes: the first 32 are the AES key, SHA-256 of the last 32 is
``check``. A wrong passphrase shows as a ``check`` that differs; a right passphrase whose tag fails means the
bytes were damaged. So the cause of a failure is known (R-OPEN-10: the bidder's, or another's). N is at most 2^20,
R at most 16, P at most 4 (a header asking for more is damaged: no container makes the console spend minutes).

A failure raises :class:`DecryptionFailed` with its cause (``app.domain.decryption.CAUSES``).

The decrypted copies a session keeps (:func:`seal_at_rest` / :func:`open_at_rest`): AES-256-GCM under the
session's data key (32 random bytes kept in a passphrase container under the room key's passphrase), a random
12-byte nonce before the ciphertext, the plaintext's SHA-256 (hex) as associated data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

from asn1crypto import cms as asn1_cms
from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import padding, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import pkcs7

from app.errors import EvalRoomError

SCHEMES = ("cms", "passphrase")
MAGIC = b"EVRBID1\n"
DEFAULT_N, DEFAULT_R, DEFAULT_P = 2 ** 15, 8, 1
MAX_N, MAX_R, MAX_P = 2 ** 20, 16, 4
_MAX_HEADER = 4096


class DecryptionFailed(EvalRoomError):
    """A bid file that could not be decrypted; ``cause`` is one of ``app.domain.decryption.CAUSES``."""

    def __init__(self, cause: str, detail: str) -> None:
        super().__init__(f"{cause}: {detail}")
        self.cause = cause
        self.detail = detail


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: Any, name: str) -> bytes:
    if not isinstance(value, str):
        raise DecryptionFailed("damaged", f"the container header's {name} is missing")
    try:
        return base64.b64decode(value, validate=True)
    except ValueError as exc:
        raise DecryptionFailed("damaged", f"the container header's {name} is not base64") from exc


def _derive(passphrase: bytes, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, bytes]:
    derived = Scrypt(salt=salt, length=64, n=n, r=r, p=p).derive(passphrase)
    return derived[:32], hashlib.sha256(derived[32:]).digest()


def seal_passphrase(plaintext: bytes, passphrase: bytes, *, n: int = DEFAULT_N, r: int = DEFAULT_R,
                    p: int = DEFAULT_P) -> bytes:
    """``plaintext`` in an ``EVRBID1`` container under ``passphrase`` (what a bidder's tool writes)."""
    if not passphrase:
        raise ValueError("an empty passphrase encrypts nothing")
    salt, nonce = os.urandom(16), os.urandom(12)
    key, check = _derive(passphrase, salt, n, r, p)
    header = json.dumps({"kdf": "scrypt", "n": n, "r": r, "p": p, "salt": _b64(salt), "aead": "AES-256-GCM",
                         "nonce": _b64(nonce), "check": _b64(check)}, separators=(",", ":")).encode("utf-8")
    prefix = MAGIC + struct.pack(">H", len(header)) + header
    return prefix + AESGCM(key).encrypt(nonce, plaintext, prefix)


def open_passphrase(data: bytes, passphrase: bytes) -> bytes:
    """The plaintext of an ``EVRBID1`` container; :class:`DecryptionFailed` ``damaged`` or ``wrong_passphrase``."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 2:
        raise DecryptionFailed("damaged", "not an EVRBID1 container (its first bytes differ)")
    (length,) = struct.unpack(">H", data[len(MAGIC):len(MAGIC) + 2])
    start = len(MAGIC) + 2
    if length > _MAX_HEADER or len(data) < start + length + 16:
        raise DecryptionFailed("damaged", "the container is cut short")
    try:
        header = json.loads(data[start:start + length].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DecryptionFailed("damaged", "the container header is not JSON") from exc
    if not isinstance(header, dict) or header.get("kdf") != "scrypt" or header.get("aead") != "AES-256-GCM":
        raise DecryptionFailed("damaged", "the container header names no scrypt / AES-256-GCM")
    n, r, p = header.get("n"), header.get("r"), header.get("p")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (n, r, p)):
        raise DecryptionFailed("damaged", "the container's scrypt parameters are not integers")
    assert isinstance(n, int) and isinstance(r, int) and isinstance(p, int)
    if not (2 <= n <= MAX_N and n & (n - 1) == 0 and 1 <= r <= MAX_R and 1 <= p <= MAX_P):
        raise DecryptionFailed("damaged", f"the container's scrypt parameters are out of range (N={n}, r={r}, p={p})")
    salt, nonce, check = _unb64(header.get("salt"), "salt"), _unb64(header.get("nonce"), "nonce"), \
        _unb64(header.get("check"), "check")
    if len(nonce) != 12 or len(check) != 32 or not salt:
        raise DecryptionFailed("damaged", "the container's salt, nonce or check has the wrong length")
    key, expected = _derive(passphrase, salt, n, r, p)
    if not hmac.compare_digest(expected, check):
        raise DecryptionFailed("wrong_passphrase", "the passphrase does not open this file")
    prefix = data[:start + length]
    try:
        return AESGCM(key).decrypt(nonce, data[start + length:], prefix)
    except InvalidTag as exc:
        raise DecryptionFailed("damaged", "the passphrase is right but the encrypted bytes are damaged "
                                          "(AES-GCM tag differs)") from exc


def envelope_cms(plaintext: bytes, certificate: x509.Certificate) -> bytes:
    """``plaintext`` as CMS EnvelopedData (DER, AES-256-CBC) to ``certificate`` (RSA)."""
    return (pkcs7.PKCS7EnvelopeBuilder().set_data(plaintext).add_recipient(certificate)
            .set_content_encryption_algorithm(algorithms.AES256)
            .encrypt(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))


def cms_recipients(data: bytes) -> list[tuple[str, int]]:
    """(issuer as DER hex, serial) of every key-transport recipient of a CMS EnvelopedData, and (the kind, -1) of
    every other recipient; :class:`DecryptionFailed` ``damaged`` when it is not one."""
    try:
        info = asn1_cms.ContentInfo.load(data, strict=True)
        if info["content_type"].native != "enveloped_data":
            raise DecryptionFailed("damaged", f"the CMS content is {info['content_type'].native}, not enveloped data")
        enveloped = info["content"]
        out = []
        for recipient in enveloped["recipient_infos"]:
            if recipient.name != "ktri":  # key agreement (ECDH), KEK or password recipients: not ours to open
                out.append((recipient.name, -1))
                continue
            rid = recipient.chosen["rid"]
            if rid.name == "issuer_and_serial_number":
                out.append((rid.chosen["issuer"].dump().hex(), int(rid.chosen["serial_number"].native)))
        enveloped["encrypted_content_info"]["encrypted_content"].native  # noqa: B018 - parses it: damage shows here
    except DecryptionFailed:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise DecryptionFailed("damaged", f"not a CMS EnvelopedData structure ({exc.__class__.__name__})") from exc
    return out


def open_cms(data: bytes, certificate: x509.Certificate, private_key: Any) -> bytes:
    """The plaintext of a CMS EnvelopedData with the bidder's certificate and key; :class:`DecryptionFailed`
    ``damaged`` (the structure, or the right key cannot decrypt it) or ``wrong_key`` (not to this certificate)."""
    recipients = cms_recipients(data)
    own = (certificate.issuer.public_bytes().hex(), certificate.serial_number)
    if own not in recipients:
        others = sorted({name for name, serial in recipients if serial == -1})
        unsupported = (f"; its other recipients use {', '.join(others)} (only RSA key transport, ktri, is "
                       "decrypted)") if others else ""
        raise DecryptionFailed("wrong_key", "the file is not encrypted to this certificate "
                                            f"(serial {certificate.serial_number:x}){unsupported}")
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise DecryptionFailed("wrong_key", "the certificate's key is not RSA (CMS key transport needs RSA)")
    try:
        return pkcs7.pkcs7_decrypt_der(data, certificate, private_key, [])
    except ValueError as exc:
        raise DecryptionFailed("damaged", f"the certificate's key cannot decrypt it ({exc})") from exc


#: what :func:`open_cms_unwrapping` asks the key holder to do: (the recipient's key-encryption algorithm,
#: ``"rsaes_pkcs1v15"`` or ``"rsaes_oaep"``; the OAEP hash name, e.g. ``"sha1"``, or None; the encrypted key) → the
#: content-encryption key. It raises :class:`DecryptionFailed` ``damaged`` when the key cannot unwrap it.
Unwrap = Callable[[str, "str | None", bytes], bytes]
_CBC_KEY = {"aes128_cbc": 16, "aes192_cbc": 24, "aes256_cbc": 32}


def open_cms_unwrapping(data: bytes, certificate: x509.Certificate, unwrap: Unwrap) -> bytes:
    """The plaintext of a CMS EnvelopedData whose key-transport recipient is ``certificate``, the content-encryption
    key unwrapped by ``unwrap`` (a key that never leaves its token) and the content (AES-CBC) decrypted here.
    :class:`DecryptionFailed` ``wrong_key`` (not to this certificate) or ``damaged``."""
    recipients = cms_recipients(data)
    own = (certificate.issuer.public_bytes().hex(), certificate.serial_number)
    if own not in recipients:
        raise DecryptionFailed("wrong_key", "the file is not encrypted to the token's certificate "
                                            f"(serial {certificate.serial_number:x})")
    enveloped = asn1_cms.ContentInfo.load(data)["content"]
    try:
        for recipient in enveloped["recipient_infos"]:
            if recipient.name != "ktri":
                continue
            rid = recipient.chosen["rid"]
            if rid.name != "issuer_and_serial_number" or (rid.chosen["issuer"].dump().hex(),
                                                          int(rid.chosen["serial_number"].native)) != own:
                continue
            algorithm = recipient.chosen["key_encryption_algorithm"]
            name = algorithm["algorithm"].native
            oaep_hash = None
            if name == "rsaes_oaep":
                params = algorithm["parameters"]
                oaep_hash = "sha1" if params.native is None else params["hash_algorithm"]["algorithm"].native
                mgf = None if params.native is None else params["mask_gen_algorithm"]["parameters"]["algorithm"].native
                if mgf not in (None, oaep_hash):
                    raise DecryptionFailed("damaged", f"OAEP with hash {oaep_hash} and MGF1 {mgf} differing")
            elif name != "rsaes_pkcs1v15":
                raise DecryptionFailed("damaged", f"the recipient's key encryption is {name} (RSA PKCS#1 or OAEP "
                                                  "only)")
            cek = unwrap(name, oaep_hash, bytes(recipient.chosen["encrypted_key"].native))
            break
        else:  # pragma: no cover (cms_recipients found it)
            raise DecryptionFailed("wrong_key", "the file is not encrypted to the token's certificate")
        content = enveloped["encrypted_content_info"]
        cipher = content["content_encryption_algorithm"]
        cipher_name = cipher["algorithm"].native
        if cipher_name not in _CBC_KEY:
            raise DecryptionFailed("damaged", f"the content is encrypted with {cipher_name} (AES-CBC only)")
        iv = bytes(cipher["parameters"].native)
        body = content["encrypted_content"].native
    except DecryptionFailed:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise DecryptionFailed("damaged", f"not a CMS EnvelopedData structure ({exc.__class__.__name__})") from exc
    if len(cek) != _CBC_KEY[cipher_name] or len(iv) != 16 or not body or len(body) % 16:
        raise DecryptionFailed("damaged", "the unwrapped key, the IV or the content has the wrong length")
    decryptor = Cipher(algorithms.AES(cek), modes.CBC(iv)).decryptor()
    padded = decryptor.update(bytes(body)) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError as exc:
        raise DecryptionFailed("damaged", "the token's key unwrapped a key that does not decrypt the content "
                                          "(its padding differs)") from exc


def load_bidder_p12(data: bytes, passphrase: bytes) -> tuple[x509.Certificate, Any]:
    """The certificate and key of a bidder's PKCS#12 file; :class:`DecryptionFailed` ``wrong_passphrase`` or
    ``bad_key_file``."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        key, cert, _chain = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError as exc:
        text = str(exc).lower()
        if "password" in text or "mac" in text or "decrypt" in text:
            raise DecryptionFailed("wrong_passphrase", "the PKCS#12 passphrase is wrong") from exc
        raise DecryptionFailed("bad_key_file", f"not a readable PKCS#12 file ({exc})") from exc
    if key is None or cert is None:
        raise DecryptionFailed("bad_key_file", "the PKCS#12 file holds no certificate with its key")
    return cert, key


# -- the decrypted copies a session keeps -------------------------------------------------------------
DATA_KEY = "data-key.evrbid"


def session_data_key(folder: Path, passphrase: bytes) -> bytes:
    """The session's data key under ``folder`` (made on first use), unlocked with the room key's passphrase."""
    path = folder / DATA_KEY
    if path.is_file():
        try:
            return open_passphrase(path.read_bytes(), passphrase)
        except DecryptionFailed as exc:
            raise EvalRoomError(f"{path}: the decrypted bid files' key does not open ({exc.detail})") from exc
    folder.mkdir(parents=True, exist_ok=True)
    key = os.urandom(32)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(seal_passphrase(key, passphrase))
    os.replace(tmp, path)
    return key


def seal_at_rest(key: bytes, plaintext: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, hashlib.sha256(plaintext).hexdigest().encode("ascii"))


def open_at_rest(key: bytes, data: bytes, sha256: str) -> bytes:
    """The plaintext kept at rest, checked by the AES-GCM tag over its SHA-256 (any change: ValueError)."""
    try:
        return AESGCM(key).decrypt(data[:12], data[12:], sha256.encode("ascii"))
    except (InvalidTag, ValueError) as exc:
        raise ValueError("the decrypted copy kept at rest is damaged or not of this SHA-256") from exc
