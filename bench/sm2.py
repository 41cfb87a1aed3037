"""SM2 sign/verify rates of app.crypto.sm2 (GmSSL through gmssl-pyx) beside Ed25519 and ECDSA P-256 (cryptography).

Run: .venv/bin/python bench/sm2.py  (prints one line per algorithm: µs per signature and per verification)."""

from __future__ import annotations

import time

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from app.crypto.keys import Sm2SigningKey

MESSAGE = b"evalroom/event/v1\n" + bytes(32)
N = 2000


def _rate(label: str, sign, verify) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for _ in range(N):
        signature = sign()
    signed = time.perf_counter()
    for _ in range(N):
        assert verify(signature)
    done = time.perf_counter()
    print(f"{label:<12} sign {(signed - start) / N * 1e6:7.0f} µs   verify {(done - signed) / N * 1e6:7.0f} µs")


def main() -> None:
    sm2 = Sm2SigningKey.generate()
    _rate("sm2 (GmSSL)", lambda: sm2.sign(MESSAGE), lambda s: sm2.public.verify(s, MESSAGE))
    ed = ed25519.Ed25519PrivateKey.generate()
    _rate("ed25519", lambda: ed.sign(MESSAGE), lambda s: ed.public_key().verify(s, MESSAGE) is None)
    p256 = ec.generate_private_key(ec.SECP256R1())
    _rate("ecdsa p-256", lambda: p256.sign(MESSAGE, ec.ECDSA(hashes.SHA256())),
          lambda s: p256.public_key().verify(s, MESSAGE, ec.ECDSA(hashes.SHA256())) is None)


if __name__ == "__main__":
    main()
