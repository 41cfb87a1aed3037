"""Trusted time: RFC 3161 timestamp tokens from a time-stamping authority (TSA), and their check.

:func:`stamp` asks the TSA at a URL (the settings' ``tsa_url``) for a token over the SHA-256 of some bytes, through
pyHanko's ``HTTPTimeStamper`` (the client that also makes the report seal PAdES B-T): a fresh nonce, the TSA's
certificates requested, the answer's status and nonce checked. What fails (no network, a refused connection, a TSA
that answers something else) is :class:`TimestampUnavailable` with a one-line reason: the caller records that no
timestamp was had and why, and goes on.

:func:`check_token` checks a token (DER ``ContentInfo`` of ``SignedData`` over ``TSTInfo``) against the bytes it
should cover: the message imprint, the TSA's CMS signature and, with trust roots, the TSA certificate's path to one
of them for the ``timeStamping`` extended key usage (pyHanko's validator, offline). It says the time the TSA
vouches for and the TSA's name.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from app.errors import EvalRoomError

DEFAULT_TIMEOUT = 10.0  # seconds: an offline room waits this long at most for each attempt
DIGEST = "sha256"


class TimestampUnavailable(EvalRoomError):  # noqa: N818 - a state, not a failure of ours
    """No token was had from the TSA; ``reason`` is one line naming the TSA and what happened (callers record it
    and go on: it never reaches the command line)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def timestamper(url: str, timeout: float = DEFAULT_TIMEOUT) -> Any:
    """pyHanko's RFC 3161 HTTP client for ``url`` (given to the PDF signer for PAdES B-T)."""
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=timeout)


def _shown(url: str) -> str:
    """The URL without a password (https://user:***@host)."""
    return re.sub(r"(://[^:/@\s]+:)[^@/\s]+@", r"\1***@", url)


def describe_failure(url: str, exc: BaseException) -> str:
    """One line for a failed timestamp request: the TSA's URL, the error and its cause."""
    cause = exc.__cause__ or exc.__context__
    text = str(exc) or type(exc).__name__
    if cause is not None and str(cause) and str(cause) not in text:
        text = f"{text}: {cause}"
    return f"TSA {_shown(url)}: {text}"[:300]


def stamp(url: str, data: bytes, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """A timestamp token (DER) over SHA-256(``data``) from the TSA at ``url``; :class:`TimestampUnavailable`
    when none is had."""
    from pyhanko.sign.timestamps import TimestampRequestError

    client = timestamper(url, timeout)
    try:
        token = asyncio.run(client.async_timestamp(hashlib.sha256(data).digest(), DIGEST))
    except (TimestampRequestError, OSError, ValueError, KeyError, TypeError) as exc:  # OSError: timeouts too
        raise TimestampUnavailable(describe_failure(url, exc)) from exc
    return bytes(token.dump())


@dataclass
class TokenCheck:
    problems: list[str] = field(default_factory=list)
    time: dt.datetime | None = None  # the time the TSA vouches for (TSTInfo genTime)
    tsa: str = ""  # the TSA certificate's subject
    trusted: bool | None = None  # its path to a given root (None: no roots given, not checked)


def _roots(roots: list[x509.Certificate]) -> list[Any]:
    from asn1crypto import x509 as asn1_x509

    out = []
    for cert in roots:
        try:
            out.append(asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)))
        except ValueError:
            continue
    return out


def check_token(token: bytes, data: bytes, roots: list[x509.Certificate] | None, what: str) -> TokenCheck:
    """The token's imprint against SHA-256 (or the token's own algorithm) of ``data``, its signature, and with
    ``roots`` its TSA's certificate path. ``what`` names the token in the problems."""
    import logging

    from asn1crypto import cms, tsp
    from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
    from pyhanko.sign.validation.status import TimestampSignatureStatus
    from pyhanko_certvalidator import ValidationContext

    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    out = TokenCheck()
    try:
        info = cms.ContentInfo.load(token)
        signed = info["content"]
        if info["content_type"].native != "signed_data" or not isinstance(signed, cms.SignedData):
            raise ValueError("not a CMS SignedData")
        tst = signed["encap_content_info"]["content"].parsed
        if not isinstance(tst, tsp.TSTInfo):
            raise ValueError("its content is not a TSTInfo")
        algorithm = tst["message_imprint"]["hash_algorithm"]["algorithm"].native
        imprint = tst["message_imprint"]["hashed_message"].native
        out.time = tst["gen_time"].native
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        out.problems.append(f"{what}: not an RFC 3161 timestamp token ({exc})")
        return out
    try:
        expected = hashlib.new(algorithm, data).digest()
    except (ValueError, TypeError):
        out.problems.append(f"{what}: its imprint uses an unknown digest {algorithm!r}")
        return out
    if imprint != expected:
        out.problems.append(f"{what}: its message imprint is not the {algorithm} of what it stamps (another "
                            "token, or the stamped signature was changed)")
    context = ValidationContext(trust_roots=_roots(roots or []), allow_fetching=False)
    try:
        kwargs = asyncio.run(validate_tst_signed_data(signed, context, lambda _algo: imprint))
        status = TimestampSignatureStatus(**kwargs)
    except Exception as exc:  # noqa: BLE001 - a malformed token is a finding, not a crash
        out.problems.append(f"{what}: cannot be validated ({type(exc).__name__}: {exc})")
        return out
    cert = status.signing_cert
    out.tsa = cert.subject.human_friendly if cert is not None else ""
    if not status.intact or not status.valid:
        out.problems.append(f"{what}: the TSA's signature does not verify (the token was altered)")
    elif roots is not None:
        out.trusted = bool(status.trusted)
        if not status.trusted:
            out.problems.append(f"{what}: the TSA certificate {out.tsa!r} does not chain to a given trust root "
                                "for time-stamping")
    return out
