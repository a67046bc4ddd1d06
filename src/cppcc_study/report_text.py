"""Text pieces of the report source: Markdown escaping, number formats, names, tables.

Escaping happens once, at the Markdown level: every ASCII punctuation character of text
taken from documents is backslash-escaped, so pandoc (and Quarto, which drives pandoc)
reads it as a literal character and its HTML and Typst writers escape it for their own
syntax. ``<script>``, ``#set``, ``*``, ``_``, ``$``, ``@``, ``[``… therefore print as text.
"""

from __future__ import annotations

import math
import re
import string
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from .codebook import load_codebook
from .paths import TEMPLATES

_PUNCT = set(string.punctuation)
_SPACE = re.compile(r"\s+")
QUALIFIER_MARK = {"at_least": "≥", "at_most": "≤", "about": "≈"}


def escape_md(text: object) -> str:
    """``text`` as one line of Markdown that renders literally (no markup, no raw HTML)."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    flat = _SPACE.sub(" ", str(text)).strip()
    return "".join("\\" + ch if ch in _PUNCT else ch for ch in flat)


@lru_cache(maxsize=2)
def labels(lang: str) -> dict[str, str]:
    """The fixed words of the report in ``lang`` (templates/labels.yaml)."""
    import yaml

    data = yaml.safe_load((TEMPLATES / "labels.yaml").read_text(encoding="utf-8"))
    return data[lang]


def indicator_label(key: str, lang: str) -> str:
    book = load_codebook()
    return book[key].label(lang) if key in book else key


def is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(isinstance(value, float | int) and math.isnan(float(value)))
    except (TypeError, ValueError):
        return False


def fmt_count(value: object, qualifier: object = "") -> str:
    """A count with thousands separators and its qualifier mark (≥, ≤, ≈); — when missing."""
    if is_missing(value) or value == "":
        return "—"
    mark = QUALIFIER_MARK.get(str(qualifier), "")
    number = float(value)
    return f"{mark}{number:,.0f}" if number.is_integer() else f"{mark}{number:,.1f}"


def fmt_rate(value: object, lo: object = None, hi: object = None) -> str:
    """A percentage with one decimal and its interval in brackets when given: 85.2 [82.1, 87.9]."""
    if is_missing(value):
        return "—"
    text = f"{float(value):.1f}"
    if not is_missing(lo) and not is_missing(hi):
        text += f" [{float(lo):.1f}, {float(hi):.1f}]"
    return text


def fmt_change(value: object, unit: str, lang: str) -> str:
    """A signed change: counts as +12 / −3, rates in percentage points."""
    if is_missing(value):
        return "—"
    v = float(value)
    sign = "+" if v > 0 else ("−" if v < 0 else "±")
    if unit == "percent":
        return f"{sign}{abs(v):.1f}" + (" 个百分点" if lang == "zh" else " pp")
    return f"{sign}{abs(v):,.0f}"


def fmt_cell(value: object) -> str:
    """Any table cell from a CSV the notebooks wrote: numbers formatted, text escaped."""
    if is_missing(value):
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        v = float(value)
        if v.is_integer() and abs(v) < 1e15:
            return f"{v:,.0f}"
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"
    return escape_md(value)


def pinyin(name: str) -> str:
    """Tone-marked pinyin with the administrative suffix apart: 广州市 → Guǎngzhōu Shì."""
    from pypinyin import Style
    from pypinyin import pinyin as _pinyin

    suffixes = ("自治区", "自治州", "自治县", "省", "市", "县", "区", "州", "盟", "旗")
    suffix = next((s for s in suffixes if name.endswith(s) and len(name) > len(s)), "")
    parts = [name[: len(name) - len(suffix)], suffix] if suffix else [name]
    words = []
    for part in parts:
        syllables = [s[0] for s in _pinyin(part, style=Style.TONE, errors=lambda x: [c for c in x])]
        word = "".join(syllables)
        words.append(word[:1].upper() + word[1:])
    return " ".join(w for w in words if w)


def committee_name(name: str, lang: str) -> str:
    """The committee as shown (escaped): Chinese, plus pinyin in the English edition."""
    if lang == "en":
        return f"{escape_md(name)} ({escape_md(pinyin(name))})"
    return escape_md(name)


def content_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], cap: int = 40) -> list[int]:
    """Relative column widths from the cells: a column is as wide as its longest cell (up to
    ``cap``, so sentences wrap) and never narrower than its longest unbreakable word, since
    Typst cannot break a document id or a heading word."""
    widths = []
    for i, head in enumerate(headers):
        cells = [_UNESCAPE.sub(r"\1", c) for c in (head, *(r[i] for r in rows))]
        longest_word = max((_display_width(w) for c in cells for w in _BREAKS.split(c)), default=3)
        # + 2: room for the cell's inset
        widths.append(2 + max(6, longest_word, min(cap, max(_display_width(c) for c in cells))))
    return widths


_UNESCAPE = re.compile(r"\\(.)")
# Typst may break a line at spaces and between Chinese characters, not inside a Latin word
_BREAKS = re.compile(r"[\s\u2e80-\u9fff\uf900-\uffef]+")


def _display_width(text: str) -> int:
    """Printed width in half-em units: a Chinese (wide) character is 2, a Latin one a little more than 1."""
    return round(sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1.15 for ch in text))


def md_table(headers: Sequence[str], rows: Sequence[Sequence[str]], aligns: str, widths: Sequence[int]) -> str:
    """A pipe table of already-escaped cells; ``aligns`` has one of l/r/c per column.

    The separator line is always longer than pandoc's 72 columns, so ``widths`` (relative)
    apply in every writer and long cells wrap instead of stretching the page.
    """
    total = sum(widths)
    dashes = [max(3, round(100 * w / total)) for w in widths]

    def sep(a: str, n: int) -> str:
        return {"l": ":" + "-" * (n - 1), "r": "-" * (n - 1) + ":", "c": ":" + "-" * (n - 2) + ":"}[a]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    out = [line(headers), "|" + "|".join(sep(a, n) for a, n in zip(aligns, dashes, strict=True)) + "|"]
    out += [line(r) for r in rows]
    return "\n".join(out)
