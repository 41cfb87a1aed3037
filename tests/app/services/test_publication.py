"""Issue 18 item 5: `evalroom publish ARCHIVE --out DIR`, from a verified archive only: the result notice (PDF and
JSON), each member's performance record (R-CRD-5) and the hand-over package; an archive that does not verify is
refused (exit 1) and nothing is written."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bidkit import package

ROOT = Path(__file__).resolve().parents[3]
PROCUREMENT = ROOT / "examples" / "procurement-goods-comprehensive.json"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "EVALROOM_DEBUG"}
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, encoding="utf-8",
                          env=env, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def bags(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An engineering package with bid files, simulated and archived."""
    from app.services.archive import build_archive
    from app.services.simulate import simulate

    root = tmp_path_factory.mktemp("publish")
    simulate(package(root / "pkg", {}), root / "sim", passphrase=b"pw", kdf_rounds=1000)
    build_archive(root / "sim", root / "bag", b"pw", include_segments=False)
    return {"engineering": root / "bag"}


def test_the_notice_lists_the_candidates_and_the_handover_holds_their_bids(bags: dict[str, Path],
                                                                          tmp_path: Path) -> None:
    done = _run("publish", str(bags["engineering"]), "--out", str(tmp_path / "pub"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads((bags["engineering"] / "data" / "result.json").read_text(encoding="utf-8"))
    notice = json.loads((tmp_path / "pub" / "notice.json").read_text(encoding="utf-8"))
    assert notice["format"] == "evalroom-notice/1" and notice["title"] == "中标候选人公示"
    assert [c["bidder"] for c in notice["candidates"]] == result["candidates"]
    assert [c["order"] for c in notice["candidates"]] == [1, 2, 3]
    assert notice["committee"] is None and notice["period_days"] == 3  # engineering: names not published
    assert notice["rejected"] and all(" / " not in r["reason"] for r in notice["rejected"])
    report = (bags["engineering"] / "data" / "documents" / "report.pdf").read_bytes()
    assert notice["report_sha256"] == hashlib.sha256(report).hexdigest()
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "pub" / "notice.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "中标候选人公示" in text and notice["candidates"][0]["name"] in text and "第五十四条" in text
    with zipfile.ZipFile(tmp_path / "pub" / "handover.zip") as handover:
        names = set(handover.namelist())
        sums = dict(reversed(line.split("  ", 1)) for line in handover.read("SHA256SUMS").decode().splitlines())
        for name in names - {"SHA256SUMS"}:
            assert sums[name] == hashlib.sha256(handover.read(name)).hexdigest()
    assert {"documents/report.pdf", "notice/notice.pdf", "bids/manifest.json"} <= names
    bid_files = {n.split("/")[2] for n in names if n.startswith("bid-files/")}
    assert bid_files == set(result["candidates"])  # the candidates' bids only
    record = json.loads((tmp_path / "pub" / "performance.json").read_text(encoding="utf-8"))
    assert record["format"] == "evalroom-performance/1"
    chair = next(m for m in record["members"] if m["chair"])
    assert chair["checked_in"] and chair["letter_signed"] and chair["submitted"]
    assert chair["report"] == {"act": "signed"} and chair["recused"] is None


def test_a_procurement_notice_names_the_committee(tmp_path: Path) -> None:
    from app.ledger.fold import fold
    from app.ledger.verify import read_feed_dir
    from app.reports import notice
    from app.reports.reproduce import context
    from app.services.simulate import simulate

    simulate(PROCUREMENT, tmp_path / "sim", passphrase=b"pw", kdf_rounds=1000)
    state = fold([ev for ev, _ in read_feed_dir(tmp_path / "sim" / "ledger")[0]])
    content = notice.notice(context(state), None)
    assert content["title"].startswith("评审结果") and content["period_days"] == 1
    assert [m["name"] for m in content["committee"]] == [m.name for m in state.base_case.committee]
    assert content["candidates"][0]["total"] and content["candidates"][0]["order"] == 1
    assert notice.render(context(state), content)[:4] == b"%PDF"


def test_an_archive_that_does_not_verify_is_not_published(bags: dict[str, Path], tmp_path: Path) -> None:
    bag = tmp_path / "bag"
    shutil.copytree(bags["engineering"], bag)
    result = bag / "data" / "result.json"
    result.write_text(result.read_text(encoding="utf-8").replace('"ranked"', '"RANKED"'), encoding="utf-8")
    done = _run("publish", str(bag), "--out", str(tmp_path / "pub"), cwd=tmp_path)
    assert done.returncode == 1 and "does not verify" in done.stderr and "data/result.json" in done.stderr
    assert not (tmp_path / "pub").exists()
    done = _run("publish", str(tmp_path / "nothing"), "--out", str(tmp_path / "pub"), cwd=tmp_path)
    assert done.returncode == 2 and "not a BagIt bag" in done.stderr
