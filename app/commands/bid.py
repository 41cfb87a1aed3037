"""`evalroom bid seal FILE --out FILE.evr (--passphrase-env VAR | --to CERT.pem)`: a bidder's bid file encrypted as
the package's encrypted files are (docs/bid-package.md, R-OPEN-10): an ``EVRBID1`` passphrase container, or CMS
EnvelopedData to the bidder's certificate (RSA key transport, AES-256-CBC). It prints the package's ``documents``
entry fields (the ciphertext's SHA-256, the scheme and the plaintext's SHA-256), exit 0."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from app.commands.base import EXIT_OK, UsageError


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("bid", help="a bidder's tools for its bid files (encrypted bids, R-OPEN-10)")
    actions = parser.add_subparsers(dest="bid_command", metavar="{seal}", parser_class=type(parser))
    actions.required = True
    seal = actions.add_parser("seal", help="encrypt a bid PDF for the package: a passphrase container (EVRBID1) or "
                                           "CMS EnvelopedData to the bidder's certificate")
    seal.add_argument("file", metavar="FILE", help="the bid file (a PDF)")
    seal.add_argument("--out", metavar="FILE.evr", required=True, help="where the encrypted file is written")
    key = seal.add_mutually_exclusive_group(required=True)
    key.add_argument("--passphrase-env", metavar="VAR",
                     help="the environment variable holding the bidder's passphrase (UTF-8): scheme passphrase")
    key.add_argument("--to", metavar="CERT.pem", help="the bidder's certificate (PEM or DER, RSA): scheme cms")
    seal.set_defaults(handler=run_seal, check=check_seal)


def check_seal(args: argparse.Namespace) -> None:
    source, out = Path(args.file), Path(args.out)
    if not source.is_file():
        raise UsageError(f"bid seal: {args.file}: no such file")
    if out.exists() and out.resolve() == source.resolve():
        raise UsageError(f"bid seal: --out {args.out}: is the bid file itself")
    if out.is_dir():
        raise UsageError(f"bid seal: --out {args.out}: is a folder")
    if not out.parent.is_dir():
        raise UsageError(f"bid seal: --out {args.out}: its folder {out.parent} does not exist")
    try:
        with source.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise UsageError(f"bid seal: {args.file}: {exc.strerror}") from exc
    if head.lstrip()[:5] != b"%PDF-":
        raise UsageError(f"bid seal: {args.file}: is not a PDF (no %PDF- header): the console refuses it once "
                         "decrypted (not_pdf)")
    if args.passphrase_env is not None:
        if not os.environ.get(args.passphrase_env):
            raise UsageError(f"bid seal: --passphrase-env {args.passphrase_env}: the variable is not set or empty")
    elif not Path(args.to).is_file():
        raise UsageError(f"bid seal: --to {args.to}: no such file")
    else:
        _certificate(args.to)


def _certificate(path: str) -> Any:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import rsa

    data = Path(path).read_bytes()
    try:
        cert = x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data else x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise UsageError(f"bid seal: --to {path}: not a certificate (PEM or DER): {exc}") from exc
    try:
        public = cert.public_key()
    except ValueError as exc:  # an SM2 key, which cryptography does not read
        raise UsageError(f"bid seal: --to {path}: its key cannot be read ({exc}); CMS key transport needs RSA") \
            from exc
    if not isinstance(public, rsa.RSAPublicKey):
        raise UsageError(f"bid seal: --to {path}: its key is {type(public).__name__.lstrip('_')}, not RSA "
                         "(CMS key transport, the only recipients the console decrypts)")
    return cert


def run_seal(args: argparse.Namespace) -> int:
    from app.crypto.bid_crypto import envelope_cms, seal_passphrase

    check_seal(args)
    try:
        plaintext = Path(args.file).read_bytes()
    except OSError as exc:
        raise UsageError(f"bid seal: {args.file}: {exc.strerror}") from exc
    if args.passphrase_env is not None:
        scheme = "passphrase"
        sealed = seal_passphrase(plaintext, os.environ[args.passphrase_env].encode("utf-8"))
    else:
        scheme = "cms"
        sealed = envelope_cms(plaintext, _certificate(args.to))
    out = Path(args.out)
    try:
        partial = out.with_name(out.name + ".partial")
        partial.write_bytes(sealed)
        partial.replace(out)
    except OSError as exc:
        raise UsageError(f"bid seal: --out {args.out}: {exc.strerror}") from exc
    entry = {"sha256": hashlib.sha256(sealed).hexdigest(),
             "encryption": {"scheme": scheme, "plaintext_sha256": hashlib.sha256(plaintext).hexdigest()}}
    sys.stdout.write(json.dumps(entry, indent=2) + "\n")
    return EXIT_OK
