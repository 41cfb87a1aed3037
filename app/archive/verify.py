"""`evalroom verify ARCHIVE`: everything offline, every problem listed (one line each, by kind).

Checks, in order: BagIt fixity (``bag:``) and the room's signature over the tag manifest; the ledger
feeds' signatures, chains, forks, permission rules and checkpoints (``ledger:``); the archived final
checkpoint against the ledger (``checkpoint:``); the report's PAdES seal against the trust roots
(``pdf:``); that the sealed report is the final the ledger recorded, that the draft is what every member
signed, that the numbers both print (totals, ranks, candidates, the checkpoint in the footer) equal the
rule engine's over the ledger, read from the PDFs' text and so independent of the renderer
(``textcheck.py``), and, as an extra, that both re-render byte for byte (a difference alone is a warning:
possibly another reportlab version) (``report:``);
``result.json`` against the rule engine (``result:``); recording segments against their events
(``recording:``: each one in the bag with its SHA-256; a missing one is a failure unless bag-info.txt says
the archive was built with ``--no-segments``). Trust anchors: ``room_key`` and ``trust`` given by the verifier;
without them the copies inside the archive are used and a note says so (that proves integrity, not origin).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from app.archive import pades
from app.archive.bag import check_fixity, check_signature, check_timestamp, read_info
from app.archive.certificates import check_certificates, der_sha256
from app.archive.layout import SEGMENTS_INFO, SEGMENTS_OMITTED, segment_path
from app.archive.textcheck import check_report_text
from app.crypto.certs import load_pem_certificates
from app.crypto.keys import KeyFileError, VerifyingKey
from app.crypto.truststore import CertificateTrust
from app.errors import EvalRoomError
from app.ledger.checkpoint import CheckpointError, verify_checkpoint
from app.ledger.state import SessionState
from app.ledger.verify import read_feed_dir, verify_events
from app.reports.reproduce import reproduce, sha256
from app.reports.result_json import dump_result

DOCS = "data/documents"


class ArchiveInputError(EvalRoomError):
    """ARCHIVE or a trust file cannot be used at all (exit 2)."""


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # reported, not failures (see the re-render check)
    files: int = 0
    events: int = 0
    sha256: dict[str, str] = field(default_factory=dict)  # the payload files hashed, by bag path (data/…)
    timestamped: bool = False  # the bag signature carries a sound RFC 3161 token (its TSA trusted when pinned)

    @property
    def ok(self) -> bool:
        return not self.problems


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def verify_archive(bag: Path, room_key: Path | None = None, trust: list[Path] | None = None, full: bool = False,
                   rerender: bool = True, known_sha256: Mapping[str, str] | None = None,
                   tsa_pinned: bool | None = None, cert_trust: CertificateTrust | None = None) -> Verdict:
    """Every check of the module docstring. Hashing the payload (I/O and OpenSSL, which release the GIL)
    runs in a background thread while the ledger, the seal and the re-rendered report are checked.
    ``known_sha256``: payload files' SHA-256 taken from their bytes as they were written (see
    :func:`app.archive.bag.check_fixity`), checked against the manifest without reading the files again.
    ``tsa_pinned``: the timestamps' TSA must chain to one of ``trust`` (default: when ``trust`` is given); False: a
    TSA that does not is only noted (the console's own check after building, with the room CA alone).
    ``cert_trust``: a trust store (the settings': CA files and folder, CRLs) for the members' and the room's
    certificates, with the roots of ``trust`` added; the report seal keeps ``trust`` alone."""
    if not (bag / "bagit.txt").is_file():
        raise ArchiveInputError(f"{bag}: not a BagIt bag (no bagit.txt)")
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    with ThreadPoolExecutor(1) as pool:
        fixity = pool.submit(check_fixity, bag, full, known_sha256)
        rest = Verdict()
        try:
            pinned = bool(trust) if tsa_pinned is None else tsa_pinned
            state = _content(bag, room_key, trust, rerender, rest, pinned, cert_trust)
        finally:
            problems, digests = fixity.result()
    out = Verdict(problems=problems + rest.problems, notes=rest.notes, warnings=rest.warnings, files=len(digests),
                  events=rest.events, sha256=digests, timestamped=rest.timestamped)
    if state is not None:
        _recordings(bag, state.recordings, digests, out)
    return out


def _content(bag: Path, room_key: Path | None, trust: list[Path] | None, rerender: bool,
             out: Verdict, tsa_pinned: bool = True,
             cert_trust: CertificateTrust | None = None) -> SessionState | None:
    key = _room_key(bag, room_key, out)
    if key is None:
        return None
    out.problems += check_signature(bag, key)
    roots = [c for path in trust or [] for c in load_pem_certificates(path)] if trust else None
    stamped, said, out.timestamped = check_timestamp(bag, roots if tsa_pinned else None)
    out.problems += stamped
    out.notes += said
    located, read_problems = read_feed_dir(bag / "data" / "ledger")
    report = verify_events(located, key, read_problems)
    out.events = report.events
    out.notes += report.notes  # e.g. events a receiver refused for a time ahead of its clock
    refused = [p for p in dict.fromkeys(report.problems) if p.startswith("rule: ")]
    out.problems += [f"ledger: {p}" for p in dict.fromkeys(report.problems) if p not in refused]
    if refused:  # signed attempts the fold refused: evidence kept in the ledger and printed, not damage
        out.notes.append(f"{len(refused)} refused event(s) kept as evidence: " + "; ".join(p[6:] for p in refused[:3])
                         + ("; …" if len(refused) > 3 else ""))
    state = report.state
    if state is None or not state.created:
        return None
    events = [ev for ev, _ in located]
    store = cert_trust.with_roots(roots or []) if cert_trust is not None and (cert_trust or roots) else None
    checked = check_certificates(events, store if store is not None else roots)
    out.problems += checked.problems
    _checkpoint(bag, key, state, out)
    rep = state.report
    if rep.final is None and state.terminated:
        out.notes.append("the session was terminated without a final report")
    else:
        _pdf(bag, trust, out, checked.seal_ca_sha256, tsa_pinned)
    sealed, draft = _read(bag / DOCS / "report.pdf"), _read(bag / DOCS / "report-draft.pdf")
    if rep.final is None or rep.final_bytes is None:
        if not state.terminated:
            out.problems.append("report: the ledger records no final report (R-SIG-1)")
    elif sealed is None or sha256(pades.signed_prefix(sealed, rep.final_bytes)) != rep.final:
        out.problems.append("report: documents/report.pdf is not the final report the ledger recorded "
                            "(SHA-256 differs)")
    if rep.draft is not None and (draft is None or sha256(draft) != rep.draft):
        out.problems.append("report: documents/report-draft.pdf is not the draft the members signed (SHA-256 differs)")
    printed: list[str] = []
    if rep.draft is not None and draft is not None:
        printed += check_report_text(draft, state, "documents/report-draft.pdf", final=False)
    if rep.final is not None and sealed is not None:
        printed += check_report_text(sealed, state, "documents/report.pdf", final=True)
    out.problems += printed
    if rerender and rep.draft is not None:
        again = reproduce(events, state.room_author, _images(bag))
        differ = []
        if again.draft is None or sha256(again.draft) != rep.draft:
            differ.append("report: the signed draft differs from the report the rule engine recomputes from the ledger")
        if rep.final is not None and (again.final is None or sha256(again.final) != rep.final):
            differ.append("report: the final report differs from the one recomputed from the ledger")
        if differ and not printed:  # the text check passed: the renderer, not the content, differs
            out.warnings.append("report: re-rendered bytes differ — possibly another reportlab version "
                                "(the printed numbers equal the rule engine's)")
        else:
            out.problems += differ
    result = _read(bag / "data" / "result.json")
    if result is None or result.decode("utf-8", "replace") != dump_result(state.result().to_json()):
        out.problems.append("result: result.json differs from the rule engine's result over the ledger")
    info = read_info(bag)
    if not info.get("Retention-Until"):
        out.problems.append("bag: bag-info.txt states no Retention-Until")
    if info.get("Session") and info.get("Session") != state.session:
        out.problems.append(f"bag: bag-info.txt names session {info.get('Session')}, the ledger {state.session}")
    return state


def _room_key(bag: Path, given: Path | None, out: Verdict) -> VerifyingKey | None:
    path = given or bag / "data" / "keys" / "room.pub.pem"
    if given is None:
        out.notes.append("room key taken from the archive itself (pass --room-key to pin the room's key)")
    try:
        return VerifyingKey.from_pem(path.read_bytes())
    except OSError as exc:
        if given is not None:
            raise ArchiveInputError(f"{given}: cannot read the room key ({exc.strerror})") from exc
        out.problems.append("bag: data/keys/room.pub.pem is missing (and no --room-key given)")
    except KeyFileError as exc:
        if given is not None:
            raise ArchiveInputError(f"{given}: {exc}") from exc
        out.problems.append(f"bag: data/keys/room.pub.pem is not a room key ({exc})")
    return None


def _checkpoint(bag: Path, key: VerifyingKey, state: object, out: Verdict) -> None:
    text = _read(bag / "data" / "checkpoint.txt")
    marks = getattr(state, "checkpoints", [])
    if text is None:
        out.problems.append("checkpoint: data/checkpoint.txt is missing")
        return
    try:
        note = verify_checkpoint(text.decode("utf-8"), key)
    except (CheckpointError, UnicodeDecodeError) as exc:
        out.problems.append(f"checkpoint: data/checkpoint.txt is not signed by the room key ({exc})")
        return
    if not marks or (note.size, note.root.hex()) != (marks[-1].size, marks[-1].root):
        out.problems.append("checkpoint: data/checkpoint.txt is not the ledger's final checkpoint")


def _pdf(bag: Path, trust: list[Path] | None, out: Verdict, vouched: str | None = None,
         tsa_pinned: bool = True) -> None:
    """The seal against the trust roots; with roots given, also against the archive's room-ca.pem when the room's
    certificate (chaining to one of them) vouches for it by its SHA-256 (an SM2 room certificate)."""
    sealed = _read(bag / DOCS / "report.pdf")
    if sealed is None:
        out.problems.append("pdf: documents/report.pdf is missing")
        return
    roots: list[bytes] = []
    for path in trust or []:
        try:
            roots.append(path.read_bytes())
        except OSError as exc:
            raise ArchiveInputError(f"{path}: cannot read the trust root ({exc.strerror})") from exc
    own_ca = _read(bag / "data" / "keys" / "room-ca.pem")
    if roots and vouched is not None and own_ca is not None and der_sha256(own_ca) == vouched:
        roots.append(own_ca)
    if not roots:
        own = own_ca
        out.notes.append("PDF trust root taken from the archive's room-ca.pem (pass --trust CA.pem to pin the room CA)")
        roots = [own] if own else []
    out.problems += pades.validate(sealed, roots, out.notes, tsa_pinned=tsa_pinned and bool(trust))


def _images(bag: Path) -> dict[str, bytes]:
    folder = bag / "data" / "images"
    found = {}
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        data = path.read_bytes()
        found[hashlib.sha256(data).hexdigest()] = data
    return found


def _recordings(bag: Path, recordings: list[dict[str, object]], digests: dict[str, str], out: Verdict) -> None:
    """The manifest equals the ledger's recording events, and every segment they record is in the bag with
    its SHA-256, unless bag-info.txt says the segments were left out (``archive build --no-segments``)."""
    manifest = _read(bag / "data" / "recording" / "manifest.json")
    try:
        listed = json.loads(manifest) if manifest is not None else None
    except ValueError:  # not JSON (UnicodeDecodeError is a ValueError too)
        listed = None
    if listed is None or listed != json.loads(json.dumps(recordings)):
        out.problems.append("recording: recording/manifest.json differs from the recording events of the ledger")
    omitted = read_info(bag).get(SEGMENTS_INFO) == SEGMENTS_OMITTED
    absent = 0
    for item in recordings:
        path = segment_path(item)
        event = str(item.get("event"))[:8]
        name = f"data/{path}" if path is not None else None
        if name is None:
            out.problems.append(f"recording: event {event} names no safe segment file ({item.get('file')!r})")
        elif name not in digests:
            absent += 1
            if not omitted:
                out.problems.append(f"recording: {item.get('file')} (event {event}) is not in the archive")
        elif digests[name] != item.get("sha256"):
            out.problems.append(f"recording: {item.get('file')}: SHA-256 differs from its event {event}")
    if absent and omitted:
        out.notes.append(f"{absent} of {len(recordings)} recording segments are not in the archive: it was built "
                         "with --no-segments (manifest only)")
