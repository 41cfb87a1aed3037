"""Links in a bag (issue 13, defect 17): a payload or folder replaced by a symbolic link to identical bytes kept
outside the bag is refused by our verifier, naming the path, as bagit-python's validator refuses it; a hard link is
the bag's own directory entry (the builder hard-links segments) and verifies."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.archive.verify import verify_archive

REPORT = "data/documents/report.pdf"


def _copy(bag: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "bag"
    shutil.copytree(bag, copy, symlinks=True)
    return copy


def _verify(bag: Path, sim: Path) -> list[str]:
    return verify_archive(bag, room_key=sim / "keys" / "room.pub.pem", trust=[sim / "keys" / "room-ca.pem"],
                          rerender=False).problems


def _bagit_validates(bag: Path) -> bool:
    run = subprocess.run([sys.executable, "-m", "bagit", "--validate", str(bag)], capture_output=True, text=True,
                         timeout=120)
    return run.returncode == 0


def test_a_payload_replaced_by_a_symlink_to_identical_bytes_outside_is_refused(simulated: tuple[Path, Path],
                                                                               tmp_path: Path) -> None:
    sim, bag = simulated
    copy = _copy(bag, tmp_path)
    outside = tmp_path / "elsewhere" / "report.pdf"
    outside.parent.mkdir()
    shutil.copyfile(copy / REPORT, outside)
    (copy / REPORT).unlink()
    (copy / REPORT).symlink_to(outside)
    problems = _verify(copy, sim)
    assert f"bag: {REPORT} is a symbolic link: links are refused, a bag must hold its own files" in problems
    assert not any("checksum" in p or "listed but missing" in p for p in problems)  # the link is named once, never read
    assert not _bagit_validates(copy)  # the Library of Congress validator agrees


def test_a_folder_replaced_by_a_symlink_is_refused_and_not_followed(simulated: tuple[Path, Path],
                                                                      tmp_path: Path) -> None:
    sim, bag = simulated
    copy = _copy(bag, tmp_path)
    outside = tmp_path / "documents-elsewhere"
    shutil.move(copy / "data" / "documents", outside)
    (copy / "data" / "documents").symlink_to(outside, target_is_directory=True)
    problems = _verify(copy, sim)
    assert "bag: data/documents is a symbolic link: links are refused, a bag must hold its own files" in problems
    assert not _bagit_validates(copy)


def test_a_symlink_to_a_file_inside_the_bag_is_refused_too(simulated: tuple[Path, Path], tmp_path: Path) -> None:
    """Stricter than bagit-python, which only refuses links that lead out of the bag: a bag holds its own files."""
    sim, bag = simulated
    copy = _copy(bag, tmp_path)
    inside = copy / "data" / "documents" / "report-copy.bin"
    shutil.copyfile(copy / REPORT, inside)
    (copy / REPORT).unlink()
    (copy / REPORT).symlink_to(os.path.relpath(inside, (copy / REPORT).parent))
    problems = _verify(copy, sim)
    assert f"bag: {REPORT} is a symbolic link: links are refused, a bag must hold its own files" in problems


def test_a_hard_linked_payload_is_the_bags_own_file_and_verifies(simulated: tuple[Path, Path], tmp_path: Path) -> None:
    sim, bag = simulated
    copy = _copy(bag, tmp_path)
    try:
        os.link(copy / REPORT, tmp_path / "other-name.pdf")
    except OSError:
        pytest.skip("no hard links on this file system")
    assert _verify(copy, sim) == []
    with (tmp_path / "other-name.pdf").open("r+b") as handle:  # altered through the other name: the bag changed
        handle.seek(2000)
        byte = handle.read(1)
        handle.seek(2000)
        handle.write(bytes([byte[0] ^ 1]))
    assert f"bag: {REPORT}: checksum differs from the manifest (altered)" in _verify(copy, sim)
