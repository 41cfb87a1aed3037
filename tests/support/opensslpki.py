"""Certificates made by the ``openssl`` command (OpenSSL 3.0), as an outside checker makes them: CAs with RSA,
ECDSA P-256 or SM2 keys (SM2 with ``-sm3`` signatures) and members' PKCS#12 files issued by them; with ``openssl ca``
(its index database): certificates with chosen validity dates, revocation and the CA's CRL."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PASSPHRASE = "cert-pass-1"
KEYGEN = {"rsa": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
          "ecdsa": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
          "sm2": ["-algorithm", "SM2"]}
DIGEST = {"rsa": "-sha256", "ecdsa": "-sha256", "sm2": "-sm3"}
LEAF_EXT = ("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n"
            "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")


def _run(*args: str, cwd: Path) -> None:
    env = {**os.environ, "PW": PASSPHRASE}
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, env=env)


@dataclass(frozen=True)
class Ca:
    name: str
    alg: str
    folder: Path

    @property
    def pem(self) -> Path:
        return self.folder / f"{self.name}.pem"

    def _config(self) -> Path:
        """The ``openssl ca`` configuration of this CA (index, serial and CRL number beside its key)."""
        cnf = self.folder / "ca.cnf"
        if not cnf.exists():
            (self.folder / "index.txt").write_text("")
            (self.folder / "crlnumber").write_text("01\n")
            (self.folder / "serial").write_text("1000\n")
            (self.folder / "newcerts").mkdir(exist_ok=True)
            cnf.write_text(f"""[ca]
default_ca = this
[this]
dir = {self.folder}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
crlnumber = $dir/crlnumber
certificate = $dir/{self.name}.pem
private_key = $dir/{self.name}.key
default_md = {DIGEST[self.alg][1:]}
default_days = 30
default_crl_days = 7
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
""")
        return cnf

    def issue_dated(self, subject: str, out: Path, start: str, end: str, alg: str | None = None,
                    ocsp_url: str | None = None) -> Path:
        """A PKCS#12 file for ``subject`` valid from ``start`` to ``end`` (``YYYYMMDDHHMMSSZ``), by ``openssl ca``
        (in the CA's index: it can be revoked); ``ocsp_url``: named in its authorityInfoAccess."""
        alg = alg or self.alg
        cnf = self._config()
        work = self.folder / "issued"
        work.mkdir(exist_ok=True)
        key, csr, crt, ext = (work / f"{out.stem}.{s}" for s in ("key", "csr", "crt", "ext"))
        ext.write_text(LEAF_EXT + (f"authorityInfoAccess=OCSP;URI:{ocsp_url}\n" if ocsp_url else ""))
        _run("genpkey", *KEYGEN[alg], "-out", str(key), cwd=self.folder)
        _run("req", "-new", "-utf8", "-key", str(key), DIGEST[alg], "-subj", f"/CN={subject}", "-out", str(csr),
             cwd=self.folder)
        _run("ca", "-batch", "-config", str(cnf), "-in", str(csr), "-out", str(crt), "-startdate", start,
             "-enddate", end, "-extfile", str(ext), "-notext", cwd=self.folder)
        _run("pkcs12", "-export", "-inkey", str(key), "-in", str(crt), "-certfile", str(self.pem),
             "-passout", "env:PW", "-out", str(out), cwd=self.folder)
        return out

    def certificate_of(self, out: Path) -> Path:
        """The PEM certificate issued for the PKCS#12 file ``out``."""
        return self.folder / "issued" / f"{out.stem}.crt"

    def revoke(self, out: Path) -> None:
        """Revoke the certificate of the PKCS#12 file ``out`` (issued by :meth:`issue_dated`) in the CA's index."""
        _run("ca", "-config", str(self._config()), "-revoke", str(self.certificate_of(out)), cwd=self.folder)

    def crl(self, path: Path, der: bool = False) -> Path:
        """The CA's CRL (``openssl ca -gencrl``) at ``path``, PEM or DER."""
        pem = path.with_suffix(".tmp.pem")
        _run("ca", "-config", str(self._config()), "-gencrl", "-out", str(pem), cwd=self.folder)
        if der:
            _run("crl", "-in", str(pem), "-outform", "DER", "-out", str(path), cwd=self.folder)
            pem.unlink()
        else:
            pem.replace(path)
        return path

    @contextlib.contextmanager
    def ocsp_responder(self, port: int) -> Iterator[str]:
        """``openssl ocsp`` answering for this CA's index on loopback ``port`` (signed by the CA itself): its URL."""
        self._config()
        # OpenSSL 3.0's responder takes a port only (it listens on every address); the tests ask it on 127.0.0.1.
        # It serves one connection at a time: ready once it says so on stderr (a probing connection would hold it).
        process = subprocess.Popen(["openssl", "ocsp", "-index", str(self.folder / "index.txt"), "-port", str(port),
                                    "-rsigner", str(self.pem), "-rkey", f"{self.name}.key", "-CA", str(self.pem)],
                                   cwd=self.folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            assert process.stderr is not None
            for line in process.stderr:
                if "waiting for OCSP client connections" in line:
                    break
            else:
                raise RuntimeError(f"openssl ocsp did not start (exit {process.wait(10)})")
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(10)

    def issue(self, subject: str, out: Path, alg: str | None = None, days: int = 30) -> Path:
        """A PKCS#12 file (key + certificate + this CA) for ``subject`` at ``out``, valid for ``days``."""
        alg = alg or self.alg
        work = self.folder / "issued"
        work.mkdir(exist_ok=True)
        key, csr, crt, ext = (work / f"{out.stem}.{s}" for s in ("key", "csr", "crt", "ext"))
        ext.write_text(LEAF_EXT)
        _run("genpkey", *KEYGEN[alg], "-out", str(key), cwd=self.folder)
        _run("req", "-new", "-utf8", "-key", str(key), DIGEST[alg], "-subj", f"/CN={subject}", "-out", str(csr),
             cwd=self.folder)
        _run("x509", "-req", "-in", str(csr), "-CA", str(self.pem), "-CAkey", f"{self.name}.key", DIGEST[self.alg],
             "-days", str(days), "-out", str(crt), "-extfile", str(ext),
             cwd=self.folder)
        _run("pkcs12", "-export", "-inkey", str(key), "-in", str(crt), "-certfile", str(self.pem),
             "-passout", "env:PW", "-out", str(out), cwd=self.folder)
        return out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def make_ca(folder: Path, name: str, alg: str) -> Ca:
    folder.mkdir(parents=True, exist_ok=True)
    _run("genpkey", *KEYGEN[alg], "-out", f"{name}.key", cwd=folder)
    _run("req", "-new", "-x509", "-key", f"{name}.key", DIGEST[alg], "-subj", f"/CN={name}", "-days", "3650",
         "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
         "-addext", "subjectKeyIdentifier=hash", "-out", f"{name}.pem", cwd=folder)
    return Ca(name, alg, folder)


class HeldResponder:
    """An OCSP responder on loopback that holds each request until ``release`` is set, then passes it to the real
    one (``openssl ocsp`` at ``upstream``): ``asked`` is set when a request arrives."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.asked, self.release = threading.Event(), threading.Event()
        self.upstream = ""
        held = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                held.asked.set()
                held.release.wait(120)
                import httpx

                reply = httpx.post(held.upstream, content=body, headers={"Content-Type": "application/ocsp-request"})
                self.send_response(200)
                self.send_header("Content-Type", "application/ocsp-response")
                self.send_header("Content-Length", str(len(reply.content)))
                self.end_headers()
                self.wfile.write(reply.content)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
