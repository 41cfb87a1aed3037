"""Trust store: chains to either configured root verify; unknown, expired, incomplete or misused ones do not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import ExtendedKeyUsageOID

from app.crypto.trust import TrustError, TrustStore, describe
from pkibuilder import NOW, SIGNING_USAGE, YEAR, Issued, TestPKI, build_pki, make_ca, make_leaf


@pytest.fixture(scope="module")
def pki() -> TestPKI:
    return build_pki()


@pytest.fixture(scope="module")
def store(pki: TestPKI) -> TrustStore:
    return TrustStore((pki.root_a.cert, pki.root_b.cert))


def names(chain: list) -> list[str]:
    return [describe(c) for c in chain]


def test_chain_to_either_root_is_accepted(pki: TestPKI, store: TrustStore) -> None:
    chain = store.verify_chain(pki.console.cert, [pki.intermediate.cert], NOW)
    assert names(chain) == ["Room 3 console", "Test Center Sub CA", "Test Root CA A"]
    assert isinstance(chain[0].public_key(), ed25519.Ed25519PublicKey)  # Ed25519 leaves are fine
    assert names(store.verify_chain(pki.expert.cert, [], NOW)) == ["Expert Zhang San", "Test Root CA B"]
    # unrelated extra intermediates do no harm; a naive time is taken as UTC
    extra = make_ca("Unrelated Sub CA", pki.root_b)
    chain = store.verify_chain(pki.console.cert, [extra.cert, pki.intermediate.cert], NOW.replace(tzinfo=None))
    assert chain[-1] == pki.root_a.cert


def test_unknown_root_is_rejected(pki: TestPKI, store: TrustStore) -> None:
    other = make_ca("Other Province Root")
    leaf = make_leaf("Stranger", other)
    with pytest.raises(TrustError, match="untrusted issuer: CN=Other Province Root"):
        store.verify_chain(leaf.cert, [], NOW)
    with pytest.raises(TrustError, match="untrusted root: 'Other Province Root' is not in the trust store"):
        store.verify_chain(leaf.cert, [other.cert], NOW)
    only_b = TrustStore((pki.root_b.cert,))
    with pytest.raises(TrustError, match="untrusted issuer: CN=Test Root CA A.*issuer of 'Test Center Sub CA'"):
        only_b.verify_chain(pki.console.cert, [pki.intermediate.cert], NOW)


def test_missing_intermediate_is_rejected(pki: TestPKI, store: TrustStore) -> None:
    with pytest.raises(TrustError, match="untrusted issuer: CN=Test Center Sub CA.*no intermediate for it was given"):
        store.verify_chain(pki.console.cert, [], NOW)


def test_expired_or_not_yet_valid_is_rejected(pki: TestPKI, store: TrustStore) -> None:
    with pytest.raises(TrustError, match="certificate 'Room 3 console' expired on 2027-06-01"):
        store.verify_chain(pki.console.cert, [pki.intermediate.cert], NOW + 2 * YEAR)
    with pytest.raises(TrustError, match="is not valid before 2025-06-01"):
        store.verify_chain(pki.console.cert, [pki.intermediate.cert], NOW - 2 * YEAR)
    old = make_ca("Retired Sub CA", pki.root_a, not_before=NOW - 3 * YEAR, not_after=NOW - dt.timedelta(days=1))
    leaf = make_leaf("Late signer", old)
    with pytest.raises(TrustError, match="intermediate CA 'Retired Sub CA' expired on 2026-05-31"):
        store.verify_chain(leaf.cert, [old.cert], NOW)


def test_expired_root_is_rejected() -> None:
    root = make_ca("Short Root", not_before=NOW - 2 * YEAR, not_after=NOW - YEAR)
    leaf = make_leaf("Signer", root, not_before=NOW - YEAR, not_after=NOW + YEAR)
    with pytest.raises(TrustError, match="root CA 'Short Root' expired"):
        TrustStore((root.cert,)).verify_chain(leaf.cert, [], NOW)


@pytest.mark.parametrize(("changes", "message"), [
    ({"usage": {**SIGNING_USAGE, "digital_signature": False, "content_commitment": False, "key_encipherment": True}},
     "wrong key usage: 'Misused' allows neither digitalSignature nor nonRepudiation"),
    ({"usage": {**SIGNING_USAGE, "key_cert_sign": True}}, "wrong key usage: 'Misused' is a certificate-signing key"),
    ({"eku": [ExtendedKeyUsageOID.SERVER_AUTH]}, "wrong extended key usage: 'Misused' is only for serverAuth"),
    ({"ca": True}, "basicConstraints.cA must not be asserted"),
])
def test_wrong_usage_is_rejected(pki: TestPKI, store: TrustStore, changes: dict, message: str) -> None:
    leaf = make_leaf("Misused", pki.root_a, **changes)
    with pytest.raises(TrustError, match=message):
        store.verify_chain(leaf.cert, [], NOW)


def test_document_signing_ekus_are_accepted(pki: TestPKI, store: TrustStore) -> None:
    for eku in (ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE):
        leaf = make_leaf("Signer", pki.root_a, eku=[eku])
        assert store.verify_chain(leaf.cert, [], NOW)[0] == leaf.cert
    narrow = TrustStore(store.roots, accepted_ekus=frozenset({ExtendedKeyUsageOID.CLIENT_AUTH}))
    with pytest.raises(TrustError, match="wrong extended key usage"):
        narrow.verify_chain(make_leaf("Mailer", pki.root_a, eku=[ExtendedKeyUsageOID.EMAIL_PROTECTION]).cert, [], NOW)


def test_an_end_entity_cannot_issue(pki: TestPKI, store: TrustStore) -> None:
    sub = make_leaf("Sub-issued", Issued(pki.console.cert, pki.console.key))
    with pytest.raises(TrustError, match="'Room 3 console' is not a CA certificate and cannot issue 'Sub-issued'"):
        store.verify_chain(sub.cert, [pki.console.cert, pki.intermediate.cert], NOW)
    p256_leaf = make_leaf("P-256 signer", pki.root_a, key=ec.generate_private_key(ec.SECP256R1()))
    sub = make_leaf("Sub-issued", p256_leaf)  # a key type the verifier would accept for a CA
    with pytest.raises(TrustError, match="'P-256 signer' is not a CA certificate"):
        store.verify_chain(sub.cert, [p256_leaf.cert], NOW)


def test_a_forged_issuer_is_rejected(pki: TestPKI, store: TrustStore) -> None:
    impostor = make_ca("Test Center Sub CA", pki.root_b)  # the same name, another key
    leaf = make_leaf("Forged", impostor, key=ec.generate_private_key(ec.SECP256R1()))
    with pytest.raises(TrustError, match="'Forged' not trusted"):
        store.verify_chain(leaf.cert, [pki.intermediate.cert], NOW)


def test_ed25519_cas_are_not_supported(pki: TestPKI) -> None:
    """The verifier only takes Web-PKI issuer keys (RSA, P-256/384/521): say so instead of failing obscurely."""
    ed_root = make_ca("Ed25519 Root", key=ed25519.Ed25519PrivateKey.generate())
    with pytest.raises(TrustError, match="'Ed25519 Root' uses an unsupported key type"):
        TrustStore((ed_root.cert,))
    ed_sub = make_ca("Ed25519 Sub CA", pki.root_a, key=ed25519.Ed25519PrivateKey.generate())
    with pytest.raises(TrustError, match="intermediate CA 'Ed25519 Sub CA' uses an unsupported key type"):
        TrustStore((pki.root_a.cert,)).verify_chain(make_leaf("Signer", ed_sub).cert, [ed_sub.cert], NOW)


def test_loading_roots(pki: TestPKI, tmp_path: Path) -> None:
    pem_a = pki.root_a.cert.public_bytes(serialization.Encoding.PEM)
    pem_b = pki.root_b.cert.public_bytes(serialization.Encoding.PEM)
    (tmp_path / "a.pem").write_bytes(pem_a)
    (tmp_path / "b.pem").write_bytes(pem_b + pem_a)  # a duplicate is dropped
    from_files = TrustStore.from_pem_files([tmp_path / "a.pem", str(tmp_path / "b.pem")])
    assert from_files.roots == (pki.root_a.cert, pki.root_b.cert)
    assert TrustStore.from_pem_bundle(pem_a + pem_b) == from_files
    with pytest.raises(TrustError, match="not a PEM certificate bundle"):
        TrustStore.from_pem_bundle(b"garbage")
    (tmp_path / "bad.pem").write_bytes(b"garbage")
    with pytest.raises(TrustError, match="bad.pem: not a PEM"):
        TrustStore.from_pem_files([tmp_path / "bad.pem"])
    with pytest.raises(TrustError, match="no root certificates"):
        TrustStore(())
    with pytest.raises(TrustError, match="'Expert Zhang San' is not a CA certificate"):
        TrustStore((pki.expert.cert,))


def test_error_is_a_value_error() -> None:
    assert issubclass(TrustError, ValueError)
