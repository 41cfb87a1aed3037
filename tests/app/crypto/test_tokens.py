"""Certificates on a PKCS#11 token (SoftHSM2, a real module): a key pair generated on the token, its certificate
issued by the openssl test PKI and stored beside it; the token signs (RSA and ECDSA) and the certificate verifies;
a wrong PIN is refused clearly and the right one still works; no token, no certificate and a missing module are
named."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.crypto.certs import verify_with_certificate
from app.crypto.tokens import TokenError, open_token, token_slots
from app.crypto.truststore import CertificateTrust
from opensslpki import make_ca
from softhsm import MODULE, key_with_certificate, needs_softhsm, new_token

pytestmark = needs_softhsm


@pytest.mark.parametrize("alg", ["ecdsa", "rsa"])
def test_the_token_signs_with_its_certificate_and_a_wrong_pin_is_refused(tmp_path: Path, alg: str) -> None:
    assert MODULE is not None
    ca = make_ca(tmp_path / "ca", "Token CA", "rsa" if alg == "ecdsa" else "ecdsa")
    slot = new_token(f"member-{alg}", "246810")
    key_with_certificate(f"member-{alg}", "246810", ca, f"Expert Token {alg}", alg)
    assert f"member-{alg}" in {s.label for s in token_slots(MODULE)}
    with pytest.raises(TokenError) as wrong:
        open_token(MODULE, slot, "000000")
    assert str(wrong.value).startswith(f"wrong PIN for the USB key 'member-{alg}'")
    assert "PIN 不正确" in wrong.value.message("zh")
    key = open_token(MODULE, slot, "246810")  # the token is not locked by one wrong try
    try:
        assert key.alg == alg and key.cert.subject.rfc4514_string() == f"CN=Expert Token {alg}"
        assert key.private_key is None  # never leaves the token
        signature = key.sign(b"the commitment letter")
        assert verify_with_certificate(key.cert, signature, b"the commitment letter")
        assert not verify_with_certificate(key.cert, signature, b"another letter")
        assert CertificateTrust.load([ca.pem]).problem(key.cert, key.chain) is None
    finally:
        key.close()
    with pytest.raises(TokenError, match="is closed"):
        key.sign(b"after close")


def test_no_token_no_certificate_and_no_module_are_named(tmp_path: Path) -> None:
    assert MODULE is not None
    slot = new_token("empty-token", "135790")
    with pytest.raises(TokenError, match="'empty-token' holds no usable signing certificate"):
        open_token(MODULE, slot, "135790")
    with pytest.raises(TokenError, match=r"no USB key found \(.*slot 4242\)"):
        open_token(MODULE, 4242, "135790")
    with pytest.raises(TokenError, match="PKCS#11 module .*missing.so cannot be loaded: no such file"):
        open_token(tmp_path / "missing.so", None, "135790")
    (tmp_path / "junk.so").write_bytes(b"not a shared library")
    with pytest.raises(TokenError, match="PKCS#11 module .*junk.so cannot be loaded: .*junk.so"):
        open_token(tmp_path / "junk.so", None, "135790")
    with pytest.raises(TokenError, match="type the USB key's PIN"):
        open_token(MODULE, slot, "")
