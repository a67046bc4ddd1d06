"""Figures laid out as tables: each value paired with its label, so rules read them as prose.

Statistics pages and yearbooks give figures as cells — ``提案总数<TAB>412`` on one line,
``立案数`` above ``192``, or (in WeChat "数说" posts) ``386件`` above ``委员提交提案`` or
``📊 386件 | 委员提交提案``. A grid
with a row or a column a year (年份 收到提案 立案 / 2019 305 278) gives each cell its year too. The
rules of the codebook are written for prose, so ``table_cells`` returns, for every value
cell, the label it belongs to and the unit it is counted in; extraction then reads
"label value unit" (提案总数412件) with the same rules, and the figure keeps its own place
in the text for evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .numerals import CN_DIGITS

_UNITS = "件篇条名位家个期次项"
_VALUE = re.compile(rf"[ \t]*(?P<number>\d+(?:,\d{{3}})*(?:\.\d+)?(?:万)?)[ \t]*(?P<unit>[{_UNITS}]|%)?[ \t]*")
_LABEL = re.compile(r"[ \t]*(?P<label>[\u4e00-\u9fff][^\n\t。!?;,:]{0,19}?)[ \t]*")
# a label and its value on one line: 提案总数<TAB>412<TAB>备注 (cells split by tabs or wide spaces)
_SAME_LINE = re.compile(rf"^[ \t]*(?P<label>[\u4e00-\u9fff][^\n\t。!?;,:\d]{{0,19}}?)(?:\t|[ ]{{2,}})[ \t]*"
                        rf"(?P<value>\d+(?:,\d{{3}})*(?:\.\d+)?(?:万)?[ \t]*(?:[{_UNITS}]|%)?)(?=[ \t]|$)", re.M)
_DIGIT_AT_LINE_START = re.compile(r"\n(?=[ \t]*\d)")
_ENUMERATORS = set(CN_DIGITS) - set("十百千")
# a grid's header row: a year column first (年份 收到提案 立案), or a year a column (项目 2019 2020)
_YEAR_KEYS = ("年份", "年度", "时间")
# a grid with a committee a row (单位 收到提案 立案 / 合肥市政协 612 553): the row's name says whose
_UNIT_KEYS = ("单位", "地区", "名称", "市州", "县区", "县市区", "县(市、区)", "县(市,区)")
_TOTAL_ROWS = ("合计", "总计", "小计", "全省", "全市", "全州", "全区", "全县")
_GRID_KEY_LINE = re.compile(r"^[ \t]*(?:年份|年度|时间|单位|地区|名称|市州|县区|县市区|县\(市[、,]区\))[ \t]+\S", re.M)
_PIPE_ROW = re.compile(r"^[ \t]*\|[^\n]*\|[ \t]*$", re.M)
_VALUE_BAR_LABEL = re.compile(rf"^[ \t]*(?:[^\w\s|]{{1,2}}[ \t]*)?(?P<value>\d+(?:,\d{{3}})*(?:\.\d+)?(?:万)?[ \t]*"
                              rf"(?:[{_UNITS}]|%)?)[ \t]*\|[ \t]*(?P<label>[\u4e00-\u9fff][^\n|。!?;,:]{{0,19}}?)[ \t]*$",
                              re.M)
_SHARE_CELL = re.compile(r"(?:\t|[ ]{1,})[ \t]*(?P<share>\d+(?:\.\d+)?%)(?=[ \t]|$)", re.M)
_GRID_YEARS = re.compile(r"[12][09]\d\d年?[ \t]+[12][09]\d\d")
_EMPTY_CELLS = {"—", "——", "-", "－", "/", "…", "无"}
_GRID_CELL = re.compile(r"[^ \t]+")
_GRID_YEAR = re.compile(r"((?:19|20)\d\d)年?(?:度)?")
_UNIT_NOTE = re.compile(rf"单位\s*:\s*([{_UNITS}])")
_LABEL_UNIT = re.compile(rf"\((件次|人次|[{_UNITS}]|%)\)$")  # 收到提案(件), 获批示(件次), 立案率(%)


@dataclass(frozen=True)
class Cell:
    """A value cell: where its text stands, the label it belongs to and its unit (for counts)."""

    start: int
    end: int
    label: str
    value: str
    unit: str
    year: int | None = None  # the year of its row or column in a grid of years
    since: int | None = None  # a grid's 合计 row: the first year it sums from (``year`` the last)
    share: str = ""  # a percentage beside the count in its row (立案<TAB>437<TAB>89.9%): its share
    place: str = ""  # in a grid with a committee a row, the row's name (章贡区, or 合肥市政协)
    share_start: int = -1


def table_cells(text: str) -> list[Cell]:
    """Every value cell of ``text`` (normalised: ASCII digits and punctuation) with its label, in
    text order."""
    if "|" in text:  # Markdown rows (| 已办复提案 | 547 件 |): cells split by tabs, same offsets;
        # the row under the header (| --- | :---: |) holds no cell
        text = _PIPE_ROW.sub(lambda m: "\t" * len(m.group()) if not m.group().strip(" \t|-:")
                             else m.group().replace("|", "\t"), text)
    grid_head = _may_hold_grid(text)
    if "\t" not in text and "  " not in text and "|" not in text and not grid_head and not _has_value_line(text):
        return []
    note = _UNIT_NOTE.search(text)
    default_unit = note.group(1) if note else "件"
    cells = _grid_cells(text, default_unit) if grid_head else []
    in_grid = {c.start for c in cells}
    for m in _SAME_LINE.finditer(text):
        if m.start("value") not in in_grid:
            cell = _cell(m.group("label"), m.start("value"), m.end("value"), text, default_unit)
            share = _SHARE_CELL.match(text, m.end("value"))
            if cell is not None and share and not cell.value.endswith("%"):
                cell = replace(cell, share=share.group("share"), share_start=share.start("share"))
            cells.append(cell)
    if "|" in text:  # 📊 412件 | 提案总数: a "数说" line, the value before its label
        for m in _VALUE_BAR_LABEL.finditer(text):
            cells.append(_cell(m.group("label"), m.start("value"), m.end("value"), text, default_unit))
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    kinds = [_kind(text, a, b) for a, b in lines]
    i = 0
    while i + 1 < len(lines):
        pair = {kinds[i], kinds[i + 1]}
        if pair == {"label", "value"}:
            label, value = (lines[i], lines[i + 1]) if kinds[i] == "label" else (lines[i + 1], lines[i])
            v = _VALUE.fullmatch(text, *value)
            cells.append(_cell(text[label[0] : label[1]].strip(), v.start("number"), v.end(), text, default_unit))
            i += 2
            continue
        i += 1
    return sorted((c for c in cells if c is not None), key=lambda c: c.start)  # in text order: looked up by position


def _may_hold_grid(text: str) -> bool:
    """A cheap test for a grid's header: 年份 then a cell, or two years side by side (a page
    without a space or tab has neither; most prose has few, so look at each)."""
    spaces = text.count(" ") + text.count("\t")
    if spaces == 0:
        return False
    if spaces > 64:
        return _GRID_KEY_LINE.search(text) is not None or _GRID_YEARS.search(text) is not None
    for sep in (" ", "\t"):
        i = text.find(sep)
        while i >= 0:
            before = text[max(0, i - 7) : i]
            if before.endswith(_YEAR_KEYS + _UNIT_KEYS) or (before[-1:].isdigit() or before.endswith("年")) and (
                    _GRID_YEARS.search(text, max(0, i - 6), i + 8)):
                return True
            i = text.find(sep, i + 1)
    return False


def _grid_cells(text: str, default_unit: str) -> list[Cell | None]:
    """Cells of grids with a year a row (年份 收到提案 立案 / 2019 305 278), a year a column
    (项目 2019年 2020年 / 提案总数 305 318) or a committee a row (单位 收到提案 / 合肥市政协 612):
    each value with its column's or row's label and its year (a committee's row names it, so
    the figures are attributed as in prose)."""
    lines = [(m.start(), [(c.start(), c.group()) for c in _GRID_CELL.finditer(m.group())])
             for m in re.finditer(r"[^\n]+", text)]
    lines = [line for line in lines if line[1]]  # (a Markdown header's rule is no row)
    cells: list[Cell | None] = []
    i = 0
    while i < len(lines):
        names = [c for _, c in lines[i][1]]
        years_across = len(names) >= 3 and all(_year(c) for c in names[1:])
        by_unit = names[0] in _UNIT_KEYS if names else False
        if len(names) < 3 or not (names[0] in _YEAR_KEYS or years_across or by_unit):
            i += 1
            continue
        j = i + 1
        years_seen: list[int] = []
        while j < len(lines) and len(lines[j][1]) == len(names):
            row_at, row = lines[j]
            first = row[0][1]
            since, place = None, ""
            if not all(_VALUE.fullmatch(v) or v in _EMPTY_CELLS for _, v in row[1:]):
                break
            if years_across:
                if _year(first) or not _LABEL.fullmatch(first):
                    break
                labelled = [(first, _year(c)) for c in names[1:]]
            elif by_unit:
                if _year(first) or first.startswith(_TOTAL_ROWS) or not re.search(r"[\u4e00-\u9fff]", first):
                    break
                labelled = [(label, None) for label in names[1:]]
                place = first
            else:
                year = _year(first)
                if year is None and first.startswith(("合计", "总计")) and len(years_seen) >= 2:
                    year, since = max(years_seen), min(years_seen)  # the grid's total: a sum over its years
                elif year is None:
                    break
                else:
                    years_seen.append(year)
                labelled = [(label, year) for label in names[1:]]
            for (offset, value), (label, year) in zip(row[1:], labelled, strict=True):
                if value in _EMPTY_CELLS:
                    continue
                cell = _cell(label, row_at + offset, row_at + offset + len(value), text, default_unit)
                cells.append(cell and replace(cell, year=year, since=since, place=place))
            j += 1
            if since is not None:
                break
        i = max(j, i + 1)
    return cells


def _year(cell: str) -> int | None:
    m = _GRID_YEAR.fullmatch(cell)
    return int(m.group(1)) if m else None


def _has_value_line(text: str) -> bool:
    """Whether a line holds only a value (found from line starts with a digit: a literal scan)."""
    for m in _DIGIT_AT_LINE_START.finditer(text):
        end = text.find("\n", m.start() + 1)
        if _VALUE.fullmatch(text, m.start() + 1, len(text) if end < 0 else end):
            return True
    return False


def _kind(text: str, a: int, b: int) -> str:
    if _VALUE.fullmatch(text, a, b):
        return "value"
    if _LABEL.fullmatch(text, a, b) and text[a:b].lstrip()[:1] not in _ENUMERATORS:
        return "label"  # 一、提案工作 is a heading, not a label
    return "other"


def _cell(label: str, start: int, end: int, text: str, default_unit: str) -> Cell | None:
    label, value = label.strip(), text[start:end].rstrip()
    label_unit = _LABEL_UNIT.search(label)
    if label_unit:
        label = label[: label_unit.start()]
    unit = ""
    if not value.endswith(("%", *_UNITS)):
        unit = label_unit.group(1) if label_unit else default_unit
    if not label or label in ("项目", "数量", "指标", "内容", "备注", "合计"):
        return None
    return Cell(start, start + len(value), label, value, unit)
