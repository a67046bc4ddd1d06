"""Numbers as Chinese reports write them: Arabic, Chinese numerals, 万/亿, percentages, qualifiers.

``cn2an`` converts the Chinese-numeral integers (一千一百九十四, 两万三千, 三百〇五). The
rest is ours because cn2an rejects the mixed forms reports use (2.9万, 二点五万, 3万余,
百分之九十) and works in floats: multiplying with ``Decimal`` keeps 16.4亿 exactly
1640000000, not 1639999999.99.

All functions take simplified text with ASCII digits (see ``normalize``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

import cn2an

Qualifier = Literal["exact", "at_least", "at_most", "about", "all"]

CN_DIGITS = "零〇一二两三四五六七八九十百千"
_CN_NUM = f"[{CN_DIGITS}][{CN_DIGITS}万亿]*"
_AR_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"

PREFIX_QUALIFIERS: dict[str, Qualifier] = {
    "将近": "at_most",
    "接近": "at_most",
    "不到": "at_most",
    "不足": "at_most",
    "近": "at_most",
    "大约": "about",
    "约": "about",
    "超过": "at_least",
    "逾": "at_least",
    "多达": "at_least",
}
SUFFIX_QUALIFIERS: dict[str, Qualifier] = {
    "余": "at_least",
    "多": "at_least",
    "以上": "at_least",
    "左右": "about",
}

PREFIX_RE = "|".join(sorted(PREFIX_QUALIFIERS, key=len, reverse=True))

#: A count as it stands in text, with its qualifier words (group ``q``): 1300余, 近1500, 2.5万, 一千一百九十四.
#: 多 is only taken before the unit that a rule adds (3000多件), so 多次/多家 are never numbers.
COUNT_PATTERN = (rf"(?P<q>(?:{PREFIX_RE})?(?:{_AR_NUM}(?:余|多)?[万亿](?:余|多)?|{_AR_NUM}|{_CN_NUM})"
                 rf"(?:余|多|以上|左右)?)(?![\d%.])")
_TENTHS = "[一二三四五六七八九]成(?:[一二三四五六七八九](?![十百千万成]))?"
#: A percentage with its qualifier words (group ``q``): 92.3%, 百分之九十, 90%以上, 九成以上 (tenths).
PERCENT_PATTERN = (rf"(?P<q>(?:{PREFIX_RE})?(?:百分之[{CN_DIGITS}点]+|百分之{_AR_NUM}|{_AR_NUM}\s?%|{_TENTHS})"
                   rf"(?:以上|左右)?)")

_MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


@dataclass(frozen=True)
class Quantity:
    """A parsed number: ``value`` (percent number for rates), its qualifier and whether it is a percent."""

    value: float
    qualifier: Qualifier
    percent: bool = False


def parse_number(text: str) -> float:
    """Parse one number token: '1,194', '2.9万', '16.4亿', '一千一百九十四', '两万', '三百〇五'.

    Raises ValueError when ``text`` is not a number.
    """
    text = text.strip().replace(",", "")
    if not text:
        raise ValueError("empty number")
    multiplier = Decimal(1)
    # 2.9万, 3万, 1.2亿; 一亿二千万 is handled by cn2an below.
    if text[-1] in _MULTIPLIERS and re.fullmatch(r"[\d.]+[万亿]", text):
        multiplier = _MULTIPLIERS[text[-1]]
        text = text[:-1]
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        try:
            return float(Decimal(text) * multiplier)
        except InvalidOperation as exc:  # pragma: no cover - regex guards it
            raise ValueError(text) from exc
    if re.fullmatch(f"[{CN_DIGITS}万亿点]+", text):
        if "点" in text:
            whole, _, frac = text.partition("点")
            mult = Decimal(1)
            if frac and frac[-1] in _MULTIPLIERS:
                mult, frac = _MULTIPLIERS[frac[-1]], frac[:-1]
            digits = "".join(str("零一二三四五六七八九".index(c)) if c in "零一二三四五六七八九" else "0" for c in frac)
            base = Decimal(int(cn2an.cn2an(whole, "smart")) if whole else 0)
            return float((base + Decimal("0." + (digits or "0"))) * mult)
        if re.fullmatch(f"[{CN_DIGITS}]+", text) and len(text) > 1 and not re.search("[十百千]", text):
            # digit strings written digit by digit: 二〇二二
            return float("".join(str("〇一二三四五六七八九".index(c.replace("零", "〇"))) for c in text))
        if text[0] in "十百千万亿" and text[0] != "十":
            text = "一" + text  # 百 alone, 千余: 一百, 一千
        try:
            return float(cn2an.cn2an(text, "smart"))
        except (ValueError, KeyError) as exc:
            raise ValueError(f"not a Chinese numeral: {text}") from exc
    raise ValueError(f"not a number: {text}")


_DIGIT_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_PERCENT_CN = re.compile(rf"百分之([{CN_DIGITS}点]+|{_AR_NUM})")


@lru_cache(maxsize=8192)  # reports repeat their figures; Quantity is immutable
def parse_quantity(text: str) -> Quantity:
    """Parse a number with its qualifiers and percent sign: '1300余', '近1500', '92.3%', '百分之九十', '约2.5万'."""
    raw = text.strip()
    qualifier: Qualifier = "exact"
    for word in sorted(PREFIX_QUALIFIERS, key=len, reverse=True):
        if raw.startswith(word):
            qualifier = PREFIX_QUALIFIERS[word]
            raw = raw[len(word) :]
            break
    percent = False
    m = _PERCENT_CN.match(raw)
    if m:  # 百分之八十以上: the qualifier follows the number
        rest = raw[m.end():]
        if rest and rest not in SUFFIX_QUALIFIERS:
            raise ValueError(f"not a percentage: {text}")
        if rest and qualifier == "exact":
            qualifier = SUFFIX_QUALIFIERS[rest]
        return Quantity(parse_number(m.group(1)), qualifier, True)
    if raw.endswith("%"):
        percent, raw = True, raw[:-1]
    for word in sorted(SUFFIX_QUALIFIERS, key=len, reverse=True):
        if raw.endswith(word):
            qualifier = SUFFIX_QUALIFIERS[word] if qualifier == "exact" else qualifier
            raw = raw[: -len(word)]
            break
    if "成" in raw and re.fullmatch(_TENTHS, raw):  # 九成 = 90%, 九成五 = 95%
        return Quantity(float(10 * _DIGIT_VALUE[raw[0]] + (_DIGIT_VALUE[raw[2]] if len(raw) > 2 else 0)),
                        qualifier, True)
    # 3万余 → the qualifier sits between the number and 万
    m2 = re.fullmatch(rf"({_AR_NUM})(余|多)([万亿])", raw)
    if m2:
        raw = m2.group(1) + m2.group(3)
        qualifier = "at_least" if qualifier == "exact" else qualifier
    if raw.endswith("%"):
        percent, raw = True, raw[:-1]
    return Quantity(parse_number(raw), qualifier, percent)
