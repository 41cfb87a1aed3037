"""SM2 signatures with SM3 (GM/T 0003.2, GB/T 32918.2), through GmSSL (``gmssl-pyx``: C, wheels for Windows
and Linux; ``cryptography`` has no SM2). See the README's "SM2" section for the choice and the measured rates.

The signed digest is ``e = SM3(Z_A || M)`` with ``Z_A = SM3(ENTL || ID || a || b || x_G || y_G || x_A || y_A)``
(GM/T 0009). Our own signatures (ledger events, the check-in binding, a member's acts) always use the GM/T 0009
default user id ``1234567812345678``. Certificates are verified with that id too and, failing it, with an empty id:
OpenSSL 3.0's ``req -sm3`` / ``x509 -sm3`` sign certificates with an empty id unless ``-sigopt distid:`` is given
(measured), while GM/T 0015 certificates of Chinese CAs use the default id.

Keys here are raw: a private key is 32 bytes, a public key the 65-byte uncompressed point ``04 || x || y``.
GmSSL reports a failed verification on stderr (file:line lines); :func:`verify_digest` keeps stderr quiet
around the call.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import gmssl_pyx
from cryptography.hazmat.primitives import hashes

#: the SM2 curve (GM/T 0003.5, OID 1.2.156.10197.1.301)
CURVE_OID = "1.2.156.10197.1.301"
#: SM2 signature with SM3 (OID 1.2.156.10197.1.501)
SM2_SM3_OID = "1.2.156.10197.1.501"
DEFAULT_ID = b"1234567812345678"
_A = bytes.fromhex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC")
_B = bytes.fromhex("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93")
_GX = bytes.fromhex("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7")
_GY = bytes.fromhex("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0")
_QUIET = threading.Lock()


def sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def _xy(public: bytes) -> bytes:
    if len(public) != 65 or public[0] != 4:
        raise ValueError("an SM2 public key is the 65-byte uncompressed point 04||x||y")
    return public[1:]


def za(public: bytes, user_id: bytes = DEFAULT_ID) -> bytes:
    """Z_A of GM/T 0009: the signer's identity hash (``user_id`` at most 8191 bytes)."""
    return sm3((len(user_id) * 8).to_bytes(2, "big") + user_id + _A + _B + _GX + _GY + _xy(public))


def digest(public: bytes, message: bytes, user_id: bytes = DEFAULT_ID) -> bytes:
    """``e = SM3(Z_A || M)``, the value an SM2 signature signs."""
    return sm3(za(public, user_id) + message)


def generate() -> tuple[bytes, bytes]:
    """A fresh key pair: (32-byte private key, 65-byte public point)."""
    public, private = gmssl_pyx.sm2_key_generate()
    return bytes(private), b"\x04" + bytes(public)


def sign(private: bytes, public: bytes, message: bytes, user_id: bytes = DEFAULT_ID) -> bytes:
    """The DER ``SEQUENCE {r, s}`` signature of ``message`` (SM3 with Z_A of ``user_id``)."""
    return bytes(gmssl_pyx.sm2_sign_sm3_digest(private, digest(public, message, user_id)))


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """GmSSL's C code writes file:line lines to fd 2 on a failed verification: keep them off the console."""
    with _QUIET:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
        except (OSError, ValueError, AttributeError):
            yield
            return
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 2)
                yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def verify_digest(public: bytes, e: bytes, signature: bytes) -> bool:
    try:
        xy = _xy(public)
    except ValueError:
        return False
    with _quiet_stderr():
        try:
            return bool(gmssl_pyx.sm2_verify_sm3_digest(xy, e, signature))
        except (gmssl_pyx.GmsslInnerError, gmssl_pyx.InvalidValueError, ValueError, TypeError):
            return False


def verify(public: bytes, message: bytes, signature: bytes, user_id: bytes = DEFAULT_ID) -> bool:
    """Whether ``signature`` (DER) signs ``message`` under ``public`` with ``user_id``."""
    try:
        e = digest(public, message, user_id)
    except ValueError:
        return False
    return verify_digest(public, e, signature)


def verify_certificate_signature(public: bytes, tbs: bytes, signature: bytes) -> bool:
    """A certificate's (or CRL's) SM2-with-SM3 signature: the default id, else the empty id OpenSSL 3.0 uses."""
    if verify(public, tbs, signature):
        return True
    try:
        e = sm3(za(public, b"") + tbs)
    except ValueError:
        return False
    return verify_digest(public, e, signature)
