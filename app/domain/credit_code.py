"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, the last a check character."""

from __future__ import annotations

#: the code's character set (GB 32100-2015 表 1: digits and capitals without I, O, Z, S, V), value = index
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: the weights of positions 1..17 (3^(i-1) mod 31)
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """The check character of the first 17 characters (C18 = 31 - (Σ Ci·Wi mod 31), 31 becomes 0)."""
    if len(first17) != 17 or any(c not in CHARSET for c in first17):
        raise ValueError("the first 17 characters must come from the code's character set")
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> tuple[str, str] | None:
    """``None`` if ``code`` is a well-formed code with the right check character, else (English, Chinese)."""
    if len(code) != 18:
        return (f"has {len(code)} characters (a unified social credit code has 18)",
                f"长度为 {len(code)} 位（统一社会信用代码为 18 位）")
    bad = [c for c in code if c not in CHARSET]
    if bad:
        return (f'character "{bad[0]}" is not allowed (GB 32100: digits and capitals without I, O, S, V, Z)',
                f"含有不允许的字符“{bad[0]}”（GB 32100：数字及除 I、O、S、V、Z 外的大写字母）")
    expected = check_character(code[:17])
    if code[17] != expected:
        return (f'wrong check character "{code[17]}" (GB 32100 gives "{expected}")',
                f"校验码错误：末位为“{code[17]}”，按 GB 32100 应为“{expected}”")
    return None
