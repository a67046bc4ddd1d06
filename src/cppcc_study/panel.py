"""Facts → the committee-by-year panel, the term-summary table and the list of conflicts.

One panel row per ``committee, year`` holds the annual facts (``period_start == year``).
Facts about a longer period (term summaries, ``period_start < year``) are never mixed into
an annual row: they go to the *periods* table, one row per ``committee, period_start, year``.

Where several facts give one committee, period and indicator, one is kept by these rules,
in order (the first that separates them decides):

1. a curated fact (``source == "curated"``) beats an extracted one;
2. exact beats qualified: ``exact`` < ``all`` < (``about``, ``at_least``, ``at_most``);
3. the more specific evidence wins: first a fact from a document about that year (the
   year most of the document's facts are about), then the longer evidence;
4. ties keep the first fact in document order (the facts file's order).

``K__n_sources`` counts the facts that agree with the kept value (rates within 0.05).
Every group with more than one value is written, all its facts, to ``conflicts.csv`` with
the kept one marked and the rule that decided. See ``docs/panel.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from . import paths
from .codebook import Codebook, load_codebook
from .errors import InputError
from .metrics import RATES, STATED_RATES, compute_rates, reconcile_stated, stated_decimals, year_on_year
from .schemas import FACT_COLUMNS, LEVELS, QUALIFIERS, facts_schema, validate

ID_COLUMNS = ["committee", "level", "province", "region", "year"]
PERIOD_ID_COLUMNS = ["committee", "level", "province", "region", "period_start", "year"]
QUALIFIER_RANK = {"exact": 0, "all": 1, "about": 2, "at_least": 2, "at_most": 2}
DENOMINATORS = ("filed", "handled", "received", "none")
REGIONS = ("东部", "中部", "西部", "东北", "全国")
#: Values of percentage indicators closer than this are the same value (as in the shared SPEC).
PERCENT_TOLERANCE = 0.05
CONFLICT_COLUMNS = [
    "table", "committee", "period_start", "year", "indicator", "chosen", "decided_by",
    "value", "qualifier", "doc_id", "start", "source", "evidence",
]
_REASONS = ("curated beats extracted", "exact beats qualified", "document about that year",
            "longer evidence", "first by document order")


@dataclass(frozen=True)
class PanelTables:
    """The panel (committee × year), the periods table (term summaries) and the conflicts."""

    panel: pd.DataFrame
    periods: pd.DataFrame
    conflicts: pd.DataFrame


@dataclass(frozen=True)
class PanelBuild(PanelTables):
    """``PanelTables`` plus where they were written."""

    conflicts_path: Path | None = None
    written: tuple[Path, ...] = ()


# --------------------------------------------------------------------------- regions


@lru_cache(maxsize=1)
def regions() -> pd.DataFrame:
    """Province → region (东部/中部/西部/东北; NBS 2011 division), from package data."""
    return pd.read_csv(paths.PACKAGE_DATA / "regions.csv", dtype=str)


def region_of(province: object, level: str | None = None) -> str | None:
    """The region of a province (``全国`` for the national committee; None when unknown)."""
    if level == "national":
        return "全国"
    if not isinstance(province, str) or not province:
        return None
    hit = regions().loc[lambda r: r["province"] == province, "region"]
    return hit.iloc[0] if len(hit) else None


# --------------------------------------------------------------------------- schema


def _columns_for(codebook: Codebook, annual: bool) -> list[str]:
    cols = list(ID_COLUMNS if annual else PERIOD_ID_COLUMNS)
    for key in codebook.keys:
        cols += [key, f"{key}__qualifier", f"{key}__n_sources"]
        if key in STATED_RATES:
            cols += [f"{key}__computed", f"{key}__denominator", f"{key}__mismatch"]
        if annual:
            cols.append(f"{key}__change")
    for spec in RATES:
        cols += [spec.key, f"{spec.key}__lo", f"{spec.key}__hi", f"{spec.key}__n"]
        if annual:
            cols.append(f"{spec.key}__change")
    return cols


def panel_columns(codebook: Codebook | None = None, periods: bool = False) -> list[str]:
    """Column order of the panel (or of the periods table)."""
    return _columns_for(codebook or load_codebook(), annual=not periods)


def panel_schema(codebook: Codebook | None = None, periods: bool = False) -> pa.DataFrameSchema:
    """The panel contract built from the codebook (``periods=True``: the term-summary table)."""
    codebook = codebook or load_codebook()
    pct = [pa.Check.in_range(0, 100)]
    cols: dict[str, pa.Column] = {
        "committee": pa.Column(str, pa.Check.str_length(min_value=1)),
        "level": pa.Column(str, pa.Check.isin(LEVELS)),
        "province": pa.Column(str, nullable=True),
        "region": pa.Column(str, pa.Check.isin(REGIONS), nullable=True),
    }
    if periods:
        cols["period_start"] = pa.Column(int, pa.Check.in_range(1949, 2100))
    cols["year"] = pa.Column(int, pa.Check.in_range(1949, 2100))
    for ind in codebook.indicators:
        k = ind.key
        cols[k] = pa.Column(float, pa.Check.ge(0), nullable=True)
        cols[f"{k}__qualifier"] = pa.Column(str, pa.Check.isin(QUALIFIERS), nullable=True)
        cols[f"{k}__n_sources"] = pa.Column(int, pa.Check.ge(0))
        if k in STATED_RATES:
            cols[f"{k}__computed"] = pa.Column(float, pct, nullable=True)
            cols[f"{k}__denominator"] = pa.Column(str, pa.Check.isin(DENOMINATORS))
            cols[f"{k}__mismatch"] = pa.Column("boolean", nullable=True)
        if not periods:
            cols[f"{k}__change"] = pa.Column(float, nullable=True)
    for spec in RATES:
        r = spec.key
        cols[r] = pa.Column(float, pct, nullable=True)
        cols[f"{r}__lo"] = pa.Column(float, pct, nullable=True)
        cols[f"{r}__hi"] = pa.Column(float, pct, nullable=True)
        cols[f"{r}__n"] = pa.Column(float, pa.Check.gt(0), nullable=True)
        if not periods:
            cols[f"{r}__change"] = pa.Column(float, nullable=True)
    keys = codebook.keys

    def sources_match_values(df: pd.DataFrame) -> bool:
        return all(((df[f"{k}__n_sources"] > 0) == df[k].notna()).all() for k in keys)

    def intervals_hold_rates(df: pd.DataFrame) -> bool:
        return all(
            ((df[f"{s.key}__lo"] <= df[s.key] + 1e-9) & (df[s.key] <= df[f"{s.key}__hi"] + 1e-9)
             | df[s.key].isna()).all()
            for s in RATES
        )

    return pa.DataFrameSchema(
        cols,
        checks=[
            pa.Check(sources_match_values, error="a value without sources, or sources without a value"),
            pa.Check(intervals_hold_rates, error="a rate outside its interval"),
        ],
        unique=["committee", "period_start", "year"] if periods else ["committee", "year"],
        strict=True,
        ordered=True,
        coerce=True,
    )


# --------------------------------------------------------------------------- conflicts


def _rank_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """Facts with the sort keys of the conflict rule (smaller wins) and their file order."""
    ranked = facts.reset_index(drop=True).copy()
    ranked["_order"] = np.arange(len(ranked))
    # A document is about the year most of its facts are about (ties: the later year).
    counts = ranked.groupby(["doc_id", "year"]).size().rename("n").reset_index()
    doc_year = (counts.sort_values(["doc_id", "n", "year"], ascending=[True, False, False])
                .drop_duplicates("doc_id").set_index("doc_id")["year"])
    source = ranked["source"] if "source" in ranked else pd.Series("extracted", index=ranked.index)
    ranked["_r_source"] = (source != "curated").astype(int)
    ranked["_r_qualifier"] = ranked["qualifier"].map(QUALIFIER_RANK).fillna(3).astype(int)
    ranked["_r_about"] = (ranked["year"] != ranked["doc_id"].map(doc_year)).astype(int)
    ranked["_r_length"] = -ranked["evidence"].str.len()
    return ranked


_RANK_KEYS = ["_r_source", "_r_qualifier", "_r_about", "_r_length", "_order"]


def _resolve(ranked: pd.DataFrame, group: list[str], table: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kept fact per group (with ``n_sources``) and the conflicting groups' facts."""
    if ranked.empty:
        return ranked.assign(n_sources=pd.Series(dtype=int)), pd.DataFrame(columns=CONFLICT_COLUMNS)
    ordered = ranked.sort_values([*group, *_RANK_KEYS], kind="stable")
    first = ordered.groupby(group, sort=False)[["value", "_order"]].transform("first")
    tol = np.where(ordered["unit"] == "percent", PERCENT_TOLERANCE, 1e-9)
    agree = (ordered["value"] - first["value"]).abs() <= tol
    ordered = ordered.assign(_agree=agree, _kept=ordered["_order"] == first["_order"])
    kept = ordered[ordered["_kept"]].copy()
    kept["n_sources"] = ordered.groupby(group, sort=False)["_agree"].sum().to_numpy()
    in_conflict = ordered.groupby(group, sort=False)["_agree"].transform("all") == False  # noqa: E712
    rows = ordered[in_conflict].copy()
    if rows.empty:
        return kept, pd.DataFrame(columns=CONFLICT_COLUMNS)
    # The rule that decided: the first rank key on which the kept fact and the best
    # disagreeing fact differ (the order always differs, so the last rule is the fallback).
    best = rows.groupby(group, sort=False)[_RANK_KEYS].transform("first")
    rival = rows[~rows["_agree"]].groupby(group, sort=False)[_RANK_KEYS].first()
    rival = rows[group].merge(rival.reset_index(), on=group, how="left")[_RANK_KEYS].set_axis(rows.index)
    differs = [(best[k] != rival[k]).to_numpy() for k in _RANK_KEYS]
    rows["decided_by"] = np.select(differs, list(_REASONS), default=_REASONS[-1])
    rows["table"] = table
    rows["chosen"] = rows["_kept"]
    return kept, rows[CONFLICT_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------- panel


def _wide(kept: pd.DataFrame, index: list[str], codebook: Codebook) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """Kept facts → one row per ``index`` with ``K, K__qualifier, K__n_sources``; stated decimals."""
    keys = codebook.keys
    if kept.empty:
        wide = pd.DataFrame(columns=index)
    else:
        values = kept.pivot(index=index, columns="indicator", values="value")
        quals = kept.pivot(index=index, columns="indicator", values="qualifier").add_suffix("__qualifier")
        nsrc = kept.pivot(index=index, columns="indicator", values="n_sources").add_suffix("__n_sources")
        wide = pd.concat([values, quals, nsrc], axis=1).reset_index()
        wide.columns.name = None
    missing = [c for k in keys for c in (k, f"{k}__qualifier", f"{k}__n_sources") if c not in wide]
    wide = pd.concat([wide, pd.DataFrame(np.nan, index=wide.index, columns=missing, dtype=object)], axis=1)
    for k in keys:
        wide[k] = wide[k].astype(float)
        wide[f"{k}__n_sources"] = wide[f"{k}__n_sources"].fillna(0).astype(int)
        wide[f"{k}__qualifier"] = wide[f"{k}__qualifier"].astype(object).where(wide[k].notna(), None)
    decimals: dict[str, pd.Series] = {}
    for key in STATED_RATES:
        sub = kept[kept["indicator"] == key]
        dec = pd.Series([stated_decimals(v, e) for v, e in zip(sub["value"], sub["evidence"], strict=True)],
                        index=pd.MultiIndex.from_frame(sub[index]) if len(sub) else None, dtype=float)
        decimals[key] = pd.Series(
            dec.reindex(pd.MultiIndex.from_frame(wide[index])).to_numpy() if len(sub) and len(wide)
            else np.full(len(wide), np.nan), index=wide.index, dtype=float,
        )
    return wide, decimals


def _committee_attributes(facts: pd.DataFrame) -> pd.DataFrame:
    """Level and province per committee (first by document order; province first non-empty)."""
    first_level = facts.groupby("committee", sort=False)["level"].first()
    province = facts.assign(province=facts["province"].replace("", np.nan)).groupby("committee", sort=False)[
        "province"
    ].first()
    attrs = pd.DataFrame({"level": first_level, "province": province}).reset_index()
    attrs["region"] = [region_of(p, lv) for p, lv in zip(attrs["province"], attrs["level"], strict=True)]
    return attrs


def _assemble(wide: pd.DataFrame, decimals: dict[str, pd.Series], attrs: pd.DataFrame,
              codebook: Codebook, annual: bool) -> pd.DataFrame:
    wide = wide.merge(attrs, on="committee", how="left")
    extra = [compute_rates(wide), reconcile_stated(wide, decimals)]
    table = pd.concat([wide, *extra], axis=1)
    if annual:
        sort = ["committee", "year"]
        change_cols = [*codebook.keys, *(s.key for s in RATES)]
        table = pd.concat([table, year_on_year(table, change_cols)], axis=1)
    else:
        sort = ["committee", "period_start", "year"]
    columns = _columns_for(codebook, annual)
    return table[columns].sort_values(sort, kind="stable").reset_index(drop=True)


def build_panel(facts: pd.DataFrame, codebook: Codebook | None = None) -> PanelTables:
    """Facts (``schemas.facts_schema``) → panel, periods and conflicts, each validated."""
    codebook = codebook or load_codebook()
    facts = validate(facts, facts_schema(codebook.keys), "facts")
    ranked = _rank_facts(facts)
    annual = ranked[ranked["period_start"] == ranked["year"]]
    term = ranked[ranked["period_start"] < ranked["year"]]
    kept_a, conf_a = _resolve(annual, ["committee", "year", "indicator"], "annual")
    kept_p, conf_p = _resolve(term, ["committee", "period_start", "year", "indicator"], "period")
    attrs = _committee_attributes(facts)
    wide_a, dec_a = _wide(kept_a, ["committee", "year"], codebook)
    wide_p, dec_p = _wide(kept_p, ["committee", "period_start", "year"], codebook)
    panel = _assemble(wide_a, dec_a, attrs, codebook, annual=True)
    periods = _assemble(wide_p, dec_p, attrs, codebook, annual=False)
    panel = validate(panel, panel_schema(codebook), "panel")
    periods = validate(periods, panel_schema(codebook, periods=True), "periods table")
    conflicts = pd.concat([c for c in (conf_a, conf_p) if not c.empty] or [conf_a], ignore_index=True)
    return PanelTables(panel=panel, periods=periods, conflicts=conflicts)


# --------------------------------------------------------------------------- files


def periods_path_for(panel_path: Path) -> Path:
    """The periods table beside a panel file: ``periods.csv``."""
    return Path(panel_path).with_name("periods.csv")


def n_conflicting_figures(conflicts: pd.DataFrame) -> int:
    """How many figures (table, committee, period, indicator) have disagreeing facts."""
    keys = [c for c in ("table", "committee", "period_start", "year", "indicator") if c in conflicts]
    return int(conflicts.groupby(keys).ngroups) if keys and len(conflicts) else 0


def conflicts_path_for(panel_path: Path) -> Path:
    """The default conflicts list beside a panel file: ``conflicts.csv``."""
    return Path(panel_path).with_name("conflicts.csv")


def _write_table(df: pd.DataFrame, csv_path: Path) -> list[Path]:
    with paths.atomic_path(csv_path) as tmp:
        df.to_csv(tmp, index=False)
    parquet = csv_path.with_suffix(".parquet")
    with paths.atomic_path(parquet) as tmp:
        df.to_parquet(tmp, index=False)
    return [csv_path, parquet]


def build_panel_to_file(
    facts_path: Path, output: Path, conflicts: Path | None = None, to_stata: bool = False
) -> PanelBuild:
    """Read facts, build the panel and write it (CSV + Parquet) with periods, conflicts and the
    data dictionary beside it; ``to_stata`` adds labelled ``.dta`` files."""
    from .export import write_data_dictionary, write_stata

    codebook = load_codebook()
    tables = build_panel(load_facts(facts_path), codebook)
    output = Path(output)
    if output.suffix.lower() != ".csv":
        raise InputError(output, "the panel is written as .csv (the .parquet goes beside it)")
    conflicts_path = Path(conflicts) if conflicts else conflicts_path_for(output)
    written = _write_table(tables.panel, output)
    written += _write_table(tables.periods, periods_path_for(output))
    with paths.atomic_path(conflicts_path) as tmp:
        tables.conflicts.to_csv(tmp, index=False)
    written.append(conflicts_path)
    written += write_data_dictionary(output.parent, codebook)
    if to_stata:
        written += write_stata(tables.panel, output.with_suffix(".dta"), codebook)
        written += write_stata(tables.periods, periods_path_for(output).with_suffix(".dta"), codebook)
    return PanelBuild(
        panel=tables.panel, periods=tables.periods, conflicts=tables.conflicts,
        conflicts_path=conflicts_path, written=tuple(written),
    )


_FACT_INTS = ("year", "period_start", "start", "end")


def load_facts(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate a facts file (CSV or Parquet; default ``paths.facts_file()``)."""
    path = Path(path) if path else paths.facts_file()
    if not path.is_file():
        raise InputError(path, "no facts file; run `cppcc-study extract` first")
    if path.suffix.lower() == ".parquet":
        facts = pd.read_parquet(path)
    else:
        facts = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        missing = [c for c in FACT_COLUMNS if c not in facts]
        if missing:
            raise InputError(path, f"facts file lacks columns: {', '.join(missing)}")
        for col in _FACT_INTS:
            facts[col] = pd.to_numeric(facts[col], errors="raise").astype(int)
        facts["value"] = pd.to_numeric(facts["value"], errors="raise").astype(float)
        facts["province"] = facts["province"].replace("", np.nan)
    return validate(facts, facts_schema(load_codebook().keys), f"facts file {path}")


def _read_table(path: Path, schema: pa.DataFrameSchema, what: str) -> pd.DataFrame:
    if not path.is_file():
        raise InputError(path, f"no {what}; run `cppcc-study panel` first")
    if path.suffix.lower() == ".parquet":
        df = pd.read_parquet(path)
    else:
        df = pd.read_csv(path, dtype={"committee": str, "level": str, "province": str, "region": str},
                         encoding="utf-8")
        for col in [c for c in df if c.endswith("__qualifier") or c.endswith("__denominator")]:
            df[col] = df[col].astype(object).where(df[col].notna(), None)
        for col in [c for c in df if c.endswith("__mismatch")]:
            df[col] = df[col].astype("boolean")
    return validate(df, schema, f"{what} {path}")


def load_panel(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate a panel file (CSV or Parquet; default ``paths.panel_file()``)."""
    return _read_table(Path(path) if path else paths.panel_file(), panel_schema(), "panel")


def load_periods(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the periods table (default: ``periods.csv`` beside the panel)."""
    path = Path(path) if path else periods_path_for(paths.panel_file())
    return _read_table(path, panel_schema(periods=True), "periods table")


def evidence_for(facts: pd.DataFrame, committee: str, year: int, indicator: str) -> pd.DataFrame:
    """The annual facts behind one panel cell, the kept one first (``kept`` column), then the
    others in the order the conflict rule ranks them."""
    sel = facts[(facts["committee"] == committee) & (facts["year"] == year)
                & (facts["period_start"] == year) & (facts["indicator"] == indicator)]
    if sel.empty:
        return sel.assign(kept=pd.Series(dtype=bool)).reset_index(drop=True)
    ranked = _rank_facts(facts)
    ranked = ranked.loc[[facts.index.get_loc(i) for i in sel.index]].sort_values(_RANK_KEYS, kind="stable")
    ranked["kept"] = np.arange(len(ranked)) == 0
    return ranked[[*(c for c in FACT_COLUMNS if c in ranked), "kept"]].reset_index(drop=True)
