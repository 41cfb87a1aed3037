"""Import errors in plain Chinese for the console, naming the field like the English line does."""

from __future__ import annotations

import pytest

from app.domain.case_parse import parse_case
from app.domain.errors import CaseError, path_zh
from casebuilder import case


def test_path_names_are_chinese_and_ids_stay() -> None:
    assert path_zh("bidders[1].price") == "投标人 › 第2项 › 投标报价"
    assert path_zh("scores.E3.B2.T1") == "评分 › E3 › B2 › T1"
    assert path_zh("method.price.trim[0].min_count") == "评标办法 › 投标报价 › 去高去低规则 › 第1项 › 适用家数"


@pytest.mark.parametrize("mutate, english, chinese", [
    (lambda d: d["bidders"][0].__setitem__("price", 950000), "bidders[0].price: 950000 is a JSON number",
     "须写成带引号的数字"),
    (lambda d: d["scores"]["E3"]["B2"].__setitem__("T1", "41"), 'scores.E3.B2.T1: "41" is above the maximum 40',
     "超过本项满分 40 分"),
    (lambda d: d.pop("lot"), "lot: required field is missing", "标段：缺少必填项"),
    (lambda d: d["bidders"][0].__setitem__("submitted_at", "2026-11-20 09:00"), "has no UTC offset", "缺少时区"),
    (lambda d: d["committee"][1].__setitem__("id", "E1"), 'duplicate committee member id "E1"', "重复"),
])
def test_every_refusal_has_a_chinese_message(mutate, english, chinese) -> None:
    document = case()
    mutate(document)
    with pytest.raises(CaseError) as info:
        parse_case(document)
    assert english in str(info.value)
    assert chinese in info.value.zh_message()
