"""Documents in: encodings detected, web pages reduced to their article, bad files named."""

from pathlib import Path

import pytest

from cppcc_study.corpus import MAX_BYTES, html_to_text, iter_corpus, read_document
from cppcc_study.errors import InputError

TEXT = "县政协今年共收到提案一百二十件,经审查立案一百一十件。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_simplified_encodings(tmp_path, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode(encoding))
    assert read_document(path).text == TEXT


def test_big5_traditional(tmp_path):
    text = "縣政協今年共收到提案一百二十件,經審查立案一百一十件。委員們積極建言獻策,提案品質穩步提高。"
    path = tmp_path / "b.txt"
    path.write_bytes(text.encode("big5"))
    assert read_document(path).text == text


def test_html_article_without_furniture(tmp_path):
    html = """<html><head><title>t</title><script>var x = "收到提案999件";</script></head><body>
    <nav>首页 &gt; 政协新闻</nav><div class="share">分享到</div>
    <article><h1>区政协召开全会</h1><p>一年来,区政协共收到提案88件。</p><p>经审查立案80件。</p></article>
    <div id="comments">网友评论:收到提案777件</div><footer>版权所有</footer></body></html>"""
    path = tmp_path / "c.html"
    path.write_text(html, encoding="utf-8")
    text = read_document(path).text
    assert "收到提案88件" in text and "立案80件" in text
    for furniture in ("999", "777", "分享到", "首页", "版权所有"):
        assert furniture not in text
    assert html_to_text("<p>一</p><p>二</p>") == "一\n二"


def test_lists_of_links_are_other_pages_headlines():
    html = """<body><div class="main"><p>2021年,县政协共收到提案120件。</p><ul><li>办理情况良好</li></ul></div>
    <div class="xgxw"><h3>相关新闻</h3><ul><li><a href="/1.html">邻县政协收到提案352件</a></li>
    <li><a href="/2.html">某区政协立案提案201件</a><span>2023-12-28</span></li></ul>
    <p><a href="/3.html">邻区政协收到提案166件</a></p></div></body>"""
    text = html_to_text(html)
    assert "提案120件" in text and "办理情况良好" in text
    assert "352" not in text and "201" not in text and "166" not in text  # with its date, or as a paragraph


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty file"),
        (b"   \n", "empty file"),
        (b"\x00\x01\x02binary\x00" * 50, "binary file"),
        (bytes(range(128, 256)) * 40, "undecodable"),
        (b"only latin text here", "no Chinese text"),
    ],
)
def test_bad_documents_name_the_file_and_the_problem(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_document(path)
    assert str(path) in str(err.value) and problem in str(err.value)


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    with pytest.raises(InputError, match="MB"):
        read_document(path)


def test_corpus_goes_on_after_a_bad_document(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    items = list(iter_corpus(tmp_path))
    assert isinstance(items[0], InputError) and items[1].doc_id == "b"


def test_folder_without_documents(tmp_path):
    with pytest.raises(InputError, match="no documents"):
        list(iter_corpus(tmp_path))


def test_metadata_gives_url_and_committee(tmp_path):
    (tmp_path / "d1.txt").write_text("市政协收到提案88件。", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("doc_id,url,committee\nd1,http://a.cn/2020/01/05/x.html,青岛市\n",
                                           encoding="utf-8")
    (d,) = iter_corpus(tmp_path)
    assert (d.url, d.committee_hint) == ("http://a.cn/2020/01/05/x.html", "青岛市")


def test_sha256_is_of_the_raw_bytes(tmp_path):
    import hashlib

    path = tmp_path / "g.txt"
    data = TEXT.encode("gb18030")
    path.write_bytes(data)
    assert read_document(path).sha256 == hashlib.sha256(data).hexdigest()
    assert Path(path).read_bytes() == data  # raw data is never changed


def test_a_line_break_between_a_word_and_its_figure_is_no_break():
    text = html_to_text("<p>全年共收到提案<br>426件，经审查立案<br />389件。</p><p>市政协简讯<br>2023-01-05</p>")
    assert "共收到提案426件，经审查立案389件。" in text
    assert "市政协简讯\n2023-01-05" in text  # a date on its own line stays there


def test_a_data_tables_rows_stay_lines_with_tab_separated_cells():
    html = ("<body><p>主要数据如下。</p><table><tr><th>年份</th><th>收到提案（件）</th></tr>"
            "<tr><td>2022</td><td>334</td></tr></table>"
            "<table><tr><td><p>版面一</p></td><td><p>正文第一段。</p></td></tr></table></body>")
    text = html_to_text(html)
    assert "年份\t收到提案（件）\n2022\t334" in text
    assert "版面一\n正文第一段。" in text  # a layout table's cells stay blocks


def test_the_source_line_breaks_of_a_page_are_spaces_and_breaks_inside_phrases_go():
    html = ("<p>全年共收到委员和各参加单位\n提案358件，编报<br class=\"br1\">社情民意信息92期。</p>"
            "<div class=\"rel\"><b>相关阅读</b>\n<ul><li>某县政协收到提案138件</li></ul></div>")
    text = html_to_text(html)
    assert "全年共收到委员和各参加单位 提案358件，编报社情民意信息92期。" in text
    assert "相关阅读\n" in text  # a heading before a list stays a line of its own


def test_hidden_drafts_comments_and_recommendation_cards_are_not_the_article():
    story = "".join(f"<p>市政协围绕第{n}项重点工作深入调研，形成了一批有分量的意见建议。</p>" for n in range(1, 6))
    html = ("<body><div id=\"js_content\"><p>2023年，市政协共收到提案412件。</p>" + story +
            "<p style=\"display: none\">草稿：共收到提案396件。</p></div>"
            "<div class=\"discuss_container\"><p>点赞！去年我也提交了3件提案。</p></div>"
            "<article><p>红花岗区政协收到提案236件</p></article></body>")
    text = html_to_text(html)
    assert "412件" in text
    assert "396件" not in text and "3件提案" not in text and "236件" not in text


def test_a_table_pasted_from_word_keeps_its_rows():
    cell = '<td><p class="MsoNormal"><span style="font-family:仿宋">{}</span></p></td>'
    rows = [("县（市、区）", "收到提案(件)", "立案(件)"), ("章贡区", "168", "152"), ("南康区", "203", "187")]
    html = "<body><table>" + "".join("<tr>" + "".join(cell.format(c) for c in row) + "</tr>" for row in rows)
    text = html_to_text(html + "</table></body>")
    assert "县（市、区）\t收到提案(件)\t立案(件)\n章贡区\t168\t152\n南康区\t203\t187" in text
