"""Random mutations across a whole bag (flip, truncate, delete, add a file, reorder or drop events with the
bag re-signed by the real room key, any change re-signed by another key): every one is detected."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from app.archive.bag import Payload, read_info, write_bag
from app.archive.verify import ArchiveInputError, verify_archive
from app.crypto.keys import SigningKey

KINDS = ("flip", "truncate", "delete", "add", "reorder events", "drop event", "resign with another key")
COUNT = 210


def _files(bag: Path) -> list[Path]:
    return sorted(p for p in bag.rglob("*") if p.is_file())


def _rebag(bag: Path, key: SigningKey) -> None:
    """Recompute every manifest over the (changed) payload and sign with ``key``: what a forger holding
    that key can do. Only the ledger's own signatures and checkpoints can then tell."""
    data = bag / "data"
    files = {str(p.relative_to(data)): p for p in sorted(data.rglob("*")) if p.is_file()}
    info = {k: v for k, v in read_info(bag).items() if k != "Payload-Oxum"}
    fresh = bag.with_name(bag.name + "-re")
    write_bag(fresh, Payload({}, files), info, key)
    shutil.rmtree(bag)
    fresh.rename(bag)


def _mutate(bag: Path, kind: str, rng: random.Random, room: SigningKey) -> str:
    files = _files(bag)
    if kind in ("flip", "truncate"):
        target = rng.choice([f for f in files if f.stat().st_size > 1])
        data = bytearray(target.read_bytes())
        if kind == "flip":
            at = rng.randrange(len(data))
            data[at] ^= 1 << rng.randrange(8)
        else:
            data = data[: rng.randrange(len(data))]
        target.write_bytes(bytes(data))
        return f"{kind} {target.relative_to(bag)}"
    if kind == "delete":
        target = rng.choice(files)
        target.unlink()
        return f"delete {target.relative_to(bag)}"
    if kind == "add":
        folder = rng.choice([bag, *sorted(p for p in bag.rglob("*") if p.is_dir())])
        (folder / f"extra-{rng.randrange(10**6)}.txt").write_bytes(rng.randbytes(rng.randrange(1, 64)))
        return f"add a file in {folder.relative_to(bag)}"
    feeds = sorted((bag / "data" / "ledger").glob("*.jsonl"))
    feed = rng.choice([f for f in feeds if len(f.read_text(encoding="utf-8").splitlines()) >= 2])
    lines = feed.read_text(encoding="utf-8").splitlines()
    if kind == "reorder events":
        i, j = rng.sample(range(len(lines)), 2)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "drop event":
        del lines[rng.randrange(len(lines))]
    else:  # any payload change, re-signed with a key that is not the room's
        lines[rng.randrange(len(lines))] = lines[rng.randrange(len(lines))]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _rebag(bag, SigningKey.generate() if kind == "resign with another key" else room)
    return f"{kind} in {feed.name}"


@pytest.mark.slow
def test_every_random_mutation_is_detected(dissenting: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    folder, bag, _ = dissenting
    room = SigningKey.load(folder / "keys" / "room.p12", b"pw")
    rng = random.Random(20261126)
    missed, seen = [], dict.fromkeys(KINDS, 0)
    for n in range(COUNT):
        kind = KINDS[n % len(KINDS)]
        copy = Path(shutil.copytree(bag, tmp_path / f"m{n}"))
        what = _mutate(copy, kind, rng, room)
        try:
            verdict = verify_archive(copy, room_key=folder / "keys" / "room.pub.pem",
                                     trust=[folder / "keys" / "room-ca.pem"], rerender=False)
            detected = not verdict.ok
        except ArchiveInputError:  # bagit.txt deleted: refused as not a bag at all (exit 2)
            detected = True
        seen[kind] += 1
        if not detected:
            missed.append(what)
        shutil.rmtree(copy)
    assert missed == [], f"{len(missed)} of {COUNT} mutations not detected: {missed[:10]}"
    assert min(seen.values()) >= COUNT // len(KINDS)
