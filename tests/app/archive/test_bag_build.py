"""Building a bag reads every payload file once: hard-linked on the same file system, copied (and hashed in the
same pass) otherwise; the manifests hold the files' real SHA-256 and SHA-512 and open validators accept the bag."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import bagit
import pytest

from app.archive.bag import Payload, write_bag
from app.archive.verify import verify_archive
from app.crypto.keys import SigningKey
from app.services.archive import build_archive

PASS = b"pw"
_opens: list[tuple[str, str]] | None = None  # (path, mode) of every open() while a test records


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _opens is not None and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _opens.append((os.fsdecode(args[0]), str(args[1] or "r")))


sys.addaudithook(_audit)  # an audit hook cannot be removed; it records only while _opens is a list


def _record(fn: Any) -> list[tuple[str, str]]:
    global _opens
    _opens = []
    try:
        fn()
        return _opens
    finally:
        _opens = None


def _segments(folder: Path, count: int = 3) -> dict[str, Path]:
    """Segment-sized files named and placed as the recorder writes them (``segments/cam1/…``) and as the
    archive holds them (``recording/segments/cam1/…``)."""
    (folder / "cam1").mkdir(parents=True, exist_ok=True)
    files = {}
    for i in range(count):
        path = folder / "cam1" / f"cam1-20261126T013000000000Z-{i + 1:06d}.ts"
        path.write_bytes(os.urandom(300_000 + i * 7))
        files[f"recording/segments/cam1/{path.name}"] = path
    return files


def _manifest(bag: Path, algo: str) -> dict[str, str]:
    lines = (bag / f"manifest-{algo}.txt").read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, _, name in (line.partition("  ") for line in lines)}


def _check(bag: Path, files: dict[str, Path], blobs: dict[str, bytes]) -> None:
    for algo in ("sha256", "sha512"):
        listed = _manifest(bag, algo)
        expected = {f"data/{n}": hashlib.new(algo, p.read_bytes()).hexdigest() for n, p in files.items()}
        expected |= {f"data/{n}": hashlib.new(algo, b).hexdigest() for n, b in blobs.items()}
        assert listed == expected, algo
    octets = sum(p.stat().st_size for p in files.values()) + sum(len(b) for b in blobs.values())
    assert f"Payload-Oxum: {octets}.{len(files) + len(blobs)}\n" in (bag / "bag-info.txt").read_text(encoding="utf-8")
    assert bagit.Bag(str(bag)).validate()


def _reads(opens: list[tuple[str, str]], path: Path) -> int:
    return sum(1 for p, mode in opens if Path(p) == path and "r" in mode and "+" not in mode)


def _writes(opens: list[tuple[str, str]], path: Path) -> int:
    return sum(1 for p, mode in opens if Path(p) == path and ("w" in mode or "+" in mode))


@pytest.mark.parametrize("link", [True, False])
def test_each_segment_is_read_once_and_the_manifests_hold_its_digests(link: bool, tmp_path: Path) -> None:
    files = _segments(tmp_path / "session" / "recording" / "segments")
    blobs = {"result.json": b'{"ok": true}\n', "documents/x.pdf": b"%PDF-1.7 stand-in bytes"}
    bag = tmp_path / "bag"
    key = SigningKey.generate()
    opens = _record(lambda: write_bag(bag, Payload(blobs, files), {"Source-Organization": "test"}, key, link=link))
    for name, source in files.items():
        target = bag / "data" / name
        assert target.samefile(source) is link
        if link:  # the shared inode is hashed through the bag's name, the session's file is not opened
            assert (_reads(opens, source), _reads(opens, target), _writes(opens, target)) == (0, 1, 0), name
        else:  # read from the session once, written once, never read back
            assert (_reads(opens, source), _reads(opens, target), _writes(opens, target)) == (1, 0, 1), name
    for name in blobs:  # the bytes made in memory are written and hashed there, not read back
        assert _reads(opens, bag / "data" / name) == 0, name
    _check(bag, files, blobs)


def test_across_file_systems_the_segments_are_copied_in_the_one_pass(tmp_path: Path) -> None:
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("no second file system (/dev/shm) to copy across")
    with tempfile.TemporaryDirectory(dir=shm) as other:
        files = _segments(Path(other) / "recording" / "segments", count=2)
        bag = tmp_path / "bag"
        opens = _record(lambda: write_bag(bag, Payload({}, files), {}, SigningKey.generate()))  # link=True: falls back
        for name, source in files.items():
            target = bag / "data" / name
            assert not target.samefile(source) and target.read_bytes() == source.read_bytes()
            assert (_reads(opens, source), _reads(opens, target)) == (1, 0), name
        _check(bag, files, {})


def test_a_session_archived_with_copied_segments_verifies(dissenting: tuple[Path, Path, dict[str, str]],
                                                         tmp_path: Path) -> None:
    folder, linked, _ = dissenting
    segment = sorted(folder.glob("recording/segments/cam1/*.ts"))[0]
    name = segment.relative_to(folder).as_posix()
    assert (linked / "data" / name).samefile(segment)  # the default: hard-linked
    copy = tmp_path / "copied"
    build_archive(folder, copy, PASS, link_segments=False)
    archived = copy / "data" / name
    assert not archived.samefile(segment) and archived.read_bytes() == segment.read_bytes()
    verdict = verify_archive(copy, room_key=folder / "keys" / "room.pub.pem", trust=[folder / "keys" / "room-ca.pem"])
    assert verdict.problems == []
    cli = subprocess.run([sys.executable, "-m", "bagit", "--validate", str(copy)], capture_output=True, text=True,
                         check=False)
    assert cli.returncode == 0, cli.stderr
