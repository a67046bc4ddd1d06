"""Parts of a page that are not the report of what was done: figures there are no facts.

A saved page may end in a related-news list (相关新闻, 【推荐文章】: other articles' headlines
with their own figures) or a pager (上一篇/下一篇: two more headlines), and a work report ends in its plan for the coming year
(二、2018年工作建议, or a whole page of 工作要点) whose figures are targets. Mirror sites put
ad and spam lines between paragraphs; a year there must not date what follows.
``skipped_spans`` gives both, for extraction to pass over.
"""

from __future__ import annotations

import re

_RELATED_WORDS = ("相关", "推荐", "延伸阅读", "更多报道", "往期回顾")
RELATED_HEADING = re.compile(r"^[ \t]*[【\[]?(?:相关新闻|相关阅读|相关报道|相关稿件|推荐阅读|推荐文章|延伸阅读|相关链接|相关文章"
                             r"|更多报道|往期回顾|热点推荐|热门推荐)[】\]]?[ \t]*(?:更多)?[ \t]*(?:>>)?[ \t]*$", re.M)
_PROSE_LINE = re.compile(r"^[^\n]*。[^\n]*$", re.M)  # headlines carry no full stop; sentences do
# a pager names the neighbouring articles by their headlines: 上一篇:某区政协收到提案203件
_PAGER = re.compile(r"^[ \t]*(?:上一篇|下一篇|上一条|下一条)[^\n]*", re.M)
# a title that reviews the year before it plans the next (2022年工作总结和2023年工作打算)
_REVIEW_WORDS = ("总结", "回顾", "工作情况", "工作报告")
_PLAN_WORDS = ("工作建议", "工作安排", "工作要点", "打算", "工作思路", "工作计划", "工作部署", "工作任务", "主要任务",
               "的建议")
_PLAN_HEADING = re.compile(r"^[ \t]*(?P<rank>[一二三四五六七八九十]+、)?[^\n。]{0,20}?(?:"
                           + "|".join(_PLAN_WORDS) + r")[ \t]*$", re.M)
# where a plan ends: a numbered plan at the next numbered heading, a titled one at an annex
_NEXT_SECTION = {True: re.compile(r"^[ \t]*(?:[一二三四五六七八九十]+、|附)", re.M),
                 False: re.compile(r"^[ \t]*附", re.M)}


# ads and spam that mirror sites put between paragraphs (点击查看:2021年最新范文 免费下载)
_SPAM_WORDS = ("博彩", "真人视讯", "娱乐城", "百家乐", "注册送", "免费下载", "点击查看", "点击下载", "彩票", "投注",
               "代开发票", "棋牌", "网赚")
_SPAM_WORD = re.compile("|".join(_SPAM_WORDS))  # one scan, not one a word
_SPAM_LINE = re.compile(r"^[^\n。]*(?:" + "|".join(_SPAM_WORDS) + r")[^\n。]*$", re.M)


def skipped_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` (normalised) that report nothing done: related news, plans, spam lines."""
    spans = plan_sections(text)
    if _SPAM_WORD.search(text):
        spans += [m.span() for m in _SPAM_LINE.finditer(text)]
    if "上一" in text or "下一" in text:
        spans += [m.span() for m in _PAGER.finditer(text)]
    if any(w in text for w in _RELATED_WORDS):
        for related in RELATED_HEADING.finditer(text):
            # a list of headlines ends where prose resumes: a page may put it beside, or
            # before, its article (a 热点推荐 column on the left)
            prose = _PROSE_LINE.search(text, related.end())
            spans.append((related.start(), prose.start() if prose else len(text)))
            if not prose:
                break
    return spans


def plan_sections(text: str) -> list[tuple[int, int]]:
    """Spans of a report's plan: from a heading such as 三、2017年工作建议 or a title ending in
    工作要点, to the next heading of the same rank (四、) or an annex (附:), else the end."""
    if not any(w in text for w in _PLAN_WORDS):
        return []
    spans = []
    for m in _PLAN_HEADING.finditer(text):
        if any(w in m.group() for w in _REVIEW_WORDS):
            continue
        end = _NEXT_SECTION[bool(m.group("rank"))].search(text, m.end())
        end_at = end.start() if end else len(text)
        year = re.search(r"(?:19|20)\d\d", m.group())
        if year:  # a paragraph that opens on an earlier year reports, it does not plan
            for p in re.finditer(r"^[ \t]*((?:19|20)\d\d)年", text[m.end() : end_at], re.M):
                if int(p.group(1)) < int(year.group()):
                    end_at = m.end() + p.start()
                    break
        spans.append((m.start(), end_at))
    return spans
