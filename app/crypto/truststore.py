"""The room's trust store for members' and the room's signing certificates (seed 细则 §38: several CAs).

One :class:`CertificateTrust` is built from the settings' CA files (``trust_ca_files``), a folder of CA files
(``trust_ca_folder``: every ``*.pem``/``*.crt``/``*.cer``) and a folder of CRLs kept on this PC
(``trust_crl_folder``: every ``*.crl``/``*.pem``/``*.der``, PEM or DER; offline: a person copies the CAs' CRLs
there). :meth:`CertificateTrust.problem` says why a certificate is not accepted at a time (the signing time), or
None: path validation to one of the roots with validity at that time and key usage (``app.crypto.certs.
chain_problem``: RSA, ECDSA and SM2 CAs), then revocation of the leaf and of each intermediate by a CRL its issuer
signed, then, with ``ocsp``, the OCSP responder the certificate names (``authorityInfoAccess``) where one answers
(an unreachable responder says nothing: the room is offline by design; a responder that answers *revoked* refuses).

Rules chosen (README "Trust store"): a CRL past its nextUpdate still counts (what it revokes stays revoked; an
offline room cannot fetch a newer one); a CA with no CRL in the folder has no revocation information (accepted);
a CRL whose signature does not verify with its issuer's key is ignored; a revocation dated after the signing time
does not undo an earlier signature.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

from app.crypto import sm2
from app.crypto.certs import SM2, CertificateFileError, chain_problem, key_algorithm, load_pem_certificates
from app.crypto.trust import describe

CA_SUFFIXES = (".pem", ".crt", ".cer")
CRL_SUFFIXES = (".crl", ".pem", ".der")
OCSP_TIMEOUT = 3.0  # seconds a responder has to answer before it is taken as unreachable


def _utc(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)


def _signed_by(signed: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    alg, bits = key_algorithm(issuer)
    if alg == SM2:
        return sm2.verify_certificate_signature(bits, signed.tbs_certlist_bytes, signed.signature)
    try:
        return signed.is_signature_valid(issuer.public_key())  # type: ignore[arg-type]
    except (TypeError, ValueError, UnsupportedAlgorithm):
        return False


def load_crl(path: Path) -> x509.CertificateRevocationList:
    """A CRL file, PEM or DER; :class:`CertificateFileError` naming the file when it is not one."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CertificateFileError(key="cert.file", path=str(path), reason=exc.strerror or str(exc)) from exc
    try:
        return x509.load_pem_x509_crl(data) if data.lstrip().startswith(b"-----") else x509.load_der_x509_crl(data)
    except ValueError as exc:
        raise CertificateFileError(key="cert.file", path=str(path), reason=f"not a CRL: {exc}") from exc


def load_crls(paths: Iterable[Path]) -> list[x509.CertificateRevocationList]:
    return [load_crl(path) for path in paths]


def _folder(folder: Path | None, suffixes: tuple[str, ...]) -> list[Path]:
    if folder is None:
        return []
    if not folder.is_dir():
        raise CertificateFileError(key="cert.file", path=str(folder), reason="not a folder")
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in suffixes)


def revocation_problem(cert: x509.Certificate, issuers: Sequence[x509.Certificate],
                       crls: Sequence[x509.CertificateRevocationList], at: dt.datetime) -> str | None:
    """Why ``cert`` was revoked at ``at`` by a CRL one of ``issuers`` signed, or None."""
    at = _utc(at)
    for crl in crls:
        if crl.issuer != cert.issuer:
            continue
        if not any(i.subject == crl.issuer and _signed_by(crl, i) for i in issuers):
            continue  # a CRL its issuer did not sign says nothing
        entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
        if entry is not None and entry.revocation_date_utc <= at:
            return (f"revoked on {entry.revocation_date_utc:%Y-%m-%d %H:%M} UTC "
                    f"(CRL of {crl.issuer.rfc4514_string()}, serial {cert.serial_number:x})")
    return None


def ocsp_urls(cert: x509.Certificate) -> list[str]:
    try:
        aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return []
    return [str(d.access_location.value) for d in aia
            if d.access_method == AuthorityInformationAccessOID.OCSP
            and isinstance(d.access_location, x509.UniformResourceIdentifier)]


def _responder_ok(response: ocsp.OCSPResponse, issuer: x509.Certificate) -> bool:
    """The response is signed by the issuer itself or by a responder certificate the issuer gave OCSPSigning."""
    signers = [issuer]
    for delegated in response.certificates:
        try:
            ekus = delegated.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except x509.ExtensionNotFound:
            continue
        if ExtendedKeyUsageOID.OCSP_SIGNING in ekus and delegated.issuer == issuer.subject:
            try:
                delegated.verify_directly_issued_by(issuer)
            except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
                continue
            signers.append(delegated)
    for signer in signers:
        key = signer.public_key()
        algorithm = response.signature_hash_algorithm
        if algorithm is None:
            continue
        try:
            if isinstance(key, rsa.RSAPublicKey):
                key.verify(response.signature, response.tbs_response_bytes, padding.PKCS1v15(), algorithm)
            elif isinstance(key, ec.EllipticCurvePublicKey):
                key.verify(response.signature, response.tbs_response_bytes, ec.ECDSA(algorithm))
            else:
                continue
        except (InvalidSignature, ValueError, TypeError):
            continue
        return True
    return False


def ocsp_problem(cert: x509.Certificate, issuer: x509.Certificate, at: dt.datetime,
                 timeout: float = OCSP_TIMEOUT) -> str | None:
    """Ask the responder ``cert`` names: ``revoked …`` when it answers so (signed by the issuer or its delegated
    responder), None when it answers good or unknown, or cannot be reached (offline: no answer, no refusal)."""
    if key_algorithm(issuer)[0] == SM2:
        return None  # cryptography builds no request for an SM2 issuer key; the CRLs still count
    urls = ocsp_urls(cert)
    if not urls:
        return None
    import httpx

    request = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA1()).build()
    body = request.public_bytes(serialization.Encoding.DER)
    for url in urls:
        try:
            reply = httpx.post(url, content=body, headers={"Content-Type": "application/ocsp-request"},
                               timeout=timeout)
            response = ocsp.load_der_ocsp_response(reply.content)
        except (httpx.HTTPError, ValueError):
            continue
        if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL or not _responder_ok(response, issuer):
            continue
        if response.serial_number != cert.serial_number:
            continue
        if response.certificate_status == ocsp.OCSPCertStatus.REVOKED:
            when = response.revocation_time_utc
            if when is None or when <= _utc(at):
                stamp = f" on {when:%Y-%m-%d %H:%M} UTC" if when is not None else ""
                return f"revoked{stamp} (OCSP responder {url})"
        return None
    return None


@dataclass(frozen=True)
class CertificateTrust:
    """The roots, CRLs and OCSP choice that decide whether a signing certificate is accepted."""

    roots: tuple[x509.Certificate, ...] = ()
    crls: tuple[x509.CertificateRevocationList, ...] = ()
    ocsp: bool = False
    ocsp_timeout: float = OCSP_TIMEOUT

    @classmethod
    def load(cls, ca_files: Iterable[Path] = (), ca_folder: Path | None = None, crl_folder: Path | None = None,
             ocsp: bool = False) -> CertificateTrust:
        """From CA files (PEM, bundles too), a folder of CA files and a folder of CRLs (PEM or DER).
        :class:`CertificateFileError` names the first file (or folder) that cannot be used."""
        paths = [*ca_files, *_folder(ca_folder, CA_SUFFIXES)]
        roots = tuple(dict.fromkeys(c for path in paths for c in load_pem_certificates(path)))
        crls = tuple(load_crls(_folder(crl_folder, CRL_SUFFIXES)))
        return cls(roots, crls, ocsp)

    def with_roots(self, more: Iterable[x509.Certificate]) -> CertificateTrust:
        return CertificateTrust(tuple(dict.fromkeys((*self.roots, *more))), self.crls, self.ocsp, self.ocsp_timeout)

    def __bool__(self) -> bool:
        return bool(self.roots)

    def problem(self, cert: x509.Certificate, chain: Sequence[x509.Certificate],
                at: dt.datetime | None = None, *, online: bool = True) -> str | None:
        """Why ``cert`` (with the intermediates ``chain``) is not accepted at ``at`` (default now), or None.
        ``online=False``: the offline part only (the chain and the CRLs kept here), never waiting on a responder;
        the OCSP part is then :meth:`ocsp_problem` (a console asks it off its database thread, before the write)."""
        at = _utc(at or dt.datetime.now(dt.UTC))
        if not self.roots:
            return ("no trusted CA is configured on this computer (settings trust_ca_files / trust_ca_folder), "
                    "so no certificate can be accepted")
        problem = chain_problem(cert, list(chain), list(self.roots), at)
        if problem:
            return problem
        issuers = [*chain, *self.roots]
        path = self._path(cert, issuers)
        for link, _issuer in path:
            problem = revocation_problem(link, issuers, self.crls, at)
            if problem:
                return problem if link is cert else f"its CA {describe(link)!r} was {problem}"
        return self.ocsp_problem(cert, chain, at) if online else None

    def ocsp_problem(self, cert: x509.Certificate, chain: Sequence[x509.Certificate],
                     at: dt.datetime | None = None) -> str | None:
        """With ``ocsp`` on, what the OCSP responders of ``cert``'s path answer (``ocsp_timeout`` s per link at most:
        it waits on the network), or None (off, not revoked, or no responder answered)."""
        if not self.ocsp:
            return None
        at = _utc(at or dt.datetime.now(dt.UTC))
        for link, issuer in self._path(cert, [*chain, *self.roots]):
            problem = ocsp_problem(link, issuer, at, self.ocsp_timeout)
            if problem:
                return problem if link is cert else f"its CA {describe(link)!r} was {problem}"
        return None

    @staticmethod
    def _path(cert: x509.Certificate, issuers: Sequence[x509.Certificate]) -> list[tuple[x509.Certificate,
                                                                                          x509.Certificate]]:
        """(certificate, its issuer) from the leaf up to a self-issued root, by issuer name (the chain already
        validated: names lead the way)."""
        out: list[tuple[x509.Certificate, x509.Certificate]] = []
        link = cert
        for _ in range(8):
            issuer = next((c for c in issuers if c.subject == link.issuer and c != link), None)
            if issuer is None:
                break
            out.append((link, issuer))
            if issuer.subject == issuer.issuer:
                break
            link = issuer
        return out


__all__ = ["CA_SUFFIXES", "CRL_SUFFIXES", "CertificateTrust", "load_crl", "load_crls", "ocsp_problem",
           "ocsp_urls", "revocation_problem"]
