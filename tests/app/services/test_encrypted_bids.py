"""Issue 18 item 2: encrypted bid files in the package, decrypted at opening (R-OPEN-10; docs/bid-package.md).

The package (tests/support/encbids.py): five bidders with 50–300-page PDFs; B2 CMS to its openssl certificate, B3
and B4 passphrase containers, B5 CMS damaged in the platform's keeping; B4's representative presents a wrong
passphrase. Every decryption is an event; B4 is deemed revoked, B5 withdrawn, neither is ranked."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import encbids
from app.crypto import bid_crypto
from app.crypto.bid_crypto import DecryptionFailed
from app.domain.errors import CaseError
from app.services.bid_package import load_package
from app.services.decryption import BidderKeyError
from app.services.evaluation import dump_result, evaluate_file
from app.services.simulate import SimulationError, simulate
from builtonce import built_once

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def encrypted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The package and the bidders' keys, built once per run (shared: copy before changing it)."""
    return built_once(tmp_path_factory, "encrypted-bids", encbids.build)


def _copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(source, target)
    return target


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=ROOT)


def test_passphrase_container_causes() -> None:
    sealed = bid_crypto.seal_passphrase(b"%PDF-1.7 a bid", b"right", n=2 ** 12)
    assert bid_crypto.open_passphrase(sealed, b"right") == b"%PDF-1.7 a bid"
    with pytest.raises(DecryptionFailed) as wrong:
        bid_crypto.open_passphrase(sealed, b"wrong")
    assert wrong.value.cause == "wrong_passphrase"
    flipped = sealed[:-3] + bytes([sealed[-3] ^ 1]) + sealed[-2:]
    with pytest.raises(DecryptionFailed) as damaged:
        bid_crypto.open_passphrase(flipped, b"right")  # the passphrase checks out, the tag does not: not the bidder
    assert damaged.value.cause == "damaged"
    with pytest.raises(DecryptionFailed) as cut:
        bid_crypto.open_passphrase(sealed[:20], b"right")
    assert cut.value.cause == "damaged"
    length = int.from_bytes(sealed[8:10], "big")
    header = sealed[10:10 + length].replace(b'"n":4096', b'"n":1073741824')
    greedy = sealed[:8] + len(header).to_bytes(2, "big") + header + sealed[10 + length:]
    with pytest.raises(DecryptionFailed) as dos:
        bid_crypto.open_passphrase(greedy, b"right")
    assert dos.value.cause == "damaged" and "out of range" in dos.value.detail


def test_cms_made_by_openssl_opens_with_its_p12_only(encrypted: tuple[Path, dict[str, Any]]) -> None:
    folder, built = encrypted
    package = load_package(folder / "package")
    b2 = next(d for d in package.documents if d.bidder == "B2")
    assert b2.encrypted and b2.scheme == "cms" and b2.plaintext_sha256 == built["plaintext_sha256"]["B2"]
    passphrase = encbids.P12_PASS.encode()
    cert, key = bid_crypto.load_bidder_p12((folder / "keys" / "B2.p12").read_bytes(), passphrase)
    assert hashlib.sha256(bid_crypto.open_cms(b2.data, cert, key)).hexdigest() == built["plaintext_sha256"]["B2"]
    other_cert, other_key = bid_crypto.load_bidder_p12((folder / "keys" / "B5.p12").read_bytes(), passphrase)
    with pytest.raises(DecryptionFailed) as wrong:
        bid_crypto.open_cms(b2.data, other_cert, other_key)
    assert wrong.value.cause == "wrong_key"
    with pytest.raises(DecryptionFailed) as bad_pass:
        bid_crypto.load_bidder_p12((folder / "keys" / "B2.p12").read_bytes(), b"not it")
    assert bad_pass.value.cause == "wrong_passphrase"


def test_tampered_ciphertext_and_bad_encryption_field_refused_by_name(encrypted: tuple[Path, dict[str, Any]],
                                                                     tmp_path: Path) -> None:
    folder, _ = encrypted
    package = _copy(folder / "package", tmp_path)
    with (package / "bids/B3/technical.pdf.evrbid").open("ab") as file:
        file.write(b"tampered")
    with pytest.raises(CaseError) as caught:
        load_package(package)
    assert "bids/B3/technical.pdf.evrbid" in str(caught.value) and "SHA-256" in str(caught.value)
    run = _cli("evaluate", str(package), "--bidder-keys", str(folder / "keys"))
    assert run.returncode == 2 and "bids/B3/technical.pdf.evrbid" in run.stderr and run.stdout == ""

    package = _copy(folder / "package", tmp_path / "scheme")
    document = json.loads((package / "case.json").read_text(encoding="utf-8"))
    document["bidders"][1]["documents"][0]["encryption"]["scheme"] = "rot13"
    (package / "case.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CaseError) as scheme:
        load_package(package)
    assert "bids/B2/technical.pdf.p7m" in str(scheme.value) and "rot13" in str(scheme.value)
    assert "bidders.1.documents.0.encryption.scheme" in str(scheme.value)


def test_evaluate_decrypts_with_the_bidders_keys(encrypted: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    folder, _ = encrypted
    run = _cli("evaluate", str(folder / "package"))
    assert run.returncode == 2 and "bids/B2/technical.pdf.p7m" in run.stderr and "--bidder-keys" in run.stderr

    result = evaluate_file(folder / "package", bidder_keys=folder / "keys")
    by_id = {b["id"]: b for b in result["bidders"]}
    assert by_id["B4"]["excluded"] == "revoked" and "R-OPEN-10" in by_id["B4"]["reason"]
    assert "视为撤销" in by_id["B4"]["reason"] and "口令错误" in by_id["B4"]["reason"]
    assert by_id["B5"]["excluded"] == "withdrawn" and "视为撤回" in by_id["B5"]["reason"]
    assert "B4" not in result["ranking"] and "B5" not in result["ranking"]
    assert {"B1", "B2"} <= set(result["ranking"]) and "excluded" not in by_id["B2"]

    # no key presented: B2's p12 is absent from the folder → revoked (no_key)
    keys = _copy(folder / "keys", tmp_path)
    (keys / "B2.p12").unlink()
    without = evaluate_file(folder / "package", bidder_keys=keys)
    b2 = next(b for b in without["bidders"] if b["id"] == "B2")
    assert b2["excluded"] == "revoked" and "未出示密钥" in b2["reason"] and "B2" not in without["ranking"]

    # the case carrying a session's decryption record evaluates without keys, to the same result
    package = _copy(folder / "package", tmp_path / "recorded")
    document = json.loads((package / "case.json").read_text(encoding="utf-8"))
    document["decryption"] = {"B4": {"outcome": "revoked", "cause": "wrong_passphrase"},
                              "B5": {"outcome": "withdrawn", "cause": "damaged"}}
    (package / "case.json").write_text(json.dumps(document), encoding="utf-8")
    assert evaluate_file(package) == result
    with pytest.raises(BidderKeyError):
        evaluate_file(package, bidder_keys=folder / "keys")
    document["decryption"]["B4"]["outcome"] = "withdrawn"  # does not follow from the cause
    (package / "case.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CaseError) as wrong:
        evaluate_file(package)
    assert "decryption.B4.outcome" in str(wrong.value)


@pytest.mark.slow
def test_simulate_plays_the_decryption_and_archive_keeps_the_hashes(encrypted: tuple[Path, dict[str, Any]],
                                                                    tmp_path: Path) -> None:
    folder, built = encrypted
    with pytest.raises(BidderKeyError):
        simulate(folder / "package", tmp_path / "nokeys", kdf_rounds=1000)
    out = tmp_path / "sim"
    done = simulate(folder / "package", out, bidder_keys=folder / "keys", kdf_rounds=1000)
    expected = dump_result(evaluate_file(folder / "package", bidder_keys=folder / "keys"))
    assert done.result_text == expected

    events = [json.loads(line)["event"] for feed in (out / "ledger").glob("room-*.jsonl")
              for line in feed.read_text(encoding="utf-8").splitlines()]
    decrypted = {e["body"]["bidder"]: e["body"] for e in events if e["type"] == "opening.decrypted"}
    failed = {e["body"]["bidder"]: e["body"] for e in events if e["type"] == "opening.decryption_failed"}
    assert set(decrypted) == {"B2", "B3"} and set(failed) == {"B4", "B5"}
    for bidder in ("B2", "B3"):
        assert decrypted[bidder]["plaintext_sha256"] == built["plaintext_sha256"][bidder]
    assert failed["B4"]["cause"] == "wrong_passphrase" and failed["B5"]["cause"] == "damaged"
    types = [e["type"] for e in sorted(events, key=lambda e: e["seq"])]
    assert types.index("opening.read") > max(i for i, t in enumerate(types) if t.startswith("opening.decrypt"))
    screen = next(e["body"] for e in events if e["type"] == "screen.findings")
    assert screen["documents"] == 3  # B1 plain, B2 and B3 decrypted; the excluded bids are not screened

    # kept encrypted at rest: no plaintext PDF in the session folder besides the package's plain B1
    for bidder in ("B2", "B3"):
        sealed = out / "decrypted" / f"{built['plaintext_sha256'][bidder]}.sealed"
        assert sealed.is_file() and b"%PDF" not in sealed.read_bytes()[:64]

    bag = tmp_path / "bag"
    run = _cli("archive", "build", str(out), "--out", str(bag))
    assert run.returncode == 0, run.stderr
    manifest = {m["bidder"]: m for m in json.loads((bag / "data/bids/manifest.json").read_text(encoding="utf-8"))}
    assert manifest["B2"]["decryption"]["plaintext_sha256"] == built["plaintext_sha256"]["B2"]
    assert manifest["B4"]["decryption"] == {"result": "failed", "cause": "wrong_passphrase", "outcome": "revoked"}
    assert manifest["B5"]["decryption"]["outcome"] == "withdrawn" and "decryption" not in manifest["B1"]
    plain = (bag / "data" / manifest["B3"]["decryption"]["file"]).read_bytes()
    assert hashlib.sha256(plain).hexdigest() == built["plaintext_sha256"]["B3"]
    assert _cli("verify", str(bag)).returncode == 0
    import pypdfium2

    report = pypdfium2.PdfDocument(bag / "data/documents/report.pdf")
    try:
        words = "".join(report[i].get_textpage().get_text_range() for i in range(len(report))).replace("\n", "")
    finally:
        report.close()
    assert "投标文件解密（R-OPEN-10）" in words and "解密失败：口令错误" in words  # the opening record's section
    assert "R-OPEN-10: 投标人原因解密失败，视为撤销投标（口令错误）" in words  # and the invalid bids with the reason

    published = _cli("publish", str(bag), "--out", str(tmp_path / "pub"))
    assert published.returncode == 0, published.stderr
    import zipfile

    with zipfile.ZipFile(tmp_path / "pub" / "handover.zip") as handover:
        names = set(handover.namelist())
    assert f"bid-files/decrypted/{built['plaintext_sha256']['B2']}.pdf" in names  # a candidate's decrypted bid
    notice = json.loads((tmp_path / "pub" / "notice.json").read_text(encoding="utf-8"))
    assert {r["bidder"]: r["reason"][:9] for r in notice["rejected"]}["B5"] == "R-OPEN-10"

    # a case without documents: simulate and evaluate unchanged (no decrypted/ folder)
    plain_case = ROOT / "examples" / "procurement-goods-comprehensive.json"
    again = simulate(plain_case, tmp_path / "plain", kdf_rounds=1000)
    assert again.result_text == dump_result(evaluate_file(plain_case))
    assert not (tmp_path / "plain" / "decrypted").exists()


def test_simulate_refuses_a_decryption_record(encrypted: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    folder, _ = encrypted
    package = _copy(folder / "package", tmp_path)
    document = json.loads((package / "case.json").read_text(encoding="utf-8"))
    document["decryption"] = {"B4": {"outcome": "revoked", "cause": "no_key"}}
    (package / "case.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(SimulationError) as caught:
        simulate(package, tmp_path / "out", bidder_keys=folder / "keys", kdf_rounds=1000)
    assert "decryption" in str(caught.value) and not (tmp_path / "out" / "session.sqlite").exists()
