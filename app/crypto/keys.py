"""Signing keys with an explicit algorithm name: Ed25519 (the default) and SM2 with SM3 (``sm2``, GM/T 0009 default
user id; raw key = the 65-byte uncompressed point, see ``app.crypto.sm2``).

Private keys at rest are PKCS#12 with a raised PBKDF2 iteration count: the default PKCS#8
encryption of `cryptography` uses 2048 iterations, too weak for a human password.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import pkcs12

from app.crypto import sm2
from app.durable import write_private
from app.errors import EvalRoomError

ED25519 = "ed25519"
SM2 = "sm2"
#: the ``passphrase`` value of a KDF file whose key is under the public demo passphrase (demo, simulate)
DEMO_MARK = "demo"
PKCS12_KDF_ROUNDS = 600_000
#: scrypt cost for stretching a human passphrase (32 MiB, about 0.1 s here).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


class KeyFileError(EvalRoomError, ValueError):
    """A key file that cannot be used: wrong passphrase, corrupt, or an unsupported algorithm."""

    help_key = "key.help"


@dataclass(frozen=True)
class VerifyingKey:
    """A public key that checks signatures of one algorithm."""

    alg: str
    raw: bytes  # Ed25519: the 32-byte public key

    @cached_property
    def key_id(self) -> str:
        """A stable identifier: SHA-256 of the algorithm and raw public key, hex (computed once)."""
        return hashlib.sha256(self.alg.encode() + b":" + self.raw).hexdigest()

    @cached_property
    def _ed25519(self) -> ed25519.Ed25519PublicKey | None:
        """The parsed key, once: loading it costs about as much as a verification (ledger verify loops)."""
        try:
            return ed25519.Ed25519PublicKey.from_public_bytes(self.raw)
        except ValueError:
            return None

    def verify(self, signature: bytes, message: bytes) -> bool:
        if self.alg == SM2:
            if len(self.raw) != 65 or self.raw[0] != 4:
                raise KeyFileError("an SM2 public key is the 65-byte uncompressed point")
            return sm2.verify(self.raw, message, signature)
        if self.alg != ED25519:
            raise KeyFileError(f"unsupported signature algorithm {self.alg!r}")
        public = self._ed25519
        if public is None:
            return False
        try:
            public.verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True

    def to_pem(self) -> bytes:
        if self.alg != ED25519:
            raise KeyFileError(f"no PEM form for a {self.alg} session key")
        public = ed25519.Ed25519PublicKey.from_public_bytes(self.raw)
        return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    @classmethod
    def from_pem(cls, pem: bytes) -> VerifyingKey:
        try:
            public = serialization.load_pem_public_key(pem)
        except ValueError as exc:
            raise KeyFileError(f"not a PEM public key: {exc}") from exc
        if not isinstance(public, ed25519.Ed25519PublicKey):
            raise KeyFileError(f"unsupported public key type {type(public).__name__}")
        return cls(ED25519, public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


class SigningKey:
    """A private key that signs messages (Ed25519 by default)."""

    alg = ED25519

    def __init__(self, private: ed25519.Ed25519PrivateKey) -> None:
        self._private = private
        raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.public = VerifyingKey(ED25519, raw)

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(ed25519.Ed25519PrivateKey.generate())

    @property
    def key_id(self) -> str:
        return self.public.key_id

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)

    def to_pkcs12(self, passphrase: bytes, name: str = "evalroom", rounds: int = PKCS12_KDF_ROUNDS) -> bytes:
        """PKCS#12 with PBES2 / PBKDF2-HMAC-SHA256 at ``rounds`` iterations and AES-256-CBC."""
        encryption = (
            serialization.PrivateFormat.PKCS12.encryption_builder()
            .kdf_rounds(rounds)
            .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
            .hmac_hash(hashes.SHA256())
            .build(passphrase)
        )
        return pkcs12.serialize_key_and_certificates(name.encode(), self._private, None, None, encryption)

    @classmethod
    def from_pkcs12(cls, data: bytes, passphrase: bytes) -> SigningKey:
        try:
            private, _cert, _extra = pkcs12.load_key_and_certificates(data, passphrase)
        except ValueError as exc:
            raise KeyFileError("cannot open the key file: wrong passphrase or damaged file") from exc
        if not isinstance(private, ed25519.Ed25519PrivateKey):
            raise KeyFileError(f"unsupported private key type {type(private).__name__}")
        return cls(private)

    def save(self, path: Path, passphrase: bytes, rounds: int = PKCS12_KDF_ROUNDS, demo: bool = False) -> None:
        """Write the encrypted key (PKCS#12), its KDF parameters (``.kdf.json``) and the public key
        (``.pub.pem``) beside it: each file 0600, atomically, the KDF file first and the public key last
        (a complete key has all three). ``demo``: the passphrase is the public demo one (the demo and the
        simulate tooling); the KDF file says so, see ``app.crypto.passphrases``.

        The human passphrase is first stretched with scrypt: the PKCS#12 MAC is keyed with only 2048
        iterations (cryptography cannot raise it), so without stretching a guess could be checked
        cheaply against the MAC and the 600 000 encryption rounds would buy nothing.
        """
        kdf = new_kdf(demo)
        write_kdf(path, kdf)
        write_private(path, self.to_pkcs12(stretch_passphrase(passphrase, kdf), rounds=rounds))
        write_private(path.with_suffix(".pub.pem"), self.public.to_pem())

    @classmethod
    def load(cls, path: Path, passphrase: bytes) -> SigningKey:
        """Open a key written by :meth:`save` (or a plain PKCS#12 file when no ``.kdf.json`` is beside it)."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise KeyFileError(f"cannot read the key file {path}: {exc.strerror}") from exc
        return cls.from_pkcs12(data, stretched(path, passphrase))


class Sm2SigningKey(SigningKey):
    """An SM2 key (signatures with SM3 and the GM/T 0009 default user id); in memory only (a session key, or the key
    of a certificate read from its PKCS#12 file, ``app.crypto.certs``)."""

    alg = SM2

    def __init__(self, private: bytes, public: bytes | None = None) -> None:
        if len(private) != 32:
            raise KeyFileError("an SM2 private key is 32 bytes")
        self._raw_private = private
        if public is None:
            raise KeyFileError("an SM2 key needs its public point")
        self.public = VerifyingKey(SM2, public)

    @classmethod
    def generate(cls) -> Sm2SigningKey:
        private, public = sm2.generate()
        return cls(private, public)

    def sign(self, message: bytes) -> bytes:
        return sm2.sign(self._raw_private, self.public.raw, message)

    def to_pkcs12(self, passphrase: bytes, name: str = "evalroom", rounds: int = PKCS12_KDF_ROUNDS) -> bytes:
        raise KeyFileError("an SM2 key is not written by EvalRoom (its PKCS#12 file comes from the CA)")


def stretched(key_path: Path, passphrase: bytes) -> bytes:
    """The PKCS#12 password of the key file at ``key_path``: the passphrase stretched with the parameters of
    its ``.kdf.json``, or the passphrase itself for a plain PKCS#12 file (none beside it)."""
    kdf = read_kdf(key_path)
    if kdf is None:
        return passphrase
    try:
        return stretch_passphrase(passphrase, kdf)
    except (ValueError, KeyError, TypeError) as exc:
        sidecar = key_path.with_suffix(".kdf.json").name
        raise KeyFileError(f"the key's KDF parameters {sidecar} are damaged: {exc}") from exc


def new_kdf(demo: bool = False) -> dict[str, object]:
    """Fresh scrypt parameters (a new salt) for a key file; ``demo`` marks the public demo passphrase."""
    kdf: dict[str, object] = {"kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                              "salt": os.urandom(16).hex()}
    if demo:
        kdf["passphrase"] = DEMO_MARK
    return kdf


def write_kdf(key_path: Path, kdf: dict[str, object]) -> None:
    """The ``.kdf.json`` beside a key file (0600, atomically)."""
    write_private(key_path.with_suffix(".kdf.json"), (json.dumps(kdf, sort_keys=True) + "\n").encode("utf-8"))


def read_kdf(key_path: Path) -> dict[str, object] | None:
    """The KDF parameters beside ``key_path`` (None: no ``.kdf.json``, a plain PKCS#12 file)."""
    sidecar = key_path.with_suffix(".kdf.json")
    if not sidecar.exists():
        return None
    try:
        kdf = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KeyFileError(f"the key's KDF parameters {sidecar.name} are damaged: {exc}") from exc
    if not isinstance(kdf, dict):
        raise KeyFileError(f"the key's KDF parameters {sidecar.name} are damaged: not a JSON object")
    return kdf


def stretch_passphrase(passphrase: bytes, kdf: dict[str, object]) -> bytes:
    """scrypt(passphrase) as the PKCS#12 password (hex, so openssl can use it too)."""
    if kdf.get("kdf") != "scrypt":
        raise ValueError(f"unsupported KDF {kdf.get('kdf')!r}")
    n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])  # type: ignore[call-overload]
    salt = bytes.fromhex(str(kdf["salt"]))
    return hashlib.scrypt(passphrase, salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32).hex().encode()
