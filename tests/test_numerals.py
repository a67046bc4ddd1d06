"""Numbers as reports write them; reference values are the numbers the strings spell."""

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cppcc_study.numerals import PREFIX_QUALIFIERS, SUFFIX_QUALIFIERS, parse_number, parse_quantity


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1194", 1194),
        ("1,194", 1194),
        ("2.9万", 29000),
        ("2.5万", 25000),
        ("16.4亿", 1_640_000_000),
        ("一千一百九十四", 1194),
        ("两千", 2000),
        ("三百〇五", 305),
        ("十二", 12),
        ("二点五万", 25000),
        ("92.3", 92.3),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_yi_is_exact_not_float_noise():
    # 16.4 * 1e8 in binary floating point is 1639999999.9999998; the report means 1640000000
    assert parse_number("16.4亿") == 1640000000.0


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "percent"),
    [
        ("1300余", 1300, "at_least", False),
        ("300多", 300, "at_least", False),
        ("近1500", 1500, "at_most", False),
        ("不到200", 200, "at_most", False),
        ("约2.5万", 25000, "about", False),
        ("3万余", 30000, "at_least", False),
        ("超过80", 80, "at_least", False),
        ("逾百", 100, "at_least", False),
        ("92.3%", 92.3, "exact", True),
        ("百分之九十", 90, "exact", True),
        ("90%以上", 90, "at_least", True),
        ("200左右", 200, "about", False),
        ("九成以上", 90, "at_least", True),  # tenths: 九成 is 90%
        ("九成五", 95, "exact", True),
        ("近八成", 80, "at_most", True),
        ("百分之八十以上", 80, "at_least", True),
        ("百分之九十左右", 90, "about", True),
    ],
)
def test_parse_quantity(text, value, qualifier, percent):
    q = parse_quantity(text)
    assert (q.value, q.qualifier, q.percent) == (value, qualifier, percent)


@given(st.integers(min_value=0, max_value=10**9))
def test_arabic_roundtrip(n):
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_roundtrip(n):
    assert parse_number(cn2an.an2cn(n)) == n


@given(st.integers(min_value=1, max_value=99999), st.sampled_from(["万", "亿"]))
def test_wan_yi_with_one_decimal_are_exact(tenths, unit):
    scale = 10_000 if unit == "万" else 100_000_000
    text = f"{tenths // 10}.{tenths % 10}{unit}"
    assert parse_number(text) == tenths * scale // 10


@given(st.integers(min_value=1, max_value=10**6), st.sampled_from(sorted(PREFIX_QUALIFIERS)))
def test_prefix_qualifiers(n, word):
    q = parse_quantity(f"{word}{n}")
    assert (q.value, q.qualifier) == (n, PREFIX_QUALIFIERS[word])


@given(st.integers(min_value=1, max_value=10**6), st.sampled_from(sorted(SUFFIX_QUALIFIERS)))
def test_suffix_qualifiers(n, word):
    q = parse_quantity(f"{n}{word}")
    assert (q.value, q.qualifier) == (n, SUFFIX_QUALIFIERS[word])


def test_not_a_number():
    with pytest.raises(ValueError):
        parse_number("提案")
