"""Rates from counts with Wilson intervals, reconciliation of stated rates, year-on-year change.

Pure functions over a panel-shaped DataFrame (one row per committee-year, the codebook's
``K`` and ``K__qualifier`` columns); ``panel.py`` calls them and adds their columns.

Rules (see ``docs/panel.md``):

- A rate is computed only where numerator and denominator are both present, both have
  qualifier ``exact`` or ``all`` (a bound such as "at least 900 adopted" gives a bound on
  the rate, not a rate), the denominator is positive and the numerator does not exceed it.
- Rates and interval bounds are percentages (0–100); ``__n`` is the denominator.
- A stated rate matches a computed one when they differ by no more than rounding to the
  number of decimals the report used (92.3 → ±0.05; 100 → ±0.5). Of the candidate
  denominators the closest matching one is reported; ties keep the conventional order
  (filed before handled before received).
- ``K__change`` is the difference to the same committee's value in year − 1 (percentage
  points for percentages); missing when either year is missing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

#: Count qualifiers a rate may be computed from.
RATE_QUALIFIERS = ("exact", "all")
CONFIDENCE = 0.95


@dataclass(frozen=True)
class RateSpec:
    """A rate computed from two count indicators: ``100 * numerator / denominator``."""

    key: str
    numerator: str
    denominator: str
    label_zh: str
    label_en: str


RATES: tuple[RateSpec, ...] = (
    RateSpec("rate.filing", "proposals.filed", "proposals.received", "立案率（计算）", "Filing rate (computed)"),
    RateSpec("rate.handling", "proposals.handled", "proposals.filed", "办复率（计算）", "Handling rate (computed)"),
    RateSpec("rate.adoption_filed", "proposals.adopted", "proposals.filed",
             "采纳率（占立案，计算）", "Adoption rate of filed (computed)"),
    RateSpec("rate.adoption_handled", "proposals.adopted", "proposals.handled",
             "采纳率（占办复，计算）", "Adoption rate of handled (computed)"),
)

#: Stated rate → (numerator, candidate denominators in order of preference).
STATED_RATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "proposals.filing_rate": ("proposals.filed", ("proposals.received",)),
    "proposals.handled_rate": ("proposals.handled", ("proposals.filed", "proposals.received")),
    "proposals.adoption_rate": (
        "proposals.adopted",
        ("proposals.filed", "proposals.handled", "proposals.received"),
    ),
}


@dataclass(frozen=True)
class Proportion:
    """A percentage with its 95% Wilson interval; ``n`` is the denominator (a count)."""

    percent: float
    lo: float
    hi: float
    n: float


@dataclass(frozen=True)
class Reconciliation:
    """A stated rate against the rate computed from counts.

    ``computed`` is in percent (NaN when no candidate denominator is usable);
    ``denominator`` is ``filed``, ``handled``, ``received`` or ``none`` (no candidate
    matches, or nothing to compare); ``mismatch`` is None when nothing could be compared.
    """

    computed: float
    denominator: str
    mismatch: bool | None


def wilson(successes: float, trials: float, confidence: float = CONFIDENCE) -> Proportion:
    """Percentage ``successes / trials`` with its Wilson score interval (statsmodels)."""
    if not trials > 0 or successes < 0 or successes > trials:
        return Proportion(math.nan, math.nan, math.nan, trials)
    lo, hi = proportion_confint(successes, trials, alpha=1 - confidence, method="wilson")
    return Proportion(100 * successes / trials, 100 * float(lo), 100 * float(hi), float(trials))


def _usable(panel: pd.DataFrame, key: str) -> pd.Series:
    """Where the count ``key`` is present with an exact/all qualifier."""
    if key not in panel:
        return pd.Series(False, index=panel.index)
    qual = panel.get(f"{key}__qualifier", pd.Series("exact", index=panel.index))
    return panel[key].notna() & qual.isin(RATE_QUALIFIERS).fillna(False).astype(bool)


def compute_rates(panel: pd.DataFrame, rates: tuple[RateSpec, ...] = RATES) -> pd.DataFrame:
    """The columns ``R, R__lo, R__hi, R__n`` of every rate R, index aligned with ``panel``."""
    out = {}
    for spec in rates:
        ok = _usable(panel, spec.numerator) & _usable(panel, spec.denominator)
        x = panel[spec.numerator].where(ok) if spec.numerator in panel else pd.Series(np.nan, index=panel.index)
        n = panel[spec.denominator].where(ok) if spec.denominator in panel else pd.Series(np.nan, index=panel.index)
        props = [wilson(float(a), float(b)) if ok_ else None for a, b, ok_ in zip(x, n, ok, strict=True)]
        out[spec.key] = [p.percent if p else np.nan for p in props]
        out[f"{spec.key}__lo"] = [p.lo if p else np.nan for p in props]
        out[f"{spec.key}__hi"] = [p.hi if p else np.nan for p in props]
        out[f"{spec.key}__n"] = [p.n if p else np.nan for p in props]
    return pd.DataFrame(out, index=panel.index, dtype=float)


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def stated_decimals(value: float, evidence: str | None = None) -> int:
    """Decimals the report used for ``value``: from an Arabic number in ``evidence`` equal to it
    (so "92.30%" gives 2), else from the shortest form of the float (92.3 → 1, 100.0 → 0)."""
    found = [m for m in _NUMBER.findall(evidence or "") if math.isclose(float(m), value, abs_tol=1e-9)]
    if found:
        return max(len(m.partition(".")[2]) for m in found)
    text = repr(float(value))
    if "e" in text:
        return 0
    decimals = text.partition(".")[2].rstrip("0")
    return len(decimals)


def rounding_tolerance(decimals: int) -> float:
    """Half a unit in the last stated decimal (plus float slack): 1 decimal → 0.05."""
    return 0.5 * 10.0 ** (-decimals) + 1e-9


def agrees(stated: float, computed: float, decimals: int, qualifier: str = "exact") -> bool:
    """Whether ``computed`` is consistent with a stated percentage and its qualifier."""
    tol = rounding_tolerance(decimals)
    if qualifier == "at_least":
        return computed >= stated - tol
    if qualifier == "at_most":
        return computed <= stated + tol
    if qualifier == "about":
        return abs(computed - stated) <= 2 * tol
    return abs(computed - stated) <= tol


def reconcile(
    stated: float,
    numerator: float,
    candidates: dict[str, float],
    decimals: int,
    qualifier: str = "exact",
) -> Reconciliation:
    """Compare a stated rate with ``numerator / d`` for each usable candidate denominator ``d``.

    ``candidates`` maps a short name (``filed``…) to a usable count (NaN when unusable), in
    order of preference. The closest agreeing candidate is the implied denominator.
    """
    usable = {
        name: 100 * numerator / d
        for name, d in candidates.items()
        if not (math.isnan(d) or math.isnan(numerator)) and d > 0 and numerator <= d
    }
    if math.isnan(stated) or not usable:
        return Reconciliation(math.nan, "none", None)
    matching = {k: v for k, v in usable.items() if agrees(stated, v, decimals, qualifier)}
    if matching:
        name = min(matching, key=lambda k: abs(matching[k] - stated))  # min keeps the first on ties
        return Reconciliation(matching[name], name, False)
    first = next(iter(usable))
    return Reconciliation(usable[first], "none", True)


def reconcile_stated(panel: pd.DataFrame, decimals: dict[str, pd.Series] | None = None) -> pd.DataFrame:
    """Columns ``K__computed``, ``K__denominator``, ``K__mismatch`` of each stated rate K.

    ``decimals[K]`` gives the decimals stated per row (default: from the float value).
    """
    out: dict[str, list] = {}
    for key, (num, denoms) in STATED_RATES.items():
        computed, denominator, mismatch = [], [], []
        num_ok = _usable(panel, num)
        denom_ok = {d: _usable(panel, d) for d in denoms}
        for idx in panel.index:
            stated = panel.at[idx, key] if key in panel else np.nan
            stated = float(stated) if pd.notna(stated) else math.nan
            qual = panel.at[idx, f"{key}__qualifier"] if f"{key}__qualifier" in panel else "exact"
            dec = decimals[key].get(idx) if decimals and key in decimals else None
            if dec is None or pd.isna(dec):
                dec = stated_decimals(stated) if not math.isnan(stated) else 0
            x = float(panel.at[idx, num]) if num_ok[idx] else math.nan
            cands = {d.split(".")[-1]: float(panel.at[idx, d]) if denom_ok[d][idx] else math.nan for d in denoms}
            rec = reconcile(stated, x, cands, int(dec), qual if isinstance(qual, str) else "exact")
            computed.append(rec.computed)
            denominator.append(rec.denominator)
            mismatch.append(rec.mismatch)
        out[f"{key}__computed"] = pd.Series(computed, index=panel.index, dtype=float)
        out[f"{key}__denominator"] = pd.Series(denominator, index=panel.index, dtype=object)
        out[f"{key}__mismatch"] = pd.Series(mismatch, index=panel.index, dtype="boolean")
    return pd.DataFrame(out, index=panel.index)


def year_on_year(panel: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``C__change`` = value in year − value in year − 1 of the same committee, for each column C."""
    prev = panel[["committee", "year", *columns]].copy()
    prev["year"] = prev["year"] + 1
    merged = panel[["committee", "year"]].merge(prev, on=["committee", "year"], how="left", suffixes=("", ""))
    merged.index = panel.index
    return pd.DataFrame(
        {f"{c}__change": panel[c].astype(float) - merged[c].astype(float) for c in columns},
        index=panel.index,
    )
