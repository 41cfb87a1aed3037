"""A session package (spec: docs/bid-package.md): a folder, or the same folder zipped, holding ``case.json`` and the
bid files it lists. Every listed file is checked before anything is imported: inside the package (no ``..``, no
absolute path, no symbolic link, no zip entry escaping), present, of the SHA-256 the case gives, and a PDF (its
header, and PDFium opens it); each bidder's unified social credit code (统一社会信用代码) by its GB 32100 check
character. Any problem is one :class:`CaseError` naming the file; exit 2 on the command line."""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from app.crypto.bid_crypto import SCHEMES
from app.domain.bid_files import PARTS
from app.domain.case import Case
from app.domain.case_parse import parse_case
from app.domain.credit_code import credit_code_problem
from app.domain.errors import CaseError
from app.services.case_files import decode_case_text

CASE_NAME = "case.json"
#: where a session (simulated or the console's) keeps its package's checked bid files, for `archive build`
BID_FILES = "bid-files"
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class BidDocument:
    bidder: str
    path: str  # relative to the package, "/"-separated
    sha256: str
    part: str
    data: bytes
    #: ``cms`` or ``passphrase`` for an encrypted file (``data`` is then the ciphertext, ``sha256`` its hash), else None
    scheme: str | None = None
    plaintext_sha256: str | None = None  # of an encrypted file, when the package declares it

    @property
    def encrypted(self) -> bool:
        return self.scheme is not None


@dataclass(frozen=True)
class Package:
    source: Path
    document: dict[str, Any]  # case.json as decoded
    case: Case
    documents: tuple[BidDocument, ...]


def is_package(path: str | Path) -> bool:
    """A folder or a ``.zip``: what :func:`load_package` reads (anything else is a plain case file)."""
    file = Path(path)
    return file.is_dir() or file.suffix.lower() == ".zip"


class _Reader:
    def __init__(self, source: Path) -> None:
        self.source = source

    def read(self, rel: str) -> bytes:
        raise NotImplementedError


class _FolderReader(_Reader):
    def read(self, rel: str) -> bytes:
        root = self.source.resolve()
        file = self.source
        for part in PurePosixPath(rel).parts:
            file = file / part
            if file.is_symlink():
                raise CaseError(rel, "is a symbolic link (a package holds its files itself)",
                                zh=f"{rel} 是符号链接（包内文件须为实际文件）")
        if not file.resolve().is_relative_to(root):
            raise _escapes(rel)
        try:
            return file.read_bytes()
        except FileNotFoundError as exc:
            raise CaseError(rel, "missing from the package", zh=f"包内缺少文件 {rel}") from exc
        except OSError as exc:
            raise CaseError(rel, f"cannot be read ({exc.strerror})", zh=f"无法读取 {rel}") from exc


class _ZipReader(_Reader):
    def __init__(self, source: Path, archive: zipfile.ZipFile) -> None:
        super().__init__(source)
        self.archive = archive
        self.entries: dict[str, zipfile.ZipInfo] = {}
        prefixes: set[str] = set()
        for info in archive.infolist():
            name = info.filename
            if not _safe(name.rstrip("/")) and name.rstrip("/"):
                raise _escapes(name)  # zip-slip: refuse the whole archive
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                raise CaseError(name, "is a symbolic link (a package holds its files itself)",
                                zh=f"{name} 是符号链接（包内文件须为实际文件）")
            self.entries[name] = info
            prefixes.add(name.split("/", 1)[0] + "/" if "/" in name else "")
        # "the same folder zipped": case.json at the top, or under one top folder
        self.prefix = ""
        if CASE_NAME not in self.entries:
            tops = {n.split("/", 1)[0] for n in self.entries if "/" in n}
            if len(tops) == 1 and f"{next(iter(tops))}/{CASE_NAME}" in self.entries:
                self.prefix = next(iter(tops)) + "/"

    def read(self, rel: str) -> bytes:
        info = self.entries.get(self.prefix + rel)
        if info is None or info.is_dir():
            raise CaseError(rel, "missing from the package", zh=f"包内缺少文件 {rel}")
        try:
            return self.archive.read(info)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise CaseError(rel, f"cannot be read from the zip ({exc})", zh=f"无法从压缩包读取 {rel}") from exc


def _safe(rel: str) -> bool:
    if not rel or "\\" in rel or rel.startswith("/") or re.match(r"[A-Za-z]:", rel):
        return False
    return all(part not in ("", ".", "..") for part in rel.split("/"))


def _escapes(rel: str) -> CaseError:
    return CaseError(rel, "escapes the package (paths are relative, inside it, without ..)",
                     zh=f"{rel} 指向包外（路径须为包内相对路径，不含 ..）")


def _is_pdf(data: bytes) -> bool:
    if not data[:1024].lstrip(b"\x00\t\n\r\f ").startswith(b"%PDF-"):
        return False
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except Exception:  # noqa: BLE001 - PDFium refuses it, whatever the reason: not a PDF we can show
        return False
    try:
        return len(pdf) >= 1
    finally:
        pdf.close()


def _documents(document: Any, reader: _Reader) -> tuple[BidDocument, ...]:
    result: list[BidDocument] = []
    seen: set[str] = set()
    bidders = document.get("bidders") if isinstance(document, dict) else None
    for index, bidder in enumerate(bidders if isinstance(bidders, list) else []):
        if not isinstance(bidder, dict):
            continue
        bidder_id = str(bidder.get("id", index))
        where = f"bidders.{index}"
        code = bidder.get("credit_code")
        if code is not None:
            problem = credit_code_problem(code) if isinstance(code, str) else ("is not a string", "不是字符串")
            if problem:
                raise CaseError(f"{where}.credit_code", f"{code!s}: {problem[0]}",
                                zh=f"投标人 {bidder_id} 的统一社会信用代码 {code!s} {problem[1]}")
        items = bidder.get("documents", [])
        if not isinstance(items, list):
            raise CaseError(f"{where}.documents", "must be a list", zh="documents 必须是列表")
        for n, item in enumerate(items):
            item_where = f"{where}.documents.{n}"
            if not isinstance(item, dict):
                raise CaseError(item_where, "must be an object", zh="每个文件须为对象")
            rel, digest, part = item.get("path"), item.get("sha256"), item.get("part", "other")
            if not isinstance(rel, str):
                raise CaseError(f"{item_where}.path", "missing or not a string", zh="缺少文件路径 path")
            if not isinstance(digest, str) or not _SHA256.fullmatch(digest.lower()):
                raise CaseError(f"{item_where}.sha256", f"{rel}: not a SHA-256 (64 hex digits)",
                                zh=f"{rel} 的 sha256 不是 64 位十六进制")
            if part not in PARTS:
                raise CaseError(f"{item_where}.part", f'{rel}: unknown part "{part}" (expected {" or ".join(PARTS)})',
                                zh=f"{rel} 的 part “{part}” 无效")
            scheme, plain = _encryption(item, item_where, rel)
            if not _safe(rel):
                raise _escapes(rel)
            if rel in seen:
                raise CaseError(f"{item_where}.path", f"{rel}: listed twice", zh=f"{rel} 重复列出")
            seen.add(rel)
            data = reader.read(rel)
            actual = hashlib.sha256(data).hexdigest()
            if actual != digest.lower():
                raise CaseError(rel, f"SHA-256 differs from the case ({actual} instead of {digest.lower()})",
                                zh=f"{rel} 的 SHA-256 与案例所列不符（实际 {actual}）")
            if scheme is None and not _is_pdf(data):
                raise CaseError(rel, "is not a PDF (bad header, or PDFium cannot open it)",
                                zh=f"{rel} 不是 PDF 文件（文件头不符或无法打开）")
            result.append(BidDocument(bidder_id, rel, actual, str(part), data, scheme, plain))
        _check_references(bidder, where, bidder_id, document, {d.path: d for d in result if d.bidder == bidder_id})
    return tuple(result)


def _check_references(bidder: dict[str, Any], where: str, bidder_id: str, document: Any,
                      files: dict[str, BidDocument]) -> None:
    """评分索引 (docs/bid-package.md): ``references`` = criterion id → [{"path", "page", "note"?}], each path one of
    the bidder's own documents, each page within it (a plain PDF's page count; an encrypted file's once decrypted)."""
    if "references" not in bidder:
        return
    refs = bidder["references"]
    if not isinstance(refs, dict):
        raise CaseError(f"{where}.references", "must be an object (criterion id → page references)",
                        zh="references 须为对象（评审因素编号 → 页码索引）")
    method = document.get("method") if isinstance(document, dict) else None
    criteria = {c.get("id") for c in (method or {}).get("criteria", []) if isinstance(c, dict)}
    for criterion, items in refs.items():
        at = f"{where}.references.{criterion}"
        if criterion not in criteria:
            raise CaseError(at, f'unknown criterion "{criterion}"', zh=f"评审因素 {criterion} 不在评标办法中")
        if not isinstance(items, list):
            raise CaseError(at, "must be a list of page references", zh="页码索引须为列表")
        for n, item in enumerate(items):
            item_at = f"{at}.{n}"
            rel = item.get("path") if isinstance(item, dict) else None
            page = item.get("page") if isinstance(item, dict) else None
            if not isinstance(rel, str) or rel not in files:
                raise CaseError(f"{item_at}.path", f"{rel!s}: not one of bidder {bidder_id}'s documents",
                                zh=f"{rel!s} 不是投标人 {bidder_id} 的投标文件")
            if not isinstance(page, int) or isinstance(page, bool) or page < 1:
                raise CaseError(f"{item_at}.page", f"{rel}: page must be a whole number from 1, got {page!r}",
                                zh=f"{rel} 的页码须为从 1 起的整数")
            note = item.get("note", "")
            if not isinstance(note, str):
                raise CaseError(f"{item_at}.note", f"{rel}: note must be text", zh="说明须为文字")
            doc = files[rel]
            if not doc.encrypted:
                pages = _page_count(doc.data)
                if page > pages:
                    raise CaseError(f"{item_at}.page", f"{rel}: page {page} is beyond its {pages} pages",
                                    zh=f"{rel} 只有 {pages} 页，索引页码 {page} 超出")


def _page_count(data: bytes) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def _encryption(item: dict[str, Any], where: str, rel: str) -> tuple[str | None, str | None]:
    """(scheme, declared plaintext SHA-256) of an encrypted file's ``encryption`` object; (None, None): plain."""
    if "encryption" not in item:
        return None, None
    enc = item["encryption"]
    if not isinstance(enc, dict):
        raise CaseError(f"{where}.encryption", f"{rel}: must be an object", zh=f"{rel} 的 encryption 须为对象")
    scheme = enc.get("scheme")
    if scheme not in SCHEMES:
        raise CaseError(f"{where}.encryption.scheme", f'{rel}: unknown scheme "{scheme}" (expected cms or passphrase)',
                        zh=f"{rel} 的加密方式 “{scheme}” 无效（应为 cms 或 passphrase）")
    plain = enc.get("plaintext_sha256")
    if plain is not None and (not isinstance(plain, str) or not _SHA256.fullmatch(plain.lower())):
        raise CaseError(f"{where}.encryption.plaintext_sha256", f"{rel}: not a SHA-256 (64 hex digits)",
                        zh=f"{rel} 的明文 sha256 不是 64 位十六进制")
    unknown = sorted(set(enc) - {"scheme", "plaintext_sha256"})
    if unknown:
        raise CaseError(f"{where}.encryption.{unknown[0]}", f"{rel}: unknown field", zh=f"{rel} 的加密信息含未知字段")
    return str(scheme), plain.lower() if isinstance(plain, str) else None


def _decode(raw: bytes, name: str) -> Any:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaseError("", f"{name}: is not UTF-8 text (byte {exc.start})", zh="文件不是 UTF-8 编码的文本") from exc
    return decode_case_text(text, name)


def check_documents(document: Any, base: Path) -> tuple[BidDocument, ...]:
    """Check the bid files a plain case file lists, relative to its folder (a case file is a package's case.json)."""
    return _documents(document, _FolderReader(base))


def load_package(path: str | Path) -> Package:
    """Read and check a package; every problem is a one-line :class:`CaseError` naming the file."""
    source = Path(path)
    if source.is_dir():
        reader: _Reader = _FolderReader(source)
        document = _decode(reader.read(CASE_NAME), str(source / CASE_NAME))
        documents = _documents(document, reader)
    else:
        try:
            archive = zipfile.ZipFile(source)
        except FileNotFoundError as exc:
            raise CaseError("", f"{source}: no such file", zh=f"找不到文件 {source}") from exc
        except (zipfile.BadZipFile, OSError) as exc:
            raise CaseError("", f"{source}: is not a readable zip ({exc})",
                            zh=f"{source} 不是可读的 zip 压缩包") from exc
        with archive:
            zreader = _ZipReader(source, archive)
            document = _decode(zreader.read(CASE_NAME), f"{source}:{CASE_NAME}")
            documents = _documents(document, zreader)
    return Package(source, document, parse_case(document), documents)


def case_document(path: str | Path) -> Any:
    """The decoded case JSON of a case file or of a package (whose files are checked first)."""
    from app.services.case_files import read_case_document

    return load_package(path).document if is_package(path) else read_case_document(path)


def open_case(path: str | Path) -> Package:
    """A package, or a plain case file as a package (the files it lists beside it), checked as above."""
    if is_package(path):
        return load_package(path)
    from app.services.case_files import read_case_document

    document = read_case_document(path)
    documents = check_documents(document, Path(path).parent)
    return Package(Path(path), document, parse_case(document), documents)
