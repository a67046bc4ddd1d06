"""Committees: which CPPCC committee a mention of 政协 names, with its level and province.

Names are recognised against ``data/gazetteer.csv`` (China's administrative divisions,
see ``scripts/build_gazetteer.py``), in full (四川省, 黔东南苗族侗族自治州) or short
(四川, 黔东南州, 平阴) form, plus ``data/former_divisions.csv`` (units renamed or merged
since 2000 that older reports name: 襄樊市, 崇文区) and ``data/short_names.csv`` (short
names no rule derives: 巴州). A mention is a named committee (广州市政协, 政协广水市第八届
委员会, 全国政协), a generic one (省政协, 市政协, 该区) that ``resolve`` turns into the
document's committee of that level, or a plural one (各市政协, 两级政协) that names none.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

from .paths import PACKAGE_DATA

Level = Literal["national", "provincial", "prefecture", "county"]
NATIONAL = "全国"
_GENERIC_LEVEL: dict[str, Level] = {"省": "provincial", "市": "prefecture", "州": "prefecture",
                                    "区": "county", "县": "county", "旗": "county", "盟": "prefecture"}
_PLURAL_BEFORE = ("各", "两级", "三级", "四级", "各级", "级", "全省", "全市", "全州", "全区", "全县", "、", "(")
_COMMITTEE_WORD = re.compile(r"政协|政治协商会议")
# (我 first: a pattern that opens with a literal is scanned for at C speed)
_OUR_PLACE = re.compile(r"我(?<=[,;:。\n]我)(县|市|区|旗)(?!政协|委|政府|人大)(?=被|共|全年|今年|去年|[\u4e00-\u9fff]{0,2}?(?:报送|提交|收到))")
_TERM = re.compile(r"第?[一二三四五六七八九十]{1,3}届")
_COMMITTEE_TAIL = re.compile(r"(?:第?[一二三四五六七八九十]{1,3}届)?委员会")
_TERM_START = set("第一二三四五六七八九十")
_CONJUNCTIONS = set("和与及或同跟并")
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
             "地区", "省", "市", "区", "县", "旗", "盟", "州")


@dataclass(frozen=True)
class Committee:
    """A committee: ``name`` in simplified Chinese with its suffix (全国 for the national one)."""

    name: str
    level: Level
    province: str  # "" for the national committee
    parent: str = ""  # the prefecture of a county, "" otherwise


class Mention(NamedTuple):
    """A place in the normalised text that refers to a committee.

    ``kind`` is ``named`` (``committee`` set), ``generic`` (``level`` set: 市政协 → the
    document's prefecture or county-level city) or ``this`` (该区: the last one named).
    A named tuple, not a dataclass: a long page has thousands, and this builds fastest.
    """

    start: int
    end: int
    kind: Literal["named", "generic", "this"]
    committee: Committee | None = None
    level: Level | None = None
    suffix: str = ""


#: The peoples named in autonomous divisions (黔东南苗族侗族自治州 → 黔东南).
_PEOPLES = ("柯尔克孜族", "维吾尔族", "哈萨克族", "柯尔克孜", "哈萨克", "塔吉克族", "鄂温克族", "达斡尔族", "鄂伦春族", "布依族", "土家族",
            "蒙古族", "朝鲜族", "哈尼族", "傈僳族", "景颇族", "纳西族", "仫佬族", "毛南族", "仡佬族", "拉祜族",
            "撒拉族", "保安族", "东乡族", "裕固族", "锡伯族", "普米族", "独龙族", "德昂族", "阿昌族", "布朗族",
            "苗族", "侗族", "彝族", "藏族", "羌族", "回族", "壮族", "瑶族", "白族", "傣族", "黎族", "水族", "畲族",
            "佤族", "土族", "怒族", "京族", "满族", "蒙古")  # 蒙古 without 族: 巴音郭楞蒙古自治州


def _strip_peoples(base: str) -> str:
    """黔东南苗族侗族 → 黔东南: drop the peoples' names at the end, longest first."""
    changed = True
    while changed:
        changed = False
        for people in _PEOPLES:
            if base.endswith(people) and len(base) > len(people) + 1:
                base, changed = base[: -len(people)], True
                break
    return base


def _short_forms(name: str) -> set[str]:
    forms = set()
    base = name
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            base = name[: -len(suffix)]
            break
    if name.endswith(("自治州", "自治区", "自治县", "自治旗")):
        base = _strip_peoples(base)
        if name.endswith("自治州"):
            forms.add(base + "州")  # 黔东南州, 恩施州
    if len(base) >= 2:
        forms.add(base)
    return forms


class Gazetteer:
    """China's administrative divisions, looked up by full or short name."""

    def __init__(self, rows: list[dict[str, str]], former: list[dict[str, str]] = (),
                 short_names: list[dict[str, str]] = ()):
        self.by_name: dict[str, list[Committee]] = {}
        self.short: dict[str, list[Committee]] = {}
        for row, is_former in [*((r, False) for r in rows), *((r, True) for r in former)]:
            c = Committee(row["name"], row["level"], row["province"], row.get("prefecture", ""))  # type: ignore[arg-type]
            self.by_name.setdefault(c.name, []).append(c)
            if is_former and c.level == "county":
                continue  # a former district by its full name only: 白下 alone is too often a word
            for form in _short_forms(c.name):
                if form not in self.by_name:
                    self.short.setdefault(form, []).append(c)
        self.conventional = {row["short"] for row in short_names}  # 巴州: a name in its own right
        for row in short_names:
            self.short.setdefault(row["short"], []).extend(self.by_name[row["name"]])
        # A county-level unit under another suffix, looked up last: 长阳县 is 长阳土家族自治县 (its
        # own suffix), while 临安市 is the name 临安区 had before a reform: a committee of its
        # time, kept under the name the report uses, in the same place.
        self.aliases: dict[str, list[Committee]] = {}
        for cs in list(self.by_name.values()):
            for c in cs:
                if c.level != "county":
                    continue
                for form in sorted({*_short_forms(c.name), c.name[:-1]}):
                    for suffix in "县市区旗":
                        alias = form + suffix
                        if len(form) < 2 or alias in self.by_name or alias in self.short:
                            continue
                        unit = c if suffix == c.name[-1] else Committee(alias, "county", c.province, c.parent)
                        if unit not in self.aliases.get(alias, []):
                            self.aliases.setdefault(alias, []).append(unit)
        self.names = {*self.by_name, *self.short, *self.aliases}
        # every proper prefix and suffix of a name: a longest-match walk stops as soon as it leaves them
        self.prefixes = {n[:k] for n in self.names for k in range(1, len(n))}
        self.suffixes = {n[-k:] for n in self.names for k in range(1, len(n))}
        self.provinces = {c.name: c for cs in self.by_name.values() for c in cs if c.level == "provincial"}

    def lookup(self, name: str, context: Committee | None = None) -> Committee | None:
        """The committee called ``name`` (full or short form); ties broken by ``context``'s province."""
        if name in (NATIONAL, "全国"):
            return NATIONAL_COMMITTEE
        cands = self.by_name.get(name) or self.short.get(name) or self.aliases.get(name) or []
        if not cands:
            return None
        if len(cands) > 1 and context is not None:
            near = [c for c in cands if context.name in (c.province, c.parent) or c.province == context.province]
            if near:
                cands = near
        # a prefecture or province beats a same-named county elsewhere
        order = {"provincial": 0, "prefecture": 1, "county": 2}
        return sorted(cands, key=lambda c: order.get(c.level, 3))[0]

    def name_ending_at(self, text: str, end: int) -> tuple[str, int] | None:
        """The longest gazetteer name (full or short) that ends at ``end``: (name, start)."""
        best = None
        for k in range(1, end + 1):
            piece = text[end - k : end]
            if piece in self.names:
                best = piece, end - k
            if piece not in self.suffixes:
                break
        return best

    def name_starting_at(self, text: str, start: int) -> tuple[str, int] | None:
        """The longest gazetteer name that starts at ``start``: (name, end)."""
        best = None
        for k in range(1, len(text) - start + 1):
            piece = text[start : start + k]
            if piece in self.names:
                best = piece, start + k
            if piece not in self.prefixes:
                break
        return best


NATIONAL_COMMITTEE = Committee(NATIONAL, "national", "")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The packaged gazetteer (loaded once): today's divisions, former ones reports still name
    (襄樊市, 崇文区: committees of their time) and conventional short names (巴州)."""
    def rows(name: str) -> list[dict[str, str]]:
        with (PACKAGE_DATA / name).open(newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    return Gazetteer(rows("gazetteer.csv"), rows("former_divisions.csv"), rows("short_names.csv"))


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def find_mentions(text: str) -> list[Mention]:
    """Every committee mention in normalised text, in order."""
    gz = gazetteer()
    out: list[Mention] = []
    for m in _COMMITTEE_WORD.finditer(text):
        a, b = m.span()
        if text.startswith("全国", a - 2):
            out.append(Mention(a - 2, b, "named", NATIONAL_COMMITTEE))
            continue
        # 政协四川省第十三届委员会 / 政治协商会议第十三届黔东南…自治州委员会 / 政协第十一届全国委员会
        term = _TERM.match(text, b) if b < len(text) and text[b] in _TERM_START else None
        offset = term.end() if term else b
        if text.startswith("全国委员会", offset):
            out.append(Mention(a, offset + 5, "named", NATIONAL_COMMITTEE))
            continue
        right = gz.name_starting_at(text, offset)
        if right:
            name, name_end = right
            if _COMMITTEE_TAIL.match(text, name_end):
                context = None
                chained = gz.name_starting_at(text, name_end)
                if chained and text[chained[1] : chained[1] + 1] in ("第", "委") or (
                    chained and text.startswith("委员会", chained[1])
                ):
                    context, name = gz.lookup(name), chained[0]
                c = gz.lookup(name, context)
                if c:
                    out.append(Mention(a, name_end, "named", c))
                    continue
        left = gz.name_ending_at(text, a)
        if left and left[0][0] == "全" and left[0][1:] in _GENERIC_LEVEL:
            left = None  # 全州政协: the whole prefecture's committees, not 全州(县)
        if left and len(left[0]) == 2 and _is_han(text[left[1] - 1 : left[1]]) and (
                left[0][0] in _CONJUNCTIONS  # 建议和县政协提案: "and the county's", not 和县
                or left[0] not in gz.by_name and left[0] not in gz.conventional
                and text.count(left[0]) == 1):  # 确定州政协: not 定州(市)
            left = None
        if left:
            name, start = left
            parent = gz.name_ending_at(text, start)
            context = gz.lookup(parent[0]) if parent else None
            c = gz.lookup(name, context)
            if c:
                out.append(Mention(start, b, "named", c))
                continue
        if a >= 2 and text[a - 2 : a] in ("该区", "该县", "该市", "该州"):
            out.append(Mention(a - 2, b, "this", level=_GENERIC_LEVEL[text[a - 1]], suffix=text[a - 1]))
            continue
        if text.startswith("自治区", a - 3):  # 自治区政协: the region's (provincial) committee
            out.append(Mention(a - 3, b, "generic", level="provincial", suffix="省"))
            continue
        if a >= 1 and text[a - 1] in _GENERIC_LEVEL:
            before = text[max(0, a - 4) : a]
            if before[:-1].endswith(_PLURAL_BEFORE) or before.endswith(("市县", "县区", "市区", "省市", "区县", "县市")) or (
                    "各" in before[:-1]):  # 各省辖市政协: several
                continue  # 各市政协, 市县两级政协: several committees, none named
            out.append(Mention(a - 1, b, "generic", level=_GENERIC_LEVEL[text[a - 1]], suffix=text[a - 1]))
    for m in re.finditer(r"该(区|县|市)", text):
        if not text.startswith("政协", m.end()):
            out.append(Mention(m.start(), m.end(), "this", level=_GENERIC_LEVEL[m.group(1)], suffix=m.group(1)))
    # 我县被市政协采用信息31篇: "our county" as a subject is the page's own committee
    for m in _OUR_PLACE.finditer(text):
        out.append(Mention(m.start(), m.end(), "generic", level=_GENERIC_LEVEL[m.group(1)], suffix=m.group(1)))
    out.sort(key=lambda x: x.start)
    return out


def place_counts(text: str, county: bool = False) -> Counter[Committee]:
    """How often each province or prefecture (``county``: each county-level unit, by its full
    name) is named in the text, with or without 政协 (a fallback)."""
    gz = gazetteer()
    counts: Counter[Committee] = Counter()
    levels = ("county",) if county else ("provincial", "prefecture")
    for m in (_county_regex() if county else _place_regex()).finditer(text):
        c = gz.lookup(m.group())
        if c and c.level in levels:
            counts[c] += 1
    return counts


_SOURCE_KEYS = ("来源", "稿源", "供稿", "作者单位", "转自")


def publisher_place(text: str) -> Committee | None:
    """The place whose outlet, portal or yearbook published the text: 来源:宣威市融媒体中心,
    凤台县融媒体中心供稿, 双流县人民政府门户网站, 平度年鉴(2016).

    Local media call their own committee 市政协; a county-level city's page that also names
    its prefecture's committee (a guest) still means its own by 市政协. (Literal finds, not one
    regex: this runs on every page, and a lookahead at every character is slow.)
    """
    gz = gazetteer()
    for window in (text[:1200], text[-600:]):
        starts, ends = [], {}
        for key in _SOURCE_KEYS:
            i = window.find(key) + len(key)
            if i >= len(key) and window[i : i + 1] in (":", "："):
                i += 1
                while window[i : i + 1] in (" ", "\t"):
                    i += 1
                starts.append(i)  # the name after 来源: and its spaces
        i = window.find("融媒")
        for start in range(max(0, i - 10), i - 1) if i >= 2 else ():
            starts.append(start)
            ends[start] = i  # the outlet's name runs up to 融媒
        i = window.find("年鉴")
        if i >= 2:
            starts.append(window.rfind("\n", 0, i) + 1)
        i = window.find("政府门户网")
        if i < 0:
            i = window.find("政府网")
        if i >= 2:  # 双流县人民政府门户网站: a government portal's own place
            i -= 2 if window.startswith("人民", i - 2) else 0
            found_before = gz.name_ending_at(window, i)
            if found_before:
                starts.append(found_before[1])
                ends[found_before[1]] = i
        for start in starts:
            found = gz.name_starting_at(window, start)
            if found and ends.get(start, found[1]) != found[1]:
                continue
            c = gz.lookup(found[0]) if found else None
            if c is not None and c.level != "national":
                return c
    return None


@lru_cache(maxsize=1)
def _county_regex() -> re.Pattern[str]:
    """Every county-level unit's full name (short ones like 平阴 are too often other words),
    and its name as a county before it became a district or city (双流县, now 双流区)."""
    gz = gazetteer()
    names = {n for n, cs in gz.by_name.items() if any(c.level == "county" for c in cs)}
    names |= {n[:-1] + "县" for n in names if n[-1] in "区市" and len(n) >= 3}
    return re.compile(trie_pattern(names))


@lru_cache(maxsize=1)
def _place_regex() -> re.Pattern[str]:
    """Every province and prefecture name, full or short, longest first (one scan of the text)."""
    gz = gazetteer()
    names = {n for n, cs in gz.by_name.items() if any(c.level in ("provincial", "prefecture") for c in cs)}
    names |= {n for n, cs in gz.short.items() if any(c.level in ("provincial", "prefecture") for c in cs)}
    return re.compile(trie_pattern(names))


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, the longest at each position, with common prefixes shared.

    A flat alternation of hundreds of names makes the regex engine try every name at every
    position; the trie form tries one branch a character.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alternatives = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)
