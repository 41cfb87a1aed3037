"""Issue 18, item 1: the session package carries the bids (docs/bid-package.md).

A package is a folder or the same folder zipped: case.json plus the PDF files its bidders list with their SHA-256;
each bidder's unified social credit code is checked by its GB 32100 check character. A missing, tampered,
escaping or non-PDF file is refused by name (exit 2), nothing imported; a case without documents is unchanged.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen import canvas

from app.domain.credit_code import check_character, credit_code_problem
from app.domain.errors import CaseError
from app.services.bid_package import load_package
from app.services.case_files import load_case
from app.services.evaluation import evaluate_file

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "engineering-lowest-price.json"
#: real codes (Tencent Shenzhen, Xiaomi Beijing, and the example of GB 32100-2015 itself)
REAL_CODES = ["91440300708461136T", "91110108551385082Q", "91350100M000100Y43"]


def pdf(text: str) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return out.getvalue()


def make_package(folder: Path, files: dict[str, bytes] | None = None) -> dict[str, Any]:
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    for index, bidder in enumerate(document["bidders"]):
        data = pdf(f"technical bid of {bidder['id']}")
        rel = f"bids/{bidder['id']}/technical.pdf"
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
        bidder["documents"] = [{"path": rel, "sha256": hashlib.sha256(data).hexdigest(), "part": "technical"}]
        bidder["credit_code"] = REAL_CODES[index % len(REAL_CODES)]
    for rel, data in (files or {}).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    write(folder, document)
    return document


def write(folder: Path, document: dict[str, Any]) -> None:
    (folder / "case.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def zipped(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(folder).as_posix())
    return target


def test_gb32100_real_codes_and_a_wrong_check_character() -> None:
    for code in REAL_CODES:
        assert credit_code_problem(code) is None, code
        assert check_character(code[:17]) == code[17]
    wrong = "91440300708461136A"
    problem = credit_code_problem(wrong)
    assert problem is not None and '"T"' in problem[0] and "校验码" in problem[1]
    assert credit_code_problem("9144030070846113") is not None  # 16 characters
    assert credit_code_problem("91440300708461136I") is not None  # I is outside the character set


def test_folder_and_zip_evaluate_as_the_case(tmp_path: Path) -> None:
    make_package(tmp_path / "pkg")
    expected = evaluate_file(EXAMPLE)
    assert evaluate_file(tmp_path / "pkg") == expected
    assert evaluate_file(zipped(tmp_path / "pkg", tmp_path / "pkg.zip")) == expected
    package = load_package(tmp_path / "pkg")
    assert [d.bidder for d in package.documents] == [b.id for b in package.case.bidders]
    # the same folder zipped with its folder name on top
    shutil.copytree(tmp_path / "pkg", tmp_path / "wrap" / "pkg")
    assert evaluate_file(zipped(tmp_path / "wrap", tmp_path / "wrap.zip")) == expected


def refusal(path: Path) -> CaseError:
    with pytest.raises(CaseError) as caught:
        load_case(path)
    return caught.value


def test_missing_tampered_and_not_pdf_are_named(tmp_path: Path) -> None:
    document = make_package(tmp_path / "pkg")
    (tmp_path / "pkg" / "bids/B2/technical.pdf").unlink()
    error = refusal(tmp_path / "pkg")
    assert "bids/B2/technical.pdf" in str(error) and "missing" in str(error) and "缺少" in error.zh_message()

    make_package(tmp_path / "t")
    with (tmp_path / "t" / "bids/B1/technical.pdf").open("ab") as file:
        file.write(b"%tampered")
    assert "bids/B1/technical.pdf" in str(error := refusal(tmp_path / "t")) and "SHA-256" in str(error)

    document = make_package(tmp_path / "n")
    (tmp_path / "n" / "bids/B1/technical.pdf").write_bytes(b"%PDF-1.7 but nothing else")
    document["bidders"][0]["documents"][0]["sha256"] = hashlib.sha256(b"%PDF-1.7 but nothing else").hexdigest()
    write(tmp_path / "n", document)
    assert "bids/B1/technical.pdf" in str(error := refusal(tmp_path / "n")) and "not a PDF" in str(error)
    assert "bids/B1/technical.pdf" in str(refusal(zipped(tmp_path / "n", tmp_path / "n.zip")))


@pytest.mark.parametrize("rel", ["../outside.pdf", "/etc/passwd", "bids/../../x.pdf", "C:/x.pdf", "bids\\x.pdf"])
def test_paths_escaping_the_package_are_refused(tmp_path: Path, rel: str) -> None:
    document = make_package(tmp_path / "pkg")
    document["bidders"][0]["documents"][0]["path"] = rel
    write(tmp_path / "pkg", document)
    assert rel in str(error := refusal(tmp_path / "pkg")) and "escapes" in str(error)


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symbolic links")
def test_symbolic_link_is_refused(tmp_path: Path) -> None:
    make_package(tmp_path / "pkg")
    target = tmp_path / "pkg" / "bids/B1/technical.pdf"
    shutil.move(target, tmp_path / "elsewhere.pdf")
    target.symlink_to(tmp_path / "elsewhere.pdf")
    assert "bids/B1/technical.pdf" in str(error := refusal(tmp_path / "pkg")) and "symbolic link" in str(error)


def test_zip_slip_is_refused(tmp_path: Path) -> None:
    make_package(tmp_path / "pkg")
    archive_path = zipped(tmp_path / "pkg", tmp_path / "pkg.zip")
    with zipfile.ZipFile(archive_path, "a") as archive:
        archive.writestr("../../evil.pdf", pdf("evil"))
    assert "../../evil.pdf" in str(error := refusal(archive_path)) and "escapes" in str(error)


def test_wrong_credit_code_is_refused(tmp_path: Path) -> None:
    document = make_package(tmp_path / "pkg")
    document["bidders"][1]["credit_code"] = "91110108551385082A"
    write(tmp_path / "pkg", document)
    error = refusal(tmp_path / "pkg")
    assert "bidders.1.credit_code" in str(error) and "check character" in str(error)
    assert "统一社会信用代码" in error.zh_message()


def test_cli_exit_2_names_the_file_and_imports_nothing(tmp_path: Path) -> None:
    make_package(tmp_path / "pkg")
    (tmp_path / "pkg" / "bids/B3/technical.pdf").write_bytes(b"not a pdf")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "EVALROOM_DEBUG" and not k.startswith("XDG_")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "d"), XDG_CONFIG_HOME=str(home / "c"),
               XDG_STATE_HOME=str(home / "s"), XDG_CACHE_HOME=str(home / "k"))
    done = subprocess.run([sys.executable, "-m", "app", "evaluate", str(tmp_path / "pkg")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 2 and done.stdout == "", done
    assert "bids/B3/technical.pdf" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert list(home.rglob("*")) == []


def test_simulate_plays_a_package_and_its_ledger_holds_the_hashes(tmp_path: Path) -> None:
    from app.services.ledger_check import verify_path
    from app.services.simulate import SimulationError, simulate

    document = make_package(tmp_path / "pkg")
    archive_path = zipped(tmp_path / "pkg", tmp_path / "pkg.zip")
    done = simulate(archive_path, tmp_path / "out", passphrase=b"pw", kdf_rounds=1000)
    assert json.loads(done.result_text) == evaluate_file(EXAMPLE)
    assert verify_path(tmp_path / "out").problems == []
    room_feed = next((tmp_path / "out" / "ledger").glob("room-*.jsonl")).read_text(encoding="utf-8")
    assert document["bidders"][0]["documents"][0]["sha256"] in room_feed
    (tmp_path / "pkg" / "bids/B1/technical.pdf").unlink()
    with pytest.raises((CaseError, SimulationError)) as caught:
        simulate(tmp_path / "pkg", tmp_path / "out2", passphrase=b"pw", kdf_rounds=1000)
    assert "bids/B1/technical.pdf" in str(caught.value) and not (tmp_path / "out2").exists()


def test_archive_keeps_the_bid_files_and_their_hashes(tmp_path: Path) -> None:
    from app.archive.bag import check_fixity
    from app.services.archive import ArchiveError, build_archive
    from app.services.simulate import simulate

    document = make_package(tmp_path / "pkg")
    simulate(tmp_path / "pkg", tmp_path / "out", passphrase=b"pw", kdf_rounds=1000)
    rel = document["bidders"][0]["documents"][0]["path"]
    assert (tmp_path / "out" / "bid-files" / rel).read_bytes() == (tmp_path / "pkg" / rel).read_bytes()
    build_archive(tmp_path / "out", tmp_path / "bag", b"pw")
    listed = json.loads((tmp_path / "bag" / "data" / "bids" / "manifest.json").read_text(encoding="utf-8"))
    assert [(b["bidder"], b["sha256"]) for b in listed] == [
        (b["id"], b["documents"][0]["sha256"]) for b in document["bidders"]]
    assert (tmp_path / "bag" / "data" / "bids" / rel).read_bytes() == (tmp_path / "pkg" / rel).read_bytes()
    assert check_fixity(tmp_path / "bag", full=True)[0] == []
    from app.archive.verify import verify_archive

    assert verify_archive(tmp_path / "bag", rerender=False).problems == []
    build_archive(tmp_path / "out", tmp_path / "hashes-only", b"pw", include_bid_files=False)
    assert (tmp_path / "hashes-only" / "data" / "bids" / "manifest.json").is_file()
    assert not (tmp_path / "hashes-only" / "data" / "bids" / rel).exists()
    (tmp_path / "out" / "bid-files" / rel).write_bytes(b"%PDF-1.7 changed")
    with pytest.raises(ArchiveError) as caught:
        build_archive(tmp_path / "out", tmp_path / "bag2", b"pw")
    assert "--no-bid-files" in str(caught.value) and any(rel in p for p in caught.value.problems)
