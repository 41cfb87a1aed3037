"""`evalroom archive build DIR --out BAGDIR`: the session's signed BagIt archive (DESIGN.md §6).

DIR is a folder written by ``simulate`` (``session.sqlite``, ``keys/room.p12``) or a session file. The
ledger must verify and the report must be final. Every PDF is rendered from the ledger (the report is
re-rendered and must hash to what the ledger recorded), the final report gets the room's PAdES seal,
and the payload is:

``data/documents/*.pdf`` (report.pdf sealed, report-draft.pdf as signed by the members, opening record,
commitment letters, score sheets, summary), ``data/ledger/*.jsonl``, ``data/checkpoint.txt`` (the final
signed checkpoint), ``data/result.json``, ``data/recording/manifest.json`` and every segment the ledger
records, at its place in the recorder's folder ``DIR/recording/`` (``data/recording/segments/<camera>/…ts``;
left out only with ``include_segments=False``, ``--no-segments``, which bag-info.txt states),
``data/signatures/*.png``, ``data/images/*`` (photos and signature images found beside the ledger, by
SHA-256), ``data/keys/room.pub.pem`` and ``room-ca.pem`` (for reference; verifiers pin their own).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.archive import pades
from app.archive.bag import NO_TSA, Payload, write_bag
from app.archive.layout import RECORDING_DIR, SEGMENTS_INCLUDED, SEGMENTS_INFO, SEGMENTS_OMITTED, segment_path
from app.archive.names import portable_stem
from app.archive.retention import DEFAULT_YEARS, retention_until
from app.crypto import passphrases, tsa
from app.crypto.keys import KeyFileError, SigningKey
from app.crypto.truststore import CertificateTrust
from app.errors import EXIT_INVALID, EXIT_USAGE, EvalRoomError
from app.ledger.events import SignedEvent
from app.ledger.export import write_feeds
from app.ledger.verify import verify_events
from app.reports.reproduce import documents, reproduce, sha256
from app.services.bid_package import BID_FILES
from app.services.evaluation import dump_result
from app.services.session import Session
from app.store.ledger_store import LedgerStore

IMAGE_DIRS = ("media", "photos", "signatures", "images")  # media/: where the room console saves them
PNG = b"\x89PNG"
REFUSED = "rule: "  # app.ledger.verify's prefix for an event the fold refused (kept as evidence)
REPORT_SEAL = "Report-Seal"  # bag-info.txt: PAdES B-T, or B-B with why no timestamp was had


class ArchiveError(EvalRoomError):
    """The archive cannot be built; ``problems`` lists why (exit 1), or one usage line (exit 2)."""

    def __init__(self, message: str, problems: list[str] | None = None, usage: bool = False) -> None:
        super().__init__(message)
        self.problems = problems or [message]
        self.usage = usage
        self.exit_code = EXIT_USAGE if usage else EXIT_INVALID


@dataclass
class Built:
    bagdir: Path
    files: int
    retention_until: str
    demo_passphrase: bool = False  # the room key of a simulate folder, under the public demo passphrase
    timestamped: bool = False  # the bag signature carries an RFC 3161 timestamp (and the report seal is B-T)
    timestamp_missing: str | None = None  # why it does not (no TSA configured, offline, the TSA unreachable)
    tsa_configured: bool = False  # a TSA was asked (the settings' tsa_url, --tsa)


def _images(folder: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for sub in IMAGE_DIRS:
        for path in sorted((folder / sub).glob("*")) if (folder / sub).is_dir() else []:
            if path.is_file() and path.suffix.lower() in (".png", ".jpg", ".jpeg"):
                data = path.read_bytes()
                found[hashlib.sha256(data).hexdigest()] = data
    return found


def _segments(base: Path, recordings: list[dict[str, Any]]) -> tuple[dict[str, Path], list[str]]:
    """Every recorded segment's file under ``base/recording/`` by its payload path, and what is wrong
    (a file missing, or not the size its event recorded): none may be left out silently."""
    files: dict[str, Path] = {}
    problems: list[str] = []
    for item in recordings:
        name, event = segment_path(item), str(item.get("event", ""))[:8]
        if name is None:
            problems.append(f"recording: event {event} names no safe segment file ({item.get('file')!r})")
            continue
        source = base.joinpath(*name.split("/"))
        if not source.is_file():
            problems.append(f"recording: {item.get('file')} (event {event}) is missing from {base / RECORDING_DIR}")
        elif source.stat().st_size != item.get("bytes"):
            problems.append(f"recording: {item.get('file')} (event {event}) is {source.stat().st_size} bytes, "
                            f"its event says {item.get('bytes')}")
        else:
            files[name] = source
    return files, problems


Progress = Callable[[int, int, str], None]  # (step, steps, what): a plain callback, the GUI turns it into a signal
STEPS = ("核验账本 / verifying the ledger", "重现评标报告 / reproducing the report",
         "加盖电子印章 / sealing the report",
         "生成文书 / rendering the documents", "导出账本 / exporting the ledger", "写入归档包 / writing the bag")


def build_archive(folder: Path, out: Path, passphrase: bytes | None = None, include_segments: bool = True,
                  years: int = DEFAULT_YEARS, keys_dir: Path | None = None, progress: Progress | None = None,
                  link_segments: bool = True, passphrase_file: Path | None = None,
                  include_bid_files: bool = True, tsa_url: str | None = None,
                  tsa_timeout: float = tsa.DEFAULT_TIMEOUT) -> Built:
    """``tsa_url``: the RFC 3161 TSA that timestamps the report seal (PAdES B-T) and the bag signature; when it
    cannot be reached the bag is built all the same and records why no timestamp was had (bag-info.txt's
    ``Report-Seal``, the signature's envelope). ``keys_dir``: where ``room.p12`` is (default: ``keys/`` beside the
    session); ``progress`` is
    called before each of :data:`STEPS` and once more at the end (step == steps). Segments are hard-linked
    into the bag when it is on their file system (``link_segments``), copied otherwise; either way each is
    read once, both manifests' digests computed in that pass."""
    def step(index: int) -> None:
        if progress is not None:
            progress(index, len(STEPS), STEPS[index] if index < len(STEPS) else "完成 / done")

    db = folder / "session.sqlite" if folder.is_dir() else folder
    keys_dir = keys_dir or (folder if folder.is_dir() else folder.parent) / "keys"
    if not db.is_file():
        raise ArchiveError(f"{folder}: no session.sqlite (expected a folder written by `evalroom simulate`)",
                           usage=True)
    key_file = keys_dir / "room.p12"
    if not key_file.is_file():
        raise ArchiveError(f"{key_file}: no room key", usage=True)
    try:  # the demo passphrase only for a simulate folder's key (its KDF file says so)
        chosen = passphrases.resolve(passphrases.ROOM, passphrase, demo=True, key=key_file, file=passphrase_file)
    except passphrases.PassphraseError as exc:
        raise ArchiveError(str(exc), usage=True) from exc
    secret = chosen.secret
    try:
        room_key = SigningKey.load(key_file, secret)
    except (OSError, KeyFileError) as exc:
        raise ArchiveError(f"{key_file}: cannot load the room key ({exc})", usage=True) from exc
    step(0)
    with LedgerStore.open(db) as store:
        events: list[SignedEvent] = store.events()
        labels = {a: info.label for a, info in store.state.authors.items()}
    checked = verify_events([(ev, db.name) for ev in events], room_key.public)
    # a refused event (``rule:``) is signed evidence of an attempt the fold did not accept, not damage
    damage = [p for p in checked.problems if not p.startswith(REFUSED)]
    if damage or checked.state is None:
        raise ArchiveError("the ledger does not verify", [f"ledger: {p}" for p in damage])
    state = checked.state
    if state.report.final is None and not state.terminated:  # a terminated session is archived without a report
        raise ArchiveError("the report is not final: every member must act on it first (R-SIG-1)")
    if state.stage != "archived":
        raise ArchiveError("the session is not closed (no session.archived event and final checkpoint)")
    files: dict[str, Path] = {}  # the segments, checked before anything is rendered
    if include_segments:
        files, missing = _segments(folder if folder.is_dir() else folder.parent, state.recordings)
        if missing:
            raise ArchiveError(f"{len(missing)} of {len(state.recordings)} recording segments cannot be archived "
                               "(`archive build --no-segments` archives the recording manifest only)", missing)
    bids = _bid_documents(state.package)  # every bid file's hash, as the session's package listed it
    if bids and include_bid_files:
        found, absent = _bid_files(folder if folder.is_dir() else folder.parent, bids)
        if absent:
            raise ArchiveError(f"{len(absent)} of {len(bids)} bid files cannot be archived "
                               "(`archive build --no-bid-files` archives their hashes only)", absent)
        files.update(found)
    decrypted = _decrypted_files(folder if folder.is_dir() else folder.parent, state, secret) \
        if bids and include_bid_files else {}
    images = _images(folder if folder.is_dir() else folder.parent)
    ca_path, p12_path = pades.ensure_room_certificate(keys_dir, secret, str(state.room), demo=chosen.demo)
    blobs: dict[str, bytes] = {}
    seal = None
    if state.report.final is not None:
        step(1)
        again = reproduce(events, state.room_author, images)
        if again.final is None or sha256(again.final) != state.report.final or again.draft is None:
            raise ArchiveError("the final report cannot be reproduced from the ledger (the rendering differs)")
        step(2)
        seal = pades.seal_pdf(again.final, p12_path, secret, f"评标室 {state.room}", tsa_url, tsa_timeout)
        blobs["documents/report.pdf"] = seal.pdf
        blobs["documents/report-draft.pdf"] = again.draft
    step(3)
    blobs.update({f"documents/{name}": pdf for name, pdf in documents(state, images).items()})
    blobs["result.json"] = dump_result(state.result().to_json()).encode("utf-8")
    last = next(ev for ev in sorted(events, key=SignedEvent.order_key, reverse=True) if ev.type == "checkpoint")
    blobs["checkpoint.txt"] = str(last.body["note"]).encode("utf-8")
    blobs["recording/manifest.json"] = json.dumps(state.recordings, ensure_ascii=False, indent=1,
                                                  sort_keys=True).encode()
    for member, encoded in state.report.images.items():  # a member id is any text: made a portable file name
        blobs[f"signatures/{portable_stem(member, 'member')}.png"] = base64.b64decode(encoded)
    for digest, data in images.items():
        ext = ".png" if data.startswith(PNG) else ".jpg"
        blobs[f"images/{digest}{ext}"] = data
    blobs.update(decrypted)
    if bids:
        _with_decryption(bids, state)
        blobs["bids/manifest.json"] = json.dumps(bids, ensure_ascii=False, indent=1, sort_keys=True).encode()
    blobs["keys/room.pub.pem"] = room_key.public.to_pem()
    blobs["keys/room-ca.pem"] = ca_path.read_bytes()
    end = max(ev.time for ev in events)
    until = retention_until(dt.date.fromisoformat(end[:10]), years)
    case = state.base_case
    assert case is not None
    info = {"Source-Organization": "EvalRoom 评标室", "External-Identifier": str(state.session),
            "Project-Code": case.project.code, "Project-Name": case.project.name,
            "Lot": f"{case.lot.code} {case.lot.name}",
            "Session": str(state.session), "Room": str(state.room), "Profile": case.profile, "Session-End": end,
            "Retention-Until": until.isoformat(), "Retention-Years": str(years),
            "Bagging-Date": dt.datetime.now(dt.UTC).date().isoformat(), "Bag-Software-Agent": "EvalRoom archive build",
            SEGMENTS_INFO: SEGMENTS_INCLUDED if include_segments else SEGMENTS_OMITTED}
    if seal is not None:
        info[REPORT_SEAL] = "PAdES B-T (signature timestamp from the TSA)" if seal.timestamped else \
            f"PAdES B-B (no timestamp: {' '.join((seal.missing or NO_TSA).split())})"
    step(4)
    with tempfile.TemporaryDirectory() as tmp:
        for path in write_feeds(events, labels, Path(tmp)):
            blobs[f"ledger/{path.name}"] = path.read_bytes()
    step(5)
    stamp = write_bag(out, Payload(blobs, files), info, room_key, link=link_segments, tsa_url=tsa_url,
                      tsa_missing=seal.missing if seal is not None else None, tsa_timeout=tsa_timeout)
    step(len(STEPS))
    _queue_upload(db, out)
    return Built(out, len(blobs) + len(files), until.isoformat(), chosen.demo, stamp.token is not None,
                 stamp.missing, bool(tsa_url))


def _bid_documents(package: Any) -> list[dict[str, Any]]:
    """The bid files the session's package lists (docs/bid-package.md): bidder, path, SHA-256, part."""
    bidders = package.get("bidders", []) if isinstance(package, dict) else []
    return [{"bidder": str(b["id"]), "path": str(d["path"]), "sha256": str(d["sha256"]).lower(),
             "part": str(d.get("part", "other"))}
            for b in bidders if isinstance(b, dict) for d in b.get("documents", []) or [] if isinstance(d, dict)]


def _with_decryption(bids: list[dict[str, Any]], state: Any) -> None:
    """R-OPEN-10 in the manifest: an encrypted file's scheme and its decryption's result from the ledger (the
    plaintext's SHA-256 and where the bag keeps it, or the failure's cause and what the bid was deemed)."""
    schemes = {path: scheme for _b, path, scheme in _encrypted(state.package)}
    for bid in bids:
        if bid["path"] not in schemes:
            continue
        bid["encryption"] = schemes[bid["path"]]
        entry = state.decryption.get(bid["path"])
        if entry is None:
            bid["decryption"] = {"result": "not_decrypted"}
        elif entry["ok"]:
            bid["decryption"] = {"result": "decrypted", "plaintext_sha256": entry["plaintext_sha256"],
                                 "file": f"bids/decrypted/{entry['plaintext_sha256']}.pdf"}
        else:
            bid["decryption"] = {"result": "failed", "cause": entry["cause"], "outcome": entry["outcome"]}


def _encrypted(package: Any) -> list[tuple[str, str, str]]:
    bidders = package.get("bidders", []) if isinstance(package, dict) else []
    return [(str(b["id"]), str(d["path"]), str(d["encryption"].get("scheme")))
            for b in bidders if isinstance(b, dict) for d in b.get("documents", []) or []
            if isinstance(d, dict) and isinstance(d.get("encryption"), dict)]


def _decrypted_files(base: Path, state: Any, secret: bytes) -> dict[str, bytes]:
    """The bid files decrypted at opening (kept sealed beside the session), as plaintext for the bag, each checked
    against the SHA-256 the ledger holds."""
    decrypted = state.decrypted()
    if not decrypted:
        return {}
    from app.crypto.bid_crypto import open_at_rest, session_data_key
    from app.services.bid_documents import DECRYPTED

    absent = [f"{path}: its decrypted copy is missing from {DECRYPTED}/" for path, sha in decrypted.items()
              if not (base / DECRYPTED / f"{sha}.sealed").is_file()]
    if absent:
        raise ArchiveError(f"{len(absent)} decrypted bid files cannot be archived "
                           "(`archive build --no-bid-files` archives their hashes only)", absent)
    try:
        key = session_data_key(base / DECRYPTED, secret)
    except EvalRoomError as exc:
        raise ArchiveError(str(exc)) from exc
    out = {}
    for path, sha in decrypted.items():
        try:
            out[f"bids/decrypted/{sha}.pdf"] = open_at_rest(key, (base / DECRYPTED / f"{sha}.sealed").read_bytes(), sha)
        except ValueError as exc:
            raise ArchiveError(f"{path}: its decrypted copy differs from the SHA-256 the ledger holds") from exc
    return out


def _bid_files(base: Path, bids: list[dict[str, Any]]) -> tuple[dict[str, Path], list[str]]:
    """The bid files a simulation kept (``bid-files/``), each of the hash the ledger holds; the absent or changed."""
    found: dict[str, Path] = {}
    absent: list[str] = []
    for bid in bids:
        source = base / BID_FILES / bid["path"]
        if source.is_symlink() or not source.is_file():
            absent.append(f"{bid['path']}: missing from {BID_FILES}/")
        elif sha256(source.read_bytes()) != bid["sha256"]:
            absent.append(f"{bid['path']}: differs from the SHA-256 the ledger holds")
        else:
            found[f"bids/{bid['path']}"] = source
    return found, absent


def _queue_upload(db: Path, bag: Path) -> None:
    """Queue the bag in the session file's outbox right after it is written (the sync worker uploads it later;
    the bag is never deleted here: the outbox row keeps the center's receipt once it arrives)."""
    from app.store import outbox

    conn = outbox.connect(db)
    try:
        conn.execute("BEGIN IMMEDIATE")
        outbox.enqueue_archive(conn, bag)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()


@dataclass
class Archived:
    built: Built
    problems: list[str]  # from `evalroom verify` on the new bag, with the room key and CA pinned
    warnings: list[str]


def close_and_archive(session: Session, folder: Path, keys_dir: Path, passphrase: bytes, out: Path,
                      progress: Progress | None = None, years: int = DEFAULT_YEARS,
                      tsa_url: str | None = None, cert_trust: CertificateTrust | None = None) -> Archived:
    """The console's last step: close the session (session.archived and the final checkpoint), build the
    bag, then verify it as anyone would, with the room's key and CA pinned; the members' certificates against
    ``cert_trust`` (the console's trust store, which accepted them at check-in) with the room CA added."""
    from app.archive.verify import verify_archive

    if session.state.report.final is None and not session.state.terminated:
        raise ArchiveError("the report is not final: every member must act on it first (R-SIG-1)")
    if session.state.stage != "archived":
        session.archive()
    built = build_archive(folder, out, passphrase, years=years, keys_dir=keys_dir, progress=progress, tsa_url=tsa_url)
    verdict = verify_archive(out, room_key=keys_dir / "room.pub.pem", trust=[keys_dir / "room-ca.pem"],
                             tsa_pinned=False, cert_trust=cert_trust)
    return Archived(built, verdict.problems, verdict.warnings)
