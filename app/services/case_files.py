"""Reading case files: JSON decoding with the checks the spec needs before the rule engine."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.domain.case import Case
from app.domain.case_parse import parse_case
from app.domain.errors import CaseError


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise CaseError("", f'duplicate key "{key}" in a JSON object', zh=f'同一对象中出现重复的键 "{key}"')
        obj[key] = value
    return obj


def _constant(name: str) -> Any:
    raise CaseError("", f"{name} is not allowed in a case (not a number)")


#: Python refuses to convert a longer integer string (``sys.get_int_max_str_digits()``, CVE-2020-10735)
MAX_INT_DIGITS = 4300


def _integer(source: str) -> Any:
    def parse(text: str) -> int:
        digits = len(text.lstrip("-"))
        if digits > MAX_INT_DIGITS:
            raise CaseError("", f"{source}: a JSON number has {digits} digits (at most {MAX_INT_DIGITS})",
                            zh=f"文件中有一个 {digits} 位的数字（最多 {MAX_INT_DIGITS} 位）")
        return int(text)

    return parse


def decode_case_text(text: str, source: str = "case") -> Any:
    """Decode JSON keeping numbers exact (a JSON number for money is then refused by the parser)."""
    try:
        return json.loads(text, parse_float=Decimal, parse_int=_integer(source), parse_constant=_constant,
                          object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        raise CaseError("", f"{source} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                        zh=f"文件不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列（{exc.msg}）") from exc
    except RecursionError as exc:
        raise CaseError("", f"{source} is nested too deeply") from exc
    except CaseError:
        raise
    except ValueError as exc:  # any other conversion the decoder refuses: one line, never a traceback
        raise CaseError("", f"{source} is not valid JSON: {exc}") from exc


def load_case(path: str | Path) -> Case:
    """Read, decode and validate a case file, or a package (a folder or a .zip: app.services.bid_package, whose
    files are checked too); every problem is a one-line :class:`CaseError`."""
    from app.services.bid_package import check_documents, is_package, load_package

    if is_package(path):
        return load_package(path).case
    document = read_case_document(path)
    check_documents(document, Path(path).parent)  # the files a case lists sit beside it (none: nothing to check)
    return parse_case(document)


def read_case_document(path: str | Path) -> Any:
    """Read and decode a case file (the JSON document, not validated yet)."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError as exc:
        raise CaseError("", f"{file}: no such file", zh=f"找不到文件 {file}") from exc
    except IsADirectoryError as exc:
        raise CaseError("", f"{file}: is a directory, not a case file") from exc
    except OSError as exc:
        raise CaseError("", f"{file}: cannot be read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaseError("", f"{file}: is not UTF-8 text (byte {exc.start})", zh="文件不是 UTF-8 编码的文本") from exc
    return decode_case_text(text, str(file))


# CaseError: what load_case raises
__all__ = ["CaseError", "MAX_INT_DIGITS", "decode_case_text", "load_case", "read_case_document"]
