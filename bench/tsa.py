"""What trusted time costs: the report seal PAdES B-B vs B-T and a bag-signature token, against the loopback TSA of
the tests (``openssl ts -reply``, one process a request), and the token's check; and how long an offline build waits
when the TSA refuses the connection.

Run: .venv/bin/python bench/tsa.py  (medians of N runs, with the machine's load)."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))

from app.archive import pades  # noqa: E402
from app.crypto import tsa  # noqa: E402
from app.crypto.certs import load_pem_certificates  # noqa: E402
from tsakit import down_url, start_tsa  # noqa: E402

N = 7


def _pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "report")
    page.save()
    return out.getvalue()


def _median(run) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(N):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        server = start_tsa(base / "tsa")
        try:
            _, p12 = pades.ensure_room_certificate(base / "keys", b"pw", "bench", rounds=1000)
            pdf = _pdf()
            pades.sign_pdf(pdf, p12, b"pw", "bench")  # imports and font loading out of the figures
            token = tsa.stamp(server.url, b"warm")
            roots = load_pem_certificates(server.ca_pem)
            b_b = _median(lambda: pades.sign_pdf(pdf, p12, b"pw", "bench"))
            b_t = _median(lambda: pades.sign_pdf(pdf, p12, b"pw", "bench", server.url))
            stamp = _median(lambda: tsa.stamp(server.url, b"signature"))
            check = _median(lambda: tsa.check_token(token, b"warm", roots, "token"))
            refused = _median(lambda: pades.seal_pdf(pdf, p12, b"pw", "bench", down_url()))
        finally:
            server.stop()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"seal PAdES B-B {b_b:6.0f} ms   B-T {b_t:6.0f} ms (one token: its room reserved)")
    print(f"bag token      {stamp:6.0f} ms a request (openssl ts -reply started per request)   check {check:5.1f} ms")
    print(f"TSA refusing   {refused:6.0f} ms for the seal (B-T tried, B-B made)   load {load:.1f}, {N} runs each")


if __name__ == "__main__":
    main()
