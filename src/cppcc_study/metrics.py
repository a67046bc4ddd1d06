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


def _counts(panel: pd.DataFrame, key: str) -> np.ndarray:
    """The usable values of count ``key`` (NaN where absent or not exact/all)."""
    if key not in panel:
        return np.full(len(panel), np.nan)
    return panel[key].where(_usable(panel, key)).to_numpy(dtype=float)


def compute_rates(panel: pd.DataFrame, rates: tuple[RateSpec, ...] = RATES) -> pd.DataFrame:
    """The columns ``R, R__lo, R__hi, R__n`` of every rate R, index aligned with ``panel``
    (vectorised ``wilson``; empty where the counts are unusable or inconsistent)."""
    out = {}
    for spec in rates:
        x, n = _counts(panel, spec.numerator), _counts(panel, spec.denominator)
        with np.errstate(invalid="ignore"):
            ok = (n > 0) & (x >= 0) & (x <= n)
        pct, lo, hi = (np.full(len(panel), np.nan) for _ in range(3))
        if ok.any():
            lo_ok, hi_ok = proportion_confint(x[ok], n[ok], alpha=1 - CONFIDENCE, method="wilson")
            pct[ok], lo[ok], hi[ok] = 100 * x[ok] / n[ok], 100 * np.asarray(lo_ok), 100 * np.asarray(hi_ok)
        out[spec.key], out[f"{spec.key}__lo"], out[f"{spec.key}__hi"] = pct, lo, hi
        out[f"{spec.key}__n"] = np.where(ok, n, np.nan)
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

    The vectorised form of ``reconcile`` over the rows. ``decimals[K]`` gives the decimals
    stated per row (default, and where missing: from the float value).
    """
    out: dict[str, pd.Series] = {}
    rows = len(panel)
    for key, (num, denoms) in STATED_RATES.items():
        stated = panel[key].to_numpy(dtype=float) if key in panel else np.full(rows, np.nan)
        qual_col = f"{key}__qualifier"
        qual = panel[qual_col].fillna("exact").astype(str).to_numpy() if qual_col in panel else np.full(rows, "exact")
        given = decimals.get(key) if decimals else None
        dec = given.reindex(panel.index).to_numpy(dtype=float) if given is not None else np.full(rows, np.nan)
        dec = np.array([d if not math.isnan(d) else (stated_decimals(v) if not math.isnan(v) else 0)
                        for d, v in zip(dec, stated, strict=True)])
        tol = 0.5 * 10.0 ** (-dec) + 1e-9
        x = _counts(panel, num)
        comp = []
        for d in denoms:
            n = _counts(panel, d)
            with np.errstate(invalid="ignore", divide="ignore"):
                comp.append(np.where((n > 0) & (x <= n), 100 * x / n, np.nan))
        comp_arr = np.vstack(comp)  # candidates × rows
        diff = comp_arr - stated
        with np.errstate(invalid="ignore"):
            agree = np.select(
                [qual == "at_least", qual == "at_most", qual == "about"],
                [diff >= -tol, diff <= tol, np.abs(diff) <= 2 * tol],
                np.abs(diff) <= tol,
            ) & ~np.isnan(comp_arr)
        dist = np.where(agree, np.abs(diff), np.inf)
        best = dist.argmin(axis=0)  # the first candidate on ties
        matched = agree.any(axis=0)
        usable = ~np.isnan(comp_arr)
        first = usable.argmax(axis=0)
        comparable = usable.any(axis=0) & ~np.isnan(stated)
        cols = np.arange(rows)
        names = np.array([d.split(".")[-1] for d in denoms])
        computed = np.where(matched, comp_arr[best, cols], comp_arr[first, cols])
        computed = np.where(comparable, computed, np.nan)
        denominator = np.where(matched, names[best], "none")
        mismatch = pd.array(np.where(comparable, ~matched, False), dtype="boolean")
        mismatch[~comparable] = pd.NA
        out[f"{key}__computed"] = pd.Series(computed, index=panel.index, dtype=float)
        out[f"{key}__denominator"] = pd.Series(denominator, index=panel.index, dtype=object)
        out[f"{key}__mismatch"] = pd.Series(mismatch, index=panel.index)
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
