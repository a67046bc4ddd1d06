"""Exports of facts and panel (CSV, Parquet, labelled Stata, Excel) with the data dictionary.

Stata names cannot contain dots and are at most 32 characters, so panel columns are
renamed by a fixed rule (``stata_name``): group prefixes shorten (``proposals.`` → ``p_``,
``opinion.`` → ``o_``, ``rate.`` → ``r_``), remaining dots become ``_`` and suffixes
shorten (``__qualifier`` → ``_q``, ``__n_sources`` → ``_ns``, ``__computed`` → ``_cmp``,
``__denominator`` → ``_den``, ``__mismatch`` → ``_mis``, ``__change`` → ``_chg``,
``__lo`` → ``_lo``, ``__hi`` → ``_hi``, ``__n`` → ``_n``); a Stata reserved word gets a
trailing ``_`` (the facts' ``end`` → ``end_``). Each ``.dta`` gets a
``<name>_stata_names.csv`` beside it listing column, Stata name and label.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Literal

import pandas as pd

from . import paths
from .codebook import Codebook, load_codebook
from .errors import ParameterError
from .metrics import RATES

ExportFormat = Literal["csv", "parquet", "stata", "excel"]

_PREFIXES = (("proposals.", "p_"), ("opinion.", "o_"), ("rate.", "r_"))
_SUFFIXES = {
    "__qualifier": ("_q", "限定词", "qualifier"),
    "__n_sources": ("_ns", "来源数", "n sources"),
    "__computed": ("_cmp", "计算值", "computed"),
    "__denominator": ("_den", "隐含分母", "implied denominator"),
    "__mismatch": ("_mis", "不一致", "mismatch"),
    "__change": ("_chg", "较上年变化", "change on previous year"),
    "__lo": ("_lo", "95%下限", "95% lower"),
    "__hi": ("_hi", "95%上限", "95% upper"),
    "__n": ("_n", "分母", "denominator"),
}
_ID_LABELS = {
    "committee": "政协委员会 Committee",
    "level": "层级 Level",
    "province": "省份 Province",
    "region": "地区 Region",
    "year": "年份 Year",
    "period_start": "起始年份 First year of period",
}
STATA_MAX = 32
#: Stata's reserved words (as pandas lists them); a column named so gets a trailing ``_``.
STATA_RESERVED = frozenset(
    "aggregate array boolean break byte case catch class colvector complex const continue default "
    "delegate delete do double else eltypedef end enum explicit export external float for friend "
    "function global goto if inline int local long NULL pragma protected quad rowvector short "
    "typedef typename virtual _all _N _skip _b _pi str# in _pred strL _coef _rc using _cons _se "
    "with _n".split()
)
LABEL_MAX = 80
_STRL_MIN = 200  # longer string columns go to Stata strL


def _split(column: str) -> tuple[str, str]:
    """``K__suffix`` → (K, ``__suffix``); a plain column → (column, "")."""
    base, sep, suffix = column.partition("__")
    return (base, f"__{suffix}") if sep and f"__{suffix}" in _SUFFIXES else (column, "")


def stata_name(column: str) -> str:
    """The Stata variable name of a panel or facts column (see the module docstring)."""
    base, suffix = _split(column)
    for long, short in _PREFIXES:
        if base.startswith(long):
            base = short + base[len(long):]
            break
    name = re.sub(r"[^A-Za-z0-9_]", "_", base + (_SUFFIXES[suffix][0] if suffix else ""))
    if not re.match(r"[A-Za-z_]", name):
        name = f"v_{name}"
    if name in STATA_RESERVED:
        name = f"{name}_"
    if len(name) > STATA_MAX:
        digest = hashlib.sha1(column.encode()).hexdigest()[:5]
        name = f"{name[:STATA_MAX - 6]}_{digest}"
    return name


def stata_names(columns: list[str]) -> dict[str, str]:
    """Column → Stata name for all ``columns``; raises if two columns map to one name."""
    names = {c: stata_name(c) for c in columns}
    if len(set(names.values())) != len(names):
        dupes = pd.Series(names).loc[lambda s: s.duplicated(keep=False)]
        raise ParameterError(f"columns map to the same Stata name: {dupes.to_dict()}")
    return names


def variable_label(column: str, codebook: Codebook | None = None) -> str:
    """A bilingual label (≤ 80 characters) for a panel or facts column."""
    codebook = codebook or load_codebook()
    if column in _ID_LABELS:
        return _ID_LABELS[column]
    base, suffix = _split(column)
    rates = {r.key: r for r in RATES}
    if base in codebook:
        zh, en = codebook[base].label_zh, codebook[base].label_en
    elif base in rates:
        zh, en = rates[base].label_zh, rates[base].label_en
    else:
        return column[:LABEL_MAX]
    if suffix:
        zh, en = f"{zh}·{_SUFFIXES[suffix][1]}", f"{en}, {_SUFFIXES[suffix][2]}"
    return f"{zh} {en}"[:LABEL_MAX]


def data_dictionary(codebook: Codebook | None = None) -> pd.DataFrame:
    """The codebook as a table plus the computed rates (``source``: reported | computed)."""
    codebook = codebook or load_codebook()
    book = codebook.to_frame().assign(source="reported")
    rates = pd.DataFrame(
        [
            {
                "key": r.key, "group": "rate", "label_zh": r.label_zh, "label_en": r.label_en,
                "unit": "percent",
                "definition": f"100 × {r.numerator} / {r.denominator}, where both are exact counts.",
                "definition_zh": f"100 × {r.numerator} / {r.denominator}（两者均为确数时计算）。",
                "wording": "", "source": "computed",
            }
            for r in RATES
        ]
    )
    table = pd.concat([book, rates], ignore_index=True)
    table["stata_name"] = table["key"].map(stata_name)
    return table


def _dictionary_markdown(table: pd.DataFrame, codebook: Codebook) -> str:
    lines = [
        "# Data dictionary / 数据字典",
        "",
        f"Generated from `codebook.yaml` (version {codebook.version}, sha256 `{codebook.sha256[:12]}`).",
        "Do not edit by hand: `cppcc-study panel` rewrites this file.",
        "",
        "| key | Stata | 中文 | English | unit | definition | 定义 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in table.itertuples(index=False):
        lines.append(
            f"| `{r.key}` | `{r.stata_name}` | {r.label_zh} | {r.label_en} | {r.unit} | {r.definition} | {r.definition_zh} |"
        )
    lines += [
        "",
        "## Panel columns for each key `K` / 每个指标的列",
        "",
        "| column | Stata suffix | meaning |",
        "| --- | --- | --- |",
        "| `K` | | the value (percent for rates); empty when no report states it |",
        "| `K__qualifier` | `_q` | exact, all, about, at_least, at_most |",
        "| `K__n_sources` | `_ns` | facts agreeing with the value kept |",
        "| `K__computed` | `_cmp` | stated rates only: the rate computed from counts, percent |",
        "| `K__denominator` | `_den` | stated rates only: filed, handled, received or none |",
        "| `K__mismatch` | `_mis` | stated rates only: true when no denominator reproduces the stated rate |",
        "| `K__change` | `_chg` | change on the previous year (percentage points for rates) |",
        "| `R__lo`, `R__hi` | `_lo`, `_hi` | computed rates: 95% Wilson interval, percent |",
        "| `R__n` | `_n` | computed rates: the denominator |",
        "",
        "Identifiers: `committee`, `level`, `province`, `region` (东部/中部/西部/东北/全国), `year`;",
        "the periods table (term summaries) adds `period_start`. See `docs/panel.md`.",
        "",
    ]
    return "\n".join(lines)


def write_data_dictionary(folder: Path, codebook: Codebook | None = None) -> list[Path]:
    """Write ``codebook.md`` and ``codebook.csv`` into ``folder``; return their paths."""
    codebook = codebook or load_codebook()
    table = data_dictionary(codebook)
    md, csv = Path(folder) / "codebook.md", Path(folder) / "codebook.csv"
    paths.write_text_atomic(md, _dictionary_markdown(table, codebook))
    with paths.atomic_path(csv) as tmp:
        table.to_csv(tmp, index=False)
    return [md, csv]


def _stata_frame(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Types Stata can hold: strings without missing values, booleans as 0/1/missing."""
    out: dict[str, pd.Series] = {}
    strl = []
    for col in df:
        s = df[col]
        if pd.api.types.is_bool_dtype(s) or str(s.dtype) == "boolean":
            out[col] = s.astype("Float64").astype(float)
        elif pd.api.types.is_numeric_dtype(s):
            out[col] = s.astype(float) if s.isna().any() else s
        else:
            out[col] = s.astype(object).where(s.notna(), "").astype(str).astype(object)
            if len(s) and out[col].str.len().max() > _STRL_MIN:
                strl.append(col)
    return pd.DataFrame(out, index=df.index), strl


def write_stata(df: pd.DataFrame, path: Path, codebook: Codebook | None = None) -> list[Path]:
    """Write ``df`` as a labelled Stata 118 file and its ``_stata_names.csv``; return both paths."""
    codebook = codebook or load_codebook()
    path = Path(path)
    names = stata_names(list(df.columns))
    labels = {names[c]: variable_label(c, codebook) for c in df.columns}
    frame, strl = _stata_frame(df)
    frame = frame.rename(columns=names)
    with paths.atomic_path(path) as tmp:
        frame.to_stata(
            tmp, write_index=False, version=118, variable_labels=labels,
            data_label="cppcc_study", convert_strl=[names[c] for c in strl],
        )
    mapping = path.with_name(f"{path.stem}_stata_names.csv")
    with paths.atomic_path(mapping) as tmp:
        pd.DataFrame({"column": list(names), "stata_name": list(names.values()),
                      "label": [labels[n] for n in names.values()]}).to_csv(tmp, index=False)
    return [path, mapping]


def _excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Control characters (from noisy pages) removed from text cells: openpyxl refuses them."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = [c for c in df if not pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]
    return df.assign(**{c: df[c].map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
                        for c in text})


def export(to: ExportFormat, output_dir: Path | None = None) -> list[Path]:
    """Export facts, panel and (when present) the periods table with the data dictionary.

    Reads ``paths.facts_file()`` and ``paths.panel_file()``; writes into ``output_dir``
    (default ``data/processed/export/``); returns the files written.
    """
    from .panel import load_facts, load_panel, load_periods, periods_path_for

    if to not in ("csv", "parquet", "stata", "excel"):
        raise ParameterError(f"unknown export format {to!r}; use csv, parquet, stata or excel")
    codebook = load_codebook()
    out = Path(output_dir) if output_dir else paths.processed_dir() / "export"
    tables = {"facts": load_facts(), "panel": load_panel()}
    if periods_path_for(paths.panel_file()).is_file():
        tables["periods"] = load_periods()
    written = write_data_dictionary(out, codebook)
    if to == "excel":
        target = out / "cppcc_study.xlsx"
        with paths.atomic_path(target) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xl:
            for name, df in tables.items():
                _excel_safe(df).to_excel(xl, sheet_name=name, index=False)
            data_dictionary(codebook).to_excel(xl, sheet_name="codebook", index=False)
        return [*written, target]
    for name, df in tables.items():
        if to == "csv":
            target = out / f"{name}.csv"
            with paths.atomic_path(target) as tmp:
                df.to_csv(tmp, index=False)
            written.append(target)
        elif to == "parquet":
            target = out / f"{name}.parquet"
            with paths.atomic_path(target) as tmp:
                df.to_parquet(tmp, index=False)
            written.append(target)
        else:
            written += write_stata(df, out / f"{name}.dta", codebook)
    return written
