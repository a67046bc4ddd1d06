"""PDF layout undone: wrapped lines joined, page furniture dropped, offsets kept."""

from cppcc_study.layout import layout_removals
from cppcc_study.normalize import code_points, normalize

PROSE = ("一年来,市政协各参加单位和广大委员围绕全市中心工作,聚焦产业升级、城乡融合和民生改善,"
         "深入调查研究,共收到提案356件。经提案委员会审查,立案318件,立案率89.3%。各承办单位认真办理,"
         "截至11月底,318件提案已全部办复,所提问题已经解决或基本解决的241件,占75.8%。委员们普遍反映,"
         "提案办理工作态度好、措施实、成效明显,为推动全市高质量发展贡献了智慧和力量。")


def _wrap(text: str, width: int) -> str:
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def test_wrapped_pdf_text_reads_as_one_paragraph():
    page = _wrap(PROSE, 30)
    lines = page.split("\n")
    raw = ("\n".join(lines[:4]) + "\n\n- 2 -\n\n某某市政协全委会文件\n\n" + "\n".join(lines[4:])
           + "\n\n- 3 -\n\n某某市政协全委会文件\n")
    n = normalize("某某市政协全委会文件\n" + raw)
    assert PROSE in n.text.replace(" ", "")
    assert "- 2 -" not in n.text and n.text.count("某某市政协全委会文件") == 1  # the header kept once
    i = n.text.index("共收到提案")
    assert "356" in n.quote(i, i + 10)  # quoted from the original, line break and all


def test_a_web_page_keeps_its_lines():
    page = ("首页 | 政协要闻 | 提案工作 | 委员风采 | 文史资料 | 联系我们\n市政协召开提案办理工作推进会\n"
            "发布时间:2021-05-10 来源:市政协办公室\n" + PROSE + "\n相关新闻\n- ·市政协召开常委会议\n- ·委员视察重点项目\n")
    assert layout_removals(page, code_points(page)) == []


def test_a_number_cut_by_a_line_break_is_joined_anywhere():
    n = normalize("共提交提案1\n056件,经审查立案894件。重点提案6\n件。")
    assert "提案1056件" in n.text and "重点提案6件" in n.text


def test_letter_spaced_text_is_closed_up():
    spaced = " ".join("中国人民政治协商会议某某市委员会") + "\n" + " ".join("共收到提案156件,经审查立案141件。") + "\n"
    assert "共收到提案156件,经审查立案141件。" in normalize(spaced * 3).text
