"""Issue 18, item 4 (core): `evalroom screen PACKAGE`, the collusion screen (办法 §21; R-PRE-1(7)).

Crafted PDFs written here byte by byte (so the metadata and the XMP packet are exactly ours): two bidders sharing an
author and an XMP document id, two sharing a page's text, a file copied between bidders, prices equally spaced and
prices in one fixed ratio; a package of honest bids gives no finding.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.services.bid_package import load_package
from app.services.screen import KINDS, _price_findings, screen, xmp_document_id
from bidkit import crafted_pdf, package

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "engineering-lowest-price.json"


def kinds(result: dict[str, Any]) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for finding in result["findings"]:
        assert set(finding) == {"kind", "bidders", "evidence"} and finding["kind"] in KINDS and finding["evidence"]
        out.setdefault(finding["kind"], []).append(finding["bidders"])
    return out


def test_honest_package_has_no_finding(tmp_path: Path) -> None:
    assert screen(package(tmp_path / "pkg", {})) == {"findings": []}


def test_shared_author_document_id_and_page(tmp_path: Path) -> None:
    shared_page = "Section 3: construction plan, crane positions and the schedule of the works"
    b1 = crafted_pdf(["cover of B1 with its own long enough text here", shared_page], author="Zhang Wei",
                     created="D:20261120093000+08'00'", creator="WPS Office", document_id="uuid:1234-shared")
    b3 = crafted_pdf([shared_page, "another page of B3 that nobody else has written"], author="Zhang Wei",
                     created="D:20261120093000+08'00'", creator="WPS Office", document_id="uuid:1234-shared",
                     deflate_xmp=True)
    copied = crafted_pdf(["a copied file sent by two bidders as it is, same bytes"], author="x5",
                         created="D:20261101000000", creator="tool x", document_id="uuid:copy")
    folder = package(tmp_path / "pkg", {"B1": b1, "B3": b3, "B2": copied, "B5": copied})
    assert xmp_document_id(b3) == "uuid:1234-shared"  # found in the deflated metadata stream
    found = kinds(screen(folder))
    assert found["same_author"] == [["B1", "B3"], ["B2", "B5"]]  # the copy shares them too
    assert found["same_creator_tool"] == [["B1", "B3"], ["B2", "B5"]]  # the copy shares them too
    assert found["same_creation_time"] == [["B1", "B3"], ["B2", "B5"]]  # the copy shares them too
    assert found["same_xmp_document_id"] == [["B1", "B3"], ["B2", "B5"]]  # the copy shares them too
    assert found["identical_page_text"] == [["B1", "B3"], ["B2", "B5"]]
    assert found["identical_file"] == [["B2", "B5"]]
    assert "price_equal_spacing" not in found and "price_fixed_ratio" not in found
    evidence = [f["evidence"] for f in screen(folder)["findings"] if f["kind"] == "identical_page_text"]
    assert any("bids/B1/technical.pdf p.2" in e and "bids/B3/technical.pdf p.1" in e for e in evidence)


def test_price_patterns_exact_decimal() -> None:
    spaced = {"B1": Decimal("4900000.00"), "B2": Decimal("5000000.00"), "B3": Decimal("5100000.00"),
              "B4": Decimal("5237000.00")}
    found = list(_price_findings(spaced))
    assert [(f.kind, f.bidders) for f in found] == [("price_equal_spacing", ("B1", "B2", "B3"))]
    assert "100000.00 apart" in found[0].evidence
    ratio = {"B1": Decimal("4000000"), "B2": Decimal("4400000"), "B3": Decimal("4840000"),
             "B4": Decimal("5000001")}
    found = list(_price_findings(ratio))
    assert [(f.kind, f.bidders) for f in found] == [("price_fixed_ratio", ("B1", "B2", "B3"))]
    assert "1.1 times" in found[0].evidence
    # one cent off breaks the pattern: exact arithmetic, no float tolerance
    assert list(_price_findings({**ratio, "B3": Decimal("4840000.01")})) == []
    assert [f.kind for f in _price_findings({"B1": Decimal("1.00"), "B2": Decimal("1")})] == ["identical_price"]


def test_cli_prints_findings_and_exits_0(tmp_path: Path) -> None:
    folder = package(tmp_path / "pkg", {}, prices=["4900000.00", "5000000.00", "5100000.00", "5237000.00",
                                                    "5391000.00"])
    assert len(load_package(folder).documents) == 5
    env = {k: v for k, v in os.environ.items() if k != "EVALROOM_DEBUG"}
    done = subprocess.run([sys.executable, "-m", "app", "screen", str(folder)], capture_output=True, text=True,
                          encoding="utf-8", timeout=60, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert kinds(json.loads(done.stdout)) == {"price_equal_spacing": [["B1", "B2", "B3"]]}
    (folder / "bids/B4/technical.pdf").write_bytes(b"%PDF-1.7 tampered")
    done = subprocess.run([sys.executable, "-m", "app", "screen", str(folder)], capture_output=True, text=True,
                          encoding="utf-8", timeout=60, env=env, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == "" and "bids/B4/technical.pdf" in done.stderr


def _collusive_package(folder: Path) -> Path:
    shared = "Section 3: construction plan, crane positions and the schedule of the works"
    b1 = crafted_pdf(["cover of B1 with its own long enough text here", shared], author="Zhang Wei",
                     created="D:20261120093000+08'00'", creator="Writer B1", document_id="uuid:b1-own")
    b3 = crafted_pdf([shared, "another page of B3 that nobody else has written"], author="Zhang Wei",
                     created="D:20261121093000+08'00'", creator="Writer B3", document_id="uuid:b3-own")
    return package(folder, {"B1": b1, "B3": b3})


def test_simulate_records_the_screen_and_the_report_shows_it(tmp_path: Path) -> None:
    """The screen's findings are the room's event after the bids are read; the sealed report lists each finding
    with its evidence and the committee's decision (none in a case file: 尚未认定)."""
    import shutil

    from app.ledger.fold import fold
    from app.ledger.verify import read_feed_dir
    from app.services.archive import build_archive
    from app.services.simulate import simulate

    folder = _collusive_package(tmp_path / "pkg")
    expected = screen(folder)["findings"]
    assert [f["kind"] for f in expected] == ["same_author", "identical_page_text"]
    simulate(folder, tmp_path / "out", passphrase=b"pw", kdf_rounds=1000)
    located, problems = read_feed_dir(tmp_path / "out" / "ledger")
    events = [ev for ev, _ in located]
    assert problems == []
    screened = [ev for ev in events if ev.type == "screen.findings"]
    assert len(screened) == 1 and screened[0].body == {"findings": expected, "documents": 5}
    state = fold(events)
    assert state.screen is not None and state.screen["findings"] == expected and not state.rejections
    if shutil.which("pdftotext") is None:
        return
    build_archive(tmp_path / "out", tmp_path / "bag", b"pw", include_segments=False)
    text = subprocess.run(["pdftotext", str(tmp_path / "bag" / "data" / "documents" / "report.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "围标串标预警及评标委员会认定" in text and "文件作者相同" in text and "尚未认定" in text


def test_simulate_of_a_case_without_bid_files_records_no_screen(tmp_path: Path) -> None:
    from app.ledger.verify import read_feed_dir
    from app.services.simulate import simulate

    simulate(EXAMPLE, tmp_path / "out", passphrase=b"pw", kdf_rounds=1000)
    assert not any(ev.type.startswith("screen.") for ev, _ in read_feed_dir(tmp_path / "out" / "ledger")[0])


def test_the_console_screens_the_kept_bid_files_once_and_refuses_a_tampered_one(tmp_path: Path) -> None:
    """The console keeps the checked bid files beside its session; at opening it screens those, checked against
    the package's hashes again: a file changed since the import is named, and the opening read stays recorded."""
    from app.domain.errors import CaseError
    from app.services.bid_package import BID_FILES
    from app.services.room import Room

    folder = _collusive_package(tmp_path / "pkg")
    room = Room(tmp_path / "home", passphrase=b"pw")
    session = room.start(folder)
    kept = session.store.path.parent / BID_FILES / "bids/B3/technical.pdf"
    original = kept.read_bytes()
    kept.write_bytes(original.replace(b"Zhang Wei", b"Zhang Wu "))
    with pytest.raises(CaseError, match="bids/B3/technical.pdf"):
        room.open_bids()
    assert room.state.opening is not None and room.state.screen is None  # the bids read stay read
    kept.write_bytes(original)
    room.open_bids()
    assert room.state.screen is not None and room.state.screen["findings"] == screen(folder)["findings"]
    room.open_bids()  # a second look (a console restarted at opening) screens nothing again
    types = [ev.type for ev in room.session.store.events()]
    assert types.count("screen.findings") == 1


def test_a_sentence_shared_on_different_pages(tmp_path: Path) -> None:
    copied = "The crane is placed north of the pump house and the trench is shored with steel sheet piles."
    b2 = crafted_pdf([f"B2 organises the works in three phases. {copied} Then the pipes are laid."],
                     author="b2", created="D:20261101", creator="w2", document_id="uuid:b2")
    b4 = crafted_pdf([f"Our method differs from the others in every respect. {copied} Testing follows."],
                     author="b4", created="D:20261102", creator="w4", document_id="uuid:b4")
    found = screen(package(tmp_path / "pkg", {"B2": b2, "B4": b4}))["findings"]
    blocks = [f for f in found if f["kind"] == "identical_text_block"]
    assert [f["bidders"] for f in blocks] == [["B2", "B4"]] and "crane is placed north" in blocks[0]["evidence"]
    assert "bids/B2/technical.pdf p.1" in blocks[0]["evidence"]
    assert not any(f["kind"] == "identical_page_text" for f in found)
