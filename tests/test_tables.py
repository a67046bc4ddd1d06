"""Figures laid out as tables are read with their labels."""

from cppcc_study.tables import table_cells
from extract_helpers import facts


def _found(text: str) -> set[tuple]:
    return {(c, y, ind, v) for c, y, _, ind, v, _ in facts(text)}


def test_label_and_value_on_one_line():
    text = "2021年宿州市政协提案工作统计\n(单位:件)\n项目\t数量\n提案总数\t288\n立案数\t251\n立案率\t87.2%\n承办单位(家)\t44\n"
    got = _found(text)
    assert {("宿州市", 2021, "proposals.received", 288), ("宿州市", 2021, "proposals.filed", 251),
            ("宿州市", 2021, "proposals.filing_rate", 87.2), ("宿州市", 2021, "proposals.handling_units", 44)} <= got


def test_label_above_value_and_value_above_label():
    vertical = "2019年,蚌埠市政协提案工作主要数据:\n收到提案\n305件\n立案提案\n278件\n"
    assert {("蚌埠市", 2019, "proposals.received", 305), ("蚌埠市", 2019, "proposals.filed", 278)} <= _found(vertical)
    numbers_first = "数说2019丨蚌埠市政协这一年\n2020-01-05 来源:本站\n\n305件\n委员和各参加单位提交提案\n\n88条\n收集社情民意信息\n"
    got = _found(numbers_first)
    assert ("蚌埠市", 2019, "proposals.received", 305) in got and ("蚌埠市", 2019, "opinion.collected", 88) in got


def test_prose_has_no_cells():
    assert table_cells("2019年,市政协共收到提案305件,立案278件。\n全年编报社情民意信息88期。") == []


def test_grid_with_a_year_a_row():
    text = ("2021年12月 雨花区政协常委会工作报告\n本届以来提案数据如下。\n年份　提交提案(件)　立案(件)\n"
            "2019　120　104\n2020　131　118\n合计　251　222\n")
    got = _found(text)
    assert {(2019, "proposals.received", 120), (2019, "proposals.filed", 104),
            (2020, "proposals.received", 131), (2020, "proposals.filed", 118)} <= {g[1:] for g in got}
    assert not any(v in (251, 222) for *_, v in got)  # the 合计 row closes the grid


def test_grid_with_a_year_a_column():
    text = "2022年1月 鹤壁市政协提案工作三年数据\n项目\t2019年\t2020年\t2021年\n收到提案\t305\t318\t330\n立案\t278\t290\t301\n"
    got = _found(text)
    assert {("鹤壁市", 2019, "proposals.received", 305), ("鹤壁市", 2020, "proposals.received", 318),
            ("鹤壁市", 2021, "proposals.filed", 301)} <= got


def test_years_in_prose_make_no_grid():
    assert table_cells("2019 2020 两年间,市政协共收到提案305件。\n立案 278 件") == []


def test_a_percentage_beside_a_count_is_its_share():
    text = ("2020年静安区政协提案工作统计\n项目\t数量(件)\t占比\n提案总数\t402\t—\n立案\t360\t89.6%\n"
            "已办复\t360\t100%\n解决采纳(A类)\t221\t61.4%\n")
    got = {(ind, v) for _, _, ind, v in _found(text)}
    assert {("proposals.received", 402), ("proposals.filed", 360), ("proposals.filing_rate", 89.6),
            ("proposals.adopted", 221), ("proposals.adoption_rate", 61.4)} <= got


def test_markdown_table_rows():
    text = ("# 牡丹江市政协2023年提案办理综述\n\n| 指标 | 数量 |\n| --- | --- |\n| 承办单位 | 61 家 |\n"
            "| 已办复提案 | 318 件 |\n| 办复率 | 100% |\n")
    got = {(ind, v) for _, _, ind, v in _found(text)}
    assert {("proposals.handling_units", 61), ("proposals.handled", 318), ("proposals.handled_rate", 100)} <= got


def test_grid_with_a_committee_a_row():
    text = ("2024-02-20 来源:本站\n2023年部分市政协提案工作主要数据\n单位\t收到提案(件)\t立案(件)\t办复率\n"
            "宜春市政协\t455\t410\t100%\n上饶市政协\t388\t352\t99.7%\n合计\t843\t762\t—\n")
    got = _found(text)
    assert {("宜春市", 2023, "proposals.received", 455), ("宜春市", 2023, "proposals.filed", 410),
            ("宜春市", 2023, "proposals.handled_rate", 100), ("上饶市", 2023, "proposals.received", 388),
            ("上饶市", 2023, "proposals.handled_rate", 99.7)} <= got
    assert not any(v in (843, 762) for *_, v in got)  # a total row is no committee's


def test_a_grids_total_row_sums_its_years_and_header_units_apply():
    text = ("2024-01-05 来源:本站\n东阳市政协提案工作五年数据\n年度\t收到提案(件)\t立案率(%)\t获批示(件次)\n"
            "2022年\t334\t86.5\t12\n2023年\t341\t87.1\t15\n合计\t675\t—\t27\n")
    got = {(y, ind, v) for _, y, ind, v in _found(text)}
    assert {(2022, "proposals.received", 334), (2023, "proposals.filing_rate", 87.1), (2023, "instructions", 15),
            (2023, "proposals.received", 675), (2023, "instructions", 27)} <= got
    total = [f for f in facts(text) if f[4] == 675]
    assert [(f[1], f[2]) for f in total] == [(2023, 2022)]  # period_start..year: the grid's years


def test_a_markdown_grid_with_its_header_rule_gives_each_year_its_cells():
    text = "| 年份 | 收到提案 | 立案 |\n| --- | :---: | --- |\n| 2021 | 327 | 290 |\n| 2022 | 341 | 302 |\n"
    got = {(c.label, c.value, c.year) for c in table_cells(text) if c}
    assert {("收到提案", "327", 2021), ("立案", "302", 2022)} <= got


def test_a_data_card_line_with_the_value_before_its_label():
    text = "2023年晋江市政协履职数说\n📊 **352件** | 收到提案\n📊 **100%** | 提案办复率\n📊 **296名** | 市政协委员\n"
    got = _found(text)
    assert {("晋江市", 2023, "proposals.received", 352), ("晋江市", 2023, "proposals.handled_rate", 100),
            ("晋江市", 2023, "members", 296)} <= got


def test_a_grid_row_named_with_a_bare_place_is_that_places():
    text = "2021年,赣州市政协共收到提案462件。\n县(市、区)\t收到提案(件)\t立案(件)\n章贡区\t168\t152\n瑞金市\t141\t133\n"
    got = _found(text)
    assert {("章贡区", 2021, "proposals.received", 168), ("瑞金市", 2021, "proposals.filed", 133),
            ("赣州市", 2021, "proposals.received", 462)} <= got
