"""Errors of the rule engine that a user can act on."""

from __future__ import annotations

from app.errors import EvalRoomError

#: Chinese names of the case fields, so the console can show an import error in plain Chinese.
FIELD_NAMES_ZH = {
    "format": "格式", "profile": "规则类型", "overlay": "地方规则", "project": "项目", "code": "编号", "name": "名称",
    "category": "类别", "budget": "预算金额", "max_price": "最高投标限价", "lot": "标段", "opening": "开标",
    "deadline": "投标截止时间", "bidders": "投标人", "id": "编号", "price": "投标报价", "submitted_at": "递交时间",
    "sme": "中小企业", "committee": "评标委员会", "role": "身份", "chair": "组长", "method": "评标办法",
    "kind": "类型", "criteria": "评审因素", "group": "分组", "type": "性质", "max": "满分", "step": "分值步长",
    "price_rule": "价格分", "points": "价格分值", "k": "下浮系数", "trim": "去高去低规则", "min_count": "适用家数",
    "drop_high": "去掉最高", "drop_low": "去掉最低", "per_pct_above": "高于基准价每1%扣分",
    "per_pct_below": "低于基准价每1%扣分", "floor": "最低得分", "sme_deduction": "中小企业价格扣除",
    "averaging": "平均方式", "min_members": "适用人数", "deviation_alert_pct": "评分偏离预警比例",
    "low_price_alert_pct": "低价预警比例", "candidates": "推荐候选人数量", "tie_break": "同分排序规则",
    "preliminary": "初步评审", "pass": "结论", "reason": "理由", "low_price_decisions": "低价处理决定",
    "adjustments": "价格调整", "amount": "金额", "scores": "评分", "draw_seed": "抽签种子",
}


def path_zh(path: str) -> str:
    """``bidders[1].price`` → ``投标人 第2项 › 投标报价``; ids (E3, B2, T1) stay as they are."""
    parts: list[str] = []
    for segment in path.split("."):
        name, _, index = segment.partition("[")
        parts.append(FIELD_NAMES_ZH.get(name, name))
        while index:
            number, _, index = index.partition("]")
            parts.append(f"第{int(number) + 1}项")
            index = index.lstrip("[")
    return " › ".join(p for p in parts if p)


_LINE_BREAKS = str.maketrans({
    "\n": "\\n", "\r": "\\r", "\v": "\\v", "\f": "\\f", "\x1c": "\\x1c", "\x1d": "\\x1d", "\x1e": "\\x1e",
    "\x85": "\\x85", "\u2028": "\\u2028", "\u2029": "\\u2029",
})


def one_line(text: str) -> str:
    """Escape every character Python or a terminal treats as a line break: errors are one line."""
    return text.translate(_LINE_BREAKS)


class CaseError(EvalRoomError, ValueError):
    """Malformed case input. ``path`` names the field (``scores.E3.B2.T1``); str() is one line in
    English (the command line, printed as it is); ``message("zh")`` is the same in plain Chinese for the console."""

    cli_prefix = "none"
    help_key = "case.help"

    def __init__(self, path: str, message: str, zh: str | None = None) -> None:
        path, message = one_line(path), one_line(message)
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.detail = message
        self.zh = one_line(zh) if zh is not None else None

    def zh_message(self) -> str:
        text = self.zh or self.detail
        return f"{path_zh(self.path)}：{text}" if self.path else text

    def message(self, lang: str = "en") -> str:
        return self.zh_message() if lang == "zh" else super().message(lang)
