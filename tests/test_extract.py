"""Extraction on short texts written for the tests: each case is a habit of real reports."""

import pytest

from cppcc_study.codebook import load_codebook
from cppcc_study.errors import InputError
from cppcc_study.extract import compile_rules, extract_document
from cppcc_study.paths import CODEBOOK_FILE
from extract_helpers import doc, facts


def test_every_codebook_rule_compiles():
    rules = compile_rules(load_codebook())
    assert {r.indicator.key for r in rules} >= {i.key for i in load_codebook().indicators}


def test_a_codebook_key_given_twice_is_refused_with_the_file_named(tmp_path):
    text = CODEBOOK_FILE.read_text(encoding="utf-8").replace("    unit: count\n", "    unit: count\n    unit: count\n", 1)
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="given twice") as err:
        load_codebook(path)
    assert str(path) in str(err.value)


def test_a_misspelt_rule_field_is_refused_not_ignored(tmp_path):
    text = CODEBOOK_FILE.read_text(encoding="utf-8").replace("        require: ", "        requires: ", 1)
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="unknown rule field requires") as err:
        load_codebook(path)
    assert str(path) in str(err.value)


def test_proposal_chain_in_a_year_end_review():
    text = ("2024-01-15 来源:某某日报\n过去一年,市政协共收到提案三百二十件,经审查立案298件,立案率93.1%。"
            "截至目前,298件提案已全部办复,所提意见建议被采纳或部分采纳的276件,占92.6%。")
    got = facts(text, committee="绍兴市")
    assert got == [
        ("绍兴市", 2023, 2023, "proposals.received", 320, "exact"),
        ("绍兴市", 2023, 2023, "proposals.filed", 298, "exact"),
        ("绍兴市", 2023, 2023, "proposals.filing_rate", 93.1, "exact"),
        ("绍兴市", 2023, 2023, "proposals.handled", 298, "all"),
        ("绍兴市", 2023, 2023, "proposals.adopted", 276, "exact"),
        ("绍兴市", 2023, 2023, "proposals.adoption_rate", 92.6, "exact"),
    ]


def test_opinion_items_instructions_and_units():
    text = ("一年来,县政协交由36个承办单位办理提案,办复率100%。县政协收集社情民意信息320余条,"
            "编发《社情民意》45期,被市政协采用12篇,获得县领导批示18件次。")
    got = {(f[3], f[4], f[5]) for f in facts(text, url="http://x.cn/2021-02/03/a.html", committee="德清县")}
    assert got == {
        ("proposals.handling_units", 36, "exact"),
        ("proposals.handled_rate", 100, "exact"),
        ("opinion.collected", 320, "at_least"),
        ("opinion.reported", 45, "exact"),
        ("opinion.adopted", 12, "exact"),
        ("instructions", 18, "exact"),
    }
    assert {f[1] for f in facts(text, url="http://x.cn/2021-02/03/a.html", committee="德清县")} == {2020}


def test_subsets_refusals_and_growth_are_not_facts():
    text = ("2022年,省政协共收到提案1024件,比上年增加56件,其中委员提案900件。经审查,892件提案予以立案,"
            "不予立案的132件转为意见建议。提交民生提案88件。批示数量同比增长35%。")
    got = {(f[3], f[4]) for f in facts(text, committee="江苏省")}
    assert got == {("proposals.received", 1024), ("proposals.filed", 892)}


def test_session_reference_dates_the_proposals():
    text = "全国政协十三届二次会议期间,委员们共提交提案5000件,经审查立案4000件。"
    assert {f[1] for f in facts(text, url="http://x.cn/2019/03/12/a.html")} == {2019}
    # a provincial session is dated by the provincial election cycle (terms from 2018, 2023, …)
    text = "政协江苏省第十二届委员会第五次会议以来,省政协共收到提案1024件。"
    assert facts(text, url="http://x.cn/2022/01/20/a.html")[0][:4] == ("江苏省", 2022, 2022, "proposals.received")


def test_term_summary_has_a_period():
    text = "十二届市政协期间,共收到提案2,345件,立案2100件,已解决或采纳的1800件,占立案总数的85.7%。"
    got = facts(text, url="http://x.cn/2017/01/10/a.html", committee="宁波市")
    assert {(f[1], f[2]) for f in got} == {(2016, 2012)}
    assert ("proposals.adoption_rate", 85.7) in {(f[3], f[4]) for f in got}
    text = "2004年~2010年,县政协委员共提出提案1386件,审查立案1261件。"
    assert {(f[1], f[2]) for f in facts(text, committee="平阴县")} == {(2010, 2004)}


def test_recent_years_and_this_term_are_summaries():
    got = facts("近三年,县政协委员共提交提案712件,立案643件。", committee="德清县", url="http://a.cn/2021/12/20/x.html")
    assert {(f[1], f[2]) for f in got} == {(2021, 2019)}
    # 本届以来 in a report to the term's fourth session: the term began with its first, three years before
    text = "——2021年1月19日在政协河南省第十二届委员会第四次会议上\n本届以来,省政协共收到提案3712件。"
    assert {(f[1], f[2]) for f in facts(text)} == {(2020, 2018)}


def test_members_headcount_but_not_attendance():
    text = "去年,区政协组织350名政协委员参加培训;区政协共有委员230名。"
    assert facts(text, url="http://x.cn/2023/03/01/a.html", committee="海淀区") == [
        ("海淀区", 2022, 2022, "members", 230, "exact")]


def test_traditional_script_and_mirror_site_noise():
    text = "2015年,廈門市政協(xié)共收到提案300件,,經(jīng)審查立案280件,辦復率為99.5%。"
    got = {(f[0], f[3], f[4]) for f in facts(text)}
    assert got == {("厦门市", "proposals.received", 300), ("厦门市", "proposals.filed", 280),
                   ("厦门市", "proposals.handled_rate", 99.5)}


def test_two_committees_in_one_article():
    text = ("2021年,成都市政协共收到提案600件,立案560件。\n"
            "同年,自贡市政协共收到提案310件,立案290件。")
    got = {(f[0], f[3], f[4]) for f in facts(text, url="http://x.cn/2022/01/05/a.html")}
    assert ("成都市", "proposals.received", 600) in got and ("自贡市", "proposals.received", 310) in got
    assert ("自贡市", "proposals.filed", 290) in got


def test_all_handled_refers_to_the_filed_count():
    text = "2020年,市政协提案立案227件,各承办单位全部办复。"
    got = facts(text, committee="江门市")
    assert ("江门市", 2020, 2020, "proposals.handled", 227, "all") in got


def test_evidence_is_verbatim_and_offsets_point_at_it():
    text = "2015年,廈門市政協(xié)共收到提案300件,,經(jīng)審查立案280件。"
    d = doc(text)
    for f in extract_document(d).facts:
        assert text[f["start"] : f["end"]] == f["evidence"]
        assert f["evidence"] in f["sentence"]
        assert len(f["evidence"]) >= 8


def test_a_figure_stated_twice_is_one_fact():
    text = "市政协收到提案639件\n2016年,市政协共收到提案639件,经审查确定立案588件。"
    got = facts(text, committee="青岛市")
    assert [f[3] for f in got].count("proposals.received") == 1


@pytest.mark.parametrize("qualified, qualifier", [("近千件", "at_most"), ("1000件以上", "at_least"),
                                                  ("约1000件", "about"), ("1000余件", "at_least")])
def test_qualifiers_around_counts(qualified, qualifier):
    text = f"2021年,市政协共收到提案{qualified}。"
    ((*_, value, q),) = facts(text, committee="青岛市")
    assert (value, q) == (1000, qualifier)


def test_undatable_session_figures_are_dropped_and_logged():
    text = "七届二次会议受理提案195件,立案187件。"
    result = extract_document(doc(text, committee="平阴县"))
    assert result.facts == []
    assert any("no year" in line for line in result.dropped)


@pytest.mark.parametrize("sentence, expected", [
    ("省政协提案委员会收到委员和各界别提案共980件。", ("proposals.received", 980, "exact")),
    ("经审查,612件提案予以立案。", ("proposals.filed", 612, "exact")),
    ("承办单位已办结立案提案540件。", ("proposals.handled", 540, "exact")),
    ("其中问题已解决或部分解决的有300件,在办复提案中占80.5%。", ("proposals.adoption_rate", 80.5, "exact")),
    ("全年共编辑报送各类社情民意信息210篇。", ("opinion.reported", 210, "exact")),
    ("市政协收到的社情民意信息达900余条。", ("opinion.collected", 900, "at_least")),
    ("报送的社情民意信息中,有5篇为全国政协所采用。", ("opinion.adopted", 5, "exact")),
    ("市领导对66件次重要提案作出批示。", ("instructions", 66, "exact")),
    ("本届市政协委员共420名。", ("members", 420, "exact")),
    ("列入计划逐步解决的40件。", ("proposals.class_b", 40, "exact")),
    ("因条件所限留作工作参考的12件。", ("proposals.class_c", 12, "exact")),
    ("重点督办提案15件。", ("proposals.key", 15, "exact")),
])
def test_phrasings(sentence, expected):
    text = "2019年,市政协围绕中心履职,有关提案工作情况如下。" + sentence
    got = {(f[3], f[4], f[5]) for f in facts(text, committee="九江市")}
    assert expected in got, got


def test_a_national_title_does_not_take_the_figure():
    text = "全国政协委员、市政协主席张三介绍,一年来市政协共收到提案500件。\n全国政协委员李四说,市政协立案450件。"
    got = facts(text, committee="九江市", url="http://a.cn/2022/01/10/x.html")
    assert {f[0] for f in got} == {"九江市"} and len(got) == 2


def test_term_named_without_duration_is_a_summary():
    got = facts("十三届省政协共收到提案3786件,经审查立案3512件。", committee="江西省",
                url="http://a.cn/2023/01/10/x.html")
    assert {(f[1], f[2]) for f in got} == {(2022, 2018)}


def test_bulletin_names_between_verb_and_count():
    got = facts("2023年,市政协编报《社情民意》专报86期,被全国政协《信息专报》采用5篇。", committee="九江市")
    assert {(f[3], f[4]) for f in got} == {("opinion.reported", 86), ("opinion.adopted", 5)}


def test_generic_prefecture_committee_from_the_places_named():
    text = "州政协十三届四次会议以来,共提交提案356件,经审查立案348件。黔东南州融媒体中心"
    got = facts(text, url="http://a.cn/2026-01/20/x.html")
    # 州政协 names no prefecture; the text names 黔东南州. 四次会议以来 is reported at the fifth session.
    assert {(f[0], f[1]) for f in got} == {("黔东南苗族侗族自治州", 2025)}


def test_a_members_own_figures_are_not_the_committees():
    text = "2021年,市政协共收到提案500件。委员张三介绍,他今年提交提案8件,其中3件被采纳。"
    got = facts(text, committee="九江市")
    assert [(f[3], f[4]) for f in got] == [("proposals.received", 500)]


def test_session_named_with_its_committee_word():
    text = ("十四届全国政协一次会议以来,委员和参加单位共提交提案5621件,经审查,立案4759件。"
            "截至2024年2月20日,已办复4740件,办复率99.6%。")
    got = facts(text, url="http://a.cn/zxww/2024/03/04/x.shtml")
    # handling is counted for the proposals' year, not the cut-off's
    assert {(f[1], f[3]) for f in got} == {(2023, "proposals.received"), (2023, "proposals.filed"),
                                           (2023, "proposals.handled"), (2023, "proposals.handled_rate")}


def test_handled_out_of_filed_takes_the_handled_count():
    got = facts("2022年,市政协立案498件。截至目前,498件提案已办复497件,办复率99.8%。", committee="洛阳市")
    assert [f[4] for f in got if f[3] == "proposals.handled"] == [497]


def test_since_a_year_is_a_period_and_a_headcount_is_not_summed():
    text = "2018年以来,区政协委员共提交提案1562件,立案1430件。本届区政协现有委员280名。"
    got = {f[3]: (f[1], f[2]) for f in facts(text, url="http://a.cn/2021/12/30/x.html", committee="武侯区")}
    assert got == {"proposals.received": (2021, 2018), "proposals.filed": (2021, 2018), "members": (2021, 2021)}


def test_a_running_term_reaches_the_session_the_page_reports():
    # the total since the term began includes the session just held; a headcount is of that day
    text = ("2020-01-16 来源:本站\n政协岳阳市第八届委员会第四次会议闭幕。会议期间收到提案402件。"
            "八届市政协以来,委员累计提交提案1,580件。八届市政协共有委员420名。")
    got = {(f[0], f[1], f[2], f[3], f[4]) for f in facts(text)}
    assert {("岳阳市", 2020, 2020, "proposals.received", 402), ("岳阳市", 2020, 2017, "proposals.received", 1580),
            ("岳阳市", 2020, 2020, "members", 420)} <= got


def test_a_whole_system_figure_is_not_one_committees():
    got = facts("2020年,全市政协系统共收到提案2345件。市政协收到提案512件,立案475件。", committee="温州市")
    assert [f[4] for f in got if f[3] == "proposals.received"] == [512]


def test_a_sentence_without_figure_or_committee_still_refers_back():
    # the second sentence names no committee, year or figure: only its 办复 makes it matter
    text = "2022年,随州市政协共立案提案315件。这些提案都已办复。"
    assert ("随州市", 2022, 2022, "proposals.handled", 315, "all") in facts(text)


def test_committee_context_is_looked_up_backwards_within_the_paragraph():
    text = ("2023年,广水市政协围绕乡村振兴开展调研。随后向随州市政协报送调研报告。全年共收到提案208件。\n"
            "全年立案196件。")
    got = facts(text)
    assert ("广水市", 2023, 2023, "proposals.received", 208, "exact") in got  # 报送随州市政协: an object
    # a new paragraph without a subject falls back to the document's main committee
    assert ("广水市", 2023, 2023, "proposals.filed", 196, "exact") in got


# --- cases found by the generalisation audit (tests/fixtures/hard_cases) ---------------------

def _keys(text: str, **kw) -> set[tuple]:
    return {(c, y, ind, v) for c, y, _, ind, v, _ in facts(text, **kw)}


def test_other_bodies_are_not_a_person():
    got = _keys("2021年,德阳市政协委员、各民主党派和其他人民团体共提交提案274件。")
    assert ("德阳市", 2021, "proposals.received", 274) in got


@pytest.mark.parametrize("text", [
    "2022年,达州市政协将力争提案立案率达到95%以上。",          # a target
    "2022年,达州市人大代表建议的办复率达100%,达州市政协委员列席会议。",  # the people's congress
    "2022年,达州市政协每年收到提案数百件。",                  # hundreds: no figure
])
def test_targets_other_bodies_and_vague_amounts_are_not_facts(text):
    assert _keys(text) == set()


def test_a_member_named_earlier_owns_the_figures_that_follow():
    text = ("在雅安市政协五届三次会议上,市政协委员周明远又带来3件提案。多年来,周明远累计提交提案52件。"
            "本次会议共收到提案310件。")
    got = _keys(text, url="http://example.org/2023/01/12/a.html")
    assert ("雅安市", 2023, "proposals.received", 310) in got
    assert not any(v == 52 for *_, v in got)


def test_a_session_held_last_year_and_a_header_date_in_chinese_numerals():
    last_year = "2021-03-02 来源:本站\n去年1月召开的九龙坡区政协十五届五次会议上,委员们共提交提案188件。"
    assert ("九龙坡区", 2020, "proposals.received", 188) in _keys(last_year)
    header = "(二〇二一年一月十四日)\n过去一年,泸州市政协共收到提案415件。2021年,我们将继续努力。"
    assert ("泸州市", 2020, "proposals.received", 415) in _keys(header)


def test_since_the_session_in_a_late_article_is_this_years_session():
    text = "今年,内江市政协八届四次会议以来,委员共提交提案233件。"
    assert ("内江市", 2020, "proposals.received", 233) in _keys(text, url="http://example.org/2020/12/08/a.html")


def test_county_under_a_short_or_former_name():
    assert ("长阳土家族自治县", 2022, "proposals.received", 120) in _keys("2022年,长阳县政协共收到提案120件。")
    got = facts("2013年,临安市政协共收到提案215件。")
    assert got[0][:2] == ("临安市", 2013)  # the name of its time, a county-level unit of 浙江省


def test_generic_county_committee_from_the_byline():
    text = "凤台县融媒体中心供稿\n2018年,县政协共收到提案96件。"
    assert ("凤台县", 2018, "proposals.received", 96) in _keys(text)


def test_related_news_list_and_rounded_headline_are_not_facts():
    text = ("2022年,全国政协收到提案六千余件。全年共收到提案5982件,经审查立案5100件。\n"
            "相关新闻\n宜宾市政协去年收到提案512件\n")
    got = _keys(text)
    assert ("全国", 2022, "proposals.received", 5982) in got
    assert not any(v in (6000, 512) for *_, v in got)


def test_a_yearbook_covers_the_year_before():
    text = "简阳年鉴(2016)\n政协工作\n全年,简阳市政协共收到提案263件。"
    assert ("简阳市", 2015, "proposals.received", 263) in _keys(text)


def test_respective_lists_pair_each_label_with_its_value_and_share():
    text = ("2020年,黔南州政协立案提案300件。其中A类(已解决)、B类(正在解决)、C类(留作参考)提案分别为210件、60件、30件,"
            "分别占70%、20%、10%。")
    got = _keys(text)
    assert {("黔南布依族苗族自治州", 2020, "proposals.adopted", 210), ("黔南布依族苗族自治州", 2020, "proposals.class_b", 60),
            ("黔南布依族苗族自治州", 2020, "proposals.class_c", 30),
            ("黔南布依族苗族自治州", 2020, "proposals.adoption_rate", 70)} <= got


def test_a_figure_that_modifies_the_next_words_is_read_by_both_rules():
    got = _keys("2014年,舒城县政协经审查立案214件,立案的214件提案已按时办复。")
    assert ("舒城县", 2014, "proposals.handled", 214) in got and ("舒城县", 2014, "proposals.filed", 214) in got


# --- the second audit batch (a01–a40) -----------------------------------------------------------

def test_members_from_one_place_are_not_the_national_intake():
    text = "全国政协十四届二次会议期间,在四川的全国政协委员共提交提案210件。大会共收到提案5800件。"
    got = _keys(text, url="http://example.org/2024/03/12/a.html")
    assert ("全国", 2024, "proposals.received", 5800) in got
    assert not any(v == 210 for *_, v in got)


def test_an_end_of_term_report_dates_the_old_terms_sessions_from_the_new_first_session():
    text = ("(2022年1月8日在政协曲靖市第七届委员会第一次会议上)\n"
            "过去一年,六届五次会议以来,共收到提案402件,立案371件。")
    got = _keys(text)
    assert ("曲靖市", 2021, "proposals.received", 402) in got and ("曲靖市", 2021, "proposals.filed", 371) in got


def test_a_stated_year_beats_the_review_word_and_comparisons_do_not_date():
    late = "2023-12-20 来源:本站\n2022年全年,常德市政协共收到提案377件。今年以来,共收到提案402件,与去年相比增加25件,立案380件。"
    got = _keys(late)
    assert ("常德市", 2022, "proposals.received", 377) in got
    assert ("常德市", 2023, "proposals.received", 402) in got and ("常德市", 2023, "proposals.filed", 380) in got


def test_a_work_plan_gives_no_facts_even_after_a_semicolon():
    text = "2025-02-10 来源:本站\n2025年,益阳市政协将力争征集提案不少于300件;编报社情民意信息80期以上,被省政协采用30条以上。"
    assert _keys(text) == set()


def test_a_five_year_plan_period_is_a_summary():
    got = facts("“十三五”期间,绵阳市政协共收到提案2450件。", url="http://example.org/2021/01/15/a.html")
    assert ("绵阳市", 2020, 2016, "proposals.received", 2450, "exact") in got


def test_the_committee_that_adopts_is_not_the_subject():
    text = "2019年,遵义市政协全年共编报社情民意信息88期,全国政协采用我市信息3条,省政协采用27条。"
    got = _keys(text)
    assert {("遵义市", 2019, "opinion.reported", 88), ("遵义市", 2019, "opinion.adopted", 3),
            ("遵义市", 2019, "opinion.adopted", 27)} <= got


def test_a_members_own_tally_after_a_title():
    text = "2023-01-20 来源:本站\n走进德州市政协委员、医生孙海燕的诊室。五年间,孙海燕共提交提案31件,其中9件被列为重点提案。"
    assert _keys(text) == set()


# --- the third audit batch (b01–b34) --------------------------------------------------------------

def test_a_reports_plan_section_gives_no_facts_but_its_review_does():
    text = ("2018-01-12 来源:本站\n一、2017年工作回顾\n2017年,襄阳市政协共收到提案512件,立案468件。\n"
            "二、2018年工作建议\n拟遴选重点提案20件左右,确保提案办复率达到100%;全年编报社情民意信息150期左右。\n")
    assert _keys(text) == {("襄阳市", 2017, "proposals.received", 512), ("襄阳市", 2017, "proposals.filed", 468)}


def test_a_title_that_reviews_and_plans_is_not_a_plan_and_pagers_are_furniture():
    text = ("益阳市政协2022年工作总结和2023年工作打算\n一、2022年工作总结\n全年共收到提案284件,立案251件。\n"
            "二、2023年工作打算\n力争编报社情民意信息130期以上。\n上一篇:安化县政协收到提案203件\n"
            "【推荐文章】\n桃江县政协2022年立案提案188件\n")
    assert _keys(text) == {("益阳市", 2022, "proposals.received", 284), ("益阳市", 2022, "proposals.filed", 251)}


def test_the_committee_above_the_documents_named_after_the_figures_is_not_their_subject():
    text = ("2016-12-30 来源:本站\n张家港市政协工作报告\n张家港市政协一年来认真履职。\n"
            "全年编报社情民意信息90余条,获得领导批示15次。苏州市政协多次转发我市信息。")
    assert {f[0] for f in facts(text)} == {"张家港市"}


def test_the_plenary_in_session_news_is_the_session_reported_not_last_years():
    text = ("政协盐亭县第九届委员会第三次会议开幕\n2016-01-20 来源:本站\n"
            "报告回顾了过去一年的工作:九届二次会议期间及闭会期间立案的提案已全部办复。\n"
            "截至19日下午,大会共收到提案201件,经审查立案188件。")
    got = {(f[3], f[4]): f[1] for f in facts(text)}
    assert got[("proposals.received", 201)] == 2016 and got[("proposals.filed", 188)] == 2016


def test_units_counted_as_departments():
    got = facts("2009年,茂县政协立案提案126件,交由38个部门办理。")
    assert ("proposals.handling_units", 38) in {(f[3], f[4]) for f in got}


def test_one_sectors_and_one_persons_figures_are_not_the_committees():
    text = ("2018年,东丽区政协共收到提案236件。农工党界别委员共提交提案19件;各界别委员积极建言。"
            "委员赵某某一人报送社情民意信息28条。")
    got = {(f[3], f[4]) for f in facts(text)}
    assert ("proposals.received", 236) in got
    assert not {19, 28} & {v for _, v in got}


def test_intake_during_and_between_sessions_is_the_total():
    got = facts("2022年,楚雄州政协十二届二次会议期间及闭会期间共收到提案276件,立案240件。闭会期间收到提案31件。")
    assert [f[4] for f in got if f[3] == "proposals.received"] == [276]


def test_proposals_reviewed_at_a_session_are_its_intake():
    got = facts("2016年1月,资中县政协十届五次会议期间,提案委员会共审查提案231件,其中立案208件。")
    assert {("proposals.received", 231), ("proposals.filed", 208)} <= {(f[3], f[4]) for f in got}


def test_a_headline_column_before_the_article_ends_where_prose_resumes():
    text = ("热点推荐\n新市区政协收到提案112件 立案98件\n市政协召开主席会议\n"
            "2018-08-16 来源:本站\n会议通报,克拉玛依市政协七届二次会议以来,共收到提案298件,经审查立案266件。\n")
    assert _keys(text) == {("克拉玛依市", 2018, "proposals.received", 298), ("克拉玛依市", 2018, "proposals.filed", 266)}


def test_a_respective_list_over_years_dates_each_value():
    text = "2024-01-10 来源:本站\n2022年和2023年,佳木斯市政协分别收到提案301件、326件,经审查分别立案270件、289件。"
    got = _keys(text)
    assert {("佳木斯市", 2022, "proposals.received", 301), ("佳木斯市", 2023, "proposals.received", 326),
            ("佳木斯市", 2022, "proposals.filed", 270), ("佳木斯市", 2023, "proposals.filed", 289)} == got


def test_a_goal_named_earlier_is_no_target_and_a_quoted_member_is_one_person():
    text = ("2005年,朔州市政协紧扣建设生态城市的目标,共收到提案247件,经审查立案219件。"
            "委员刘某说:“我今年提交了4件提案。”工作目标是编报社情民意信息100期。")
    got = {(f[3], f[4]) for f in facts(text)}
    assert got == {("proposals.received", 247), ("proposals.filed", 219)}


@pytest.mark.parametrize(("sentence", "expected"), [
    ("2024年,柳州市政协立案提案 100% 按时办复。", ("proposals.handled_rate", 100)),
    ("2002年,柳州市政协经审查立案的提案已办复99.1%。", ("proposals.handled_rate", 99.1)),
    ("2024年,柳州市政协编报《社情民意》等各类信息专报91期。", ("opinion.reported", 91)),
    ("2024年,柳州市政协经审查立案的492件已有99.4%办复。", ("proposals.filed", 492)),
    ("2011年,柳州市政协社情民意信息被自治区政协采用的信息比上年增加12条,达到47条。", ("opinion.adopted", 47)),
    ("2019年,柳州市政协编报《社情民意》等信息刊物36期。", ("opinion.reported", 36)),
    ("2017年,柳州市政协立案提案390件,所提问题已经解决或采纳的(A类)268件。", ("proposals.adopted", 268)),
    ("2016年,柳州市政协立案提案231件,交由市直和驻柳单位49个部门办理。", ("proposals.handling_units", 49)),
    ("2024年,柳州市政协共收到提案402件。其中,确定重点提案15件。", ("proposals.key", 15)),
    ("2021年,柳州市政协十届一次会议期间及会后共收到提案364件。", ("proposals.received", 364)),
    ("2010年,婺源县政协编报社情民意信息120条,上报上饶市政协67条。", ("opinion.reported", 120)),
    ("2015年,柳州市政协编报社情民意信息专报和综合信息409期。", ("opinion.reported", 409)),
    ("2007年,柳州市政协编报《社情民意》专报等信息1,862期。", ("opinion.reported", 1862)),
    ("2024年,柳州市政协刊发《社情民意信息》专报503期。", ("opinion.reported", 503)),
    ("2018年,桐乡市政协收集社情民意信息600条,报送嘉兴市政协信息158条。", ("opinion.reported", 158)),
    ("2020年,德阳市政协报送社情民意信息214条,有67条信息被省政协及以上采用。", ("opinion.adopted", 67)),
    ("2004年,全国政协编报社情民意信息1,200期,其中有167期得到领导同志批示。", ("instructions", 167)),
    ("2011年,全国政协立案提案5,140件,采纳或部分采纳提案建议的3,522件。", ("proposals.adopted", 3522)),
    ("2019年,柳州市政协立案提案358件,已经解决或基本解决、建议被采纳的297件。", ("proposals.adopted", 297)),
    ("2021年,柳州市政协社情民意信息被全国政协、省政协采用共57条。", ("opinion.adopted", 57)),
])
def test_more_wordings(sentence, expected):
    assert expected in {(f[3], f[4]) for f in facts(sentence)}


def test_proposals_not_filed_are_no_filed_count():
    got = facts("2011年,柳州市政协立案提案302件,未立案的31件作为委员来信转交有关部门。")
    assert [f[4] for f in got if f[3] == "proposals.filed"] == [302]


def test_headcounts_of_a_new_term_a_whole_system_and_not_attendance():
    new_term = ("2022-01-12 来源:本站\n政协宣城市第九届委员会第一次会议开幕。九届市政协共有委员312名。"
                "本次会议共有委员300余人出席。")
    assert [(f[1], f[4]) for f in facts(new_term) if f[3] == "members"] == [(2022, 312)]
    system = "2016年,兴义市政协工作扎实推进。黔西南州政协组织调研。全州两级政协委员1,087名积极履职。"
    assert [(f[0], f[4]) for f in facts(system) if f[3] == "members"] == [("黔西南布依族苗族自治州", 1087)]


def test_the_provincial_committee_beside_the_national_one_named_as_receiver():
    text = ("2005-01-20 来源:本站\n辽宁:信息工作成效明显\n过去一年,省政协编报社情民意信息二百六十期,"
            "其中42期被全国政协采用。")
    got = {(f[0], f[3], f[4]) for f in facts(text)}
    assert ("辽宁省", "opinion.reported", 260) in got and not any(c == "全国" for c, *_ in got)


def test_a_partner_committee_and_members_working_in_one_place_are_not_the_subject():
    text = ("2019年,四平市政协共收到提案301件。配合吉林省政协开展专题调研。全年编报社情民意信息88期。"
            "在四平工作的省政协委员共提交提案26件。")
    got = {(f[0], f[3], f[4]) for f in facts(text)}
    assert got == {("四平市", "proposals.received", 301), ("四平市", "opinion.reported", 88)}


def test_another_committees_session_does_not_date_the_districts_and_its_municipality_is_provincial():
    text = ("2019-12-24 来源:本站\n涪陵区政协2019年提案工作综述\n区政协六届三次会议以来,共收到提案254件,经审查立案228件。"
            "今年1月召开的市政协五届二次会议共收到提案1086件。")
    got = {(f[0], f[1], f[3], f[4]) for f in facts(text)}
    assert {("涪陵区", 2019, "proposals.received", 254), ("涪陵区", 2019, "proposals.filed", 228),
            ("重庆市", 2019, "proposals.received", 1086)} == got


def test_this_year_in_a_yearbook_is_the_year_it_covers():
    text = "营口年鉴(2012)\n政协\n【提案工作】本年,市政协共收到提案327件,经审查立案296件。"
    assert {(f[1], f[4]) for f in facts(text)} == {(2011, 327), (2011, 296)}


def test_a_correction_notices_wrong_figure_is_no_fact():
    text = ("2014年,抚顺市政协共收到提案421件,经审查立案376件。\n"
            "【更正】本报2月19日刊发的《市政协召开提案交办会》一文中,“立案376件”误为“立案367件”,特此更正。")
    assert [f[4] for f in facts(text) if f[3] == "proposals.filed"] == [376]


def test_a_year_and_month_frame_what_follows_in_its_paragraph():
    text = ("2025-02-18 来源:本站\n1955年2月,政协云南省第一届委员会第一次会议召开。首届省政协委员210名,"
            "会议期间收到提案76件。\n2024年,省政协共收到提案802件。")
    got = {(f[1], f[3], f[4]) for f in facts(text)}
    assert {(1955, "members", 210), (1955, "proposals.received", 76), (2024, "proposals.received", 802)} == got


def test_handling_by_one_part_of_the_government_is_not_the_committees():
    text = ("2019年,市政协五届四次会议共立案提案241件,其中交由市政府系统承办223件。"
            "市政府系统承办的223件政协提案已全部按时办结。")
    got = {(f[3], f[4]) for f in facts(text, committee="铜仁市")}
    assert ("proposals.filed", 241) in got and not any(k == "proposals.handled" for k, _ in got)


def test_a_report_reposted_years_later_speaks_from_the_day_it_was_given():
    text = ("关于十三届一次会议以来提案工作情况的报告\n——2023年1月12日在政协清远市第十三届委员会第二次会议上\n"
            "十三届一次会议以来,共提交提案384件,经审查立案341件。")
    got = {(f[1], f[2], f[4]) for f in facts(text, url="http://x.example.org/2025/03/12/a.html")}
    assert got == {(2022, 2022, 384), (2022, 2022, 341)}


def test_units_that_spoke_or_were_commended_members_hired_and_slogans_are_no_counts():
    text = ("2023年,金华市政协立案提案548件,较去年多立案38件,交101家承办单位办理。截至12月20日,立案提案已全部办复。"
            "会上,市发改委等8家承办单位作了表态发言。评选出提案办理先进承办单位9个。"
            "聘请32名委员担任特约监督员,开展“百名委员进百企”活动。")
    got = {(f[3], f[4]) for f in facts(text)}
    assert got == {("proposals.filed", 548), ("proposals.handling_units", 101), ("proposals.handled", 548)}


def test_a_meetings_key_proposals_are_a_subset_but_a_listed_whole_is_not():
    meeting = ("2020年9月15日,六盘水市政协召开重点提案办理协商会,围绕《关于加强河道治理的提案》等3件重点提案,"
               "与承办单位面对面协商。")
    assert [f for f in facts(meeting) if f[3] == "proposals.key"] == []
    listed = "2020年,六盘水市政协立案提案301件。其中,《关于加强河道治理的提案》等7件重点提案由市领导领衔督办。"
    assert [f[4] for f in facts(listed) if f[3] == "proposals.key"] == [7]


def test_the_plenary_in_a_paragraph_about_a_year_is_that_years_session():
    text = ("——2010年1月6日在政协常熟市第十二届委员会第四次会议上\n一、2009年主要工作\n"
            "2009年,市政协共收到提案296件,其中大会期间提交的提案268件。经审查立案273件。")
    got = {(f[3], f[4]): f[1] for f in facts(text)}
    assert got[("proposals.received", 296)] == 2009 and got[("proposals.filed", 273)] == 2009


def test_members_from_one_place_and_not_filed_proposals_are_no_counts():
    text = ("2021年,泉州市政协共收到提案512件,经审查立案466件,未予立案的46件转为意见建议。"
            "南安籍泉州市政协委员共提交提案27件。本次会议港澳委员共提交提案37件。")
    got = {(f[3], f[4]) for f in facts(text)}
    assert got == {("proposals.received", 512), ("proposals.filed", 466)}


def test_a_part_introduced_by_qizhong_is_not_a_second_count():
    text = "2009年,常熟市政协编报社情民意信息142条,被苏州市政协及以上采用59条,其中被省政协采用12条。"
    assert [f[4] for f in facts(text) if f[3] == "opinion.adopted"] == [59]
    alone = "2022年,广州市政协编辑报送社情民意信息93篇,其中《关于…的建议》等7篇被全国政协采用。"
    assert [f[4] for f in facts(alone) if f[3] == "opinion.adopted"] == [7]


def test_a_county_session_on_the_prefectures_site_is_the_countys():
    text = ("政协文成县第十届委员会第四次会议开幕\n2015-01-13 来源:本站\n1月12日上午,政协文成县第十届委员会第四次会议开幕。"
            "县政协主席作工作报告。一年来,县政协共收到提案198件。\n截至12日17时,本次会议共收到委员提案172件。")
    got = {(f[0], f[1], f[4]) for f in facts(text, committee="温州市")}
    assert got == {("文成县", 2014, 198), ("文成县", 2015, 172)}


def test_a_comparison_states_the_earlier_years_figure_and_its_year_dates_nothing_else():
    text = ("2024-01-23 来源:本站\n2023年,商丘市政协共收到提案437件,比2022年的401件增加36件;"
            "经审查立案392件,立案率89.7%。与2022年相比,提案质量明显提高。全年编报社情民意信息120期。")
    got = {(f[1], f[3], f[4]) for f in facts(text)}
    assert got == {(2023, "proposals.received", 437), (2022, "proposals.received", 401),
                   (2023, "proposals.filed", 392), (2023, "proposals.filing_rate", 89.7),
                   (2023, "opinion.reported", 120)}


def test_a_party_branchs_own_figures_are_not_the_committees():
    text = ("2016-01-25 来源:本站\n本次会议龙岩市政协共收到提案289件。\n"
            "去年,民盟龙岩市委会共报送社情民意信息46条,被市政协采用21条,其中2条获得市领导批示。")
    assert {(f[3], f[4]) for f in facts(text)} == {("proposals.received", 289)}


def test_a_list_of_years_gives_each_year_its_figure_and_the_total_keeps_its_term():
    text = ("2022-01-10 来源:本站\n五年来,巴中市政协委员共提交提案2,146件(2017年398件、2018年421件、2019年446件),"
            "经审查立案1,872件。各年度立案的提案分别为:2017年350件,2018年371件。")
    got = {(f[1], f[2], f[3], f[4]) for f in facts(text)}
    assert {(2021, 2017, "proposals.received", 2146), (2017, 2017, "proposals.received", 398),
            (2019, 2019, "proposals.received", 446), (2021, 2017, "proposals.filed", 1872),
            (2018, 2018, "proposals.filed", 371)} <= got


def test_norms_per_member_taiwan_members_and_several_cities_are_no_committees_counts():
    text = ("2015年,河南省政协共收到提案1,102件。有一百多位委员已连续多年每年提交提案5件以上。"
            "在豫台胞委员今年共提交提案14件。全年有186位委员报送了信息。")
    assert {(f[0], f[3], f[4]) for f in facts(text)} == {("河南省", "proposals.received", 1102)}
    several = "2015年,省政协办公厅共收到各省辖市政协报送的社情民意信息4,312条。"
    assert {f[0] for f in facts(several, committee="河南省")} == {"河南省"}


def test_this_session_is_the_pages_own_not_one_carried_from_the_last_sentence():
    text = ("2016年03月02日 来源:本站\n全国政协十二届四次会议举行新闻发布会\n"
            "发言人说,十二届三次会议以来,全国政协委员和各参加单位共提交提案6,044件。"
            "本次会议的提案征集工作已经开始,截至3月1日12时,已收到委员提交的提案286件。")
    got = {(f[4], f[1]) for f in facts(text)}
    assert got == {(6044, 2015), (286, 2016)}


def test_counties_together_and_attending_members_are_no_committee_and_no_headcount():
    text = ("2021年,海东市政协及六个区县政协共收集社情民意信息612条。部分市政协委员共60余人参加会议。"
            "互助县政协介绍了经验。")
    got = {(f[0], f[3], f[4]) for f in facts(text)}
    assert got == {("海东市", "opinion.collected", 612)}


def test_a_roundup_line_labelled_with_a_place_is_that_places():
    text = "2023年各区县政协提案工作回顾\n雨城区:区政协全年收到提案178件,经审查立案160件。\n名山区:全年收到提案150件。"
    got = _keys(text)
    assert ("雨城区", 2023, "proposals.received", 178) in got and ("名山区", 2023, "proposals.received", 150) in got


def test_subsets_and_other_counts_are_not_intake():
    text = ("2019-01-20 来源:本站\n资阳市政协五届四次会议共收到提案402件,会后收到提案23件,以集体名义提交提案96件,"
            "经审查立案366件;对不符合立案条件的36件转为意见建议。")
    got = _keys(text)
    assert ("资阳市", 2019, "proposals.received", 402) in got and ("资阳市", 2019, "proposals.filed", 366) in got
    assert not any(v in (23, 96, 36) for *_, v in got)


def test_this_session_is_the_one_named_before_it():
    text = ("2015-01-10 来源:本站\n三届四次会议以来,吉安市政协共收到提案402件,其中大会期间收到提案379件,"
            "经审查立案351件。全国政协十二届三次会议将于3月召开。")
    got = _keys(text)
    assert ("吉安市", 2014, "proposals.received", 402) in got and ("吉安市", 2014, "proposals.filed", 351) in got


def test_a_date_labelled_further_down_a_scraped_page():
    menus = "\n".join("首页 | 政协概况 | 政协要闻 | 提案工作 | 委员风采 | 文史资料 | 联系我们" for _ in range(20))
    text = menus + "\n区政协九届五次会议闭幕\n发布时间:2021-01-18 16:20\n过去一年,夷陵区政协共收到提案213件。"
    assert ("夷陵区", 2020, "proposals.received", 213) in _keys(text)


def test_a_portal_page_means_its_county_and_a_verb_is_no_county():
    text = ("温江县人民政府门户网站 > 工作动态\n发布时间:2012-12-20\n今年以来,县政协共收到委员提案131件,经审查立案120件。"
            "县政府督查室会同县人大对办理情况进行督查。")
    got = {(f[0], f[3], f[4]) for f in facts(text)}
    assert got == {("温江县", "proposals.received", 131), ("温江县", "proposals.filed", 120)}


def test_a_banners_short_name_and_the_sessions_proposal_group():
    text = ("2014-03-05 来源:本站\n科右中旗政协第九届委员会第三次会议开幕。会议期间,委员们积极建言。"
            "截至4日18时,大会提案组共收到提案88件。")
    assert ("科尔沁右翼中旗", 2014, "proposals.received", 88) in _keys(text)


def test_an_end_of_term_report_at_the_next_terms_first_session():
    text = ("政协第六届雅安市委员会常务委员会关于本届以来提案工作情况的报告\n"
            "——2022年1月6日在政协第七届雅安市委员会第一次会议上\n"
            "本届以来(2017年1月至2021年12月),市政协共收到提案1,520件,经审查立案1,366件。"
            "其中,2021年收到提案301件。本届共确定重点提案75件。")
    got = {(f[1], f[2], f[3], f[4]) for f in facts(text)}
    assert got == {(2021, 2017, "proposals.received", 1520), (2021, 2017, "proposals.filed", 1366),
                   (2021, 2021, "proposals.received", 301), (2021, 2017, "proposals.key", 75)}


def test_a_stated_all_handled_figure_and_handlers_with_a_qualifier():
    text = ("2013年,开阳县政协共收到提案95件,立案88件,合并后交县直32个部门和单位办理。84件提案均已办结。"
            "会上,9个承办单位作了交流发言,年均承办单位30余家。")
    got = {(f[3], f[4], f[5]) for f in facts(text)}
    assert ("proposals.handled", 84, "all") in got and ("proposals.handling_units", 32, "exact") in got
    assert not any(ind == "proposals.handled" and v == 88 for ind, v, _ in got)
    assert not any(ind == "proposals.handling_units" and v in (9, 30) for ind, v, _ in got)


def test_a_spam_line_dates_nothing_and_a_plan_heading_with_de():
    text = ("2021-02-01 来源:本站\n2020年,芜湖市政协共收到提案402件。\n点击查看:2021年最新范文 免费下载\n"
            "市政协主席会议确定重点提案16件。\n五、2021年提案工作的主要任务\n计划遴选重点提案20件左右。")
    got = {(f[1], f[3], f[4]) for f in facts(text)}
    assert got == {(2020, "proposals.received", 402), (2020, "proposals.key", 16)}


def test_adoption_rate_of_class_a_and_of_solved_or_adopted_together():
    text = ("2013年,石柱县政协立案提案176件,其中A类109件、B类51件、C类16件,A类占62%。"
            "2014年,立案提案均已办复,所提问题得到解决或基本解决、建议被采纳的提案占70.5%。")
    got = {(f[1], f[3], f[4]) for f in facts(text) if f[3] == "proposals.adoption_rate"}
    assert got == {(2013, "proposals.adoption_rate", 62), (2014, "proposals.adoption_rate", 70.5)}


def test_a_title_or_heading_says_what_a_committees_bare_figures_count():
    text = ("自治区政协召开社情民意信息工作会议\n2022-03-18 来源:本站\n"
            "会议总结了去年的工作,表彰了先进集体和个人,部署了今年的任务。与会同志围绕如何把群众的呼声及时准确地反映上来、"
            "如何提高建言的针对性和可操作性进行了交流,大家表示要进一步拓宽渠道,提高质量。\n"
            "会上,石嘴山市政协介绍,2021年该会报送信息96条。沈某某委员全年报送信息18条。各民主党派共报送信息40条。\n"
            "【提案工作】\n收到 233 件 | 立案 201 件\n重点提案 9 件\n")
    got = {(f[0], f[3], f[4]) for f in facts(text, committee="宁夏回族自治区")}
    assert ("石嘴山市", "opinion.reported", 96) in got
    assert ("宁夏回族自治区", "proposals.received", 233) in got and ("宁夏回族自治区", "proposals.filed", 201) in got
    assert not any(v in (18, 40) for *_, v in got)


def test_two_committees_sum_is_neither_committees_count_but_their_headcount_is_the_uppers():
    text = ("2009-03-02 来源:本站\n宜昌市政协四届三次会议期间共收到提案456件。两级政协会议共收到提案614件。"
            "市县两级政协委员共1,320名。")
    got = {(f[0], f[3], f[4]) for f in facts(text)}
    assert got == {("宜昌市", "proposals.received", 456), ("宜昌市", "members", 1320)}


def test_dating_of_a_half_year_a_stated_year_before_quannian_and_a_new_terms_headcount():
    text = ("2024-07-03 来源:本站\n2023年,宜昌市政协全年共收到社情民意信息802条。\n"
            "会上通报了上半年各县市区政协信息报送情况:\n单位\t报送条数\t被市政协采用\n夷陵区政协\t58\t12\n")
    got = {(f[0], f[1], f[3], f[4]) for f in facts(text)}
    assert got == {("宜昌市", 2023, "opinion.collected", 802), ("夷陵区", 2024, "opinion.reported", 58),
                   ("夷陵区", 2024, "opinion.adopted", 12)}
    new_term = "2017-01-12 来源:本站\n鸠江区政协第五届委员会第一次会议开幕。新一届区政协共有委员178名。"
    assert ("鸠江区", 2017, 2017, "members", 178, "exact") in facts(new_term)


def test_instructions_count_what_was_instructed_not_the_items():
    text = ("2023年,涪城区政协报送的3篇调研报告获区委、区政府主要领导批示7次。"
            "全年有23项协商成果获得区委主要领导批示。")
    assert sorted(f[4] for f in facts(text) if f[3] == "instructions") == [7, 23]


def test_a_roundup_of_peer_cities_gives_each_paragraphs_bare_shi_zhengxie_to_its_city():
    text = ("黑龙江各地政协全会综述\n2024-01-20 来源:本报\n"
            "绥化市政协五届四次会议1月8日开幕。常委会工作报告显示,过去一年市政协共收到提案402件。\n"
            "鹤岗市政协十二届四次会议1月10日开幕。报告显示,过去一年市政协共收到提案233件,我市政协报送的信息"
            "被省政协采用31篇。\n")
    got = {(f[0], f[3], f[4]) for f in facts(text)}
    assert {("绥化市", "proposals.received", 402), ("鹤岗市", "proposals.received", 233),
            ("鹤岗市", "opinion.adopted", 31)} <= got


def test_our_county_a_late_county_and_a_total_of_all_levels():
    text = ("湖州市政协常务委员会工作报告(摘要)\n——2018年2月6日在政协湖州市八届二次会议上\n"
            "全年收集社情民意信息1,208条,编报社情民意信息233期。全省各级政协共收集社情民意信息2.4万余条。"
            "德清县政协报送的信息获得全国政协采用。\n")
    got = {(f[0], f[3], f[4]) for f in facts(text)}
    assert got == {("湖州市", "opinion.collected", 1208), ("湖州市", "opinion.reported", 233)}
    ours = "2015-01-09 来源:桃源县政协\n在常德市政协组织的年度考评中,我县被市政协采用信息31篇。"
    assert {(f[0], f[4]) for f in facts(ours)} == {("桃源县", 31)}


def test_one_members_figures_and_their_parts_and_a_party_later_in_the_sentence():
    text = ("2020-01-08 来源:本站\n2019年,绵阳市政协编报社情民意信息230期。市政协委员王立新全年个人报送信息28条,"
            "其中9条被采用。有143名委员全年至少报送1条信息。各民主党派也积极参与,民盟绵阳市委会全年报送信息64条。")
    assert {(f[3], f[4]) for f in facts(text)} == {("opinion.reported", 230)}


def test_this_session_is_the_one_the_title_names_not_a_districts_named_lower_down():
    text = ("重庆市政协六届一次会议开幕\n2023-01-13 来源:本站\n报告显示,五年来,市政协共收到提案6,120件。"
            "截至12日17时,大会共收到提案1,028件。\n万州区政协六届二次会议1月上旬召开,一年来区政协收到提案298件。")
    got = {(f[0], f[1], f[4]) for f in facts(text)}
    assert ("重庆市", 2023, 1028) in got and ("万州区", 2022, 298) in got


def test_a_chronicle_dates_its_entries_by_their_year_headings():
    text = ("某市政协大事记(2014—2015年)\n发布时间:2017-03-10\n2014年\n"
            "1月8日至11日 政协阜阳市第四届委员会第三次会议召开。会议期间,委员们共提交提案486件。\n"
            "12月26日 市政协四届十次常委会议召开。会议通报:今年立案的441件提案已全部办复。\n2015年\n"
            "1月7日至10日 政协阜阳市第四届委员会第四次会议召开。大会共收到提案512件。\n")
    got = {(f[1], f[3], f[4]) for f in facts(text)}
    assert {(2014, "proposals.received", 486), (2014, "proposals.filed", 441),
            (2015, "proposals.received", 512)} <= got


def test_dates_of_reposts_announced_sessions_and_signatures():
    repost = ("晋江市政协:今年履职答卷亮点纷呈\n2013-12-30 来源:晋江经济报\n"
              "今年以来,市政协共收到委员提案298件,立案263件。")
    assert {(f[1], f[4]) for f in facts(repost, url="http://example.org/2014/01/07/a.html")} == {
        (2013, 298), (2013, 263)}
    ahead = ("市政协十四届三次会议将于明年1月8日召开\n发布时间:2023-12-28\n"
             "今年以来,长治市政协共收到十四届二次会议及闭会期间提案458件。")
    assert {(f[1], f[4]) for f in facts(ahead)} == {(2023, 458)}
    signed = ("关于表彰优秀提案的通报\n一年来,四平市政协共收到委员和各参加单位提案336件。\n"
              "政协四平市委员会办公室  2020年1月8日印发\n")
    assert {(f[1], f[4]) for f in facts(signed)} == {(2019, 336)}


def test_last_years_figure_in_a_comparison_and_a_second_list_by_the_same_years():
    text = ("2023年,云南省政协共收到提案985件,比上年的921件增加64件。2022年和2023年,省政协分别编报社情民意信息"
            "486篇、531篇,被全国政协采用42篇、55篇。")
    got = {(f[1], f[3], f[4]) for f in facts(text)}
    assert {(2022, "proposals.received", 921), (2022, "opinion.reported", 486), (2023, "opinion.reported", 531),
            (2022, "opinion.adopted", 42), (2023, "opinion.adopted", 55)} <= got


def test_wordings_of_the_proposal_chain_in_other_words():
    text = ("2022年,宝鸡市政协一共有四百一十五件提案递交到提案委员会,符合立案标准、予以立案的有三百七十八件。"
            "立案提案涉及的承办部门共有73个。确定其中18件为年度重点提案。到10月底,已有376件办理完毕,"
            "办理完毕的比例为99.5%。所提建议已被吸收采纳的有二百八十九件,被采纳的比例接近百分之八十(76.9%)。"
            "市委主要领导对17件提案作了批示。")
    got = {(f[3], f[4]) for f in facts(text)}
    assert {("proposals.received", 415), ("proposals.filed", 378), ("proposals.handling_units", 73),
            ("proposals.key", 18), ("proposals.handled", 376), ("proposals.handled_rate", 99.5),
            ("proposals.adopted", 289), ("proposals.adoption_rate", 76.9), ("instructions", 17)} <= got
    assert not any(ind == "proposals.adoption_rate" and v == 80 for ind, v in got)


def test_session_pages_yearbooks_and_norm_lists():
    text = ("凤翔县人民政府 门户网站\n首页 | 新闻中心\n政协凤翔县第十二届委员会第二次会议开幕\n发布时间:2018-01-16\n"
            "报告指出,2017年县政协立案的126件提案已全部办结。\n截至开幕当日,委员们已提交提案137件。")
    assert {(f[1], f[4]) for f in facts(text) if f[3] == "proposals.received"} == {(2018, 137)}
    book = "麦积年鉴(2010)·政协麦积区委员会\n【概况】全年征集社情民意信息一百八十条。区政协共有委员一百六十五名。"
    got = {(f[1], f[4]) for f in facts(book, url="http://example.org/nj/2010/12/08/zx.html")}
    assert got == {(2009, 180), (2009, 165)}
    norms = "2022年,安庆市政协编报社情民意信息210期,明确每位委员每年至少提交1件提案、报送1条社情民意信息。"
    assert {f[4] for f in facts(norms)} == {210}


def test_sections_headed_with_a_county_a_league_and_the_chambers_own_figures():
    text = ("2022年黔东南州各县政协社情民意工作简报\n【从江县】\n县政协全年收集社情民意信息64条。\n"
            "【雷山县】\n围绕苗绣产业收集社情民意信息88条,其中11条被州政协采用。\n")
    got = {(f[0], f[3], f[4]) for f in facts(text)}
    assert {("从江县", "opinion.collected", 64), ("雷山县", "opinion.collected", 88),
            ("雷山县", "opinion.adopted", 11)} <= got
    league = ("锡林郭勒盟委督查室通报政协提案办理情况\n2021-11-05 来源:本站\n今年,盟政协共收到提案256件。"
              "新一届盟政协委员245名。市工商联今年向盟政协提交团体提案6件。")
    got = {(f[0], f[3], f[4]) for f in facts(league)}
    assert got == {("锡林郭勒盟", "proposals.received", 256), ("锡林郭勒盟", "members", 245)}
