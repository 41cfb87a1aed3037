"""`evalroom sync push DIR --center URL`: deliver a simulated session folder's ledger and archive.

Reads ``DIR/session.sqlite`` and the room key ``DIR/keys/room.p12`` (its passphrase from
``app.crypto.passphrases``: the demo one only for a simulate folder's key, marked so); the archive is
``--archive BAG`` or ``DIR/archive`` when it is a BagIt bag. Frontier first (only what the center lacks is
sent), then the outbox is drained; each part is acked with the center's signed receipt, and all receipts go to
``DIR/receipt.json``. The center key is pinned in ``DIR/center.pub.pem`` on first contact (or given with
``--center-key``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.crypto import passphrases
from app.crypto.keys import SigningKey, VerifyingKey
from app.errors import EvalRoomError
from app.store import outbox
from app.store.ledger_store import LedgerStore
from app.sync.client import CenterClient, SyncError, check_url
from app.sync.worker import Backoff, SyncWorker


class PushInputError(EvalRoomError):
    """Bad input (exit 2): one line."""


@dataclass
class PushOutcome:
    session: str
    sent: int
    acked: int
    pending: int
    problems: list[str] = field(default_factory=list)
    receipt_path: Path | None = None
    demo_passphrase: bool = False  # the room key of a simulate folder, under the public demo passphrase

    @property
    def ok(self) -> bool:
        return not self.problems and self.pending == 0


def room_key_of(folder: Path, passphrase_file: Path | None = None) -> tuple[SigningKey, passphrases.Passphrase]:
    path = folder / "keys" / "room.p12"
    if not path.is_file():
        raise PushInputError(f"{folder}: no keys/room.p12 (not a folder written by simulate)")
    try:
        chosen = passphrases.resolve(passphrases.ROOM, demo=True, key=path, file=passphrase_file)
        return SigningKey.load(path, chosen.secret), chosen
    except ValueError as exc:  # PassphraseError, KeyFileError
        raise PushInputError(f"{path}: {exc}") from exc


def find_bag(folder: Path, archive: Path | None) -> Path | None:
    if archive is not None:
        if not (archive / "tagmanifest-sha256.txt").is_file():
            raise PushInputError(f"{archive}: not a BagIt bag with tagmanifest-sha256.txt")
        return archive
    for candidate in (folder / "archive", folder / "bag"):
        if (candidate / "tagmanifest-sha256.txt").is_file():
            return candidate
    return None


def check_push(folder: Path, center: str, center_key: Path | None = None, cafile: str | None = None,
               archive: Path | None = None, cert: tuple[str, str] | None = None) -> None:
    """The arguments of a push, checked before anything is read or written (one :class:`PushInputError`)."""
    if not (Path(folder) / "session.sqlite").is_file():
        raise PushInputError(f"{folder}: no session.sqlite (not a folder written by simulate)")
    try:
        check_url(center)
    except SyncError as exc:
        raise PushInputError(f"--center {exc}") from exc
    for path in (cafile, *(cert or ()), center_key):
        if path and not Path(path).is_file():
            raise PushInputError(f"{path}: no such file")
    if archive is not None and not (archive / "tagmanifest-sha256.txt").is_file():
        raise PushInputError(f"{archive}: not a BagIt bag with tagmanifest-sha256.txt")


def push_folder(folder: Path, center: str, room: str | None = None, center_key: Path | None = None,
                cafile: str | None = None, archive: Path | None = None,
                cert: tuple[str, str] | None = None, passphrase_file: Path | None = None) -> PushOutcome:
    folder = Path(folder)
    db_path = folder / "session.sqlite"
    check_push(folder, center, center_key, cafile, archive, cert)
    key, chosen = room_key_of(folder, passphrase_file)
    with LedgerStore.open(db_path) as store:  # migrates an older file: its events join the outbox
        session_id, room_id = store.session_id, store.room
        if store.room_key != key.public:
            raise PushInputError(f"{folder}: keys/room.p12 is not the key of this session's room")
    bag = find_bag(folder, archive)
    pinned = folder / "center.pub.pem"
    pin_file = center_key or (pinned if pinned.is_file() else None)
    pin = VerifyingKey.from_pem(pin_file.read_bytes()) if pin_file else None
    try:
        client = CenterClient(center, room or room_id, key, center_key=pin, verify=cafile or True, cert=cert)
    except SyncError as exc:
        raise PushInputError(str(exc)) from exc
    with client:
        if bag is not None:
            db = outbox.connect(db_path)
            try:
                outbox.enqueue_archive(db, bag)
            finally:
                db.close()
        worker = SyncWorker(db_path, client, session_id, Backoff())
        result = worker.reconcile()  # frontier exchange: only what the center lacks
        if result.error is None:
            drained = worker.run_once(force=True)  # then the outbox: leftovers and the archive
            result.sent += drained.sent
            result.acked += drained.acked
            result.rejected += [r for r in drained.rejected if r not in result.rejected]
            result.error = drained.error
            result.events_receipt = drained.events_receipt or result.events_receipt
        if result.error is None and pin is None:
            pinned.write_bytes(client.center_key.to_pem())
        status = worker.status()
    problems = list(result.rejected)
    if result.error:
        problems.append(result.error)
    db = outbox.connect(db_path)
    try:
        receipts = outbox.receipts(db)
    finally:
        db.close()
    receipt_path = None
    if receipts:
        receipt_path = folder / "receipt.json"
        document: dict[str, Any] = {
            "center": center, "session": session_id, "room": room or room_id,
            "events": _latest([r for r in receipts if r["receipt"]["kind"] == "events"]),
            "archives": [r for r in receipts if r["receipt"]["kind"] == "archive"],
            "pending": status.pending,
        }
        tmp = receipt_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, receipt_path)
    return PushOutcome(session_id, result.sent, result.acked, status.pending, problems, receipt_path, chosen.demo)


def _latest(receipts: list[dict[str, Any]]) -> dict[str, Any] | None:
    return max(receipts, key=lambda r: (r["receipt"]["time"], len(r["receipt"]["events"])), default=None)
