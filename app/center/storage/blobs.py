"""Blob stores by URL: a local folder (default) or S3-compatible object storage through boto3.

- ``/path`` or ``file:///path``: files under that folder, written to a temporary name, fsynced, renamed.
- ``s3://BUCKET[/PREFIX]?endpoint=http://127.0.0.1:8333&region=us-east-1``: credentials from the usual
  AWS variables (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``) or boto3's other sources. The bucket is
  created when missing.

Keys are ``/``-separated relative names; they never contain ``..``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Protocol
from urllib.parse import parse_qs, urlparse

from app.errors import EvalRoomError


class BlobError(EvalRoomError):
    pass


class BlobReader(Protocol):
    """An opened blob, as its readers use it: a local file or S3's streaming body."""

    def read(self, size: int = -1, /) -> bytes: ...
    def close(self) -> None: ...
    def __enter__(self) -> BlobReader: ...
    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None, /
    ) -> None: ...


def _check(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise BlobError(f"bad blob key {key!r}")
    return key


_IOV_MAX = 512  # buffers one vectored write takes (IOV_MAX is 1024 on Linux)


def open_region(path: Path) -> int:
    """A descriptor to write regions of ``path`` (created when missing, never truncated)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)


def write_region(fd: int, buffers: list[bytes], offset: int) -> None:
    """Write ``buffers`` one after the other from ``offset`` (a vectored positional write where the OS
    has one; Windows has neither pwrite nor pwritev: seek, then write)."""
    views = [memoryview(b) for b in buffers if b]
    while views:
        if hasattr(os, "pwritev"):
            written = os.pwritev(fd, views[:_IOV_MAX], offset)
        else:
            os.lseek(fd, offset, os.SEEK_SET)
            written = os.write(fd, views[0])
        offset += written
        while views and written >= len(views[0]):
            written -= len(views[0])
            views.pop(0)
        if views and written:
            views[0] = views[0][written:]


class LocalBlobs:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.url = str(self.root)

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*_check(key).split("/"))

    def put_file(self, key: str, source: IO[bytes]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                shutil.copyfileobj(source, handle, 1 << 20)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def put(self, key: str, data: bytes) -> None:
        import io

        self.put_file(key, io.BytesIO(data))

    def write_at(self, key: str, offset: int, data: bytes) -> None:
        """Write ``data`` at ``offset`` of the file ``key`` (created when missing, never truncated) and fsync
        it: an upload's chunks land in place in the file they belong to, whatever order they come in."""
        fd = open_region(self._path(key))
        try:
            write_region(fd, [data], offset)
            os.fsync(fd)
        finally:
            os.close(fd)

    def move(self, prefix: str, target: str) -> bool:
        """Rename the folder ``prefix`` to ``target`` unless ``target`` exists already (another process
        moved it first: it is kept, never replaced). True when ``target`` is there afterwards."""
        source, dest = self.folder(prefix), self.folder(target)
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):  # the source is gone, or a racing process's target appeared (not empty)
                os.replace(source, dest)
        return dest.is_dir()

    def folder(self, prefix: str) -> Path:
        """The local folder holding the blobs under ``prefix``."""
        return self._path(prefix.rstrip("/"))

    def open(self, key: str) -> BlobReader:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError as exc:
            raise BlobError(f"no blob {key}") from exc

    def get(self, key: str) -> bytes:
        with self.open(key) as handle:
            return handle.read()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete_prefix(self, prefix: str) -> None:
        shutil.rmtree(self._path(prefix.rstrip("/")), ignore_errors=True)

    def keys(self, prefix: str) -> Iterator[str]:
        base = self._path(prefix.rstrip("/"))
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and not path.name.startswith(".tmp-"):
                    yield path.relative_to(self.root).as_posix()


class S3Blobs:
    def __init__(self, bucket: str, prefix: str = "", endpoint: str | None = None, region: str | None = None) -> None:
        import boto3
        from botocore.config import Config

        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.url = f"s3://{bucket}/{self.prefix}"
        self.client = boto3.client("s3", endpoint_url=endpoint, region_name=region or "us-east-1",
                                   config=Config(retries={"max_attempts": 3}, s3={"addressing_style": "path"}))
        try:
            self.client.head_bucket(Bucket=bucket)
        except Exception:
            try:
                self.client.create_bucket(Bucket=bucket)
            except Exception as exc:
                if "BucketAlready" not in str(exc):
                    raise BlobError(f"cannot use bucket {bucket}: {exc}") from exc

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{_check(key)}" if self.prefix else _check(key)

    def put_file(self, key: str, source: IO[bytes]) -> None:
        self.client.upload_fileobj(source, self.bucket, self._key(key))

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def open(self, key: str) -> BlobReader:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
        except self.client.exceptions.NoSuchKey as exc:
            raise BlobError(f"no blob {key}") from exc

    def get(self, key: str) -> bytes:
        return self.open(key).read()

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except Exception:
            return False

    def keys(self, prefix: str) -> Iterator[str]:
        full = self._key(prefix.rstrip("/")) + "/"
        strip = len(self.prefix) + 1 if self.prefix else 0
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=full):
            for item in page.get("Contents", []):
                yield item["Key"][strip:]

    def delete_prefix(self, prefix: str) -> None:
        keys = [self._key(k) for k in self.keys(prefix)]
        for start in range(0, len(keys), 1000):
            chunk = keys[start:start + 1000]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": [{"Key": k} for k in chunk]})


Blobs = LocalBlobs | S3Blobs


def open_blobs(url: str) -> Blobs:
    if url.startswith("s3://"):
        parsed = urlparse(url)
        query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        if not parsed.netloc:
            raise BlobError(f"{url}: no bucket")
        return S3Blobs(parsed.netloc, parsed.path, query.get("endpoint"), query.get("region"))
    if url.startswith("file://"):
        return LocalBlobs(Path(urlparse(url).path))
    if "://" in url:
        raise BlobError(f"{url}: blob URL must be a folder, file:// or s3://")
    return LocalBlobs(Path(url))
