"""Dates and periods: publication hints, sessions, relative years."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cppcc_study.periods import (
    SESSION,
    TERM_OF,
    arabic_years,
    dateline,
    delivery_date,
    provincial_cycle,
    review_year,
    session_anchors,
    sessions_in,
    terms_of,
    url_date,
    weak_publication,
)


@pytest.mark.parametrize("url, expected", [
    ("http://a.gov.cn/art/2021/1/25/art_1.html", date(2021, 1, 25)),
    ("http://a.gov.cn/zwgk/202101/t20210125_1.html", date(2021, 1, 25)),
    ("http://a.cn/zxww/2012/03/13/A.shtml", date(2012, 3, 13)),
    ("http://a.cn/c/2015-02-06/4.shtml", date(2015, 2, 6)),
    ("http://a.cn/zwpd/2026-01/20/1.html", date(2026, 1, 20)),
    ("http://a.cn/yw/202602/8.html", date(2026, 2, 1)),
    ("http://a.cn/a/30-9536-0.html", None),
])
def test_url_date(url, expected):
    assert url_date(url) == expected


def test_review_year_turns_at_mid_year():
    assert review_year(date(2023, 1, 6)) == 2022  # a review published in January is about last year
    assert review_year(date(2022, 12, 5)) == 2022  # a year-end meeting reviews the year itself


def test_provincial_terms_start_in_the_election_cycle():
    assert [provincial_cycle(y) for y in (2018, 2019, 2022, 2023)] == [2018, 2018, 2018, 2023]


def test_national_sessions_from_the_table():
    anchors = session_anchors("", date(2019, 3, 3))
    assert anchors.session_year(13, 2, "national") == 2019
    assert anchors.session_year(11, 5, "national") == 2012


def test_lower_level_sessions_from_the_newest_one_mentioned():
    anchors = session_anchors("州政协十三届五次会议召开,听取十三届四次会议以来的报告", date(2026, 1, 20))
    assert anchors.session_year(13, 4, "prefecture") == 2025
    assert session_anchors("七届二次会议", None).session_year(7, 2, "county") is None


def test_weak_publication_hints():
    assert weak_publication("结果将于2023年1月上旬揭晓") == date(2022, 12, 15)
    assert weak_publication("Copyright @1997-2023 某某报社") == date(2023, 12, 31)


@given(st.lists(st.sampled_from(["十三届", "第十四届", "二次会议", "省政协", "期间", "以来", "届", "政协", "一", "。", "x"]),
                max_size=14))
def test_anchored_matches_equal_a_full_scan(parts):
    text = "".join(parts)
    assert [m.span() for m in terms_of(text)] == [m.span() for m in TERM_OF.finditer(text)]
    assert [m.span() for m in sessions_in(text)] == [m.span() for m in SESSION.finditer(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("2023-01-16 10:20 来源:本站\n正文", date(2023, 1, 16)),
    ("标题\n正文……\n发布时间:2021-07-02\n", date(2021, 7, 2)),
    ("关于今年以来工作情况的通报\n今年以来,……\n    政协某市委员会办公室\n    二〇二三年十二月\n", date(2023, 12, 1)),
    ("关于今年以来工作情况的通报\n2022年12月,市委召开政协工作会议。\n", None),  # a year in prose signs nothing
    ("政协大事记\n1993年\n3月16日,政协第一次会议开幕。\n", None),  # a chronicle's year heading and a day
])
def test_dateline_head_label_or_signature(text, expected):
    assert dateline(arabic_years(text)) == expected


def test_a_reports_delivery_line_dates_it():
    head = "关于提案工作情况的报告\n发布日期:2025-03-12\n——二〇二三年一月十二日在政协韶关市第十三届委员会第二次会议上\n"
    assert delivery_date(arabic_years(head)) == date(2023, 1, 12)
    assert delivery_date("2023年1月12日,市政协召开常委会议。") is None
