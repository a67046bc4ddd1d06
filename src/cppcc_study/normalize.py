"""Simplified-script text for matching, with a map back to the decoded document.

Rules match against one normalised form: simplified script (OpenCC ``t2s``), ASCII
digits and punctuation for full-width forms, mirror-site pinyin glosses removed
(``政協(xié)`` → ``政协``), doubled clause punctuation folded (``,,`` → ``,``,
``,、`` → ``、``), Markdown's bold marks dropped (``收到提案**463件**``), a lone space beside a Han character or inside a figure dropped
(``收到提案 468 件``, as exported from Word or PDF; ``立 案``, ``提案 5 12 件`` on mirror
sites), and the layout of text taken from a
PDF undone (``layout``: lines wrapped at the page width joined, page numbers and running
headers dropped, letter-spaced lines closed up). ``NormalizedText.span`` maps any span of the normalised text back to
the decoded document, so evidence is always quoted verbatim from the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .layout import layout_removals

# Full-width ASCII block and the ideographic space, folded one character for one.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_FULLWIDTH.update({cp: 0x20 for cp in (0xA0, *range(0x2002, 0x200B))})  # no-break, en and other spaces
_FULLWIDTH.update({ord("，"): ord(","), ord("；"): ord(";"), ord("："): ord(":")})
# Keep the Chinese full stop, enumeration comma and brackets as they are: they carry meaning.
for keep in "。、（）【】「」《》":
    _FULLWIDTH.pop(ord(keep), None)
_FULLWIDTH.update({ord("（"): ord("("), ord("）"): ord(")")})
_TRANSLATE = str.maketrans({chr(k): chr(v) for k, v in _FULLWIDTH.items()})

# A pinyin gloss in brackets; it must follow a Han character (checked on each match, so the
# scan starts from the literal bracket, which is fast).
_PINYIN_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹɑ]{1,7}\)")
_BOLD_MARK = re.compile(r"\*{2,}")
# A run of clause punctuation: mirror sites double commas and pair them with 、 or 。
_CLAUSE_MARKS = ",、;。:"
_KEEP_ORDER = "。;、:,"  # of a run, keep the strongest mark


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified script (OpenCC t2s); text already simplified is unchanged."""
    return _converter().convert(text)


def normalize_char(ch: str) -> str:
    """One character as the normalised text shows it (script and width folded)."""
    return to_simplified(ch).translate(_TRANSLATE)


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` as a uint32 array (for whole-text scans at C speed)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def from_code_points(codes: np.ndarray) -> str:
    return codes.tobytes().decode("utf-32-le", "surrogatepass")


def char_table(chars: str) -> np.ndarray:
    """A lookup table over all code points, true for ``chars``: ``table[codes]`` marks them."""
    table = np.zeros(0x110000, dtype=bool)
    table[[ord(c) for c in chars]] = True
    return table


@lru_cache(maxsize=1)
def _fold_table() -> np.ndarray:
    table = np.arange(0x110000, dtype=np.uint32)
    for k, v in _FULLWIDTH.items():
        table[k] = v
    return table


@lru_cache(maxsize=1)
def _han_table() -> np.ndarray:
    table = np.zeros(0x110000, dtype=bool)
    table[0x4E00:0xA000] = True
    return table


@lru_cache(maxsize=1)
def _number_table() -> np.ndarray:
    return char_table("0123456789%")


@lru_cache(maxsize=1)
def _digit_table() -> np.ndarray:
    return char_table("0123456789")


def _figure_spaces(text: str, candidates: list[int]) -> list[int]:
    """Of spaces between two digits, those that split one figure (提案 5 12 件) rather than
    separate figures (a table row 2021 412 389): their run of digits and single spaces stands
    between Han characters. Each run is looked at once."""
    out: list[int] = []
    run_end, inside = -1, False
    for i in candidates:
        if i >= run_end:
            j = i
            while j < len(text) and (text[j].isdigit() or text[j] == " "):
                j += 1
            k = i
            while k > 0 and (text[k - 1].isdigit() or text[k - 1] == " "):
                k -= 1
            run_end = j
            inside = ("  " not in text[k:j].strip() and j < len(text) and "\u4e00" <= text[j] <= "\u9fff"
                      and k > 0 and "\u4e00" <= text[k - 1] <= "\u9fff")
        if inside:
            out.append(i)
    return out


def _sentence_spaces(text: str, codes: np.ndarray, candidates: np.ndarray) -> list[int]:
    """Of spaces between two Han characters, the stray ones inside a sentence (立 案446件, on
    mirror sites), not separators (a table's header, a menu, a byline): their line is prose,
    punctuated. Each line is looked at once."""
    breaks = np.flatnonzero(codes == 10)
    line_of = np.searchsorted(breaks, candidates)
    out: list[int] = []
    prose: dict[int, bool] = {}
    for i, n in zip(candidates.tolist(), line_of.tolist(), strict=True):
        if n not in prose:
            start = int(breaks[n - 1]) + 1 if n else 0
            end = int(breaks[n]) if n < len(breaks) else len(text)
            line = text[start:end]
            prose[n] = "。" in line or line.count(",") >= 2
        if prose[n]:
            out.append(i)
    return out


@lru_cache(maxsize=1)
def _clause_mark_table() -> np.ndarray:
    return char_table(_CLAUSE_MARKS)


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text plus ``index``: for each normalised character, its offset in the original."""

    text: str
    original: str
    index: np.ndarray | None  # None means identity (nothing was removed)
    codes: np.ndarray  # the code points of ``text``

    def offset(self, i: int) -> int:
        """Offset in the original of normalised position ``i`` (``i == len(text)`` allowed)."""
        if self.index is None:
            return i
        if i >= len(self.text):
            return len(self.original)
        return int(self.index[i])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the normalised span ``[start, end)``."""
        if end <= start:
            return self.offset(start), self.offset(start)
        return self.offset(start), self.offset(end - 1) + 1

    def quote(self, start: int, end: int) -> str:
        """The original text behind a normalised span, verbatim."""
        a, b = self.span(start, end)
        return self.original[a:b]


def _removals(text: str, codes: np.ndarray) -> list[tuple[int, int]]:
    """Spans of the (script-converted) text to delete: pinyin glosses, doubled punctuation and
    spaces that split a number from its words."""
    spans = [m.span() for m in _PINYIN_GLOSS.finditer(text)
             if m.start() and "\u4e00" <= text[m.start() - 1] <= "\u9fff"] if "(" in text else []
    if "**" in text:  # bold marks of Markdown and WeChat copy-outs: 收到提案**463件**
        spans.extend(m.span() for m in _BOLD_MARK.finditer(text))
    if " " in text:
        spaces = np.flatnonzero(codes[1:-1] == 32) + 1
        han, number = _han_table(), _number_table()
        before, after = codes[spaces - 1], codes[spaces + 1]
        split = (han[before] & number[after]) | (number[before] & han[after])
        spans.extend((i, i + 1) for i in spaces[split].tolist())
        stray = _sentence_spaces(text, codes, spaces[han[before] & han[after]])
        digits = _digit_table()
        stray += _figure_spaces(text, spaces[digits[before] & digits[after]].tolist())
        spans.extend((i, i + 1) for i in stray)
    marks = _clause_mark_table()[codes]
    if len(codes) > 1 and (marks[1:] & marks[:-1]).any():
        edges = np.diff(np.concatenate(([0], marks.view(np.int8), [0])))
        for start, end in zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(),
                              strict=True):
            if end - start < 2:
                continue
            run = text[start:end]
            keep = next(run.index(mark) for mark in _KEEP_ORDER if mark in run)
            spans.extend((i, i + 1) for i in range(start, end) if i != start + keep)
    spans.extend(layout_removals(text, codes))
    return sorted(spans)


def normalize(original: str) -> NormalizedText:
    """Normalise a decoded document (see the module docstring)."""
    converted = to_simplified(original)
    if len(converted) != len(original):
        # OpenCC maps a few phrases to a different length; convert char by char to keep offsets.
        conv = _converter()
        converted = "".join(c if len(c) == 1 else ch for ch, c in ((ch, conv.convert(ch)) for ch in original))
    # Folding runs over code-point arrays: str.translate looks every character up in a dict,
    # which is ten times slower on a page full of full-width commas.
    codes = code_points(converted)
    folded = _fold_table()[codes]
    if not np.array_equal(folded, codes):
        codes = folded
        converted = from_code_points(codes)
    removals = _removals(converted, codes)
    if not removals:
        return NormalizedText(converted, original, None, codes)
    keep = np.ones(len(converted), dtype=bool)
    for a, b in removals:
        keep[a:b] = False
    index = np.flatnonzero(keep)
    codes = codes[keep]
    return NormalizedText(from_code_points(codes), original, index, codes)

