"""Parse and validate an `evalroom-case/1` document (already decoded from JSON) into a :class:`Case`.

Every refusal is a :class:`CaseError` naming the field by its path, for example
``scores.E3.B2.T1: "21" is above the maximum 20``. Unknown fields are ignored: the format may
grow by adding optional fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, overload

from .case import (
    CASE_FORMAT,
    CATEGORIES,
    CRITERION_TYPES,
    LOW_PRICE_DECISIONS,
    MEMBER_ROLES,
    METHOD_KINDS,
    PRICE_KINDS,
    PROFILE_NAMES,
    TIE_BREAKS,
    TRIM_KINDS,
    Adjustment,
    Averaging,
    Bidder,
    Case,
    Criterion,
    DecryptionFailure,
    Lot,
    Member,
    Method,
    PriceFormula,
    Project,
    TrimRule,
    Verdict,
)
from .decryption import CAUSES, OUTCOMES, outcome_of
from .errors import CaseError
from .profiles import OVERLAYS, PROFILES
from .scoring import ScoreProblem, check_score

T = TypeVar("T")
D = TypeVar("D")
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_MISSING = object()


def _show(value: Any) -> str:
    """A value as it appeared in the JSON text (strings quoted)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return '"' + value + '"'
    if isinstance(value, (dict, list)):
        return "an object" if isinstance(value, dict) else "a list"
    return str(value)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _obj(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise CaseError(path, f"expected an object, got {_show(value)}", zh="应为对象（{…}）")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise CaseError(path, f"expected a list, got {_show(value)}", zh="应为列表（[…]）")
    return value


@overload
def _field(obj: Mapping[str, Any], key: str, path: str, conv: Callable[[Any, str], T]) -> T: ...
@overload
def _field(obj: Mapping[str, Any], key: str, path: str, conv: Callable[[Any, str], T], default: D) -> T | D: ...
def _field(obj: Mapping[str, Any], key: str, path: str, conv: Callable[[Any, str], Any],
           default: Any = _MISSING) -> Any:
    where = _join(path, key)
    if key not in obj or (obj[key] is None and default is not _MISSING):
        if default is _MISSING:
            raise CaseError(where, "required field is missing", zh="缺少必填项")
        return default
    return conv(obj[key], where)


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CaseError(path, f"expected a non-empty string, got {_show(value)}", zh="应为非空文字")
    return value


def _opt_text(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise CaseError(path, f"expected a string, got {_show(value)}", zh="应为文字")
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise CaseError(path, f"expected true or false, got {_show(value)}", zh="应为“是/否”（true/false）")
    return value


def _int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CaseError(path, f"expected a whole number, got {_show(value)}", zh="应为整数")
    return value


def _choice(options: tuple[str, ...], what: str) -> Callable[[Any, str], str]:
    def conv(value: Any, path: str) -> str:
        if not isinstance(value, str) or value not in options:
            raise CaseError(path, f"unknown {what} {_show(value)} (expected {' or '.join(options)})",
                            zh=f"取值 {_show(value)} 无效，应为 {' 或 '.join(options)} 之一")
        return value

    return conv


def parse_decimal(value: Any, path: str) -> Decimal:
    """A decimal string. JSON numbers are refused: money and scores are written as strings."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise CaseError(path, f"expected a decimal string, got {_show(value)}",
                        zh="应为用引号括起的数字（如 \"950000.00\"）")
    if not isinstance(value, str):
        raise CaseError(path, f'{value} is a JSON number; write it as a decimal string such as "{value}"',
                        zh=f'金额和分值须写成带引号的数字，如 "{value}"')
    if not _DECIMAL.fullmatch(value):
        raise CaseError(path, f"{_show(value)} is not a decimal string", zh=f"{_show(value)} 不是有效的数字")
    try:
        return Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guarantees the syntax
        raise CaseError(path, f"{_show(value)} is not a decimal string") from exc


def _positive(value: Any, path: str) -> Decimal:
    amount = parse_decimal(value, path)
    if amount <= 0:
        raise CaseError(path, f"{_show(value)} is not a positive amount", zh=f"{_show(value)} 应为大于 0 的金额")
    return amount


def _non_negative(value: Any, path: str) -> Decimal:
    amount = parse_decimal(value, path)
    if amount < 0:
        raise CaseError(path, f"{_show(value)} is negative", zh=f"{_show(value)} 不能为负数")
    return amount


def _fraction_below_one(value: Any, path: str) -> Decimal:
    amount = _non_negative(value, path)
    if amount >= 1:
        raise CaseError(path, f"{_show(value)} must be below 1 (a rate such as \"0.10\")",
                        zh=f"{_show(value)} 应为小于 1 的比率（如 \"0.10\"）")
    return amount


def _time(value: Any, path: str) -> datetime:
    if not isinstance(value, str):
        raise CaseError(path, f"expected an ISO-8601 time string, got {_show(value)}",
                        zh="应为时间文字（如 2026-11-20T09:30:00+08:00）")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CaseError(path, f"{_show(value)} is not an ISO-8601 time",
                        zh=f"{_show(value)} 不是有效的时间（如 2026-11-20T09:30:00+08:00）") from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CaseError(path, f"{_show(value)} has no UTC offset (write e.g. +08:00)",
                        zh=f"{_show(value)} 缺少时区（如 +08:00）")
    return moment


def _unique_ids(items: list[Any], path: str, what: str) -> None:
    seen: set[str] = set()
    for index, item in enumerate(items):
        item_id = item.id
        if item_id in seen:
            raise CaseError(_join(_join(path, index), "id"), f'duplicate {what} id "{item_id}"',
                            zh=f'编号 "{item_id}" 重复')
        seen.add(item_id)


def _project(value: Any, path: str) -> Project:
    obj = _obj(value, path)
    return Project(
        code=_field(obj, "code", path, _text),
        name=_field(obj, "name", path, _text),
        category=_field(obj, "category", path, _choice(CATEGORIES, "category")),
        budget=_field(obj, "budget", path, _positive, None),
        max_price=_field(obj, "max_price", path, _positive, None),
    )


def _lot(value: Any, path: str) -> Lot:
    obj = _obj(value, path)
    return Lot(code=_field(obj, "code", path, _text), name=_field(obj, "name", path, _text))


def _bidder(value: Any, path: str) -> Bidder:
    obj = _obj(value, path)
    return Bidder(
        id=_field(obj, "id", path, _text),
        name=_field(obj, "name", path, _text),
        price=_field(obj, "price", path, _positive),
        submitted_at=_field(obj, "submitted_at", path, _time),
        sme=_field(obj, "sme", path, _bool, False),
    )


def _member(value: Any, path: str) -> Member:
    obj = _obj(value, path)
    return Member(
        id=_field(obj, "id", path, _text),
        name=_field(obj, "name", path, _text),
        role=_field(obj, "role", path, _choice(MEMBER_ROLES, "role")),
        chair=_field(obj, "chair", path, _bool, False),
    )


def _criterion(value: Any, path: str) -> Criterion:
    obj = _obj(value, path)
    criterion = Criterion(
        id=_field(obj, "id", path, _text),
        name=_field(obj, "name", path, _text),
        group=_field(obj, "group", path, _text),
        type=_field(obj, "type", path, _choice(CRITERION_TYPES, "criterion type")),
        max=_field(obj, "max", path, _positive),
        step=_field(obj, "step", path, _positive, None),
    )
    return criterion


def _trim_rule(value: Any, path: str) -> TrimRule:
    obj = _obj(value, path)
    rule = TrimRule(
        min_count=_field(obj, "min_count", path, _int),
        drop_high=_field(obj, "drop_high", path, _int, 0),
        drop_low=_field(obj, "drop_low", path, _int, 0),
    )
    if rule.min_count < 1:
        raise CaseError(_join(path, "min_count"), f"{rule.min_count} must be at least 1")
    if rule.drop_high < 0 or rule.drop_low < 0:
        raise CaseError(path, "drop_high and drop_low cannot be negative")
    if rule.drop_high + rule.drop_low >= rule.min_count:
        raise CaseError(path, f"dropping {rule.drop_high} high and {rule.drop_low} low prices "
                              f"leaves nothing of {rule.min_count} bids")
    return rule


def _price(value: Any, path: str) -> PriceFormula:
    obj = _obj(value, path)
    kind = _field(obj, "kind", path, _choice(PRICE_KINDS, "price kind"))
    points = _field(obj, "points", path, _positive)
    if kind == "low_price_first":
        return PriceFormula(kind=kind, points=points)
    trim = tuple(_trim_rule(item, _join(_join(path, "trim"), i))
                 for i, item in enumerate(_field(obj, "trim", path, _list, [])))
    counts = [rule.min_count for rule in trim]
    if len(set(counts)) != len(counts):
        raise CaseError(_join(path, "trim"), "two trimming rules have the same min_count")
    floor = _field(obj, "floor", path, _non_negative, Decimal(0))
    if floor > points:
        raise CaseError(_join(path, "floor"), f'"{floor}" is above the points {points}')
    return PriceFormula(
        kind=kind,
        points=points,
        k=_field(obj, "k", path, _fraction_below_one),
        trim=trim,
        per_pct_above=_field(obj, "per_pct_above", path, _non_negative),
        per_pct_below=_field(obj, "per_pct_below", path, _non_negative),
        floor=floor,
    )


def _averaging(value: Any, path: str) -> Averaging:
    obj = _obj(value, path)
    averaging = Averaging(
        trim=_field(obj, "trim", path, _choice(TRIM_KINDS, "trim"), "none"),
        min_members=_field(obj, "min_members", path, _int, 7),
    )
    if averaging.trim == "high_low" and averaging.min_members < 3:
        raise CaseError(_join(path, "min_members"), f"{averaging.min_members} is too small: "
                        "dropping the highest and lowest needs at least 3 members")
    return averaging


def _tie_break(value: Any, path: str) -> tuple[str, ...]:
    items = _list(value, path)
    chain = tuple(_choice(TIE_BREAKS, "tie-break")(item, _join(path, i)) for i, item in enumerate(items))
    if len(set(chain)) != len(chain):
        raise CaseError(path, "a tie-break appears twice")
    return chain


def _method(value: Any, path: str, profile: str) -> Method:
    obj = _obj(value, path)
    kind = _field(obj, "kind", path, _choice(METHOD_KINDS, "method"))
    criteria_path = _join(path, "criteria")
    raw_criteria = (_field(obj, "criteria", path, _list, []) if kind == "lowest_price"
                    else _field(obj, "criteria", path, _list))
    criteria = tuple(_criterion(item, _join(criteria_path, i)) for i, item in enumerate(raw_criteria))
    _unique_ids(list(criteria), criteria_path, "criterion")
    price = _field(obj, "price", path, _price) if kind == "comprehensive" else _field(obj, "price", path, _price, None)
    candidates = _field(obj, "candidates", path, _int, 3)
    if candidates < 1:
        raise CaseError(_join(path, "candidates"), f"{candidates} must be at least 1")
    limit = PROFILES[profile].max_candidates
    if limit is not None and candidates > limit:
        raise CaseError(_join(path, "candidates"),
                        f"{candidates} is above the {profile} limit of {limit} candidates (R-RNK-1)",
                        zh=f"推荐中标候选人不得超过{limit}名（R-RNK-1），现为{candidates}名")
    return Method(
        kind=kind,
        criteria=criteria,
        price=price,
        sme_deduction=_field(obj, "sme_deduction", path, _fraction_below_one, None),
        averaging=_field(obj, "averaging", path, _averaging, Averaging()),
        deviation_alert_pct=_field(obj, "deviation_alert_pct", path, _non_negative, Decimal(30)),
        low_price_alert_pct=_field(obj, "low_price_alert_pct", path, _non_negative, Decimal(20)),
        candidates=candidates,
        tie_break=_field(obj, "tie_break", path, _tie_break, None),
    )


def _known(key: str, ids: set[str], path: str, what: str) -> str:
    if key not in ids:
        raise CaseError(path, f'unknown {what} "{key}"', zh=f'“{key}”不在名单中')
    return key


def _preliminary(value: Any, path: str, members: set[str], bidders: set[str]) -> dict[str, dict[str, Verdict]]:
    result: dict[str, dict[str, Verdict]] = {}
    for member_id, per_bidder in _obj(value, path).items():
        member_path = _join(path, member_id)
        _known(member_id, members, member_path, "committee member")
        result[member_id] = {}
        for bidder_id, verdict in _obj(per_bidder, member_path).items():
            verdict_path = _join(member_path, bidder_id)
            _known(bidder_id, bidders, verdict_path, "bidder")
            obj = _obj(verdict, verdict_path)
            result[member_id][bidder_id] = Verdict(
                passed=_field(obj, "pass", verdict_path, _bool),
                reason=_field(obj, "reason", verdict_path, _opt_text, None),
            )
    return result


def _decisions(value: Any, path: str, bidders: set[str]) -> dict[str, str]:
    decide = _choice(LOW_PRICE_DECISIONS, "decision")
    return {
        _known(bidder_id, bidders, _join(path, bidder_id), "bidder"): decide(decision, _join(path, bidder_id))
        for bidder_id, decision in _obj(value, path).items()
    }


def _adjustments(value: Any, path: str, bidders: set[str]) -> dict[str, tuple[Adjustment, ...]]:
    result: dict[str, tuple[Adjustment, ...]] = {}
    for bidder_id, items in _obj(value, path).items():
        bidder_path = _join(path, bidder_id)
        _known(bidder_id, bidders, bidder_path, "bidder")
        adjustments = []
        for index, item in enumerate(_list(items, bidder_path)):
            item_path = _join(bidder_path, index)
            obj = _obj(item, item_path)
            adjustments.append(
                Adjustment(amount=_field(obj, "amount", item_path, parse_decimal),
                           reason=_field(obj, "reason", item_path, _opt_text, ""))
            )
        result[bidder_id] = tuple(adjustments)
    return result


def _score(value: Any, path: str, criterion: Criterion) -> Decimal:
    text = value if isinstance(value, str) else None
    if text is None:
        parse_decimal(value, path)  # raises the JSON-number / wrong-type message
    try:
        return check_score(criterion, text)  # type: ignore[arg-type]
    except ScoreProblem as problem:
        raise CaseError(path, problem.en, zh=problem.zh) from None


def _scores(value: Any, path: str, members: set[str], bidders: set[str],
            criteria: Mapping[str, Criterion]) -> dict[str, dict[str, dict[str, Decimal]]]:
    result: dict[str, dict[str, dict[str, Decimal]]] = {}
    for member_id, per_bidder in _obj(value, path).items():
        member_path = _join(path, member_id)
        _known(member_id, members, member_path, "committee member")
        result[member_id] = {}
        for bidder_id, per_criterion in _obj(per_bidder, member_path).items():
            bidder_path = _join(member_path, bidder_id)
            _known(bidder_id, bidders, bidder_path, "bidder")
            result[member_id][bidder_id] = {}
            for criterion_id, score in _obj(per_criterion, bidder_path).items():
                score_path = _join(bidder_path, criterion_id)
                _known(criterion_id, set(criteria), score_path, "criterion")
                result[member_id][bidder_id][criterion_id] = _score(score, score_path, criteria[criterion_id])
    return result


def _decryption(value: Any, path: str, bidders: set[str]) -> dict[str, DecryptionFailure]:
    """The ``decryption`` record: bidder → {"outcome": revoked | withdrawn, "cause": ...} (R-OPEN-10)."""
    result = {}
    for bidder_id, item in _obj(value, path).items():
        where = _join(path, bidder_id)
        _known(bidder_id, bidders, where, "bidder")
        obj = _obj(item, where)
        cause = _field(obj, "cause", where, _choice(CAUSES, "decryption failure cause"))
        outcome = _field(obj, "outcome", where, _choice(OUTCOMES, "decryption outcome"))
        if outcome != outcome_of(cause):
            raise CaseError(_join(where, "outcome"),
                            f"{outcome} does not follow from the cause {cause} (R-OPEN-10 gives {outcome_of(cause)})",
                            zh=f"原因 {cause} 应视为 {outcome_of(cause)}（R-OPEN-10）")
        result[bidder_id] = DecryptionFailure(outcome, cause)
    return result


def _minutes(value: Any, path: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 24 * 60:
        raise CaseError(path, f"expected whole minutes from 1 to 1440, got {_show(value)}",
                        zh="应为 1 至 1440 的整数分钟")
    return value


def parse_case(document: Any) -> Case:
    """Validate a decoded JSON document and build the :class:`Case`, or raise :class:`CaseError`."""
    root = _obj(document, "")
    fmt = _field(root, "format", "", _opt_text)
    if fmt != CASE_FORMAT:
        raise CaseError("format", f'unknown format {_show(fmt)} (expected "{CASE_FORMAT}")',
                        zh=f"不支持的会话包格式 {_show(fmt)}，应为 {CASE_FORMAT}")
    profile = _field(root, "profile", "", _choice(PROFILE_NAMES, "profile"))
    overlay = _field(root, "overlay", "", _choice(tuple(OVERLAYS), "overlay"), None)
    project = _field(root, "project", "", _project)
    lot = _field(root, "lot", "", _lot)
    opening = _field(root, "opening", "", _obj)
    deadline = _field(opening, "deadline", "opening", _time)

    bidders = tuple(_bidder(item, _join("bidders", i)) for i, item in enumerate(_field(root, "bidders", "", _list)))
    _unique_ids(list(bidders), "bidders", "bidder")
    committee = tuple(_member(item, _join("committee", i))
                      for i, item in enumerate(_field(root, "committee", "", _list)))
    _unique_ids(list(committee), "committee", "committee member")
    method = _field(root, "method", "", lambda value, path: _method(value, path, profile))

    member_ids = {m.id for m in committee}
    bidder_ids = {b.id for b in bidders}
    criteria = {c.id: c for c in method.criteria}
    return Case(
        profile=profile,
        overlay=overlay,
        project=project,
        lot=lot,
        deadline=deadline,
        bidders=bidders,
        committee=committee,
        method=method,
        preliminary=_field(root, "preliminary", "", lambda v, p: _preliminary(v, p, member_ids, bidder_ids), {}),
        low_price_decisions=_field(root, "low_price_decisions", "", lambda v, p: _decisions(v, p, bidder_ids), {}),
        adjustments=_field(root, "adjustments", "", lambda v, p: _adjustments(v, p, bidder_ids), {}),
        scores=_field(root, "scores", "", lambda v, p: _scores(v, p, member_ids, bidder_ids, criteria), {}),
        draw_seed=_field(root, "draw_seed", "", _opt_text, None),
        decryption=_field(root, "decryption", "", lambda v, p: _decryption(v, p, bidder_ids), {}),
        decryption_minutes=_field(opening, "decryption_minutes", "opening", _minutes, None),
    )
