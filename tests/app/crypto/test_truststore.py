"""The trust store of members' and the room's certificates: CA files plus a folder of them, CRLs kept in a folder
(PEM or DER, by ``openssl ca -gencrl``), revocation of an intermediate, the signing time against the revocation
time, a CRL its issuer did not sign, and OCSP from ``openssl ocsp`` on loopback (an unreachable responder is not a
refusal)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from app.crypto.certs import CertificateFileError, load_p12
from app.crypto.truststore import CertificateTrust
from opensslpki import PASSPHRASE, free_port, make_ca


def _key(path: Path):  # type: ignore[no-untyped-def]
    return load_p12(path, PASSPHRASE.encode())


def test_folders_of_cas_and_crls(tmp_path: Path) -> None:
    rsa, sm2 = make_ca(tmp_path / "rsa", "RSA CA", "rsa"), make_ca(tmp_path / "sm2", "SM2 CA", "sm2")
    forged = make_ca(tmp_path / "forged", "RSA CA", "rsa")  # same name as the real one, another key
    good = _key(rsa.issue_dated("Good", tmp_path / "good.p12", "20250101000000Z", "20350101000000Z"))
    gone = _key(rsa.issue_dated("Gone", tmp_path / "gone.p12", "20250101000000Z", "20350101000000Z"))
    sm2_gone = _key(sm2.issue_dated("SM2 Gone", tmp_path / "sm2gone.p12", "20250101000000Z", "20350101000000Z"))
    rsa.revoke(tmp_path / "gone.p12")
    sm2.revoke(tmp_path / "sm2gone.p12")
    (tmp_path / "cas").mkdir()
    (tmp_path / "cas" / "sm2.cer").write_bytes(sm2.pem.read_bytes())
    (tmp_path / "cas" / "README.txt").write_text("not a CA: ignored by its suffix")
    (tmp_path / "crls").mkdir()
    trust = CertificateTrust.load([rsa.pem], tmp_path / "cas", tmp_path / "crls")
    assert len(trust.roots) == 2 and not trust.crls
    assert trust.problem(gone.cert, gone.chain) is None  # no CRL in the folder: no revocation known
    rsa.crl(tmp_path / "crls" / "rsa.crl", der=True)
    sm2.crl(tmp_path / "crls" / "sm2.pem")
    trust = CertificateTrust.load([rsa.pem], tmp_path / "cas", tmp_path / "crls")
    assert trust.problem(good.cert, good.chain) is None
    problem = trust.problem(gone.cert, gone.chain)
    assert problem is not None and problem.startswith("revoked on ") and "CRL of CN=RSA CA" in problem
    assert "CRL of CN=SM2 CA" in (trust.problem(sm2_gone.cert, sm2_gone.chain) or "")
    # revoked as of 2031 (the CA's index dated so): a signature made before then stands, one made after does not
    later = _key(rsa.issue_dated("Later", tmp_path / "later.p12", "20250101000000Z", "20350101000000Z"))
    rsa.revoke(tmp_path / "later.p12")
    index = rsa.folder / "index.txt"
    serial = f"{later.cert.serial_number:X}"
    index.write_text("".join(
        "\t".join([f[0], f[1], "310101000000Z" if f[3] == serial else f[2], *f[3:]]) + "\n"
        for f in (line.split("\t") for line in index.read_text().splitlines())))
    rsa.crl(tmp_path / "crls" / "rsa.crl", der=True)
    trust = CertificateTrust.load([rsa.pem], tmp_path / "cas", tmp_path / "crls")
    assert trust.problem(later.cert, later.chain, dt.datetime.now(dt.UTC)) is None
    assert "revoked on 2031-01-01 00:00 UTC" in (trust.problem(later.cert, later.chain, dt.datetime(2032, 1, 1)) or "")
    # a CRL of the same issuer name signed by another key says nothing
    (tmp_path / "forged-crls").mkdir()
    forged.crl(tmp_path / "forged-crls" / "rsa.crl")
    assert CertificateTrust.load([rsa.pem], crl_folder=tmp_path / "forged-crls").problem(gone.cert, gone.chain) is None
    (tmp_path / "crls" / "junk.crl").write_text("not a CRL")
    with pytest.raises(CertificateFileError, match="junk.crl: not a CRL"):
        CertificateTrust.load([rsa.pem], crl_folder=tmp_path / "crls")
    with pytest.raises(CertificateFileError, match="not a folder"):
        CertificateTrust.load([rsa.pem], ca_folder=tmp_path / "missing")


def test_a_revoked_intermediate_refuses_the_certificates_it_issued(tmp_path: Path) -> None:
    root = make_ca(tmp_path / "root", "Root CA", "ecdsa")
    sub_folder = tmp_path / "sub"
    sub_folder.mkdir()
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                    "Sub CA.key"], check=True, capture_output=True, cwd=sub_folder)
    subprocess.run(["openssl", "req", "-new", "-key", "Sub CA.key", "-subj", "/CN=Sub CA", "-out", "sub.csr"],
                   check=True, capture_output=True, cwd=sub_folder)
    (sub_folder / "ext").write_text("basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
                                    "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
    cnf = root._config()
    subprocess.run(["openssl", "ca", "-batch", "-config", str(cnf), "-in", str(sub_folder / "sub.csr"), "-out",
                    str(sub_folder / "Sub CA.pem"), "-days", "365", "-extfile", str(sub_folder / "ext"), "-notext"],
                   check=True, capture_output=True, cwd=root.folder)
    from opensslpki import Ca

    sub = Ca("Sub CA", "ecdsa", sub_folder)
    leaf = _key(sub.issue("Leaf", tmp_path / "leaf.p12"))
    (tmp_path / "crls").mkdir()
    trust = CertificateTrust.load([root.pem], crl_folder=tmp_path / "crls")
    assert trust.problem(leaf.cert, leaf.chain) is None
    subprocess.run(["openssl", "ca", "-config", str(cnf), "-revoke", str(sub_folder / "Sub CA.pem")], check=True,
                   capture_output=True, cwd=root.folder)
    root.crl(tmp_path / "crls" / "root.crl")
    problem = CertificateTrust.load([root.pem], crl_folder=tmp_path / "crls").problem(leaf.cert, leaf.chain)
    assert problem is not None and problem.startswith("its CA 'Sub CA' was revoked on "), problem


def test_ocsp_where_a_responder_answers(tmp_path: Path) -> None:
    ca = make_ca(tmp_path / "ca", "OCSP CA", "rsa")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    good = _key(ca.issue_dated("Good", tmp_path / "good.p12", "20250101000000Z", "20350101000000Z", ocsp_url=url))
    gone = _key(ca.issue_dated("Gone", tmp_path / "gone.p12", "20250101000000Z", "20350101000000Z", ocsp_url=url))
    ca.revoke(tmp_path / "gone.p12")
    offline = CertificateTrust.load([ca.pem])
    asking = CertificateTrust.load([ca.pem], ocsp=True)
    assert asking.problem(gone.cert, gone.chain) is None  # nobody answers on the port yet: no refusal
    with ca.ocsp_responder(port):
        problem = asking.problem(gone.cert, gone.chain)
        assert problem is not None and problem.startswith("revoked on ") and f"(OCSP responder {url})" in problem
        assert asking.problem(good.cert, good.chain) is None
        assert offline.problem(gone.cert, gone.chain) is None  # OCSP off (the default): no CRL, accepted
