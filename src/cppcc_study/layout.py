"""Text taken from PDFs: undo the page layout so that sentences read as written.

PDF text arrives wrapped at the page width (共收到提\\n案146件), with page numbers
(— 2 —, 第 3 页 共 8 页) and running headers between the lines, and sometimes with every
character spaced out (中 国 人 民). ``layout_removals`` returns the spans to delete for
that: ``normalize`` removes them and keeps the map back to the original, so evidence is
still quoted verbatim.

A document counts as paged when it carries page numbers, and as wrapped when most of its
long lines stop without closing a sentence at about the same width; web pages, whose lines
are paragraphs, headings or menus, are neither and keep their lines. Whatever the source,
a number cut from its unit by a line break (重点提案6\\n件) is joined. Written here rather
than taken from a PDF library because the PDF itself is gone: what is left is its text,
saved by whoever collected it.
"""

from __future__ import annotations

import re
from collections import Counter
from statistics import median

import numpy as np

_PAGE_NUMBER = re.compile(r"\s*(?:[—–-]+\s*\d{1,4}\s*[—–-]+|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?"
                          r"|\d{1,4}\s*/\s*\d{1,4}|-\s\d{1,4}\s-)\s*")
_PAGE_HINT = re.compile(r"第\s*\d{1,4}\s*页|[—–-]\s+\d{1,4}\s+[—–-]")
_CLOSING = "。!?;:”」』)》"
_CUT_NUMBER = re.compile(r"[\u4e00-\u9fff]\d{1,4}(?P<cut>[ \t]*\n[ \t]*)(?=\d|[件篇条名位家个期次项%])")
_HEADING = re.compile(r"[ \t]*(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|第[一二三四五六七八九十]+[章节部分])")
_BULLETS = tuple("-·•●◆■|>")
_SPACED = re.compile(r"(?<=\S) (?=\S)")
_LETTERS = re.compile(r"[A-Za-z |>]")
_MIN_WIDTH = 24  # columns (a Han character is two): shorter lines are headings or list items


def layout_removals(text: str, codes: np.ndarray) -> list[tuple[int, int]]:
    """Spans of ``text`` (normalised script, ASCII punctuation; ``codes`` its code points)
    that are page layout, not prose."""
    newlines = np.flatnonzero(codes == 10)
    if not len(newlines):
        return []
    spans = _cut_numbers(text, codes, newlines)
    if text.count(" ") * 3 > len(text):
        spaced = _letter_spaced(text, _lines(text))
        if spaced:
            return spans + spaced
    closing = np.isin(codes[newlines[newlines > 0] - 1], [ord(c) for c in _CLOSING + "\n "])
    if int((~closing).sum()) < 6 and not _PAGE_HINT.search(text):
        return spans  # too few open lines to be a page, and no page numbers
    lines = _lines(text)
    paged = any(_PAGE_NUMBER.fullmatch(text, a, b) for a, b in lines)
    widths = [_display_width(text[a:b].strip()) if _prose(text[a:b].strip()) else 0 for a, b in lines]
    width = _page_width(text, lines, widths)
    if width is None:
        if not paged:
            return spans
        width = _MIN_WIDTH  # lines of unknown width: any open line of some length goes on
    return spans + _page_removals(text, lines, widths, width)


def _page_removals(text: str, lines: list[tuple[int, int]], widths: list[int], width: float
                   ) -> list[tuple[int, int]]:
    spans = []
    seen: Counter[str] = Counter()
    furniture = set()
    for i, (a, b) in enumerate(lines):
        line = text[a:b].strip()
        seen[line] += 1
        if _PAGE_NUMBER.fullmatch(text, a, b) or (line and seen[line] > 1 and len(line) <= 40):
            furniture.add(i)  # a page number, or a running header after its first time
    previous = None  # the last line of prose
    page_break = False  # furniture since that line: a sentence left open there goes on after it
    for i, (a, b) in enumerate(lines):
        if i in furniture:
            spans.append((a, min(b + 1, len(text))))
            page_break = True
            continue
        line = text[a:b]
        if not line.strip():
            if previous is not None and _open(text, previous) and (page_break or widths[previous[2]] >= 0.7 * width):
                spans.append((a, min(b + 1, len(text))))  # a blank line left by a page break
            continue
        if previous is not None and not _HEADING.match(line):
            pa, pb, pi = previous
            indented = line[:1].isspace()
            goes_on = (_open(text, previous) and (page_break and widths[pi] >= 12 or widths[pi] >= 0.7 * width)) or (
                widths[pi] >= 0.9 * width and not indented)  # a sentence that closed at the margin
            if goes_on:
                tail = len(text[pa:pb]) - len(text[pa:pb].rstrip())
                spans.append((pb - tail, pb + 1))  # the line break (and trailing spaces)
                lead = len(line) - len(line.lstrip())
                if lead:
                    spans.append((a, a + lead))  # the next line's indent
        previous, page_break = (a, b, i), False
    return spans


def _page_width(text: str, lines: list[tuple[int, int]], widths: list[int]) -> float | None:
    """The width most long lines run open to, as a PDF's text does; None when they do not."""
    long_widths = [w for w in widths if w >= _MIN_WIDTH]
    open_widths = [w for (a, b), w in zip(lines, widths, strict=True)
                   if w >= _MIN_WIDTH and not text[a:b].rstrip().endswith(tuple(_CLOSING))]
    if len(open_widths) < 6 or len(open_widths) < 0.6 * len(long_widths):
        return None
    width = median(open_widths)
    near = sum(1 for w in open_widths if abs(w - width) <= 0.2 * width)
    return width if width >= 40 and near >= 0.5 * len(open_widths) else None


def _letter_spaced(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spaces of a text whose lines are spaced out letter by letter (中 国 人 民), else []."""
    long_lines = [(a, b) for a, b in lines if b - a >= 10]
    spaced = [(a, b) for a, b in long_lines if text.count(" ", a, b) * 2 >= b - a - 1]
    if not long_lines or len(spaced) * 2 <= len(long_lines):
        return []
    return [m.span() for a, b in spaced for m in _SPACED.finditer(text, a, b)]


def _cut_numbers(text: str, codes: np.ndarray, newlines: np.ndarray) -> list[tuple[int, int]]:
    """Line breaks that cut a number from its rest: 1\n056件, 重点提案6\n件 (only lines ending
    in a digit are looked at)."""
    inner = newlines[(newlines > 0) & (newlines < len(codes) - 1)]
    before = codes[inner - 1]
    spans = []
    for nl in inner[(before >= 48) & (before <= 57)].tolist():
        m = _CUT_NUMBER.search(text, max(0, nl - 8), min(len(text), nl + 4))
        if m and m.start("cut") <= nl < m.end("cut"):
            spans.append(m.span("cut"))
    return spans


def _open(text: str, line: tuple[int, ...]) -> bool:
    return not text[line[0] : line[1]].rstrip().endswith(tuple(_CLOSING))


def _prose(line: str) -> bool:
    """Not a list item (- ·headline), a menu (首页 | 政协概况 | …) or a table row (cells split by tabs)."""
    return not line.startswith(_BULLETS) and "\t" not in line and len(_LETTERS.findall(line)) <= 0.1 * len(line)


def _display_width(line: str) -> int:
    """Columns on the page: a Han character or full-width form takes two, ASCII one."""
    return len(line) + (len(line.encode("utf-8", "surrogatepass")) - len(line)) // 2


def _lines(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer("\n", text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out
