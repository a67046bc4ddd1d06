"""The numbers the notebooks show: a committee's year, its place among peers, a year's comparison.

Every function here is pure (DataFrames in, frozen dataclasses of DataFrames out), so
the notebooks only display and the tests check the numbers directly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import models
from .codebook import load_codebook
from .metrics import RATES, RateSpec
from .panel import evidence_for

#: the computed rates (metrics.RATES) by key
RATE_SPECS: dict[str, RateSpec] = {spec.key: spec for spec in RATES}
FUNNEL_KEYS = ("proposals.received", "proposals.filed", "proposals.handled", "proposals.adopted")


def label(key: str, lang: str = "zh") -> str:
    """Display label of an indicator or rate key."""
    if key in RATE_SPECS:
        spec = RATE_SPECS[key]
        return spec.label_zh if lang == "zh" else spec.label_en
    book = load_codebook()
    return book[key].label(lang) if key in book else key


def place_keys(panel: pd.DataFrame) -> list[str]:
    """Keys a committee is ranked on: every rate and count indicator present in the panel."""
    keys = [k for k in RATE_SPECS if k in panel.columns]
    return keys + [i.key for i in load_codebook().indicators if i.unit == "count" and i.key in panel.columns]


def peer_places(panel: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rank (1 = highest) of every committee on every place key among committees of its level that year.

    Columns: committee, level, key, value, rank, n_peers (committees of that level with a value).
    """
    rows = panel[panel["year"] == year]
    out = []
    for key in place_keys(panel):
        part = rows[["committee", "level", key]].rename(columns={key: "value"}).dropna(subset=["value"])
        part = part.assign(
            key=key,
            rank=part.groupby("level")["value"].rank(ascending=False, method="min").astype(int),
            n_peers=part.groupby("level")["value"].transform("size").astype(int),
        )
        out.append(part)
    columns = ["committee", "level", "key", "value", "rank", "n_peers"]
    if not out:
        return pd.DataFrame(columns=columns)
    return pd.concat(out, ignore_index=True)[columns]


def _evidence_text(facts: pd.DataFrame, committee: str, year: int, indicator: str) -> tuple[str, str]:
    rows = evidence_for(facts, committee, year, indicator)
    if rows is None or len(rows) == 0:
        return "", ""
    sentences = [str(s) for s in rows.get("sentence", rows["evidence"]).fillna("").unique() if str(s)]
    docs = [str(d) for d in rows["doc_id"].unique()] if "doc_id" in rows else []
    return " / ".join(sentences), ", ".join(docs)


@dataclass(frozen=True)
class CommitteeYearView:
    """One committee in one year.

    ``indicators``: key, label_zh, label_en, value, qualifier, change, rank, n_peers, evidence, doc_id
    (one row per codebook count indicator with a value). ``rates``: key, label_zh, label_en, value,
    lo, hi (95% Wilson, percent), n (denominator), change (percentage points), rank, n_peers,
    basis, evidence. ``history``: the committee's panel rows up to the year. ``peers``: same-level
    committees that year with their rates. ``funnel``: received → filed → handled → adopted.
    """

    committee: str
    year: int
    level: str
    indicators: pd.DataFrame
    rates: pd.DataFrame
    history: pd.DataFrame
    peers: pd.DataFrame
    funnel: pd.Series


def committee_year_view(panel: pd.DataFrame, facts: pd.DataFrame, committee: str, year: int) -> CommitteeYearView:
    """Indicators, rates, change on the previous year, place among peers and evidence of one committee-year."""
    row = panel[(panel["committee"] == committee) & (panel["year"] == year)].iloc[0]
    places = peer_places(panel, year)
    places = places[places["committee"] == committee].set_index("key")
    book = load_codebook()
    facts = facts[(facts["committee"] == committee) & (facts["year"] == year)]  # the lookups below are per cell

    def place(key: str) -> tuple[float, float]:
        if key in places.index:
            return int(places.at[key, "rank"]), int(places.at[key, "n_peers"])
        return np.nan, np.nan

    indicators = []
    for ind in book.indicators:
        if ind.unit != "count" or ind.key not in panel.columns or pd.isna(row[ind.key]):
            continue
        evidence, docs = _evidence_text(facts, committee, year, ind.key)
        rank, n_peers = place(ind.key)
        indicators.append({
            "key": ind.key, "label_zh": ind.label_zh, "label_en": ind.label_en, "value": row[ind.key],
            "qualifier": row.get(f"{ind.key}__qualifier", ""), "change": row.get(f"{ind.key}__change", np.nan),
            "rank": rank, "n_peers": n_peers, "evidence": evidence, "doc_id": docs,
        })
    rates = []
    for spec in RATES:
        key, num, den, label_zh, label_en = spec.key, spec.numerator, spec.denominator, spec.label_zh, spec.label_en
        if key not in panel.columns or pd.isna(row[key]):
            continue
        rank, n_peers = place(key)
        evidence = " / ".join(t for t in (_evidence_text(facts, committee, year, num)[0],
                                          _evidence_text(facts, committee, year, den)[0]) if t)
        rates.append({
            "key": key, "label_zh": label_zh, "label_en": label_en, "value": row[key],
            "lo": row[f"{key}__lo"], "hi": row[f"{key}__hi"], "n": row[f"{key}__n"],
            "change": row.get(f"{key}__change", np.nan), "rank": rank, "n_peers": n_peers,
            "basis": f"{label(num)} {row[num]:g} / {label(den)} {row[den]:g}", "evidence": evidence,
        })
    history = panel[(panel["committee"] == committee) & (panel["year"] <= year)].sort_values("year")
    peers = panel[(panel["year"] == year) & (panel["level"] == row["level"])].sort_values("committee")
    funnel = pd.Series({k: row[k] for k in FUNNEL_KEYS if k in panel.columns}, dtype=float)
    return CommitteeYearView(
        committee=committee, year=int(year), level=str(row["level"]),
        indicators=pd.DataFrame(indicators), rates=pd.DataFrame(rates),
        history=history.reset_index(drop=True), peers=peers.reset_index(drop=True), funnel=funnel,
    )


def rank_intervals(values: pd.Series, lo: pd.Series, hi: pd.Series) -> pd.DataFrame:
    """Rank (1 = highest) and the range of ranks compatible with the intervals.

    ``rank_lo`` (best) counts committees whose interval lies wholly above this one's;
    ``rank_hi`` (worst) counts those not wholly below it.
    """
    v, l_, h = values.to_numpy(float), lo.to_numpy(float), hi.to_numpy(float)
    above = (l_[None, :] > h[:, None]).sum(axis=1)
    not_below = (h[None, :] >= l_[:, None]).sum(axis=1) - 1  # minus itself
    return pd.DataFrame(
        {"rank": pd.Series(v).rank(ascending=False, method="min").astype(int).to_numpy(),
         "rank_lo": 1 + above, "rank_hi": 1 + not_below},
        index=values.index,
    )


@dataclass(frozen=True)
class ComparisonView:
    """All committees in one year.

    ``table``: one row per committee with the funnel counts and the four rates (percent).
    ``rankings``: long table (rate, committee, level, value, lo, hi, n, rank, rank_lo, rank_hi).
    ``models``: model, term, estimate, lo, hi, note (a note alone when a model cannot be fitted).
    """

    year: int
    table: pd.DataFrame
    rankings: pd.DataFrame
    models: pd.DataFrame


def comparison_view(panel: pd.DataFrame, year: int) -> ComparisonView:
    """Side-by-side table, rankings with intervals and adoption-model results for one year."""
    rows = panel[panel["year"] == year].sort_values(["level", "committee"]).reset_index(drop=True)
    columns = ["committee", "level", "province",
               *[k for k in FUNNEL_KEYS if k in rows.columns], *[k for k in RATE_SPECS if k in rows.columns]]
    rankings = []
    for key in RATE_SPECS:
        if key not in rows.columns:
            continue
        part = rows[["committee", "level", key, f"{key}__lo", f"{key}__hi", f"{key}__n"]].dropna(subset=[key])
        part.columns = ["committee", "level", "value", "lo", "hi", "n"]
        part = pd.concat([part, rank_intervals(part["value"], part["lo"], part["hi"])], axis=1)
        rankings.append(part.assign(rate=key).sort_values("rank"))
    ranking_columns = ["rate", "committee", "level", "value", "lo", "hi", "n", "rank", "rank_lo", "rank_hi"]
    rankings_frame = (pd.concat(rankings, ignore_index=True)[ranking_columns] if rankings
                      else pd.DataFrame(columns=ranking_columns))
    return ComparisonView(year=int(year), table=rows[columns], rankings=rankings_frame,
                          models=model_results(panel, year))


def model_results(panel: pd.DataFrame, year: int) -> pd.DataFrame:
    """Adoption models on the panel up to ``year`` (shrinkage: that year) as one table.

    Columns: model, term, estimate, lo, hi (95%), note; a model that cannot be fitted is one
    row whose note gives the reason.
    """
    columns = ["model", "term", "estimate", "lo", "hi", "note"]
    upto = panel[panel["year"] <= year]
    fits = {
        "glm": models.try_fit(models.fit_adoption_glm, upto),
        "shrinkage": models.try_fit(models.fit_shrinkage, upto, year=year),
        "trend": models.try_fit(models.fit_trend, upto),
    }
    out = []
    for name, result in fits.items():
        if not hasattr(result, "to_frame"):
            out.append({"model": name, "note": str(result)})
            continue
        frame = result.to_frame()
        bounds = [c for c in frame.columns if c not in ("coef", "std_err", "t", "p", "odds_ratio", "or_lower",
                                                         "or_upper")]
        lo_col, hi_col = ("lower", "upper") if {"lower", "upper"} <= set(frame.columns) else (bounds + [None, None])[:2]
        for term, values in frame.iterrows():
            out.append({"model": name, "term": term, "estimate": values["coef"],
                        "lo": values[lo_col] if lo_col else np.nan, "hi": values[hi_col] if hi_col else np.nan,
                        "note": ""})
    return pd.DataFrame(out, columns=columns)
