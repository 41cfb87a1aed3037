"""An archive file's SHA-256 taken as its chunks arrive at the center (app/center/arrivals.py), and the fixity
check that takes such digests instead of reading the files again."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import centerkit as ck
from app.archive.bag import check_fixity
from app.center.arrivals import Arrivals


def test_a_files_sha256_is_carried_on_as_its_chunks_arrive_and_the_whole_file_is_synced(tmp_path: Path) -> None:
    size, data = 1000, os.urandom(2500)  # three chunks: 1000, 1000, 500
    path = tmp_path / "segment.ts"
    path.write_bytes(data)
    one = tmp_path / "small.txt"
    one.write_bytes(b"small")
    arrivals = Arrivals()
    try:
        digest = [hashlib.sha256(data[n * size:(n + 1) * size]).hexdigest() for n in range(3)]
        arrivals.stored("A", 0, path, len(data), size, 1, digest[1])  # out of order: waits for chunk 0
        assert arrivals.settle("A") == ({}, set())
        running = hashlib.sha256(data[:size])  # the receiver's hash of chunk 0: the file's hash goes on from it
        arrivals.stored("A", 0, path, len(data), size, 0, digest[0], running)
        arrivals.stored("A", 1, one, 5, size, 0, hashlib.sha256(b"small").hexdigest())
        assert arrivals.settle("A") == ({1: hashlib.sha256(b"small").hexdigest()}, {1})  # whole: known and synced
        arrivals.stored("A", 0, path, len(data), size, 2, digest[2])
        known, synced = arrivals.settle("A")
        assert known == {0: hashlib.sha256(data).hexdigest(), 1: hashlib.sha256(b"small").hexdigest()}
        assert synced == {0, 1}
        arrivals.forget("A")
        assert arrivals.settle("A") == ({}, set())  # another process, or after a restart: nothing known
    finally:
        arrivals.close()


def test_fixity_takes_digests_known_from_the_upload_without_reading_those_files(tmp_path: Path) -> None:
    bag = ck.make_bag(tmp_path / "bag", {"a.bin": b"alpha", "b.txt": b"beta"})  # SHA-256 manifests only
    before, digests = check_fixity(bag)
    right = {"data/a.bin": hashlib.sha256(b"alpha").hexdigest()}
    assert digests == {**right, "data/b.txt": hashlib.sha256(b"beta").hexdigest()}
    altered = "bag: data/a.bin: checksum differs from the manifest (altered)"
    assert altered not in before
    (bag / "data" / "a.bin").write_bytes(b"ALPHA")  # not read again: the digest of what was received stands
    assert check_fixity(bag, known=right)[0] == before
    assert check_fixity(bag)[0] == [*before, altered]
    (bag / "data" / "a.bin").write_bytes(b"alpha")
    wrong = {"data/a.bin": hashlib.sha256(b"other").hexdigest()}
    assert check_fixity(bag, known=wrong)[0] == [*before, altered]
    assert check_fixity(bag, full=True, known=wrong)[1]["data/a.bin"] == right["data/a.bin"]  # full: all read
