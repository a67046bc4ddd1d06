"""Adoption models: parameter recovery on simulated panels, not-estimable reasons, results API."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cppcc_study.errors import ModelNotEstimable
from cppcc_study.models import (
    AdoptionGLM,
    ShrinkageResult,
    TrendResult,
    adoption_counts,
    fit_adoption_glm,
    fit_all,
    fit_shrinkage,
    fit_trend,
)
from cppcc_study.panel import build_panel
from panel_fixtures import gold_facts, make_facts

LEVEL_EFFECT = {"provincial": 0.0, "prefecture": -0.3, "county": -0.6}
REGION_EFFECT = {"东部": 0.0, "中部": -0.2, "西部": 0.15, "东北": -0.25}
TRUE = {"Intercept": 1.2, "year": 0.08}
# Coverage of nominal 95% intervals over R replications lies within ±3 binomial standard
# errors of 0.95 (R = 100: ±0.065) unless the intervals are wrong.
R = 100
COVERAGE_BAND = (0.95 - 3 * (0.95 * 0.05 / R) ** 0.5, 1.0)


def _panel(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for key in ("proposals.adopted", "proposals.filed"):
        frame[f"{key}__qualifier"] = "exact"
    return frame


def simulate_glm_panel(rng: np.random.Generator, n_committees: int = 24, years: int = 4,
                       overdispersion: float | None = None) -> pd.DataFrame:
    """Committee-years with adoption log-odds Intercept + level + year + region; with
    ``overdispersion`` m each committee-year's rate is Beta-distributed with strength m."""
    levels, regions = list(LEVEL_EFFECT), list(REGION_EFFECT)
    rows = []
    for c in range(n_committees):
        level, region = levels[c % 3], regions[(c // 3) % 4]
        for t in range(years):
            eta = TRUE["Intercept"] + LEVEL_EFFECT[level] + TRUE["year"] * t + REGION_EFFECT[region]
            p = 1 / (1 + np.exp(-eta))
            if overdispersion:
                p = rng.beta(p * overdispersion, (1 - p) * overdispersion)
            n = int(rng.integers(150, 400))
            rows.append({"committee": f"c{c}", "level": level, "region": region, "year": 2018 + t,
                         "proposals.adopted": float(rng.binomial(n, p)), "proposals.filed": float(n)})
    return _panel(rows)


def _coverage(results: list, truth: dict[str, float]) -> dict[str, float]:
    hits = {k: 0 for k in truth}
    for res in results:
        ci = res.conf_int()
        for k, v in truth.items():
            hits[k] += ci.at[k, "lower"] <= v <= ci.at[k, "upper"]
    return {k: h / len(results) for k, h in hits.items()}


def test_glm_recovers_parameters_at_the_nominal_rate():
    rng = np.random.default_rng(20240501)
    fits = [fit_adoption_glm(simulate_glm_panel(rng)) for _ in range(R)]
    # Balanced levels and regions: the references are the first in order (provincial, 东部).
    assert fits[0].reference == {"level": "provincial", "region": "东部"}
    truth = {"Intercept": TRUE["Intercept"], "year": TRUE["year"]}
    truth |= {f"level[{k}]": v for k, v in LEVEL_EFFECT.items() if k != "provincial"}
    truth |= {f"region[{k}]": v for k, v in REGION_EFFECT.items() if k != "东部"}
    assert set(truth) == set(fits[0].params.index)
    for term, cover in _coverage(fits, truth).items():
        assert COVERAGE_BAND[0] <= cover <= COVERAGE_BAND[1], (term, cover)
    assert np.mean([f.dispersion for f in fits]) == pytest.approx(1.0, abs=0.15)


def test_glm_widens_intervals_under_overdispersion():
    rng = np.random.default_rng(7)
    fits = [fit_adoption_glm(simulate_glm_panel(rng, overdispersion=60.0)) for _ in range(R)]
    # Beta(m) noise with m = 60 on 150–400 trials inflates the variance roughly 3- to 7-fold.
    assert np.median([f.dispersion for f in fits]) > 2.5
    cover = np.mean([f.conf_int().at["year", "lower"] <= TRUE["year"] <= f.conf_int().at["year", "upper"]
                     for f in fits])
    assert COVERAGE_BAND[0] <= cover <= COVERAGE_BAND[1]
    assert "widened" in fits[0].interpret("en")


def test_trend_recovers_the_common_slope():
    rng = np.random.default_rng(99)
    fits = []
    for _ in range(R):
        rows = []
        for c in range(10):
            alpha = rng.normal(0.8, 0.6)
            for t in range(5):
                p = 1 / (1 + np.exp(-(alpha - 0.1 * t)))
                n = int(rng.integers(80, 500))
                rows.append({"committee": f"c{c}", "level": "prefecture", "region": "东部", "year": 2016 + t,
                             "proposals.adopted": float(rng.binomial(n, p)), "proposals.filed": float(n)})
        fits.append(fit_trend(_panel(rows)))
    cover = _coverage(fits, {"year": -0.1})["year"]
    assert COVERAGE_BAND[0] <= cover <= COVERAGE_BAND[1]
    assert isinstance(fits[0], TrendResult) and fits[0].n_committees == 10


def test_shrinkage_intervals_cover_true_rates():
    rng = np.random.default_rng(31)
    a, b = 24.0, 8.0  # true prior: mean 0.75, strength 32
    covered, total, prior_in = 0, 0, 0
    reps = 20
    for _ in range(reps):
        p = rng.beta(a, b, size=150)
        n = rng.integers(10, 600, size=150)
        x = rng.binomial(n, p)
        panel = _panel([{"committee": f"c{i}", "level": "county", "region": "中部", "year": 2020,
                         "proposals.adopted": float(x[i]), "proposals.filed": float(n[i])} for i in range(150)])
        res = fit_shrinkage(panel)
        tab = res.committees.set_index("committee").loc[[f"c{i}" for i in range(150)]]
        covered += int(((tab["lo"] / 100 <= p) & (p <= tab["hi"] / 100)).sum())
        total += 150
        ci = res.conf_int()
        prior_in += ci.at["prior_mean", "lower"] <= a / (a + b) <= ci.at["prior_mean", "upper"]
    assert 0.92 <= covered / total <= 0.98  # posterior intervals, 3000 committees
    assert prior_in >= 16  # of 20; nominal 19


def test_small_committee_is_not_ranked_above_a_big_one_on_noise():
    rows = [("big", 950, 1000), ("small", 20, 20), ("c1", 700, 1000), ("c2", 800, 1000), ("c3", 600, 900),
            ("c4", 150, 200), ("c5", 400, 500)]
    panel = _panel([{"committee": c, "level": "county", "region": "中部", "year": 2022,
                     "proposals.adopted": float(x), "proposals.filed": float(n)} for c, x, n in rows])
    res = fit_shrinkage(panel)
    tab = res.committees.set_index("committee")
    assert tab.at["small", "raw_rate"] == 100.0
    assert tab.at["big", "rank"] < tab.at["small", "rank"]
    assert tab.at["small", "weight"] < tab.at["big", "weight"]
    text = res.interpret("en")
    assert "small" in text and f"{tab.at['small', 'shrunk_rate']:.1f}%" in text
    assert f"{tab.at['small', 'shrunk_rate']:.1f}%" in res.interpret("zh")


def test_shrinkage_without_spread_pools_everything():
    # Every committee adopts exactly half: no spread beyond binomial noise.
    panel = _panel([{"committee": f"c{i}", "level": "county", "region": "中部", "year": 2022,
                     "proposals.adopted": float(50 * i), "proposals.filed": float(100 * i)} for i in range(1, 6)])
    res = fit_shrinkage(panel)
    assert res.at_bound
    assert res.committees["shrunk_rate"].round(1).eq(50.0).all()
    assert "pooled rate" in res.interpret("en")


@pytest.mark.parametrize(
    ("fit", "message"),
    [
        (fit_adoption_glm, "needs adoption counts for ≥ 3 committees; found 1"),
        (fit_shrinkage, "needs adoption counts for ≥ 3 committees; found 1"),
        (fit_trend, "needs adoption counts in ≥ 3 years for at least one committee; the most any committee has is 2"),
    ],
)
def test_not_estimable_says_why(fit, message):
    panel = _panel([{"committee": "甲市", "level": "county", "region": "东部", "year": y,
                     "proposals.adopted": 5.0, "proposals.filed": 10.0} for y in (2021, 2022)])
    with pytest.raises(ModelNotEstimable, match=message):
        fit(panel)


def test_glm_needs_more_rows_than_coefficients():
    panel = _panel([{"committee": f"c{i}", "level": lv, "region": rg, "year": 2022,
                     "proposals.adopted": 5.0 + i, "proposals.filed": 20.0}
                    for i, (lv, rg) in enumerate([("county", "东部"), ("prefecture", "中部"), ("provincial", "西部")])])
    with pytest.raises(ModelNotEstimable, match="more committee-years than"):
        fit_adoption_glm(panel)


def test_fit_all_on_gold_facts_reports_reasons_not_errors():
    facts = gold_facts()
    if facts is None:
        pytest.skip("shared gold facts (../shared/eval/gold) not available")
    results = fit_all(build_panel(facts).panel)
    assert set(results) == {"glm", "shrinkage", "trend"}
    for value in results.values():
        assert isinstance(value, str | AdoptionGLM | ShrinkageResult | TrendResult)
    assert results["trend"].startswith("needs adoption counts in ≥ 3 years")


def test_adoption_counts_use_only_exact_counts():
    facts = make_facts(
        [
            {"committee": "甲市", "year": 2022, "indicator": "proposals.filed", "value": 100},
            {"committee": "甲市", "year": 2022, "indicator": "proposals.adopted", "value": 80, "start": 20},
            {"committee": "乙市", "year": 2022, "indicator": "proposals.filed", "value": 100, "qualifier": "about"},
            {"committee": "乙市", "year": 2022, "indicator": "proposals.adopted", "value": 80, "start": 20},
        ]
    )
    counts = adoption_counts(build_panel(facts).panel)
    assert counts["committee"].tolist() == ["甲市"]


def test_results_api():
    rng = np.random.default_rng(5)
    res = fit_adoption_glm(simulate_glm_panel(rng))
    frame = res.to_frame()
    assert list(frame.columns) == ["coef", "std_err", "t", "p", "lower", "upper", "odds_ratio", "or_lower", "or_upper"]
    assert list(res.conf_int().columns) == ["lower", "upper"]
    assert "dispersion" in str(res.summary())
    en, zh = res.interpret("en"), res.interpret("zh")
    assert f"{res.pooled_rate:.1f}%" in en and f"{res.pooled_rate:.1f}%" in zh
    assert f"{res.nobs} committee-years" in en
    orr = 100 * (np.exp(res.params["year"]) - 1)
    assert f"{abs(orr):.0f}%" in en
    with pytest.raises(AttributeError):
        res.nobs = 0  # frozen
    shrink = fit_shrinkage(simulate_glm_panel(rng))
    assert list(shrink.to_frame().columns) == ["coef", "std_err", "lower", "upper"]
    assert "prior_strength" in shrink.summary()


def test_all_adopted_everywhere_is_not_estimable():
    panel = _panel([{"committee": f"c{i}", "level": "county", "region": "东部", "year": 2020 + t,
                     "proposals.adopted": 10.0, "proposals.filed": 10.0} for i in range(4) for t in range(3)])
    for fit in (fit_adoption_glm, fit_shrinkage, fit_trend):
        with pytest.raises(ModelNotEstimable, match="pooled rate is 100%"):
            fit(panel)


def test_shrinkage_intervals_narrow_with_alpha():
    res = fit_shrinkage(simulate_glm_panel(np.random.default_rng(3)))
    wide, narrow = res.conf_int(0.05), res.conf_int(0.10)
    assert (narrow["lower"] > wide["lower"]).all() and (narrow["upper"] < wide["upper"]).all()
    assert (wide["lower"] < res.params).all() and (res.params < wide["upper"]).all()


def test_reasons_come_in_both_languages():
    from cppcc_study.models import NotEstimable, fit_adoption_glm, try_fit

    empty = pd.DataFrame(columns=["committee", "level", "province", "region", "year"])
    reason = try_fit(fit_adoption_glm, empty)
    assert isinstance(reason, NotEstimable)
    assert "committees" in reason.text("en") and "委员会" in reason.text("zh")
