"""The renderer-independent check: the report's printed numbers (PDFium text) against the rule engine."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from app.archive import pades, verify
from app.archive.bag import Payload, read_info, write_bag
from app.archive.textcheck import check_report_text, expected_rows, pages_text
from app.archive.verify import verify_archive
from app.cli import main
from app.crypto.keys import SigningKey
from app.reports.reproduce import Reproduced
from reportforge import forged_final as _forged_final
from reportforge import ledger as _ledger
from reportforge import raise_total


def _raise_total(data: dict[str, Any]) -> None:
    raise_total(data)


def _swap_candidates(data: dict[str, Any]) -> None:
    data["candidates"] = list(reversed(data["candidates"]))


def test_the_archived_reports_print_what_the_rule_engine_computes(
        simulated: tuple[Path, Path], dissenting: tuple[Path, Path, dict[str, str]]) -> None:
    for bag in (simulated[1], dissenting[1]):
        _, state = _ledger(bag)
        docs = bag / "data" / "documents"
        assert check_report_text((docs / "report.pdf").read_bytes(), state, "report.pdf", final=True) == []
        assert check_report_text((docs / "report-draft.pdf").read_bytes(), state, "draft", final=False) == []
    # the rows are really looked for: each bidder's total is inside its expected row and on the page
    _, state = _ledger(simulated[1])
    text = "".join(pages_text((simulated[1] / "data" / "documents" / "report.pdf").read_bytes()))
    for bidder in state.result().to_json()["bidders"]:
        assert bidder["total"] is None or str(bidder["total"]) in expected_rows(state)[bidder["id"]]
        assert bidder["name"] in text


@pytest.mark.parametrize("change, needle", [(_raise_total, "row as the rule engine computes"),
                                            (_swap_candidates, "recommended candidates")])
def test_a_changed_number_in_the_report_is_found(change: Any, needle: str, simulated: tuple[Path, Path]) -> None:
    _, state = _ledger(simulated[1])
    problems = check_report_text(_forged_final(simulated[1], change), state, "report.pdf", final=True)
    assert any(needle in p for p in problems), problems


def test_a_footer_naming_another_checkpoint_is_found(simulated: tuple[Path, Path]) -> None:
    _, state = _ledger(simulated[1])
    forged = _forged_final(simulated[1], lambda data: None, checkpoint="#3 " + "ab" * 32)
    problems = check_report_text(forged, state, "report.pdf", final=True)
    assert any("do not print the ledger checkpoint" in p for p in problems), problems


def test_a_missing_dissent_reason_is_found(dissenting: tuple[Path, Path, dict[str, str]]) -> None:
    bag = dissenting[1]
    _, state = _ledger(bag)
    state.report.dissents = {m: r + "另附说明" for m, r in state.report.dissents.items()}
    problems = check_report_text((bag / "data" / "documents" / "report.pdf").read_bytes(), state, "report.pdf",
                                 final=True)
    assert any("dissent reasons" in p for p in problems), problems


def test_not_a_pdf_is_a_problem_not_a_crash(simulated: tuple[Path, Path]) -> None:
    _, state = _ledger(simulated[1])
    assert check_report_text(b"%PDF-1.4 garbage", state, "report.pdf", final=True)[0].startswith("report: report.pdf")


def _rebag(bag: Path, out: Path, key: SigningKey) -> None:
    """Recompute every manifest and sign the tag manifest with ``key`` (what a forger can do)."""
    data = bag / "data"
    files = {str(p.relative_to(data)): p for p in sorted(data.rglob("*")) if p.is_file()}
    info = {k: v for k, v in read_info(bag).items() if k != "Payload-Oxum"}
    write_bag(out, Payload({}, files), info, key)


def test_a_forged_report_resealed_and_resigned_with_another_key_fails(simulated: tuple[Path, Path], tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    sim, bag = simulated
    work = Path(shutil.copytree(bag, tmp_path / "work"))
    other_ca, other_p12 = pades.ensure_room_certificate(tmp_path / "other", b"x", "forger", rounds=1000)
    forged = pades.sign_pdf(_forged_final(bag, _raise_total), other_p12, b"x", "评标室 forger")
    (work / "data" / "documents" / "report.pdf").write_bytes(forged)
    other = SigningKey.generate()
    (work / "data" / "keys" / "room.pub.pem").write_bytes(other.public.to_pem())
    (work / "data" / "keys" / "room-ca.pem").write_bytes(other_ca.read_bytes())
    _rebag(work, tmp_path / "forged", other)
    # trusting the copies inside the bag: the ledger is not the forger's key's
    assert main(["verify", str(tmp_path / "forged"), "--no-rerender"]) == 1
    assert "ledger: room key" in capsys.readouterr().out
    # pinned: the bag signature, the seal, the ledger's hash and the printed numbers all fail
    code = main(["verify", str(tmp_path / "forged"), "--no-rerender", "--room-key", str(sim / "keys" / "room.pub.pem"),
                 "--trust", str(sim / "keys" / "room-ca.pem")])
    out = capsys.readouterr().out
    assert code == 1
    for needle in ("bag: tagmanifest-sha512.txt.sig", "pdf:", "not the final report the ledger recorded",
                   "row as the rule engine computes"):
        assert needle in out, (needle, out)


def test_different_rerendered_bytes_alone_are_a_warning(simulated: tuple[Path, Path], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Another reportlab version renders other bytes for the same text: a warning when the text check passes."""
    sim, bag = simulated
    real = verify.reproduce

    def other_renderer(*args: Any, **kwargs: Any) -> Reproduced:
        again = real(*args, **kwargs)
        assert again.draft is not None and again.final is not None
        return Reproduced(again.draft + b"\n% other producer\n", again.final + b"\n% other producer\n", again.state)

    monkeypatch.setattr(verify, "reproduce", other_renderer)
    verdict = verify_archive(bag, room_key=sim / "keys" / "room.pub.pem", trust=[sim / "keys" / "room-ca.pem"])
    assert verdict.problems == []
    assert any("possibly another reportlab version" in w for w in verdict.warnings)
    # the same bytes difference with a forged printed number is a failure, listed with the text problem
    work = Path(shutil.copytree(bag, tmp_path / "work"))
    _, p12 = pades.ensure_room_certificate(sim / "keys", b"pw", "demo-room")
    forged = pades.sign_pdf(_forged_final(bag, _raise_total), p12, b"pw", "x")
    (work / "data" / "documents" / "report.pdf").write_bytes(forged)
    verdict = verify_archive(work, room_key=sim / "keys" / "room.pub.pem", trust=[sim / "keys" / "room-ca.pem"])
    assert any("differs from the one recomputed" in p for p in verdict.problems)
    assert any("row as the rule engine computes" in p for p in verdict.problems)
    assert not verdict.warnings


def test_a_table_broken_across_pages_is_read_without_the_page_frame() -> None:
    from app.archive.textcheck import AFTER_RANKING, _table_text

    frame = ["项目（P-1）标段（包）01一标段评标报告"]
    footer = "账本检查点#12" + "ab" * 32 + "第3页共5页"
    text = "名次投标人名称1甲公司" + footer + frame[0] + "名次投标人名称2乙公司评标结论：排序完成"
    assert _table_text(text, "名次投标人名称", AFTER_RANKING, frame) == "1甲公司2乙公司"
    forged = "名次投标人名称1甲公司2乙公司3丙公司评标结论："
    assert _table_text(forged, "名次投标人名称", AFTER_RANKING, frame) == "1甲公司2乙公司3丙公司"  # != the ranking
    assert _table_text("无排序", "名次投标人名称", AFTER_RANKING, frame) is None
