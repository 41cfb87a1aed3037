"""Issue 18 item 3's criteria page references (评分索引, docs/bid-package.md): each bidder may give, per criterion, the
pages of its documents that answer it; the package refuses by name a reference to an unknown criterion, to a file
that is not the bidder's, or to a page beyond a plain PDF's pages; the room's view carries them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import encbids
from app.domain.errors import CaseError
from app.services.bid_package import load_package
from app.services.evaluation import evaluate_file
from app.services.room import Room
from builtonce import built_once


@pytest.fixture(scope="session")
def referenced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return built_once(tmp_path_factory, "referenced-bids", encbids.referenced)


def _edit(source: Path, target: Path, change: Any) -> Path:
    shutil.copytree(source, target)
    document = json.loads((target / "case.json").read_text(encoding="utf-8"))
    change(document["bidders"])
    (target / "case.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return target


@pytest.mark.parametrize(("change", "where", "what"), [
    (lambda b: b[0]["references"].update({"X9": [{"path": "bids/B1/technical.pdf", "page": 1}]}),
     "bidders.0.references.X9", "unknown criterion"),
    (lambda b: b[0]["references"]["T1"].append({"path": "bids/B2/technical.pdf.evrbid", "page": 1}),
     "bidders.0.references.T1.1.path", "not one of bidder B1's documents"),
    (lambda b: b[0]["references"]["T1"].append({"path": "bids/B1/technical.pdf", "page": 61}),
     "bidders.0.references.T1.1.page", "beyond its 60 pages"),
    (lambda b: b[0]["references"]["T1"].append({"path": "bids/B1/technical.pdf", "page": "7"}),
     "bidders.0.references.T1.1.page", "whole number"),
])
def test_bad_references_refused_by_name(referenced: tuple[Path, dict[str, Any]], tmp_path: Path,
                                        change: Any, where: str, what: str) -> None:
    folder, _ = referenced
    package = _edit(folder / "package", tmp_path / "pkg", change)
    with pytest.raises(CaseError) as caught:
        load_package(package)
    assert where in str(caught.value) and what in str(caught.value)


def test_references_reach_the_view_and_change_no_result(referenced: tuple[Path, dict[str, Any]],
                                                       tmp_path: Path) -> None:
    folder, _ = referenced
    plain = evaluate_file(encbids.DEMO)
    assert evaluate_file(folder / "package", bidder_keys=folder / "keys") == plain
    room = Room(tmp_path / "console", "refs-room", passphrase=b"pw")
    room.start(folder / "package")
    try:
        refs = room.view().references
        assert refs["B1"]["T1"] == [{"path": "bids/B1/technical.pdf", "page": 7, "note": "施工组织设计",
                                     "part": "technical"}]
        assert [r["page"] for r in refs["B2"]["T2"]] == [5, 88] and "B3" not in refs
    finally:
        room.close()
