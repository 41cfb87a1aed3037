"""Certificates made by the ``openssl`` command (OpenSSL 3.0), as an outside checker makes them: CAs with RSA,
ECDSA P-256 or SM2 keys (SM2 with ``-sm3`` signatures) and members' PKCS#12 files issued by them."""

from __future__ import annotations

import os
import subprocess
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

    def issue(self, subject: str, out: Path, alg: str | None = None, days: int = 30) -> Path:
        """A PKCS#12 file (key + certificate + this CA) for ``subject`` at ``out``, valid for ``days``."""
        alg = alg or self.alg
        work = self.folder / "issued"
        work.mkdir(exist_ok=True)
        key, csr, crt, ext = (work / f"{out.stem}.{s}" for s in ("key", "csr", "crt", "ext"))
        ext.write_text(LEAF_EXT)
        _run("genpkey", *KEYGEN[alg], "-out", str(key), cwd=self.folder)
        _run("req", "-new", "-key", str(key), DIGEST[alg], "-subj", f"/CN={subject}", "-out", str(csr), cwd=self.folder)
        _run("x509", "-req", "-in", str(csr), "-CA", str(self.pem), "-CAkey", f"{self.name}.key", DIGEST[self.alg],
             "-days", str(days), "-out", str(crt), "-extfile", str(ext),
             cwd=self.folder)
        _run("pkcs12", "-export", "-inkey", str(key), "-in", str(crt), "-certfile", str(self.pem),
             "-passout", "env:PW", "-out", str(out), cwd=self.folder)
        return out


def make_ca(folder: Path, name: str, alg: str) -> Ca:
    folder.mkdir(parents=True, exist_ok=True)
    _run("genpkey", *KEYGEN[alg], "-out", f"{name}.key", cwd=folder)
    _run("req", "-new", "-x509", "-key", f"{name}.key", DIGEST[alg], "-subj", f"/CN={name}", "-days", "3650",
         "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
         "-addext", "subjectKeyIdentifier=hash", "-out", f"{name}.pem", cwd=folder)
    return Ca(name, alg, folder)
