"""Extraction: the codebook's rules applied to a document's sentences give indicator facts.

For each document: normalise the text (``normalize``, ``layout``), find the committees it
names (``committees``), its dates (``periods``) and its table cells (``tables``), then walk
its sentences in order (only those that may hold a figure or a period word, outside
related-news lists and plan sections (``regions``): the others cannot change a fact, and
the committee a sentence is about is found by looking back from it). A sentence is
matched against the rules of ``codebook.yaml`` whose indicator's keywords it contains,
with the vetoes of ``cues``; a match gives a quantity (``numerals``), which is attributed to

* the committee of the nearest committee mention before it in the sentence, else the
  paragraph's, else the document's main committee (corpus metadata first);
* the period of the nearest period marker before it in the sentence (session, year,
  relative word, term summary), else the one carried from earlier sentences, else the
  document's own year (see ``periods``).

A figure that is stated twice is kept once, at its first place; a headline figure dated
only by the document gives way to the same figure dated in the body. A figure about one
person (他/她/本人) is not the committee's. A figure whose committee or year cannot be told
is dropped and said in the log.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .codebook import Codebook, Indicator, load_codebook
from .committees import (
    NATIONAL_COMMITTEE,
    Committee,
    Mention,
    find_mentions,
    gazetteer,
    place_counts,
    publisher_place,
)
from .corpus import Document, iter_corpus, list_documents, read_document, read_metadata
from .cues import (
    ERRATUM,
    MEMBER_GROUP,
    MEMBER_SUBGROUP,
    NAMED_MEMBER,
    NOT_IN_NAMES,
    NOT_PROPOSALS,
    OBJECT_AFTER,
    OBJECT_BEFORE,
    ONE_PERSON,
    PERSON_IN_CLAUSE,
    PARTY_SUBJECT,
    PER_UNIT,
    PERSON_TALLY,
    PERSON_TITLES,
    SUBSET_HANDLER,
    TARGET,
    TARGET_IN_CLAUSE,
    VAGUE_BEFORE,
)
from .errors import InputError
from .normalize import NormalizedText, char_table, normalize
from .numerals import CN_DIGITS, COUNT_PATTERN, PERCENT_PATTERN, parse_quantity
from .periods import (
    CUTOFF,
    CUTOFF_PHRASE,
    FULL_DATE,
    NOT_CPPCC,
    RELATIVE_PREVIOUS,
    RELATIVE_REVIEW,
    RELATIVE_THIS,
    SESSION,
    TERM_SUMMARY,
    YEAR_RANGE,
    Period,
    SessionAnchors,
    arabic_years,
    cn_int,
    dateline,
    delivery_date,
    plan_years,
    reporting_term,
    heading_year,
    year_headings,
    YEARBOOK,
    sessions_in,
    review_year,
    session_anchors,
    terms_of,
    url_date,
    weak_publication,
    years_in,
)
from .regions import skipped_spans
from .schemas import FACT_COLUMNS, facts_schema, validate
from .tables import Cell, table_cells

SLOTS = {
    "{N}": COUNT_PATTERN,
    "{P}": PERCENT_PATTERN,
    "{C}": r"[^,;。:!?\n]",
}
_CLAUSE_MARKS = ",;。:!?\n"
CLAUSE_END = re.compile(f"[{_CLAUSE_MARKS}]")
SHARE_AFTER = re.compile(r"^[,、]?\s?\(?(?:在[^,;。]{0,10}中)?(?:约占|占|所占比例为)" + SLOTS["{C}"] + r"{0,12}?"
                         + SLOTS["{P}"])
_SUBJECT_WORDS = ("回眸", "回顾", "总结", "盘点", "综述")
# (2014年度提案办理工作总结会 names a meeting, not the page's subject; 2017年至2021年工作综述 reviews to 2021)
SUBJECT_YEAR = re.compile(r"(?:(?:19|20)\d\d年?(?:至|到|—|–|-))?((?:19|20)\d\d)年度?" + SLOTS["{C}"] + r"{0,8}?(?:" + "|".join(_SUBJECT_WORDS)
                          + r")(?!(?:表彰)?大?会)")
_LIST_VALUE_TEXT = (rf"(?:{COUNT_PATTERN.replace('(?P<q>', '(?:')}(?:件次|人次|件|篇|条|名|位|家|次|项|个)"
                    rf"|{PERCENT_PATTERN.replace('(?P<q>', '(?:')})")
_LIST_VALUE = re.compile(_LIST_VALUE_TEXT)
_RESPECTIVE = re.compile(rf"分别(?:为|是|有|达到?|占)?(?P<values>{_LIST_VALUE_TEXT}(?:[、,和及]{_LIST_VALUE_TEXT})+)")
# 2022年和2023年…分别收到提案412件、438件: one value a year, the indicator in the words between
_RESPECTIVE_BY_YEAR = re.compile(rf"分别(?P<verb>[^\d,;。]{{1,12}}?)(?P<values>{_LIST_VALUE_TEXT}(?:[、,和及]{_LIST_VALUE_TEXT})+)")
_CONTINUED_LIST = re.compile(rf"[^\d。]*?,(?P<verb>[^\d,;。]{{1,12}}?)(?P<values>{_LIST_VALUE_TEXT}(?:[、和及]{_LIST_VALUE_TEXT})+)")
_YEAR_LIST = re.compile(r"(?:19|20)\d\d年(?:[和、及与](?:19|20)\d\d年)+")
_PARTIES = ("民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟", "工商联")
_HANDLING_KEYS = ("proposals.handled", "proposals.handled_rate")
_COMPARED_WITH_YEAR = re.compile(rf"(?:比|较)(?:于)?(?:(?P<year>(?:19|20)\d\d)年|(?P<last>上年|去年|上一年))(?:同期)?的{COUNT_PATTERN}"
                                 r"(?:件次|人次|件|篇|条|期|名|家|个|次)")
_YEAR_ITEM = re.compile(r"(?P<year>(?:19|20)\d\d)年(?P<n>\d+(?:,\d{3})*)(?P<unit>件次|件|期|条|篇|次)")
_YEAR_LIST_RUN = re.compile(r"(?:(?:19|20)\d\d)年\d+(?:,\d{3})*(?:件次|件|期|条|篇|次)"
                            r"(?:[、,;](?:(?:19|20)\d\d)年\d+(?:,\d{3})*(?:件次|件|期|条|篇|次))+")
_COMPARISON_END = re.compile(r"(?:同期)?(?:相比|比较|持平)")
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_TIERS_TOGETHER = re.compile(r"[两三各]级政协")
_TWO_TIERS = re.compile(r"(?:全([省市州])[县市区]?|([省市州])[县市区])两级")
_YEAR_JUST_BEFORE = re.compile(r"(?:19|20)\d\d年度?,?$")
_TITLE = re.compile(r"《[^》\n]{0,80}》")
_CLAUSE_MARK_TABLE = char_table(_CLAUSE_MARKS)
_SENTENCE_END_TABLE = char_table("。!?;\n")
_DATE_CHAR_TABLE = char_table("年届")  # with _DATE_WORDS, what every period marker holds
_THIS_SESSION_WORDS = ("本次会议", "本次大会", "大会期间", "大会共收到", "大会收到", "大会秘书处", "向大会提交", "大会提案组", "此次会议")
# on a page about a session (…全体会议闭幕, …次会议开幕), these also mean that session
_SESSION_PAGE_WORDS = ("会议期间", "开幕当日", "开幕时", "开幕前")
_SESSION_PAGE = re.compile(r"(?:全体会议|次会议|全会|政协会议)(?:隆重|胜利)?(?:开幕|闭幕|召开|举行)")
_DATE_WORDS = ("任期", "五期间", "五”期间", "五时期", "五”时期", *_THIS_SESSION_WORDS, *_SESSION_PAGE_WORDS)
# a line that may be a title or heading: short, no full stop (【提案工作】, 一、基本情况, the page title)
_HEADING_LINE = re.compile(r"^[ \t]*(?P<h>[^\n。]{2,40}?)[ \t]*$", re.M)
_TITLE_CHARS = 400  # the page's title is among the lines that start this early
_SECTION_MARK = re.compile(r"[【\[]|[一二三四五六七八九十]+、|\(?[一二三四五六七八九十]+\)|\d{1,2}[、.]\D|[▲◆■●◼▶📌]")
_NORM_BEFORE = re.compile(r"(?:至少|最少|每年|每人|每位|每名)[^,;。]*、$")  # a list of norms, its later items
_BRACKET_HEADING = re.compile(r"^[ \t]*【([^】\n]{1,16})】[ \t]*$", re.M)
_PART_BY_YEAR = re.compile(r"其中[,:]?(?:19|20)\d\d年")
THIS_SESSION = re.compile("|".join(_THIS_SESSION_WORDS))  # the session the page reports on
_THIS_SESSION_ON_SESSION_PAGE = re.compile("|".join(_THIS_SESSION_WORDS + _SESSION_PAGE_WORDS))


@lru_cache(maxsize=1)
def _number_table() -> np.ndarray:
    """Every figure a rule reads holds one of these (COUNT_PATTERN, PERCENT_PATTERN: \\d is any
    decimal digit). Built on first use: the scan of the code points is not import work."""
    return char_table(CN_DIGITS + "".join(chr(c) for c in range(0x30000) if chr(c).isdecimal()))


def _sentence_mask(ends: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Which sentences hold any of ``positions``, given the sentences' end offsets."""
    mask = np.zeros(len(ends), dtype=bool)
    mask[np.searchsorted(ends, positions, side="right")] = True
    return mask


def _find_all(text: str, words: Iterable[str]) -> np.ndarray:
    """Every position of any of ``words`` in ``text`` (str.find: far faster than a regex alternation)."""
    found = []
    for word in words:
        i = text.find(word)
        while i >= 0:
            found.append(i)
            i = text.find(word, i + 1)
    return np.array(found, dtype=np.int64)


class _NamedBefore:
    """The latest committee named before a position, by suffix (for 该区政协): looked up on demand."""

    def __init__(self, mentions: list[Mention], end: int):
        self.mentions, self.end = mentions, end

    def get(self, suffix: str) -> Committee | None:
        for j in range(self.end - 1, -1, -1):
            m = self.mentions[j]
            if m.kind == "named" and m.committee is not None and m.committee.name[-1] == suffix:
                return m.committee
        return None


@dataclass(frozen=True)
class Rule:
    """One compiled rule of the codebook."""

    indicator: Indicator
    pattern: re.Pattern[str]
    exclude: re.Pattern[str] | None
    exclude_before: re.Pattern[str] | None
    exclude_after: re.Pattern[str] | None
    require: re.Pattern[str] | None
    qualifier: str | None
    value_from: tuple[str, ...]
    modifier: bool = False  # the figure qualifies what follows (立案的N件提案…): others may read it too
    topic: re.Pattern[str] | None = None  # must be named by the page's title or the section's heading


def _expand(pattern: str) -> str:
    for slot, regex in SLOTS.items():
        pattern = pattern.replace(slot, regex)
    return pattern


def compile_rules(codebook: Codebook) -> list[Rule]:
    """Compile every rule of the codebook; a bad pattern is an InputError naming the key."""
    rules = []
    for ind in codebook.indicators:
        for spec in ind.rules:
            try:
                opt = {k: re.compile(spec[k]) if spec.get(k) else None
                       for k in ("exclude", "exclude_before", "exclude_after", "require", "topic")}
                rules.append(Rule(ind, re.compile(_expand(spec["match"])), opt["exclude"], opt["exclude_before"],
                                  opt["exclude_after"], opt["require"], spec.get("qualifier"),
                                  tuple(spec.get("value_from", ()) or ()), bool(spec.get("modifier", False)),
                                  opt["topic"]))
            except re.error as exc:
                raise InputError("codebook.yaml", f"indicator {ind.key}: bad rule pattern: {exc}") from exc
    return rules


@dataclass
class _Candidate:
    indicator: str
    unit: str
    value: float
    qualifier: str
    q_start: int
    ev_start: int
    ev_end: int
    shared: bool = False  # from a modifier rule: another rule may read the same figure
    year: int | None = None  # stated by the table row or column the figure stands in
    since: int | None = None  # a table's 合计 row: the first year of the sum
    years_back: int = 0  # 比上年的921件: the year before the one the sentence speaks of
    committee: Committee | None = None  # named by the grid row it stands in (章贡区<TAB>168)


@dataclass
class DocumentFacts:
    """Facts of one document and what was dropped (for the log)."""

    doc: Document
    facts: list[dict]
    dropped: list[str] = field(default_factory=list)


class _DocumentReader:
    """Everything about one document that the sentences need: dates, committees, context."""

    def __init__(self, doc: Document, rules: list[Rule], codebook: Codebook,
                 prefilter: KeywordPrefilter | None = None):
        self.doc = doc
        self.rules = rules
        self.prefilter = prefilter or KeywordPrefilter(rules)
        self.codebook = codebook
        self.norm: NormalizedText = normalize(doc.text)
        text = self.norm.text
        # titles of plans and laws (《…2023—2025年…》) carry years that date nothing
        dated_text = arabic_years(text)
        self.marker_text = (_TITLE.sub(lambda m: "《" + "_" * (len(m.group()) - 2) + "》", dated_text)
                            if "《" in dated_text else dated_text)
        hinted, stated = url_date(doc.url), dateline(dated_text)
        # a page speaks from the earlier of its URL's date and its own dateline: a URL later
        # than the date the page states is a repost's or an archive's (2013-12-30 under /2014/01/07/)
        self.publication: date | None = min(hinted, stated) if hinted and stated else hinted or stated
        if self.publication and YEARBOOK.search(dated_text, 0, 300):
            self.publication = None  # 麦积年鉴(2010) covers 2009 whenever it was posted: dated as a yearbook
        delivered = delivery_date(dated_text) if "日在" in dated_text else None
        if delivered and (self.publication is None or delivered < self.publication):
            self.publication = delivered  # a report reposted later speaks from the day it was given
        self.weak_publication = None if self.publication else weak_publication(text)
        years = [int(m.group(1)) for m in years_in(self.marker_text)]
        self.doc_year = Counter(years).most_common(1)[0][0] if years else None
        subject = (SUBJECT_YEAR.search(self.marker_text)
                   if any(w in self.marker_text for w in _SUBJECT_WORDS) else None)
        self.subject_year = int(subject.group(1)) if subject else None
        if self.subject_year:
            anchor_date, reliable = date(self.subject_year, 12, 31), True
        elif self.publication:
            anchor_date, reliable = self.publication, True
        else:
            anchor_date = self.weak_publication or (date(self.doc_year, 12, 31) if self.doc_year else None)
            reliable = False
        self._year_headings = year_headings(self.marker_text)  # a chronicle's 2015年 lines
        self.anchors: SessionAnchors = session_anchors(self.marker_text, anchor_date, self._year_headings)
        self.anchors.latest_reliable = reliable
        self._reporting_term = reporting_term(self.marker_text) if "常务委员会" in self.marker_text[:600] else None
        title = self._title()
        self._title_session = self._session_in_title(title)
        self._session_page = self._title_session is not None or bool(_SESSION_PAGE.search(title))
        self.review_year = (self.subject_year or review_year(self.publication or self.weak_publication)
                            or self.doc_year)
        self.mentions: list[Mention] = find_mentions(text)
        self._labels: dict[int, Committee | None] = {}
        self._intake_years: set[int] = set()  # years of sessions whose intake has been read
        # words some vetoes need: looked for once, so pages without them skip those regexes
        self._cue_words = {"tiers": "两级" in text or "级政协" in text, "的": "承办的" in text or "办理的" in text,
                           "party": any(p in text for p in _PARTIES)}
        self.main: Committee | None = None  # the document's committee, once the mentions are resolved
        self.cells = table_cells(text)
        self.cell_starts = [c.start for c in self.cells]
        self.clause_marks: list[int] = np.flatnonzero(_CLAUSE_MARK_TABLE[self.norm.codes]).tolist()
        self.named_members = {m.group(1) for m in NAMED_MEMBER.finditer(text)} if "委员" in text else set()
        self.mention_starts = [m.start for m in self.mentions]
        self._headings: list[tuple[int, int]] | None = None  # title and heading lines, found when first asked
        self._bracket_headings: list[int] | None = None  # where 【从江县】 lines stand, found likewise
        self._bracket_places: list[Committee | None] = []
        self._par_session: Period | None = None  # while reading: the last session its paragraph named

        self._resolve_committees()
        self._anchor_term_summaries()

    # committees -----------------------------------------------------------------------
    def _resolve_committees(self) -> None:
        gz = gazetteer()
        named = Counter(m.committee for m in self.mentions if m.kind == "named" and m.committee)
        hint = gz.lookup(self.doc.committee_hint) if self.doc.committee_hint else None
        self.defaults: dict[str, Committee] = {}
        if hint:
            self.defaults[hint.name[-1]] = hint
        for suffix in "省市州区县旗盟":
            if suffix in self.defaults:
                continue
            cands = [(n, c) for c, n in named.items() if c.name.endswith(suffix) and c.level != "national"]
            if cands:
                self.defaults[suffix] = max(cands, key=lambda nc: nc[0])[1]
        top = hint or (named.most_common(1)[0][0] if named else None)
        places: dict[bool, Counter[Committee]] = {}

        def most_named(keep, county: bool = False) -> Committee | None:
            """The place the text names most (with or without 政协) among those ``keep`` accepts."""
            if county not in places:
                places[county] = place_counts(self.norm.text[:5000], county)
            cands = [(n, c) for c, n in places[county].items() if keep(c)]
            return max(cands, key=lambda nc: nc[0])[1] if cands else None

        if "省" not in self.defaults:
            province = gz.provinces.get(top.province) if top and top.province else None
            if province is None and not hint and not any(c.level != "national" for c in named):
                # 省政协 beside 全国政协 alone (the body that adopted its items): the province named
                province = most_named(lambda c: c.level == "provincial")
            if province:
                self.defaults["省"] = province
        generic = {m.suffix for m in self.mentions if m.kind == "generic"}
        if "市" in generic and "市" not in self.defaults and top is not None and top.level == "county" and (
                top.province in _MUNICIPALITIES):
            self.defaults["市"] = gz.provinces[top.province]  # a district of 重庆市: its 市政协 is 重庆市's
        for suffix in ("市", "州", "盟"):
            if suffix in self.defaults or suffix not in generic:
                continue
            # 市政协/州政协 with no such committee named: the prefecture the text names most
            city = most_named(lambda c, s=suffix: c.level == "prefecture" and c.name.endswith(s)
                              and (top is None or not top.province or c.province == top.province))
            if city:
                self.defaults[suffix] = city
        guessed: set[str] = set()
        for suffix in ("县", "区", "旗"):
            if suffix in self.defaults or suffix not in generic:
                continue
            # 县政协 with no county named with 政协: the county the text names most (a byline)
            county = most_named(lambda c, s=suffix: c.name.endswith(s)
                                and (top is None or not top.province or c.province == top.province), county=True)
            if county:
                self.defaults[suffix] = county
                guessed.add(suffix)
        publisher = publisher_place(self.norm.text) if generic else None
        self._outlet = hint or publisher  # the committee whose outlet published the page, if known
        if publisher is not None and publisher.level == "county" and publisher.name[-1] in generic:
            suffix = publisher.name[-1]
            current = self.defaults.get(suffix)
            # a county-level outlet's 市政协 is its own, even beside its prefecture's (a guest),
            # and the outlet beats a county merely named in the text
            if current is None or suffix in guessed or (
                    current.name == publisher.parent and not (hint and hint == current)):
                self.defaults[suffix] = publisher
        # suffixes with peers: two or more committees of one level, neither above the other
        # (哈尔滨市 and 牡丹江市 in a province's roundup; not 曲靖市 and its 宣威市)
        self._peer_suffixes: set[str] = set()
        for suffix in "市州区县旗":
            same = [c for c in named if c.name.endswith(suffix) and c.level != "national"]
            if any(a.level == b.level and a.parent != b.name and b.parent != a.name
                   for i, a in enumerate(same) for b in same[i + 1 :]):
                self._peer_suffixes.add(suffix)
        resolved = [(m, self._committee_of(m, None)) for m in self.mentions]
        counts = Counter(c for _, c in resolved if c is not None)
        lead = next((c for m, c in resolved if c is not None and m.start < 300), None)
        if lead is not None:
            counts[lead] += 3  # the committee of the title and lead is the article's
        if hint is not None:
            # the outlet's committee, unless the page is plainly about another (a county's session
            # on the prefecture's news site)
            counts[hint] += 3
        self.main: Committee | None = counts.most_common(1)[0][0] if counts else hint

    def _committee_of(self, mention: Mention, last_named: _NamedBefore | None) -> Committee | None:
        if mention.kind == "named":
            return mention.committee
        if mention.kind == "this" and last_named is not None:
            return last_named.get(mention.suffix) or self.defaults.get(mention.suffix)
        par_start = self.norm.text.rfind("\n", 0, mention.start) + 1
        label = self._paragraph_label(par_start)
        if label is not None and label.name.endswith(mention.suffix):
            return label  # 游仙区:…区政协…: the place the paragraph is labelled with
        section = self._section_label(mention.start)
        if section is not None and section.name.endswith(mention.suffix):
            return section  # 【从江县】 above: …县政协…
        if mention.suffix in self._peer_suffixes:
            # a roundup of peers (哈尔滨市…, 牡丹江市…): 市政协 is the city its paragraph last
            # named as a subject (被江门市政协采用 names a receiver); on a committee's own outlet
            # 我市政协 stays that committee
            own = self._outlet
            if own is not None and own.name[-1] == mention.suffix and self.norm.text.startswith("我", mention.start - 1):
                return own
            near = self._subject_named_before(mention, par_start)
            if near is not None:
                return near
        return self.defaults.get(mention.suffix)

    def _object_after(self, end: int) -> bool:
        """Whether the words after a mention make it an object: 全国政协采用…, 省政协领导批示, or
        after a title, 省政协《社情民意》采用我市信息."""
        text = self.norm.text
        if text.startswith("《", end):
            close = text.find("》", end, end + 20)
            end = close + 1 if close > 0 else end
        return text.startswith(OBJECT_AFTER, end)

    def _subject_named_before(self, mention: Mention, since: int) -> Committee | None:
        """The peer of the page's own committee (same suffix and level) that the paragraph last
        named as a subject before ``mention``."""
        text = self.norm.text
        own = self.defaults.get(mention.suffix)
        for j in range(bisect_left(self.mention_starts, mention.start) - 1, -1, -1):
            m = self.mentions[j]
            if m.start < since:
                break
            if m.kind != "named" or m.committee is None or m.committee.name[-1] != mention.suffix or (
                    own is not None and m.committee.level != own.level):
                continue
            if text[max(since, m.start - 4) : m.start].endswith(OBJECT_BEFORE) or self._object_after(m.end):
                continue
            return m.committee
        return None

    def _section_label(self, pos: int) -> Committee | None:
        """The place the 【…】 heading of the section ``pos`` stands in names, if it names one."""
        if self._bracket_headings is None:
            found = list(_BRACKET_HEADING.finditer(self.norm.text)) if "【" in self.norm.text else []
            self._bracket_headings = [m.start() for m in found]
            self._bracket_places = [gazetteer().lookup(m.group(1), self.main) for m in found]
        i = bisect_right(self._bracket_headings, pos)
        return self._bracket_places[i - 1] if i else None

    def _paragraph_label(self, start: int) -> Committee | None:
        """The place a paragraph opens with as its label (涪城区:… in a roundup), if any."""
        if start not in self._labels:
            found = gazetteer().name_starting_at(self.norm.text, start)
            committee = None
            if found and self.norm.text.startswith(":", found[1]):
                committee = gazetteer().lookup(found[0], self.main)
            self._labels[start] = committee
        return self._labels[start]

    # periods --------------------------------------------------------------------------
    def _anchor_term_summaries(self) -> None:
        """A term summarised at a session (十届省政协期间) ended the year before the review."""
        if not self.review_year or "届" not in self.marker_text:
            return
        for m in terms_of(self.marker_text):
            if m.group().endswith(("期间", "五年")):  # a term over; 以来, 共 and 累计 speak of one still running
                self.anchors.anchored.setdefault((cn_int(m.group("term")), 1), self.review_year - 4)

    def _title(self) -> str:
        """The page's title: its first short line without a full stop that names a committee
        (past a portal's name and menus), else its first line."""
        head = self.marker_text[:_TITLE_CHARS]
        lines = [line.strip() for line in head.split("\n") if line.strip()]
        return next((line for line in lines if "政协" in line and "。" not in line and len(line) <= 60),
                    lines[0] if lines else "")

    def _session_in_title(self, title: str) -> tuple[int, int] | None:
        """(term, session) of a session the page's title names, if any (not one it counts from:
        十一届二次会议以来…)."""
        m = next((m for m in sessions_in(title) if not title.startswith(("以来", "来"), m.end())), None)
        try:
            return (cn_int(m.group("term")), cn_int(m.group("session"))) if m else None
        except ValueError:
            return None

    def _session_period(self, m: re.Match[str], level: str) -> Period | None:
        try:
            term, session = cn_int(m.group("term")), cn_int(m.group("session"))
        except ValueError:
            return None
        year = self.anchors.session_year(term, session, level)
        if year is None:
            return None
        after = self.marker_text[m.end() : m.end() + 3]
        if after.startswith("以来") and session == 1 and self.review_year and self.review_year - year >= 2:
            return Period(self.review_year, year, "term since first session")
        return Period(year, year, "session")

    def _summary_period(self, m: re.Match[str], context: Period | None, level: str) -> Period | None:
        if m.group("plan"):
            first, last = plan_years(10 + cn_int(m.group("plan")))
            if self.review_year and last > self.review_year:
                return None  # a plan not over yet: its figures are targets
            return Period(last, first, "plan period")
        n = m.group("n")
        years = 5
        if n:
            years = int(n) if n.isdigit() else cn_int(n)
            if context and context.is_summary and context.year - context.start + 1 == years:
                return context
        term = None
        if m.group("term"):
            term = cn_int(m.group("term"))
        elif m.group().startswith("本届"):  # the reporting committee's term, else the session's the page names
            latest = self.anchors.latest if level == "national" else (self.anchors.latest_local or self.anchors.latest)
            term = self._reporting_term or (latest[0] if latest else None)
        first = (self.anchors.anchored.get((term, 1)) or self.anchors.session_year(term, 1, level)) if term else None
        if first and self.review_year and first > self.review_year and term in self.anchors.newest_by_term:
            return Period(first, first, "term")  # a term whose first session the page reports: begun this year
        if first:
            last = first + 4
            if not m.group().endswith(("期间", "五年")) and self.review_year and self.review_year < last:
                # 十一届市政协以来, 本届以来: a term still running, up to the review year — or up
                # to this term's session whose intake the page has reported: the total includes it
                last = min(last, max([self.review_year, *(y for y in self._intake_years if y >= first)]))
            if last >= first:
                return Period(last, first, "term")
        end = self.review_year
        if end is None:
            return None
        return Period(end, end - years + 1, "summary")

    def markers(self, start: int, end: int, level: str, context: Period | None
                ) -> list[tuple[int, Period | None, bool]]:
        """Period markers inside [start, end): (position, period or None when undatable, carries on)."""
        text = self.marker_text
        found: list[tuple[int, Period | None, bool]] = []
        cutoffs = [m.span() for m in CUTOFF_PHRASE.finditer(text, start, end)]

        def in_cutoff(pos: int) -> bool:
            return any(a <= pos < b for a, b in cutoffs)

        in_range = set()
        listed: list[tuple[int, int]] | None = None  # lists of years, found when a year labels a figure
        for m in YEAR_RANGE.finditer(text, start, end):
            a, b = int(m.group(1)), int(m.group(2))
            if a < b:
                found.append((m.start(), Period(b, a, "year range"), True))
                in_range.update(range(m.start(), m.end()))
        for m in years_in(text, start, end):
            if m.start() in in_range or in_cutoff(m.start()) or text[max(0, m.start() - 1) : m.start()] in ("自", "从"):
                continue
            if text[max(0, m.start() - 1) : m.start()] in ("比", "较") or (
                    text[max(0, m.start() - 1) : m.start()] in ("与", "同", "和", "跟")
                    and _COMPARISON_END.match(text, m.end())):
                continue  # 比2022年的401件, 与2022年相比: the year compared with dates nothing else
            y = int(m.group(1))
            full = FULL_DATE.match(text, m.start())
            is_date = full is not None
            lasting = not is_date or not full.group().endswith("日")  # 1955年2月,…: a time frame, not a day
            if text.startswith("以来", m.end()) and self.review_year and self.review_year > y:
                found.append((m.start(), Period(self.review_year, y, "since"), True))  # 2018年以来
                continue
            if _YEAR_ITEM.match(text, m.start()):
                if listed is None:
                    listed = [r.span() for r in _YEAR_LIST_RUN.finditer(text, start, end)]
                if any(a <= m.start() < b for a, b in listed):
                    continue  # 2017年398件、2018年421件: each year labels its own figure (_year_list)
                lasting = False
            found.append((m.start(), Period(y, y, "date" if is_date else "year"), lasting))
        for m in SESSION.finditer(text, start, end):
            if NOT_CPPCC.search(text, max(0, m.start() - 10), m.start()):
                continue
            p = self._session_period(m, level)
            pub = self.publication or self.weak_publication
            if pub and RELATIVE_PREVIOUS.search(text, max(start, m.start() - 26), m.start()) and not (
                    CLAUSE_END.search(text, max(start, m.start() - 26), m.start())):
                p = Period(pub.year - 1, pub.year - 1, "session last year")  # 去年1月召开的…七届四次会议
            lasting = text.startswith(("以来", "期间", "来"), m.end())
            found.append((m.start(), p, lasting and p is not None))
        for m in (_THIS_SESSION_ON_SESSION_PAGE if self._session_page else THIS_SESSION).finditer(text, start, end):
            if text[max(start, m.start() - 2) : m.start()] in ("去年", "上年"):
                continue  # 去年大会期间立案的…: last year's session, dated by 去年
            named = [p for at, p, _ in found if at < m.start() and p is not None and p.how in ("session", "year")
                     and not p.is_summary]
            if named or (context is not None and context.how in ("session", "year") and not context.is_summary
                         and self._ctx_in_paragraph and not m.group().startswith("本次")):
                # (本次会议 is the page's own session, never one carried from an earlier sentence)
                # 三届四次会议…大会期间, 2009年,…其中大会期间: the session of the one named, or of that year
                found.append((m.start(), named[-1] if named else context, True))
                continue
            if self._par_session is not None and not m.group().startswith("本次"):
                # …第四次会议召开。大会共收到提案512件: the session the paragraph has just named
                found.append((m.start(), self._par_session, True))
                continue
            # the page's own session: the one its title names (重庆市政协六届一次会议开幕, beside
            # 万州区政协六届二次会议 further down), else the newest named
            latest = self._title_session or (self.anchors.latest if level == "national" else self.anchors.latest_local)
            y = self.anchors.session_year(*latest, level) if latest else None
            pub = self.publication or self.weak_publication
            if y is None and pub and pub.month <= 4:
                y = pub.year  # a page from the session season about 本次会议
            if y:
                found.append((m.start(), Period(y, y, "this session"), True))
        for m in TERM_SUMMARY.finditer(text, start, end):
            p = self._summary_period(m, context, level)
            if p:
                found.append((m.start(), p, True))
        pub = self.publication or self.weak_publication
        for m in RELATIVE_PREVIOUS.finditer(text, start, end):
            y = pub.year - 1 if pub else (self.doc_year - 1 if self.doc_year else None)
            if y and not in_cutoff(m.start()):
                found.append((m.start(), Period(y, y, "relative"), True))
        for m in RELATIVE_THIS.finditer(text, start, end):
            # a yearbook's 本年 is the year it covers, not the year it came out; a chronicle's
            # 今年 the year its section is headed with
            y = pub.year if self.publication else (self.review_year if self.weak_publication else self.doc_year)
            if self._year_headings:
                y = heading_year(self._year_headings, m.start()) or y
            if y and not in_cutoff(m.start()):
                found.append((m.start(), Period(y, y, "relative"), True))
        for m in RELATIVE_REVIEW.finditer(text, start, end):
            if _YEAR_JUST_BEFORE.search(text, max(start, m.start() - 6), m.start()) or any(
                    at < m.start() and p is not None and p.how == "year" for at, p, _ in found):
                continue  # 2022年全年, 2023年,市政协全年…: the year stated
            y = self.review_year
            if context and not context.is_summary and context.how in ("year", "session") and (
                self.publication is None and self.subject_year is None and self.weak_publication is None
            ):
                y = context.year
            if self._year_headings:
                y = heading_year(self._year_headings, m.start()) or y
            if y:
                found.append((m.start(), Period(y, y, "relative"), True))
        found.sort(key=lambda x: x[0])
        return found

    def fallback_period(self, start: int, end: int) -> Period | None:
        m = CUTOFF.search(self.marker_text, start, end)
        if m:
            y = int(m.group(1))
            return Period(y, y, "cut-off")
        level = (self.main or NATIONAL_COMMITTEE).level
        latest = self.anchors.latest if level == "national" else self.anchors.latest_local
        if latest:
            y = self.anchors.session_year(*latest, level)
            if y:
                return Period(y, y, "document session")
        y = self.review_year or self.doc_year
        return Period(y, y, "document") if y else None

    # sentences --------------------------------------------------------------------------
    def sentences(self) -> Iterable[tuple[int, int, int, bool, bool]]:
        """(start, end, paragraph number, may hold a figure, may date) of the sentences that matter.

        Only two kinds of sentence can change a fact: one that may hold a figure (a digit or
        Chinese numeral, or a word a rule without a figure needs, such as 全部办复) and one
        that may date (年, 届, 任期: every period marker holds one). The others are never
        looked at: the committee a sentence is about is found by looking back from it
        (``_committee_context``). The sentences are found by whole-text scans over the code
        points, which keeps Python work proportional to the figures, not to the text.
        """
        text, codes = self.norm.text, self.norm.codes
        if not len(codes):
            return
        ends = np.flatnonzero(_SENTENCE_END_TABLE[codes]) + 1
        if not len(ends) or ends[-1] < len(text):
            ends = np.append(ends, len(text))
        self.sentence_ends = ends.tolist()
        figure = _sentence_mask(ends, np.flatnonzero(_number_table()[codes]))
        figure[_sentence_mask(ends, _find_all(text, self.prefilter.words_without_figure))] = True
        if self.prefilter.every_sentence:
            figure[:] = True
        dating = _sentence_mask(ends, np.flatnonzero(_DATE_CHAR_TABLE[codes]))
        dating[_sentence_mask(ends, _find_all(text, _DATE_WORDS))] = True
        chosen = np.flatnonzero(figure | dating)
        for a, b in skipped_spans(text):  # related news, next year's plan: no facts there
            starts_at = np.asarray([0, *self.sentence_ends[:-1]])[chosen]
            chosen = chosen[(starts_at < a) | (starts_at >= b)]
        newlines = np.flatnonzero(codes[ends - 1] == 10)
        paragraphs = np.searchsorted(newlines, chosen, side="left").tolist()
        starts = [0, *self.sentence_ends[:-1]]
        for k, i in enumerate(chosen.tolist()):
            yield starts[i], self.sentence_ends[i], paragraphs[k], bool(figure[i]), bool(dating[i])

    def read(self) -> DocumentFacts:
        text = self.norm.text
        facts: list[dict] = []
        dropped: list[str] = []
        seen: set[tuple] = set()
        by_key: dict[tuple[str, int, int, str], list[dict]] = {}
        period_ctx: Period | None = None
        self._ctx_in_paragraph = False
        self._par_session = None
        paragraph = -1
        for s_start, s_end, par, has_figure, has_date in self.sentences():
            if s_end - s_start <= 1:
                continue
            if par != paragraph:
                paragraph = par
                self._ctx_in_paragraph = False
                self._par_session = None
            committee_ctx = self._committee_context(s_start)
            sent_mentions = self._sentence_mentions(s_start, s_end)
            level_here = (committee_ctx or NATIONAL_COMMITTEE).level
            if sent_mentions:
                level_here = sent_mentions[0][1].level
            sentence = text[s_start:s_end]
            marks = self.markers(s_start, s_end, level_here, period_ctx) if has_date else []
            rules = self.prefilter.rules_for(sentence) if has_figure else []
            if rules or (has_figure and self.cells and self._cells_in(s_start, s_end)):
                for cand in self._candidates(s_start, s_end, by_key, committee_ctx, sent_mentions, marks,
                                             period_ctx, rules):
                    committee, period, c = cand
                    if committee is None:
                        dropped.append(f"{self.doc.doc_id}: no committee for {c.indicator} {c.value:g}")
                        continue
                    if period is None:
                        dropped.append(f"{self.doc.doc_id}: no year for {c.indicator} {c.value:g} ({committee.name})")
                        continue
                    if self.codebook[c.indicator].stock:
                        if period.is_summary:
                            period = Period(period.year, period.year, period.how)  # a headcount is not summed
                        elif period.how in UNDATED and self.publication:
                            # a headcount is a state on the day: the page's date, not the year it reviews
                            period = Period(self.publication.year, self.publication.year, "publication")
                    key = (committee.name, period.year, period.start, c.indicator, round(c.value, 4))
                    if key in seen:
                        continue
                    seen.add(key)
                    fact = self._fact(committee, period, c, s_start, s_end)
                    facts.append(fact)
                    if c.indicator == "proposals.received" and "session" in period.how and not period.is_summary:
                        self._intake_years.add(period.year)
                    by_key.setdefault((committee.name, period.year, period.start, c.indicator), []).append(fact)
            sessions = [p for _, p, _ in marks if p is not None and p.how == "session"]
            if sessions:
                self._par_session = sessions[-1]
            lasting = [p for _, p, carry in marks if carry and p is not None]
            if lasting:
                period_ctx = lasting[-1]
                self._ctx_in_paragraph = True
        return DocumentFacts(self.doc, _prefer_dated(_drop_rounded(facts)), dropped)

    def _statement_start(self, s_start: int, pos: int) -> int:
        """Where the statement holding ``pos`` begins: the sentence, reaching back over ; to 。"""
        start = s_start
        while start > 0 and self.norm.text[start - 1] == ";":
            start = self._sentence_start(start - 1)
        return start

    def _last_clause_end(self, start: int, end: int) -> int:
        """The offset just after the last clause mark (CLAUSE_END) in [start, end); 0 when there is none."""
        i = bisect_left(self.clause_marks, end) - 1
        return self.clause_marks[i] + 1 if i >= 0 and self.clause_marks[i] >= start else 0

    # committee of a sentence ----------------------------------------------------------------
    def _sentence_start(self, pos: int) -> int:
        i = bisect_right(self.sentence_ends, pos)
        return self.sentence_ends[i - 1] if i else 0

    def _named_before(self, pos: int) -> _NamedBefore:
        return _NamedBefore(self.mentions, bisect_left(self.mention_starts, pos))

    def _resolved(self, mention: Mention) -> tuple[Committee | None, bool]:
        """A mention's committee and whether it is an object (报送市政协), not the subject."""
        c = self._committee_of(mention, self._named_before(mention.start))
        if c is None:
            return None, False
        text = self.norm.text
        s_start = self._sentence_start(mention.start)
        object_like = text[max(s_start, mention.start - 4) : mention.start].endswith(OBJECT_BEFORE) or (
            self._object_after(mention.end)) or (
            # 全国政协委员 as a local figure's title does not make the national committee the subject
            c.level == "national" and self.main is not None and self.main.level != "national"
            and text.startswith(PERSON_TITLES, mention.end))
        return c, object_like

    def _sentence_mentions(self, s_start: int, s_end: int) -> list[tuple[int, Committee, bool]]:
        """(position, committee, object-like) of the committees a sentence names."""
        out = []
        for j in range(bisect_left(self.mention_starts, s_start), len(self.mentions)):
            mention = self.mentions[j]
            if mention.start >= s_end:
                break
            c, object_like = self._resolved(mention)
            if c is not None:
                out.append((mention.start, c, object_like))
        return out

    def _committee_context(self, s_start: int) -> Committee | None:
        """The committee a sentence is about when it names none: the last one named as a subject
        earlier in its paragraph, else the paragraph's, else the document's."""
        par_start = self._paragraph_start(s_start)
        for j in range(bisect_left(self.mention_starts, s_start) - 1, -1, -1):
            mention = self.mentions[j]
            if mention.start < par_start:
                break
            c, object_like = self._resolved(mention)
            if c is not None and not object_like:
                return c
        return self._paragraph_committee(par_start, self._named_before(par_start))

    def _paragraph_start(self, pos: int) -> int:
        return self.norm.text.rfind("\n", 0, pos) + 1

    def _paragraph_committee(self, start: int, last_named: _NamedBefore) -> Committee | None:
        """The place a paragraph is labelled with, else the first committee it names as a
        subject, else the document's. The committee above the document's is no subject of
        its paragraphs: 苏州市政协多次转发我市的信息 in 昆山市's report (a receiver, a guest)."""
        label = self._paragraph_label(start)
        if label is not None:
            return label
        section = self._section_label(start)
        if section is not None:
            return section  # a paragraph under 【雷山县】
        text = self.norm.text
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        i = bisect_right(self.sentence_ends, start)
        first_end = self.sentence_ends[i] if i < len(self.sentence_ends) else end
        for j in range(bisect_left(self.mention_starts, start), len(self.mentions)):
            mention = self.mentions[j]
            if mention.start >= end:
                break
            if text[max(start, mention.start - 4) : mention.start].endswith(OBJECT_BEFORE) or (
                    self._object_after(mention.end)):
                continue
            c = self._committee_of(mention, last_named)
            if c is not None and mention.start >= first_end and self._is_below_main(c):
                continue  # 德清县政协报送的… late in a city's paragraph says nothing of its figures before
            if c is not None and not self._is_above_main(c):
                return c
        return self.main

    def _is_below_main(self, c: Committee) -> bool:
        main = self.main
        return main is not None and c != main and main.name in (c.parent, c.province)

    def _is_above_main(self, c: Committee) -> bool:
        main = self.main
        return main is not None and c != main and c.name in (main.parent, main.province)

    def _candidates(self, s_start, s_end, by_key, committee_ctx, sent_mentions, marks, period_ctx, rules):
        """Facts of one sentence: figures first, then rules that refer back to them (全部办复)."""
        text = self.norm.text
        sentence = text[s_start:s_end]
        ordered: list[_Candidate] = []
        for rule in rules:
            if rule.value_from:
                continue
            for m in rule.pattern.finditer(text, s_start, s_end):
                if not self._accept(rule, m, s_start, s_end, sentence):
                    continue
                for cand in self._from_match(rule, m, by_key, committee_ctx, sent_mentions, marks, period_ctx):
                    # one figure, one indicator — except 全部办复 of the figure just named, and a
                    # figure that modifies what follows (立案的214件提案已办复: filed and handled)
                    if any(c.q_start == cand.q_start and c.indicator == cand.indicator for c in ordered):
                        continue
                    cand.shared = rule.modifier
                    if rule.qualifier != "all" and any(c.q_start == cand.q_start and not (c.shared or cand.shared)
                                                       for c in ordered):
                        continue
                    ordered.append(cand)
        if "分别" in sentence:
            by_year = self._respective_by_year(s_start, s_end)
            taken = {c.q_start for c in by_year}
            ordered = [o for o in ordered if o.q_start not in taken] + by_year
            ordered.extend(c for c in self._respective(s_start, s_end)
                           if not any(o.q_start == c.q_start for o in ordered))
        for cell in self._cells_in(s_start, s_end):  # 提案总数<TAB>412: read as 提案总数412件
            pieces = [(cell.label, None), (cell.value, cell.start), (cell.unit, None)]
            if cell.share:  # 立案<TAB>437<TAB>89.9%: read as 立案437件,占89.9%
                pieces += [(",占", None), (cell.share, cell.share_start)]
            for c in self._read_written_out(pieces):
                if not any(o.q_start == c.q_start for o in ordered):
                    c.year, c.since = cell.year, cell.since
                    if cell.place:
                        c.committee = gazetteer().lookup(cell.place.removesuffix("政协"), self.main)
                    ordered.append(c)
        if "比" in sentence or "较" in sentence:
            ordered.extend(self._compared(s_start, s_end, ordered))
        if sentence.count("年") >= 2:
            listed = self._year_list(s_start, s_end, ordered)
            if listed:
                taken = {c.q_start for c in listed}
                ordered = [o for o in ordered if o.q_start not in taken] + listed
        ordered.sort(key=lambda c: (c.q_start, c.indicator))
        ordered = self._without_parts(ordered)
        for cand in ordered:
            yield from self._with_share(cand, sent_mentions, committee_ctx, marks, period_ctx, s_start, s_end)
        # the caller has registered the figures above by now, so back-references can find them
        for rule in (r for r in rules if r.value_from):
            for m in rule.pattern.finditer(text, s_start, s_end):
                if not self._accept(rule, m, s_start, s_end, sentence):
                    continue
                clause_start = self._last_clause_end(s_start, m.start())
                if any(c.indicator == rule.indicator.key and clause_start <= c.q_start < m.start() for c in ordered):
                    continue  # 84件提案已全部办结: the figure is stated, nothing to refer back to
                for cand in self._from_match(rule, m, by_key, committee_ctx, sent_mentions, marks, period_ctx):
                    pos = cand.ev_end - 1
                    yield (self._committee_at(pos, sent_mentions, committee_ctx),
                           self._period_at(pos, marks, period_ctx, s_start, s_end, rule.indicator.lags), cand)

    def _compared(self, s_start: int, s_end: int, ordered: list[_Candidate]) -> list[_Candidate]:
        """The earlier year's figure a comparison states: 共收到提案437件,比2022年的401件增加36件
        gives 401 for 2022 (比上年的401件: for the year before), under the indicator of the figure
        it is compared with."""
        text = self.norm.text
        found: list[_Candidate] = []
        for m in _COMPARED_WITH_YEAR.finditer(text, s_start, s_end):
            compared = [c for c in ordered if c.q_start < m.start() and c.unit == "count"]
            if not compared:
                continue
            try:
                q = parse_quantity(m.group("q"))
            except ValueError:
                continue
            if q.percent:
                continue
            year = int(m.group("year")) if m.group("year") else None
            found.append(_Candidate(compared[-1].indicator, "count", q.value, q.qualifier, m.start("q"),
                                    m.start(), m.end(), year=year, years_back=0 if year else 1))
        return found

    def _year_list(self, s_start: int, s_end: int, ordered: list[_Candidate]) -> list[_Candidate]:
        """The figures of a list of years: 共提交提案2,146件(2017年398件、2018年421件…), or
        各年度提交的提案分别为:2013年762件,2014年718件… — each under the indicator of the figure
        the list breaks down, else of the words that introduce it, dated by its year."""
        text = self.norm.text
        found: list[_Candidate] = []
        for run in _YEAR_LIST_RUN.finditer(text, s_start, s_end):
            items = list(_YEAR_ITEM.finditer(text, run.start(), run.end()))
            whole = [c for c in ordered if c.q_start < run.start() and c.unit == "count"]
            if whole:
                indicator = whole[-1].indicator
            else:
                end = run.start()
                while end > s_start and text[end - 1] in ":(":
                    end -= 1
                lead = re.sub(r"(?:分别|依次)?(?:为|是)?$", "", text[max(s_start, self._last_clause_end(s_start, end)) : end])
                probe = self._read_written_out([(lead, None), (items[0].group("n"), items[0].start("n")),
                                                (items[0].group("unit"), None)])
                if not probe:
                    continue
                indicator = probe[0].indicator
            for item in items:
                try:
                    q = parse_quantity(item.group("n"))
                except ValueError:
                    continue
                found.append(_Candidate(indicator, "count", q.value, q.qualifier, item.start("n"), item.start(),
                                        item.end(), year=int(item.group("year"))))
        return found

    def _without_parts(self, ordered: list[_Candidate]) -> list[_Candidate]:
        """Drop a count introduced by 其中 after a count of the same indicator: a part of it
        (被省级以上政协采用30条,其中被全国政协采用3条) — but not one year's figure of a term's
        total (其中,2021年收到提案409件), which is a fact of its own period."""
        text = self.norm.text
        kept: list[_Candidate] = []
        for cand in ordered:
            whole = next((k for k in reversed(kept) if k.indicator == cand.indicator and k.unit == "count"
                          and cand.unit == "count"), None)
            between = text[whole.q_start : cand.q_start] if whole is not None else ""
            if "其中" in between and not _PART_BY_YEAR.search(between):
                continue
            kept.append(cand)
        return kept

    def _cells_in(self, s_start: int, s_end: int) -> list[Cell]:
        i = bisect_left(self.cell_starts, s_start)
        j = bisect_left(self.cell_starts, s_end)
        return self.cells[i:j]

    def _respective(self, s_start: int, s_end: int) -> list[_Candidate]:
        """Figures of a 分别 list: A类、B类、C类提案分别为176件、64件、19件(,分别占67.9%、…).

        Each label is paired with its value (and its share, when a second 分别 list follows)
        and the rules are run on the pair as if it were written out (A类提案176件,占67.9%).
        """
        text = self.norm.text
        lists = [(m, [v for v in _LIST_VALUE.finditer(text, m.start("values"), m.end("values"))])
                 for m in _RESPECTIVE.finditer(text, s_start, s_end)]
        found: list[_Candidate] = []
        for k, (m, values) in enumerate(lists):
            clause = text[max(s_start, self._last_clause_end(s_start, m.start())) : m.start()]
            # labels without their glosses (A类(已解决)) and the lead-in (其中, 包括)
            labels = [x for x in re.split(r"[、和及与]", re.sub(r"\([^()]*\)", "", clause)) if x]
            if labels:
                labels[0] = re.sub(r"^(?:其中|包括|含)", "", labels[0])
            if len(labels) != len(values) or len(labels) < 2:
                continue
            shares = []
            if k + 1 < len(lists) and len(lists[k + 1][1]) == len(values):
                between = text[m.end() : lists[k + 1][0].start()]
                if not between.strip(",; "):  # 分别为…,分别占…: the shares of the same items
                    shares = lists[k + 1][1]
            tail = labels[-1][len(labels[0]):] if len(labels[-1]) > len(labels[0]) else ""
            for i, (label, value) in enumerate(zip(labels, values, strict=True)):
                pieces = [(label if i == len(labels) - 1 else label + tail, None), (value.group(), value.start())]
                if shares:
                    pieces += [(",占", None), (shares[i].group(), shares[i].start())]
                found.extend(self._read_written_out(pieces))
        return found

    def _respective_by_year(self, s_start: int, s_end: int) -> list[_Candidate]:
        """Values of a 分别 list after a list of years: 2022年和2023年…分别收到提案412件、438件,
        经审查分别立案371件、396件 — each value read with the words before it and dated by its year."""
        text = self.norm.text
        found: list[_Candidate] = []
        for m in _RESPECTIVE_BY_YEAR.finditer(text, s_start, s_end):
            year_lists = list(_YEAR_LIST.finditer(text, s_start, m.start()))
            if not year_lists:
                continue
            years = [int(y) for y in re.findall(r"((?:19|20)\d\d)年", year_lists[-1].group())]
            # …分别编报信息486篇、531篇,被全国政协采用42篇、55篇: a list that follows goes by the same years
            lists = [m]
            while more := _CONTINUED_LIST.match(text, lists[-1].end(), s_end):
                lists.append(more)
            for part in lists:
                values = list(_LIST_VALUE.finditer(text, part.start("values"), part.end("values")))
                if len(values) != len(years):
                    break
                for year, value in zip(years, values, strict=True):
                    for c in self._read_written_out([(part.group("verb"), None), (value.group(), value.start())]):
                        c.year = year
                        found.append(c)
        return found

    def _read_written_out(self, pieces: list[tuple[str, int | None]]) -> list[_Candidate]:
        """Run the rules on pieces of text put together; figures map back to where they stand."""
        synthetic, origin = "", []  # origin: (offset in synthetic, offset in text, length) of each figure
        for piece, at in pieces:
            if at is not None:
                origin.append((len(synthetic), at, len(piece)))
            synthetic += piece
        out: list[_Candidate] = []

        def real(pos: int) -> int | None:
            return next((at + pos - off for off, at, n in origin if off <= pos < off + n), None)

        for rule in self.prefilter.rules_for(synthetic):
            if rule.value_from:
                continue
            for m in rule.pattern.finditer(synthetic):
                if "q" not in m.groupdict() or m.group("q") is None or real(m.start("q")) is None:
                    continue
                if rule.exclude and rule.exclude.search(m.group()):
                    continue
                try:
                    q = parse_quantity(m.group("q"))
                except ValueError:
                    continue
                ind = rule.indicator
                if (ind.unit == "count") == q.percent or any(c.q_start == real(m.start("q")) for c in out):
                    continue
                q_at = real(m.start("q"))
                ev_start, ev_end = self._evidence_span(q_at, q_at + len(m.group("q")))
                out.append(_Candidate(ind.key, ind.unit, q.value, rule.qualifier or q.qualifier, q_at, ev_start,
                                      ev_end))
                share_key = ind.followed_by_share
                sm = SHARE_AFTER.match(synthetic[m.end():]) if share_key else None
                if sm and real(m.end() + sm.start("q")) is not None:
                    p_at = real(m.end() + sm.start("q"))
                    sq = parse_quantity(sm.group("q"))
                    ev_start, ev_end = self._evidence_span(p_at, p_at + len(sm.group("q")))
                    out.append(_Candidate(share_key, "percent", sq.value, sq.qualifier, p_at, ev_start, ev_end))
        return out

    def _with_share(self, cand, sent_mentions, committee_ctx, marks, period_ctx, s_start, s_end):
        text = self.norm.text
        committee = cand.committee or self._committee_at(cand.q_start, sent_mentions, committee_ctx)
        tiers = (_TWO_TIERS.search(text, max(s_start, cand.q_start - 14), cand.q_start)
                 if self._cue_words["tiers"] else None)
        if tiers and self.codebook[cand.indicator].stock:
            # 全州两级政协委员1,087名, 市县两级…: the members of the upper committee's whole system
            committee = self.defaults.get(tiers.group(1) or tiers.group(2), committee)
        lags = self.codebook[cand.indicator].lags
        period = (Period(cand.year, cand.since or cand.year, "table") if cand.year
                  else self._period_at(cand.q_start, marks, period_ctx, s_start, s_end, lags))
        if cand.years_back and period is not None and not period.is_summary:
            y = period.year - cand.years_back
            period = Period(y, y, "compared")
        if (period is not None and period.how == "session" and self.codebook[cand.indicator].stock
                and self.publication and self.subject_year is None and not self._ctx_in_paragraph
                and not any(at < cand.q_start for at, _, _ in marks)):
            # a headcount after a paragraph about 十三届一次会议以来: the page's day, not that
            # session's (on a page that is not a review of a year)
            period = Period(self.publication.year, self.publication.year, "publication")
        yield committee, period, cand
        # a figure followed by 占…N% states the rate that goes with it
        share_key = self.codebook[cand.indicator].followed_by_share
        if share_key:
            sm = SHARE_AFTER.match(text[cand.ev_end : s_end])
            if sm:
                q = parse_quantity(sm.group("q"))
                yield committee, period, _Candidate(share_key, "percent", q.value, q.qualifier,
                                                    cand.ev_end + sm.start("q"), cand.ev_start, cand.ev_end + sm.end())

    def _accept(self, rule: Rule, m: re.Match[str], s_start: int, s_end: int, sentence: str) -> bool:
        text = self.norm.text
        if rule.exclude and rule.exclude.search(m.group()):
            return False
        clause_start = max(s_start, self._last_clause_end(s_start, m.start()))
        before = text[clause_start : m.start()]
        if clause_start > s_start:
            prev = text[max(s_start, clause_start - 6) : clause_start - 1]
            prev = prev[max(prev.rfind(","), prev.rfind(";"), prev.rfind(":")) + 1 :]
            if len(prev) <= 4:
                before = prev + "," + before
        if rule.exclude_before and rule.exclude_before.search(before):
            return False
        if self._cue_words["的"] and rule.indicator.key in _HANDLING_KEYS and SUBSET_HANDLER.search(
                text, s_start, m.end()):
            return False  # 市政府系统承办的223件政协提案全部办结: a part's handling
        if self._cue_words["party"] and (PARTY_SUBJECT.match(text, s_start, m.start())
                                         or PARTY_SUBJECT.match(text, clause_start, m.start())):
            return False  # 民进三明市委会共报送…46条: a party branch's own figures
        if "误" in before or "错" in before:
            if ERRATUM.search(text, max(s_start, m.start() - 16), m.start()):
                return False  # the wrong figure a correction notice quotes
        if "每" in before or "人均" in before:
            if PER_UNIT.search(before):
                return False  # 每年提交提案5件以上: a norm per member, not a count
        if before.endswith(("至少", "最少")) or (before.endswith("、") and _NORM_BEFORE.search(before)):
            return False  # 有143名委员全年至少报送1条, 每年至少提交1件提案、报送1条: thresholds, not counts
        if ONE_PERSON.search(before):
            return False  # 他今年提交提案8件: a member's own figure is not the committee's (SPEC)
        if before.startswith("其中") and clause_start > s_start:
            whole = text[self._last_clause_end(s_start, clause_start - 1) or s_start : clause_start - 1]
            if PERSON_IN_CLAUSE.search(whole):
                return False  # 委员王立新全年个人报送信息28条,其中9条被采用: part of one person's
        if self.named_members and any(name in text[s_start : m.start()] for name in self.named_members):
            return False  # 王建华累计提交提案46件: the member named earlier, not the committee
        statement = text[self._statement_start(s_start, m.start()) : m.start()]
        if TARGET.search(before) or TARGET_IN_CLAUSE.search(before) or TARGET.search(statement):
            return False  # 力争立案率达到95%以上; …力争…;编报信息100期以上: targets, not counts
        tally = PERSON_TALLY.search(before + m.group())
        if tally and self.norm.text.count(tally.group(1)) >= 2 and not set(tally.group(1)[1:]) & NOT_IN_NAMES:
            self.named_members.add(tally.group(1))
            return False  # 陈晓岚共提交提案37件: one member's own figure
        if not rule.indicator.stock and self._cue_words["tiers"] and _TIERS_TOGETHER.search(text, s_start, m.start()):
            return False  # 两级政协会议共收到提案614件: two committees' sum, neither's (a headcount is the upper's)
        if rule.indicator.group == "proposals":
            head = text[s_start : m.start()]
            if NOT_PROPOSALS.search(head) and "提案" not in head:
                return False  # 人大代表建议…办复率100%: the people's congress, not the CPPCC
            if ("委员" in head or "界别" in head) and MEMBER_GROUP.search(head + m.group()):
                return False  # 在吉林的全国政协委员共提交提案156件: some members, not a committee
            if "委员" in before and MEMBER_SUBGROUP.search(before + m.group()):
                return False
        if rule.exclude_after:
            after_end = CLAUSE_END.search(text, m.end(), s_end)
            after = text[m.end() : after_end.start() if after_end else s_end]
            if rule.exclude_after.search(after) and not after.startswith("全部"):
                return False
        if rule.require and not rule.require.search(text, max(0, s_start - 80), s_end) and not (
                self._names_committee(s_start, m.start()) and self._heading_names(rule.require, s_start, True)):
            # (银川市政协…报送信息178条 on a page titled …社情民意信息工作会议: the title says what
            # a committee's items are; a member's or a party's items stay unread)
            return False
        if rule.topic and not self._heading_names(rule.topic, s_start, False):
            return False  # 收到 425 件 under 【提案工作】: the heading names what was received
        return True

    def _names_committee(self, start: int, end: int) -> bool:
        i = bisect_left(self.mention_starts, start)
        return (i < len(self.mention_starts) and self.mention_starts[i] < end) or "该会" in self.norm.text[start:end]

    def _heading_names(self, pattern: re.Pattern[str], pos: int, title: bool) -> bool:
        """Whether the heading of the section ``pos`` stands in (``title``: or the page's title)
        matches ``pattern``."""
        if self._headings is None:
            text = self.norm.text
            self._headings = [m.span("h") for m in _HEADING_LINE.finditer(text)
                              if not any(mark in m.group("h") for mark in ",;")]
            self._heading_ends = [b for _, b in self._headings]
        text = self.norm.text
        i = bisect_right(self._heading_ends, pos)
        spans = [h for h in self._headings[:i] if h[0] < _TITLE_CHARS] if title else []
        # the section's heading: the nearest line that opens a section, not a line of figures
        # (收到 425 件 | 立案 388 件 under 【提案工作】)
        section = next((h for h in reversed(self._headings[max(0, i - 8) : i])
                        if _SECTION_MARK.match(text, h[0]) or not any(c.isdigit() for c in text[h[0] : h[1]])), None)
        if section:
            spans.append(section)
        return any(pattern.search(text, a, b) for a, b in spans)

    def _from_match(self, rule, m, by_key, committee_ctx, sent_mentions, marks, period_ctx) -> list[_Candidate]:
        ind = rule.indicator
        if "q" in m.groupdict() and m.group("q") is not None:
            if m.group("q") in ("一", "两", "几"):
                return []  # 一件提案: an article, not a figure
            if m.group("q")[0] in "十百千万" and self.norm.text[m.start("q") - 1 : m.start("q")] in VAGUE_BEFORE:
                return []  # 数百件, 上千条: "hundreds", not a figure
            try:
                q = parse_quantity(m.group("q"))
            except ValueError:
                return []
            if ind.unit == "count" and (q.percent or q.value != int(q.value)):
                return []
            if ind.unit == "percent" and not (0 <= q.value <= 100):
                return []
            qualifier = rule.qualifier or q.qualifier
            end = m.end()
            trailing = self.norm.text[end : end + 2]
            if trailing in ("以上", "左右") and qualifier == "exact":  # 300件以上, 300件左右
                qualifier = "at_least" if trailing == "以上" else "about"
                end = m.end() + 2
            ev_start, ev_end = self._evidence_span(m.start(), end)
            return [_Candidate(ind.key, ind.unit, q.value, qualifier, m.start("q"), ev_start, ev_end)]
        # a rule without a number (全部办复): the value is a count stated before, for the same unit
        pos = m.start()
        committee = self._committee_at(pos, sent_mentions, committee_ctx)
        period = self._period_at(pos, marks, period_ctx, m.start(), m.end(), ind.lags)
        if committee is None or period is None:
            return []
        for key in rule.value_from:
            earlier = by_key.get((committee.name, period.year, period.start, key))
            if earlier:
                ref = earlier[-1]
                ref_start = ref["_norm_q"]
                ev_start = ref_start if m.end() - ref_start <= 80 else m.start()
                ev_start, ev_end = self._evidence_span(ev_start, m.end())
                return [_Candidate(ind.key, ind.unit, ref["value"], rule.qualifier or "all", -1, ev_start, ev_end)]
        return []

    def _evidence_span(self, start: int, end: int) -> tuple[int, int]:
        """The match, from the start of its clause when that is near, and at least 8 characters."""
        text = self.norm.text
        clause_start = self._last_clause_end(max(0, start - 20), start)
        if clause_start:
            start = clause_start
        while start < end and text[start].isspace():
            start += 1
        while end - start < 8 and start > 0 and text[start - 1] not in "\n。;":
            start -= 1
        while end - start < 8 and end < len(text) and text[end] not in "\n。;":
            end += 1
        return start, end

    def _committee_at(self, pos, sent_mentions, committee_ctx) -> Committee | None:
        before = [c for p, c, obj in sent_mentions if p < pos and not obj]
        return before[-1] if before else committee_ctx

    def _period_at(self, pos, marks, period_ctx, s_start, s_end, lags: bool = False) -> Period | None:
        """The period of a figure at ``pos``; ``lags``: a handling outcome, not dated by 截至."""
        before = [p for at, p, _ in marks if at < pos]
        if before:
            return before[-1]
        if period_ctx is not None and (self._ctx_in_paragraph or lags):
            return period_ctx
        cut = CUTOFF.search(self.marker_text, s_start, pos) if pos > s_start else None
        if cut:
            y = int(cut.group(1))
            return Period(y, y, "cut-off")
        if period_ctx is not None:
            return period_ctx
        after = [p for _, p, _ in marks if p is not None]
        if after:
            return after[0]
        return self.fallback_period(s_start, s_end)

    def _fact(self, committee: Committee, period: Period, c: _Candidate, s_start: int, s_end: int) -> dict:
        start, end = self.norm.span(c.ev_start, c.ev_end)
        sa, sb = self.norm.span(s_start, s_end)
        return {
            "doc_id": self.doc.doc_id,
            "committee": committee.name,
            "level": committee.level,
            "year": period.year,
            "period_start": period.start,
            "indicator": c.indicator,
            "value": float(c.value),
            "qualifier": c.qualifier,
            "evidence": self.doc.text[start:end],
            "province": committee.province,
            "unit": c.unit,
            "sentence": self.doc.text[sa:sb].strip(),
            "start": start,
            "end": end,
            "doc_sha256": self.doc.sha256,
            "source": "extracted",
            "extractor_version": __version__,
            "_norm_q": c.q_start if c.q_start >= 0 else c.ev_start,
            "_how": period.how,
        }


UNDATED = ("document", "document session")


def _drop_rounded(facts: list[dict]) -> list[dict]:
    """A qualified figure within 10% of an exact one of the same key is its rounded restatement
    (两万四千余件 beside 24210件; SPEC: not a separate fact)."""
    exact: dict[tuple, list[float]] = {}
    for f in facts:
        if f["qualifier"] == "exact":
            exact.setdefault((f["committee"], f["indicator"], f["year"], f["period_start"]), []).append(f["value"])
    return [f for f in facts if f["qualifier"] in ("exact", "all") or not any(
        v and abs(v - f["value"]) / v < 0.1
        for v in exact.get((f["committee"], f["indicator"], f["year"], f["period_start"]), ()))]


def _prefer_dated(facts: list[dict]) -> list[dict]:
    """A headline figure dated only by the document is dropped when the body dates the same figure."""
    dated = {(f["committee"], f["indicator"], f["value"]) for f in facts if f["_how"] not in UNDATED}
    return [f for f in facts if f["_how"] not in UNDATED or (f["committee"], f["indicator"], f["value"]) not in dated]


class KeywordPrefilter:
    """Which rules can match a sentence, from the keywords of their indicators (plain substring tests)."""

    def __init__(self, rules: list[Rule]):
        self.by_keyword: dict[str, list[Rule]] = {}
        self.always: list[Rule] = []
        for rule in rules:
            if rule.indicator.keywords:
                for k in rule.indicator.keywords:
                    self.by_keyword.setdefault(k, []).append(rule)
            else:
                self.always.append(rule)
        # words that let a rule without a figure run (全部办复 takes an earlier figure)
        self.words_without_figure = sorted({k for r in rules if r.value_from for k in r.indicator.keywords})
        # ... and a rule without a figure or keywords may run anywhere
        self.every_sentence = any(r.value_from and not r.indicator.keywords for r in rules)
        self.order = {id(r): i for i, r in enumerate(rules)}

    def rules_for(self, sentence: str) -> list[Rule]:
        found = {id(r): r for k, rs in self.by_keyword.items() if k in sentence for r in rs}
        for r in self.always:
            found[id(r)] = r
        return sorted(found.values(), key=lambda r: self.order[id(r)])


def extract_document(doc: Document, codebook: Codebook | None = None, rules: list[Rule] | None = None,
                     prefilter: KeywordPrefilter | None = None) -> DocumentFacts:
    """Facts of one decoded document."""
    codebook = codebook or load_codebook()
    rules = rules if rules is not None else compile_rules(codebook)
    return _DocumentReader(doc, rules, codebook, prefilter).read()


@dataclass
class ExtractionResult:
    """Facts of a corpus, the documents that failed (InputError each), and the run's log lines."""

    facts: pd.DataFrame
    failures: list[InputError]
    log: list[str]
    n_documents: int


def facts_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows → a facts DataFrame in contract order, sorted by document and position."""
    df = pd.DataFrame(rows, columns=FACT_COLUMNS)
    if df.empty:
        return df.astype({"year": int, "period_start": int, "start": int, "end": int, "value": float})
    df = df.sort_values(["doc_id", "start", "indicator", "committee"], kind="stable").reset_index(drop=True)
    return df


def extract_corpus(folder: Path, *, curation: Path | None = None, use_curation: bool = True,
                   progress: bool = False, codebook: Codebook | None = None, jobs: int = 1) -> ExtractionResult:
    """Extract every document of ``folder``; bad documents are reported and skipped.

    Curation overrides come from ``curation`` or, by default, ``data/curation/overrides.csv``.
    ``jobs`` > 1 reads and extracts documents in that many processes (the result is the same).
    """
    from .curation import apply_curation, default_curation_file

    codebook = codebook or load_codebook()
    rows: list[dict] = []
    failures: list[InputError] = []
    log: list[str] = []
    n = 0
    pool = None
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        paths = list_documents(folder)
        pool = ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(codebook, read_metadata(folder)))
        outcomes: Iterable[_Outcome] = pool.map(_extract_path, paths, chunksize=max(1, min(32, len(paths) // (4 * jobs))))
    else:
        rules = compile_rules(codebook)
        prefilter = KeywordPrefilter(rules)
        outcomes = (_extract_item(item, codebook, rules, prefilter) for item in iter_corpus(folder))
    if progress:
        from tqdm import tqdm

        outcomes = tqdm(outcomes, total=len(_safe_list(folder)), desc="extract", unit="doc", file=sys.stderr,
                        disable=None)
    try:
        for facts_of_doc, notes, failure in outcomes:
            n += 1
            if failure is not None:
                failures.append(failure)
                log.append(f"error: {failure}")
                continue
            rows.extend(facts_of_doc)
            log.extend(notes)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    facts = facts_frame(rows)
    if use_curation and curation is None:
        curation = default_curation_file()
    if use_curation and curation is not None:
        facts, changes = apply_curation(facts, curation, codebook)
        log.extend(changes)
    facts = validate(facts, facts_schema(codebook.keys), "facts")
    return ExtractionResult(facts, failures, log, n)


_Outcome = tuple[list[dict], list[str], InputError | None]


def _extract_item(item: Document | InputError, codebook: Codebook, rules: list[Rule],
                  prefilter: KeywordPrefilter) -> _Outcome:
    """One document's fact rows and log notes, or the problem that stopped it."""
    if isinstance(item, InputError):
        return [], [], item
    try:
        result = extract_document(item, codebook, rules, prefilter)
    except Exception as exc:  # a bug must not cost the rest of the batch; it is reported like bad input
        return [], [], InputError(item.path, f"extraction failed ({type(exc).__name__}: {exc}); please report this")
    if not result.facts and not _has_committee(item):
        return [], [], InputError(item.path, "no committee (政协) named in the document")
    for row in result.facts:
        row.pop("_norm_q", None)
        row.pop("_how", None)
    return result.facts, [f"note: dropped {line}" for line in result.dropped], None


_worker: dict = {}


def _start_worker(codebook: Codebook, metadata: dict[str, dict[str, str]]) -> None:
    rules = compile_rules(codebook)
    _worker.update(codebook=codebook, rules=rules, prefilter=KeywordPrefilter(rules), metadata=metadata)


def _extract_path(path: Path) -> _Outcome:
    try:
        item: Document | InputError = read_document(path, _worker["metadata"])
    except InputError as exc:
        item = exc
    return _extract_item(item, _worker["codebook"], _worker["rules"], _worker["prefilter"])


def _safe_list(folder: Path) -> list[Path]:
    try:
        return list_documents(folder)
    except InputError:
        return []


def _has_committee(doc: Document) -> bool:
    return bool(doc.committee_hint) or "政协" in normalize(doc.text[:200000]).text


def extract_corpus_to_file(folder: Path, output: Path, *, curation: Path | None = None,
                           use_curation: bool = True, progress: bool = False, jobs: int = 1) -> ExtractionResult:
    """Extract ``folder`` and write ``output`` (CSV) and its ``.parquet`` sibling atomically."""
    from .paths import atomic_path

    result = extract_corpus(folder, curation=curation, use_curation=use_curation, progress=progress, jobs=jobs)
    with atomic_path(output) as tmp:
        result.facts.to_csv(tmp, index=False, encoding="utf-8")
    with atomic_path(output.with_suffix(".parquet")) as tmp:
        result.facts.to_parquet(tmp, index=False)
    return result
