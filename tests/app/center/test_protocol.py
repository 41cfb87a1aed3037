"""The wire contract without a server: request signatures, receipts, BagIt listing checks, blob stores, CLI errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import centerkit as ck
from app.center import protocol
from app.center.storage.blobs import BlobError, LocalBlobs, open_blobs
from app.crypto.keys import SigningKey


def test_request_signature_covers_method_target_body_time_and_nonce() -> None:
    key = SigningKey.generate()
    headers = protocol.sign_request(key, "room-a", "POST", "/v1/x?y=1", b"body", now=1_700_000_000, nonce="ab" * 16)
    sig = __import__("base64").b64decode(headers[protocol.H_SIG])
    message = protocol.request_message("POST", "/v1/x?y=1", b"body", "1700000000", "ab" * 16)
    assert key.public.verify(sig, message)
    for changed in (("GET", "/v1/x?y=1", b"body"), ("POST", "/v1/x?y=2", b"body"), ("POST", "/v1/x?y=1", b"bodY")):
        assert not key.public.verify(sig, protocol.request_message(*changed, "1700000000", "ab" * 16))
    assert not key.public.verify(sig, protocol.request_message("POST", "/v1/x?y=1", b"body", "1700000001", "ab" * 16))


def test_receipts_verify_only_with_the_center_key_and_unchanged() -> None:
    center, other = SigningKey.generate(), SigningKey.generate()
    receipt = protocol.sign_receipt(center, {"kind": "archive", "archive": "a" * 64, "time": 1})
    assert protocol.receipt_valid(receipt, center.public)
    assert not protocol.receipt_valid(receipt, other.public)
    forged = {**receipt, "receipt": {**receipt["receipt"], "archive": "b" * 64}}
    assert not protocol.receipt_valid(forged, center.public)
    assert not protocol.receipt_valid({"nonsense": 1}, center.public)


def test_bag_listing_checks(tmp_path: Path) -> None:
    bag = ck.make_bag(tmp_path / "bag", {"a.txt": b"alpha", "sub/b 100%.txt": b"beta"})
    files = {f["path"]: f["sha256"] for f in protocol.bag_files(bag)}
    read = lambda name: (bag / name).read_text(encoding="utf-8")  # noqa: E731
    assert protocol.check_bag_listing(files, read) == []
    assert protocol.archive_id(bag) == hashlib.sha256((bag / "tagmanifest-sha256.txt").read_bytes()).hexdigest()
    extra = dict(files, **{"data/extra.txt": "0" * 64})
    assert protocol.check_bag_listing(extra, read) == [
        "bag: payload file data/extra.txt is not listed in manifest-sha256.txt"]
    missing = {k: v for k, v in files.items() if k != "data/a.txt"}
    assert ("bag: payload file data/a.txt listed in manifest-sha256.txt is missing"
            in protocol.check_bag_listing(missing, read))
    changed = dict(files, **{"data/a.txt": "0" * 64})
    assert protocol.check_bag_listing(changed, read) == [
        "bag: payload file data/a.txt does not match manifest-sha256.txt (sha256 differs)"]
    assert protocol.check_bag_listing({"bagit.txt": "x"}, read)[0] == "bag: manifest-sha256.txt is missing"
    with pytest.raises(ValueError):
        protocol.archive_id(tmp_path)


def test_local_blobs(tmp_path: Path) -> None:
    blobs = open_blobs(str(tmp_path / "b"))
    assert isinstance(blobs, LocalBlobs) and isinstance(open_blobs(f"file://{tmp_path / 'c'}"), LocalBlobs)
    blobs.put("x/y/z.bin", b"123")
    assert blobs.get("x/y/z.bin") == b"123" and blobs.exists("x/y/z.bin") and list(blobs.keys("x")) == ["x/y/z.bin"]
    blobs.delete_prefix("x")
    assert not blobs.exists("x/y/z.bin")
    for bad in ("../escape", "/abs", "a//b", ""):
        with pytest.raises(BlobError):
            blobs.put(bad, b"")
    with pytest.raises(BlobError):
        open_blobs("ftp://nope")


def test_cli_usage_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    done = ck.run_cli("sync", "push", str(tmp_path), "--center", "http://127.0.0.1:9")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "no session.sqlite" in done.stderr
    done = ck.run_cli("center", "enroll", "--data", str(tmp_path / "c"), "--room", "r", "--public-key",
                      str(tmp_path / "nope.pem"))
    assert done.returncode == 2 and "--public-key" in done.stderr
    done = ck.run_cli("center", "serve", "--data", str(tmp_path / "c"), "--tls-cert", "x.pem")
    assert done.returncode == 2 and "go together" in done.stderr


def test_a_bag_holding_a_link_is_not_listed_for_upload(tmp_path: Path) -> None:
    """A payload replaced by a link to an identical file outside the bag would be sent, and the center's receipt
    vouch for it; bagit's validator refuses such a bag, and so does the upload."""
    bag = ck.make_bag(tmp_path / "bag", {"a.txt": b"alpha"})
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"alpha")
    (bag / "data" / "a.txt").unlink()
    (bag / "data" / "a.txt").symlink_to(outside)
    with pytest.raises(ValueError, match=r"symbolic links \(data/a.txt\)"):
        protocol.bag_files(bag)
