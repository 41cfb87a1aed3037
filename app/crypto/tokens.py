"""A member's certificate on a PKCS#11 token (a USB key, "UKey"): the module and slot from the settings, the PIN typed
at the workstation and never stored. :func:`open_token` logs in, finds a certificate whose private key (same
``CKA_ID``) is on the token, checks with a probe signature that they belong together and returns a
:class:`TokenKey`: a :class:`~app.crypto.certs.CertKey` whose signatures the token makes (the key never leaves it).
The token's session stays open (logged in) while the member's check-in lasts; :meth:`TokenKey.close` ends it.

Library: ``python-pkcs11`` (Cython over the PKCS#11 C API; wheels for Windows, Linux and macOS; MIT). Mechanisms:
RSA ``CKM_SHA256_RSA_PKCS``; ECDSA the SHA-256 digest made here and ``CKM_ECDSA`` on the token (SoftHSM2 2.6 and
many tokens have no ``CKM_ECDSA_SHA256``), its raw r‖s turned into DER. SM2 keys on a token are not supported: the
Chinese CAs' SM2 UKeys speak the SKF interface (GM/T 0016) or vendor mechanisms, not standard PKCS#11.

A wrong PIN is :class:`TokenError` ``token.pin_wrong`` (with the token's own warning when few tries are left or the
next is the last), a locked one ``token.pin_locked``; nothing else on the PC is affected by either.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from app.crypto.certs import ECDSA, RSA, CertKey, key_algorithm, verify_with_certificate
from app.errors import Bilingual

PROBE = b"evalroom token key check"
_OPEN: set[int] = set()  # ids of the TokenKeys whose session is open in this process
_OPEN_LOCK = threading.Lock()


class TokenError(Bilingual):
    """The token cannot be used: the module, no token, the PIN, no certificate with its key (exit 2)."""

    exit_code = 2


@dataclass(frozen=True)
class TokenSlot:
    slot_id: int
    label: str
    manufacturer: str
    model: str
    serial: str


def _lib(module: Path) -> Any:
    try:
        import pkcs11
    except ImportError as exc:  # pragma: no cover (a dependency of the project)
        raise TokenError(key="token.module", module=str(module), reason=f"python-pkcs11 is missing: {exc}") from exc
    if not module.is_file():
        raise TokenError(key="token.module", module=str(module), reason="no such file")
    try:
        return pkcs11.lib(str(module))
    except (RuntimeError, OSError, pkcs11.PKCS11Error) as exc:
        raise TokenError(key="token.module", module=str(module), reason=str(exc) or type(exc).__name__) from exc


def _initialised(token: Any) -> bool:
    import pkcs11

    return bool(token.flags & pkcs11.TokenFlag.TOKEN_INITIALIZED)


def token_slots(module: Path) -> list[TokenSlot]:
    """The slots of ``module`` holding an initialised token."""
    lib = _lib(module)
    out = []
    for slot in lib.get_slots(token_present=True):
        token = slot.get_token()
        if _initialised(token):
            out.append(TokenSlot(slot.slot_id, token.label.strip(), token.manufacturer_id.strip(),
                                 token.model.strip(), token.serial.decode("ascii", "replace").strip()
                                 if isinstance(token.serial, bytes) else str(token.serial).strip()))
    return out


def _token(module: Path, slot_id: int | None) -> Any:
    lib = _lib(module)

    def find() -> list[Any]:
        slots = [s for s in lib.get_slots(token_present=True) if _initialised(s.get_token())]
        return [s for s in slots if slot_id is None or s.slot_id == slot_id]

    slots = find()
    with _OPEN_LOCK:
        if not slots and not _OPEN:  # a token initialised since the module was loaded (a soft token): look again,
            lib.reinitialize()  # which ends every session, so only while none is open here
            slots = find()
    if not slots:
        where = f"slot {slot_id}" if slot_id is not None else "any slot"
        raise TokenError(key="token.none", module=str(module), where=where)
    return slots[0].get_token()


def _pin_warning(token: Any) -> tuple[str, str]:
    import pkcs11

    flags = token.flags
    if flags & pkcs11.TokenFlag.USER_PIN_FINAL_TRY:
        return "（下一次输错将锁定此 USB Key）", " (the next wrong PIN locks this USB key)"
    if flags & pkcs11.TokenFlag.USER_PIN_COUNT_LOW:
        return "（剩余尝试次数不多）", " (few tries left)"
    return "", ""


@dataclass
class TokenKey(CertKey):
    """A certificate on a token with its private key there (signs through the token's logged-in session)."""

    label: str = ""
    _key: Any = field(default=None, repr=False)
    _session: Any = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def sign(self, message: bytes) -> bytes:
        import pkcs11
        from pkcs11 import Mechanism

        with self._lock:
            if self._session is None:
                raise TokenError(key="token.closed", label=self.label)
            try:
                if self.alg == RSA:
                    return bytes(self._key.sign(message, mechanism=Mechanism.SHA256_RSA_PKCS))
                raw = bytes(self._key.sign(hashlib.sha256(message).digest(), mechanism=Mechanism.ECDSA))
            except pkcs11.PKCS11Error as exc:
                raise TokenError(key="token.failed", label=self.label,
                                 reason=type(exc).__name__ + (f": {exc}" if str(exc) else "")) from exc
        half = len(raw) // 2
        return encode_dss_signature(int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big"))

    def close(self) -> None:
        with self._lock:
            session, self._session, self._key = self._session, None, None
        with _OPEN_LOCK:
            _OPEN.discard(id(self))
        if session is not None:
            with contextlib.suppress(Exception):  # the token was pulled out: nothing is left to close
                session.close()


def _login(module: Path, slot_id: int | None, pin: str) -> tuple[Any, str]:
    """The session of one login to the token in ``slot_id`` with the typed PIN, and the token's label (the PIN is
    never retried: each wrong PIN counts toward the token's lock)."""
    import pkcs11

    if not pin:
        raise TokenError(key="token.pin_missing")
    token = _token(module, slot_id)
    label = token.label.strip()
    try:
        return token.open(user_pin=pin), label
    except (pkcs11.PinIncorrect, pkcs11.PinLenRange, pkcs11.PinInvalid) as exc:
        zh, en = _pin_warning(token)
        raise TokenError(key="token.pin_wrong", label=label, warning_zh=zh, warning=en) from exc
    except pkcs11.PinLocked as exc:
        raise TokenError(key="token.pin_locked", label=label) from exc
    except pkcs11.PKCS11Error as exc:
        raise TokenError(key="token.failed", label=label, reason=type(exc).__name__) from exc


def open_token(module: Path, slot_id: int | None, pin: str) -> TokenKey:
    """Log in to the token (the PIN typed at the workstation) and return its signing certificate with the key."""
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    session, label = _login(module, slot_id, pin)
    try:
        certs: list[tuple[bytes, x509.Certificate]] = []
        for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
            try:
                certs.append((bytes(obj[Attribute.ID]), x509.load_der_x509_certificate(bytes(obj[Attribute.VALUE]))))
            except (ValueError, pkcs11.PKCS11Error):
                continue
        keys = {bytes(k[Attribute.ID]): k for k in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})}
        problem = "it holds no certificate whose private key is on it"
        for ident, cert in sorted(certs, key=lambda c: _is_ca(c[1])):
            key = keys.get(ident)
            if key is None or _is_ca(cert):
                continue
            alg = key_algorithm(cert)[0]
            if alg not in (RSA, ECDSA):
                problem = f"its certificate {cert.subject.rfc4514_string()} has a {alg} key (RSA or ECDSA only)"
                continue
            chain = [c for i, c in certs if c != cert and _is_ca(c)]
            found = TokenKey(cert, chain, alg, label=label, _key=key, _session=session)
            if verify_with_certificate(cert, found.sign(PROBE), PROBE):
                with _OPEN_LOCK:
                    _OPEN.add(id(found))
                return found
            problem = f"the key with the id of {cert.subject.rfc4514_string()} does not match that certificate"
        raise TokenError(key="token.no_certificate", label=label, reason=problem)
    except BaseException:
        session.close()
        raise


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


@dataclass
class TokenDecryptor:
    """A logged-in token's RSA decryption keys with their certificates (a bidder's key at the opening): the token
    unwraps a CMS content-encryption key (``CKM_RSA_PKCS`` or ``CKM_RSA_PKCS_OAEP``); the key never leaves it."""

    label: str
    certificates: list[x509.Certificate]
    _keys: list[Any] = field(default_factory=list, repr=False)
    _session: Any = field(default=None, repr=False)

    def unwrapper(self, certificate: x509.Certificate) -> Any:
        """``(algorithm, oaep_hash, encrypted key) → key`` with the private key of ``certificate`` (for
        :func:`app.crypto.bid_crypto.open_cms_unwrapping`)."""
        import pkcs11
        from pkcs11 import MGF, Mechanism

        from app.crypto.bid_crypto import DecryptionFailed

        key = self._keys[self.certificates.index(certificate)]
        hashes = {"sha1": (Mechanism.SHA_1, MGF.SHA1), "sha256": (Mechanism.SHA256, MGF.SHA256),
                  "sha384": (Mechanism.SHA384, MGF.SHA384), "sha512": (Mechanism.SHA512, MGF.SHA512)}

        def unwrap(algorithm: str, oaep_hash: str | None, encrypted: bytes) -> bytes:
            if self._session is None:
                raise TokenError(key="token.closed", label=self.label)
            try:
                if algorithm == "rsaes_oaep":
                    if oaep_hash not in hashes:
                        raise DecryptionFailed("damaged", f"OAEP with {oaep_hash} is not supported")
                    return bytes(key.decrypt(encrypted, mechanism=Mechanism.RSA_PKCS_OAEP,
                                             mechanism_param=(*hashes[oaep_hash], None)))
                return bytes(key.decrypt(encrypted, mechanism=Mechanism.RSA_PKCS))
            except pkcs11.PKCS11Error as exc:
                raise DecryptionFailed("damaged", "the token's key cannot unwrap the file's key "
                                                  f"({type(exc).__name__})") from exc

        return unwrap

    def close(self) -> None:
        session, self._session, self._keys = self._session, None, []
        if session is not None:
            with contextlib.suppress(Exception):
                session.close()


def open_decryption_token(module: Path, slot_id: int | None, pin: str) -> TokenDecryptor:
    """Log in once with ``pin`` (typed, never stored) and return the token's RSA certificates whose private key
    (same ``CKA_ID``) is on it and may decrypt. :class:`TokenError` ``token.pin_wrong`` / ``token.pin_locked`` /
    ``token.no_certificate`` / ``token.none`` / ``token.module``."""
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    session, label = _login(module, slot_id, pin)
    try:
        keys = {bytes(k[Attribute.ID]): k for k in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})}
        found = TokenDecryptor(label, [], [], session)
        for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
            try:
                ident, cert = bytes(obj[Attribute.ID]), x509.load_der_x509_certificate(bytes(obj[Attribute.VALUE]))
            except (ValueError, pkcs11.PKCS11Error):
                continue
            key = keys.get(ident)
            if key is None or _is_ca(cert) or key_algorithm(cert)[0] != RSA:
                continue
            found.certificates.append(cert)
            found._keys.append(key)
        if not found.certificates:
            raise TokenError(key="token.no_certificate", label=label,
                             reason="it holds no RSA certificate whose private key is on it")
        return found
    except BaseException:
        session.close()
        raise


__all__ = ["TokenDecryptor", "TokenError", "TokenKey", "TokenSlot", "open_decryption_token", "open_token",
           "token_slots"]
