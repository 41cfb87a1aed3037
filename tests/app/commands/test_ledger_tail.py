"""A ledger whose tail was cut (issue 13, defect 15): the end of every feed dropped leaves valid chains and
signatures, so the cut shows only through a checkpoint signed after it. On a real simulated session: the exact
truncation of the issue (the final checkpoint, session.archived, report.finalized, report.drafted and every
report.signed) is noted, a finalized report without its checkpoint fails, and a checkpoint kept elsewhere
(`--checkpoint FILE`, the signed note taken before the cut) proves the cut (exit 1) or that nothing was cut."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.cli import main
from app.crypto.keys import SigningKey
from app.ledger.checkpoint import sign_checkpoint, verify_checkpoint
from app.services.simulate import simulate

ROOT = Path(__file__).resolve().parents[3]
PASS = b"tail-test"
ISSUE_CUT = {"checkpoint", "session.archived", "report.finalized", "report.drafted"}  # and every report.signed


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("tail")
    simulate(ROOT / "examples" / "procurement-goods-comprehensive.json", base / "sim", passphrase=PASS, kdf_rounds=1000)
    assert main(["ledger", "export", str(base / "sim" / "session.sqlite"), str(base / "feeds")]) == 0
    return base


def _rows(feed: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines() if line.strip()]


def _types(rows: list[dict[str, object]]) -> list[str]:
    return [str(row["event"]["type"]) for row in rows]  # type: ignore[index]


def _write(feed: Path, rows: list[dict[str, object]]) -> None:
    feed.write_text("".join(json.dumps(row, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
                            for row in rows), encoding="utf-8")


def _copy(session: Path, tmp_path: Path) -> Path:
    feeds = tmp_path / "feeds"
    shutil.copytree(session / "feeds", feeds)
    return feeds


def _room_feed(feeds: Path) -> Path:
    return next(feeds.glob("room-*.jsonl"))


def _final_note(feeds: Path) -> str:
    rows = [r for r in _rows(_room_feed(feeds)) if r["event"]["type"] == "checkpoint"]  # type: ignore[index]
    return str(rows[-1]["event"]["body"]["note"])  # type: ignore[index]


def _cut_as_the_issue_says(feeds: Path) -> set[str]:
    """Every feed loses its tail: the room's from report.drafted on, each member's report.signed. Returns the
    types the room feed lost."""
    room = _room_feed(feeds)
    rows = _rows(room)
    start = _types(rows).index("report.drafted")
    cut = set(_types(rows[start:]))
    _write(room, rows[:start])
    signed = 0
    for feed in feeds.glob("*.jsonl"):
        rows = _rows(feed)
        kept = [r for r in rows if r["event"]["type"] != "report.signed"]  # type: ignore[index]
        if len(kept) != len(rows):
            assert _types(rows[len(kept):]) == ["report.signed"] * (len(rows) - len(kept))  # the feed's very end
            signed += len(rows) - len(kept)
            _write(feed, kept)
    assert signed >= 5
    return cut


def _verify(feeds: Path, session: Path, *extra: str) -> int:
    return main(["ledger", "verify", str(feeds), "--room-key", str(session / "sim" / "keys" / "room.pub.pem"), *extra])


def test_the_issues_truncation_is_noted_and_a_kept_checkpoint_proves_it(session: Path, tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    feeds = _copy(session, tmp_path)
    kept = tmp_path / "checkpoint.txt"
    kept.write_text(_final_note(feeds), encoding="utf-8")  # taken before the cut (the center holds the same)
    assert _verify(feeds, session) == 0
    assert capsys.readouterr().err == ""  # whole and archived: every event under the archive checkpoint
    assert _cut_as_the_issue_says(feeds) == ISSUE_CUT
    assert _verify(feeds, session) == 0  # chains and signatures are intact: a live session, as far as it shows
    printed = capsys.readouterr()
    assert printed.out == ""
    assert "events are not covered by any signed checkpoint" in printed.err and "--checkpoint FILE" in printed.err
    assert _verify(feeds, session, "--checkpoint", str(kept)) == 1
    out = capsys.readouterr().out.splitlines()
    size = verify_checkpoint(kept.read_text(encoding="utf-8"),
                             SigningKey.load(session / "sim" / "keys" / "room.p12", PASS).public).size
    assert len(out) == 1 and out[0].startswith(f"checkpoint: the ledger is shorter than the checkpoint given: it signs "
                                               f"{size} events, the ledger's own checkpoints cover ")


def test_a_checkpoint_kept_elsewhere_proves_nothing_was_cut_before_it(session: Path, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    feeds = _copy(session, tmp_path)
    final = tmp_path / "final.txt"
    final.write_text(_final_note(feeds), encoding="utf-8")
    assert _verify(feeds, session, "--checkpoint", str(final)) == 0  # the whole ledger
    notes = [r for r in _rows(_room_feed(feeds)) if r["event"]["type"] == "checkpoint"]  # type: ignore[index]
    early = tmp_path / "early.txt"
    early.write_text(str(notes[1]["event"]["body"]["note"]), encoding="utf-8")  # type: ignore[index]
    _cut_as_the_issue_says(feeds)
    assert _verify(feeds, session, "--checkpoint", str(early)) == 0  # what it covers is all there, unchanged
    assert capsys.readouterr().out == ""


def test_a_checkpoint_of_another_history_or_session_or_key_fails(session: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    feeds = _copy(session, tmp_path)
    room = SigningKey.load(session / "sim" / "keys" / "room.p12", PASS)
    good = verify_checkpoint(_final_note(feeds), room.public)
    cases = {
        "not consistent with the checkpoint given": sign_checkpoint(good.origin, good.size - 3, b"\x01" * 32, room),
        "not of this session": sign_checkpoint(good.origin + "-other", good.size, good.root, room),
        "not signed by the room key": sign_checkpoint(good.origin, good.size, good.root, SigningKey.generate()),
    }
    capsys.readouterr()
    for message, note in cases.items():
        (tmp_path / "given.txt").write_text(note, encoding="utf-8")
        assert _verify(feeds, session, "--checkpoint", str(tmp_path / "given.txt")) == 1, message
        out = capsys.readouterr().out.splitlines()
        assert len(out) == 1 and message in out[0], (message, out)


def test_a_file_that_is_no_checkpoint_is_bad_input(session: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    feeds = _copy(session, tmp_path)
    (tmp_path / "bad.txt").write_text("not a note\n", encoding="utf-8")
    assert _verify(feeds, session, "--checkpoint", str(tmp_path / "bad.txt")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a signed checkpoint note" in err
    assert _verify(feeds, session, "--checkpoint", str(tmp_path / "missing.txt")) == 2
    assert "cannot read the checkpoint" in capsys.readouterr().err


def test_a_finalized_report_without_its_checkpoint_fails(session: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The report's finalization is written with a checkpoint over it: a ledger that ends at report.finalized was
    cut (the state says the report is final), not merely live."""
    feeds = _copy(session, tmp_path)
    room = _room_feed(feeds)
    rows = _rows(room)
    _write(room, rows[:_types(rows).index("report.finalized") + 1])
    assert _verify(feeds, session) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("checkpoint: the report was finalized (event ")
    assert "no signed checkpoint covers it" in out[0]
