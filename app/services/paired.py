"""What an expert's (or supervisor's) own PC knows after pairing with the room hub.

The pairing (``app.services.pairing``) makes it; the member's replica of the session
(``app.services.member_room``) and the GUI use it. The private key is made on this PC and never leaves it:
it is kept encrypted in the PC's data folder (:func:`key_path`), only its public half reaches the room.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.crypto.certs import CertKey
from app.crypto.keys import SigningKey

EXPERT, SUPERVISOR = "expert", "supervisor"
ROLES = (EXPERT, SUPERVISOR)


@dataclass(frozen=True)
class Paired:
    """One PC's seat in one session: who sits here, which hub it syncs with, and the seat's own key.

    ``member``: the member id of the drawn list (an expert or the purchaser's representative) or, for
    ``role == SUPERVISOR``, the supervisor's name as the console registered it. ``cafile``: the room CA the
    hub's HTTPS certificate is pinned to (None for plain http:// on a test loopback). ``cert``: the member's
    certificate (a PKCS#12 file's or a USB key's) bound at check-in, open while this program runs: it co-signs the
    member's 承诺书, submission and report signature (None: none, or not opened again since a restart)."""

    hub_url: str
    session: str
    member: str
    role: str
    name: str
    key: SigningKey
    cafile: str | None = None
    cert: CertKey | None = field(default=None, compare=False, repr=False)
    #: the subject of the certificate the seat file says was bound at check-in (None: none was)
    cert_subject: str | None = None
    #: the SHA-256 of that certificate (DER, hex): the one certificate that may be opened again after a restart
    cert_sha256: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r} (expected one of {', '.join(ROLES)})")


def seat_folder(home: Path, session: str) -> Path:
    """Where a paired PC keeps one session: its replica ``session.sqlite``, media, key and seat file."""
    return Path(home) / "seats" / session


def key_path(home: Path, session: str) -> Path:
    """The seat's private key (PKCS#12 under the PC's passphrase, 0600)."""
    return seat_folder(home, session) / "member.p12"
