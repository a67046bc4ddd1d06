"""Normalised text maps back to the original, character for character."""

from hypothesis import given
from hypothesis import strategies as st

from cppcc_study.normalize import normalize, normalize_char, to_simplified


def test_traditional_to_simplified():
    assert to_simplified("經審查立案") == "经审查立案"
    assert to_simplified("辦復率為") == "办复率为"


def test_mirror_site_forms_are_cleaned_and_quoted_verbatim():
    raw = "市政協(xié)共收到提案3045件,,經(jīng)審查立案2686件"
    n = normalize(raw)
    assert n.text == "市政协共收到提案3045件,经审查立案2686件"
    i = n.text.index("经审查")
    assert n.quote(i, i + len("经审查立案2686件")) == "經(jīng)審查立案2686件"


def test_full_width_digits_and_punctuation():
    n = normalize("立案１２３件，占９０％")
    assert n.text == "立案123件,占90%"
    assert n.index is None  # nothing removed: offsets are the identity


def test_punctuation_runs_keep_the_strongest_mark():
    assert normalize("委员,、政协").text == "委员、政协"
    assert normalize("提案,。下一句").text == "提案。下一句"


pieces = st.sampled_from(["政協", "(xié)", ",,", ",、", "提案", "１２", "3045件", "。", "經", "(jīng)", "审查", "\n"])


@given(st.lists(pieces, max_size=30))
def test_every_normalised_character_comes_from_the_original(parts):
    raw = "".join(parts)
    n = normalize(raw)
    offsets = [n.offset(i) for i in range(len(n.text))]
    assert offsets == sorted(set(offsets))  # strictly increasing: a subsequence of the original
    for i, ch in enumerate(n.text):
        assert normalize_char(raw[offsets[i]]) == ch


def test_a_space_between_a_number_and_its_words_is_dropped():
    n = normalize("共收到提案 468 件,立案率 88.0%。2023-01-12 10:30")
    assert n.text == "共收到提案468件,立案率88.0%。2023-01-12 10:30"
    i = n.text.index("468")
    assert n.quote(i - 2, i + 4) == "提案 468 件"


def test_stray_spaces_inside_a_sentence_are_closed_up():
    n = normalize("共收到提案 5 12 件,经审查,立 案446件。")
    assert n.text == "共收到提案512件,经审查,立案446件。"
    i = n.text.index("512")
    assert n.quote(i, i + 4) == "5 12 件"


def test_spaces_that_separate_columns_or_menu_items_stay():
    table = "年份　收到提案(件)　立案(件)\n2017　156　141\n2018 162 149"
    assert normalize(table).text == "年份 收到提案(件) 立案(件)\n2017 156 141\n2018 162 149"
    assert normalize("首页 政协要闻 提案工作\n").text == "首页 政协要闻 提案工作\n"


def test_bold_marks_are_dropped_and_evidence_keeps_them():
    n = normalize("全年共收到提案**463件**,立案率为**86.6%**")
    assert n.text == "全年共收到提案463件,立案率为86.6%"
    i = n.text.index("463")
    assert n.quote(i, i + 4) == "463件"
