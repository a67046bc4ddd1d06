"""Periods: the year a counted activity happened, and the span of a term summary.

Sources, in the order the extractor consults them for a sentence:

* session references (十三届二次会议 → 2019): national terms from ``data/terms.yaml``;
  provincial committees follow the provincial election cycle (terms starting 1998, 2003,
  … 2023); other committees are anchored by a date stated with a session in the same
  document or by the publication date (the newest session a page mentions is the one
  meeting when it was published);
* explicit years (2022年), except 截至 cut-off dates, which only date a figure when
  nothing else does;
* relative words (去年, 今年, 全年, 过去一年, 一年来) against the publication date:
  a review published in the first half of year Y is about Y−1;
* term summaries (五年来, 十届省政协期间, 本届以来, 2004年~2010年): ``period_start``..``year``.

The publication date comes from the corpus metadata URL (its date segments) or from a
dateline in the page (2023-01-06 09:50, 2024年01月26日, 时间:…, 归档时间:…).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import yaml

from .numerals import parse_number
from .paths import PACKAGE_DATA

CN = "一二三四五六七八九十"
SESSION = re.compile(
    rf"(?:第)?(?P<term>[{CN}]{{1,3}})届(?:[^,。;:\n]{{0,24}}?(?:委员会|政协))?(?:第)?(?P<session>[{CN}]{{1,2}})次"
    rf"(?:全体)?(?:会议|大会)"
)
#: Sessions of Party committees and people's congresses are not CPPCC sessions.
NOT_CPPCC = re.compile(r"中共|人大|党委|[省市州县区]委(?!员)|党代|人民代表大会")
# No look-behind here: it would slow every scan five-fold; ``years_in`` drops 12022年-like hits.
YEAR = re.compile(r"((?:19[5-9]|20[0-4])\d)\s*年(?!代)")
#: 2017—2021年, 2017年1月至2021年12月: a span of years (the months do not make it a date)
YEAR_RANGE = re.compile(r"((?:19|20)\d\d)\s*年?(?:\d{1,2}月(?:\d{1,2}日)?)?\s*(?:~|-|—|–|至|到)\s*((?:19|20)\d\d)\s*年"
                        r"(?:\d{1,2}月(?:\d{1,2}日|底|末)?)?")
CUTOFF = re.compile(r"截[至止](?:到)?\s*((?:19|20)\d\d)\s*年")
#: 截至去年年底, 截至目前: a cut-off, not the period counted.
CUTOFF_PHRASE = re.compile(r"截[至止](?:到)?\s*(?:(?:19|20)\d\d\s*年|去年|今年|上年|本年|目前|年底|年末)[^,;。\n]{0,10}")
#: A summary of a numbered term (十届省政协期间, 十三届省政协共…): anchors that term's first year.
TERM_OF = re.compile(rf"(?<!新)(?<!上)(?<!下)(?P<term>[{CN}]{{1,3}})届(?:[^,。;\n]{{0,6}})?政协(?:期间|的五年|五年|以来|共|累计)")  # not 新一届
TERM_SUMMARY = re.compile(
    r"(?P<n>[二三四五六七八九十两]|\d)年(?:来|间|内|中|里|(?<=近.年)|(?<=过去.年))|本届(?:以来|政协|来|共|累计)|"
    + TERM_OF.pattern
    + r"|届内|任期内|五年来|过去五年|过去的五年"
    + r"|[“\"]?十(?P<plan>[一二三四五])五[”\"]?(?:期间|时期)"  # a five-year plan: “十三五”期间
)
RELATIVE_PREVIOUS = re.compile(r"(?<![比较从自与同和跟])(?:去年|上年|上一年|前一年)(?!同期|开始|以来|起|底|相比|持平)")
RELATIVE_REVIEW = re.compile(r"全年|过去一年|过去的一年|一年来|这一年|本年度|年度内|(?<![一二三四五六七八九十两几\d])年内")
# (上半年 alone is this year's first half: 2023年上半年 and 去年上半年 are dated by their own words)
RELATIVE_THIS = re.compile(r"今年|本年(?!度)|(?<![年今去])[上下]半年")

COPYRIGHT = re.compile(r"(?:Copyright|版权所有|©)\s*(?:@|©|\(c\))?\s*(?:(?:19|20)\d\d\s*[-–—]\s*)?((?:19|20)\d\d)", re.I)
#: 将于2023年1月…: the page was written before that month.
FUTURE = re.compile(r"(?:将于|将在|计划于|预计于|定于)\s*((?:19|20)\d\d)年(\d{1,2})月")
FULL_DATE = re.compile(r"((?:19|20)\d\d)年\d{1,2}月(?:\d{1,2}日)?")
_DATELINE = [
    re.compile(r"((?:19|20)\d\d)[-/.年][ \t]*(\d{1,2})[-/.月][ \t]*(\d{1,2})日?(?:[ \t]+\d{1,2}:\d{2})?"),
    # a work report's header: (二〇二一年一月十二日在…会议上), its year made Arabic by arabic_years
    re.compile(r"((?:19|20)\d\d)年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日"),
]
YEARBOOK = re.compile(r"年鉴\s*[(·]?\s*((?:19|20)\d\d)|((?:19|20)\d\d)\s*年鉴")
# what may stand between a year and the session it dates: 2018年(1月召开的)(,)(市)政协
_YEAR_OF_SESSION = re.compile(r"(?:\d{1,2}月(?:\d{1,2}日)?)?(?:召开的|举行的|的)?,?[^,;。:\n]{0,8}")
_LABELLED_DATE = re.compile(r"(?:发布时间|发布日期|发表时间|发表日期|日期|时间)\s*:?\s*((?:19|20)\d\d)[-/.年]\s*(\d{1,2})[-/.月]\s*(\d{1,2})")
# a signature at the foot of a notice or report: 政协…办公室 / 2023年12月(8日), on a line of its own
_SIGNED_DATE = re.compile(r"^[ \t]*(?:[^\n\d。,]{2,30}?[ \t]{2,})?((?:19|20)\d\d)年([一二三四五六七八九十]{1,2}|\d{1,2})月"
                          r"(?:([一二三四五六七八九十]{1,3}|\d{1,2})日)?(?:印发|发布|制发)?[ \t]*$", re.M)
# (or on the signer's line, 政协四平市委员会办公室  2020年1月8日印发)
_CN_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}年")
_CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_URL_DATE = [  # most specific first
    re.compile(r"[/_.]t((?:19|20)\d\d)(\d\d)(\d\d)_"),            # /202101/t20210125_123.html
    re.compile(r"/((?:19|20)\d\d)[-/_]?(\d\d)[-/_]?(\d\d)/"),      # /2012/03/13/, /2015-02-06/
    re.compile(r"[/_]((?:19|20)\d\d)-(\d\d)-(\d\d)"),              # _2015-02-06
    re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})/"),             # /art/2021/1/25/
    re.compile(r"/((?:19|20)\d\d)[-/_](\d\d)/"),                     # /2026-01/
    re.compile(r"/((?:19|20)\d\d)(\d\d)/"),                          # /202602/
]


@dataclass(frozen=True)
class Period:
    """``period_start``..``year`` (equal for an annual figure); ``how`` says what decided it."""

    year: int
    start: int
    how: str

    @property
    def is_summary(self) -> bool:
        return self.start < self.year


@lru_cache(maxsize=1)
def national_terms() -> dict[int, int]:
    """National committee term number → first year, from ``data/terms.yaml``."""
    data = yaml.safe_load((PACKAGE_DATA / "terms.yaml").read_text(encoding="utf-8"))
    return {int(k): int(v) for k, v in data["national"].items()}


def years_in(text: str, start: int = 0, end: int | None = None):
    """YEAR matches in text[start:end] that are not the tail of a longer number."""
    for m in YEAR.finditer(text, start, len(text) if end is None else end):
        if m.start() == 0 or text[m.start() - 1] not in "0123456789.":
            yield m


def sessions_in(text: str):
    """SESSION matches, found from each 届 (rare in prose) instead of scanning every position."""
    return anchored_matches(SESSION, text, "届", 4)


def terms_of(text: str):
    """TERM_OF matches (十届省政协期间), found from each 届."""
    return anchored_matches(TERM_OF, text, "届", 3)


_REPORTING_TERM = re.compile(r"第?([一二三四五六七八九十]{1,3}|\d{1,2})届[\u4e00-\u9fff]{0,12}?委员会常务委员会")


def reporting_term(text: str, head_chars: int = 600) -> int | None:
    """The term of the standing committee that gives a report (政协第八届绵阳市委员会常务委员会…):
    its 本届 is that term, even at the next term's first session."""
    m = _REPORTING_TERM.search(text, 0, head_chars)
    if not m:
        return None
    return int(m.group(1)) if m.group(1).isdigit() else cn_int(m.group(1))


def anchored_matches(pattern: re.Pattern[str], text: str, anchor: str, reach: int):
    """The matches ``pattern.finditer`` would give when every match holds ``anchor`` at most
    ``reach`` characters from its start: tried only there, which is far faster on long text."""
    pos, last_end = text.find(anchor), -1
    while pos >= 0:
        for back in range(reach, 0, -1):
            start = pos - back
            if start < 0 or start < last_end:
                continue
            m = pattern.match(text, start)
            if m:
                yield m
                last_end = m.end()
                break
        pos = text.find(anchor, max(pos + 1, last_end))


def plan_years(number: int) -> tuple[int, int]:
    """First and last year of the ``number``-th five-year plan (the 3rd began in 1966, after a gap)."""
    start = 1966 + 5 * (number - 3)
    return start, start + 4


def provincial_cycle(term_year_hint: int) -> int:
    """First year of the provincial term running in ``term_year_hint`` (terms start 1998, 2003, …)."""
    return term_year_hint - ((term_year_hint - 1998) % 5)


def cn_int(text: str) -> int:
    return int(parse_number(text))


def url_date(url: str) -> date | None:
    """The publication date hinted by a URL's date segments (/2012/03/13/, /2015-02-06/, /202602/)."""
    for pattern in _URL_DATE:
        m = pattern.search(url or "")
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            d = int(m.group(3)) if m.lastindex and m.lastindex >= 3 else 1
            try:
                return date(y, mo, d)
            except ValueError:
                continue
    return None


def dateline(text: str, head_chars: int = 600) -> date | None:
    """The first full date in the page's head (a dateline), else one labelled as the publication
    date (发布时间:) further down a page whose menus push it out of the head, else the date a
    notice or report is signed with at its foot (二〇二三年十二月, on a line of its own)."""
    for pattern in _DATELINE:
        for m in pattern.finditer(text[:head_chars]):
            try:
                return date(*(int(g) if g.isdigit() else cn_int(g) for g in m.groups()))
            except ValueError:
                continue
    m = _LABELLED_DATE.search(text, 0, 5000)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    foot = max(0, len(text) - 300)
    for m in reversed(list(_SIGNED_DATE.finditer(text, foot))):
        try:
            return date(*(int(g) if g.isdigit() else cn_int(g) for g in (m.group(1), m.group(2), m.group(3) or "1")))
        except ValueError:
            return None
    return None


_DELIVERED = re.compile(r"((?:19|20)\d\d)年(\d{1,2}|[一二三四五六七八九十]{1,2})月(\d{1,2}|[一二三四五六七八九十]{1,3})日"
                        r"在[^\n]{2,60}?(?:会议|大会)上")


def delivery_date(text: str) -> date | None:
    """The day a report was delivered, from its header (——2023年1月12日在…第二次会议上): on a
    page that reposts it later, the date its 过去一年 and 今年 speak from."""
    m = _DELIVERED.search(text, 0, 1500)
    if not m:
        return None
    try:
        return date(*(int(g) if g.isdigit() else cn_int(g) for g in m.groups()))
    except ValueError:
        return None


def arabic_years(text: str) -> str:
    """二〇二一年 → 2021年 (same length, so offsets hold): how report headers and headings write years."""
    found = list(anchored_matches(_CN_YEAR, text, "年", 4))
    if not found:
        return text
    parts, pos = [], 0
    for m in found:
        parts += [text[pos : m.start()], m.group().translate(_CN_YEAR_DIGITS)]
        pos = m.end()
    return "".join(parts) + text[pos:]


def weak_publication(text: str) -> date | None:
    """A publication date inferred from a yearbook title, a copyright line or a future announcement,
    if nothing better."""
    m = YEARBOOK.search(text, 0, 300)
    if m:  # 平度年鉴(2016) is published early in 2016 and covers 2015
        return date(int(m.group(1) or m.group(2)), 1, 1)
    m = FUTURE.search(text)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        return date(y - 1, 12, 15) if mo == 1 else date(y, max(1, mo - 1), 15)
    years = [int(y) for y in COPYRIGHT.findall(text)]
    if years:
        return date(max(years), 12, 31)
    return None


@dataclass
class SessionAnchors:
    """What the document says about when its committee's sessions met."""

    publication: date | None
    national: dict[int, int]
    anchored: dict[tuple[int, int], int]  # (term, session) → year, from dates stated with them
    latest: tuple[int, int] | None  # the newest (term, session) the document mentions
    latest_reliable: bool = True  # False when the publication date is only a guess
    latest_local: tuple[int, int] | None = None  # the newest not named as the national committee's
    only_since: frozenset[tuple[int, int]] = frozenset()  # sessions only named as 以来: met a year before
    newest_by_term: dict[int, int] = field(default_factory=dict)  # term → its newest session named

    def session_year(self, term: int, session: int, level: str) -> int | None:
        """The year session ``session`` of term ``term`` met, or None when it cannot be told."""
        if level == "national" and term in self.national:
            return self.national[term] + session - 1
        if (term, session) in self.anchored:
            return self.anchored[(term, session)]
        for (t, s), y in self.anchored.items():
            if t == term:
                return y + session - s
        for (t, s), y in self.anchored.items():
            if abs(t - term) == 1:  # terms run five years: the next term's first session follows the fifth
                return y - s + 1 + 5 * (term - t) + session - 1
        if level == "provincial" and self.publication:
            start = provincial_cycle(self.publication.year)
            if start + session - 1 > self.publication.year:
                start -= 5
            return start + session - 1
        latest = self.latest if level == "national" else (self.latest_local or self.latest)
        if latest and latest[0] != term and term in self.newest_by_term:
            # a term other than the newest session's, with nothing anchoring it: another committee's
            # terms (区政协四届三次 beside 北京市政协十三届一次, 岐山县政协十届二次 beside 宝鸡市政协
            # 十一届二次), whose own newest session named is the one meeting now
            latest = (term, self.newest_by_term[term])
        if latest and self.publication and self.latest_reliable and latest[0] == term:
            # the newest session named is the one meeting when the page appeared
            # named only as 以来 (since), it met the year before — if the page is from the
            # session season (Jan–Apr); later in the year it is this year's session
            past = latest in self.only_since and self.publication.month <= 4
            return self.publication.year - (latest[1] - session) - (1 if past else 0)
        return None


_NEXT_YEAR_SESSION = re.compile(r"[^,。;\n]{0,4}?(?:将|定|拟|计划)?于(?:明年|((?:19|20)\d\d)年)")
_YEAR_HEADING = re.compile(r"^[ \t]*((?:19|20)\d\d)年(?:度)?(?:大事记|纪事)?[ \t]*$", re.M)


def year_headings(text: str) -> list[tuple[int, int]]:
    """(offset, year) of the year headings of a chronicle (大事记: a line that is only 2015年,
    above entries dated 1月7日…), when the page has two or more; else none."""
    found = [(m.start(), int(m.group(1))) for m in _YEAR_HEADING.finditer(text)] if "年\n" in text else []
    return found if len(found) >= 2 else []


def heading_year(headings: list[tuple[int, int]], pos: int) -> int | None:
    """The year of the chronicle section ``pos`` stands in, if any."""
    i = bisect_right(headings, (pos, 9999))
    return headings[i - 1][1] if i else None


def session_anchors(text: str, publication: date | None, headings: list[tuple[int, int]] = ()
                    ) -> SessionAnchors:
    """Collect session references and the dates stated beside them (in a chronicle, an entry's
    day under its year heading: 2015年 / 1月7日至10日 政协…第四次会议召开)."""
    anchored: dict[tuple[int, int], int] = {}
    latest: tuple[int, int] | None = None
    latest_local: tuple[int, int] | None = None
    since: dict[tuple[int, int], bool] = {}
    newest_by_term: dict[int, int] = {}
    prev_end = 0
    for m in sessions_in(text):
        if NOT_CPPCC.search(text, max(0, m.start() - 10), m.start()):
            continue
        try:
            key = (cn_int(m.group("term")), cn_int(m.group("session")))
        except ValueError:
            continue
        ahead = _NEXT_YEAR_SESSION.match(text, m.end())
        if ahead and (ahead.group(1) is None or (publication and int(ahead.group(1)) > publication.year)):
            if ahead.group(1):
                anchored.setdefault(key, int(ahead.group(1)))
            continue  # 十四届三次会议将于明年1月召开: announced, not the session the page is about
        if latest is None or key > latest:
            latest = key
        newest_by_term[key[0]] = max(newest_by_term.get(key[0], 0), key[1])
        national = "全国" in text[max(0, m.start() - 6) : m.start()] or "全国委员会" in m.group()
        if not national and (latest_local is None or key > latest_local):
            latest_local = key
        since[key] = since.get(key, True) and text.startswith("以来", m.end())
        # a date before the session names it, unless another session or a full stop comes between
        window = text[max(0, prev_end, m.start() - 30) : m.start()]
        window = window[window.rfind("。") + 1 :]
        prev_end = m.end()
        years = list(years_in(window))
        if years and re.search(r"\d月\d{1,2}日", window):
            anchored.setdefault(key, int(years[-1].group(1)))
        elif headings and not years and re.search(r"\d月\d{1,2}日", window) and heading_year(headings, m.start()):
            anchored.setdefault(key, heading_year(headings, m.start()))
        elif years and _YEAR_OF_SESSION.fullmatch(window[years[-1].end():]) and not re.search(
                r"(?:截[至止]|至|到|以来)", window[max(0, years[-1].start() - 3) : years[-1].start()]
                + window[years[-1].end():]):
            anchored.setdefault(key, int(years[-1].group(1)))  # 2018年,市政协十二届二次会议…
    return SessionAnchors(publication, national_terms(), anchored, latest,
                          latest_local=latest_local, only_since=frozenset(k for k, v in since.items() if v),
                          newest_by_term=newest_by_term)


def review_year(publication: date | None) -> int | None:
    """The year a 全年/过去一年 review published on ``publication`` is about."""
    if publication is None:
        return None
    return publication.year - 1 if publication.month <= 6 else publication.year
