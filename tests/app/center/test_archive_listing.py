"""The archive listing is checked whole at begin, through the real HTTP API of a `center serve` process (issue 13,
defect 16): every name a Windows room PC can write and nothing else, SHA-256 as 64 lowercase hex, a bounded file
count; a refusal is a 400 naming the offending entry, never a 500 or a 507 at chunk time. The bag builder never
writes a name the center refuses."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import centerkit as ck
from app.archive.bag import BagError, Payload, write_bag
from app.archive.names import MAX_PATH_CHARS, path_problem, portable_stem
from app.center import protocol
from app.crypto.keys import SigningKey
from app.sync.client import CenterClient, CenterRefused

ENV = {"EVALROOM_CENTER_PASSPHRASE": "listing-test-center"}
ARCHIVE = "a" * 64
GOOD_SHA = hashlib.sha256(b"x").hexdigest()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CenterClient]:
    base = tmp_path_factory.mktemp("listing")
    key = SigningKey.generate()
    (base / "room.pub.pem").write_bytes(key.public.to_pem())
    done = ck.run_cli("center", "enroll", "--data", str(base / "center"), "--room", "room-a", "--public-key",
                      str(base / "room.pub.pem"), env=ENV)
    assert done.returncode == 0, done.stderr
    server = ck.start_server(base / "center", env=ENV)
    try:
        with CenterClient(server.url, "room-a", key) as room:
            yield room
    finally:
        server.stop()


def begin(client: CenterClient, files: list[dict[str, Any]], archive: str = ARCHIVE) -> Any:
    return client.request("POST", f"/v1/archives/{archive}", {"session": "S-LISTING", "chunk_size": 64 * 1024,
                                                               "files": files})


def entry(path: str, sha: str = GOOD_SHA, size: int = 1) -> dict[str, Any]:
    return {"path": path, "size": size, "sha256": sha}


BASE = [entry("bagit.txt"), entry("data/result.json")]
LONG_SEGMENT = "data/recording/segments/cam1/" + "x" * 300 + ".ts"
REFUSED = {
    "NUL": ("data/a\x00b.pdf", "'\\x00'"),
    "newline": ("data/a\nb.pdf", "'\\n'"),
    "backslash ..": ("data\\..\\..\\evil.txt", "'\\\\'"),
    "drive path": ("C:/Windows/evil.txt", "':'"),
    "absolute": ("/etc/passwd", "absolute"),
    "dot dot": ("data/../evil.txt", "'..'"),
    "10 000 characters": ("data/" + "n" * 10_000, "more than 255"),
    "300-character segment": (LONG_SEGMENT, "more than 255"),
    "long path": ("data/" + "/".join(["d" * 30] * 6) + "/f.txt", f"more than {MAX_PATH_CHARS}"),
    "device name": ("data/CON.txt", "Windows device name"),
    "device name, lower case, folder": ("data/com1/x.ts", "Windows device name"),
    "trailing dot": ("data/report.", "ends with a dot or a space"),
    "trailing space": ("data/report ", "ends with a dot or a space"),
    "angle bracket": ("data/a<b.txt", "'<'"),
    "question mark": ("data/a?.txt", "'?'"),
    "pipe": ("data/a|b.txt", "'|'"),
    "not NFC": ("data/cafe\u0301.txt", "NFC"),
    "empty component": ("data//x.txt", "empty component"),
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_an_unportable_name_is_refused_at_begin_naming_it(client: CenterClient, kind: str) -> None:
    path, why = REFUSED[kind]
    with pytest.raises(CenterRefused) as refused:
        begin(client, [*BASE, entry(path)])
    assert refused.value.status == 400, refused.value.reason
    assert refused.value.reason.startswith(f"files[{len(BASE)}] "), refused.value.reason  # the entry is named
    assert why in refused.value.reason, refused.value.reason


@pytest.mark.parametrize("sha", ["g" * 64, GOOD_SHA.upper(), GOOD_SHA[:63], GOOD_SHA + "0", " " + GOOD_SHA[1:]])
def test_a_sha256_that_is_not_64_lowercase_hex_is_refused(client: CenterClient, sha: str) -> None:
    with pytest.raises(CenterRefused) as refused:
        begin(client, [*BASE, entry("data/x.pdf", sha=sha)])
    assert refused.value.status == 400 and "files[2] 'data/x.pdf': sha256" in refused.value.reason


def test_names_that_differ_only_by_case_are_refused(client: CenterClient) -> None:
    with pytest.raises(CenterRefused) as refused:
        begin(client, [*BASE, entry("data/Report.pdf"), entry("data/report.pdf")])
    assert refused.value.status == 400 and "differ only by case" in refused.value.reason
    with pytest.raises(CenterRefused) as refused:  # a folder and a folder
        begin(client, [*BASE, entry("data/Docs/a.pdf"), entry("data/docs/b.pdf")])
    assert refused.value.status == 400 and "'data/Docs' and 'data/docs'" in refused.value.reason


def test_a_listing_of_100_000_files_is_refused(client: CenterClient) -> None:
    files = [entry(f"data/f{n:06d}") for n in range(100_000)]
    with pytest.raises(CenterRefused) as refused:
        begin(client, files)
    assert refused.value.status == 400 and "100000 files, more than an archive may hold" in refused.value.reason


def test_a_chunk_for_a_refused_name_never_reaches_storage(client: CenterClient) -> None:
    """Was: the NUL-named file was accepted at begin and its chunk answered 500 (ValueError: embedded null byte)."""
    archive = "b" * 64
    with pytest.raises(CenterRefused) as refused:  # a listing valid but for that one name
        begin(client, [*BASE, entry("data/a\x00b.pdf"), entry("tagmanifest-sha256.txt", sha=archive)], archive)
    assert refused.value.status == 400
    data = b"x"
    digest = hashlib.sha256(data).hexdigest()
    with pytest.raises(CenterRefused) as refused:
        client.request("PUT", f"/v1/archives/{archive}/files/1/chunks/0", content=data,
                       headers={protocol.H_CHUNK_SHA: digest}, body_sha256=digest)
    assert refused.value.status == 404  # no such archive: nothing was begun


def test_portable_names_with_chinese_pass_the_listing_check(client: CenterClient) -> None:
    archive = "c" * 64
    listing = [*BASE, entry("data/recording/segments/门口/门口-20261120T020000000000Z-000001.ts"),
               entry("data/signatures/CON_.png"), entry("data/documents/评标报告.pdf"),
               entry("tagmanifest-sha256.txt", sha=archive)]
    status = begin(client, listing, archive)
    assert status["status"] == "uploading" and len(status["files"]) == len(listing)


def test_the_bag_builder_refuses_a_name_the_center_would_refuse(tmp_path: Path) -> None:
    key = SigningKey.generate()
    for name in ("a\x00b.bin", "CON.png", "x" * 300, "report.", "Report.pdf"):
        blobs = {name: b"1", "report.pdf": b"2"}
        with pytest.raises(BagError, match="payload path"):
            write_bag(tmp_path / "bag", Payload(blobs, {}), {}, key)
        assert not (tmp_path / "bag").exists()  # checked before anything is written
    assert path_problem(f"data/signatures/{portable_stem('CON')}.png") is None  # a member id made portable
    assert path_problem(f"data/signatures/{portable_stem('E1:组长/副')}.png") is None
    assert path_problem(f"data/signatures/{portable_stem('x' * 300)}.png") is None


def test_a_real_archive_is_accepted_whole(client: CenterClient, tmp_path: Path, finished_room) -> None:  # noqa: ANN001
    """The builder's real bag (a simulated session, its recordings included) passes the center's listing check and
    is verified."""
    bag = finished_room(tmp_path, "room-a", archived=True) / "archive"
    files = protocol.bag_files(bag)
    assert all(path_problem(f["path"]) is None for f in files)
    status = begin(client, files, protocol.archive_id(bag))
    assert status["status"] == "uploading" and len(status["files"]) == len(files)
