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
