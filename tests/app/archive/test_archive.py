"""The signed report and the BagIt archive: open validators accept them, and every tampering is caught."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

import reportforge
from app.archive import pades
from app.archive.retention import RetentionError, delete_archive
from app.archive.verify import verify_archive
from app.cli import main

DOCS = ("report.pdf", "report-draft.pdf", "opening-record.pdf", "commitment-letters.pdf", "score-sheets.pdf",
        "summary.pdf")


def _copy(bag: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(bag, tmp_path / "bag"))


def test_the_archive_verifies_and_open_validators_accept_it(simulated: tuple[Path, Path]) -> None:
    import bagit

    sim, bag = simulated
    verdict = verify_archive(bag, room_key=sim / "keys" / "room.pub.pem", trust=[sim / "keys" / "room-ca.pem"])
    assert verdict.problems == [] and verdict.events > 0
    checked = bagit.Bag(str(bag))
    assert checked.version_info == (1, 0) and checked.validate()
    assert {p.name for p in (bag / "data" / "documents").iterdir()} == set(DOCS)
    info = (bag / "bag-info.txt").read_text(encoding="utf-8")
    for field in ("Project-Code", "Lot", "Session", "Room", "Profile", "Retention-Until"):
        assert f"\n{field}: " in info


def test_pyhanko_validates_the_room_seal_against_the_pinned_root_only(simulated: tuple[Path, Path],
                                                                      tmp_path: Path) -> None:
    sim, bag = simulated
    sealed = (bag / "data" / "documents" / "report.pdf").read_bytes()
    assert pades.validate(sealed, [(sim / "keys" / "room-ca.pem").read_bytes()]) == []
    other, _ = pades.ensure_room_certificate(tmp_path, b"x", "other-room", rounds=1000)
    assert any("trust root" in p for p in pades.validate(sealed, [other.read_bytes()]))


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed (CI has it)")
def test_pdffonts_every_font_is_embedded(simulated: tuple[Path, Path]) -> None:
    for name in DOCS:
        out = subprocess.run(["pdffonts", str(simulated[1] / "data" / "documents" / name)], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
        assert out, name
        for line in out:
            columns = line.split()
            assert columns[-5:-2] == ["yes", "yes", "yes"], (name, line)  # emb sub uni
        # titles in the Hei face, the body in the Song face (AR PL SungtiL GB's PostScript name)
        faces = " ".join(out)
        assert "WenQuanYiMicroHei" in faces and "BousungEG-Light-GB" in faces, (name, faces)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed (CI has it)")
def test_pdftoppm_renders_every_document(simulated: tuple[Path, Path], tmp_path: Path) -> None:
    for name in DOCS:
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(simulated[1] / "data" / "documents" / name),
                        str(tmp_path / name)],
                       check=True, capture_output=True)
        pages = list(tmp_path.glob(f"{name}*.png"))
        assert pages and all(p.stat().st_size > 1000 for p in pages), name


def test_dissent_and_refusal_are_printed_and_the_archive_verifies(
        dissenting: tuple[Path, Path, dict[str, str]]) -> None:
    folder, bag, _ = dissenting
    verdict = verify_archive(bag, room_key=folder / "keys" / "room.pub.pem", trust=[folder / "keys" / "room-ca.pem"])
    assert verdict.problems == []
    # every segment the recorder wrote, in its layout, with its SHA-256 (issue 13, defect 13)
    written = sorted(p.relative_to(folder).as_posix() for p in folder.glob("recording/segments/*/*.ts"))
    archived = sorted(p.relative_to(bag / "data").as_posix() for p in bag.glob("data/recording/segments/*/*.ts"))
    assert written == archived and {p.split("/")[2] for p in written} == {"cam1", "门口"}
    for name in written:
        assert verdict.sha256[f"data/{name}"] == hashlib.sha256((folder / name).read_bytes()).hexdigest()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    text = subprocess.run(["pdftotext", str(bag / "data" / "documents" / "report.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "未响应第3.2条" in text and "有不同意见" in text
    assert "拒绝签字且未说明理由，视为同意" in text and "R-SIG-3" in text


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _flip_to(path: Path, offset: int, value: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] = value
    path.write_bytes(bytes(data))


def _cut(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def _a_segment(bag: Path) -> Path:
    return sorted((bag / "data" / "recording" / "segments" / "门口").glob("*.ts"))[0]


def _tamper_ledger_line(bag: Path) -> None:
    feed = next((bag / "data" / "ledger").glob("E*.jsonl"))
    lines = feed.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[-1])
    record["event"]["body"]["sha256"] = "0" * 64  # the last act of a member: its report signature
    lines[-1] = json.dumps(record, ensure_ascii=False)
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _forge_printed_total(bag: Path) -> None:
    """A changed total in the report's text, resealed with another room's certificate."""
    _, p12 = pades.ensure_room_certificate(bag.parent / "forger", b"x", "forger", rounds=1000)
    forged = reportforge.forged_final(bag, reportforge.raise_total)
    (bag / "data" / "documents" / "report.pdf").write_bytes(pades.sign_pdf(forged, p12, b"x", "评标室 forger"))


TAMPERS = {
    "printed number": _forge_printed_total,
    "pdf byte": lambda bag: _flip(bag / "data" / "documents" / "report.pdf", 2000),
    "ledger line": _tamper_ledger_line,
    "recording": lambda bag: _flip(_a_segment(bag), 100),
    "segment removed": lambda bag: _a_segment(bag).unlink(),
    "added file": lambda bag: (bag / "data" / "extra.txt").write_text("x"),
    "tag manifest cut short": lambda bag: _cut(bag / "tagmanifest-sha256.txt"),
    "manifest not UTF-8": lambda bag: _flip_to(bag / "manifest-sha256.txt", 70, 0xFF),
    "bag-info not UTF-8": lambda bag: _flip_to(bag / "bag-info.txt", 3, 0xFF),
    "removed file": lambda bag: (bag / "data" / "documents" / "summary.pdf").unlink(),
    "bag-info": lambda bag: (bag / "bag-info.txt").write_text((bag / "bag-info.txt").read_text(encoding="utf-8")
                                                              .replace("Retention-Until: 20", "Retention-Until: 19"),
                                                              encoding="utf-8"),
}


@pytest.mark.parametrize("kind", list(TAMPERS))
def test_any_tampering_is_detected(kind: str, dissenting: tuple[Path, Path, dict[str, str]], tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    folder, bag, _ = dissenting
    copy = _copy(bag, tmp_path)
    TAMPERS[kind](copy)
    code = main(["verify", str(copy), "--room-key", str(folder / "keys" / "room.pub.pem"), "--trust",
                 str(folder / "keys" / "room-ca.pem"), "--no-rerender"])
    out = capsys.readouterr().out
    assert code == 1 and out.strip(), kind


def test_a_resealed_bag_with_an_altered_ledger_still_fails(dissenting: tuple[Path, Path, dict[str, str]],
                                                           tmp_path: Path) -> None:
    """Even with every manifest recomputed (bagit's validator then passes), the signatures catch it."""
    import bagit

    folder, bag, _ = dissenting
    copy = _copy(bag, tmp_path)
    _tamper_ledger_line(copy)
    rebag = bagit.Bag(str(copy))
    rebag.save(manifests=True)
    problems = verify_archive(copy, room_key=folder / "keys" / "room.pub.pem", trust=[folder / "keys" / "room-ca.pem"],
                              rerender=False).problems
    assert any(p.startswith("bag: tagmanifest-sha512.txt.sig") for p in problems)
    assert any(p.startswith("ledger:") for p in problems)


def test_deletion_before_retention_is_refused_and_later_logged(simulated: tuple[Path, Path], tmp_path: Path) -> None:
    copy = _copy(simulated[1], tmp_path)
    with pytest.raises(RetentionError, match="retained until"):
        delete_archive(copy, "clean-up")
    assert copy.is_dir()
    info = (copy / "bag-info.txt").read_text(encoding="utf-8").splitlines()
    until = dt.date.fromisoformat(next(line.split(": ")[1] for line in info if line.startswith("Retention-Until")))
    assert until.year - dt.date.today().year >= 14
    log = delete_archive(copy, "期满销毁", today=until + dt.timedelta(days=1))
    assert not copy.exists()
    assert json.loads(log.read_text(encoding="utf-8").splitlines()[-1])["reason"] == "期满销毁"


def test_cli_build_refuses_a_session_whose_report_is_not_final(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    import ledgerkit

    folder = tmp_path / "s"
    folder.mkdir()
    kit = ledgerkit.played(folder)
    (folder / "keys").mkdir()
    kit.room.save(folder / "keys" / "room.p12", b"pw", rounds=1000)
    kit.session.close()
    (tmp_path / "pw").write_text("pw")
    code = main(["archive", "build", str(folder), "--out", str(tmp_path / "bag"), "--passphrase-file",
                 str(tmp_path / "pw")])
    assert code == 1 and "not final" in capsys.readouterr().err


def test_cli_verify_exits_0_on_the_archive_and_2_on_a_non_bag(simulated: tuple[Path, Path], tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    sim, bag = simulated
    assert main(["verify", str(bag), "--trust", str(sim / "keys" / "room-ca.pem"), "--no-rerender"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["verify", str(tmp_path)]) == 2
    assert "not a BagIt bag" in capsys.readouterr().err


def test_a_commitment_letter_carries_its_handwritten_signature_image(simulated: tuple[Path, Path]) -> None:
    import hashlib

    from app.reports import letters
    from app.reports.reproduce import context
    from app.services.report import demo_signature
    from app.store.ledger_store import LedgerStore

    with LedgerStore.open(simulated[0] / "session.sqlite") as store:
        state = store.state
    png = demo_signature("王建国")
    signer = next(iter(state.letters))
    state.letters[signer]["image_sha256"] = hashlib.sha256(png).hexdigest()
    with_image = letters.render(context(state, {hashlib.sha256(png).hexdigest(): png}))
    without = letters.render(context(state))
    assert with_image is not None and without is not None
    assert b"/Subtype /Image" in with_image and b"/Subtype /Image" not in without  # the image (and its alpha mask)
    assert "图像未随账本提供".encode("utf-16-be") not in with_image


def test_a_terminated_session_is_archived_without_a_report(tmp_path: Path) -> None:
    import ledgerkit
    from app.services.archive import build_archive

    folder = tmp_path / "s"
    folder.mkdir()
    kit = ledgerkit.start(folder)
    kit.session.terminate(kit.supervisor, "投标人串通投标，依法终止评标")
    kit.session.archive()
    (folder / "keys").mkdir()
    kit.room.save(folder / "keys" / "room.p12", b"pw", rounds=1000)
    kit.session.close()
    build_archive(folder, tmp_path / "bag", b"pw")
    verdict = verify_archive(tmp_path / "bag", room_key=folder / "keys" / "room.pub.pem")
    assert verdict.problems == [] and any("terminated" in n for n in verdict.notes)
    assert not (tmp_path / "bag" / "data" / "documents" / "report.pdf").exists()


def test_cli_delete_before_retention_is_refused(simulated: tuple[Path, Path], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    copy = _copy(simulated[1], tmp_path)
    assert main(["archive", "delete", str(copy), "--reason", "腾空间"]) == 1
    assert "deletion refused" in capsys.readouterr().out and copy.is_dir()


def test_cli_build_takes_the_retention_of_the_settings(simulated: tuple[Path, Path], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from app import settings

    monkeypatch.delenv("EVALROOM_RETENTION_YEARS", raising=False)
    conf = tmp_path / "settings.toml"
    conf.write_text("version = 1\nretention_years = 30\n", encoding="utf-8")
    secret = tmp_path / "pass"
    secret.write_bytes(b"pw")
    try:
        assert main(["--settings", str(conf), "archive", "build", str(simulated[0]), "--out", str(tmp_path / "bag"),
                     "--passphrase-file", str(secret)]) == 0
    finally:
        settings.select(None)
    info = (tmp_path / "bag" / "bag-info.txt").read_text(encoding="utf-8")
    assert "Retention-Years: 30" in info
    conf.write_text("version = 1\nretention_years = 10\n", encoding="utf-8")  # below the legal minimum: refused
    try:
        assert main(["--settings", str(conf), "archive", "build", str(simulated[0]), "--out", str(tmp_path / "bag2"),
                     "--passphrase-file", str(secret)]) == 2
    finally:
        settings.select(None)
    assert not (tmp_path / "bag2").exists()


def test_a_bag_signed_without_its_segments_fails_verification(
        dissenting: tuple[Path, Path, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bag made and signed by the room itself that holds the manifest but not the video, and does not say
    it was built with --no-segments (what `archive build` made of a console session before): exit 1, every
    missing segment named (issue 13, defect 13)."""
    from app.archive.bag import Payload, read_info, write_bag
    from app.crypto.keys import SigningKey

    folder, bag, _ = dissenting
    data = bag / "data"
    blobs = {p.relative_to(data).as_posix(): p.read_bytes() for p in data.rglob("*")
             if p.is_file() and not p.relative_to(data).as_posix().startswith("recording/segments/")}
    info = {k: v for k, v in read_info(bag).items() if k not in ("Payload-Oxum", "Recording-Segments")}
    room = SigningKey.load(folder / "keys" / "room.p12", b"pw")
    write_bag(tmp_path / "bag", Payload(blobs, {}), info, room)
    code = main(["verify", str(tmp_path / "bag"), "--room-key", str(folder / "keys" / "room.pub.pem"), "--trust",
                 str(folder / "keys" / "room-ca.pem"), "--no-rerender"])
    out = capsys.readouterr().out.splitlines()
    segments = json.loads((data / "recording" / "manifest.json").read_text(encoding="utf-8"))
    assert code == 1
    assert sorted(out) == sorted(f"recording: {item['file']} (event {item['event'][:8]}) is not in the archive"
                                 for item in segments)


def test_no_segments_is_explicit_and_verify_knows_it(dissenting: tuple[Path, Path, dict[str, str]], tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from app.archive.bag import read_info

    folder, _, _ = dissenting
    session = tmp_path / "session"
    shutil.copytree(folder, session)
    passphrase = tmp_path / "pass"
    passphrase.write_text("pw")
    assert main(["archive", "build", str(session), "--out", str(tmp_path / "bag"), "--no-segments",
                 "--passphrase-file", str(passphrase)]) == 0
    assert read_info(tmp_path / "bag")["Recording-Segments"] == "omitted"
    assert not (tmp_path / "bag" / "data" / "recording" / "segments").exists()
    capsys.readouterr()
    assert main(["verify", str(tmp_path / "bag"), "--room-key", str(folder / "keys" / "room.pub.pem"), "--trust",
                 str(folder / "keys" / "room-ca.pem"), "--no-rerender"]) == 0
    assert "built with --no-segments" in capsys.readouterr().err
    # without --no-segments a segment that is gone from the session folder stops the build, named
    lost = sorted((session / "recording" / "segments" / "cam1").glob("*.ts"))[0]
    lost.unlink()
    assert main(["archive", "build", str(session), "--out", str(tmp_path / "bag2"),
                 "--passphrase-file", str(passphrase)]) == 1
    printed = capsys.readouterr()
    assert printed.out.splitlines() == [f"recording: segments/cam1/{lost.name} (event "
                                        f"{_event_of(session, lost)[:8]}) is missing from {session / 'recording'}"]
    assert "--no-segments" in printed.err and not (tmp_path / "bag2" / "bagit.txt").exists()


def _event_of(session: Path, segment: Path) -> str:
    from app.store.ledger_store import LedgerStore

    with LedgerStore.open(session / "session.sqlite") as store:
        return next(str(item["event"]) for item in store.state.recordings if item["file"].endswith(segment.name))
