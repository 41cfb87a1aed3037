"""Decryption of encrypted bid files at opening (R-OPEN-10; docs/bid-package.md "Encrypted bid files").

Each bidder decrypts its own files with its key (PKCS#12 and passphrase, or the passphrase) within the tender's
time limit. A failure caused by the bidder (its key or passphrase, no key presented in time, a file that is not the
one it declared) → the bid is deemed revoked (视为撤销); a failure from another cause (the file damaged or changed in
the platform's keeping) → deemed withdrawn (视为撤回), the bidder may claim damages from the party at fault. The
opening continues for the rest; an excluded bid is not evaluated or ranked."""

from __future__ import annotations

from typing import Any

from .bid_files import document_entries
from .result import Reason

#: the causes a failed decryption is recorded with: the bidder's ...
BIDDER_CAUSES = ("wrong_passphrase", "wrong_key", "bad_key_file", "no_key", "plaintext_differs", "not_pdf")
#: ... and the others' (the file as the platform kept it)
OTHER_CAUSES = ("ciphertext_differs", "damaged", "file_missing")
CAUSES = BIDDER_CAUSES + OTHER_CAUSES
REVOKED, WITHDRAWN = "revoked", "withdrawn"
OUTCOMES = (REVOKED, WITHDRAWN)
#: the decryption time limit when the case gives none (minutes from the start of the opening)
DEFAULT_LIMIT_MINUTES = 30

CAUSE_ZH = {
    "wrong_passphrase": "口令错误", "wrong_key": "密钥（证书）不符", "bad_key_file": "密钥文件无法读取",
    "no_key": "解密时限内未出示密钥", "plaintext_differs": "解密所得文件与投标人申报的哈希不符",
    "not_pdf": "解密所得文件不是 PDF", "ciphertext_differs": "平台保管的密文与登记的哈希不符",
    "damaged": "密文结构损坏", "file_missing": "平台保管的密文缺失",
}
CAUSE_EN = {
    "wrong_passphrase": "wrong passphrase", "wrong_key": "a key (certificate) the file is not encrypted to",
    "bad_key_file": "an unreadable key file", "no_key": "no key presented within the time limit",
    "plaintext_differs": "the decrypted file differs from the SHA-256 the bidder declared",
    "not_pdf": "the decrypted file is not a PDF",
    "ciphertext_differs": "the ciphertext kept by the platform differs from its registered SHA-256",
    "damaged": "the ciphertext's structure is damaged",
    "file_missing": "the ciphertext kept by the platform is missing",
}


def outcome_of(cause: str) -> str:
    """R-OPEN-10: the bidder's cause → revoked; another cause → withdrawn."""
    if cause not in CAUSES:
        raise ValueError(f"unknown decryption failure cause {cause!r}")
    return REVOKED if cause in BIDDER_CAUSES else WITHDRAWN


def bid_outcome(causes: list[str]) -> str:
    """The bid's outcome when several of its files failed: withdrawn if any failed for a cause not the bidder's
    (the bidder may claim damages), else revoked."""
    return WITHDRAWN if any(outcome_of(c) == WITHDRAWN for c in causes) else REVOKED


def exclusion_reason(outcome: str, cause: str) -> Reason:
    """The reason an excluded bid shows in the result and the report."""
    if outcome == REVOKED:
        zh, en = "投标人原因解密失败，视为撤销投标", "decryption failed by the bidder: bid deemed revoked"
    else:
        zh = "非投标人原因解密失败，视为撤回投标"
        en = "decryption failed for a cause not the bidder's: bid deemed withdrawn"
    return Reason("R-OPEN-10", f"{zh}（{CAUSE_ZH.get(cause, cause)}） / {en} ({CAUSE_EN.get(cause, cause)})")


def encrypted(item: Any) -> dict[str, Any] | None:
    """The ``encryption`` object of a package's document entry, None for a plain file (malformed: None)."""
    value = item.get("encryption") if isinstance(item, dict) else None
    return value if isinstance(value, dict) else None


def encrypted_documents(package: Any) -> list[tuple[str, str, str, str | None]]:
    """(bidder, path, ciphertext sha256, declared plaintext sha256 or None) of every encrypted bid file."""
    out = []
    for bidder, item in document_entries(package):
        enc = encrypted(item)
        if enc is not None:
            plain = enc.get("plaintext_sha256")
            out.append((str(bidder.get("id", "")), item["path"], item["sha256"].lower(),
                        plain.lower() if isinstance(plain, str) else None))
    return out
