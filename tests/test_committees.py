"""Committee mentions against the gazetteer: named, generic, 'this', plural."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cppcc_study.committees import find_mentions, gazetteer, publisher_place, trie_pattern
from cppcc_study.normalize import normalize


def mentions(text: str) -> list[tuple[str, str]]:
    t = normalize(text).text
    return [(m.kind, m.committee.name if m.committee else m.level) for m in find_mentions(t)]


@pytest.mark.parametrize("text, expected", [
    ("全国政协十二届二次会议", [("named", "全国")]),
    ("政协第十一届全国委员会第五次会议", [("named", "全国")]),
    ("政协四川省第十三届委员会常务委员会", [("named", "四川省")]),
    ("中国人民政治协商会议第十三届黔东南苗族侗族自治州委员会", [("named", "黔东南苗族侗族自治州")]),
    ("大连市普兰店区政协开展活动", [("named", "普兰店区")]),
    ("北京市東城區政協十三屆五次會議", [("named", "东城区")]),
    ("廈門市政協(xié)共收到提案", [("named", "厦门市")]),
    ("《平阴政协》信息", [("named", "平阴县")]),
    ("十届省政协期间", [("generic", "provincial")]),
    ("该区150名政协委员", [("this", "county")]),
    ("自治区政协十二届三次会议", [("generic", "provincial")]),
    ("各市(州)政协主席", []),
    ("市县两级1119名政协委员", []),
    ("各省辖市政协报送的信息", []),
    ("人大代表建议和县政协提案", [("generic", "county")]),  # "and the county's", not 和县
    ("和县政协召开常委会", [("named", "和县")]),
    ("会议确定州政协主席会议成员督办的重点提案", [("generic", "prefecture")]),  # not 定州
    ("定州市委书记出席定州政协会议", [("named", "定州市")]),
    ("襄樊市政协十一届二次会议", [("named", "襄樊市")]),  # a former name: the committee of its time
    ("崇文区政协", [("named", "崇文区")]),
    ("被巴州政协采用", [("named", "巴音郭楞蒙古自治州")]),  # a conventional short name
    ("伊犁州政协", [("named", "伊犁哈萨克自治州")]),
])
def test_mentions(text, expected):
    assert mentions(text) == expected


def test_levels_and_parents():
    gz = gazetteer()
    assert gz.lookup("重庆市").level == "provincial"  # a municipality is provincial
    assert gz.lookup("广水市").level == "county"  # a county-level city
    assert gz.lookup("广水市").parent == "随州市"
    assert gz.lookup("黔东南州").name == "黔东南苗族侗族自治州"  # short form of an autonomous prefecture


@given(st.lists(st.sampled_from(["广州", "广州市", "广东", "广东省", "州", "市", "广", "省政协", "黔东南州", "黔东南", "x"]),
                max_size=12))
def test_trie_pattern_finds_the_longest_name_like_a_flat_alternation(parts):
    names = ["广州", "广州市", "广东", "广东省", "黔东南州", "黔东南苗族侗族自治州", "州市"]
    flat = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    trie = re.compile(trie_pattern(names))
    text = "".join(parts)
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


@pytest.mark.parametrize("text, expected", [
    ("市政协召开常委会议\n2024-03-02 来源：宣威市融媒体中心\n正文", "宣威市"),
    ("平度年鉴(2016)\n政协工作\n【概况】全年,市政协……", "平度市"),
    ("县政协开幕。\n(本报记者 某某 凤台县融媒体中心供稿)", "凤台县"),
    ("市政协召开常委会议。来源:本站", None),
    ("温江县人民政府门户网站 > 政务公开\n县政协收到提案120件", "温江县"),
])
def test_publisher_place_from_source_line_yearbook_title_or_outlet(text, expected):
    found = publisher_place(normalize(text).text)
    assert (found.name if found else None) == expected


def test_chongqings_districts_and_no_committee_for_functional_new_areas():
    gz = gazetteer()
    assert gz.lookup("渝北区").province == "重庆市"
    assert gz.lookup("江北区", gz.lookup("重庆市")).province == "重庆市"
    assert gz.lookup("两江新区") is None and gz.lookup("雄安新区") is None
