"""A real RFC 3161 time-stamping authority on the loopback interface: an HTTP server that answers each
``application/timestamp-query`` with ``openssl ts -reply`` (OpenSSL's own TSA), its certificate (extendedKeyUsage
critical timeStamping) issued by a CA of the test PKI (``opensslpki``).

``start_tsa(folder)`` returns a running :class:`Tsa` (its ``url``, its CA's ``ca_pem``); ``stop()`` ends it.
``down_url()`` is a loopback URL nothing listens on (the TSA unreachable)."""

from __future__ import annotations

import socket
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from opensslpki import Ca, make_ca

TSA_EXT = ("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n"
           "extendedKeyUsage=critical,timeStamping\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
CONFIG = """\
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = {dir}/tsaserial
crypto_device = builtin
signer_cert = {dir}/tsa.crt
certs = {dir}/chain.pem
signer_key = {dir}/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5.6
digests = sha256, sha384, sha512
accuracy = secs:1
clock_precision_digits = 0
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@dataclass
class Tsa:
    folder: Path
    ca: Ca
    server: ThreadingHTTPServer
    url: str
    requests: list[bytes] = field(default_factory=list)  # every query it answered (DER TimeStampReq)

    @property
    def ca_pem(self) -> Path:
        return self.ca.pem

    @property
    def cert_pem(self) -> Path:
        return self.folder / "tsa.crt"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def make_tsa_files(folder: Path, ca: Ca | None = None) -> tuple[Ca, Path]:
    """The TSA's key and certificate (RSA 2048, issued by ``ca`` or a new RSA CA) and its ``openssl ts`` config."""
    folder.mkdir(parents=True, exist_ok=True)
    ca = ca or make_ca(folder / "ca", "Test TSA CA", "rsa")
    (folder / "tsa.ext").write_text(TSA_EXT)
    _openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "tsa.key", cwd=folder)
    _openssl("req", "-new", "-key", "tsa.key", "-sha256", "-subj", "/CN=Test TSA/O=EvalRoom tests", "-out", "tsa.csr",
             cwd=folder)
    _openssl("x509", "-req", "-in", "tsa.csr", "-CA", str(ca.pem), "-CAkey", str(ca.folder / f"{ca.name}.key"),
             "-sha256", "-days", "365", "-extfile", "tsa.ext", "-out", "tsa.crt", cwd=folder)
    (folder / "chain.pem").write_bytes(ca.pem.read_bytes())
    (folder / "tsaserial").write_text("01\n")
    config = folder / "tsa.cnf"
    config.write_text(CONFIG.format(dir=folder))
    return ca, config


def start_tsa(folder: Path, ca: Ca | None = None) -> Tsa:
    """The TSA serving on 127.0.0.1 (a free port) in a thread of this process; each query is answered by a
    separate ``openssl ts -reply`` process (one at a time: they share the serial file)."""
    ca, config = make_tsa_files(folder, ca)
    lock = threading.Lock()
    answered: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            query = self.rfile.read(length)
            if self.headers.get("Content-Type") != "application/timestamp-query":
                self.send_error(415, "not a timestamp query")
                return
            with lock:
                number = len(answered)
                answered.append(query)
                tsq, tsr = folder / f"q{number}.tsq", folder / f"r{number}.tsr"
                tsq.write_bytes(query)
                done = subprocess.run(["openssl", "ts", "-reply", "-config", str(config), "-queryfile", str(tsq),
                                       "-signer", str(folder / "tsa.crt"), "-inkey", str(folder / "tsa.key"),
                                       "-chain", str(folder / "chain.pem"), "-out", str(tsr)],
                                      capture_output=True, cwd=folder)
            if done.returncode != 0:
                self.send_error(500, done.stderr.decode(errors="replace")[:200])
                return
            reply = tsr.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, name="test-tsa", daemon=True).start()
    return Tsa(folder, ca, server, f"http://127.0.0.1:{server.server_address[1]}/tsa", answered)


def down_url() -> str:
    """A loopback URL where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"
