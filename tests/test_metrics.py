"""Rates, Wilson intervals, reconciliation of stated rates and year-on-year change."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cppcc_study.metrics import (
    agrees,
    compute_rates,
    reconcile,
    reconcile_stated,
    rounding_tolerance,
    stated_decimals,
    wilson,
    year_on_year,
)

# Reference intervals: the Wilson (1927) score formula
#   centre = (p + z²/2n) / (1 + z²/n),  half = z/(1 + z²/n) · sqrt(p(1-p)/n + z²/4n²),
# worked by hand with z = 1.959963984540054 and rounded to 6 decimals (percent).
# For x = 0 the upper bound reduces to z²/(n + z²): 3.841459/13.841459 = 27.753280%.
WILSON_REFERENCE = [
    # (x, n, percent, lo, hi)
    (917, 994, 92.253521, 90.424224, 93.757486),
    (917, 1006, 91.153082, 89.238080, 92.754988),
    (7, 20, 35.0, 18.119182, 56.714572),
    (0, 10, 0.0, 0.0, 27.753280),
    (10, 10, 100.0, 72.246720, 100.0),
]
TOL = 1e-5  # the reference values are rounded to 6 decimals


@pytest.mark.parametrize(("x", "n", "pct", "lo", "hi"), WILSON_REFERENCE)
def test_wilson_matches_the_formula_worked_by_hand(x, n, pct, lo, hi):
    got = wilson(x, n)
    assert got.percent == pytest.approx(pct, abs=TOL)
    assert got.lo == pytest.approx(lo, abs=TOL)
    assert got.hi == pytest.approx(hi, abs=TOL)
    assert got.n == n


@pytest.mark.parametrize(("x", "n"), [(5, 0), (11, 10), (-1, 10)])
def test_wilson_undefined_gives_nan(x, n):
    assert math.isnan(wilson(x, n).percent)


@settings(deadline=None, max_examples=200)  # the machine is shared; timing is not under test
@given(st.integers(1, 10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_holds_the_rate(xn):
    x, n = xn
    got = wilson(x, n)
    assert 0 <= got.lo <= got.percent + 1e-9 <= got.hi + 2e-9 <= 100 + 3e-9


def _row(**values):
    """One panel-shaped row from ``group__name=value`` (key ``group.name``); a value given as
    (v, q) carries qualifier q, else exact."""
    row = {"committee": "甲市", "year": 2022}
    for key, v in values.items():
        key = key.replace("__", ".")
        v, q = v if isinstance(v, tuple) else (v, "exact")
        row[key], row[f"{key}__qualifier"] = v, q
    return row


def test_rates_need_exact_or_all_counts():
    panel = pd.DataFrame(
        [
            _row(proposals__received=1194, proposals__filed=1006, proposals__handled=994, proposals__adopted=917),
            _row(proposals__filed=227, proposals__handled=(227, "all")),
            _row(proposals__received=(1300, "at_least"), proposals__filed=93),
            _row(proposals__filed=100, proposals__handled=120),  # handled > filed: no rate
        ]
    )
    rates = compute_rates(panel)
    # Row 0: 917/994 and 1006/1194 by hand.
    assert rates.at[0, "rate.adoption_handled"] == pytest.approx(100 * 917 / 994)
    assert rates.at[0, "rate.adoption_handled__lo"] == pytest.approx(90.424224, abs=TOL)
    assert rates.at[0, "rate.adoption_handled__n"] == 994
    assert rates.at[0, "rate.filing"] == pytest.approx(100 * 1006 / 1194)
    assert rates.at[1, "rate.handling"] == 100.0
    assert math.isnan(rates.at[2, "rate.filing"])  # a lower bound is not a denominator
    assert math.isnan(rates.at[3, "rate.handling"])
    assert rates.columns.tolist()[:4] == ["rate.filing", "rate.filing__lo", "rate.filing__hi", "rate.filing__n"]


@pytest.mark.parametrize(
    ("value", "evidence", "expected"),
    [(92.3, None, 1), (100.0, None, 0), (83.17, None, 2), (92.3, "占比92.30%", 2), (99.84, "達99.84%", 2)],
)
def test_stated_decimals(value, evidence, expected):
    assert stated_decimals(value, evidence) == expected


def test_rounding_tolerance_is_half_the_last_digit():
    assert rounding_tolerance(1) == pytest.approx(0.05)
    assert rounding_tolerance(0) == pytest.approx(0.5)
    assert agrees(92.3, 92.25352, 1)
    assert not agrees(92.3, 91.15308, 1)
    assert agrees(90.0, 95.0, 0, "at_least")
    assert not agrees(90.0, 95.0, 0, "at_most")


def test_sichuan_2022_rate_is_of_handled_proposals():
    # 四川省 2022: adopted 917, filed 1006, handled 994, stated 92.3%.
    # 917/994 = 92.2535% rounds to 92.3; 917/1006 = 91.153% does not.
    rec = reconcile(92.3, 917, {"filed": 1006.0, "handled": 994.0, "received": 1194.0}, decimals=1)
    assert rec.denominator == "handled"
    assert rec.mismatch is False
    assert rec.computed == pytest.approx(92.253521, abs=TOL)


def test_all_denominators_equal_keeps_the_conventional_one():
    # handled stated as 全部 (qualifier all) equals filed: both reproduce the rate; filed is kept.
    rec = reconcile(82.9, 348, {"filed": 420.0, "handled": 420.0, "received": 426.0}, decimals=1)
    assert (rec.denominator, rec.mismatch) == ("filed", False)


def test_mismatch_when_no_denominator_reproduces_the_rate():
    # 4014/5952 = 67.44% and 4014/5289 = 75.89%: neither rounds to 77.1.
    rec = reconcile(77.1, 4014, {"filed": 5952.0, "handled": 5289.0, "received": 7667.0}, decimals=1)
    assert rec.denominator == "none"
    assert rec.mismatch is True
    assert rec.computed == pytest.approx(100 * 4014 / 5952)


def test_nothing_to_compare():
    rec = reconcile(99.2, math.nan, {"filed": 4567.0}, decimals=1)
    assert (rec.denominator, rec.mismatch) == ("none", None)
    assert math.isnan(rec.computed)


def test_reconcile_stated_columns():
    panel = pd.DataFrame(
        [
            _row(proposals__filed=1006, proposals__handled=994, proposals__adopted=917, proposals__adoption_rate=92.3),
            _row(proposals__received=303, proposals__filed=252, proposals__filing_rate=83.17),
        ]
    )
    out = reconcile_stated(panel, decimals={"proposals.filing_rate": pd.Series({1: 2})})
    assert out.at[0, "proposals.adoption_rate__denominator"] == "handled"
    assert not out.at[0, "proposals.adoption_rate__mismatch"]
    # 252/303 = 83.1683% rounds to 83.17 at two decimals.
    assert out.at[1, "proposals.filing_rate__denominator"] == "received"
    assert out.at[1, "proposals.filing_rate__computed"] == pytest.approx(83.168317, abs=TOL)
    assert pd.isna(out.at[1, "proposals.adoption_rate__mismatch"])
    assert str(out["proposals.adoption_rate__mismatch"].dtype) == "boolean"


def test_year_on_year_needs_the_previous_year():
    panel = pd.DataFrame(
        {
            "committee": ["甲市", "甲市", "甲市", "乙县"],
            "year": [2021, 2022, 2024, 2022],
            "proposals.filed": [227.0, 252.0, 300.0, np.nan],
        }
    )
    change = year_on_year(panel, ["proposals.filed"])["proposals.filed__change"]
    assert math.isnan(change[0])
    assert change[1] == 25.0
    assert math.isnan(change[2])  # 2023 missing: no change on a two-year gap
    assert math.isnan(change[3])


_count = st.one_of(st.just(math.nan), st.integers(0, 2000).map(float))
_stated = st.one_of(st.just(math.nan), st.integers(0, 10_000).map(lambda v: v / 100),
                    st.integers(0, 100).map(float))


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(_stated, st.sampled_from(["exact", "about", "at_least", "at_most"]),
                          _count, _count, _count, _count), min_size=1, max_size=12))
def test_reconcile_stated_is_reconcile_row_by_row(rows):
    panel = pd.DataFrame(
        [{"proposals.adoption_rate": s, "proposals.adoption_rate__qualifier": q,
          "proposals.adopted": x, "proposals.filed": f, "proposals.handled": h, "proposals.received": r}
         for s, q, x, f, h, r in rows]
    )
    for key in ("proposals.adopted", "proposals.filed", "proposals.handled", "proposals.received"):
        panel[f"{key}__qualifier"] = "exact"
    out = reconcile_stated(panel)
    for i, (s, q, x, f, h, r) in enumerate(rows):
        ref = reconcile(s, x, {"filed": f, "handled": h, "received": r},
                        stated_decimals(s) if not math.isnan(s) else 0, q)
        got_mismatch = out.at[i, "proposals.adoption_rate__mismatch"]
        assert out.at[i, "proposals.adoption_rate__denominator"] == ref.denominator
        assert (None if pd.isna(got_mismatch) else bool(got_mismatch)) == ref.mismatch
        computed = out.at[i, "proposals.adoption_rate__computed"]
        assert (math.isnan(computed) and math.isnan(ref.computed)) or computed == pytest.approx(ref.computed)
