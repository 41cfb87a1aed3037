"""`evalroom publish ARCHIVE --out DIR`: publication and hand-over from a verified archive (细则 §15(7), §22; 办法 §26).

Only what verifies is published: the archive is checked first (``evalroom verify``'s checks, the report's
re-rendering aside), and its problems refuse the publication (exit 1) with nothing written. Then, from the
archive's ledger alone:

- ``notice.json`` and ``notice.pdf``: the result notice (:mod:`app.reports.notice`);
- ``performance.json``: every member's performance record for the expert credit system (R-CRD-5,
  :mod:`app.reports.performance`);
- ``handover.zip``: what goes to the tenderer or agency: the sealed report and the session's other documents, the
  notice, the bid files' manifest and the candidates' bid files, and ``SHA256SUMS`` over them.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.archive.verify import DOCS, verify_archive
from app.crypto.keys import VerifyingKey
from app.errors import EXIT_INVALID, EvalRoomError
from app.ledger.fold import fold
from app.ledger.verify import read_feed_dir
from app.reports import notice, performance
from app.reports.reproduce import context

BIDS = "data/bids"


class PublicationError(EvalRoomError):
    """The archive cannot be published: it does not verify, or holds no final report (exit 1; no bag at all is
    :class:`app.archive.verify.ArchiveInputError`, exit 2)."""

    exit_code = EXIT_INVALID


@dataclass
class Published:
    files: list[Path] = field(default_factory=list)
    notice: dict[str, Any] = field(default_factory=dict)


def publish(bag: Path, out: Path) -> Published:
    verdict = verify_archive(bag, rerender=False)
    if not verdict.ok:
        raise PublicationError(key="publish.archive_invalid", bag=str(bag), count=len(verdict.problems),
                               first=verdict.problems[0])
    key = VerifyingKey.from_pem((bag / "data" / "keys" / "room.pub.pem").read_bytes())
    located, _ = read_feed_dir(bag / "data" / "ledger")
    events = [ev for ev, _ in located]
    state = fold(events, key.key_id)
    if state.report.final is None:
        raise PublicationError(key="publish.no_final_report", bag=str(bag))
    ctx = context(state)
    report_pdf = (bag / DOCS / "report.pdf").read_bytes()
    content = notice.notice(ctx, hashlib.sha256(report_pdf).hexdigest())
    out.mkdir(parents=True, exist_ok=True)
    written = Published(notice=content)

    def write(name: str, data: bytes) -> None:
        path = out / name
        path.write_bytes(data)
        written.files.append(path)

    notice_json = (json.dumps(content, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    notice_pdf = notice.render(ctx, content)
    write("notice.json", notice_json)
    write("notice.pdf", notice_pdf)
    write("performance.json", (json.dumps(performance.record(state, events), ensure_ascii=False, indent=2)
                               + "\n").encode("utf-8"))
    write("handover.zip", _handover(bag, content, notice_json, notice_pdf))
    return written


def _handover(bag: Path, content: dict[str, Any], notice_json: bytes, notice_pdf: bytes) -> bytes:
    """The tenderer's or agency's package: documents, notice, the bids' manifest and the candidates' bid files."""
    import io

    files: dict[str, bytes] = {}
    for pdf in sorted((bag / DOCS).glob("*.pdf")):
        files[f"documents/{pdf.name}"] = pdf.read_bytes()
    files["notice/notice.json"] = notice_json
    files["notice/notice.pdf"] = notice_pdf
    manifest = bag / BIDS / "manifest.json"
    if manifest.is_file():
        files["bids/manifest.json"] = manifest.read_bytes()
        candidates = {c["bidder"] for c in content["candidates"]}
        for item in json.loads(manifest.read_text(encoding="utf-8")):
            source = bag / BIDS / item["path"]
            if item.get("bidder") in candidates and source.is_file():
                files[f"bid-files/{item['path']}"] = source.read_bytes()
            decrypted = item.get("decryption") or {}
            plain = bag / "data" / str(decrypted.get("file", "")) if decrypted.get("file") else None
            if item.get("bidder") in candidates and plain is not None and plain.is_file():
                files[f"bid-files/{decrypted['file'].removeprefix('bids/')}"] = plain.read_bytes()  # R-OPEN-10
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(zipfile.ZipInfo("SHA256SUMS", date_time=(2000, 1, 1, 0, 0, 0)), sums)
    return buffer.getvalue()
