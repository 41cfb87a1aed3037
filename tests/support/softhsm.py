"""SoftHSM2 tokens for the tests (Debian ``softhsm2``, a real PKCS#11 module): one token folder per test process
(``SOFTHSM2_CONF`` is read when the module is first loaded), a token initialised per test, a key pair generated on
the token and a certificate for it issued by the openssl test PKI (``opensslpki``) and stored beside it."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CANDIDATES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
              "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so", "/usr/local/lib/softhsm/libsofthsm2.so")
MODULE = next((Path(p) for p in CANDIDATES if Path(p).is_file()), None)
needs_softhsm = pytest.mark.skipif(MODULE is None, reason="libsofthsm2.so is absent (apt-get install softhsm2; "
                                                          "CI installs it)")
SO_PIN = "87654321"
_home: Path | None = None


def _folder() -> Path:
    """The process's token folder and its SOFTHSM2_CONF (set once: the module reads it when first loaded)."""
    global _home
    if _home is None:
        _home = Path(tempfile.mkdtemp(prefix="evalroom-softhsm-"))
        atexit.register(shutil.rmtree, _home, True)
        (_home / "tokens").mkdir()
        conf = _home / "softhsm2.conf"
        conf.write_text(f"directories.tokendir = {_home / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
                        "slots.removable = false\n")
        os.environ["SOFTHSM2_CONF"] = str(conf)
    return _home


def new_token(label: str, pin: str) -> int:
    """Initialise a token ``label`` with user PIN ``pin``: its slot id."""
    _folder()
    done = subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", SO_PIN,
                           "--pin", pin], check=True, capture_output=True, text=True)
    return int(done.stdout.strip().split()[-1])


def key_with_certificate(label: str, pin: str, ca, subject: str, alg: str = "ecdsa") -> Path:  # type: ignore[no-untyped-def]
    """A key pair generated on the token ``label`` (ECDSA P-256 or RSA 2048), a certificate for its public key issued
    by ``ca`` (``openssl x509 -new -force_pubkey``: the private key never leaves the token) stored on the token with
    the key's CKA_ID. Returns the certificate's PEM file."""
    import pkcs11
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
    from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters

    assert MODULE is not None
    lib = pkcs11.lib(str(MODULE))
    found = [s.get_token() for s in lib.get_slots(token_present=True) if s.get_token().label.strip() == label]
    if not found:  # initialised after the module was loaded in this process: it sees it once initialised again
        lib.reinitialize()
        found = [s.get_token() for s in lib.get_slots(token_present=True) if s.get_token().label.strip() == label]
    token = found[0]
    ident = os.urandom(8)
    with token.open(rw=True, user_pin=pin) as session:
        if alg == "rsa":
            public, _ = session.generate_keypair(KeyType.RSA, 2048, store=True, label=subject, id=ident)
            spki = rsa.RSAPublicNumbers(int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
                                        int.from_bytes(public[Attribute.MODULUS], "big")).public_key()
            pub_pem = spki.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        else:
            params = session.create_domain_parameters(
                KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")}, local=True)
            public, _ = params.generate_keypair(store=True, label=subject, id=ident)
            pub_pem = serialization.load_der_public_key(encode_ec_public_key(public)).public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        work = ca.folder / "issued"
        work.mkdir(exist_ok=True)
        stem = subject.replace(" ", "_")
        pub, ext, crt = work / f"{stem}.pub.pem", work / f"{stem}.ext", work / f"{stem}.crt"
        pub.write_bytes(pub_pem)
        from opensslpki import DIGEST, LEAF_EXT

        ext.write_text(LEAF_EXT)
        subprocess.run(["openssl", "x509", "-new", "-subj", f"/CN={subject}", "-force_pubkey", str(pub), "-CA",
                        str(ca.pem), "-CAkey", f"{ca.name}.key", DIGEST[ca.alg], "-days", "30", "-extfile", str(ext),
                        "-out", str(crt)], check=True, capture_output=True, cwd=ca.folder)
        cert = x509.load_pem_x509_certificate(crt.read_bytes())
        session.create_object({Attribute.CLASS: ObjectClass.CERTIFICATE,
                               Attribute.CERTIFICATE_TYPE: CertificateType.X_509, Attribute.TOKEN: True,
                               Attribute.ID: ident, Attribute.LABEL: subject,
                               Attribute.SUBJECT: cert.subject.public_bytes(),
                               Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER)})
    return crt
