"""Simplified-script text for matching, with a map back to the decoded document.

Rules match against one normalised form: simplified script (OpenCC ``t2s``), ASCII
digits and punctuation for full-width forms, mirror-site pinyin glosses removed
(``政協(xié)`` → ``政协``) and doubled clause punctuation folded (``,,`` → ``,``,
``,、`` → ``、``). ``NormalizedText.span`` maps any span of the normalised text back to
the decoded document, so evidence is always quoted verbatim from the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# Full-width ASCII block and the ideographic space, folded one character for one.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_FULLWIDTH.update({ord("，"): ord(","), ord("；"): ord(";"), ord("："): ord(":")})
# Keep the Chinese full stop, enumeration comma and brackets as they are: they carry meaning.
for keep in "。、（）【】「」《》":
    _FULLWIDTH.pop(ord(keep), None)
_FULLWIDTH.update({ord("（"): ord("("), ord("）"): ord(")")})
_TRANSLATE = str.maketrans({chr(k): chr(v) for k, v in _FULLWIDTH.items()})
_FULLWIDTH_CHARS = re.compile("[" + "".join(re.escape(chr(k)) for k in _FULLWIDTH) + "]")

_PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹɑ]{1,7}\)")
# A run of clause punctuation: mirror sites double commas and pair them with 、 or 。
_PUNCT_RUN = re.compile(r"[,、;。:]{2,}")


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


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text plus ``index``: for each normalised character, its offset in the original."""

    text: str
    original: str
    index: np.ndarray | None  # None means identity (nothing was removed)

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


def _removals(text: str) -> list[tuple[int, int]]:
    """Spans of the (script-converted) text to delete: pinyin glosses and doubled punctuation."""
    spans = [m.span() for m in _PINYIN_GLOSS.finditer(text)]
    for m in _PUNCT_RUN.finditer(text):
        run = m.group()
        # keep the strongest mark of the run: 。 > ; > 、 > : > ,
        keep = next((i for mark in "。;、:," for i, ch in enumerate(run) if ch == mark), 0)
        for i in range(len(run)):
            if i != keep:
                spans.append((m.start() + i, m.start() + i + 1))
    return sorted(spans)


def normalize(original: str) -> NormalizedText:
    """Normalise a decoded document (see the module docstring)."""
    converted = to_simplified(original)
    if len(converted) != len(original):
        # OpenCC maps a few phrases to a different length; convert char by char to keep offsets.
        conv = _converter()
        converted = "".join(c if len(c) == 1 else ch for ch, c in ((ch, conv.convert(ch)) for ch in original))
    if _FULLWIDTH_CHARS.search(converted):  # translate() is slow; most pages need none
        converted = converted.translate(_TRANSLATE)
    removals = _removals(converted)
    if not removals:
        return NormalizedText(converted, original, None)
    keep = np.ones(len(converted), dtype=bool)
    for a, b in removals:
        keep[a:b] = False
    index = np.flatnonzero(keep)
    text = "".join(converted[a:b] for a, b in _kept_runs(removals, len(converted)))
    return NormalizedText(text, original, index)


def _kept_runs(removals: list[tuple[int, int]], n: int):
    pos = 0
    for a, b in removals:
        if a > pos:
            yield pos, a
        pos = max(pos, b)
    if pos < n:
        yield pos, n
